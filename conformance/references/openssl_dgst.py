"""An independent SHA-512 for the BoldChat SHA-512 method: OpenSSL's ``openssl dgst -sha512``, as a subprocess.

One call hashes one message through stdin (about 5 ms); :func:`sha512_hex_many` hashes a whole batch with one
``openssl dgst`` over in-memory files (a temporary folder where Linux memfd is missing), which is what the
differential tests use.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from conformance.errors import (
    ConformanceError,
    InvalidArgument,
    ParameterError,
    ReferenceFailure,
    ReferenceUnavailable,
    UnsupportedOperation,
)
from conformance.outcome import Outcome

#: Files per ``openssl dgst`` invocation (keeps the command line short).
BATCH = 400


@cache
def _probe() -> tuple[str | None, str]:
    """(problem or None, version string)."""
    binary = shutil.which("openssl")
    if binary is None:
        return "the openssl command is not installed", ""
    try:
        version = subprocess.run([binary, "version"], capture_output=True, text=True, check=True, timeout=30)
        check = subprocess.run(
            [binary, "dgst", "-sha512", "-r"], input=b"abc", capture_output=True, check=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return f"openssl does not run: {type(exc).__name__}", ""
    if not check.stdout.startswith(b"ddaf35a193617aba"):
        return "openssl dgst -sha512 gives an unexpected answer for 'abc'", ""
    return None, version.stdout.strip()


def available() -> str | None:
    return _probe()[0]


def versions() -> dict[str, str]:
    """The exact OpenSSL version, for a vector group's ``source``."""
    problem, version = _probe()
    if problem:
        raise ReferenceUnavailable(problem)
    return {"openssl": version}


def _openssl() -> str:
    problem = available()
    if problem:
        raise ReferenceUnavailable(problem)
    return shutil.which("openssl") or "openssl"


def _parse(line: str) -> str:
    digest = line.split(" ", 1)[0]
    if len(digest) != 128:
        raise ReferenceFailure("openssl dgst answered a line that is not a SHA-512 digest")
    return digest.lower()


