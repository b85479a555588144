"""The vectors every flow of the ``hs256_jwt`` kinds shares: the brand's ``jwt.sign`` and the documented check.

A flow's generator names its ops, its document's own examples and a seed; this module adds the kind's common cases
(every mutation of :data:`conformance.kinds.jwt.MUTATIONS`, claim types and lengths, key sets, time edges) and asks
each expected output of the flow's first reference through the contract. Every other reference of the flow then
answers each vector, judged as a run judges it (a token in other bytes is settled through the flow's consumers):
where one disagrees, the vector is ``acceptable`` with the flag of that documented disagreement
(:func:`disagreement`); any other disagreement stops generation. Inputs are made here with a fixed seed, so the file
is reproducible byte for byte (HS256 is deterministic).
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from conformance import catalog, judge, runner
from conformance.errors import ConformanceError
from conformance.kinds.jwt import MUTATIONS, NOW, verify_case
from conformance.primitives.jwt import b64_lenient
from conformance.results import CaseResult
from conformance.spec import built
from conformance.vectorgen import VectorFileBuilder
from conformance.vectors import VectorCase

NOTES: dict[str, dict[str, str]] = {
    "DocumentExample": {"bugType": "BASIC", "description": "The vendor document's own claim set and call."},
    "Normal": {"bugType": "BASIC", "description": "An ordinary token or verification."},
    "HeaderKeyOrder": {
        "bugType": "ENCODING",
        "description": "jsonwebtoken writes the header as {alg, typ, kid, ...}; PyJWT sorts the keys (alg, kid, typ):"
        " the bytes differ, the check takes both.",
    },
    "IatAdded": {
        "bugType": "FUNCTIONALITY",
        "description": "jsonwebtoken adds iat = now (last) when the claims have none, and replaces a falsy iat (0).",
    },
    "RawUtf8": {"bugType": "ENCODING", "description": "Non-ASCII claim values are written raw (UTF-8)."},
    "NumberFormatting": {
        "bugType": "ENCODING",
        "description": "Numbers are written as JavaScript writes them (1e+21, shortest round-trip digits).",
    },
    "KeyOrder": {
        "bugType": "ENCODING",
        "description": "JSON.stringify writes integer-like keys first, ascending, then the others in order.",
    },
    "BadIatType": {"bugType": "MALFORMED", "description": "jwt.sign refuses an iat, exp or nbf that is not a number."},
    "EmptyKey": {"bugType": "MALFORMED", "description": "An empty secret is refused."},
    "WrongSecret": {
        "bugType": "SIGNATURE_BYPASS",
        "description": "Signed with another secret (another platform's, a rotated one): invalid signature.",
    },
    "WrongKid": {
        "bugType": "KID_BYPASS",
        "description": "The header's kid names another key of the set (or none of it): the secret it picks does not"
        " verify, or no key is found.",
    },
    "WrongKidAmongTen": {
        "bugType": "KID_BYPASS",
        "description": "Ten signing keys: the token names key 3 and is signed with key 7's secret.",
    },
    "MissingKid": {"bugType": "KID_BYPASS", "description": "The header has no kid: no key can be chosen."},
    "AlgNone": {
        "bugType": "ALG_CONFUSION",
        "description": "alg none (any case) with an empty signature: only HS256 is allowed.",
    },
    "OtherAlgorithm": {
        "bugType": "ALG_CONFUSION",
        "description": "HS384, HS512, RS256 or ES256 in the header: only HS256 is allowed.",
    },
    "EmptySignature": {"bugType": "SIGNATURE_BYPASS", "description": "alg HS256 with an empty signature part."},
    "Tampered": {"bugType": "SIGNATURE_BYPASS", "description": "The payload was changed after signing."},
    "MissingTyp": {"bugType": "FUNCTIONALITY", "description": "A required header field (typ: JWT) is missing."},
    "WrongTyp": {"bugType": "FUNCTIONALITY", "description": "A required header field holds another value."},
    "MissingClaim": {"bugType": "FUNCTIONALITY", "description": "A claim is removed (required ones are refused)."},
    "ClaimAsNumber": {
        "bugType": "FUNCTIONALITY",
        "description": "A string claim (external_id, user_id) sent as a JSON number.",
    },
    "ClaimTooLong": {
        "bugType": "EDGE_CASE",
        "description": "A claim one or more characters over its documented length (external_id: 255).",
    },
    "ClaimAtLimit": {"bugType": "EDGE_CASE", "description": "A claim exactly at its documented length."},
    "WrongConst": {"bugType": "FUNCTIONALITY", "description": "A fixed claim (scope: user) holds another value."},
    "Expired": {"bugType": "EXPIRY_BYPASS", "description": "exp is before the verification time."},
    "ExpBoundary": {
        "bugType": "EXPIRY_BYPASS",
        "description": "exp one second before, at or after now: a token is expired from now >= exp.",
    },
    "NoExp": {
        "bugType": "EDGE_CASE",
        "description": "No exp: the check honours exp only when present, so such a token never expires.",
    },
    "NotYetValid": {"bugType": "EXPIRY_BYPASS", "description": "nbf is after the verification time."},
    "IatTooOld": {"bugType": "EXPIRY_BYPASS", "description": "iat is older than the scheme's window."},
    "IatBoundary": {
        "bugType": "EXPIRY_BYPASS",
        "description": "iat one second inside, at or past the window: too old from now >= iat + window.",
    },
    "IatMissing": {
        "bugType": "EXPIRY_BYPASS",
        "description": "No iat: refused where freshness comes from iat, accepted elsewhere.",
    },
    "NoIdentity": {"bugType": "FUNCTIONALITY", "description": "None of the identity claims is present."},
    "IdentityPrecedence": {
        "bugType": "FUNCTIONALITY",
        "description": "Several identity claims: the first of the documented precedence is the identity.",
    },
    "PayloadNotObject": {"bugType": "MALFORMED", "description": "The payload is JSON but not an object."},
    "Malformed": {"bugType": "MALFORMED", "description": "Not a JWS: parts, base64url alphabet, header JSON."},
    "SecretTrailingNewline": {
        "bugType": "FUNCTIONALITY",
        "description": "One side's secret ends with the newline of the file or environment variable it was read"
        " from: the HMAC keys differ, the signature does not verify.",
    },
}


DISAGREEMENT_NOTES: dict[str, dict[str, str]] = {
    "RubyLenientBase64": {
        "bugType": "MALFORMED",
        "description": "References disagree (acceptable): a character outside base64url in a segment. jsonwebtoken"
        " (and the port) refuse the token as not a JWS (MalformedToken); ruby-jwt 2.5 decodes the segment as RFC 2045"
        " Base64, skipping the character, and refuses the token at its signature (BadSignature). Both refuse it.",
    },
    "RubyShortKey": {
        "bugType": "WEAKNESS",
        "description": "References disagree (acceptable): ruby-jwt 2.5 signs with an RSA key under 2048 bits;"
        " jsonwebtoken 9 (and the port) refuse it (InvalidKeyMaterial).",
    },
    "RubyEmptyPem": {
        "bugType": "MALFORMED",
        "description": "References disagree (acceptable): an empty private key. jsonwebtoken (and the port) refuse"
        " it as EmptyKey; Ruby's OpenSSL::PKey::RSA.new cannot read it (InvalidKeyMaterial).",
    },
    "RubyJsonNumbers": {
        "bugType": "ENCODING",
        "description": "References disagree (acceptable): Ruby's JSON writes an integer beyond 2**53 exactly and a"
        " float as Ruby prints it (1.0e+21, -0.0); jsonwebtoken writes JavaScript's nearest double (9007199254740992,"
        " 1e+21, 0). A consumer that keeps integers exact (PyJWT, ruby-jwt) recovers another number.",
    },
}


def _ruby_numbers(case: VectorCase) -> bool:
    def numbers(value: Any) -> bool:
        if isinstance(value, dict):
            return any(numbers(v) for v in value.values())
        if isinstance(value, list):
            return any(numbers(v) for v in value)
        return isinstance(value, float) or (
            isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**53
        )

    return catalog.op(case.op).role == "produces" and numbers(case.input["claims"])


def disagreement(case: VectorCase, result: CaseResult) -> str | None:
    """The flag of the documented disagreement a reference's answer to a vector is (DEVIATIONS.md), or ``None``."""
    from conformance.references import ruby

    if result.implementation != "ruby":
        return None
    flag = ruby.documented(case.input, result.actual, judge.expected_outcome(case))
    return flag or ("RubyJsonNumbers" if _ruby_numbers(case) else None)


