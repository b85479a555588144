"""A reference or adapter in another runtime, spoken to as a subprocess over JSON lines (one process per run).

Protocol (documented in ``docs/adapter-protocol.md``):

* the process starts by writing ``{"hello": {"name": ..., "ops": [...], "versions": {...}}}`` on one line; the
  hello may also list ``"kinds": [...]``, op kinds (:mod:`conformance.kinds`) it implements: it then supports every
  catalog op of those kinds;
* the harness writes ``{"id": N, "op": "...", "args": {...}}`` lines (with ``"kind"`` and ``"params"`` too for an
  op of a kind, so a server implements a kind once and dispatches on it) and reads back, in any order,
  ``{"id": N, "ok": value}`` or ``{"id": N, "error": {"reason": "...", "message": "..."}}``;
* end of stdin means "exit".

Calls are pipelined: at most :data:`WINDOW` are unanswered at once, and the timeout bounds the wait for the next
answer (from the moment the oldest unanswered call was handed to the process, or from the previous answer). When
the process dies or the timeout passes, the oldest unanswered call, the one it failed on, becomes an ``io``
outcome; every other unanswered call is retried in a fresh process (:attr:`JsonLinesProcess.restarts` counts
them), so one crash loses one answer and never stops a run. A process that cannot start, or says
no hello within the timeout, makes every call *unavailable* until :meth:`JsonLinesProcess.close`. Lines that are not
JSON are ignored and kept (the last few) in :attr:`JsonLinesProcess.garbage`, and quoted in ``io`` messages.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import threading
import time
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from conformance import catalog
from conformance.errors import ConformanceError, ReferenceFailure, ReferenceUnavailable
from conformance.outcome import OpFunction, Outcome

DEFAULT_TIMEOUT = 30.0
#: At most this many calls are unanswered at once (the rest wait to be sent).
WINDOW = 64
#: Restarts in a row that answer nothing before the remaining calls are given up as io.
MAX_IDLE_ROUNDS = 3
#: How many garbage lines and stderr lines are kept for messages.
_KEEP = 20
_EOF = object()
_TIMEOUT = object()


class RemoteError(ConformanceError):
    """An error the other runtime answered with; its reason path is the remote's own."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path

    def reason_path(self) -> str:
        return self.path


