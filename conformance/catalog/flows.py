"""The flow catalog: one entry per flow. Adding a flow means one entry here plus its modules.

Op argument schemas are not written here: they live once, in ``vectors/schemas/ops.schema.json``
(:mod:`conformance.catalog.arguments`), where the vector schemas ``$ref`` them too.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any
from urllib.parse import parse_qsl

from conformance.catalog.model import Args, Flow, Op, RoundTrip, SdkMatrix, kind_op
from conformance.catalog.round_trips import presented_round_trip
from conformance.primitives.keys import public_pem_of_private_pem

# --- how consumers decide ---------------------------------------------------------------------------------------------


def _true_accepts(value: Any) -> tuple[bool, ...]:
    return (value is True,)


def _not_null_accepts(value: Any) -> tuple[bool, ...]:
    return (value is not None,)


def _launch_decisions(value: Any) -> tuple[bool, ...]:
    if not isinstance(value, list):
        return (False,)
    return tuple(isinstance(item, dict) and "ok" in item for item in value)


# --- Stream Chat: each SDK's token, judged by the documented verifier -------------------------------------------------

STREAM_SDK_OPS = ("stream.token.create_node", "stream.token.create_python", "stream.token.create_java")
#: The fixed clock of the Stream matrix and vectors (2025-12-02T00:00:00Z).
STREAM_NOW = 1764633600


def _stream_matrix_inputs() -> list[dict[str, Any]]:
    """The same inputs for every SDK: ASCII, Unicode, empty and long ids; with and without exp; a 32-byte secret
    (the Java SDK refuses shorter ones)."""
    secret = "handoff-conformance-stream-secret-0001"
    ids = ("alice", "j\u00e9r\u00f4me \u20ac \U0001f600", "", "x" * 2048, 'quote " back \\ slash\n')
    cases = []
    for index, user_id in enumerate(ids):
        for exp in (None, STREAM_NOW + 3600):
            cases.append({"secret": secret, "userId": user_id, "exp": exp, "iat": STREAM_NOW - index})
    return cases


def _stream_sdk_inputs() -> list[tuple[str, dict[str, Any]]]:
    """The SDK x SDK matrix's inputs, one per aspect where Stream's SDKs might differ (iat always given: the Java
    SDK reads the clock when it is null)."""
    secret = "handoff-conformance-stream-secret-0001"
    base = {"secret": secret, "userId": "alice", "exp": None, "iat": STREAM_NOW}
    aspects: list[tuple[str, dict[str, Any]]] = [
        ("an ASCII id, no exp", {}),
        ("exp in an hour", {"exp": STREAM_NOW + 3600}),
        ("exp 0", {"exp": 0}),
        ("iat 0", {"iat": 0, "exp": STREAM_NOW + 3600}),
        ("exp in the past", {"exp": STREAM_NOW - 1}),
        ("exp 2**53 - 1", {"exp": 2**53 - 1}),
        ("a Unicode id (Latin-1, BMP, astral)", {"userId": "j\u00e9r\u00f4me \u20ac \U0001f600"}),
        ("JSON escapes in the id", {"userId": 'q"b\\s\n\x00\x7f\u2028'}),
        ("a lone surrogate in the id", {"userId": "a\ud800b"}),
        ("an empty id", {"userId": ""}),
        ("a 2,048-character id", {"userId": "x" * 2048}),
        ("a 16-byte secret", {"secret": "sixteen-byte-key"}),
        ("an empty secret", {"secret": ""}),
    ]
    return [(label, {**base, **changed}) for label, changed in aspects]


def _stream_verify_args(args: Args, produced: Any) -> dict[str, Any]:
    return {"token": produced, "secret": args["secret"], "now": STREAM_NOW, "userId": args["userId"]}


def _stream_dev_args(args: Args, produced: Any) -> dict[str, Any]:
    return {**_stream_verify_args({"secret": "any", **args}, produced), "authChecks": False}


def _stream_expected(args: Args) -> dict[str, Any]:
    return {"user_id": args["userId"], "exp": args.get("exp") or None}


def _stream_dev_inputs() -> list[dict[str, Any]]:
    return [{"userId": user_id} for user_id in ("alice", "bob-42", "", "x" * 300)]


# --- Twilio Access Tokens: each SDK's token, judged by the documented verifier ----------------------------------------

TWILIO_SDK_OPS = (
    "twilio.access_token.create_node",
    "twilio.access_token.create_python",
    "twilio.access_token.token_java",
)
#: The fixed clock of the Twilio matrix and vectors (2025-12-02T00:00:00Z).
TWILIO_NOW = 1764633600
_TWILIO_BASE = {
    "accountSid": "AC" + "0123456789abcdef" * 2,
    "keySid": "SK" + "fedcba9876543210" * 2,
    "secret": "handoff-conformance-twilio-secret-01",
    "identity": "alice",
    "ttl": None,
    "nbf": None,
    "region": None,
    "grants": [{"type": "chat", "serviceSid": "IS" + "0" * 32}],
}


def _twilio_sdk_inputs() -> list[tuple[str, dict[str, Any]]]:
    """The SDK x SDK matrix's inputs, one per aspect where Twilio's SDKs might differ."""
    aspects: list[tuple[str, dict[str, Any]]] = [
        ("a chat grant, defaults", {}),
        (
            "every grant",
            {
                "grants": [
                    {"type": "chat", "serviceSid": "IS1", "endpointId": "ep"},
                    {"type": "video", "room": "room-1"},
                    {"type": "voice", "incomingAllow": True, "outgoingApplicationSid": "AP1"},
                    {"type": "sync", "serviceSid": "IS2"},
                ]
            },
        ),
        ("no grants", {"grants": []}),
        ("a region", {"region": "ie1"}),
        ("nbf given (a minute before the fixed clock)", {"nbf": TWILIO_NOW - 60}),
        ("TTL 0", {"ttl": 0}),
        ("TTL 24 h", {"ttl": 86_400}),
        ("TTL 25 h (over the maximum)", {"ttl": 90_000}),
        ("TTL 30 days (Java's int overflow)", {"ttl": 2_592_000}),
        ("a negative TTL", {"ttl": -60}),
        ("a Unicode identity", {"identity": "j\u00e9r\u00f4me \u20ac \U0001f600"}),
        ("an empty identity", {"identity": ""}),
        ("no identity", {"identity": None}),
        ("a 2,048-character identity", {"identity": "x" * 2048}),
        ("empty grant options", {"grants": [{"type": "video", "room": ""}]}),
        ("incomingAllow false", {"grants": [{"type": "voice", "incomingAllow": False}]}),
        ("a 16-byte secret", {"secret": "sixteen-byte-key"}),
    ]
    return [(label, {**_TWILIO_BASE, **changed, "now": TWILIO_NOW}) for label, changed in aspects]


def _twilio_matrix_inputs() -> list[dict[str, Any]]:
    return [args for _, args in _twilio_sdk_inputs()]


def _twilio_verify_args(args: Args, produced: Any) -> dict[str, Any]:
    """The documented verifier's arguments for a token made at ``args["now"]``, checked at that instant."""
    return {
        "token": produced,
        "secret": args["secret"],
        "now": args.get("now", TWILIO_NOW),
        "keySid": args["keySid"],
        "accountSid": args["accountSid"],
    }