@dataclass
class FlowVectors:
    """What a flow of the HS256 kinds gives its vector file: ops, header lines, its document's examples."""

    flow: str
    sign_op: str
    verify_op: str
    header: list[str]
    #: (comment, claims) of the document's own examples, signed then verified.
    examples: list[tuple[str, dict[str, Any]]]
    seed: int
    extra_notes: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


def source(name: str) -> dict[str, str]:
    implementation = built(name)
    return {"name": f"{name} (through the contract)", "implementation": name, **implementation.versions()}


def intermediate(token: str) -> dict[str, str]:
    """RFC 7520-style intermediate values, decoded from the token the reference produced."""
    header, payload, signature = token.split(".")
    header_bytes, payload_bytes = b64_lenient(header), b64_lenient(payload)
    return {
        "headerJson": header_bytes.decode("latin-1"),
        "encodedHeader": header,
        "payloadJson": payload_bytes.decode("utf-8"),
        "encodedPayload": payload,
        "signingInput": f"{header}.{payload}",
        "signature": signature,
    }


def _keys(params: Mapping[str, Any], secret: str, kid: str) -> dict[str, Any]:
    if params["kid"] == "required":
        return {"keys": [{"kid": kid, "secret": secret}]}
    return {"secret": secret}


def build(spec: FlowVectors) -> VectorFileBuilder:
    """The flow's vector file: sign then verify groups, every expected answer from the flow's first reference."""
    entry = catalog.flow(spec.flow)
    ref = built(entry.references[0])
    sign_params = catalog.part(spec.sign_op).params  # type: ignore[union-attr]
    params = catalog.part(spec.verify_op).params  # type: ignore[union-attr]
    b = VectorFileBuilder(
        spec.flow,
        entry.schema_file,
        {**NOTES, **{k: dict(v) for k, v in spec.extra_notes.items()}},
        header=[*spec.header, f"Every test fixes the clock: now = {NOW} (seconds) unless its input says otherwise."],
    )
    rnd = random.Random(spec.seed)
    secret, kid = "TEST secret of the vectors", "app_64f0c0ffee0000000000test"
    signing = {"secret": secret, "now": NOW, **({"keyId": kid} if sign_params["kid"] == "required" else {})}

    sign = b.group(spec.sign_op, source(ref.name))
    signed: list[tuple[str, dict[str, Any], list[str]]] = []

    def add_sign(comment: str, flags: list[str], claims: dict[str, Any], **overrides: Any) -> None:
        test = b.add(sign, ref, comment, flags, {**signing, "claims": claims, **overrides})
        if "output" in test:
            test["intermediate"] = intermediate(test["output"])
            signed.append((comment, test, flags))

    for comment, claims in spec.examples:
        add_sign(comment, ["DocumentExample", "HeaderKeyOrder", "IatAdded"], claims)
    base = dict(spec.examples[0][1])
    add_sign("iat given", ["Normal"], {**base, "iat": NOW - 30})
    add_sign("iat 0 is replaced by now", ["IatAdded"], {**base, "iat": 0})
    add_sign("exp before iat in the claims", ["Normal"], {**base, "exp": NOW + 3600})
    add_sign("non-ASCII values", ["RawUtf8"], {**base, "name": "Jos\u00e9 \u4e2d\u6587 \U0001f600"})
    add_sign("numbers", ["NumberFormatting"], {**base, "x_n": [1e21, 123.456, -0.0, 2**53 + 1, 1e-7]})
    add_sign("integer-like keys", ["KeyOrder"], {"b": 1, "10": 2, "2": 3, **base})
    add_sign("exp as a string", ["BadIatType"], {**base, "exp": "3600"})
    add_sign("empty secret", ["EmptyKey"], base, secret="")

    verify = b.group(spec.verify_op, source(ref.name))
    for comment, test, flags in signed:
        b.add(
            verify,
            ref,
            f"verify: {comment}",
            flags,
            {"token": test["output"], "now": NOW, **_keys(params, secret, kid)},
        )
    for mutation in MUTATIONS:
        for index in range(3):
            args, _ = verify_case(params, rnd, mutation)
            b.add(verify, ref, f"{mutation} #{index + 1}", [mutation], args)
    if params["kid"] == "required":
        _ten_keys(b, verify, ref, params)
    _claim_edges(b, verify, ref, params, rnd)
    cross_check(b, entry.references[1:])
    return b


