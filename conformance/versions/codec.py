"""commons-codec versions for the Khoros reference: fetching the jars with Maven, and one JVM per version.

The vendor decodes keys, IVs and ciphertext with commons-codec's ``Base64``, whose policy changed over time
(``java_ref/PROVENANCE.md``). Each version runs the project's ``dev.handoff.ref.KhorosJsonLines`` program in its
own JVM subprocess whose classpath holds exactly that commons-codec jar; the hello line's runtime-read version is
checked against the request, so versions never mix.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from conformance.contract import JsonLinesImplementation
from conformance.errors import ReferenceFailure, ReferenceUnavailable, UsageError
from conformance.jsonlines import JsonLinesProcess
from conformance.paths import java_ref_dir
from conformance.references import java

#: Before the strict decoder, the strict one, the pinned one, the latest release.
CODEC_VERSIONS: tuple[str, ...] = ("1.10", "1.13", "1.14", "1.22.1", "1.23.0")
CODEC_METADATA_URL = "https://repo.maven.apache.org/maven2/commons-codec/commons-codec/maven-metadata.xml"
#: The pinned Maven plugin that copies one artifact (the same version java_ref/pom.xml uses).
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
KHOROS_MAIN_CLASS = "dev.handoff.ref.KhorosJsonLines"
#: What a Maven version string may hold (checked before anything is fetched).
MAVEN_VERSION = re.compile(r"[0-9][0-9A-Za-z.\-]*")


def pinned_codec_version() -> str:
    """The commons-codec version java_ref/pom.xml pins (the one the vectors were made with)."""
    try:
        pom = (java_ref_dir() / "pom.xml").read_text(encoding="utf-8")
    except OSError as exc:
        raise ReferenceUnavailable(f"java_ref/pom.xml cannot be read ({type(exc).__name__})") from None
    match = re.search(r"<commons-codec\.version>([^<]+)</commons-codec\.version>", pom)
    if match is None:
        raise ReferenceUnavailable("java_ref/pom.xml pins no commons-codec.version")
    return match.group(1).strip()


def codec_dir(version: str) -> Path:
    return java_ref_dir() / "target" / f"codec-{version}"


def codec_jar(version: str) -> Path:
    return codec_dir(version) / f"commons-codec-{version}.jar"


def fetch_codec(version: str) -> Path:
    """Copy ``commons-codec:commons-codec:<version>`` into ``java_ref/target/codec-<version>/`` with Maven.

    Returns the jar's path (at once when it is already there). Raises :class:`UsageError` for a string that is not
    a Maven version and :class:`ReferenceUnavailable` when Maven is missing or cannot resolve the artifact.
    """
    if not MAVEN_VERSION.fullmatch(version):
        raise UsageError(f"not a Maven version: {version!r}")
    jar = codec_jar(version)
    if jar.is_file():
        return jar
    mvn = shutil.which("mvn")
    if mvn is None:
        raise ReferenceUnavailable(
            f"Maven (mvn) is not installed: the reference-version matrix fetches commons-codec {version} into "
            f"{codec_dir(version)} (install Maven, or put commons-codec-{version}.jar there by hand)"
        )
    codec_dir(version).mkdir(parents=True, exist_ok=True)
    command = [
        mvn,
        "-q",
        "-B",
        f"{DEPENDENCY_PLUGIN}:copy",
        f"-Dartifact=commons-codec:commons-codec:{version}:jar",
        f"-DoutputDirectory={codec_dir(version)}",
    ]
    result = subprocess.run(command, cwd=codec_dir(version), capture_output=True, text=True, check=False)
    if result.returncode != 0 or not jar.is_file():
        tail = " ".join(f"{result.stdout[-300:]} {result.stderr[-300:]}".split())
        raise ReferenceUnavailable(f"Maven could not fetch commons-codec {version}: {tail}")
    return jar


def latest_codec_version(metadata_xml: str | None = None) -> str:
    """The newest commons-codec release on Maven Central, from its ``maven-metadata.xml``.

    The metadata's own ``<latest>``/``<release>`` name ``20041127.091804``, an ancient date-stamped upload, so the
    newest is computed from the ``<version>`` list instead (plain ``major.minor[.patch]`` versions only).
    Raises :class:`ReferenceUnavailable` when the metadata cannot be read or lists no release.
    """
    if metadata_xml is None:
        try:
            with urllib.request.urlopen(CODEC_METADATA_URL, timeout=30) as response:
                metadata_xml = response.read().decode("utf-8")
        except OSError as exc:
            raise ReferenceUnavailable(f"Maven Central cannot be read ({type(exc).__name__})") from None
    try:
        root = ElementTree.fromstring(metadata_xml)
    except ElementTree.ParseError:
        raise ReferenceUnavailable("maven-metadata.xml is not XML") from None
    versions = [
        text
        for text in (node.text or "" for node in root.iter("version"))
        if re.fullmatch(r"\d{1,3}\.\d+(\.\d+)?", text)
    ]
    if not versions:
        raise ReferenceUnavailable("maven-metadata.xml lists no release versions")
    return max(versions, key=version_key)


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else -1 for part in re.split(r"[.\-]", version))


def java_executable() -> str:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").is_file():
        return str(Path(home) / "bin" / "java")
    found = shutil.which("java")
    if found is None:
        raise ReferenceUnavailable("no Java runtime: install a JDK 17")
    return found


def codec_classpath(version: str) -> list[str]:
    """The vendor classes and their libraries, with java_ref's pinned commons-codec swapped for ``version``'s."""
    main_jar = java.ensure_built()
    libraries = sorted(p for p in (main_jar.parent / "lib").glob("*.jar") if not p.name.startswith("commons-codec-"))
    jar = codec_jar(version)
    if not jar.is_file():
        raise ReferenceUnavailable(f"commons-codec {version} has not been fetched (see fetch_codec)")
    return [str(main_jar), str(jar), *(str(p) for p in libraries)]


class CodecProcess(JsonLinesProcess):
    """The Khoros JSON-lines program in a JVM whose classpath holds commons-codec ``version`` and no other."""

    def __init__(self, version: str, timeout: float = 60.0, classpath: Sequence[str] | None = None) -> None:
        argv = [
            java_executable(),
            *java.JVM_OPTIONS,
            "-cp",
            os.pathsep.join(classpath if classpath is not None else codec_classpath(version)),
            KHOROS_MAIN_CLASS,
        ]
        super().__init__(argv, timeout=timeout, name=f"java-khoros[commons-codec {version}]")
        self.version = version

    def _spawn(self) -> dict[str, Any]:
        hello = super()._spawn()
        found = hello.get("versions", {})
        expected_jar = f"commons-codec-{self.version}.jar"
        if found.get("commonsCodec") != self.version or found.get("commonsCodecJar") != expected_jar:
            self._release()
            raise ReferenceFailure(
                f"{self.name}: the JVM loaded commons-codec {found.get('commonsCodec')} from "
                f"{found.get('commonsCodecJar')}, not {self.version}: the classpath mixes versions"
            )
        return hello


def codec_implementation(version: str) -> JsonLinesImplementation:
    """The vendor's Khoros Java under commons-codec ``version``, as an implementation of the contract."""
    process = CodecProcess(version)
    return JsonLinesImplementation(f"java[commons-codec {version}]", lambda: process)


def codec_available() -> str | None:
    """``None`` when the commons-codec matrix can run here (a JDK, and Maven or the jars already fetched)."""
    try:
        java_executable()
        java.ensure_built()
    except ReferenceUnavailable as exc:
        return str(exc)
    missing = [v for v in CODEC_VERSIONS if not codec_jar(v).is_file()]
    if missing and shutil.which("mvn") is None:
        return f"Maven (mvn) is not installed, and commons-codec {', '.join(missing)} are not in java_ref/target/"
    return None


def prepare_codec(version: str) -> None:
    java.ensure_built()
    fetch_codec(version)


def pinned_or_default() -> str:
    try:
        return pinned_codec_version()
    except ReferenceUnavailable:
        return "1.22.1"
