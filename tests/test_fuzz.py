"""The campaign engine: generators for every op, determinism, shards, minimization, documented deviations, and
planted divergences in adapters found and minimized against the vendor's Java."""

from __future__ import annotations

import random
import shlex
import sys
import unicodedata
from pathlib import Path

import pytest

from conformance import catalog
from conformance.contract import from_python_object
from conformance.errors import ReferenceFailure, UsageError
from conformance.fuzz import engine, record, shards
from conformance.fuzz._reducers import ZERO_KEY_B64, _cbc_open
from conformance.fuzz.classes import ranked, signature
from conformance.fuzz.generators import EXCLUDED, GENERATORS, generator
from conformance.fuzz.minimize import minimize
from conformance.fuzz.plan import Plan, check, select_ops
from conformance.judge import campaign
from conformance.outcome import Outcome
from conformance.spec import ImplementationSpec

ADAPTERS = Path(__file__).resolve().parent / "fixtures" / "adapters"
ST = "khoros_secure_transfer"


def planted(mode: str) -> str:
    command = " ".join(shlex.quote(part) for part in (sys.executable, str(ADAPTERS / "planted_port.py"), mode))
    return f"planted-{mode}={command}"


# --- generators ---------------------------------------------------------------------------------------------------


def test_every_catalog_op_has_a_generator_or_a_stated_exclusion() -> None:
    ops = set(catalog.op_names())
    assert ops == set(GENERATORS) | set(EXCLUDED)
    assert not set(GENERATORS) & set(EXCLUDED)
    for op, why in EXCLUDED.items():
        assert len(why) > 40, op
        with pytest.raises(UsageError, match="no campaign generator"):
            generator(op)


@pytest.mark.parametrize("op", sorted(GENERATORS))
def test_generated_arguments_fit_the_op_schema(op: str) -> None:
    rnd = random.Random(op)
    for _ in range(40 if op.startswith("boldchat.pgp") else 400):
        catalog.check_args(op, GENERATORS[op](rnd))


def test_cases_are_deterministic_by_seed_and_differ_across_seeds() -> None:
    ops = select_ops(ST)
    gens = [generator(op) for op in ops]
    first = list(shards.block_cases(7, 3, 1000, ops, gens))
    again = list(shards.block_cases(7, 3, 1000, ops, gens))
    other = list(shards.block_cases(8, 3, 1000, ops, gens))
    assert first == again
    assert [args for _, _, args in first] != [args for _, _, args in other]
    assert [index for index, _, _ in first] == list(range(3 * shards.BLOCK, 4 * shards.BLOCK))
    assert shards.case_args(7, 3 * shards.BLOCK + 5, 1000, ops, gens) == first[5][2]


def test_shards_and_jobs_partition_the_campaign() -> None:
    cases = 10_000
    everything = list(shards.Shard().part().blocks(cases))
    for count in (1, 2, 3, 7):
        parts = [shards.Shard(k, count).part() for k in range(1, count + 1)]
        got = sorted(b for part in parts for b in part.blocks(cases))
        assert got == everything
        assert sum(part.size(cases) for part in parts) == cases
        for part in parts:
            jobs = part.jobs(3)
            assert sorted(b for job in jobs for b in job.blocks(cases)) == list(part.blocks(cases))


@pytest.mark.parametrize("text", ["0/2", "3/2", "1-2", "x", "2/"])
def test_bad_shards_are_usage_errors(text: str) -> None:
    with pytest.raises(UsageError):
        shards.Shard.parse(text)


# --- minimization and documented deviations ----------------------------------------------------------------------


def test_minimize_shrinks_while_the_divergence_lasts() -> None:
    """A fake port that is wrong on any text holding 'Z': the input shrinks to the one 'Z'."""
    from conformance.vendors.thread import OPS

    def broken(args: dict) -> str:
        return "bad" if "Z" in args["text"] else OPS["thread.text_bytes"](args)

    reference = from_python_object({"thread.text_bytes": OPS["thread.text_bytes"]}, label="ref")
    implementation = from_python_object({"thread.text_bytes": broken}, label="broken")
    args = {"text": "abc\u00e9Zdef\U0001f600ghiZ"}
    answers = (
        reference.call_many([("thread.text_bytes", args)])[0],
        implementation.call_many([("thread.text_bytes", args)])[0],
    )
    small = minimize("thread.text_bytes", args, implementation, reference, answers)
    assert small["args"] == {"text": "Z"}
    assert small["actual"]["value"] == "bad" and small["reference"]["value"] == "5a"


