"""The vendors' Java SDK jars (``java_ref/sdks``): built with Maven on first use and added to the JVM's classpath by
:func:`conformance.references.java.classpath`; :mod:`conformance.references.java_sdks` calls them.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conformance.errors import ReferenceUnavailable
from conformance.paths import java_ref_dir, shown
from conformance.references.building import build, ready

ARTIFACT = re.compile(r"^(?P<artifact>.+?)-(?P<version>\d[^-]*(?:-[A-Za-z0-9.]+)?)\.jar$")


def project_dir() -> Path:
    return java_ref_dir() / "sdks"


def lib_dir() -> Path:
    return project_dir() / "target" / "lib"


def _built() -> bool:
    marker = lib_dir()
    if not marker.is_dir() or not any(marker.glob("twilio-*.jar")):
        return False
    return (project_dir() / "pom.xml").stat().st_mtime <= marker.stat().st_mtime


def ensure_built() -> Path:
    """Run ``mvn package`` in ``java_ref/sdks`` when its classpath is missing or older than its pom; return the lib
    folder. Raises :class:`ReferenceUnavailable` (one line) when Maven is missing or the build fails."""
    stamp = project_dir() / "target" / ".handoff-complete"
    if ready(stamp, _built):
        return lib_dir()
    mvn = shutil.which("mvn")
    if mvn is None:
        raise ReferenceUnavailable(f"Maven (mvn) is not installed: it fetches the Java SDKs in {shown(project_dir())}")
    command = [mvn, "-q", "-B", "-f", str(project_dir() / "pom.xml"), "package"]
    build(
        "the vendors' Java SDKs",
        project_dir(),
        command,
        done=_built,
        stamp=stamp,
        before=lambda: shutil.rmtree(lib_dir(), ignore_errors=True),
    )
    return lib_dir()


def artifact_of(jar: Path) -> str:
    found = ARTIFACT.match(jar.name)
    return found.group("artifact") if found else jar.stem


def jars(already: list[str]) -> list[str]:
    """The SDK jars to add after ``already`` (the Khoros reference's classpath): artifacts it lacks, sorted.
    Raises :class:`ReferenceUnavailable` when the SDKs cannot be built."""
    present = {artifact_of(Path(path)) for path in already}
    return [str(jar) for jar in sorted(ensure_built().glob("*.jar")) if artifact_of(jar) not in present]
