"""One checked call: run it, time it, classify what it raised, and look for the planted secret in what it said.

The rules (``tests/test_robustness.py`` states them for the reader):

* a :class:`~conformance.errors.ConformanceError` is a typed refusal, and fine;
* any other exception is *untyped*, and a finding, ``TypeError`` and ``ValueError`` included: every call binds its
  arguments by the callable's own signature (all parameters, by name), so a ``TypeError`` cannot come from Python's
  call binding and is always raised inside the function. The only exceptions let through are pytest's own outcomes
  from ``check_vector`` (failed, skipped, xfailed), which are its contract;
* no call may take :data:`SLOW_SECONDS` or longer, in CPU time of this process (its threads, the in-process JVM's
  included: :func:`time.process_time`), so eight agents sharing two cores do not make a fast call look slow, while a
  loop that does not end still does; the wall time of the slowest call is reported beside it;
* no exception message (of the error or its causes) and no log record may contain the planted secret or any
  secret-bearing argument (16 characters or more). Parameters whose value a message is meant to name (paths,
  filter names, a module spec, a label) are not secret-bearing.
"""

from __future__ import annotations

import inspect
import itertools
import logging
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sized
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import pytest

from conformance.errors import ConformanceError
from tests.robustness.hostile import MARK
from tests.robustness.targets import Target

SLOW_SECONDS = 1.0
#: Parameters whose values messages may name: they are not secrets.
ECHOED = frozenset(
    {"path", "directory", "schema_dir", "search_path", "spec", "what", "flows", "ops", "flags", "tc_ids", "results"}
    | {"op", "flow", "flag", "result", "case_id", "vectors"}
)
#: (function, parameter) whose value is an argument's name, which its messages say.
ECHOED_BY_FUNCTION = frozenset(
    {("encode_text", "name"), ("key_bytes", "name"), ("accepts", "name"), ("message_field", "field")}
    | {("message_field", "fallback"), ("from_options", "fail_on"), ("check_vector", "fail_on"), ("load_keys", "role")}
    | {("from_python_object", "label"), ("bridge", "name"), ("shared", "name"), ("selection", "text")}
    | {
        ("flow", "flow_id"),
        ("op", "name"),
        ("flow_of", "op_name"),
        ("select_flows", "ids"),
        ("signer_of", "verify_op"),
        ("add_all", "table"),
    }
    # The audit's helpers: a registry name, the names of an argument or of a sample, adapter specs.
    | {("call", "name"), ("call_many", "name"), ("missing", "names"), ("reference_versions", "names")}
    | {("unavailable", "names"), ("token_parts", "name"), ("require_sample", "name"), ("check_adapters", "specs")}
    | {("run_audit", "adapters")}
    # The campaigns' options, which their messages repeat: a flow id, --op patterns, --impl/--adapter, --shard K/N.
    | {("select_ops", "flow_id"), ("select_ops", "patterns"), ("default_reference", "flow_id")}
    | {("candidate_path", "flow_id"), ("parse", "text"), ("side", "impl"), ("side", "adapter_spec")}
    | {("writable_dir", "option"), ("kind_op", "kind"), ("kind_op", "name")}  # a kind op: registry names
)
PYTEST_OUTCOMES = (pytest.fail.Exception, pytest.skip.Exception, pytest.xfail.Exception)


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


#: Types that hold no string: skipped before the (slower) abstract-class checks.
_LEAVES = frozenset({int, float, bool, complex, type(None)})


def _strings(value: Any, limit: int = 2000) -> Iterator[str]:
    """The strings (and decodable bytes) inside ``value``, breadth first, at most ``limit`` containers visited."""
    queue, visited = deque([value]), 0
    while queue and visited < limit:
        item = queue.popleft()
        visited += 1
        kind = type(item)
        if kind in _LEAVES:
            continue
        if kind is str or isinstance(item, str):
            yield item
        elif isinstance(item, (bytes, bytearray)):
            yield bytes(item).decode("utf-8", "ignore")
        elif isinstance(item, Mapping):
            queue.extend([*itertools.islice(item.keys(), 50), *itertools.islice(item.values(), 50)])
        elif isinstance(item, (list, tuple, set, frozenset)):
            queue.extend(itertools.islice(item, 100))


def describe(arguments: Mapping[str, Any]) -> str:
    """Arguments by type and size only: a failure report must not print a megabyte or a key."""
    parts = []
    for name, value in arguments.items():
        size = f"(len={len(value)})" if isinstance(value, Sized) else ""
        parts.append(f"{name}={type(value).__name__}{size}")
    return ", ".join(parts)


def _messages(exc: BaseException) -> list[str]:
    found, current, depth = [], exc, 0
    while current is not None and depth < 10:
        try:
            found.append(str(current))
        except Exception:  # an argument that cannot be shown (an int past str's digit limit): nothing leaks through it
            found.append(f"<{type(current).__name__} that cannot be shown>")
        # What a traceback shows: the cause, else the context unless ``raise ... from None`` suppressed it.
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
        depth += 1
    return found


@dataclass
class Stats:
    calls: int = 0
    typed: int = 0
    slowest: float = 0.0
    slowest_call: str = ""
    slowest_wall: float = 0.0
    per_target: dict[str, int] = field(default_factory=dict)
    #: Findings by kind (``untyped``, ``leak``, ``slow``, ``pytest``) of the targets held to the bar, and of those
    #: still pending (``tests/robustness/pending.txt``).
    held: dict[str, int] = field(default_factory=dict)
    pending: dict[str, int] = field(default_factory=dict)
    #: Pending entry points with findings in some test, and those clean in some test.
    pending_open: set[str] = field(default_factory=set)
    pending_clean: set[str] = field(default_factory=set)


