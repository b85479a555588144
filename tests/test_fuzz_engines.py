"""The two campaign engines (``--engine bulk``, the default, and ``legacy``): the fast generators draw the readable
generators' case families, mutation kinds and tricky characters at about the same rates, deterministically by seed;
both engines find the same planted divergences, in the same classes."""

from __future__ import annotations

import dataclasses
import os
import random
import shlex
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conformance import aes
from conformance import mutations as m
from conformance.codecs import decode_base64, java_utf8_decode, java_utf8_encode
from conformance.errors import UsageError
from conformance.fuzz import engine
from conformance.fuzz.generators import GENERATORS, fast, fast_generator, generator
from conformance.fuzz.generators.khoros import cbc_seal
from conformance.fuzz.plan import Plan, check
from conformance.outcome import capture
from conformance.spec import ImplementationSpec
from conformance.vendors import khoros

ADAPTERS = Path(__file__).parent / "fixtures" / "adapters"
_TIMES = ("seconds", "shardSeconds", "casesPerSecond")
#: Cases drawn by each generator to count its families.
COUNTED = 40_000
#: A family the readable generator draws at least this often must be drawn by the fast one at a rate within
#: a factor :data:`RATE_FACTOR` of its rate; rarer families must be drawn at least once.
COMMON = 0.002
RATE_FACTOR = 2.0


def _families_of_text(where: str, text: str) -> Iterator[str]:
    """The tricky-character families :func:`conformance.mutations.tricky_char` draws from that ``text`` holds."""
    codes = {ord(c) for c in text}
    for family, (low, high) in m.CODE_POINTS.items():
        if any(low <= code < high for code in codes):
            yield f"{where} has {family}"
    for family, members in (("combining", m.COMBINING), ("whitespace", m.WHITESPACE), ("bait", m.NORMALIZATION_BAIT)):
        if any(member in text for member in members):
            yield f"{where} has {family}"
    if text and text[0] in m.WHITESPACE and text[-1] in m.WHITESPACE:
        yield f"{where} wrapped in whitespace"
    if not text:
        yield f"{where} empty"


def _features(args: dict[str, Any]) -> Iterator[str]:
    """What a ``khoros.skep.decrypt`` case exercises: key modes and lengths, the IV override, the ciphertext's
    alphabets and mutations, the tricky characters of its texts, and the port's answer (value families, reason)."""
    base64 = args["base64Keys"]
    yield f"base64Keys {base64}"
    yield f"ivOverride {'ivOverride' in args}"
    for name in ("secretKey", "ivKey"):
        text = args[name]
        size = len(decode_base64(text)) if base64 else len(text.encode("utf-8", "replace"))
        yield f"{name} {size if size in (0, 16, 24, 32) else 'other'} bytes, base64 {base64}"
        if base64:
            yield from (f"{name} {kind}" for kind in _base64_marks(text))
        else:
            yield f"{name} ascii {text.isascii()}"
            yield from _families_of_text(name, text)
    cipher = args["cipherText"]
    yield from (f"cipherText {kind}" for kind in _base64_marks(cipher))
    yield f"cipherText decodes to whole blocks {len(decode_base64(cipher)) % 16 == 0}"
    answer = capture(khoros.OPS["khoros.skep.decrypt"], args)
    if answer.status == "error":
        yield f"answer {answer.reason}"
        return
    yield from _plaintext_features(args)
    value = answer.value or ""
    yield f"answer value, empty {not value}"
    yield from _families_of_text("value", value)
    if "\ufffd" in value:
        yield "value has a replacement character"
    if unicodedata.normalize("NFC", value) != value:
        yield "value changes under NFC"


def _plaintext_features(args: dict[str, Any]) -> Iterator[str]:
    """The decrypted bytes' UTF-8 families: malformed, an encoded surrogate, where Java's replacement differs."""

    def key_bytes(text: str) -> bytes:
        return decode_base64(text) if args["base64Keys"] else java_utf8_encode(text)

    iv = key_bytes(args.get("ivOverride", args["ivKey"]))
    plain = aes.cbc_decrypt(key_bytes(args["secretKey"]), iv, decode_base64(args["cipherText"]))
    try:
        plain.decode("utf-8")
    except UnicodeDecodeError:
        yield "plaintext malformed UTF-8"
    if any(0xA0 <= plain[i + 1] <= 0xBF for i in range(len(plain) - 1) if plain[i] == 0xED):
        yield "plaintext has an encoded surrogate"
    if java_utf8_decode(plain) != plain.decode("utf-8", "replace"):
        yield "plaintext decoded otherwise by Java than by Python"


