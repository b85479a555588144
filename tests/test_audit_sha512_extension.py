"""The pure-Python SHA-512 with a settable state, and the length extension, checked against hashlib."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.audit import sha512_extension as ext
from conformance.errors import InvalidArgument


@pytest.mark.parametrize("length", [0, 1, 111, 112, 127, 128, 129, 239, 240, 255, 256, 1000])
def test_digest_equals_hashlib_at_block_edges(length: int) -> None:
    data = bytes(range(256)) * 4
    assert ext.sha512(data[:length]) == hashlib.sha512(data[:length]).digest()


@settings(max_examples=200)
@given(st.binary(max_size=600), st.integers(0, 5))
def test_incremental_updates_equal_hashlib(data: bytes, cut: int) -> None:
    hasher = ext.Sha512()
    hasher.update(data[: cut * 37]).update(data[cut * 37 :])
    assert hasher.hexdigest() == hashlib.sha512(data).hexdigest()


@settings(max_examples=200)
@given(st.binary(min_size=1, max_size=140), st.binary(max_size=300), st.binary(max_size=300))
def test_extension_equals_hashlib_of_the_forged_message(secret: bytes, original: bytes, appended: bytes) -> None:
    digest = hashlib.sha512(secret + original).hexdigest()
    forged, glue = ext.extend(digest, len(secret), original, appended)
    assert forged == hashlib.sha512(secret + original + glue + appended).hexdigest()
    assert (len(secret) + len(original) + len(glue)) % ext.BLOCK_SIZE == 0
    assert glue[0] == 0x80 and glue[-16:] == ((len(secret) + len(original)) * 8).to_bytes(16, "big")


def test_a_wrong_secret_length_gives_a_digest_that_does_not_verify() -> None:
    secret, original, appended = b"k" * 26, b"Type=chat", b"&x=1"
    digest = hashlib.sha512(secret + original).hexdigest()
    forged, glue = ext.extend(digest, 25, original, appended)
    assert forged != hashlib.sha512(secret + original + glue + appended).hexdigest()


def test_resume_continues_from_a_digest() -> None:
    message, more = b"m" * 100, b"more data" * 20
    glue = ext.glue(len(message))
    resumed = ext.Sha512.resume(hashlib.sha512(message).hexdigest(), len(message) + len(glue))
    assert resumed.update(more).digest() == hashlib.sha512(message + glue + more).digest()


@pytest.mark.parametrize(
    "call",
    [
        lambda: ext.extend("00", 1, b"", b""),
        lambda: ext.extend("0" * 128, -1, b"", b""),
        lambda: ext.extend("0" * 128, 1, "text", b""),  # type: ignore[arg-type]
        lambda: ext.glue(True),  # type: ignore[arg-type]
        lambda: ext.compress(ext.INITIAL_STATE, b"short"),
        lambda: ext.Sha512().update("text"),  # type: ignore[arg-type]
        lambda: ext.Sha512(processed=5),
    ],
)
def test_bad_arguments_raise_invalid_argument(call) -> None:
    with pytest.raises(InvalidArgument):
        call()
