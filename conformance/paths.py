"""Where the project's non-Python parts live: the one place that tells a checkout from an installed copy.

* In a **checkout** (``vectors/`` and ``pyproject.toml`` beside the package) everything is used in place:
  ``vectors/``, ``java_ref/`` (built into ``java_ref/target``), ``node_ref/`` (``npm ci`` into its
  ``node_modules``).
* An **installed copy** reads the vectors shipped inside the package (``conformance/_vectors``), and unpacks the
  shipped Java and node sources (``conformance/_java_ref``, ``conformance/_node_ref``) into the user's cache,
  ``$XDG_CACHE_HOME/handoff-conformance/<version>/`` (default ``~/.cache/...``), where they are built on first use.

``$HANDOFF_VECTORS``, ``$HANDOFF_JAVA_REF`` and ``$HANDOFF_NODE_REF`` override the three locations.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent
#: Where a built wheel keeps the golden vectors and the data beside them (setup.py copies ``vectors/`` there).
PACKAGED_VECTORS = PACKAGE_DIR / "_vectors"
#: Where a built wheel keeps the Java reference's sources and poms, and the node reference's package files.
PACKAGED_JAVA_REF = PACKAGE_DIR / "_java_ref"
PACKAGED_NODE_REF = PACKAGE_DIR / "_node_ref"
PACKAGED_NODE_SDK_REF = PACKAGE_DIR / "_node_sdk_ref"
#: The Ruby reference's script in a built wheel (it needs no build, so it runs from there).
PACKAGED_RUBY_REF = PACKAGE_DIR / "_ruby_ref"
DISTRIBUTION = "handoff-conformance"
#: The file in an unpacked copy that records which packaged sources it was made from.
STAMP = ".packaged-sha256"


def _in_checkout() -> bool:
    return (REPO_ROOT / "vectors").is_dir() and (REPO_ROOT / "pyproject.toml").is_file()


def in_checkout() -> bool:
    """Whether this package runs from a source checkout (else it is an installed copy)."""
    return _in_checkout()


def vectors_dir() -> Path:
    """``$HANDOFF_VECTORS``, else the checkout's ``vectors/``, else the vectors shipped inside the package."""
    if "HANDOFF_VECTORS" in os.environ:
        return Path(os.environ["HANDOFF_VECTORS"])
    return data_dir()


def data_dir() -> Path:
    """The project's own data: the checkout's ``vectors/``, else its copy inside the package.

    Unlike :func:`vectors_dir` this ignores ``$HANDOFF_VECTORS``: the schemas, test keys and inputs the runtime
    needs always come from the project itself.
    """
    return REPO_ROOT / "vectors" if _in_checkout() else PACKAGED_VECTORS


def schemas_dir() -> Path:
    """The vector and op-argument JSON Schemas."""
    return data_dir() / "schemas"


def pgp_keys_dir() -> Path:
    """The committed OpenPGP TEST keys (never real ones)."""
    return data_dir() / "keys" / "pgp"


def rsa_keys_dir() -> Path:
    """The committed RSA TEST keys of the asymmetric JWS kinds (never real ones)."""
    return data_dir() / "keys" / "rsa"


def inputs_dir() -> Path:
    """Committed inputs that no generator can remake (messages sealed by randomized references)."""
    return data_dir() / "inputs"


# --- the references' sources: in place in a checkout, unpacked into the user's cache when installed ----------------


