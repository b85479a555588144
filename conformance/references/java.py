"""The JPype bridge: the vendor's Java classes, in this process, beside the Python port.

One JVM per process, started with ``convertStrings=False`` and never shut down. Signals stay Python's
(``interrupt=False`` and ``-Xrs``): JPype's own SIGINT/SIGTERM handler calls back into Python from a Java thread, and
a SIGTERM that reaches a finalizing interpreter (a Jupyter kernel shut down, a subprocess terminated) crashed the
JVM in ``PyObject_RichCompare`` with a fatal-error banner and an ``hs_err_pid*.log`` in the working directory. Strings cross as UTF-16 code units
through a ``char[]`` (``dev.handoff.ref.JStrings``), so lone surrogates survive both ways. Java exceptions become
reason paths in the vocabulary of :mod:`conformance.errors`, so a failure on both sides is a comparable result.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from conformance.errors import ConformanceError, ReferenceUnavailable
from conformance.outcome import Outcome
from conformance.paths import java_ref_dir, shown
from conformance.references.building import build, ready

JAR_NAME = "handoff-java-ref.jar"
#: The platform charset matters: the vendor calls ``String.getBytes()`` without a charset. UTF-8 is the JDK 18+
#: default (JEP 400) and what the Python port assumes; see DEVIATIONS.md.
JVM_OPTIONS = ("-Dfile.encoding=UTF-8", "-Xss4m", "-Xrs")

_lock = threading.Lock()
_state: dict[str, object] = {"started": False}

#: Java exception class -> reason, most specific first (a subclass must come before its superclass).
_REASONS: tuple[tuple[str, str], ...] = (
    ("com.lithium.bandolier.encryption.errors.EncryptionException", "EncryptionError"),
    ("javax.crypto.AEADBadTagException", "BadTag"),
    ("javax.crypto.BadPaddingException", "BadPadding"),
    ("javax.crypto.IllegalBlockSizeException", "IllegalBlockSize"),
    ("java.security.InvalidKeyException", "InvalidKey"),
    ("java.security.InvalidAlgorithmParameterException", "InvalidAlgorithmParameter"),
    ("java.lang.NullPointerException", "NullArgument"),
    ("javax.crypto.ShortBufferException", "ShortBuffer"),
    ("java.security.ProviderException", "ProviderException"),
)


def jar_path() -> Path:
    return java_ref_dir() / "target" / JAR_NAME


def _sources_newer_than(jar: Path) -> bool:
    built = jar.stat().st_mtime
    sources = [*list((java_ref_dir() / "src").rglob("*.java")), java_ref_dir() / "pom.xml"]
    return any(path.stat().st_mtime > built for path in sources)


def _stamp() -> Path:
    return java_ref_dir() / "target" / ".handoff-complete"


def _built() -> bool:
    jar = jar_path()
    return jar.exists() and not _sources_newer_than(jar)


def ensure_built() -> Path:
    """Build ``java_ref`` with Maven when its jar is missing or older than its sources; return the jar's path.

    In an installed copy ``java_ref`` is the cache copy (:func:`conformance.paths.java_ref_dir`). Raises
    :class:`ReferenceUnavailable` (one line) when Maven is missing or the build fails.
    """
    jar = jar_path()
    if ready(_stamp(), _built):
        return jar
    mvn = shutil.which("mvn")
    if mvn is None:
        raise ReferenceUnavailable(
            f"Maven (mvn) is not installed: it builds the Java reference in {shown(java_ref_dir())} on first use"
        )
    command = [mvn, "-q", "-B", "-f", str(java_ref_dir() / "pom.xml"), "package", "-DskipTests"]
    build("the Java reference", java_ref_dir(), command, done=_built, stamp=_stamp())
    return jar


def classpath() -> list[str]:
    """The Khoros reference's jar and libraries, then the vendors' SDKs (:mod:`conformance.references.java_sdk_jars`):
    complete before the JVM starts. When the SDKs cannot be built the JVM starts without them (see
    :func:`sdk_problem`)."""
    from conformance.references import java_sdk_jars

    jar = ensure_built()
    own = [str(jar), *sorted(str(p) for p in (jar.parent / "lib").glob("*.jar"))]
    try:
        return own + java_sdk_jars.jars(own)
    except ReferenceUnavailable as exc:
        _state["sdks"] = str(exc)
        return own


def sdk_problem() -> str | None:
    """Why the vendors' Java SDKs are not on this JVM's classpath (``None`` when they are)."""
    return _state.get("sdks")  # type: ignore[return-value]


def start() -> None:
    """Start the JVM once for this process (idempotent). Raises :class:`ReferenceUnavailable` if it cannot."""
    with _lock:
        if _state["started"]:
            return
        try:
            import jpype
        except ImportError as exc:
            raise ReferenceUnavailable("JPype is not installed (pip install jpype1)") from exc
        if not jpype.isJVMStarted():
            if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
                raise ReferenceUnavailable("no Java runtime: install a JDK 17")
            try:
                jpype.startJVM(*JVM_OPTIONS, classpath=classpath(), convertStrings=False, interrupt=False)
            except OSError as exc:
                raise ReferenceUnavailable(f"the JVM did not start: {' '.join(str(exc).split())}") from exc
        _state["started"] = True


def available() -> str | None:
    """Return ``None`` when the Java reference can run here, else the reason it cannot."""
    try:
        start()
    except ReferenceUnavailable as exc:
        return str(exc)
    return None


def jclass(name: str) -> Any:
    start()
    import jpype

    return jpype.JClass(name)


def to_java_string(text: str) -> Any:
    """A ``java.lang.String`` with exactly the UTF-16 code units of ``text`` (lone surrogates included)."""
    import jpype

    units = text.encode("utf-16-be", "surrogatepass")
    return jclass("dev.handoff.ref.JStrings").fromUtf16be(jpype.JArray(jpype.JByte)(units))


def from_java_string(value: Any) -> str | None:
    """The Python ``str`` with exactly the Java string's code units; pairs combine, lone surrogates stay lone."""
    if value is None:
        return None
    units = bytes(jclass("dev.handoff.ref.JStrings").toUtf16be(value))
    return units.decode("utf-16-be", "surrogatepass")


