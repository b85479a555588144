"""The JVM batch (``dev.handoff.ref.KhorosBatch`` through ``conformance.references.khoros_java_batch``): every
Khoros vector answered in batches exactly as by the per-call JPype ops, and the Java and Python reason rules agree."""

from __future__ import annotations

import random

import pytest

from conformance import vectors
from conformance.outcome import capture
from conformance.references import java, khoros_java, khoros_java_batch

pytestmark = pytest.mark.usefixtures("java_reference")


def _khoros_cases() -> list[vectors.VectorCase]:
    return [case for case in vectors.load_cases() if case.op in khoros_java_batch.OPS]


def test_every_khoros_vector_answers_alike_in_batches_and_per_call() -> None:
    cases = _khoros_cases()
    assert len(cases) > 300
    by_op: dict[str, list[vectors.VectorCase]] = {}
    for case in cases:
        by_op.setdefault(case.op, []).append(case)
    assert set(by_op) == set(khoros_java_batch.OPS)
    for op, group in by_op.items():
        batched = khoros_java_batch.run_batch(op, [case.input for case in group])
        for case, answer in zip(group, batched, strict=True):
            single = capture(khoros_java.OPS[op], case.input)
            assert answer.record() == single.record(), (
                f"{case.case_id}: batch {answer.describe()}, per call {single.describe()}"
            )


def test_lone_surrogates_and_astral_text_cross_the_packed_batch() -> None:
    texts = ["\ud800", "a\udfffb", "\U0001f600", "\ud83d\ude00", "\ud83d", "", "\u0000\u00e9\u4e2d"]
    calls = [{"s": text} for text in texts]
    batched = khoros_java_batch.run_batch("khoros.cryptor.aes_hash_block", calls)
    for args, answer in zip(calls, batched, strict=True):
        assert answer.record() == capture(khoros_java.OPS["khoros.cryptor.aes_hash_block"], args).record()


def test_the_registry_java_implementation_uses_the_batch() -> None:
    assert set(khoros_java.batches()) == set(khoros_java_batch.OPS)
    rnd = random.Random(7)
    calls = [{"s": "".join(chr(rnd.randrange(0xD700, 0xE100)) for _ in range(5))} for _ in range(50)]
    batched = khoros_java_batch.run_batch("khoros.cryptor.aes_hash_block", calls)
    assert [a.value for a in batched] == [
        capture(khoros_java.OPS["khoros.cryptor.aes_hash_block"], c).value for c in calls
    ]


@pytest.mark.parametrize(
    ("class_name", "message"),
    [
        ("javax.crypto.AEADBadTagException", "Tag mismatch"),
        ("javax.crypto.BadPaddingException", "pad"),
        ("javax.crypto.IllegalBlockSizeException", "size"),
        ("java.security.InvalidKeyException", "key"),
        ("java.security.InvalidAlgorithmParameterException", "iv"),
        ("javax.crypto.ShortBufferException", "short"),
        ("java.security.ProviderException", "provider"),
        ("java.lang.IllegalArgumentException", "Empty key"),
        ("java.lang.IllegalArgumentException", "Illegal base64 character"),
        ("java.lang.IllegalArgumentException", "Last unit does not have enough valid bits for Base 64"),
        ("java.lang.IllegalArgumentException", "something else"),
        ("java.lang.IllegalStateException", "other"),
    ],
)
def test_java_and_python_reason_rules_agree(class_name: str, message: str) -> None:
    """KhorosBatch (via KhorosJsonLines) restates java.py's exception -> reason rules in Java: they must agree,
    on an exception alone and under a cause chain."""
    made = java.jclass(class_name)(message)
    wrapper = java.jclass("com.lithium.bandolier.encryption.errors.EncryptionException")
    chains = [made, wrapper("outer", made), wrapper("twice", wrapper("inner", made))]
    batch = java.jclass(khoros_java_batch.BATCH_CLASS)
    for throwable in chains:
        assert str(batch.reasonPath(throwable)) == java.reason_path(throwable)


def test_a_null_pointer_exception_is_a_null_argument_in_both() -> None:
    """JPype cannot hand its NullPointerException proxy back to Java, so this one is thrown inside the batch: the
    vendor's checkNotNull on a missing key (a call the contract would refuse before it reached Java)."""
    (answer,) = khoros_java_batch.run_batch(
        "khoros.skep.decrypt", [{"ivKey": "x", "base64Keys": True, "cipherText": "x"}]
    )
    assert answer.reason == dict(java._REASONS)["java.lang.NullPointerException"] == "NullArgument"
