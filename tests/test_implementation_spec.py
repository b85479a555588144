"""One implementation spec (issue 15, item 3): a built-in, an adapter, a reference version or a user's Python op
table is one picklable description, built once per process; the CLI, the pytest plugin, campaigns, the generators,
the audit and inspect name implementations through it. ``from_python_object`` takes one shape, an op table."""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

import pytest

from conformance import spec
from conformance.contract import from_python_object
from conformance.errors import InvalidArgument, UsageError
from conformance.spec import ImplementationSpec

MODULE = """
OPS = {"thread.connection_key": lambda args: "%s"}
"""


def _module(tmp_path: Path, name: str, body: str) -> Path:
    (tmp_path / f"{name}.py").write_text(body, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("text", ["python", "mine=python3 adapter.py", "commons-codec@1.10"])
def test_each_kind_of_spec_survives_pickling(text: str) -> None:
    made = ImplementationSpec.parse(text)
    assert pickle.loads(pickle.dumps(made)) == made


def test_a_python_object_spec_is_built_once_and_answers(tmp_path: Path) -> None:
    folder = _module(tmp_path, "spec_table_a", MODULE % ("ab" * 32))
    made = ImplementationSpec.python_object("spec_table_a", [folder])
    assert pickle.loads(pickle.dumps(made)) == made
    first = made.build()
    assert first is made.build() is spec.build(pickle.loads(pickle.dumps(made)))
    (outcome,) = first.call_many([("thread.connection_key", {"secret": "s", "email": "e"})])
    assert (outcome.status, outcome.value) == ("value", "ab" * 32)


def test_the_generators_name_a_reference_through_the_spec() -> None:
    assert spec.built("python") is ImplementationSpec.builtin("python").build()
    with pytest.raises(UsageError, match="unknown implementation"):
        spec.built("no-such-reference")


@pytest.mark.parametrize(
    ("target", "says"),
    [("", "give module\\[:attr\\]"), ("no_such_module_xyz", "cannot import"), ("os:no_such_attr", "has no attribute")],
)
def test_a_bad_python_object_is_one_line(target: str, says: str) -> None:
    with pytest.raises(UsageError, match=says) as raised:
        ImplementationSpec.python_object(target).build()
    assert "\n" not in str(raised.value)


class _CallShaped:
    def call(self, op: str, args: object) -> str:
        return "x"


@pytest.mark.parametrize(
    ("target", "says"),
    [
        (_CallShaped(), "call\\(op, args\\) is no longer taken"),
        (lambda args: "x", "an implementation is an OPS mapping"),
        ({"thread.connection_key": "not a function"}, "OPS must map op names"),
    ],
)
def test_from_python_object_takes_one_shape(target: object, says: str) -> None:
    with pytest.raises(UsageError, match=says):
        from_python_object(target)


def test_not_implemented_is_unsupported() -> None:
    def later(args: object) -> str:
        raise NotImplementedError

    made = from_python_object({"thread.connection_key": later}, label="later")
    (outcome,) = made.call_many([("thread.connection_key", {"secret": "s", "email": "e"})])
    assert outcome.status == "unsupported"


def test_a_search_path_is_bounded_and_deduplicated(tmp_path: Path) -> None:
    """Every extra import folder joins ``sys.path`` for the process, so a hostile list is refused before any is."""
    before = list(sys.path)
    with pytest.raises(InvalidArgument, match="more than 64 directories"):
        spec.load_object("no_such_module_anywhere", [tmp_path / str(i) for i in range(spec.MAX_SEARCH_PATH + 1)])
    assert sys.path == before
    same = ImplementationSpec.python_object("json:loads", [tmp_path, tmp_path, str(tmp_path)])
    assert same.search == (str(tmp_path),)
