"""Generate twilio_access_token.json from Twilio's own SDKs: npm ``twilio``, PyPI ``twilio``, Maven
``com.twilio.sdk:twilio`` (the registry's ``twilio-node``, ``twilio-python``, ``twilio-java``).

Every SDK gets the same inputs at a fixed clock (node's ``Date.now`` and Python's ``time.time`` are frozen by the
references); the Java SDK reads the JVM clock, so its group holds the token's layout with the clock fields abstracted
(``twilio.access_token.create_java``). Every expected token, layout or error is what that SDK answered. The
verifier's vectors are tokens made by the SDKs, and tampered ones, answered by an independent model of Twilio's
documented rules (PyJWT's HS256 verification plus the cty, iss, sub, exp, nbf and 24-hour rules), not by the port.
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
from conformance.errors import BadSignature, InvalidClaims, MalformedToken, TokenExpired, TokenNotYetValid
from conformance.spec import built
from conformance.vectorgen import VectorFileBuilder, write_files
from conformance.vendors.twilio_access_token import CTY, MAX_TTL, TtlTooLong, WrongContentType

NOW = TWILIO_NOW
SECRET = "handoff-conformance-twilio-secret-01"  # 36 bytes: long enough for the Java SDK's jjwt
ACCOUNT = "AC" + "0123456789abcdef" * 2
KEY = "SK" + "fedcba9876543210" * 2
CHAT = {"type": "chat", "serviceSid": "IS" + "0" * 32}

NOTES = {
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


# --- the documented verifier, modelled independently of the port ---------------------------------------------------


def _documented_verify(args: Mapping[str, Any]) -> dict[str, Any]:
    token, now = args["token"], args["now"]
    if token.count(".") != 2:
        raise MalformedToken("a token has three segments")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # PyJWT warns of keys under 32 bytes: the vectors hold such tokens
            header = jwt.get_unverified_header(token)
            claims = jwt.decode(
                token,
                args["secret"].encode("utf-8", "replace"),
                algorithms=["HS256"],
                options={"verify_exp": False, "verify_nbf": False, "verify_iat": False, "verify_iss": False},
            )
    except jwt.InvalidSignatureError:
        raise BadSignature("the signature does not verify") from None
    except jwt.InvalidTokenError:
        raise MalformedToken("not an HS256 JWT") from None
    if header.get("cty") != CTY:
        raise WrongContentType("cty is not twilio-fpa;v=1")
    if args.get("keySid") is not None and claims.get("iss") != args["keySid"]:
        raise InvalidClaims("iss is not the API key SID")
    if args.get("accountSid") is not None and claims.get("sub") != args["accountSid"]:
        raise InvalidClaims("sub is not the account SID")
    if "exp" not in claims:
        raise InvalidClaims("no exp")
    if claims["exp"] <= now:
        raise TokenExpired("the token expired")
    if claims.get("nbf") is not None and claims["nbf"] > now:
        raise TokenNotYetValid("the token is not valid yet")
    if claims["exp"] - claims.get("nbf", claims.get("iat", now)) > MAX_TTL:
        raise TtlTooLong("valid for more than 24 hours")
    if not isinstance(claims.get("grants"), dict):
        raise InvalidClaims("grants is not an object")
    grants = claims["grants"]
    products = sorted(name for name in grants if name != "identity")
    return {"identity": grants.get("identity"), "grants": products, "exp": claims["exp"], "region": header.get("twr")}


def _plain(call: Mapping[str, Any], token: str, now: int = NOW + 1) -> dict[str, Any]:
    return {
        "token": token,
        "secret": call["secret"],
        "now": now,
        "keySid": call["keySid"],
        "accountSid": call["accountSid"],
    }


def _resigned(token: str, secret: str, **changes: Any) -> str:
    """The token's claims re-signed by PyJWT with header fields changed (``header``) or claims changed."""
    header = {**jwt.get_unverified_header(token), **changes.pop("header", {})}
    claims = {**jwt.decode(token, options={"verify_signature": False}), **changes}
    return jwt.encode(claims, secret, algorithm="HS256", headers=header)


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
        {"name": "Twilio's documented rules (PyJWT HS256 + cty, iss, sub, exp, nbf, 24 h)", "implementation": "model"},
        "tokens the SDKs made, judged as Twilio documents its services judge them",
    )
    model = {"twilio.access_token.verify": _documented_verify}
    for sdk, tokens in made.items():
        for call, token, flags, comment in tokens:
            builder.add(verify, model, f"the {sdk} SDK's token: {comment}", flags, _plain(call, token))
        call, token, _, _ = tokens[0]
        builder.add(
            verify, model, f"{sdk}: another secret", ["WrongSecret"], {**_plain(call, token), "secret": "x" * 40}
        )
        tampered = _resigned(token, "not-the-secret-" * 3, grants={"identity": "admin"})
        forged = (
            token.rsplit(".", 1)[0].rsplit(".", 1)[0] + "." + tampered.split(".")[1] + "." + token.rsplit(".", 1)[1]
        )
        builder.add(verify, model, f"{sdk}: tampered grants", ["Tampered"], {**_plain(call, token), "token": forged})
        builder.add(verify, model, f"{sdk}: a day later", ["Expired"], _plain(call, token, NOW + 86_400))
        builder.add(verify, model, f"{sdk}: another key SID", ["WrongKeySid"], {**_plain(call, token), "keySid": "SK1"})
        builder.add(
            verify, model, f"{sdk}: another account", ["WrongAccount"], {**_plain(call, token), "accountSid": "AC1"}
        )
        wrong_cty = _resigned(token, call["secret"], header={"cty": "JWT"})
        builder.add(verify, model, f"{sdk}: cty JWT", ["WrongCty"], {**_plain(call, token), "token": wrong_cty})
        later = _resigned(token, call["secret"], nbf=NOW + 600)
        builder.add(
            verify, model, f"{sdk}: nbf in 10 minutes", ["NotYetValid"], {**_plain(call, token), "token": later}
        )
    unsecured = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIiwiY3R5IjoidHdpbGlvLWZwYTt2PTEifQ.eyJncmFudHMiOnt9fQ."
    builder.add(verify, model, "alg none", ["AlgNone"], {"token": unsecured, "secret": SECRET, "now": NOW})
    for junk in ("", "a.b", "a.b.c.d", "!!.e30.x"):
        builder.add(verify, model, "not a token", ["Malformed"], {"token": junk, "secret": SECRET, "now": NOW})
    call, token, _, _ = made["node"][0]
    newline = {**_plain(call, token), "secret": call["secret"] + "\n"}
    builder.add(verify, model, "the verifier's secret read with its newline", ["SecretTrailingNewline"], newline)
    swapped = _resigned(token, call["secret"], iss=call["accountSid"], sub=call["keySid"])
    builder.add(verify, model, "iss and sub swapped", ["SwappedSids"], {**_plain(call, token), "token": swapped})
    return {"twilio_access_token.json": builder.render()}


def main(argv: list[str] | None = None) -> int:
    return write_files(build_all, argv or sys.argv, Path(__file__).resolve().parents[1])


if __name__ == "__main__":
    sys.exit(main())