class JsonLinesProcess:
    """One long-lived subprocess speaking the JSON-lines protocol. Thread-safe; batches calls.

    ``timeout`` bounds the wait for the hello line, and for each answer of a batch (counted from the previous
    answer, or from sending the batch), so a batch of any size survives as long as answers keep coming.
    """

    def __init__(
        self,
        argv: Sequence[str],
        *,
        cwd: Path | None = None,
        env: Mapping[str, str] | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        name: str | None = None,
    ) -> None:
        self.argv = list(argv)
        self.cwd = cwd
        self.env = dict(env) if env is not None else None
        self.timeout = timeout
        self.name = name or Path(self.argv[0]).name
        self.hello: dict[str, Any] = {}
        #: The last few lines the process wrote to stdout that were not JSON (ignored, kept for diagnosis).
        self.garbage: deque[str] = deque(maxlen=_KEEP)
        self.restarts = 0
        self._process: subprocess.Popen[str] | None = None
        self._lines: queue.Queue[object] = queue.Queue()
        self._stderr: deque[str] = deque(maxlen=_KEEP)
        self._stderr_thread: threading.Thread | None = None
        self._unavailable: str | None = None
        self._lock = threading.Lock()
        self._next_id = 1
        self._outbox: queue.Queue[tuple[subprocess.Popen[str], list[tuple[int, str]]]] = queue.Queue()
        threading.Thread(target=self._writer, args=(self._outbox,), daemon=True).start()

    # --- lifecycle ------------------------------------------------------------------------------------------------

    def start(self) -> dict[str, Any]:
        """Start the process if needed and return its hello. Raises :class:`ReferenceUnavailable`."""
        with self._lock:
            return self._ensure_started()

    def _ensure_started(self) -> dict[str, Any]:
        if self._unavailable is not None:
            raise ReferenceUnavailable(self._unavailable)
        if self._process is not None and self._process.poll() is None:
            return self.hello
        if self._process is not None:
            self.restarts += 1
            self._release()
        try:
            self.hello = self._spawn()
        except ReferenceUnavailable as exc:
            self._unavailable = str(exc)
            raise
        return self.hello

    def _spawn(self) -> dict[str, Any]:
        env = {**os.environ, **(self.env or {})}
        try:
            self._process = subprocess.Popen(
                self.argv,
                cwd=self.cwd,
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                errors="surrogateescape",
                bufsize=1,
            )
        except OSError as exc:
            self._process = None
            raise ReferenceUnavailable(f"{self.name}: cannot start {self.argv[0]}: {exc}") from exc
        self._lines = queue.Queue()
        self._stderr = deque(maxlen=_KEEP)
        threading.Thread(target=self._pump, args=(self._process, self._lines), daemon=True).start()
        self._stderr_thread = threading.Thread(
            target=self._drain_stderr, args=(self._process, self._stderr), daemon=True
        )
        self._stderr_thread.start()
        hello, problem = self._read_hello()
        if hello is None:
            self._kill()
            detail = self._diagnosis()
            raise ReferenceUnavailable(f"{self.name}: {problem} from {' '.join(self.argv)}{detail}")
        return hello

    def _read_hello(self) -> tuple[dict[str, Any] | None, str]:
        """Wait for the hello line, skipping lines that are not JSON; return it, or ``None`` and why not."""
        deadline = time.monotonic() + self.timeout
        while True:
            message = self._read_line(max(0.0, deadline - time.monotonic()))
            if message is _TIMEOUT:
                return None, f"no hello line within {self.timeout:g}s"
            if message is _EOF:
                return None, "no hello line (the process exited)"
            if isinstance(message, _Garbage):
                continue
            hello = message.get("hello") if isinstance(message, dict) else None
            if not isinstance(hello, dict):
                return None, f"the first message is not a hello: {json.dumps(message)[:200]}"
            ops = hello.get("ops", [])
            if not isinstance(ops, list) or not all(isinstance(op, str) for op in ops):
                return None, "the hello's ops must be a list of op names"
            if not isinstance(hello.get("versions", {}), dict):
                return None, "the hello's versions must be an object"
            return hello, ""

    def _pump(self, process: subprocess.Popen[str], lines: queue.Queue[object]) -> None:
        assert process.stdout is not None
        try:
            for raw in process.stdout:
                text = raw.strip()
                if not text:
                    continue
                try:
                    lines.put(strict_loads(text))
                except (ValueError, RecursionError):
                    self.garbage.append(text[:200])
                    lines.put(_Broken(text) if text.startswith("{") else _Garbage(text[:200]))
        except (OSError, ValueError):  # the pipe was closed under us by close() or a kill
            pass
        lines.put(_EOF)
        # Reap it once it ends: an unreaped child stays a zombie, and a Jupyter kernel's shutdown, which waits
        # until it has no child process left, waited 2.5 s for it and then was terminated.
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            process.wait()

    @staticmethod
    def _drain_stderr(process: subprocess.Popen[str], sink: deque[str]) -> None:
        assert process.stderr is not None
        try:
            for line in process.stderr:
                sink.append(line)
        except (OSError, ValueError):
            pass

    def _read_line(self, timeout: float) -> object:
        try:
            return self._lines.get(timeout=timeout)
        except queue.Empty:
            return _TIMEOUT

    def _diagnosis(self) -> str:
        """The tail of stderr and the last garbage line, for messages (never the requests' arguments)."""
        parts = []
        stderr = "".join(self._stderr).strip()
        if stderr:
            parts.append(f"stderr: {stderr[-600:]}")
        if self.garbage:
            parts.append(f"last non-JSON line: {self.garbage[-1]}")
        return ("; " + "; ".join(parts)) if parts else ""

    def _kill(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
        if self._process is not None:
            self._process.wait()

    def _release(self) -> None:
        """Kill the process if it still runs and close its pipes."""
        process = self._process
        if process is None:
            return
        self._kill()
        for stream in (process.stdin, process.stdout, process.stderr):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        self._process = None

    def close(self) -> None:
        """End the process (end of stdin, then a kill after 5 s) and forget a sticky *unavailable*."""
        with self._lock:
            process = self._process
            if process is not None and process.poll() is None:
                with contextlib.suppress(OSError, subprocess.TimeoutExpired):
                    assert process.stdin is not None
                    process.stdin.close()
                    process.wait(timeout=5)
            self._release()
            self._unavailable = None

    def ops(self) -> set[str]:
        """The ops the hello lists. Raises :class:`ReferenceUnavailable`."""
        return set(self.start().get("ops", []))

    # --- calls ----------------------------------------------------------------------------------------------------

    def call(self, op: str, args: Mapping[str, Any]) -> Outcome:
        return self.call_many([(op, args)])[0]

    def call_many(self, calls: Iterable[tuple[str, Mapping[str, Any]]]) -> list[Outcome]:
        """Answer every call, pipelined: at most :data:`WINDOW` calls are unanswered at once.

        Never raises for the process's failures: they become *unavailable* (it cannot start or says no hello) or
        *io* outcomes. When the process crashes or hangs, only the oldest call it was given and did not answer (the
        one it failed on) becomes *io*; every other unanswered call, sent or not, is retried in a fresh process.
        """
        calls = list(calls)
        answers: list[Outcome | None] = [None] * len(calls)
        with self._lock:
            pending = list(range(len(calls)))
            idle_rounds = 0
            while pending:
                try:
                    self._ensure_started()
                except ReferenceUnavailable as exc:
                    for index in pending:
                        answers[index] = Outcome("unavailable", message=str(exc))
                    break
                before = len(pending)
                pending = self._exchange(calls, pending, answers)
                idle_rounds = 0 if len(pending) < before else idle_rounds + 1
                if pending and idle_rounds >= MAX_IDLE_ROUNDS:
                    for index in pending:
                        answers[index] = Outcome("io", message=f"{self.name}: no progress after {idle_rounds} restarts")
                    break
        return [answer if answer is not None else Outcome("io", message="no answer") for answer in answers]

    def _exchange(
        self, calls: list[tuple[str, Mapping[str, Any]]], pending: list[int], answers: list[Outcome | None]
    ) -> list[int]:
        """Send ``pending`` calls through the running process; return the ones to retry after a failure."""
        assert self._process is not None
        process = self._process
        in_flight: dict[int, int] = {}  # request id -> index into calls, in sending order
        position = 0
        while position < len(pending) or in_flight:
            chunk: list[tuple[int, str]] = []
            while len(in_flight) + len(chunk) < WINDOW and position < len(pending):
                index = pending[position]
                op, args = calls[index]
                position += 1
                request_id = self._next_id
                try:
                    line = _request_line(request_id, op, args)
                except (TypeError, ValueError, RecursionError):  # not JSON: bytes, a 5,000-digit int, 20,000 levels
                    answers[index] = Outcome.of_error("InvalidArgument", "the call's args cannot be sent as JSON")
                    continue
                self._next_id += 1
                in_flight[request_id] = index
                chunk.append((request_id, line))
            if chunk:
                self._outbox.put((process, chunk))
            if not in_flight:  # every call left was refused before sending
                continue
            message = self._read_line(self.timeout)
            if message is _TIMEOUT or message is _EOF:
                if message is _EOF:
                    self._process_wait()
                    why = f"the process exited{self._exit_status()}"
                else:
                    why = f"no answer within {self.timeout:g}s"
                self._kill()
                unanswered = list(in_flight.values())
                culprit = unanswered[0]
                answers[culprit] = Outcome("io", message=f"{self.name}: {why}{self._diagnosis()}")
                return sorted([*unanswered[1:], *pending[position:]])
            if isinstance(message, _Broken):
                self._answer_broken(message, in_flight, answers)
                continue
            if not isinstance(message, dict):
                continue
            request_id = message.get("id")
            if type(request_id) is int and request_id in in_flight:
                answers[in_flight.pop(request_id)] = _to_outcome(message)
        return []

    def _answer_broken(self, line: _Broken, in_flight: dict[int, int], answers: list[Outcome | None]) -> None:
        """A line that opens an object but is not RFC 8259 JSON (``NaN``, ``Infinity``, a lone ``{``) is a protocol
        error of the call it names (or, naming none, of the oldest unanswered one): ``io``, the line quoted."""
        request_id = _id_of(line)
        if request_id not in in_flight:
            request_id = next(iter(in_flight), None)
        if request_id is None:
            return
        message = f"{self.name}: answered a line that is not RFC 8259 JSON: {line[:200]}"
        answers[in_flight.pop(request_id)] = Outcome("io", message=message)

    def _writer(self, outbox: queue.Queue[tuple[subprocess.Popen[str], list[tuple[int, str]]]]) -> None:
        """Write queued request lines to the process: an adapter that stops reading blocks only this thread."""
        while True:
            process, chunk = outbox.get()
            try:
                assert process.stdin is not None
                process.stdin.write("".join(line for _, line in chunk))
                process.stdin.flush()
            except (OSError, ValueError, AssertionError):  # it died or was killed: the reader sees its end
                continue

    def _process_wait(self) -> None:
        """After the end of its output: reap the process and let the stderr drain catch its last words."""
        if self._process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(timeout=2)
        if self._stderr_thread is not None:
            self._stderr_thread.join(timeout=1)

    def _exit_status(self) -> str:
        code = None if self._process is None else self._process.poll()
        return "" if code is None else f" with status {code}"

    def op_function(self, op: str) -> OpFunction:
        """An :data:`~conformance.outcome.OpFunction` that forwards ``op`` to this process."""

        def run(args: Mapping[str, Any]) -> Any:
            return unwrap(self.call(op, args))

        return run


@cache
def _wire(op: str) -> dict[str, Any]:
    """What a request of ``op`` carries beside ``op`` and ``args``: its ``kind`` and ``params`` for an op of a kind
    (a server that implements the kind dispatches on them), nothing for a hand-written op."""
    found = catalog.part(op)
    return found.wire() if found is not None else {}


def _request_line(request_id: int, op: str, args: Mapping[str, Any]) -> str:
    return json.dumps({"id": request_id, "op": op, **_wire(op), "args": args}, ensure_ascii=True) + "\n"


class _Garbage(str):
    """A stdout line that is not JSON (a log line: skipped, kept for diagnoses)."""

    __slots__ = ()


class _Broken(_Garbage):
    """A stdout line that opens a JSON object but is not RFC 8259 JSON: a broken answer."""

    __slots__ = ()


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def strict_loads(text: str) -> Any:
    """``text`` as RFC 8259 JSON: ``NaN``, ``Infinity`` and ``-Infinity`` are refused (``ValueError``)."""
    return json.loads(text, parse_constant=_reject_constant)


def _id_of(line: str) -> int | None:
    """The ``id`` a broken answer line names, when a lenient parse can read one."""
    try:
        message = json.loads(line)
    except (ValueError, RecursionError):
        return None
    request_id = message.get("id") if isinstance(message, dict) else None
    return request_id if type(request_id) is int else None


def unwrap(outcome: Outcome) -> Any:
    """Turn an outcome back into a value or a raised error (the OpFunction contract)."""
    if outcome.status == "value":
        return outcome.value
    if outcome.status == "unavailable":
        raise ReferenceUnavailable(outcome.message or "")
    if outcome.status == "error":
        raise RemoteError(outcome.reason or "Error", outcome.message or "")
    raise ReferenceFailure(f"{outcome.status}: {outcome.message}" if outcome.message else outcome.status)


def _to_outcome(message: dict[str, Any]) -> Outcome:
    if "ok" in message:
        return Outcome.of_value(message["ok"])
    error = message.get("error")
    if isinstance(error, dict) and isinstance(error.get("reason"), str):
        return Outcome.of_error(error["reason"], str(error.get("message", "")))
    if error == "unsupported" or message.get("unsupported"):
        return Outcome("unsupported", message=str(message.get("message", "")))
    return Outcome("io", message=f"malformed answer: {json.dumps(message)[:200]}")


def serve(implementation: Any, name: str, versions: Mapping[str, str] | None = None) -> None:
    """Speak the protocol's other side on stdin/stdout: serve an implementation of the contract as an adapter.

    Writes the hello (``name``, the implementation's ops, ``versions``), then answers one line per request until
    stdin ends. Lets a Python port, or a Python port with a planted bug, be run as ``--adapter NAME=COMMAND``.
    """
    import sys

    hello = {"name": name, "ops": sorted(implementation.ops()), "versions": dict(versions or {"protocol": "1"})}
    sys.stdout.write(json.dumps({"hello": hello}) + "\n")
    sys.stdout.flush()
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        (outcome,) = implementation.call_many([(request["op"], request["args"])])
        if outcome.status == "value":
            reply: dict[str, Any] = {"id": request["id"], "ok": outcome.value}
        elif outcome.status == "unsupported":
            reply = {"id": request["id"], "error": "unsupported", "message": outcome.message or ""}
        else:
            reply = {"id": request["id"], "error": {"reason": outcome.reason, "message": outcome.message or ""}}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()