def cross_check(b: VectorFileBuilder, others: tuple[str, ...]) -> None:
    """Every other reference answers each vector as recorded (``pass``, or ``equivalent`` bytes); a documented
    disagreement makes the vector ``acceptable`` with its flag. Raises :class:`ConformanceError` for any other."""
    tests: dict[int, dict[str, Any]] = {}
    cases: list[VectorCase] = []
    for group in b.groups:
        for test in group["tests"]:
            tests[test["tcId"]] = test
            cases.append(_vector_case(b, group, test))
    by_id = {case.tc_id: case for case in cases}
    implementations = [built(name) for name in others]
    for result in runner.run_cases(cases, implementations, progress=False):
        if result.verdict in ("pass", "equivalent", "unsupported"):  # unsupported: a reference without the op
            continue
        case, test = by_id[result.tc_id], tests[result.tc_id]
        flag = disagreement(case, result)
        if flag is None:
            raise ConformanceError(f"{result.case_id} ({case.comment}): {result.implementation} {result.why}")
        test["result"] = "acceptable"
        b.notes[flag] = DISAGREEMENT_NOTES[flag]
        test["flags"] = [*test["flags"], flag]  # a new list: a sign test's flags are shared with its verify test


def _vector_case(b: VectorFileBuilder, group: dict[str, Any], test: dict[str, Any]) -> VectorCase:
    return VectorCase(
        file=f"{b.scheme}.json",
        scheme=b.scheme,
        op=group["op"],
        tc_id=test["tcId"],
        comment=test["comment"],
        flags=tuple(test["flags"]),
        input=test["input"],
        result=test["result"],
        output=test.get("output"),
        error=test.get("error"),
        source=group["source"],
        bug_types=tuple(b.notes[flag]["bugType"] for flag in test["flags"]),
    )