def test_org_json_leniency_is_counted_apart_but_other_differences_are_not() -> None:
    from conformance.codecs import encode_base64_url_safe
    from conformance.fuzz.generators.khoros import cbc_seal

    def args_for(plain: bytes) -> dict:
        text = encode_base64_url_safe(cbc_seal(bytes(16), bytes(16), plain) or b"")
        return {"ivKey": ZERO_KEY_B64, "encryptionKey": ZERO_KEY_B64, "encryptedPayload": text}

    java_lenient = Outcome.of_value({})
    lenient = campaign("khoros.payload.decrypt", args_for(b"{}a"), java_lenient, Outcome.of_value(None))
    assert (lenient.verdict, lenient.flag) == ("deviation", "OrgJsonLeniency")
    assert campaign("khoros.payload.decrypt", args_for(b"{}"), java_lenient, Outcome.of_value(None)).flag == ""
    assert campaign("khoros.payload.decrypt", args_for(b"{}a"), java_lenient, Outcome.of_value({"a": 1})).flag == ""
    assert campaign("khoros.skep.decrypt", args_for(b"{}a"), java_lenient, Outcome.of_value(None)).verdict == "fail"


def test_an_empty_hashing_key_is_the_documented_deviation_only_when_empty() -> None:
    hashed, refused = Outcome.of_value("CF83..."), Outcome.of_error("EmptyKey", "the hashing key must not be empty")
    op = "boldchat.sha512.secure"
    assert campaign(op, {"encoded": "a=b", "hashingKey": ""}, hashed, refused).flag == "EmptyHashingKey"
    assert campaign(op, {"encoded": "a=b", "hashingKey": "k"}, hashed, refused).flag == ""
    assert campaign(op, {"encoded": "a=b", "hashingKey": ""}, hashed, Outcome.of_value("other")).flag == ""
    unencodable = Outcome.of_error("InvalidArgument", "not encodable as UTF-8")
    assert campaign(op, {"encoded": "\ud800", "hashingKey": ""}, unencodable, refused).flag == "EmptyHashingKey"


# --- records ------------------------------------------------------------------------------------------------------


def _record(index: int, count: int, seed: int = 1) -> record.CampaignRecord:
    return record.CampaignRecord(
        flow=ST, ops=["khoros.skep.decrypt"], seed=seed, requested=100, shard_count=count, shards=[index],
        implementation={"name": "python"}, reference={"name": "java"}, cases=50, seconds=2.0,
    )  # fmt: skip


def test_merge_refuses_records_of_other_campaigns_and_repeated_shards() -> None:
    with pytest.raises(UsageError, match="seed"):
        record.merge([_record(1, 2), _record(2, 2, seed=2)])
    with pytest.raises(UsageError, match="more than once"):
        record.merge([_record(1, 2), _record(1, 2)])
    merged = record.merge([_record(2, 2), _record(1, 2)])
    assert (merged.cases, merged.shards, merged.complete, merged.seconds) == (100, [1, 2], True, 2.0)
    assert not record.merge([_record(1, 3), _record(3, 3)]).complete


# --- campaigns against the vendor's Java --------------------------------------------------------------------------


def _campaign(mode: str, cases: int, shard: str | None = None, minimize_count: int = 3) -> record.CampaignRecord:
    plan = Plan(
        ST,
        ("khoros.skep.decrypt",),
        ImplementationSpec.adapter(planted(mode)),
        ImplementationSpec.builtin("java"),
        cases,
        seed=11,
        shard=shards.Shard.parse(shard),
        batch=2048,
        keep=100_000,
        minimize=minimize_count,
    )
    checked, _ = check(plan)
    return engine.run(checked)


@pytest.mark.usefixtures("java_reference")
def test_the_control_adapter_has_no_divergence() -> None:
    result = _campaign("none", 6000)
    assert result.cases == 6000 and result.divergence_count == 0, result.divergences[:1]


def _plaintext(args: dict) -> bytes:
    from conformance.codecs import decode_base64

    assert decode_base64(args["secretKey"]) == decode_base64(args["ivKey"]) == bytes(16)  # the minimizer's key
    plain = _cbc_open(bytes(16), bytes(16), decode_base64(args["cipherText"]))
    assert plain is not None
    return plain


@pytest.mark.usefixtures("java_reference")
def test_a_campaign_finds_python_utf8_replacement_and_minimizes_it() -> None:
    result = _campaign("utf8-replace", 6000)
    assert result.divergence_count > 50
    assert result.classes
    for entry in ranked(result.classes)[:3]:
        small = entry.example.minimized
        assert small is not None and small["steps"] > 0
        plain = _plaintext(small["args"])
        assert len(plain) <= 4, plain  # a single malformed sequence
        assert small["actual"]["value"] == plain.decode("utf-8", "replace")  # the planted bug
        assert small["reference"]["value"] != small["actual"]["value"]


