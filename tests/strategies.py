"""Hypothesis strategies shared by the differential tests."""

from __future__ import annotations

import base64
from typing import Any

from hypothesis import strategies as st

from conformance.judge import same

#: Text as Java sees it: any code point, including lone surrogates and astral characters.
java_text = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=64)


def tricky_text_of(max_size: int = 40, bmp_max: int = 0xFFFF) -> st.SearchStrategy[str]:
    """Text biased towards the places encoders disagree: lone surrogates, astral, multi-byte, ASCII."""
    return st.lists(
        st.one_of(
            st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
            st.characters(min_codepoint=0x10000, max_codepoint=0x10FFFF),
            st.characters(min_codepoint=0x80, max_codepoint=bmp_max),
            st.characters(min_codepoint=0, max_codepoint=0x7F),
        ),
        max_size=max_size,
    ).map("".join)


tricky_text = tricky_text_of()


#: Bytes biased towards UTF-8 lead and continuation bytes and the surrogate range.
utf8ish_bytes = st.lists(
    st.one_of(
        st.integers(0, 255),
        st.sampled_from(
            [0x80, 0xBF, 0xA0, 0x9F, 0x90, 0x8F, 0xC0, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF]
        ),
    ),
    max_size=40,
).map(bytes)

BASE64_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_="

#: Base64-looking text with junk: both alphabets, padding anywhere, whitespace, non-ASCII, surrogates.
base64ish_text = st.lists(
    st.one_of(
        st.sampled_from(BASE64_CHARS),
        st.sampled_from(list(" \t\r\n.!*%\0~\u00e9\u4e2d\U0001f600\ud800")),
    ),
    max_size=60,
).map("".join)


def _mutate(text: str, kind: str, position: int, junk: str) -> str:
    if not text:
        return junk if kind in {"insert", "append"} else text
    i = position % (len(text) + 1)
    swaps = str.maketrans("-_+/", "+/-_")
    return {
        "insert": text[:i] + junk + text[i:],
        "append": text + junk,
        "truncate": text[:i],
        "delete": text[:i] + text[i + 1 :],
        "alphabet": text.translate(swaps),
        "pad": text + "=" * (i % 3 + 1),
        "flip": text[:i]
        + (BASE64_CHARS[(BASE64_CHARS.find(text[i]) + 1) % 64] if i < len(text) else "A")
        + text[i + 1 :],
        "whitespace": "\n".join(text[j : j + 4] for j in range(0, len(text), 4)),
    }[kind]


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """Apply zero to three mutations to Base64 text."""
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(
            st.sampled_from(["insert", "append", "truncate", "delete", "alphabet", "pad", "flip", "whitespace"])
        )
        text = _mutate(
            text,
            kind,
            draw(st.integers(0, 200)),
            draw(st.sampled_from(["=", " ", "A", "==", "\u00e9", "$", "\ud800", "AAAA"])),
        )
    return text


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
