"""First-use builds: a build's output is ready only when the build that made it finished (its stamp), so a process
never loads a jar whose libraries another process is still copying (a NoClassDefFoundError in a 2-worker run)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from conformance.errors import ReferenceUnavailable
from conformance.references.building import MAVEN_JVM_OPTIONS, build, build_environment, ready

# writes the "jar" at once and its "library" a second later, as Maven's package phase does
SLOW_BUILD = ["sh", "-c", "touch out.jar; sleep 1; touch lib.jar"]


def test_output_is_not_ready_while_its_build_runs(tmp_path: Path) -> None:
    stamp = tmp_path / "target" / ".complete"
    done = (tmp_path / "out.jar").exists
    worker = threading.Thread(
        target=build, args=("a slow build", tmp_path, SLOW_BUILD), kwargs={"done": done, "stamp": stamp}
    )
    worker.start()
    seen_mid_build = []
    while worker.is_alive():
        if done():
            seen_mid_build.append(ready(stamp, done))
        time.sleep(0.02)
    worker.join()
    assert seen_mid_build, "the jar appeared only after the build ended: the test saw nothing mid-build"
    assert not any(seen_mid_build), "ready while the library was still being written"
    assert (tmp_path / "lib.jar").exists() and ready(stamp, done)


def test_a_finished_build_is_not_run_again_and_a_failed_one_is_one_line(tmp_path: Path) -> None:
    stamp = tmp_path / ".complete"
    build("a build", tmp_path, ["sh", "-c", "echo x >> runs"], done=(tmp_path / "runs").exists, stamp=stamp)
    build("a build", tmp_path, ["sh", "-c", "echo x >> runs"], done=(tmp_path / "runs").exists, stamp=stamp)
    assert (tmp_path / "runs").read_text() == "x\n"
    with pytest.raises(ReferenceUnavailable) as raised:
        build(
            "a broken build",
            tmp_path,
            ["sh", "-c", "echo '[ERROR] no pom' >&2; exit 1"],
            done=lambda: False,
            stamp=tmp_path / ".b",
        )
    assert "\n" not in str(raised.value) and "no pom" in str(raised.value)
    assert not (tmp_path / ".b").exists()


def test_maven_gets_fast_start_up_options_and_the_users_own_win() -> None:
    """C1 only and the serial collector for Maven's short-lived JVM; the user's MAVEN_OPTS come after, so they win."""
    bare = build_environment({"PATH": "/bin"})
    assert bare["MAVEN_OPTS"] == MAVEN_JVM_OPTIONS and bare["NO_COLOR"] == "1" and bare["PATH"] == "/bin"
    mine = build_environment({"MAVEN_OPTS": " -XX:TieredStopAtLevel=4 -Dhttps.proxyHost=p "})
    assert mine["MAVEN_OPTS"] == f"{MAVEN_JVM_OPTIONS} -XX:TieredStopAtLevel=4 -Dhttps.proxyHost=p"
    assert mine["MAVEN_OPTS"].split().index("-XX:TieredStopAtLevel=4") > mine["MAVEN_OPTS"].split().index(
        "-XX:TieredStopAtLevel=1"
    )
