"""The documented verifiers of the SDK token flows as live references: jsonwebtoken (``node``) and PyJWT (``pyjwt``),
each with the vendor's documented rules (``node_ref/server.mjs``, :mod:`conformance.references.pyjwt_sdk_tokens`).

A verify vector holds the answer both give (the same value, or the same reason). Where they differ as
``DEVIATIONS.md`` documents (a campaign allowance of :mod:`conformance.allowances` recognizes it), the vector holds
jsonwebtoken's answer, which the port follows, and is ``acceptable`` with the deviation's flag; any other
disagreement stops the generator (a finding, not a vector).
"""

from __future__ import annotations

from typing import Any

from conformance import allowances, judge
from conformance.errors import ConformanceError
from conformance.primitives import jwt as prim
from conformance.spec import built
from conformance.vectorgen import VectorFileBuilder

REFERENCES = ("node", "pyjwt")

#: The notes of the documented disagreements (DEVIATIONS.md), as a vector's flags.
DISAGREEMENT_NOTES = {
    "PyJWTPaddedSegments": {
        "bugType": "REFERENCE_QUIRK",
        "description": "References disagree (acceptable): a segment padded with '='. jsonwebtoken (and the port)"
        " finds no JWS (MalformedToken); PyJWT 2.15 strips the padding and goes on (a padded valid token verifies).",
    },
    "PyJWTStrictBase64": {
        "bugType": "REFERENCE_QUIRK",
        "description": "References disagree (acceptable): a segment that is not canonical base64url (trailing bits"
        " not zero). Node's Buffer drops the bits, so jsonwebtoken (and the port) goes on to the next step; PyJWT 2.15"
        " refuses the token as not Base64 (MalformedToken).",
    },
    "PyJWTEmptySecret": {
        "bugType": "REFERENCE_QUIRK",
        "description": "References disagree (acceptable): an empty secret and an empty signature. jsonwebtoken (and"
        " the port) computes the HMAC under the empty key, which does not match (BadSignature); PyJWT refuses the"
        " empty key (EmptyKey). Both refuse the token.",
    },
}


#: The notes of the flags :func:`reading_cases` gives.
READING_NOTES = {
    "NonCanonical": {
        "bugType": "LENIENCY",
        "description": "A segment whose base64url is not canonical (trailing bits not zero) under a valid signature"
        " over it as written: jsonwebtoken reads the bytes and accepts the token, so one token has several spellings.",
    },
}


def source(rules: str) -> dict[str, str]:
    """The verify group's source: both references (through the contract) and their versions."""
    versions: dict[str, str] = {}
    for name in REFERENCES:
        versions.update(built(name).versions())
    return {
        "name": f"{rules}, on jsonwebtoken (node) and on PyJWT, agreeing (through the contract)",
        "implementation": "node",
        "agreedBy": ", ".join(REFERENCES),
        **versions,
    }


def add(
    builder: VectorFileBuilder, group: dict[str, Any], comment: str, flags: list[str], args: dict[str, Any]
) -> None:
    """Record the answer both references give ``args``, or jsonwebtoken's as ``acceptable`` where they differ as
    documented. Raises :class:`ConformanceError` for any other disagreement."""
    node, pyjwt = (built(name).call_many([(group["op"], args)])[0] for name in REFERENCES)
    if judge.same(node, pyjwt):
        builder.add(group, built("node"), comment, flags, args)
        return
    flag = allowances.documented(group["op"], args, pyjwt, node)
    if flag is None:
        raise ConformanceError(
            f"{group['op']} ({comment}): node answers {node.describe()[:80]}, pyjwt {pyjwt.describe()[:80]}"
        )
    builder.notes[flag] = DISAGREEMENT_NOTES[flag]
    builder.add(group, built("node"), comment, [*flags, flag], args, result="acceptable")


def reading_cases(token: str, secret: str) -> list[tuple[str, list[str], str, str]]:
    """Where the references read a token differently: ``(comment, flags, token, secret)`` made from a valid HS256
    ``token`` under ``secret`` (whose payload segment's length is not a multiple of four)."""
    header, payload, signature = token.split(".")
    if len(payload) % 4 in (0, 1) or len(signature) % 4 == 0:
        raise ConformanceError("reading_cases needs a payload and a signature that base64url pads")
    key = secret.encode("utf-8")
    # the payload's last character with non-zero trailing bits: the same bytes to Node's Buffer, not to PyJWT
    loose = payload[:-1] + chr(ord(payload[-1]) + 1)
    if prim.b64_lenient(loose) != prim.b64_lenient(payload):
        raise ConformanceError("reading_cases: the payload's last character cannot carry trailing bits")
    loose_token = f"{header}.{loose}.{prim.hs256(f'{header}.{loose}', key)}"
    pad = "=" * (-len(signature) % 4)
    unsigned = f"{header}.{payload}."
    return [
        ("the signature padded with =", ["Malformed"], f"{token}{pad}", secret),
        ("the payload's trailing bits not zero, signed as written", ["NonCanonical"], loose_token, secret),
        ("an empty signature and an empty secret", ["EmptySignature"], unsigned, ""),
    ]


__all__ = ["DISAGREEMENT_NOTES", "READING_NOTES", "REFERENCES", "add", "reading_cases", "source"]
