"""Producer -> consumer flows: what one implementation makes, every other must accept (the N x N matrix)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from conformance.codecs import java_utf8_decode, java_utf8_encode


@dataclass(frozen=True)
class RoundTrip:
    """``producer_op`` output fed to ``consumer_op``; the consumer must answer ``expected(producer args)``."""

    flow: str
    producer_op: str
    consumer_op: str
    consumer_args: Callable[[Mapping[str, Any], Any], dict[str, Any]]
    expected: Callable[[Mapping[str, Any]], Any]


def _skep_consumer(args: Mapping[str, Any], produced: Any) -> dict[str, Any]:
    consumer = {k: v for k, v in args.items() if k != "plainText"}
    consumer["cipherText"] = produced
    return consumer


ROUND_TRIPS: list[RoundTrip] = [
    RoundTrip(
        "khoros-secure-transfer",
        "khoros.skep.encrypt",
        "khoros.skep.decrypt",
        _skep_consumer,
        lambda args: java_utf8_decode(java_utf8_encode(args["plainText"])),
    ),
    RoundTrip(
        "khoros-cryptor-gcm",
        "khoros.cryptor.encrypt_gcm",
        "khoros.cryptor.decrypt_gcm",
        lambda args, produced: {**args, "value": produced},
        lambda args: args["value"],
    ),
    RoundTrip(
        "khoros-cryptor-cbc",
        "khoros.cryptor.encrypt_cbc",
        "khoros.cryptor.decrypt_cbc",
        lambda args, produced: {**args, "value": produced},
        lambda args: args["value"],
    ),
]
