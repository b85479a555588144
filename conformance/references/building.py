"""First-use builds of the references (Maven for the Java ones, ``npm ci`` for node): one progress line on stderr,
the tool's own output captured and never printed, and a failure turned into a one-line unavailable reason."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from conformance.errors import ReferenceUnavailable
from conformance.paths import cache_lock, shown

#: ANSI escape sequences (colours, cursor moves) that build tools write even when told not to.
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-Z\\-_]")
#: Lines that say nothing about the cause.
_NOISE = re.compile(
    r"^(\[ERROR\]\s*)?$|\[Help 1\]|^\[ERROR\] (To see the full|Re-run Maven|For more information|After correcting)"
    r"|^\[ERROR\] [A-Z ]+:$|^npm (ERR!|error) (A complete log|Log files)"
)
#: Lines that name the cause, most telling first: a source location, a dependency Maven cannot get, any error line.
_KEY = (
    re.compile(r"^\[ERROR\] .*\.java:\[\d+"),
    re.compile(r"^\[ERROR\] .*(Could not resolve|Non-resolvable|Could not transfer|Unknown host|Network)"),
    re.compile(r"^\[ERROR\]"),
    re.compile(r"^npm (ERR!|error)"),
    re.compile(r"(?i)error"),
)
REASON_LIMIT = 300
#: JVM options for Maven, before the user's own ``MAVEN_OPTS`` (which win): a short build spends its time starting
#: up, where the C1 compiler alone and the serial collector cost about 45% less CPU (java_ref: 7.1 s -> 4.0 s).
MAVEN_JVM_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
#: Builds that failed in this process (folder, command) -> the reason: a failed build is not tried again.
_failed: dict[tuple[str, tuple[str, ...]], str] = {}


def summary(output: str, limit: int = REASON_LIMIT) -> str:
    """The line of a build's output that says why it failed, without ANSI codes, on one line, at most ``limit``
    characters (the last line when none stands out)."""
    lines = [" ".join(_ANSI.sub("", line).split()) for line in output.splitlines()]
    lines = [line for line in lines if line and not _NOISE.search(line)]
    if not lines:
        return "no output"
    key = next((line for pattern in _KEY for line in lines if pattern.search(line)), lines[-1])
    key = re.sub(r"^(\[ERROR\]|npm (ERR!|error))\s*", "", key)
    return key if len(key) <= limit else key[: limit - 3] + "..."


def build_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """The environment a build runs in: ``environ`` without colours, with :data:`MAVEN_JVM_OPTIONS` before its
    ``MAVEN_OPTS``."""
    options = " ".join(part for part in (MAVEN_JVM_OPTIONS, environ.get("MAVEN_OPTS", "").strip()) if part)
    return {**environ, "NO_COLOR": "1", "MAVEN_OPTS": options}


def ready(stamp: Path, done: Callable[[], bool]) -> bool:
    """Whether a build's output can be used: its ``stamp`` (written when the last build finished) exists and
    ``done()`` holds. Without the stamp, a jar written before its libraries were copied (another process in the
    middle of the build) would look ready."""
    return stamp.is_file() and done()


def build(
    what: str,
    directory: Path,
    command: Sequence[str],
    *,
    done: Callable[[], bool],
    stamp: Path,
    before: Callable[[], None] | None = None,
    duration: str = "about a minute",
    timeout: float = 1800,
) -> None:
    """Run ``command`` in ``directory`` unless :func:`ready` (checked again under a lock, so two processes never build
    at once), printing one progress line: ``before()`` first, and ``stamp`` written when it succeeded. Raises
    :class:`ReferenceUnavailable` (one line) when the build fails or leaves ``done()`` false."""
    attempt = (str(directory), tuple(command))
    if attempt in _failed:
        raise ReferenceUnavailable(_failed[attempt])
    with cache_lock(f"build-{directory.name}"):
        if ready(stamp, done):
            return
        stamp.unlink(missing_ok=True)
        if before is not None:
            before()
        sys.stderr.write(f"conformance: building {what} in {shown(directory)} (first use, {duration})\n")
        sys.stderr.flush()
        environment = build_environment(os.environ)
        try:
            result = subprocess.run(
                list(command),
                cwd=directory,
                capture_output=True,
                text=True,
                errors="replace",
                timeout=timeout,
                env=environment,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise ReferenceUnavailable(f"building {what} took longer than {timeout:.0f} s") from None
        except OSError as exc:
            raise ReferenceUnavailable(
                f"building {what} failed to start: {exc.strerror or type(exc).__name__}"
            ) from None
        if result.returncode != 0 or not done():
            reason = summary(f"{result.stdout}\n{result.stderr}")
            _failed[attempt] = f"building {what} in {shown(directory)} failed: {reason}"
            raise ReferenceUnavailable(_failed[attempt])
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.touch()
