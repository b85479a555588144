"""The memo of decrypted session keys (the port's ``openpgp.encryption._rsa_decrypt``, the BouncyCastle helper's
``SessionKeyMemo``): every answer with the memo is the answer without it, and the memo does answer."""

from __future__ import annotations

import random

import pytest

from conformance import catalog, registry
from conformance.fuzz.generators import generator
from conformance.judge import same
from conformance.openpgp import encryption
from conformance.references import bouncycastle
from tests.conftest import require

OP = "boldchat.pgp.open"
BOUNCYCASTLE = [name for name in catalog.flow("boldchat_pgp").references if name.startswith("bc")]


def _cases(count: int = 300, seed: int = 7) -> list[tuple[str, dict[str, str]]]:
    """Generated campaign cases: mutated corpus messages, most of them keeping an encrypted session key seen before."""
    draw, rnd = generator(OP), random.Random(seed)
    return [(OP, draw(rnd)) for _ in range(count)]


def test_the_port_answers_alike_with_and_without_its_memo(monkeypatch: pytest.MonkeyPatch) -> None:
    cases = _cases()
    port = registry.shared("python")
    encryption._rsa_decrypt.cache_clear()
    remembered = port.call_many(cases) + port.call_many(cases)
    hits = encryption._rsa_decrypt.cache_info().hits
    monkeypatch.setattr(encryption, "_rsa_decrypt", encryption._rsa_decrypt.__wrapped__)
    fresh = port.call_many(cases)
    assert hits > len(cases)  # the second pass was answered from the memo, and many cases of the first
    assert [same(a, b) for a, b in zip(remembered, fresh * 2, strict=True)] == [True] * len(remembered)
    assert any(answer.status == "value" for answer in fresh)


@pytest.mark.parametrize("reference", BOUNCYCASTLE)
def test_bouncycastle_answers_alike_with_and_without_the_helpers_memo(reference: str) -> None:
    require(reference)
    cases = _cases(seed=11)
    helper, implementation = bouncycastle.helper(reference), registry.shared(reference)
    try:
        helper.rememberSessionKeys(False)
        fresh = implementation.call_many(cases)
        helper.rememberSessionKeys(True)
        before = int(helper.rememberedSessionKeys())
        remembered = implementation.call_many(cases) + implementation.call_many(cases)
        answered = int(helper.rememberedSessionKeys()) - before
    finally:
        helper.rememberSessionKeys(True)
    assert answered > len(cases)
    assert [same(a, b) for a, b in zip(remembered, fresh * 2, strict=True)] == [True] * len(remembered)
    assert any(answer.status == "value" for answer in fresh)
