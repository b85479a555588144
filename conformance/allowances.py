"""Differences that ``DEVIATIONS.md`` documents: a campaign counts them apart, by flag, and never as divergences.

Each allowance recognizes its deviation from the case alone (the arguments and both answers), exactly as the
vectors' ``acceptable`` flag of the same name describes it; anything else that differs is a divergence.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from conformance import aes, catalog
from conformance.codecs import decode_base64, java_utf8_decode
from conformance.errors import ConformanceError
from conformance.outcome import Outcome

Allowance = Callable[[Mapping[str, Any], Outcome, Outcome], bool]


def _strict_object(text: str) -> bool:
    """Whether ``text`` is an RFC 8259 JSON object without duplicate names or non-finite numbers."""

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        if len({name for name, _ in items}) != len(items):
            raise ValueError("duplicate name")
        return dict(items)

    def constant(name: str) -> Any:
        raise ValueError(name)

    try:
        return isinstance(json.loads(text, object_pairs_hook=pairs, parse_constant=constant), dict)
    except (ValueError, RecursionError):
        return False


def org_json_leniency(args: Mapping[str, Any], reference: Outcome, actual: Outcome) -> bool:
    """``OrgJsonLeniency``: the reference's org.json accepted a plaintext that is not strict JSON; the port says
    ``None``. The plaintext is recovered as ``decryptPayload`` recovers it (keys and IV in lenient Base64,
    AES-CBC, Java's UTF-8), with the neutral AES and codec layers, never with the port under campaign."""
    if not (
        actual.status == "value"
        and actual.value is None
        and reference.status == "value"
        and reference.value is not None
    ):
        return False
    try:
        key, iv = decode_base64(args["encryptionKey"]), decode_base64(args["ivKey"])
        plain_text = java_utf8_decode(aes.cbc_decrypt(key, iv, decode_base64(args["encryptedPayload"])))
    except (ConformanceError, KeyError, TypeError):
        return False
    return not _strict_object(plain_text)


def empty_hashing_key(args: Mapping[str, Any], reference: Outcome, actual: Outcome) -> bool:
    """``EmptyHashingKey``: OpenSSL hashes the data under an empty BoldChat hashing key; the port refuses the key
    with ``EmptyKey``, before anything else (so also where the reference then refuses the data for another reason)."""
    return (
        args.get("hashingKey") == ""
        and actual.status == "error"
        and actual.reason == "EmptyKey"
        and reference.status in ("value", "error")
    )


#: op -> its (flag, allowance) pairs, as DEVIATIONS.md lists them (checked: a declared op, once); the documented
#: allowances of the ops of a kind come from the kind.
ALLOWANCES: catalog.OpTable[tuple[tuple[str, Allowance], ...]] = catalog.OpTable(
    "campaign allowances",
    {
        "khoros.payload.decrypt": (("OrgJsonLeniency", org_json_leniency),),
        "boldchat.sha512.secure": (("EmptyHashingKey", empty_hashing_key),),
    },
    {found.op: made for found in catalog.kind_parts() if (made := found.allowances())},
)


def documented(op: str, args: Mapping[str, Any], reference: Outcome, actual: Outcome) -> str | None:
    """The flag of the documented deviation this difference is, or ``None`` when it is a divergence."""
    return next((flag for flag, allows in ALLOWANCES.get(op, ()) if allows(args, reference, actual)), None)