def to_java_bytes(data: bytes | None) -> Any:
    import jpype

    return None if data is None else jpype.JArray(jpype.JByte)(data)


def from_java_bytes(value: Any) -> bytes | None:
    return None if value is None else bytes(value)


def reason_path(throwable: Any) -> str:
    """The reason path of a Java exception and its causes, e.g. ``EncryptionError/BadPadding``."""
    parts = []
    seen = 0
    while throwable is not None and seen < 8:
        parts.append(_reason_of(throwable))
        throwable = throwable.getCause()
        seen += 1
    return "/".join(parts)


def _reason_of(throwable: Any) -> str:
    import jpype

    for class_name, reason in _REASONS:
        if isinstance(throwable, jpype.JClass(class_name)):
            return reason
    if isinstance(throwable, jpype.JClass("java.lang.IllegalArgumentException")):
        message = str(throwable.getMessage() or "")
        if message == "Empty key":
            return "EmptyKey"
        if "base 64" in message.lower() or "base64" in message.lower():
            return "Base64Decoding"
        return "InvalidArgument"
    return f"Java:{throwable.getClass().getName()}"


def call(function: Callable[[], Any]) -> Outcome:
    """Run ``function`` (which calls into Java) and fold a thrown Java exception into an error outcome."""
    import jpype

    try:
        return Outcome.of_value(function())
    except ReferenceUnavailable as exc:
        return Outcome("unavailable", message=str(exc))
    except jpype.JException as exc:
        return Outcome.of_error(reason_path(exc), str(exc.getMessage() or exc.getClass().getName()))


def op_caller(function: Callable[[Mapping[str, Any]], Any]) -> Callable[[Mapping[str, Any]], Any]:
    """Adapt a Java-calling op to the :data:`conformance.outcome.OpFunction` contract (errors are raised)."""

    def run(args: Mapping[str, Any]) -> Any:
        outcome = call(lambda: function(args))
        if outcome.status == "value":
            return outcome.value
        if outcome.status == "unavailable":
            raise ReferenceUnavailable(outcome.message or "")
        raise JavaError(outcome.reason or "Java", outcome.message or "")

    return run


class JavaError(ConformanceError):
    """A Java exception, carried as the Java side's reason path so it compares with the Python side's."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path

    def reason_path(self) -> str:
        return self.path


def versions() -> dict[str, str]:
    """The exact versions behind the Java reference: JDK and the vendor's libraries, read from the running JVM."""
    system = jclass("java.lang.System")

    def implementation_version(class_name: str) -> str:
        package = jclass(class_name).class_.getPackage()
        version = package.getImplementationVersion() if package is not None else None
        return str(version) if version is not None else "unknown"

    return {
        "jdk": str(system.getProperty("java.version")),
        "jdkVendor": str(system.getProperty("java.vendor")),
        "commonsCodec": implementation_version("org.apache.commons.codec.binary.Base64"),
        "guava": _jar_version("guava"),
        "fileEncoding": str(system.getProperty("file.encoding")),
    }


def _jar_version(artifact: str) -> str:
    for path in (jar_path().parent / "lib").glob(f"{artifact}-*.jar"):
        return path.stem[len(artifact) + 1 :]
    return "unknown"