def _base64_marks(text: str) -> Iterator[str]:
    """The Base64 mutations visible in ``text``: the other alphabet, padding, junk, whitespace, line breaks."""
    if "+" in text or "/" in text:
        yield "standard alphabet"
    if "-" in text or "_" in text:
        yield "url-safe alphabet"
    if "=" in text.rstrip("="):
        yield "padding inside"
    elif text.endswith("="):
        yield "padding at the end"
    if any(junk in text for junk in m.BASE64_JUNK if junk.strip() and junk not in "=+-"):
        yield "junk"
    if any(space in text for space in m.WHITESPACE):
        yield "whitespace"
    if "\n" in text:
        yield "line break"
    if len(text.rstrip("=")) % 4 == 1:
        yield "a lone last character"


def _counted(make: Callable[[random.Random], dict[str, Any]], seed: int) -> Counter[str]:
    rnd, found = random.Random(seed), Counter()
    for _ in range(COUNTED):
        found.update(set(_features(make(rnd))))
    return found


@pytest.mark.parametrize("op", sorted(fast.GENERATORS))
def test_a_fast_generator_draws_every_family_of_the_readable_one_at_about_its_rate(op: str) -> None:
    readable, quick = GENERATORS[op], fast.GENERATORS[op]
    assert fast_generator(op) is quick and generator(op) is readable
    expected, drawn = _counted(readable, 1), _counted(quick, 1)
    assert len(expected) > 90  # the features tell the families apart
    for feature, count in sorted(expected.items()):
        rate = count / COUNTED
        if rate < COMMON:
            assert drawn[feature] > 0, feature
        else:
            assert 1 / RATE_FACTOR <= drawn[feature] / count <= RATE_FACTOR, (feature, count, drawn[feature])


@pytest.mark.parametrize("op", sorted(fast.GENERATORS))
def test_a_fast_generator_is_deterministic_by_seed(op: str) -> None:
    quick = fast.GENERATORS[op]
    for seed in range(200):
        first, second = random.Random(seed), random.Random(seed)
        assert [quick(first) for _ in range(16)] == [quick(second) for _ in range(16)], seed
    assert quick(random.Random(1)) != quick(random.Random(2))


def test_the_soups_are_drawn_from_a_fixed_seed() -> None:
    made, again = fast.Soups(size=4096), fast.Soups(size=4096)
    assert (made.tricky, made.utf8ish, made.keys, made.ascii_keys) == (
        again.tricky,
        again.utf8ish,
        again.keys,
        again.ascii_keys,
    )
    assert len(made.tricky) >= 4096 and len(made.starts) == 4097 and made.starts[-1] == len(made.utf8ish)
    assert fast.soups() is fast.soups()


def test_a_reused_context_seals_as_a_fresh_one() -> None:
    rnd = random.Random(3)
    for size in (16, 24, 32):
        key = os.urandom(size)
        sealer = fast._Sealer(key)
        for _ in range(500):
            iv, plain = rnd.randbytes(16), rnd.randbytes(rnd.randrange(70))
            assert sealer.seal(iv, plain) == cbc_seal(key, iv, plain)


def test_an_op_without_a_fast_generator_gets_its_readable_one() -> None:
    assert fast_generator("khoros.payload.decrypt") is GENERATORS["khoros.payload.decrypt"]


def test_an_unknown_engine_is_a_usage_error() -> None:
    plan = Plan("khoros_secure_transfer", ("khoros.skep.decrypt",), ImplementationSpec.builtin("python"),
                ImplementationSpec.builtin("java"), 10, engine="turbo")  # fmt: skip
    with pytest.raises(UsageError, match="--engine takes one of bulk, legacy"):
        check(plan)


def _timeless(found: dict) -> dict:
    return {key: value for key, value in found.items() if key not in _TIMES}


@pytest.mark.usefixtures("java_reference")
def test_both_engines_find_the_same_three_classes_and_each_is_deterministic() -> None:
    command = " ".join(shlex.quote(part) for part in (sys.executable, str(ADAPTERS / "planted_port.py"), "three"))
    plan, _ = check(
        Plan(
            "khoros_secure_transfer",
            ("khoros.skep.decrypt", "khoros.skep.encrypt"),
            ImplementationSpec.adapter(f"planted-three={command}"),
            ImplementationSpec.builtin("java"),
            3000,
            seed=5,
            batch=1024,
            keep=10_000,
            minimize=3,
        )
    )
    bulk = engine.run(plan).to_json()
    legacy = engine.run(dataclasses.replace(plan, engine="legacy")).to_json()
    assert len(bulk["classes"]) == len(legacy["classes"]) == 3
    assert {entry["signature"] for entry in bulk["classes"]} == {entry["signature"] for entry in legacy["classes"]}
    assert all(entry["example"]["minimized"] is not None for entry in bulk["classes"])
    assert bulk["casesPerOp"] == legacy["casesPerOp"]
    assert _timeless(engine.run(plan).to_json()) == _timeless(bulk)
