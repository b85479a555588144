"""Hostile argument values: wrong types, empty and huge values, lone surrogates, NUL, invalid UTF-8, deep nesting.

Every string and bytes value made here that could be mistaken for a secret carries :data:`MARK`, the planted secret:
no exception message or log record may ever contain it.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from tests.strategies import tricky_text_of, utf8ish_bytes

#: The planted secret. Every hostile string or bytes value and every well-formed secret holds it.
MARK = "Pl4ntCanary"
MARK_BYTES = MARK.encode()


def _deep_list(depth: int) -> list[Any]:
    value: list[Any] = [MARK]
    for _ in range(depth):
        value = [value]
    return value


def _deep_dict(depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {"x": MARK}
    for _ in range(depth):
        value = {"x": value}
    return value


class _StrSubclass(str):
    pass


#: Fixed values, each tried in every parameter of every callable (``test_fixed_hostile_values``).
FIXED: tuple[Any, ...] = (
    None,
    True,
    False,
    0,
    -1,
    2**31,
    2**63,
    -(2**63) - 1,
    2**64,
    10**5000,  # str() refuses it: a message that formats it would raise ValueError
    0.5,
    -0.0,
    math.nan,
    math.inf,
    -math.inf,
    1e308,
    "",
    " ",
    "\0",
    f"{MARK}\0{MARK}",
    "\ud800",
    f"{MARK}\udfff",
    f"\udc80{MARK}",
    f"\ufeff{MARK}",
    f"%zz{MARK}%",
    f"&&={MARK}&=",
    "[",
    f"-----BEGIN PGP MESSAGE-----\n\n{MARK}\n-----END PGP MESSAGE-----\n",
    f"-----BEGIN EC PRIVATE KEY-----\n{MARK}\n-----END EC PRIVATE KEY-----\n",
    _StrSubclass(MARK),
    b"",
    b"\0",
    b"\xff\xfe" + MARK_BYTES,
    b"\xed\xa0\x80" + MARK_BYTES,
    bytearray(MARK_BYTES),
    memoryview(MARK_BYTES),
    [],
    {},
    (),
    set(),
    frozenset({MARK}),
    [MARK],
    (MARK, MARK),
    {MARK: MARK},
    [[MARK, MARK]],
    [(MARK,)],
    [None],
    [[]],
    [{}],
    [{"label": MARK}],
    [1, 2],
    {"a": None},
    object(),
    int,
    str,
    Path(f"{MARK}-missing"),
    lambda *args, **kwargs: None,
    lambda *args, **kwargs: MARK,
)


def huge_values() -> tuple[Any, ...]:
    """Large values (about a megabyte, or 100,000 items, or 20,000 levels deep); made once, on first use."""
    return _HUGE


_HUGE: tuple[Any, ...] = (
    "A" * (1 << 20),
    MARK * (1 << 16),
    "\ud800" * (1 << 16),
    "%" * (1 << 18),
    "9" * 5000,
    b"\xff" * (1 << 20),
    MARK_BYTES * (1 << 16),
    list(range(100_000)),
    [[MARK, MARK]] * 100_000,
    [{"label": MARK, "data": MARK, "type": MARK}] * 20_000,
    {f"k{i}": MARK for i in range(100_000)},
    _deep_list(20_000),
    _deep_dict(20_000),
)


def _no_escape(text: str) -> str:
    """Keep generated text relative and inside the working directory, should it be used as a path."""
    return text.replace("..", "").lstrip("/~")


#: Random text with a planted secret: lone surrogates, NUL, astral and multi-byte characters, ASCII.
marked_text = st.builds(lambda a, b: _no_escape(a) + MARK + _no_escape(b), tricky_text_of(20), tricky_text_of(20))
#: Random bytes (biased towards invalid UTF-8) with a planted secret.
marked_bytes = st.builds(lambda a, b: a + MARK_BYTES + b, utf8ish_bytes, utf8ish_bytes)
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(),
    marked_text,
    marked_bytes,
)
#: Containers of hostile scalars, a few levels deep.
nested = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(st.one_of(marked_text, st.integers()), inner, max_size=3),
    ),
    max_leaves=8,
)


def mutated(good: Any, hostile: st.SearchStrategy[Any], depth: int = 3) -> st.SearchStrategy[Any]:
    """``good`` with one element (of a list or tuple) or one value (of a dict), at any of ``depth`` levels,
    replaced by a hostile value."""
    if depth == 0 or not isinstance(good, (list, tuple, dict)) or not good:
        return hostile
    keys = list(range(len(good))) if isinstance(good, (list, tuple)) else list(good)

    def replace(pick: tuple[Any, Any]) -> Any:
        key, value = pick
        if isinstance(good, dict):
            return {**good, key: value}
        return type(good)([*good[:key], value, *good[key + 1 :]])

    return st.sampled_from(keys).flatmap(
        lambda key: st.tuples(st.just(key), st.one_of(hostile, mutated(good[key], hostile, depth - 1))).map(replace)
    )


def hostile_strategy(good: Any, others: tuple[Any, ...], paths: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    """A hostile value for a parameter whose well-formed value is ``good``: random scalars and containers, the
    fixed and huge values, well-formed values of other parameters (a PEM where an OpenPGP key goes, ...), hostile
    paths, and ``good`` with one inner element made hostile."""
    base = st.one_of(
        _scalars,
        nested,
        st.sampled_from(FIXED),
        st.sampled_from(huge_values()),
        st.sampled_from(others),
        st.sampled_from(paths),
    )
    return st.one_of(base, mutated(good, st.one_of(_scalars, st.sampled_from(FIXED)))) if good is not None else base