def _ten_keys(b: VectorFileBuilder, group: dict[str, Any], ref: Any, params: Mapping[str, Any]) -> None:
    from conformance.kinds.jwt import _encode, _genuine_header

    keys = [{"kid": f"app_key{i:02d}", "secret": f"TEST secret number {i}"} for i in range(params["maxKeys"])]
    claims = _valid_claims(params)
    named_kids = [key["kid"] for key in keys] + ["app_key99"]
    cases = ((7, 7, ["Normal"]), (7, 3, ["WrongKidAmongTen"]), (0, 9, ["WrongKidAmongTen"]), (7, -1, ["WrongKid"]))
    for signer, named, flags in cases:
        header = _genuine_header(params, named_kids[named])
        token = _encode(header, claims, keys[signer]["secret"])
        comment = f"{len(keys)} keys: kid {named_kids[named]}, signed with key {signer}"
        b.add(group, ref, comment, flags, {"token": token, "now": NOW, "keys": keys})


def _valid_claims(params: Mapping[str, Any]) -> dict[str, Any]:
    claims: dict[str, Any] = {"iat": NOW - 60, "exp": NOW + 3600}
    for name, rule in params["claims"].items():
        if rule.get("required"):
            claims[name] = rule.get("const", "user-1" if rule["type"] == "string" else 1)
    if params["identity"] and not any(n in claims for n in params["identity"]):
        claims[params["identity"][0]] = "user-1"
    return claims


def _claim_edges(
    b: VectorFileBuilder, group: dict[str, Any], ref: Any, params: Mapping[str, Any], rnd: random.Random
) -> None:
    from conformance.kinds.jwt import _encode, _genuine_header

    secret, kid = "TEST secret of the vectors", "app_64f0c0ffee0000000000test"
    header = _genuine_header(params, kid if params["kid"] == "required" else None)
    keys = _keys(params, secret, kid)
    base = _valid_claims(params)

    def add(comment: str, flags: list[str], claims: dict[str, Any]) -> None:
        b.add(group, ref, comment, flags, {"token": _encode(header, claims, secret), "now": NOW, **keys})

    for name, rule in params["claims"].items():
        if "maxLength" in rule:
            limit = rule["maxLength"]
            add(f"{name} of {limit} characters", ["ClaimAtLimit"], {**base, name: "x" * limit})
            add(f"{name} of {limit + 1} characters", ["ClaimTooLong"], {**base, name: "x" * (limit + 1)})
            add(f"{name} of {limit} astral characters", ["ClaimAtLimit"], {**base, name: "\U0001f600" * limit})
        if rule["type"] == "string":
            add(f"{name} as a number", ["ClaimAsNumber"], {**base, name: 12345})
    if len(params["identity"]) > 1:
        both = {**base, **{name: f"{name}-value" for name in params["identity"]}}
        add("every identity claim present", ["IdentityPrecedence"], both)
        add("the later identity claim only", ["IdentityPrecedence"], {**base, params["identity"][-1]: "later"})
    add("no exp", ["NoExp"], {k: v for k, v in base.items() if k != "exp"})
    add("no iat", ["IatMissing"], {k: v for k, v in base.items() if k != "iat"})
    add("exp a year ago", ["Expired"], {**base, "exp": NOW - 365 * 86400})
    add(
        "iat a year ago, no exp",
        ["IatTooOld"],
        {**{k: v for k, v in base.items() if k != "exp"}, "iat": NOW - 365 * 86400},
    )
    add("iat a year ahead", ["Normal"], {**base, "iat": NOW + 365 * 86400, "exp": NOW + 366 * 86400})
    token = _encode(header, base, secret)
    newline = _keys(params, secret + "\n", kid)
    b.add(
        group,
        ref,
        "the verifier's secret ends with a newline",
        ["SecretTrailingNewline"],
        {"token": token, "now": NOW, **newline},
    )
    token = _encode(header, base, secret + "\n")
    b.add(
        group,
        ref,
        "signed with the secret and its newline",
        ["SecretTrailingNewline"],
        {"token": token, "now": NOW, **keys},
    )
    del rnd


__all__ = [
    "DISAGREEMENT_NOTES",
    "NOTES",
    "FlowVectors",
    "build",
    "cross_check",
    "disagreement",
    "intermediate",
    "source",
]
