"""BouncyCastle (bcpg/bcprov) as BoldChat PGP references, through JPype, one class loader per version.

``java_ref/bcpg`` holds the project's own small helper (``dev.handoff.bcpg.BoldChatPgp``: encrypt+sign and
decrypt+verify with BouncyCastle's lightweight API), built once per BouncyCastle version into its own folder:
``target/bc150`` (bcpg/bcprov-jdk15on 1.50, the version named by the document's sample) and ``target/bc-current``
(bcpg/bcprov-jdk18on, the current release). Each build is loaded into the process's single JVM
(:mod:`conformance.references.java`) through its own ``URLClassLoader`` whose parent is the platform class loader,
so the two versions never share a class, and neither sees the ``java_ref`` classpath. No JCE provider is registered.

This module holds the shared logic and is the bridge of both flavors (``registry.bridge("bc-current")``: the
benchmark's :func:`rsa_private_operations_per_second`).
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from conformance.arguments import encode_utf8
from conformance.errors import InvalidArgument, ReferenceUnavailable
from conformance.paths import java_ref_dir, shown
from conformance.primitives.pgp_params import check_compression, decode_plaintext, encoded_params
from conformance.references import java
from conformance.references.building import build, ready

HELPER_CLASS = "dev.handoff.bcpg.BoldChatPgp"
JAR_NAME = "handoff-bcpg.jar"
#: flavor (Maven profile and target folder) -> the bcpg artifact whose version it reports
FLAVORS = {"bc150": "bcpg-jdk15on", "bc-current": "bcpg-jdk18on"}

_lock = threading.Lock()
_helpers: dict[str, Any] = {}


def project_dir() -> Path:
    return java_ref_dir() / "bcpg"


def target_dir(flavor: str) -> Path:
    return project_dir() / "target" / flavor


def build_command(flavor: str) -> list[str]:
    """The Maven command that builds one flavor (what the build wiring runs for both)."""
    return ["mvn", "-q", "-B", "-f", str(project_dir() / "pom.xml"), "-P", flavor, "package"]


def _stale(jar: Path) -> bool:
    if not jar.exists():
        return True
    built = jar.stat().st_mtime
    sources = [*project_dir().joinpath("src").rglob("*.java"), project_dir() / "pom.xml"]
    return any(path.stat().st_mtime > built for path in sources)


def ensure_built(flavor: str) -> Path:
    """Build ``flavor`` with Maven when its jar is missing or stale; return its target folder.

    Raises :class:`ReferenceUnavailable` (one line) when Maven is missing or the build fails.
    """
    target = target_dir(flavor)
    stamp = target / ".handoff-complete"
    if ready(stamp, lambda: not _stale(target / JAR_NAME)):
        return target
    if shutil.which("mvn") is None:
        raise ReferenceUnavailable(
            f"Maven (mvn) is not installed: it builds the BouncyCastle helper ({flavor}) in {shown(project_dir())} "
            "on first use"
        )
    build(
        f"the BouncyCastle helper ({flavor})",
        project_dir(),
        build_command(flavor),
        done=lambda: not _stale(target / JAR_NAME),
        stamp=stamp,
        duration="about half a minute",
    )
    return target


def jars(flavor: str) -> list[Path]:
    target = ensure_built(flavor)
    return [target / JAR_NAME, *sorted((target / "lib").glob("*.jar"))]


def helper(flavor: str) -> Any:
    """The helper class of ``flavor``, loaded once into its own ``URLClassLoader``."""
    with _lock:
        if flavor in _helpers:
            return _helpers[flavor]
        import jpype

        java.start()
        file_class = jpype.JClass("java.io.File")
        urls = jpype.JArray(jpype.JClass("java.net.URL"))([file_class(str(p)).toURI().toURL() for p in jars(flavor)])
        parent = jpype.JClass("java.lang.ClassLoader").getPlatformClassLoader()
        loader = jpype.JClass("java.net.URLClassLoader")(urls, parent)
        _helpers[flavor] = jpype.JClass(HELPER_CLASS, loader=loader)
        return _helpers[flavor]


def versions(flavor: str) -> dict[str, str]:
    """The exact versions behind ``flavor``: JDK and the bcpg/bcprov jars in its own lib folder."""
    found = {"jdk": str(java.jclass("java.lang.System").getProperty("java.version"))}
    for path in sorted((target_dir(flavor) / "lib").glob("*.jar")):
        artifact, _, version = path.stem.rpartition("-")
        found[artifact] = version
    return found


def bc_version(flavor: str) -> str:
    return versions(flavor).get(FLAVORS[flavor], "unknown")


def make_available(flavor: str) -> Callable[[], str | None]:
    def available() -> str | None:
        problem = java.available()
        if problem is not None:
            return problem
        try:
            helper(flavor)
        except ReferenceUnavailable as exc:
            return str(exc)
        except Exception as exc:  # a JVM-side failure to load the helper
            return f"the BouncyCastle helper ({flavor}) did not load: {type(exc).__name__}"
        return None

    return available


def _answer(result: Any) -> str:
    parts = [java.from_java_string(part) or "" for part in result]
    if parts[0] == "ok":
        return parts[1]
    raise java.JavaError(parts[1], parts[2])


def _string(args: Mapping[str, Any], name: str) -> str:
    value = args[name]
    if not isinstance(value, str):
        raise InvalidArgument(f"{name} must be a string")
    return value


def _text(args: Mapping[str, Any], name: str) -> Any:
    return java.to_java_string(_string(args, name))


def _key(args: Mapping[str, Any], name: str) -> Any:
    """The Java string of an armored key argument, kept (:func:`_java_key`)."""
    return _java_key(_string(args, name))


@lru_cache(maxsize=64)
def _java_key(text: str) -> Any:
    """A Java string is immutable and a campaign sends a few keys thousands of times: each is converted once, and
    the helper finds its parsed key ring by the same string."""
    return java.to_java_string(text)


def make_ops(flavor: str) -> dict[str, Callable[[Mapping[str, Any]], Any]]:
    """``boldchat.pgp.seal`` and ``boldchat.pgp.open`` answered by ``flavor``'s BouncyCastle."""

    def seal(args: Mapping[str, Any]) -> str:
        compression = check_compression(args.get("compression", "default"))
        plain = encode_utf8(encoded_params(args["params"]), "params")
        return _answer(
            helper(flavor).seal(
                java.to_java_bytes(plain),
                _key(args, "serverPublicKey"),
                _key(args, "signingPrivateKey"),
                java.to_java_string(compression),
            )
        )

    def open_(args: Mapping[str, Any]) -> str:
        plain_hex = _answer(
            helper(flavor).open(_text(args, "message"), _key(args, "serverPrivateKey"), _key(args, "signerPublicKey"))
        )
        return decode_plaintext(bytes.fromhex(plain_hex))

    return {"boldchat.pgp.seal": java.op_caller(seal), "boldchat.pgp.open": java.op_caller(open_)}