@dataclass
class Harness:
    """Runs checked calls and keeps the figures; :attr:`findings` holds one line per problem found."""

    stats: Stats = field(default_factory=Stats)
    findings: list[str] = field(default_factory=list)
    slow_seconds: float = SLOW_SECONDS

    def __repr__(self) -> str:
        return f"Harness({self.stats.calls} calls, {len(self.findings)} open findings)"

    def secrets_in(self, function_name: str, arguments: Mapping[str, Any]) -> list[str]:
        """Every string of 16+ characters in a secret-bearing argument, and the planted secret unless an argument
        whose value messages may name holds it (a path with the planted secret in it is named, as it should be)."""
        fragments, echoed = [], []
        for name, value in arguments.items():
            if name in ECHOED or (function_name, name) in ECHOED_BY_FUNCTION:
                echoed.extend(_strings(value if not isinstance(value, PurePath) else str(value)))
            else:
                fragments.extend(s for s in _strings(value) if len(s) >= 16)
        if not any(MARK in text for text in echoed):
            fragments.append(MARK)
        # The same text given to a named parameter too (hostile values are drawn from one pool) may be named.
        return [fragment for fragment in fragments if not any(fragment in text for text in echoed)]

    def call(
        self,
        label: str,
        function: Callable[..., Any],
        arguments: Mapping[str, Any],
        *,
        positional: tuple[Any, ...] = (),
        keyword_only: frozenset[str] = frozenset(),
        allow_pytest_outcomes: bool = False,
        function_name: str = "",
        context: Mapping[str, Any] | None = None,
    ) -> tuple[bool, Any]:
        """Call ``function(*positional, *<non-keyword-only arguments>, **<keyword-only arguments>)``.

        Returns ``(returned normally, the value or the exception)``; problems go to :attr:`findings`.
        ``context``: further arguments the call depends on (those its instance was made with), for the secret check.
        """
        ordered = [v for k, v in arguments.items() if k not in keyword_only]
        named = {k: v for k, v in arguments.items() if k in keyword_only}
        handler, root = _Records(), logging.getLogger()
        old_level, old_path = root.level, list(sys.path)
        root.addHandler(handler)
        root.setLevel(logging.DEBUG)
        started, started_wall = time.process_time(), time.perf_counter()
        outcome: tuple[bool, Any]
        try:
            value = function(*positional, *ordered, **named)
            if inspect.isgenerator(value):
                value = list(value)
            outcome = (True, value)
        except ConformanceError as exc:
            self.stats.typed += 1
            outcome = (False, exc)
        except PYTEST_OUTCOMES as exc:
            if not allow_pytest_outcomes:
                self.findings.append(f"{label}: pytest outcome {type(exc).__name__} [{describe(arguments)}]")
            outcome = (False, exc)
        except Exception as exc:
            self.findings.append(f"{label}: untyped {type(exc).__name__} [{describe(arguments)}]")
            outcome = (False, exc)
        finally:
            elapsed, wall = time.process_time() - started, time.perf_counter() - started_wall
            root.removeHandler(handler)
            root.setLevel(old_level)
            sys.path[:] = old_path
        self._record(label, elapsed, arguments, wall)
        self._leaks(label, function_name, {**(context or {}), **arguments}, outcome, handler.records)
        return outcome

    def _record(self, label: str, elapsed: float, arguments: Mapping[str, Any], wall: float = 0.0) -> None:
        self.stats.calls += 1
        self.stats.per_target[label] = self.stats.per_target.get(label, 0) + 1
        if elapsed > self.stats.slowest:
            self.stats.slowest, self.stats.slowest_call = elapsed, f"{label} [{describe(arguments)}]"
            self.stats.slowest_wall = wall
        if elapsed >= self.slow_seconds:
            self.findings.append(f"{label}: took {elapsed:.1f} s of CPU [{describe(arguments)}]")

    def _leaks(
        self,
        label: str,
        function_name: str,
        arguments: Mapping[str, Any],
        outcome: tuple[bool, Any],
        records: list[logging.LogRecord],
    ) -> None:
        texts = []
        if not outcome[0] and isinstance(outcome[1], BaseException) and not isinstance(outcome[1], PYTEST_OUTCOMES):
            texts.extend(_messages(outcome[1]))
        for record in records:
            try:
                texts.append(record.getMessage())
            except Exception as exc:
                self.findings.append(f"{label}: a log record cannot be formatted ({type(exc).__name__})")
        if not texts:
            return
        fragments = self.secrets_in(function_name, arguments)
        for text in texts:
            if any(fragment in text for fragment in fragments):
                self.findings.append(f"{label}: a message or log record holds a secret [{describe(arguments)}]")
                return


def bind(target: Target, arguments: Mapping[str, Any]) -> tuple[dict[str, Any], frozenset[str]]:
    """``arguments`` in the callable's parameter order, and the names that must be passed by keyword."""
    ordered = {p.name: arguments[p.name] for p in target.parameters if p.name in arguments}
    keyword_only = frozenset(p.name for p in target.parameters if p.kind is inspect.Parameter.KEYWORD_ONLY)
    return ordered, keyword_only


def kind_of(finding: str) -> str:
    """``untyped``, ``leak``, ``slow`` or ``other``: which rule a finding line breaks."""
    if ": untyped " in finding or ": pytest outcome " in finding:
        return "untyped"
    if "holds a secret" in finding or "cannot be formatted" in finding:
        return "leak"
    if ": took " in finding:
        return "slow"
    return "other"
