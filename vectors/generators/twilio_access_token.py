"""Generate twilio_access_token.json from Twilio's own SDKs: npm ``twilio``, PyPI ``twilio``, Maven
``com.twilio.sdk:twilio`` (the registry's ``twilio-node``, ``twilio-python``, ``twilio-java``).

Every SDK gets the same inputs at a fixed clock (node's ``Date.now`` and Python's ``time.time`` are frozen by the
references); the Java SDK reads the JVM clock, so its group holds the token's layout with the clock fields abstracted
(``twilio.access_token.create_java``). Every expected token, layout or error is what that SDK answered. The
verifier's vectors are tokens made by the SDKs, tampered and re-signed ones, answered by the live references of Twilio's
documented rules (jsonwebtoken in ``node_ref`` and PyJWT, each with the cty, iss, sub, exp, nbf, 24-hour and grants
rules), recorded only where both agree (:mod:`vectors.generators._documented_verifiers`), not by the port.
Run: ``python -m vectors.generators.twilio_access_token [OUT_DIR]``.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jwt

from conformance.catalog.flows import TWILIO_NOW
from conformance.spec import built
from conformance.vectorgen import VectorFileBuilder, write_files
from conformance.vendors.twilio_access_token import MAX_TTL
from vectors.generators import _documented_verifiers as documented

NOW = TWILIO_NOW
SECRET = "handoff-conformance-twilio-secret-01"  # 36 bytes: long enough for the Java SDK's jjwt
ACCOUNT = "AC" + "0123456789abcdef" * 2
KEY = "SK" + "fedcba9876543210" * 2
CHAT = {"type": "chat", "serviceSid": "IS" + "0" * 32}

NOTES = {
    **documented.READING_NOTES,
    "Normal": {"bugType": "BASIC", "description": "An ordinary Access Token with a chat grant."},
    "AllGrants": {
        "bugType": "FUNCTIONALITY",
        "description": "Chat, video, voice and sync grants: node writes them in the order added (identity first),"
        " Python in the order added (identity last), Java in java.util.HashMap order.",
    },
    "Region": {"bugType": "FUNCTIONALITY", "description": "A region: every SDK writes the twr header."},
    "Nbf": {
        "bugType": "REFERENCE_QUIRK",
        "description": "nbf: node and Java write it only when given; Python writes nbf = now unless given.",
    },
    "DefaultTtl": {"bugType": "BASIC", "description": "No TTL: every SDK's default is 3,600 s."},
    "TtlZero": {
        "bugType": "REFERENCE_QUIRK",
        "description": "A TTL of 0: node (ttl || 3600) gives an hour, Python and Java a token expired at issuance.",
    },
    "TtlOverMax": {
        "bugType": "WEAKNESS",
        "description": "A TTL over Twilio's 24-hour maximum: every SDK signs it; Twilio refuses the token.",
    },
    "TtlIntOverflow": {
        "bugType": "REFERENCE_QUIRK",
        "description": "A TTL whose milliseconds overflow a Java int (over 2,147,483 s): the Java SDK's exp wraps"
        " (30 days gives an exp 19.7 days in the past); its clock-free layout is undefined (IntOverflow).",
    },
    "NegativeTtl": {"bugType": "EDGE_CASE", "description": "A negative TTL: every SDK signs an expired token."},
    "Unicode": {
        "bugType": "ENCODING",
        "description": "Non-ASCII identities: node writes raw UTF-8, Python \\uxxxx escapes (PyJWT's ensure_ascii),"
        " Java raw UTF-8 but surrogates and C0 controls as upper-case \\uXXXX (Jackson).",
    },
    "EmptyIdentity": {
        "bugType": "INTEROP",
        "description": 'An empty identity: node refuses it, Python leaves grants.identity out, Java writes "".',
    },
    "NoIdentity": {
        "bugType": "INTEROP",
        "description": "No identity: node refuses it; Python and Java sign a token without grants.identity.",
    },
    "LongIdentity": {"bugType": "EDGE_CASE", "description": "An identity of 10,000 characters."},
    "EmptyOption": {
        "bugType": "INTEROP",
        "description": "Empty grant options: node and Python drop them, Java writes them (Jackson NON_NULL);"
        " incomingAllow false is written by Java only.",
    },
    "BlankSid": {
        "bugType": "REFERENCE_QUIRK",
        "description": "An empty or blank account or key SID: node refuses an empty one; Python signs it; Java"
        " leaves iss or sub out when blank (jjwt's Strings.hasText).",
    },
    "WeakKey": {
        "bugType": "INTEROP",
        "description": "A secret under 32 bytes: the Java SDK (jjwt) refuses it; node and Python sign.",
    },
    "EmptySecret": {
        "bugType": "MALFORMED",
        "description": "An empty secret: node and Python refuse it before signing, Java's SecretKeySpec too.",
    },
    "JtiClock": {
        "bugType": "REFERENCE_QUIRK",
        "description": "jti is the key SID and the clock in seconds; Java computes it in float, a multiple of 128 s.",
    },
    "WrongSecret": {"bugType": "SIGNATURE_BYPASS", "description": "A token signed with another secret."},
    "Tampered": {"bugType": "SIGNATURE_BYPASS", "description": "The grants changed after signing."},
    "Expired": {"bugType": "EXPIRY_BYPASS", "description": "exp is not after the verification time."},
    "NotYetValid": {"bugType": "EXPIRY_BYPASS", "description": "nbf is after the verification time."},
    "WrongKeySid": {"bugType": "MODIFIED", "description": "iss is not the API key SID the service expects."},
    "WrongAccount": {"bugType": "MODIFIED", "description": "sub is not the account SID the service expects."},
    "WrongCty": {"bugType": "MODIFIED", "description": "The header's cty is not twilio-fpa;v=1."},
    "AlgNone": {"bugType": "ALG_CONFUSION", "description": "alg none with an empty signature."},
    "Malformed": {"bugType": "MALFORMED", "description": "Not three base64url segments of JSON objects."},
    "BadClaimType": {
        "bugType": "MALFORMED",
        "description": "exp, nbf or iat not a number, or grants not an object: refused.",
    },
    "NoExp": {"bugType": "EXPIRY_BYPASS", "description": "No exp: every Access Token has a limited lifetime."},
    "OtherAlgorithm": {"bugType": "ALG_CONFUSION", "description": "HS512 under the secret: only HS256 is accepted."},
    "EmptySignature": {"bugType": "SIGNATURE_BYPASS", "description": "alg HS256 with an empty signature part."},
    "SecretTrailingNewline": {
        "bugType": "FUNCTIONALITY",
        "description": "One side's API key secret ends with the newline of the file or environment variable it was"
        " read from: the HMAC keys differ, the signature does not verify.",
    },
    "SwappedSids": {
        "bugType": "MODIFIED",
        "description": "The account SID and the API key SID swapped (AccessToken(accountSid, keySid, secret) called"
        " with the key SID first): iss holds the AC... SID, sub the SK... SID.",
    },
}

_ALL_GRANTS = [
    {"type": "chat", "serviceSid": "IS1", "endpointId": "ep-1", "deploymentRoleSid": "RL1", "pushCredentialSid": "CR1"},
    {"type": "video", "room": "room-1"},
    {"type": "voice", "incomingAllow": True, "outgoingApplicationSid": "AP1", "pushCredentialSid": "CR2"},
    {"type": "sync", "serviceSid": "IS2", "endpointId": "ep-2"},
]


def _inputs() -> list[tuple[dict[str, Any], list[str], str]]:
    base = {"accountSid": ACCOUNT, "keySid": KEY, "secret": SECRET, "identity": "alice", "ttl": None, "nbf": None}
    base = {**base, "region": None, "grants": [CHAT]}
    cases: list[tuple[dict[str, Any], list[str], str]] = [
        ({}, ["Normal", "DefaultTtl", "JtiClock"], "a chat grant, the defaults"),
        ({"ttl": 600}, ["Normal"], "TTL 10 minutes"),
        ({"grants": _ALL_GRANTS}, ["AllGrants"], "every grant"),
        ({"grants": list(reversed(_ALL_GRANTS))}, ["AllGrants"], "every grant, added in reverse"),
        ({"grants": []}, ["Normal"], "no grants"),
        ({"region": "ie1"}, ["Region"], "region ie1"),
        ({"nbf": NOW - 60}, ["Nbf"], "nbf a minute ago"),
        ({"nbf": NOW + 3600}, ["Nbf"], "nbf in an hour"),
        ({"ttl": 0}, ["TtlZero"], "TTL 0"),
        ({"ttl": MAX_TTL}, ["Normal"], "TTL 24 h"),
        ({"ttl": MAX_TTL + 1}, ["TtlOverMax"], "TTL 24 h + 1 s"),
        ({"ttl": 7 * MAX_TTL}, ["TtlOverMax"], "TTL 7 days"),
        ({"ttl": 2_147_483}, ["TtlOverMax"], "TTL 2,147,483 s (the largest that fits Java's int milliseconds)"),
        ({"ttl": 2_592_000}, ["TtlOverMax", "TtlIntOverflow"], "TTL 30 days"),
        ({"ttl": -60}, ["NegativeTtl"], "TTL -60"),
        ({"identity": "j\u00e9r\u00f4me \u20ac \U0001f600 \u4e2d"}, ["Unicode"], "a Unicode identity"),
        ({"identity": 'q"b\\s\n\x00\x1f\x7f\u2028'}, ["Unicode"], "JSON escapes in the identity"),
        ({"identity": "a\ud800b"}, ["Unicode"], "a lone surrogate in the identity"),
        ({"identity": ""}, ["EmptyIdentity"], "an empty identity"),
        ({"identity": None}, ["NoIdentity"], "no identity"),
        ({"identity": "u" * 10_000}, ["LongIdentity"], "10,000 characters"),
        ({"grants": [{"type": "video", "room": ""}]}, ["EmptyOption"], "an empty room"),
        ({"grants": [{"type": "chat", "serviceSid": "", "endpointId": ""}]}, ["EmptyOption"], "empty chat options"),
        ({"grants": [{"type": "voice", "incomingAllow": False}]}, ["EmptyOption"], "incomingAllow false"),
        ({"accountSid": ""}, ["BlankSid"], "an empty account SID"),
        ({"accountSid": " \t"}, ["BlankSid"], "a blank account SID"),
        ({"keySid": "\u2003"}, ["BlankSid"], "a key SID of one em space"),
        ({"secret": "short"}, ["WeakKey"], "a 5-byte secret"),
        ({"secret": "s" * 31}, ["WeakKey"], "31 bytes"),
        ({"secret": "s" * 32}, ["Normal"], "exactly 32 bytes"),
        ({"secret": ""}, ["EmptySecret"], "an empty secret"),
    ]
    return [({**base, **changed}, flags, comment) for changed, flags, comment in cases]


def _source(name: str, implementation: Any) -> dict[str, str]:
    return {"name": name, "implementation": implementation.name, **implementation.versions()}


def _plain(call: Mapping[str, Any], token: str, now: int = NOW + 1) -> dict[str, Any]:
    return {
        "token": token,
        "secret": call["secret"],
        "now": now,
        "keySid": call["keySid"],
        "accountSid": call["accountSid"],
    }


def _resigned(token: str, secret: str, algorithm: str = "HS256", drop: tuple[str, ...] = (), **changes: Any) -> str:
    """The token's claims re-signed by PyJWT with header fields changed (``header``; ``None`` removes one), claims
    changed, or claims dropped."""
    header = {**jwt.get_unverified_header(token), **changes.pop("header", {}), "alg": algorithm}
    claims = {**jwt.decode(token, options={"verify_signature": False}), **changes}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyJWT warns of HS512 keys under 64 bytes
        return jwt.encode(
            {k: v for k, v in claims.items() if k not in drop},
            secret,
            algorithm=algorithm,
            headers={k: v for k, v in header.items() if v is not None},
        )


def build_all() -> dict[str, str]:
    builder = VectorFileBuilder(
        "twilio_access_token",
        "twilio_access_token.schema.json",
        NOTES,
        header=[
            "Twilio Access Tokens as each of Twilio's SDKs makes them (node, Python, Java: the Java layout with the",
            "clock abstracted), and the verifier Twilio documents; every expected value is the SDK's own answer.",
        ],
    )
    refs = {sdk: built(f"twilio-{sdk}") for sdk in ("node", "python", "java")}
    inputs = _inputs()
    made: dict[str, list[tuple[dict[str, Any], str, list[str], str]]] = {}
    for sdk in ("node", "python"):
        group = builder.group(
            f"twilio.access_token.create_{sdk}", _source(f"Twilio's {sdk} SDK", refs[sdk]), f"the {sdk} SDK's token"
        )
        made[sdk] = []
        for args, flags, comment in inputs:
            call = {**args, "now": NOW}
            test = builder.add(group, refs[sdk], comment, flags, call)
            if "output" in test:
                made[sdk].append((call, test["output"], flags, comment))
    java = builder.group(
        "twilio.access_token.create_java",
        _source("Twilio's Java SDK", refs["java"]),
        "the Java SDK's token layout, exp and the jti timestamp abstracted (the SDK reads the JVM clock)",
    )
    for args, flags, comment in inputs:
        builder.add(java, refs["java"], comment, flags, dict(args))
    verify = builder.group(
        "twilio.access_token.verify",
        documented.source("Twilio's documented rules (HS256, cty twilio-fpa;v=1, iss, sub, exp, nbf, 24 h, grants)"),
        "tokens the SDKs made, judged as Twilio documents its services judge them",
    )

    def check(comment: str, flags: list[str], args: dict[str, Any]) -> None:
        documented.add(builder, verify, comment, flags, args)

    for sdk, tokens in made.items():
        for call, token, flags, comment in tokens:
            check(f"the {sdk} SDK's token: {comment}", flags, _plain(call, token))
        call, token, _, _ = tokens[0]
        check(f"{sdk}: another secret", ["WrongSecret"], {**_plain(call, token), "secret": "x" * 40})
        tampered = _resigned(token, "not-the-secret-" * 3, grants={"identity": "admin"})
        forged = (
            token.rsplit(".", 1)[0].rsplit(".", 1)[0] + "." + tampered.split(".")[1] + "." + token.rsplit(".", 1)[1]
        )
        check(f"{sdk}: tampered grants", ["Tampered"], {**_plain(call, token), "token": forged})
        check(f"{sdk}: a day later", ["Expired"], _plain(call, token, NOW + 86_400))
        check(f"{sdk}: another key SID", ["WrongKeySid"], {**_plain(call, token), "keySid": "SK1"})
        check(f"{sdk}: another account", ["WrongAccount"], {**_plain(call, token), "accountSid": "AC1"})
        wrong_cty = _resigned(token, call["secret"], header={"cty": "JWT"})
        check(f"{sdk}: cty JWT", ["WrongCty"], {**_plain(call, token), "token": wrong_cty})
        later = _resigned(token, call["secret"], nbf=NOW + 600)
        check(f"{sdk}: nbf in 10 minutes", ["NotYetValid"], {**_plain(call, token), "token": later})
    unsecured = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIiwiY3R5IjoidHdpbGlvLWZwYTt2PTEifQ.eyJncmFudHMiOnt9fQ."
    check("alg none", ["AlgNone"], {"token": unsecured, "secret": SECRET, "now": NOW})
    for junk in ("", "a.b", "a.b.c.d", "!!.e30.x"):
        check("not a token", ["Malformed"], {"token": junk, "secret": SECRET, "now": NOW})
    for comment, flags, args in _claim_cases(made["node"][0][1]):
        check(comment, flags, args)
    call, token, _, _ = made["node"][0]
    for comment, flags, changed, secret in documented.reading_cases(token, call["secret"]):
        check(comment, flags, {**_plain(call, changed), "secret": secret})
    call, token, _, _ = made["node"][0]
    newline = {**_plain(call, token), "secret": call["secret"] + "\n"}
    check("the verifier's secret read with its newline", ["SecretTrailingNewline"], newline)
    swapped = _resigned(token, call["secret"], iss=call["accountSid"], sub=call["keySid"])
    check("iss and sub swapped", ["SwappedSids"], {**_plain(call, token), "token": swapped})
    return {"twilio_access_token.json": builder.render()}


def _claim_cases(token: str) -> list[tuple[str, list[str], dict[str, Any]]]:
    """Tokens no SDK makes but a verifier meets, re-signed from the node SDK's first token: the header's cty, claim
    types, a missing exp, grants that are not an object, nbf and iat windows, other algorithms."""
    call = {"secret": SECRET, "keySid": KEY, "accountSid": ACCOUNT}
    unsigned = token.rsplit(".", 1)[0] + "."
    cases = [
        ("no cty", ["WrongCty"], _resigned(token, SECRET, header={"cty": None})),
        ("exp as a string", ["BadClaimType"], _resigned(token, SECRET, exp=str(NOW + 600))),
        ("nbf null", ["BadClaimType"], _resigned(token, SECRET, nbf=None)),
        ("no exp", ["NoExp"], _resigned(token, SECRET, exp=None, drop=("exp",))),
        ("grants a list", ["BadClaimType"], _resigned(token, SECRET, grants=["chat"])),
        ("no grants.identity", ["NoIdentity"], _resigned(token, SECRET, grants={"chat": {}})),
        ("exp 24 h after nbf", ["Normal"], _resigned(token, SECRET, nbf=NOW, exp=NOW + MAX_TTL)),
        ("exp 24 h + 1 s after nbf", ["TtlOverMax"], _resigned(token, SECRET, nbf=NOW, exp=NOW + MAX_TTL + 1)),
        ("exp 25 h after iat, no nbf", ["TtlOverMax"], _resigned(token, SECRET, iat=NOW - 3600, exp=NOW + MAX_TTL)),
        ("exp at now + 1 s", ["Normal"], _resigned(token, SECRET, exp=NOW + 2)),
        ("HS512 under the secret", ["OtherAlgorithm"], _resigned(token, SECRET, algorithm="HS512")),
        ("HS256 with an empty signature", ["EmptySignature"], unsigned),
    ]
    return [(comment, flags, {**_plain(call, made), "token": made}) for comment, flags, made in cases]


def main(argv: list[str] | None = None) -> int:
    return write_files(build_all, argv or sys.argv, Path(__file__).resolve().parents[1])


if __name__ == "__main__":
    sys.exit(main())
