"""The examples of issue 21, each alone: a typed refusal naming the argument, in bounded time, without its secret."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest

from conformance import catalog, judge, matrix, registry, vectors
from conformance.audit import gf128, guessing, hs256_jwt, khoros_cryptor, padding_oracle, report, sha512_extension, svg
from conformance.contract import from_python_object
from conformance.errors import ConformanceError, InvalidArgument, MalformedToken, PgpUnsupported, UnsupportedOperation
from conformance.openpgp import encryption, packets
from conformance.outcome import Outcome
from conformance.results import InteropCell, RunRecord

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
    "audit compact_json on bytes": (lambda: report.compact_json({"a": SECRET.encode()}), InvalidArgument, "JSON"),
    "audit compact_json 10,000 levels deep": (lambda: report.compact_json(_deep(10_000)), InvalidArgument, "deeper"),
    "svg.histogram with 2**63 bins": (
        lambda: svg.histogram({"a": [1.0, 2.0]}, title=SECRET, unit="s", bins=2**63),
        InvalidArgument,
        "bins",
    ),
    "the pure-Python SHA-512 over a megabyte": (
        lambda: sha512_extension.sha512(bytes(1 << 20)),
        InvalidArgument,
        "data",
    ),
    "a padding oracle asked to decrypt a megabyte": (
        lambda: padding_oracle.decrypt(lambda iv, block: True, bytes(16), bytes(1 << 20)),
        InvalidArgument,
        "ciphertext",
    ),
    "an oracle that raises": (
        lambda: padding_oracle.intermediate(lambda iv, block: {}[SECRET], bytes(16)),
        InvalidArgument,
        "oracle raised KeyError",
    ),
    "a guessing check that raises": (
        lambda: guessing.search([SECRET.encode()], lambda candidate: candidate.decode() + 1),
        InvalidArgument,
        "check raised TypeError",
    ),
    "HS256 verdicts at 100,000 times": (
        lambda: hs256_jwt.verdicts("zendesk.messaging_jwt.verify", SECRET, list(range(100_000))),
        InvalidArgument,
        "times",
    ),
    "HS256 verdicts of a signer op": (
        lambda: hs256_jwt.verdicts("zendesk.messaging_jwt.sign", SECRET, [1]),
        InvalidArgument,
        "verify_op",
    ),
    "encode_packet with tag 64": (lambda: packets.encode_packet(64, SECRET.encode()), InvalidArgument, "tag"),
    "encode_mpi(-1)": (lambda: packets.encode_mpi(-1), InvalidArgument, "value"),
    "an unknown cipher id": (lambda: encryption.encrypt_seipd(99, bytes(32), SECRET.encode()), PgpUnsupported, "id"),
    "a session key of the wrong length": (
        lambda: encryption.encrypt_seipd(encryption.AES_256, SECRET.encode(), b""),
        InvalidArgument,
        "session_key",
    ),
}


def _deep(depth: int) -> list[Any]:
    value: list[Any] = [SECRET]
    for _ in range(depth):
        value = [value]
    return value


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


# --- no matrix cell without items reads pass ---------------------------------------------------------------------


class _DeclaresThenRefuses:
    """An adapter that declares the Talkative and Thread ops, then answers every call unsupported."""

    def __init__(self) -> None:
        self.OPS = {op: self.refuse for op in catalog.op_names() if op.startswith(("talkative.", "thread."))}

    @staticmethod
    def refuse(args: Any) -> Any:
        raise UnsupportedOperation("not implemented")


def test_a_declared_then_unsupported_adapter_never_reads_pass_in_the_interop_matrix() -> None:
    """The issue's false green: python -> it, it -> python and it -> it cells said pass over 0 of 12 items."""
    mine = from_python_object(_DeclaresThenRefuses(), label="it")
    flows = [catalog.flow("talkative_signed_data"), catalog.flow("thread_messenger")]
    cases = [case for case in vectors.load_cases() if case.flow in {f.id for f in flows}]
    cells = matrix.run_interop(cases, [registry.shared("python"), mine], progress=False, flows=flows)
    touching = [cell for cell in cells if "it" in (cell.producer, cell.consumer)]
    assert touching, "the adapter takes part in no interop cell"
    for cell in touching:
        assert cell.passed == 0 and cell.verdict == "unsupported", (cell.producer, cell.consumer, cell.verdict)
    assert any(cell.verdict == "pass" and cell.passed for cell in cells if cell.producer == cell.consumer == "python")


def test_a_cell_that_checked_nothing_reads_unsupported_wherever_it_is_decided() -> None:
    """The rule lives in the judge; the matrix applies it, and so does a record read back (old records too)."""
    assert judge.cell_verdict("pass", 0) == "unsupported"
    assert judge.cell_verdict("pass", 3) == "pass" and judge.cell_verdict("fail", 0) == "fail"
    trip = catalog.flow("thread_messenger").round_trips[0]
    python = registry.shared("python")
    cell = matrix.interop_cell("f", trip, "it", python, [{}], [Outcome("unsupported")])  # 0 of 0 items
    assert (cell.verdict, cell.passed, cell.total) == ("unsupported", 0, 0)
    record = RunRecord(metadata={}, implementations={}, cases=[], interop=[InteropCell("f", "a", "b", "pass")])
    assert RunRecord.from_json(json.loads(json.dumps(record.to_json()))).interop[0].verdict == "unsupported"