@pytest.mark.usefixtures("java_reference")
def test_a_campaign_finds_nfc_normalization_and_minimizes_it() -> None:
    result = _campaign("nfc", 6000)
    assert result.divergence_count > 20
    assert result.classes
    for entry in ranked(result.classes)[:3]:
        small = entry.example.minimized
        assert small is not None
        plain = _plaintext(small["args"])
        expected = small["reference"]["value"]
        assert len(expected) <= 3, plain
        assert small["actual"]["value"] == unicodedata.normalize("NFC", expected) != expected


@pytest.mark.usefixtures("java_reference")
def test_three_planted_mistakes_are_three_classes_each_minimized() -> None:
    result = _campaign("three", 4000)
    classes = ranked(result.classes)
    kinds = sorted(entry.signature.partition(": ")[2] for entry in classes)
    assert kinds == [
        "error EncryptionError/BadPadding / error EncryptionError/IllegalBlockSize",
        "value / value (Unicode normalization)",
        "value / value (replacement characters)",
    ]
    assert sum(entry.count for entry in classes) == result.divergence_count
    for entry in classes:
        small = entry.example.minimized
        assert small is not None and small["steps"] > 0, entry.signature
        answers = (Outcome.from_record(small["reference"]), Outcome.from_record(small["actual"]))
        assert signature(entry.example.op, *answers) == entry.signature
        # a one-block ciphertext (bad padding) cannot be shorter: its key and IV are what shrink
        assert small["args"] != entry.example.args
        assert len(small["args"]["cipherText"]) <= len(entry.example.args["cipherText"])


@pytest.mark.usefixtures("java_reference")
def test_shards_merged_equal_the_unsharded_campaign() -> None:
    whole = _campaign("utf8-replace", 3000, minimize_count=0)
    parts = [_campaign("utf8-replace", 3000, f"{k}/3", minimize_count=0) for k in (1, 2, 3)]
    merged = record.merge(parts)
    assert merged.complete and merged.cases == whole.cases == 3000
    assert merged.divergence_count == whole.divergence_count > 0
    assert [d.to_json() for d in merged.divergences] == [d.to_json() for d in whole.divergences]
    assert merged.to_json()["classes"] == whole.to_json()["classes"] != []


@pytest.mark.usefixtures("java_reference")
def test_jobs_give_the_same_campaign_as_one_process() -> None:
    plan, _ = check(
        Plan(
            ST,
            select_ops(ST),
            ImplementationSpec.adapter(planted("nfc")),
            ImplementationSpec.builtin("java"),
            2000,
            seed=3,
            keep=10_000,
            minimize=0,
        )
    )
    one, two = engine.run(plan), engine.run(plan, jobs=2)
    assert (two.cases, two.divergence_count, two.jobs) == (one.cases, one.divergence_count, 2)
    assert [d.case for d in two.divergences] == [d.case for d in one.divergences]


def test_a_class_names_the_kind_of_difference_not_generated_keys() -> None:
    op = "khoros.payload.decrypt"
    replaced = signature(op, Outcome.of_value({"k\ufffd": 1}), Outcome.of_value({"k\ufffd\ufffd": 1}))
    assert replaced == f"{op}: value / value (JSON: replacement characters)"
    assert signature(op, Outcome.of_value({"x": [1]}), Outcome.of_value({"x": [1], "y": 2})).endswith("members)")
    assert signature(op, Outcome.of_value("A"), Outcome.of_value("a")).endswith("(letter case)")
    assert (
        signature(op, Outcome.of_error("BadPadding", "m"), Outcome.of_value("a")) == f"{op}: error BadPadding / value"
    )


def test_a_failing_reference_stops_the_campaign() -> None:
    crashy = " ".join(shlex.quote(p) for p in (sys.executable, str(ADAPTERS / "crashy.py"), "normal"))
    plan = Plan(
        ST,
        ("khoros.skep.decrypt",),
        ImplementationSpec.builtin("python"),
        ImplementationSpec.adapter(f"crashy={crashy}"),
        10,
    )
    with pytest.raises(UsageError, match=r"left out|answered by both"):
        check(plan)
    with pytest.raises(ReferenceFailure, match="stops"):
        engine._judge(
            plan,
            from_python_object({}, label="ref"),
            [(0, "khoros.skep.decrypt", {})],
            [Outcome("io", message="gone")],
            [Outcome.of_value("x")],
            engine.PartResult(),
        )