def sha512_hex(message: bytes) -> str:
    """Lowercase hex SHA-512 of ``message``, computed by ``openssl dgst -sha512``."""
    try:
        result = subprocess.run(
            [_openssl(), "dgst", "-sha512", "-r"], input=message, capture_output=True, check=True, timeout=60
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise ReferenceFailure(f"openssl dgst failed: {type(exc).__name__}") from None
    return _parse(result.stdout.decode("ascii"))


def sha512_hex_many(messages: Sequence[bytes]) -> list[str]:
    """Lowercase hex SHA-512 of each message, with one ``openssl dgst`` per :data:`BATCH` messages. Raises
    :class:`ReferenceFailure` when openssl fails or answers another number of digests."""
    digests: list[str] = []
    for start in range(0, len(messages), BATCH):
        chunk = messages[start : start + BATCH]
        with _message_files(chunk) as (names, directory, descriptors):
            try:
                result = subprocess.run(
                    [_openssl(), "dgst", "-sha512", "-r", *names],
                    cwd=directory,
                    pass_fds=descriptors,
                    capture_output=True,
                    check=True,
                    timeout=120,
                )
            except (OSError, subprocess.SubprocessError) as exc:
                raise ReferenceFailure(f"openssl dgst failed: {type(exc).__name__}") from None
        lines = result.stdout.decode("ascii").splitlines()
        if len(lines) != len(chunk):
            raise ReferenceFailure("openssl dgst answered a different number of digests than files")
        digests.extend(_parse(line) for line in lines)
    return digests


@contextlib.contextmanager
def _message_files(messages: Sequence[bytes]) -> Iterator[tuple[list[str], str | None, tuple[int, ...]]]:
    """Each message as a file openssl opens by name: yields (names, the folder they are in, descriptors to pass).

    On Linux, in-memory files (``memfd_create``) named ``/dev/fd/N`` in the child, passed to it: creating thousands
    of files in a temporary folder cost up to 0.7 ms each on a busy disk. Elsewhere, files in a temporary folder."""
    if _memfd_works():
        descriptors: list[int] = []
        try:
            for message in messages:
                descriptor = os.memfd_create("handoff-dgst")
                descriptors.append(descriptor)
                _write_all(descriptor, message)
            yield [f"/dev/fd/{descriptor}" for descriptor in descriptors], None, tuple(descriptors)
        finally:
            for descriptor in descriptors:
                os.close(descriptor)
        return
    with tempfile.TemporaryDirectory(prefix="handoff-openssl-") as directory:
        names = []
        for offset, message in enumerate(messages):
            (Path(directory) / f"m{offset}").write_bytes(message)
            names.append(f"m{offset}")
        yield names, directory, ()


def _write_all(descriptor: int, message: bytes) -> None:
    view = memoryview(message)
    while view:
        view = view[os.write(descriptor, view) :]


@cache
def _memfd_works() -> bool:
    """Whether openssl can read an in-memory file passed to it as ``/dev/fd/N`` (Linux with ``memfd_create``)."""
    if not hasattr(os, "memfd_create") or not Path("/dev/fd").is_dir():
        return False
    try:
        with _memfd_probe() as descriptor:
            check = subprocess.run(
                [_openssl(), "dgst", "-sha512", "-r", f"/dev/fd/{descriptor}"],
                pass_fds=(descriptor,),
                capture_output=True,
                check=False,
                timeout=30,
            )
    except (OSError, subprocess.SubprocessError, ReferenceUnavailable):
        return False
    return check.returncode == 0 and check.stdout.startswith(b"ddaf35a193617aba")


@contextlib.contextmanager
def _memfd_probe() -> Iterator[int]:
    descriptor = os.memfd_create("handoff-dgst")
    try:
        os.write(descriptor, b"abc")
        yield descriptor
    finally:
        os.close(descriptor)


def message_bytes(encoded: str, hashing_key: str) -> bytes:
    """The bytes BoldChat hashes: the hashing key, then the encoded data, as UTF-8. An empty key is hashed, as
    ``openssl dgst`` hashes it (the Python port refuses it: DEVIATIONS.md)."""
    if not isinstance(encoded, str) or not isinstance(hashing_key, str):
        raise InvalidArgument("encoded and hashingKey must be strings")
    # Text with a lone surrogate has no UTF-8 form and never reaches OpenSSL: refused as the port refuses it.
    try:
        key = hashing_key.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidArgument("the hashing key is not encodable as UTF-8") from None
    try:
        return key + encoded.encode("utf-8")
    except UnicodeEncodeError:
        raise ParameterError("the encoded parameters are not encodable as UTF-8") from None


def secure_many(items: Sequence[tuple[str, str]]) -> list[str]:
    """``SecureParameters`` for each ``(encoded, hashing_key)``, hashed in batches by OpenSSL."""
    digests = sha512_hex_many([message_bytes(encoded, key) for encoded, key in items])
    return [digest.upper() + encoded for digest, (encoded, _) in zip(digests, items, strict=True)]


def _secure(args: Mapping[str, Any]) -> str:
    if "encoded" not in args:
        raise UnsupportedOperation("the openssl reference hashes already-encoded parameters only")
    encoded = args["encoded"]
    return sha512_hex(message_bytes(encoded, args["hashingKey"])).upper() + encoded


OPS = {"boldchat.sha512.secure": _secure}


def secure_batch(calls: Sequence[Mapping[str, Any]]) -> list[Outcome]:
    """``boldchat.sha512.secure`` for many calls with one ``openssl dgst`` per :data:`BATCH` messages."""
    answers: list[Outcome | None] = [None] * len(calls)
    hashable: list[tuple[int, str, bytes]] = []
    for index, args in enumerate(calls):
        if "encoded" not in args:
            answers[index] = Outcome("unsupported", message="the openssl reference hashes encoded parameters only")
            continue
        try:
            hashable.append((index, args["encoded"], message_bytes(args["encoded"], args["hashingKey"])))
        except ConformanceError as exc:
            answers[index] = Outcome.of_error(exc.reason_path(), str(exc))
    try:
        digests = sha512_hex_many([message for _, _, message in hashable])
    except ReferenceFailure as exc:
        digests = None
        failure = Outcome("io", message=str(exc))
    for position, (index, encoded, _) in enumerate(hashable):
        answers[index] = failure if digests is None else Outcome.of_value(digests[position].upper() + encoded)
    return [answer for answer in answers if answer is not None]
