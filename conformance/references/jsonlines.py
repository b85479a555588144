"""A reference or adapter in another runtime, spoken to as a subprocess over JSON lines (one process per run).

Protocol (documented in ``docs/adapter-protocol.md``):

* the process starts by writing ``{"hello": {"name": ..., "ops": [...], "versions": {...}}}`` on one line;
* the harness writes ``{"id": N, "op": "...", "args": {...}}`` lines and reads back, in any order,
  ``{"id": N, "ok": value}`` or ``{"id": N, "error": {"reason": "...", "message": "..."}}``;
* end of stdin means "exit".

A call that gets no answer within the timeout, or a process that dies, becomes an ``io`` outcome for the calls in
flight; the next call starts a fresh process, so one crash never stops a run.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from conformance.errors import ConformanceError, ReferenceFailure, ReferenceUnavailable
from conformance.outcome import Outcome

DEFAULT_TIMEOUT = 30.0
_EOF = object()


class RemoteError(ConformanceError):
    """An error the other runtime answered with; its reason path is the remote's own."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path

    def reason_path(self) -> str:
        return self.path


class JsonLinesProcess:
    """One long-lived subprocess speaking the JSON-lines protocol. Thread-safe; batches calls."""

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
        self._process: subprocess.Popen[str] | None = None
        self._lines: queue.Queue[object] = queue.Queue()
        self._lock = threading.Lock()
        self._next_id = 1
        self.restarts = 0

    # --- lifecycle ------------------------------------------------------------------------------------------------

    def start(self) -> dict[str, Any]:
        """Start the process if needed and return its hello. Raises :class:`ReferenceUnavailable`."""
        with self._lock:
            return self._ensure_started()

    def _ensure_started(self) -> dict[str, Any]:
        if self._process is not None and self._process.poll() is None:
            return self.hello
        if self._process is not None:
            self.restarts += 1
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
            raise ReferenceUnavailable(f"{self.name}: cannot start {self.argv[0]}: {exc}") from exc
        self._lines = queue.Queue()
        threading.Thread(target=self._pump, args=(self._process, self._lines), daemon=True).start()
        self._stderr: list[str] = []
        threading.Thread(target=self._drain_stderr, args=(self._process, self._stderr), daemon=True).start()
        first = self._read_line(self.timeout)
        if first is _EOF or not isinstance(first, dict) or "hello" not in first:
            detail = "".join(self._stderr)[-800:]
            self._kill()
            raise ReferenceUnavailable(f"{self.name}: no hello line from {' '.join(self.argv)}: {detail}".strip())
        self.hello = first["hello"]
        return self.hello

    @staticmethod
    def _pump(process: subprocess.Popen[str], lines: queue.Queue[object]) -> None:
        assert process.stdout is not None
        for raw in process.stdout:
            text = raw.strip()
            if not text:
                continue
            try:
                lines.put(json.loads(text))
            except json.JSONDecodeError:
                lines.put({"garbage": text[:200]})
        lines.put(_EOF)

    @staticmethod
    def _drain_stderr(process: subprocess.Popen[str], sink: list[str]) -> None:
        assert process.stderr is not None
        for line in process.stderr:
            sink.append(line)
            del sink[:-50]

    def _read_line(self, timeout: float) -> object:
        try:
            return self._lines.get(timeout=timeout)
        except queue.Empty:
            return None

    def _kill(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait()

    def close(self) -> None:
        with self._lock:
            if self._process is not None and self._process.poll() is None:
                assert self._process.stdin is not None
                self._process.stdin.close()
                try:
                    self._process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self._kill()
            self._process = None

    def ops(self) -> set[str]:
        return set(self.start().get("ops", []))

    # --- calls ----------------------------------------------------------------------------------------------------

    def call(self, op: str, args: Mapping[str, Any]) -> Outcome:
        return self.call_many([(op, args)])[0]

    def call_many(self, calls: Iterable[tuple[str, Mapping[str, Any]]]) -> list[Outcome]:
        """Send every call, then collect every answer: one round trip's latency for the whole batch."""
        calls = list(calls)
        with self._lock:
            try:
                self._ensure_started()
            except ReferenceUnavailable as exc:
                return [Outcome("unavailable", message=str(exc)) for _ in calls]
            ids = list(range(self._next_id, self._next_id + len(calls)))
            self._next_id += len(calls)
            assert self._process is not None and self._process.stdin is not None
            try:
                for request_id, (op, args) in zip(ids, calls, strict=True):
                    line = json.dumps({"id": request_id, "op": op, "args": args}, ensure_ascii=True)
                    self._process.stdin.write(line + "\n")
                self._process.stdin.flush()
            except (BrokenPipeError, OSError):
                return self._fail_all(ids, {}, "the process closed its input")
            return self._collect(ids)

    def _collect(self, ids: list[int]) -> list[Outcome]:
        pending = set(ids)
        answers: dict[int, Outcome] = {}
        while pending:
            message = self._read_line(self.timeout)
            if message is None:
                self._kill()
                return self._fail_all(ids, answers, f"no answer within {self.timeout:g}s")
            if message is _EOF:
                return self._fail_all(ids, answers, f"the process exited: {''.join(self._stderr)[-400:]}".strip())
            if not isinstance(message, dict) or message.get("id") not in pending:
                continue
            answers[message["id"]] = _to_outcome(message)
            pending.discard(message["id"])
        return [answers[i] for i in ids]

    def _fail_all(self, ids: list[int], answers: dict[int, Outcome], why: str) -> list[Outcome]:
        self._kill()
        return [answers.get(i, Outcome("io", message=f"{self.name}: {why}")) for i in ids]

    def op_function(self, op: str):
        """An :data:`~conformance.outcome.OpFunction` that forwards ``op`` to this process."""

        def run(args: Mapping[str, Any]) -> Any:
            outcome = self.call(op, args)
            return unwrap(outcome)

        return run


def unwrap(outcome: Outcome) -> Any:
    """Turn an outcome back into a value or a raised error (the OpFunction contract)."""
    if outcome.status == "value":
        return outcome.value
    if outcome.status == "unavailable":
        raise ReferenceUnavailable(outcome.message or "")
    if outcome.status == "error":
        raise RemoteError(outcome.reason or "Error", outcome.message or "")
    raise ReferenceFailure(outcome.message or outcome.status)


def _to_outcome(message: dict[str, Any]) -> Outcome:
    if "ok" in message:
        return Outcome.of_value(message["ok"])
    error = message.get("error")
    if isinstance(error, dict) and isinstance(error.get("reason"), str):
        return Outcome.of_error(error["reason"], str(error.get("message", "")))
    if error == "unsupported" or message.get("unsupported"):
        return Outcome("unsupported", message=str(message.get("message", "")))
    return Outcome("io", message=f"malformed answer: {json.dumps(message)[:200]}")