def _twilio_java_verify_args(args: Args, produced: Any) -> dict[str, Any]:
    """As :func:`_twilio_verify_args` for a token the Java SDK made at the JVM's clock: the instant is its ``exp``
    less the TTL's milliseconds as the SDK computes them (``ttl * 1000`` in ``int``), rounded up to a second."""
    payload = produced.split(".")[1]
    exp = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["exp"]
    millis = ((3600 if args.get("ttl") is None else args["ttl"]) * 1000 + 2**31) % 2**32 - 2**31
    return {**_twilio_verify_args(args, produced), "now": exp - -(-millis // 1000)}


_TWILIO_GRANT_KEYS = {"chat": "chat", "video": "video", "voice": "voice", "sync": "data_sync"}


def _twilio_expected(args: Args) -> dict[str, Any]:
    """What the documented verifier learns from an SDK's token: the identity, the product grants, exp, region."""
    return {
        "identity": args.get("identity") or None,
        "grants": sorted(_TWILIO_GRANT_KEYS[g["type"]] for g in args["grants"]),
        "exp": args["now"] + (args.get("ttl") or 3600),
        "region": args.get("region") or None,
    }


# --- round-trip helpers -----------------------------------------------------------------------------------------------


def _skep_consumer(args: Args, produced: Any) -> dict[str, Any]:
    consumer = {k: v for k, v in args.items() if k != "plainText"}
    consumer["cipherText"] = produced
    return consumer


def _skep_expected(args: Args) -> str:
    from conformance.codecs import java_utf8_decode, java_utf8_encode

    return java_utf8_decode(java_utf8_encode(args["plainText"]))


_PLAIN = re.compile(r"[ -~]*")


def _plain_jwt_input(args: Args) -> bool:
    """Inputs every widget-JWT implementation can carry: printable ASCII names, an iat jsonwebtoken keeps."""
    iat = args.get("iat")
    return all(_PLAIN.fullmatch(str(args.get(k, ""))) for k in ("keyId", "userId", "secret")) and (
        iat is None or (isinstance(iat, int) and 0 < iat < 2**31)
    )


def _jwt_claims(args: Args) -> dict[str, Any]:
    return {"scope": "appUser", "userId": args["userId"], "iat": args.get("iat") or args["now"]}


def _talkative_consumer(args: Args, produced: Any) -> dict[str, Any]:
    return {"token": produced, "publicKeyPem": public_pem_of_private_pem(args["privateKeyPem"])}


def _decoded(args: Args) -> list[list[str]]:
    """The pairs a verifier gives back: form decoding by the standard library, never by the port under test."""
    return [list(pair) for pair in parse_qsl(args["encoded"], keep_blank_values=True, errors="strict")]


PGP_PARAMS = (
    "VisitName=Robert%20Smith&VisitEmail=r.smith%40gmail.com",
    "ChatKey=abc&Type=chat&Expiration=1767229200000",
)


def _pgp_inputs(key_set: str, compression: str) -> Any:
    def inputs() -> list[dict[str, Any]]:
        from conformance.testkeys import pgp_key_sets

        key = pgp_key_sets()[key_set]
        return [
            {
                "params": text,
                "serverPublicKey": key["server.pub"],
                "signingPrivateKey": key["brand.sec"],
                "compression": compression,
                "_open": {"serverPrivateKey": key["server.sec"], "signerPublicKey": key["brand.pub"]},
            }
            for text in PGP_PARAMS
        ]

    return inputs


#: The TEST key sets of the PGP matrix (conformance.testkeys.pgp_key_sets): GnuPG defaults (SHA-512
#: certifications), and keys certified with SHA-1 as BouncyCastle 1.50 and GnuPG --cert-digest-algo SHA1 make them.
PGP_KEY_SETS = ("gnupg-sha512", "bc150-sha1", "gnupg-sha1")
PGP_COMPRESSIONS = ("default", "on", "off")


def _pgp_round_trip(key_set: str, compression: str) -> RoundTrip:
    return RoundTrip(
        f"{key_set}/compression={compression}",
        ("boldchat.pgp.seal",),
        "boldchat.pgp.open",
        lambda args, produced: {"message": produced, **args["_open"]},
        lambda args: args["params"],
        inputs=_pgp_inputs(key_set, compression),
    )


def _with_value(args: Args, produced: Any) -> dict[str, Any]:
    return {**args, "value": produced}


def _hs256_round_trip(sign_op: str, verify_op: str, verify: dict[str, Any]) -> RoundTrip:
    """jwt.sign -> the documented check: the consumer recovers the claims (with jsonwebtoken's iat) and identity.

    Inputs are the sign vectors whose claims the check takes (the rules of ``verify``, the kind's params)."""

    def consumer(args: Args, produced: Any) -> dict[str, Any]:
        call: dict[str, Any] = {"token": produced, "now": args["now"]}
        if verify.get("kid") == "required":
            call["keys"] = [{"kid": args["keyId"], "secret": args["secret"]}]
        else:
            call["secret"] = args["secret"]
        return call

    def expected(args: Args) -> Any:
        from conformance import jsjson
        from conformance.kinds import kind
        from conformance.primitives.jwt import check_claims, with_iat

        params = kind("hs256_jwt.verify").resolve(verify)
        claims = jsjson.parse(jsjson.stringify(with_iat(args["claims"], float(args["now"]))))  # as node holds them
        return check_claims(claims, args["now"], params)

    def accepts(args: Args) -> bool:
        from conformance.errors import ConformanceError

        try:
            expected(args)
        except (ConformanceError, KeyError, TypeError):
            return False
        return bool(args.get("secret"))

    return RoundTrip("hs256", (sign_op,), verify_op, consumer, expected, accepts=accepts)


def _asym_round_trip(sign_op: str, verify_op: str, verify: dict[str, Any]) -> RoundTrip:
    """jwt.sign with an RSA test key -> the documented check against that key's JWK (kid, alg, its own x5c) and
    the claims' iss as the keyset's issuer: the consumer recovers the claims (with jsonwebtoken's iat) and identity.

    Inputs are the sign vectors signed with a 2048-bit test key whose claims the check takes."""

    def key_name(args: Args) -> str | None:
        from conformance.testkeys import rsa_test_keys

        return next((n for n, pem in rsa_test_keys().items() if pem == args["privateKeyPem"]), None)

    def consumer(args: Args, produced: Any) -> dict[str, Any]:
        from conformance.testkeys import rsa_test_jwk

        jwk = rsa_test_jwk(key_name(args) or "brand-a", args["keyId"], args["alg"])
        return {"token": produced, "now": args["now"], "jwks": {"keys": [jwk]}, "issuer": args["claims"]["iss"]}

    def expected(args: Args) -> Any:
        from conformance import jsjson
        from conformance.kinds import kind
        from conformance.kinds.jws import check_issuer
        from conformance.primitives.jwt import check_claims, check_nbf_exp, with_iat

        params = kind("asym_jws.verify").resolve(verify)
        claims = jsjson.parse(jsjson.stringify(with_iat(args["claims"], float(args["now"]))))  # as node holds them
        check_nbf_exp(claims, float(args["now"]))
        check_issuer(claims, params, {"issuer": args["claims"].get("iss")})
        return check_claims(claims, args["now"], {**params, "iatMaxAge": None}, times=False)

    def accepts(args: Args) -> bool:
        from conformance.errors import ConformanceError

        if key_name(args) not in ("brand-a", "brand-b") or not isinstance(args["claims"].get("iss"), str):
            return False
        try:
            expected(args)
        except (ConformanceError, KeyError, TypeError):
            return False
        return bool(args["claims"]["iss"])

    return RoundTrip("rs", (sign_op,), verify_op, consumer, expected, accepts=accepts)


#: The documented checks (hs256_jwt.verify params) of the HS256 flows.
ZENDESK_CHECK: dict[str, Any] = {
    "kid": "required",
    "header": {"typ": "JWT"},
    "claims": {
        "scope": {"type": "string", "required": True, "const": "user"},
        "external_id": {"type": "string", "required": True, "maxLength": 255},
        "name": {"type": "string"},
        "email": {"type": "string"},
        "email_verified": {"type": "boolean"},
    },
    "identity": ["external_id"],
    "exp": "honoured",
    "maxKeys": 10,
}
INTERCOM_CHECK: dict[str, Any] = {
    "claims": {"user_id": {"type": "string", "required": True}, "email": {"type": "string"}},
    "identity": ["user_id"],
    "exp": "honoured",
}
KUSTOMER_CHECK: dict[str, Any] = {
    "claims": {"email": {"type": "string"}, "externalId": {"type": "string"}},
    "identity": ["email", "externalId"],
    "exp": "honoured",
    "iatMaxAge": 900,
}
#: Salesforce Enhanced Chat user verification (asym_jws.verify params): RS256 or RS512, keyset JWKs as uploaded.
SALESFORCE_ALGORITHMS = ["RS256", "RS512"]
SALESFORCE_CHECK: dict[str, Any] = {
    "algorithms": SALESFORCE_ALGORITHMS,
    "jwkFields": ["kty", "kid", "alg", "x5c"],
    "x5c": "match",
    "issuer": "argument",
    "claims": {"sub": {"type": "string", "required": True}},
    "identity": ["sub"],
    "exp": "required",
    "maxKeys": 10,
}
DRIFT_CHECK: dict[str, Any] = {
    "claims": {"sub": {"type": "string", "required": True}},
    "identity": ["sub"],
    "exp": "honoured",
}


# --- the flows --------------------------------------------------------------------------------------------------------

FLOWS: tuple[Flow, ...] = (
    Flow(
        id="khoros_secure_transfer",
        vendor="khoros",
        title="Khoros Secure Transfer: AES-CBC payload in the transfer link (SymmetricKeyEncryptionProvider)",
        python_module="conformance.vendors.khoros",
        ops=(
            Op("khoros.skep.encrypt", "produces", "text", "encryptString: URL-safe Base64 of AES-CBC(plainText)"),
            Op("khoros.skep.decrypt", "consumes", "text", "decryptString: the plaintext of a Base64 ciphertext"),
            Op(
                "khoros.payload.decrypt",
                "consumes",
                "json",
                "the document's decryptPayload: the parsed JSON object, or null",
                _not_null_accepts,
            ),
        ),
        references=("java",),
        round_trips=(
            RoundTrip("skep", ("khoros.skep.encrypt",), "khoros.skep.decrypt", _skep_consumer, _skep_expected),
        ),
        document="001_143f91f2e6ef410a.txt",
        generator="khoros",
    ),
    Flow(
        id="khoros_cryptor",
        vendor="khoros",
        title="Khoros Cryptor: AES-CBC, AES-GCM with any IV length, aesHashBlock",
        python_module="conformance.vendors.khoros",
        ops=(
            Op("khoros.cryptor.aes_hash_block", "transforms", "hex", "aesHashBlock: SHA-256(UTF-8)[:16]"),
            Op("khoros.cryptor.encrypt_cbc", "produces", "hex", "encryptCBC"),
            Op("khoros.cryptor.decrypt_cbc", "consumes", "hex", "decryptCBC"),
            Op("khoros.cryptor.encrypt_gcm", "produces", "hex", "encryptGCM: ciphertext || tag"),
            Op("khoros.cryptor.decrypt_gcm", "consumes", "hex", "decryptGCM"),
        ),
        references=("java",),
        round_trips=(
            RoundTrip(
                "gcm",
                ("khoros.cryptor.encrypt_gcm",),
                "khoros.cryptor.decrypt_gcm",
                _with_value,
                lambda args: args["value"],
            ),
            RoundTrip(
                "cbc",
                ("khoros.cryptor.encrypt_cbc",),
                "khoros.cryptor.decrypt_cbc",
                _with_value,
                lambda args: args["value"],
            ),
        ),
        document="001_143f91f2e6ef410a.txt",
        generator="khoros",
    ),
    Flow(
        id="khoros_widget_jwt",
        vendor="khoros",
        title="Khoros Brand Messenger widget JWT (HS256 with kid)",
        python_module="conformance.vendors.khoros_jwt",
        ops=(
            Op("khoros.widget_jwt.sign", "produces", "text", "the document's jwt.sign(...): a compact JWS"),
            Op("khoros.widget_jwt.verify", "consumes", "json", "jwt.verify with the kid check: the claims"),
        ),
        references=("node",),
        round_trips=(
            RoundTrip(
                "jwt",
                ("khoros.widget_jwt.sign",),
                "khoros.widget_jwt.verify",
                lambda args, produced: {
                    "token": produced,
                    "keyId": args["keyId"],
                    "secret": args["secret"],
                    "now": args["now"],
                },
                _jwt_claims,
                accepts=_plain_jwt_input,
            ),
        ),
        document="001_143f91f2e6ef410a.txt",
        generator="khoros_widget_jwt",
    ),
    Flow(
        id="talkative_signed_data",
        vendor="talkative",
        title="Talkative signed interaction data: ES256 compact JWS over [{label, data, type}]",
        python_module="conformance.vendors.talkative",
        ops=(
            Op("talkative.signing_input", "transforms", "text", "the JWS signing input of the interaction data"),
            Op("talkative.sign", "produces", "text", "a deterministic (RFC 6979) ES256 compact JWS"),
            Op("talkative.sign_jose", "produces", "text", "jose's CompactSign (randomized ECDSA; no vectors)"),
            Op("talkative.verify", "consumes", "json", "the verified interaction data"),
            Op("talkative.key.public_pem", "transforms", "text", "the document's openssl ec -pubout"),
        ),
        references=("node", "openssl"),
        round_trips=(
            RoundTrip(
                "es256",
                ("talkative.sign", "talkative.sign_jose"),
                "talkative.verify",
                _talkative_consumer,
                lambda args: [dict(entry) for entry in args["fields"]],
                producer_args={
                    "talkative.sign_jose": lambda args: {
                        "fields": args["fields"],
                        "alg": "ES256",
                        "keyPem": args["privateKeyPem"],
                    }
                },
            ),
        ),
        document="003_aac60916feb0b5ff.txt",
        generator="talkative",
    ),
    Flow(
        id="thread_messenger",
        vendor="thread",
        title="Thread Messenger auto-authentication: connectionKey = hash_hmac('sha256', email, secret)",
        python_module="conformance.vendors.thread",
        ops=(
            Op("thread.text_bytes", "transforms", "hex", "the UTF-8 bytes PHP hashes for a text"),
            Op("thread.connection_key", "produces", "text", "hash_hmac('sha256', email, secret)"),
            Op("thread.connection_key_bytes", "produces", "text", "hash_hmac over raw bytes"),
            Op(
                "thread.verify_connection_key",
                "consumes",
                "boolean",
                "hash_equals(hash_hmac(...), key)",
                _true_accepts,
            ),
            Op("thread.messenger_params", "produces", "json", "the chatgenieParams of an authenticated user"),
        ),
        references=("php",),
        round_trips=(
            RoundTrip(
                "hmac",
                ("thread.connection_key",),
                "thread.verify_connection_key",
                lambda args, produced: {**args, "key": produced},
                lambda _args: True,
            ),
        ),
        document="004_3956fa93d5717606.txt",
        generator="thread",
    ),
    Flow(
        id="boldchat_sha512",
        vendor="boldchat",
        title="BoldChat SecureParameters, SHA-512 method: HEX(SHA-512(key + data)) + data",
        python_module="conformance.vendors.boldchat",
        ops=(
            Op("boldchat.params.encode", "transforms", "text", "parameters in URL form"),
            Op("boldchat.params.decode", "transforms", "json", "URL form to [name, value] pairs"),
            Op("boldchat.params.to_original", "transforms", "text", "a friendly name's original short name"),
            Op("boldchat.params.to_friendly", "transforms", "text", "an original short name's friendly name"),
            Op("boldchat.sha512.secure", "produces", "text", "the SecureParameters value"),
            Op("boldchat.sha512.verify", "consumes", "json", "the verified, decoded parameters"),
        ),
        references=("openssl",),
        round_trips=(
            RoundTrip(
                "sha512",
                ("boldchat.sha512.secure",),
                "boldchat.sha512.verify",
                lambda args, produced: {"secureParameters": produced, "hashingKeys": [args["hashingKey"]]},
                _decoded,
                accepts=lambda args: "encoded" in args,
            ),
        ),
        document="002_716097936015a710.txt",
        generator="boldchat_sha512",
    ),
    Flow(
        id="boldchat_validator",
        vendor="boldchat",
        title="BoldChat server-side validation rules (Type, Expiration, ChatKey, Unsecured) over SHA-512 launches",
        python_module="conformance.vendors.boldchat_validator",
        ops=(
            Op(
                "boldchat.validator.launch",
                "consumes",
                "json",
                "one result per launch: the admitted data, or the document's error",
                _launch_decisions,
            ),
        ),
        references=("openssl",),  # the SHA-512 digests of its launches; the rules model decides the answers
        document="002_716097936015a710.txt",
        generator="boldchat_validator",
    ),
    Flow(
        id="boldchat_pgp",
        vendor="boldchat",
        title="BoldChat SecureParameters, PGP method: encrypt + sign (RSA-2048)",
        python_module="conformance.vendors.boldchat_pgp",
        ops=(
            Op("boldchat.pgp.seal", "produces", "text", "an armored message: signed by the brand, to the server"),
            Op("boldchat.pgp.open", "consumes", "text", "the verified parameters in URL form"),
        ),
        references=("bc-current", "bc150", "gnupg"),
        round_trips=tuple(_pgp_round_trip(k, c) for k in PGP_KEY_SETS for c in PGP_COMPRESSIONS),
        document="002_716097936015a710.txt",
        generator="boldchat_pgp",
    ),
    Flow(
        id="zendesk_messaging_jwt",
        vendor="zendesk",
        title="Zendesk messaging end-user authentication: HS256 JWT, kid among up to 10 signing keys, scope user",
        python_module="",
        ops=(
            kind_op(
                "zendesk.messaging_jwt.sign",
                "hs256_jwt.sign",
                "the brand's jwt.sign({scope: 'user', external_id, ...}, secret, {header: {kid}})",
                kid="required",
            ),
            kind_op(
                "zendesk.messaging_jwt.verify",
                "hs256_jwt.verify",
                "Zendesk's documented check: kid, typ JWT, scope user, external_id (at most 255 characters), exp",
                **ZENDESK_CHECK,
            ),
        ),
        references=("node", "pyjwt", "ruby"),
        round_trips=(_hs256_round_trip("zendesk.messaging_jwt.sign", "zendesk.messaging_jwt.verify", ZENDESK_CHECK),),
        document="support.zendesk.com 4411666638746; developer.zendesk.com widget-messaging web authentication",
        generator="zendesk_messaging_jwt",
    ),
    Flow(
        id="intercom_messenger_jwt",
        vendor="intercom",
        title="Intercom Messenger security: HS256 JWT intercom_user_jwt with user_id, exp chosen by the brand",
        python_module="",
        ops=(
            kind_op(
                "intercom.messenger_jwt.sign",
                "hs256_jwt.sign",
                "the brand's jwt.sign({user_id, email, ...}, MESSENGER_API_SECRET)",
            ),
            kind_op(
                "intercom.messenger_jwt.verify",
                "hs256_jwt.verify",
                "Intercom's documented check: HS256, user_id, exp when present",
                **INTERCOM_CHECK,
            ),
        ),
        references=("node", "pyjwt", "ruby"),
        round_trips=(
            _hs256_round_trip("intercom.messenger_jwt.sign", "intercom.messenger_jwt.verify", INTERCOM_CHECK),
        ),
        document="intercom.com help articles 10589769, 10807823",
        generator="intercom_messenger_jwt",
    ),
    Flow(
        id="kustomer_chat_jwt",
        vendor="kustomer",
        title="Kustomer chat identity: HS256 JWT with email or externalId (email wins) and iat under 15 minutes",
        python_module="",
        ops=(
            kind_op(
                "kustomer.chat_jwt.sign",
                "hs256_jwt.sign",
                "the brand's jwt.sign({externalId | email, iat}, CHAT_SECRET)",
            ),
            kind_op(
                "kustomer.chat_jwt.verify",
                "hs256_jwt.verify",
                "Kustomer's documented check: HS256, email or externalId (email first), iat under 15 minutes old",
                **KUSTOMER_CHECK,
            ),
        ),
        references=("node", "pyjwt", "ruby"),
        round_trips=(_hs256_round_trip("kustomer.chat_jwt.sign", "kustomer.chat_jwt.verify", KUSTOMER_CHECK),),
        document="developer.kustomer.com docs/chat/identity; chat-sdk v2.0-Web authenticate-chat-with-jwt-token",
        generator="kustomer_chat_jwt",
    ),
    Flow(
        id="drift_signed_identity",
        vendor="drift",
        title="Drift signed identities: HS256 JWT userJwt with sub; ENABLED falls back to the unsigned identity",
        python_module="",
        ops=(
            kind_op(
                "drift.signed_identity.sign",
                "hs256_jwt.sign",
                "the brand's backend signs {sub: userId} with the widget's signing key (userJwt)",
            ),
            kind_op(
                "drift.signed_identity.verify",
                "hs256_jwt.verify",
                "Drift's signed-identity check (REQUIRED mode): HS256, sub, exp when present",
                **DRIFT_CHECK,
            ),
        ),
        references=("node", "pyjwt", "ruby"),
        round_trips=(_hs256_round_trip("drift.signed_identity.sign", "drift.signed_identity.verify", DRIFT_CHECK),),
        document="devdocs.drift.com docs/securing-drift-on-your-site-using-signed-identities",
        generator="drift_signed_identity",
    ),
    Flow(
        id="twilio_access_token",
        vendor="twilio",
        title="Twilio Access Tokens: HS256 JWT, cty twilio-fpa;v=1, grants, as each of Twilio's SDKs makes them",
        python_module="conformance.vendors.twilio_access_token",
        ops=(
            Op("twilio.access_token.create_node", "produces", "text", "npm twilio: new AccessToken(...).toJwt()"),
            Op("twilio.access_token.create_python", "produces", "text", "PyPI twilio: AccessToken(...).to_jwt()"),
            Op(
                "twilio.access_token.create_java",
                "produces",
                "json",
                "com.twilio.sdk:twilio: AccessToken.Builder(...).build().toJwt(), its header and claims with the clock"
                " fields abstracted (the SDK reads the JVM clock)",
            ),
            Op(
                "twilio.access_token.token_java",
                "produces",
                "text",
                "com.twilio.sdk:twilio: the token at the JVM clock",
            ),
            Op("twilio.access_token.verify", "consumes", "json", "the documented verifier: identity, grants, exp"),
        ),
        references=("twilio-node", "twilio-python", "twilio-java", "node", "pyjwt"),
        round_trips=tuple(
            RoundTrip(
                f"{op.rsplit('_', 1)[1]}-sdk",
                (op,),
                "twilio.access_token.verify",
                _twilio_verify_args,
                _twilio_expected,
                accepts=lambda args: (
                    bool(args.get("identity")) and (args.get("ttl") is None or 0 < args["ttl"] <= 86_400)
                ),
                inputs=_twilio_matrix_inputs,
            )
            for op in TWILIO_SDK_OPS[:2]
        ),
        generator="twilio_access_token",
        sdk_matrix=SdkMatrix(
            sdks=tuple(zip(("twilio-node", "twilio-python", "twilio-java"), TWILIO_SDK_OPS, strict=True)),
            inputs=_twilio_sdk_inputs,
            verifier="twilio.access_token.verify",
            verify_args=_twilio_verify_args,
            verify_overrides={"twilio-java": _twilio_java_verify_args},
        ),
    ),
    Flow(
        id="stream_chat_token",
        vendor="stream",
        title="Stream Chat user tokens: HS256 over {user_id} as each of Stream's SDKs signs it, the development token",
        python_module="conformance.vendors.stream_chat",
        ops=(
            Op("stream.token.create_node", "produces", "text", "npm stream-chat: createToken(userId, exp, iat)"),
            Op("stream.token.create_python", "produces", "text", "PyPI stream-chat: create_token(user_id, exp, iat)"),
            Op("stream.token.create_java", "produces", "text", "stream-chat-java: User.createToken(secret, ...)"),
            Op("stream.token.dev_node", "produces", "text", "npm stream-chat: devToken(userId), signature 'devtoken'"),
            Op("stream.token.verify", "consumes", "json", "the documented verifier: the user_id and exp it accepts"),
        ),
        references=("stream-node", "stream-python", "stream-java", "node", "pyjwt"),
        round_trips=(
            *(
                RoundTrip(
                    f"{op.rsplit('_', 1)[1]}-layout",
                    (op,),
                    "stream.token.verify",
                    _stream_verify_args,
                    _stream_expected,
                    inputs=_stream_matrix_inputs,
                )
                for op in STREAM_SDK_OPS
            ),
            RoundTrip(
                "dev-token",
                ("stream.token.dev_node",),
                "stream.token.verify",
                _stream_dev_args,
                lambda args: {"user_id": args["userId"], "exp": None},
                inputs=_stream_dev_inputs,
            ),
        ),
        generator="stream_chat_token",
        sdk_matrix=SdkMatrix(
            sdks=tuple(zip(("stream-node", "stream-python", "stream-java"), STREAM_SDK_OPS, strict=True)),
            inputs=_stream_sdk_inputs,
            verifier="stream.token.verify",
            verify_args=_stream_verify_args,
        ),
    ),
    Flow(
        id="intercom_identity",
        vendor="intercom",
        title="Intercom identity verification: user_hash = HMAC-SHA256(platform secret, user_id, else email), hex",
        python_module="",
        ops=(
            *(
                kind_op(
                    f"intercom.identity.user_hash_{platform}",
                    "hmac_hex.sign",
                    f"the {platform} user_hash",
                    message="userId",
                    fallback="email",
                )
                for platform in ("web", "ios", "android")
            ),
            kind_op(
                "intercom.identity.verify_web",
                "hmac_hex.verify",
                "the web messenger's check: either hex case",
                message="userId",
                fallback="email",
                presented="userHash",
                accept="either-case",
            ),
            *(
                kind_op(
                    f"intercom.identity.verify_{platform}",
                    "hmac_hex.verify",
                    f"the {platform} SDK's check: lowercase hex only",
                    message="userId",
                    fallback="email",
                    presented="userHash",
                    accept="lower",
                )
                for platform in ("ios", "android")
            ),
        ),
        references=("ruby", "php", "node", "python-hmac"),
        round_trips=tuple(
            presented_round_trip(p, f"intercom.identity.user_hash_{p}", f"intercom.identity.verify_{p}", "userHash")
            for p in ("web", "ios", "android")
        ),
        document="developers.intercom.com installing-intercom web, ios, android identity-verification; "
        "intercom/identity-verification-code-samples README (hex case per platform)",
        generator="intercom_identity",
    ),
    Flow(
        id="email_hmac",
        vendor="email-hmac",
        title="The email-HMAC family: Front userHash, Help Scout signature, Crisp user:email, tawk.to hash, Chatwoot"
        " identifier_hash",
        python_module="",
        ops=(
            kind_op("email_hmac.front.user_hash", "hmac_hex.sign", "Front chat userHash", message="email"),
            kind_op(
                "email_hmac.front.verify",
                "hmac_hex.verify",
                "Front's check of userHash",
                message="email",
                presented="userHash",
            ),
            kind_op("email_hmac.helpscout.signature", "hmac_hex.sign", "Help Scout Beacon signature", message="email"),
            kind_op(
                "email_hmac.helpscout.verify",
                "hmac_hex.verify",
                "Beacon secure mode's check",
                message="email",
                presented="signature",
            ),
            kind_op("email_hmac.crisp.signature", "hmac_hex.sign", "Crisp user:email signature", message="email"),
            kind_op(
                "email_hmac.crisp.verify",
                "hmac_hex.verify",
                "Crisp's verified-email badge",
                message="email",
                presented="signature",
            ),
            kind_op("email_hmac.tawkto.hash", "hmac_hex.sign", "tawk.to secure mode hash", message="userId"),
            kind_op("email_hmac.tawkto.verify", "hmac_hex.verify", "tawk.to's login() check", message="userId"),
            kind_op(
                "email_hmac.chatwoot.identifier_hash", "hmac_hex.sign", "Chatwoot identifier_hash", message="identifier"
            ),
            kind_op(
                "email_hmac.chatwoot.set_user",
                "hmac_hex.verify",
                "Chatwoot setUser without hmac_mandatory: no hash is an unverified identity",
                message="identifier",
                presented="identifierHash",
                unsigned="accept",
            ),
            kind_op(
                "email_hmac.chatwoot.set_user_mandatory",
                "hmac_hex.verify",
                "Chatwoot setUser with hmac_mandatory",
                message="identifier",
                presented="identifierHash",
            ),
        ),
        references=("ruby", "php", "node", "python-hmac"),
        round_trips=(
            presented_round_trip("front", "email_hmac.front.user_hash", "email_hmac.front.verify", "userHash"),
            presented_round_trip(
                "helpscout", "email_hmac.helpscout.signature", "email_hmac.helpscout.verify", "signature"
            ),
            presented_round_trip("crisp", "email_hmac.crisp.signature", "email_hmac.crisp.verify", "signature"),
            presented_round_trip("tawkto", "email_hmac.tawkto.hash", "email_hmac.tawkto.verify", "hash"),
            presented_round_trip(
                "chatwoot",
                "email_hmac.chatwoot.identifier_hash",
                "email_hmac.chatwoot.set_user_mandatory",
                "identifierHash",
            ),
        ),
        document="dev.frontapp.com identify-users; developer.helpscout.com beacon-2 secure-mode; docs.crisp.chat "
        "identity-verification; help.tawk.to how-to-generate-a-hash-for-javascript-api; chatwoot docs identity-validation",
        generator="email_hmac",
    ),
    Flow(
        id="salesforce_enhanced_chat",
        vendor="salesforce",
        title="Salesforce Enhanced Chat user verification: RS256/RS512 JWT, kid among the keyset's JWKs, iss the keyset's issuer",
        python_module="",
        ops=(
            kind_op(
                "salesforce.enhanced_chat.sign",
                "asym_jws.sign",
                "the brand's jwt.sign({sub, iss, exp}, privateKey, {algorithm, keyid}) for setIdentityToken",
                algorithms=SALESFORCE_ALGORITHMS,
            ),
            kind_op(
                "salesforce.enhanced_chat.verify",
                "asym_jws.verify",
                "Salesforce's documented check: RS256/RS512, kid among JWKs with kty, kid, alg, x5c; iss, sub, exp",
                **SALESFORCE_CHECK,
            ),
        ),
        references=("node", "pyjwt", "ruby"),
        round_trips=(
            _asym_round_trip("salesforce.enhanced_chat.sign", "salesforce.enhanced_chat.verify", SALESFORCE_CHECK),
        ),
        document="help.salesforce.com service.miaw_token_based_user_verification_setup, service.user_verification_"
        "troubleshooting; developer.salesforce.com messaging-web user-verification",
        generator="salesforce_enhanced_chat",
    ),
)