def package_version() -> str:
    """The installed distribution's version (``dev`` when it is not installed)."""
    import importlib.metadata

    try:
        return importlib.metadata.version(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return "dev"


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/handoff-conformance/<version>``; ``~/.cache`` when ``XDG_CACHE_HOME`` is unset or not an
    absolute path (as the XDG base directory specification says)."""
    configured = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(configured) if configured and os.path.isabs(configured) else Path.home() / ".cache"
    return base / DISTRIBUTION / package_version()


def java_ref_dir() -> Path:
    """``$HANDOFF_JAVA_REF``, else the checkout's ``java_ref/``, else the cache copy of the packaged sources.

    Raises :class:`~conformance.errors.ReferenceUnavailable` when the cache copy cannot be made.
    """
    if os.environ.get("HANDOFF_JAVA_REF"):
        return Path(os.environ["HANDOFF_JAVA_REF"])
    if _in_checkout():
        return REPO_ROOT / "java_ref"
    return unpacked(PACKAGED_JAVA_REF, "java_ref")


def node_ref_dir() -> Path:
    """``$HANDOFF_NODE_REF``, else the checkout's ``node_ref/``, else the cache copy of the packaged files.

    Raises :class:`~conformance.errors.ReferenceUnavailable` when the cache copy cannot be made.
    """
    if os.environ.get("HANDOFF_NODE_REF"):
        return Path(os.environ["HANDOFF_NODE_REF"])
    if _in_checkout():
        return REPO_ROOT / "node_ref"
    return unpacked(PACKAGED_NODE_REF, "node_ref")


def node_sdk_ref_dir() -> Path:
    """``$HANDOFF_NODE_SDK_REF``, else the checkout's ``node_sdk_ref/`` (the vendors' node SDKs), else the cache copy
    of the packaged files. Raises :class:`~conformance.errors.ReferenceUnavailable` when it cannot be made."""
    if os.environ.get("HANDOFF_NODE_SDK_REF"):
        return Path(os.environ["HANDOFF_NODE_SDK_REF"])
    if _in_checkout():
        return REPO_ROOT / "node_sdk_ref"
    return unpacked(PACKAGED_NODE_SDK_REF, "node_sdk_ref")


def ruby_ref_script() -> Path:
    """``$HANDOFF_RUBY_REF`` (a ``server.rb``), else the checkout's ``ruby_ref/server.rb``, else the packaged copy."""
    if os.environ.get("HANDOFF_RUBY_REF"):
        return Path(os.environ["HANDOFF_RUBY_REF"])
    if _in_checkout():
        return REPO_ROOT / "ruby_ref" / "server.rb"
    return PACKAGED_RUBY_REF / "server.rb"


def shown(path: Path) -> str:
    """``path`` for a message: the home folder as ``~``."""
    home = str(Path.home())
    text = str(path)
    return "~" + text[len(home) :] if home not in ("", "/") and text.startswith(home + os.sep) else text


@contextlib.contextmanager
def cache_lock(name: str) -> Iterator[None]:
    """An exclusive lock (between processes and threads) named ``name``, held in the cache folder. Where no lock
    file can be made (a read-only home, a system without ``fcntl``) the block runs unlocked."""
    try:
        import fcntl

        folder = cache_dir() / "locks"
        folder.mkdir(parents=True, exist_ok=True)
        handle = (folder / f"{name}.lock").open("a")
    except (ImportError, OSError):
        yield
        return
    with handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _digest(source: Path) -> str:
    """SHA-256 over the relative paths and contents of every file under ``source``."""
    digest = hashlib.sha256()
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        digest.update(path.relative_to(source).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


@cache
def unpacked(source: Path, name: str) -> Path:
    """The cache copy ``cache_dir()/name`` of the packaged folder ``source``, made on first use and made again (build
    outputs dropped) when the packaged files changed. Raises :class:`ReferenceUnavailable` when it cannot be made."""
    from conformance.errors import ReferenceUnavailable

    target = cache_dir() / name
    if not source.is_dir():
        raise ReferenceUnavailable(f"this installed copy does not hold {source.name} (reinstall handoff-conformance)")
    try:
        wanted = _digest(source)
        with cache_lock(name):
            stamp = target / STAMP
            if stamp.is_file() and stamp.read_text(encoding="ascii").strip() == wanted:
                return target
            fresh = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=target.parent))
            shutil.copytree(source, fresh, dirs_exist_ok=True)
            for path in fresh.rglob("*"):  # the installed files may be read-only; the copy is built in
                path.chmod(path.stat().st_mode | stat.S_IWUSR)
            (fresh / STAMP).write_text(wanted + "\n", encoding="ascii")
            if target.exists():
                shutil.rmtree(target)
            fresh.rename(target)
    except OSError as exc:
        raise ReferenceUnavailable(
            f"cannot unpack {name} into {shown(target)}: {exc.strerror or type(exc).__name__}"
        ) from None
    return target


def kind_of(path: Path) -> str:
    """``"file"``, ``"directory"``, ``"missing"`` or ``"other"`` (a FIFO, a device, a symlink loop, a name too long:
    anything that cannot be used as a file or folder). Never raises for a :class:`Path`."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "missing"
    except (OSError, ValueError):
        return "other"
    if stat.S_ISREG(mode):
        return "file"
    return "directory" if stat.S_ISDIR(mode) else "other"
