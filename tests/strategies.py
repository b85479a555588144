"""Hypothesis strategies shared by the differential tests, built from the campaigns' input families
(:mod:`conformance.mutations`): one source of tricky text, UTF-8-ish bytes, Base64 junk and mutations."""

from __future__ import annotations

import base64
import random
from typing import Any

from hypothesis import strategies as st

from conformance import mutations as m
from conformance.judge import same

#: Text as Java sees it: any code point, including lone surrogates and astral characters.
java_text = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=64)


def _family(name: str, top: int = 0x10FFFF) -> st.SearchStrategy[str]:
    low, high = m.CODE_POINTS[name]
    return st.characters(min_codepoint=low, max_codepoint=min(high - 1, top))


def tricky_text_of(max_size: int = 40, bmp_max: int = 0xFFFF) -> st.SearchStrategy[str]:
    """Text biased towards the places encoders disagree, from the campaigns' families (:mod:`conformance.mutations`):
    lone surrogates, astral, multi-byte, ASCII and controls, whitespace, combining marks and normalization bait.
    ``bmp_max`` caps the multi-byte characters drawn outside the surrogates and the astral planes."""
    baits = tuple(t for t in m.WHITESPACE + m.COMBINING + m.NORMALIZATION_BAIT if max(map(ord, t)) <= bmp_max)
    return st.lists(
        st.one_of(
            _family("surrogate"),
            _family("astral"),
            _family("two-byte", bmp_max),
            *([_family("three-byte", bmp_max)] if bmp_max >= m.CODE_POINTS["three-byte"][0] else []),
            _family("ascii"),
            _family("control"),
            st.sampled_from(baits),
        ),
        max_size=max_size,
    ).map("".join)


tricky_text = tricky_text_of()


#: Bytes biased towards UTF-8 lead and continuation bytes, the surrogate range and malformed sequences.
utf8ish_bytes = st.lists(
    st.one_of(
        st.integers(0, 255).map(lambda b: bytes([b])),
        st.sampled_from(m.UTF8_BAIT).map(lambda b: bytes([b])),
        st.sampled_from(m.UTF8_SEQUENCES),
    ),
    max_size=40,
).map(b"".join)

BASE64_CHARS = m.BASE64_CHARS + "-_="

#: Base64-looking text with junk: both alphabets, padding anywhere, whitespace, non-ASCII, surrogates.
base64ish_text = st.lists(st.one_of(st.sampled_from(BASE64_CHARS), st.sampled_from(m.BASE64_JUNK)), max_size=60).map(
    "".join
)


def mutated(text: str) -> st.SearchStrategy[str]:
    """Base64 text after zero to three of the campaigns' mutations (:func:`conformance.mutations.mutate_base64`)."""
    return st.builds(
        lambda rounds, seed: m.mutate_base64(random.Random(seed), text, rounds),
        st.integers(0, 3),
        st.integers(0, 2**32),
    )


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


#: Key strings for the raw-key mode: every length from 0 to 40 bytes, mostly ASCII, sometimes not.
raw_key_text = st.one_of(
    st.integers(0, 40).map(lambda n: "k" * n),
    st.sampled_from([16, 24, 32]).map(lambda n: "q" * n),
    st.text(max_size=33),
)


def assert_batch_matches(reference: str, op: str, batch: list[dict[str, Any]], label: str) -> None:
    """Send ``batch`` to a live reference and to the Python port, each in one batch, through the contract; each
    answer must be the same value or the same reason path."""
    from tests.conftest import answers

    theirs = answers(reference, [(op, args) for args in batch])
    ours = answers("python", [(op, args) for args in batch])
    for args, answer, mine in zip(batch, theirs, ours, strict=True):
        assert answer.status in {"value", "error"}, answer.describe()
        assert same(mine, answer), f"{args!r}: {label} {answer.describe()}, python {mine.describe()}"
