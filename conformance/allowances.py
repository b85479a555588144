"""Differences that ``DEVIATIONS.md`` documents: a campaign counts them apart, by flag, and never as divergences.

Each allowance recognizes its deviation from the case alone (the arguments and both answers), exactly as the
vectors' ``acceptable`` flag of the same name describes it; anything else that differs is a divergence.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from conformance import aes, catalog
from conformance.codecs import decode_base64, encode_base64_url_safe, java_utf8_decode
from conformance.errors import ConformanceError
from conformance.outcome import Outcome
from conformance.primitives import jwt as prim

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


def _malformed(outcome: Outcome) -> bool:
    return outcome.status == "error" and outcome.reason == "MalformedToken"


def _token(args: Mapping[str, Any]) -> str | None:
    token = args.get("token")
    return token if isinstance(token, str) and token.count(".") == 2 else None


def pyjwt_padded_segments(args: Mapping[str, Any], reference: Outcome, actual: Outcome) -> bool:
    """``PyJWTPaddedSegments``: a segment padded with ``=`` (to a multiple of four characters), which jsonwebtoken
    and the port (``actual``) refuse as no JWS (``MalformedToken``); PyJWT 2.15 (``reference``) strips the padding
    and answers the token's next step (a value when the signature verifies)."""
    token = _token(args)
    if token is None or prim.JWS_SHAPE.fullmatch(token) or not _malformed(actual) or _malformed(reference):
        return False
    segments = token.split(".")
    padded = [s for s in segments if s.endswith("=")]
    return all(len(s) % 4 == 0 and len(s) - len(s.rstrip("=")) <= 2 for s in padded) and bool(
        prim.JWS_SHAPE.fullmatch(".".join(s.rstrip("=") for s in segments))
    )


def _canonical(segment: str) -> bool:
    """Whether base64url ``segment`` is what encoding its bytes gives back (no 4n+1 length, zero trailing bits)."""
    return len(segment) % 4 != 1 and encode_base64_url_safe(prim.b64_lenient(segment)) == segment


def pyjwt_strict_base64(args: Mapping[str, Any], reference: Outcome, actual: Outcome) -> bool:
    """``PyJWTStrictBase64``: a JWS-shaped token with a segment that is not canonical base64url (4n+1 characters, or
    trailing bits that are not zero). Node's Buffer drops the extra bits, so jsonwebtoken and the port (``actual``)
    answer the token's next step; PyJWT 2.15 (``reference``) refuses it as not Base64 (``MalformedToken``)."""
    token = _token(args)
    if token is None or not prim.JWS_SHAPE.fullmatch(token) or not _malformed(reference) or _malformed(actual):
        return False
    return not all(_canonical(segment) for segment in token.split("."))


def pyjwt_empty_secret(args: Mapping[str, Any], reference: Outcome, actual: Outcome) -> bool:
    """``PyJWTEmptySecret``: an empty secret and a token with an empty signature. jsonwebtoken (and the port,
    ``actual``) computes the HMAC under the empty key, which does not match (``BadSignature``); PyJWT
    (``reference``) refuses the empty key (``EmptyKey``). Both refuse the token."""
    token = _token(args)
    return (
        token is not None
        and token.endswith(".")
        and args.get("secret") == ""
        and reference.status == "error"
        and reference.reason == "EmptyKey"
        and actual.status == "error"
        and actual.reason == "BadSignature"
    )


_PYJWT_READING = (
    ("PyJWTPaddedSegments", pyjwt_padded_segments),
    ("PyJWTStrictBase64", pyjwt_strict_base64),
    ("PyJWTEmptySecret", pyjwt_empty_secret),
)

#: op -> its (flag, allowance) pairs, as DEVIATIONS.md lists them (checked: a declared op, once); the documented
#: allowances of the ops of a kind come from the kind.
ALLOWANCES: catalog.OpTable[tuple[tuple[str, Allowance], ...]] = catalog.OpTable(
    "campaign allowances",
    {
        "khoros.payload.decrypt": (("OrgJsonLeniency", org_json_leniency),),
        "boldchat.sha512.secure": (("EmptyHashingKey", empty_hashing_key),),
        "stream.token.verify": _PYJWT_READING,
        "twilio.access_token.verify": _PYJWT_READING,
    },
    {found.op: made for found in catalog.kind_parts() if (made := found.allowances())},
)


def documented(op: str, args: Mapping[str, Any], reference: Outcome, actual: Outcome) -> str | None:
    """The flag of the documented deviation this difference is, or ``None`` when it is a divergence."""
    return next((flag for flag, allows in ALLOWANCES.get(op, ()) if allows(args, reference, actual)), None)
