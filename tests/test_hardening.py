"""The examples of issue 21, each alone: a typed refusal naming the argument, in bounded time, without its secret."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from conformance.audit import gf128, guessing, khoros_cryptor
from conformance.errors import ConformanceError, InvalidArgument, MalformedToken

SECRET = "Pl4ntCanary-secret"

#: id -> (call, the error class, words the message must hold).
EXAMPLES: dict[str, tuple[Callable[[], Any], type[ConformanceError], str]] = {
    "gf128.power(1, -1)": (lambda: gf128.power(1, -1), InvalidArgument, "exponent"),
    "gf128.power(2**128, 1)": (lambda: gf128.power(2**128, 1), InvalidArgument, "x"),
    "gf128.multiply('a', 1)": (lambda: gf128.multiply("a", 1), InvalidArgument, "x"),  # type: ignore[arg-type]
    "gf128.ghash over a megabyte": (lambda: gf128.ghash(1, b"", bytes(1 << 20)), InvalidArgument, "ciphertext"),
    "gf128.recover_hash_key(str)": (
        lambda: gf128.recover_hash_key(SECRET, b"", b"", b""),  # type: ignore[arg-type]
        InvalidArgument,
        "c1",
    ),
    "messages_until_collision(1, 1.5)": (
        lambda: khoros_cryptor.messages_until_collision(1, 1.5),
        InvalidArgument,
        "probability",
    ),
    "messages_until_collision(10**6)": (
        lambda: khoros_cryptor.messages_until_collision(10**6),
        InvalidArgument,
        "nonce_bytes",
    ),
    "messages_until_collision(1, nan)": (
        lambda: khoros_cryptor.messages_until_collision(1, float("nan")),
        InvalidArgument,
        "probability",
    ),
    "hs256_check on a non-ASCII token": (
        lambda: guessing.hs256_check(f"eyJ.{SECRET}\u00e9.sig"),
        MalformedToken,
        "token",
    ),
    "hs256_check on invalid base64": (lambda: guessing.hs256_check(f"a.{SECRET}.A"), MalformedToken, "signature"),
    "hs256_check(None)": (lambda: guessing.hs256_check(None), InvalidArgument, "token"),  # type: ignore[arg-type]
}


@pytest.mark.parametrize("example", EXAMPLES)
def test_each_example_is_a_typed_refusal(example: str) -> None:
    call, error, words = EXAMPLES[example]
    started = time.perf_counter()
    with pytest.raises(error) as raised:
        call()
    assert time.perf_counter() - started < 1.0
    message = str(raised.value)
    assert words in message, message
    assert SECRET not in message and "Pl4nt" not in repr(raised.value.args)
    assert raised.value.__context__ is None or raised.value.__suppress_context__


def test_power_and_collision_counts_still_compute() -> None:
    """The bounds change no answer: powers past the group order reduce to the same element, the exact count for
    short nonces is unchanged, and the birthday bound agrees with the exact count where both apply."""
    x = gf128.block_to_int(b"\x12" * 16)
    order = (1 << 128) - 1
    assert gf128.power(x, order) == 1 << 127
    assert gf128.power(x, order + 5) == gf128.power(x, 5)
    assert gf128.power(0, order) == 0 and gf128.power(0, 0) == 1 << 127
    assert [khoros_cryptor.messages_until_collision(n) for n in (1, 2, 4)] == [20, 302, 77164]
    assert khoros_cryptor.messages_until_collision(1, 1) == 257
    assert khoros_cryptor.messages_until_collision(1, 0) == 0
    started = time.perf_counter()
    wide = khoros_cryptor.messages_until_collision(12)
    assert time.perf_counter() - started < 1.0
    assert abs(wide - 1.1774 * 2**48) / 2**48 < 1e-3  # sqrt(2 ln 2 N)
    token = "e30.e30." + "A" * 43
    assert guessing.hs256_check(token)(b"key") is False
