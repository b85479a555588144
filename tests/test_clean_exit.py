"""Clean exits (issue 18): a process with the JVM in it leaves signals to Python, so a SIGTERM (a Jupyter kernel
shut down, a terminated subprocess) never runs JPype's Java-thread handler, which called into a finalizing
interpreter and crashed the JVM (a fatal-error banner and an hs_err_pid*.log in the working directory)."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

from tests.conftest import require

STARTED = """
from conformance.references import java
java.start()
print(java.jclass("java.lang.String")("up"), flush=True)
"""


def _started(tmp_path: Path, tail: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-c", STARTED + tail],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "up"
    return process


def test_a_sigterm_ends_a_jvm_process_as_python_would(tmp_path: Path) -> None:
    """Python's default: killed by the signal (a JVM handler would have exited with 143 from a Java thread)."""
    require("java")
    process = _started(tmp_path, "import time\ntime.sleep(60)\n")
    process.send_signal(signal.SIGTERM)
    _, errors = process.communicate(timeout=60)
    assert process.returncode == -signal.SIGTERM, (process.returncode, errors[-500:])
    assert "fatal error" not in errors and not list(tmp_path.glob("hs_err_pid*.log"))


def test_a_sigint_is_pythons_keyboard_interrupt_and_the_jvm_goes_on(tmp_path: Path) -> None:
    """The process sends itself the SIGINT, so its whole output is read at the end (a ``readline`` first would let
    the pipe's buffer swallow what follows "up")."""
    require("java")
    tail = (
        "import os, signal, time\n"
        "try:\n    os.kill(os.getpid(), signal.SIGINT)\n    time.sleep(30)\n"
        "except KeyboardInterrupt:\n    print('interrupted', java.jclass('java.lang.String')('after'), flush=True)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", STARTED + tail], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
    )
    assert (done.returncode, done.stdout.split()) == (0, ["up", "interrupted", "after"]), done.stderr[-500:]
    assert not list(tmp_path.glob("hs_err_pid*.log"))
