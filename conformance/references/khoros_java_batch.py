"""Batch functions for the vendor's Java: a whole list of one Khoros op's calls in one JPype call.

The project's own ``dev.handoff.ref.KhorosBatch`` loops over the batch inside the JVM and answers each call exactly
as ``KhorosJsonLines`` and the per-call ops of :mod:`conformance.references.khoros_java` do (same vendor calls, same
reason paths). Arguments cross packed: one ``byte[]`` of big-endian UTF-16 code units (lone surrogates survive) and
one ``int[]`` of lengths; answers come back the same way. ``tests/test_fuzz_java_batch.py`` holds every Khoros
vector's batch answer to its per-call answer.
"""

from __future__ import annotations

import array
import json
import sys
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any

from conformance.errors import ReferenceUnavailable
from conformance.outcome import Outcome
from conformance.references import java

BATCH_CLASS = "dev.handoff.ref.KhorosBatch"
#: Kind bytes of KhorosBatch's answers.
VALUE, NULL, ERROR = 0, 1, 2

OPS = (
    "khoros.skep.encrypt",
    "khoros.skep.decrypt",
    "khoros.payload.decrypt",
    "khoros.cryptor.aes_hash_block",
    "khoros.cryptor.encrypt_cbc",
    "khoros.cryptor.decrypt_cbc",
    "khoros.cryptor.encrypt_gcm",
    "khoros.cryptor.decrypt_gcm",
)


@cache
def fields(op: str) -> tuple[tuple[str, bool], ...]:
    """The op's argument names in KhorosBatch's order, each with whether it crosses as a boolean."""
    names = [str(name) for name in java.jclass(BATCH_CLASS).fields(op)]
    return tuple((name.lstrip("?"), name.startswith("?")) for name in names)


def _pack(op: str, calls: Sequence[Mapping[str, Any]]) -> tuple[bytes, array.array]:
    """The calls' fields as one text of UTF-16 code units (encoded once) and each field's length in code units
    (-1: absent); an ASCII field's length is its length, any other's is counted by encoding it."""
    names = fields(op)
    texts: list[str] = []
    lengths = array.array("i")
    add_text, add_length = texts.append, lengths.append
    for args in calls:
        for name, boolean in names:
            value = args.get(name)
            if value is None:
                add_length(-1)
                continue
            if boolean:
                value = "true" if value else "false"
            add_text(value)
            add_length(len(value) if value.isascii() else len(value.encode("utf-16-be", "surrogatepass")) // 2)
    return "".join(texts).encode("utf-16-be", "surrogatepass"), lengths


def _int_array(data: bytes) -> array.array:
    values = array.array("i")
    values.frombytes(data)
    if sys.byteorder == "little":
        values.byteswap()
    return values


def _value_decoder(op: str) -> Callable[[str], Any]:
    if op == "khoros.payload.decrypt":
        return json.loads
    return lambda text: text


def _unpack(op: str, answer: Any) -> list[Outcome]:
    kinds = bytes(answer[0])
    lengths = _int_array(bytes(answer[1]))
    text = bytes(answer[2])
    decode = _value_decoder(op)
    outcomes: list[Outcome] = []
    offset = 0
    for kind, length in zip(kinds, lengths, strict=True):
        if kind == NULL:
            outcomes.append(Outcome.of_value(None))
            continue
        end = offset + 2 * length
        piece = text[offset:end].decode("utf-16-be", "surrogatepass")
        offset = end
        if kind == VALUE:
            outcomes.append(Outcome.of_value(decode(piece)))
        else:
            reason, _, message = piece.partition("\0")
            outcomes.append(Outcome.of_error(reason, message))
    return outcomes


def run_batch(op: str, calls: Sequence[Mapping[str, Any]]) -> list[Outcome]:
    """One outcome per call of ``op``, answered by the vendor's classes in one JPype call.

    Never raises for the JVM's failures: a JVM that cannot start makes every outcome *unavailable*, a failure of the
    bridge itself every outcome *io*.
    """
    if not calls:
        return []
    try:
        java.start()
        import jpype

        units, lengths = _pack(op, calls)
        answer = java.jclass(BATCH_CLASS).run(
            op, jpype.JArray(jpype.JByte)(units), jpype.JArray(jpype.JInt)(lengths), len(fields(op))
        )
        return _unpack(op, answer)
    except ReferenceUnavailable as exc:
        return [Outcome("unavailable", message=str(exc)) for _ in calls]
    except Exception as exc:  # the bridge itself failed: no call was answered
        return [Outcome("io", message=f"KhorosBatch failed: {type(exc).__name__}") for _ in calls]


def batch_functions() -> dict[str, Callable[[Sequence[Mapping[str, Any]]], list[Outcome]]]:
    """A batch function per Khoros op, for the implementation contract."""
    return {op: (lambda calls, op=op: run_batch(op, calls)) for op in OPS}