def rsa_private_operations_per_second(flavor: str, key: Any, sealed: bytes, seconds: float = 2.0) -> float:
    """RSA-2048 private-key operations a CPU-second of one core with ``flavor``'s BouncyCastle (the thread's CPU
    time over about ``seconds``, so other work on the machine does not count), done as its OpenPGP session-key
    decryption does them (PKCS#1 v1.5 on the blinded RSA engine): ``key`` is a ``cryptography`` RSA private key,
    ``sealed`` a PKCS#1 v1.5 block encrypted to it. Raises :class:`ReferenceUnavailable`."""
    import jpype

    loader = helper(flavor).class_.getClassLoader()

    def bc(name: str) -> Any:
        return jpype.JClass(f"org.bouncycastle.crypto.{name}", loader=loader)

    numbers = key.private_numbers()
    big = jpype.JClass("java.math.BigInteger")
    values = [
        numbers.public_numbers.n,
        numbers.public_numbers.e,
        numbers.d,
        numbers.p,
        numbers.q,
        numbers.dmp1,
        numbers.dmq1,
        numbers.iqmp,
    ]
    private = bc("params.RSAPrivateCrtKeyParameters")(*(big(str(value)) for value in values))
    engine = bc("encodings.PKCS1Encoding")(bc("engines.RSABlindedEngine")())
    engine.init(False, private)
    block = java.to_java_bytes(sealed)
    for _ in range(200):  # warm up the JIT
        engine.processBlock(block, 0, len(sealed))
    count, started, cpu = 0, time.perf_counter(), time.thread_time()
    while time.perf_counter() - started < seconds:
        for _ in range(10):
            engine.processBlock(block, 0, len(sealed))
        count += 10
    return count / max(time.thread_time() - cpu, 1e-9)
