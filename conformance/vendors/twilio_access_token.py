"""Twilio Access Tokens, byte for byte as each of Twilio's own SDKs makes them, and the documented verifier.

An Access Token is an HS256 JWT signed with an API key's secret: header ``cty: "twilio-fpa;v=1"`` (and ``twr``, the
region), ``iss`` the API key SID, ``sub`` the account SID, ``jti`` the key SID and a timestamp, ``exp`` now plus the
TTL, optional ``nbf``, and ``grants`` (``identity`` and one object per product grant). :func:`create_token` follows
the SDK named by ``sdk``:

* ``node`` (npm ``twilio``, ``new AccessToken(...).toJwt()`` on jsonwebtoken): header ``alg, typ, cty, twr``;
  claims ``jti, grants, nbf, iat, exp, iss, sub`` (``iat`` is jsonwebtoken's, ``nbf`` only when given); ``ttl || 3600``
  (a TTL of 0 is an hour); ``grants.identity`` first; an empty identity, key SID, account SID or secret is refused;
* ``python`` (PyPI ``twilio``, ``AccessToken(...).to_jwt()`` on PyJWT): header keys sorted (``alg, cty, twr, typ``);
  claims ``jti, grants, iss, exp, nbf, sub`` with ``nbf`` = now unless given; ``identity`` last in ``grants`` and only
  when truthy; a TTL of 0 expires at once; the JSON ASCII-only (``\\uxxxx``);
* ``java`` (Maven ``com.twilio.sdk:twilio``, ``new AccessToken.Builder(...).build().toJwt()`` on jjwt + Jackson):
  header and ``grants`` in ``java.util.HashMap`` order, ``alg`` last; claims ``iss, exp, grants, jti, sub, nbf``;
  ``exp`` = now + ``ttl * 1000`` in 32-bit ``int`` arithmetic (a TTL over 2,147,483 s wraps); ``jti``'s timestamp is
  ``(int) Math.floor(now / 1000.0f)``, computed in ``float`` (a multiple of 128 s today); an empty identity and empty
  grant fields are written; ``incomingAllow: false`` is written; keys under 32 bytes are refused (jjwt).

The Java SDK reads the JVM's clock itself, so its campaign op (``twilio.access_token.create_java``) compares the
token's layout with the clock fields abstracted (:func:`java_layout`); :func:`create_token` with ``now_ms`` gives the
exact token for a known clock. :func:`verify_token` is what Twilio documents its services check.
"""

from __future__ import annotations

import json
import math
import re
import struct
import time
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from conformance import jsjson
from conformance.arguments import require_int, require_str
from conformance.codecs import encode_base64_url_safe, java_utf8_encode
from conformance.errors import (
    EmptyKey,
    EmptySecret,
    IntOverflow,
    InvalidArgument,
    InvalidClaims,
    MalformedToken,
    TokenExpired,
    TokenNotYetValid,
    TtlTooLong,
    WrongContentType,
)
from conformance.primitives import jwt as prim
from conformance.primitives.sdk_tokens import TWILIO_CTY as CTY
from conformance.primitives.sdk_tokens import TWILIO_MAX_TTL as MAX_TTL

SDKS = ("node", "python", "java")
DEFAULT_TTL = 3600
#: grant type -> (its key in the token, its options in the order every SDK but Java writes them)
GRANTS: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "chat": (
        "chat",
        (
            ("serviceSid", "service_sid"),
            ("endpointId", "endpoint_id"),
            ("deploymentRoleSid", "deployment_role_sid"),
            ("pushCredentialSid", "push_credential_sid"),
        ),
    ),
    "video": ("video", (("room", "room"),)),
    "sync": ("data_sync", (("serviceSid", "service_sid"), ("endpointId", "endpoint_id"))),
    "voice": (
        "voice",
        (
            ("outgoingApplicationSid", "application_sid"),
            ("pushCredentialSid", "push_credential_sid"),
            ("endpointId", "endpoint_id"),
        ),
    ),
}
#: the Java SDK's grant payloads: Jackson writes the public fields in declaration order, nulls left out
_JAVA_FIELDS = {
    "chat": ("service_sid", "deployment_role_sid", "endpoint_id", "push_credential_sid"),
    "video": ("room",),
    "sync": ("service_sid", "endpoint_id"),
}
_JAVA_KEY_BYTES = 32
_INT32 = 2**32
#: the largest clock the ports take: 2**53 ms (JavaScript's Date ends at 8.64e15 ms)
_MAX_CLOCK_MS = 2**53
CLOCK = "CLOCK"


class MissingArgument(InvalidArgument):
    """The node SDK refuses an empty account SID, key SID, secret or identity ("... is required")."""

    reason = "MissingArgument"


class WeakKey(InvalidArgument):
    """jjwt refuses an HS256 key shorter than 256 bits (``WeakKeyException``)."""

    reason = "WeakKey"


# --- arguments ------------------------------------------------------------------------------------------------------


def _grants(grants: Any) -> list[dict[str, Any]]:
    if not isinstance(grants, Sequence) or isinstance(grants, (str, bytes)):
        raise InvalidArgument("grants is a list of {type, ...options}")
    seen = set()
    for grant in grants:
        if not isinstance(grant, Mapping) or not isinstance(grant.get("type"), str) or grant["type"] not in GRANTS:
            raise InvalidArgument(f"a grant is {{type: {'|'.join(GRANTS)}, ...options}}")
        if grant["type"] in seen:
            raise InvalidArgument("one grant of each type")
        seen.add(grant["type"])
        known = {name for name, _ in GRANTS[grant["type"]][1]} | {"type", "incomingAllow"}
        if set(grant) - known:
            raise InvalidArgument(f"unknown {grant['type']} grant option")
        for name, _ in GRANTS[grant["type"]][1]:
            if grant.get(name) is not None:
                require_str(grant[name], name)
        if grant.get("incomingAllow") is not None and not isinstance(grant["incomingAllow"], bool):
            raise InvalidArgument("incomingAllow must be a boolean")
    return [dict(g) for g in grants]


def _checked(args: Any) -> dict[str, Any]:
    if not isinstance(args, Mapping):
        raise InvalidArgument("the arguments are a mapping")
    found = dict(args)
    for name in ("accountSid", "keySid", "secret"):
        require_str(found.get(name), name)
    for name in ("identity", "region"):
        if found.get(name) is not None:
            require_str(found[name], name)
    for name in ("ttl", "nbf"):
        if found.get(name) is not None:
            require_int(found[name], name, minimum=-(2**31), maximum=2**31 - 1)
    found["grants"] = _grants(found.get("grants", []))
    return found


def _truthy_payload(grant: Mapping[str, Any]) -> dict[str, Any]:
    """A grant's payload as node and Python write it: truthy options only; voice nests its outgoing application."""
    payload: dict[str, Any] = {}
    if grant["type"] == "voice":
        if grant.get("incomingAllow") is True:
            payload["incoming"] = {"allow": True}
        if grant.get("outgoingApplicationSid"):
            payload["outgoing"] = {"application_sid": grant["outgoingApplicationSid"]}
        for name, key in GRANTS["voice"][1][1:]:
            if grant.get(name):
                payload[key] = grant[name]
        return payload
    for name, key in GRANTS[grant["type"]][1]:
        if grant.get(name):
            payload[key] = grant[name]
    return payload


def _java_payload(grant: Mapping[str, Any]) -> dict[str, Any]:
    if grant["type"] == "voice":
        payload: dict[str, Any] = {}
        if grant.get("incomingAllow") is not None:
            payload["incoming"] = {"allow": grant["incomingAllow"]}
        if grant.get("outgoingApplicationSid"):
            payload["outgoing"] = {"application_sid": grant["outgoingApplicationSid"]}
        for name, key in GRANTS["voice"][1][1:]:
            if grant.get(name):
                payload[key] = grant[name]
        return payload
    options = {key: grant.get(name) for name, key in GRANTS[grant["type"]][1]}
    return {key: options[key] for key in _JAVA_FIELDS[grant["type"]] if options[key] is not None}


# --- Java: HashMap order, Jackson strings, float clock --------------------------------------------------------------


def java_string_hash(text: str) -> int:
    """``String.hashCode()`` (over UTF-16 code units), as an unsigned 32-bit value."""
    units = jsjson.js_string(require_str(text, "text")).encode("utf-16-be", "surrogatepass")
    value = 0
    for index in range(0, len(units), 2):
        value = (31 * value + int.from_bytes(units[index : index + 2], "big")) % _INT32
    return value


def java_hashmap_order(keys: Sequence[str]) -> list[str]:
    """The iteration order of a ``java.util.HashMap`` into which ``keys`` were put in this order (distinct keys, at
    most 12: the default 16-bucket table; within a bucket, insertion order)."""
    if not isinstance(keys, (list, tuple)) or not all(isinstance(k, str) for k in keys):
        raise InvalidArgument("keys is a list of strings")
    if len(set(keys)) != len(keys) or len(keys) > 12:
        raise InvalidArgument("at most 12 distinct keys")

    def bucket(key: str) -> int:
        value = java_string_hash(key)
        return (value ^ (value >> 16)) & 15

    return sorted(keys, key=lambda k: (bucket(k), keys.index(k)))


_JACKSON_ESCAPE = re.compile('[\\x00-\\x1f"\\\\\ud800-\udfff\U00010000-\U0010ffff]')
_JACKSON_SHORT = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def jackson_string(text: str) -> str:
    """A JSON string as Jackson writes it: C0 controls and UTF-16 surrogates as upper-case ``\\uXXXX``, the rest raw."""

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        if char in _JACKSON_SHORT:
            return _JACKSON_SHORT[char]
        units = char.encode("utf-16-be", "surrogatepass")
        return "".join(f"\\u{int.from_bytes(units[i : i + 2], 'big'):04X}" for i in range(0, len(units), 2))

    return '"' + _JACKSON_ESCAPE.sub(escape, jsjson.js_string(require_str(text, "text"))) + '"'


def _jackson(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return jackson_string(value)
    return "{" + ",".join(f"{jackson_string(k)}:{_jackson(v)}" for k, v in value.items()) + "}"


_JAVA_WHITESPACE_CONTROLS = set("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f")
_NON_BREAKING = set("\u00a0\u2007\u202f")


def java_has_text(text: str) -> bool:
    """jjwt's ``Strings.hasText``: some character is not ``Character.isWhitespace`` (space separators but the
    non-breaking ones, line and paragraph separators, and nine controls)."""

    def white(char: str) -> bool:
        if char in _JAVA_WHITESPACE_CONTROLS:
            return True
        return unicodedata.category(char) in ("Zs", "Zl", "Zp") and char not in _NON_BREAKING

    return not all(white(char) for char in require_str(text, "text"))


def _float32(value: float) -> float:
    return struct.unpack("f", struct.pack("f", value))[0]


def java_jti_seconds(now_ms: int) -> int:
    """``(int) Math.floor(now_ms / 1000.0f)``: the long widened to ``float``, divided in ``float``."""
    require_int(now_ms, "now_ms", minimum=0, maximum=_MAX_CLOCK_MS)
    return math.floor(_float32(_float32(float(now_ms)) / _float32(1000.0)))


def java_exp_seconds(now_ms: int, ttl: int) -> int:
    """``new Date(now_ms + ttl * 1000)`` in seconds, ``ttl * 1000`` in 32-bit ``int`` arithmetic (it wraps)."""
    require_int(now_ms, "now_ms", minimum=0, maximum=_MAX_CLOCK_MS)
    require_int(ttl, "ttl", minimum=-(2**31), maximum=2**31 - 1)
    product = (ttl * 1000) % _INT32
    if product >= 2**31:
        product -= _INT32
    return (now_ms + product) // 1000


# --- the three SDKs -------------------------------------------------------------------------------------------------


def _node(args: dict[str, Any], now: int) -> str:
    for name in ("accountSid", "keySid", "secret"):
        if not args[name]:
            raise MissingArgument(f"{name} is required")
    if not args.get("identity"):
        raise MissingArgument("identity is required to be specified in options")
    grants: dict[str, Any] = {"identity": args["identity"]}
    for grant in args["grants"]:
        grants[GRANTS[grant["type"]][0]] = _truthy_payload(grant)
    payload: dict[str, Any] = {"jti": f"{args['keySid']}-{now}", "grants": grants}
    if args.get("nbf") is not None:
        payload["nbf"] = args["nbf"]
    payload["iat"] = now
    payload["exp"] = now + (args.get("ttl") or DEFAULT_TTL)
    payload["iss"] = args["keySid"]
    payload["sub"] = args["accountSid"]
    header = {"alg": "HS256", "typ": "JWT", "cty": CTY}
    if args.get("region"):
        header["twr"] = args["region"]
    key = prim.hmac_key(args["secret"], parses_as=prim.is_private_pem)
    return prim.compact_hs256(header, payload, key).token


def _python(args: dict[str, Any], now: int) -> str:
    if not args["secret"]:
        raise EmptySecret("JWT does not have a signing key configured.")
    key = prim.pyjwt_hmac_key(args["secret"])
    grants = {GRANTS[g["type"]][0]: _truthy_payload(g) for g in args["grants"]}
    if args.get("identity"):
        grants["identity"] = args["identity"]
    ttl = DEFAULT_TTL if args.get("ttl") is None else args["ttl"]
    payload: dict[str, Any] = {"jti": f"{args['keySid']}-{now}", "grants": grants, "iss": args["keySid"]}
    payload["exp"] = now + ttl
    payload["nbf"] = now if args.get("nbf") is None else args["nbf"]
    if args["accountSid"]:
        payload["sub"] = args["accountSid"]
    header: dict[str, Any] = {"typ": "JWT", "alg": "HS256", "cty": CTY}
    if args.get("region"):
        header["twr"] = args["region"]
    header_json = json.dumps(header, separators=(",", ":"), sort_keys=True)
    try:
        payload_json = json.dumps(payload, separators=(",", ":")).encode("ascii")
    except UnicodeEncodeError:  # pragma: no cover (ensure_ascii)
        raise InvalidArgument("unencodable payload") from None
    signing_input = f"{encode_base64_url_safe(header_json.encode())}.{encode_base64_url_safe(payload_json)}"
    return f"{signing_input}.{prim.hs256(signing_input, key)}"


def _java_parts(args: dict[str, Any], now_ms: int | None) -> tuple[str, str, bytes]:
    """The Java SDK's header JSON, payload JSON (``CLOCK`` for the clock fields when ``now_ms`` is ``None``) and key."""
    key = java_utf8_encode(args["secret"])
    if not key:
        raise EmptyKey("Empty key")
    if len(key) < _JAVA_KEY_BYTES:
        raise WeakKey(f"the signing key's size is {len(key) * 8} bits, under HS256's 256")
    headers = {"typ": "JWT", "cty": CTY}
    if args.get("region"):
        headers["twr"] = args["region"]
    order = java_hashmap_order(["typ", *java_hashmap_order([k for k in headers if k != "typ"])])
    header = "{" + ",".join(f'"{k}":{jackson_string(headers[k])}' for k in order) + ',"alg":"HS256"}'
    grants: dict[str, Any] = {}
    if args.get("identity") is not None:
        grants["identity"] = args["identity"]
    for grant in args["grants"]:
        grants[GRANTS[grant["type"]][0]] = _java_payload(grant)
    grants_json = (
        "{" + ",".join(f"{jackson_string(k)}:{_jackson(grants[k])}" for k in java_hashmap_order(list(grants))) + "}"
    )
    ttl = DEFAULT_TTL if args.get("ttl") is None else args["ttl"]
    if now_ms is None:
        exp, jti = f'"{CLOCK}+{ttl}"', f"{args['keySid']}-{CLOCK}"
    else:
        exp, jti = str(java_exp_seconds(now_ms, ttl)), f"{args['keySid']}-{java_jti_seconds(now_ms)}"
    parts = [f'"iss":{jackson_string(args["keySid"])}'] if java_has_text(args["keySid"]) else []
    parts += [f'"exp":{exp}', f'"grants":{grants_json}', f'"jti":{jackson_string(jti)}']
    if java_has_text(args["accountSid"]):
        parts.append(f'"sub":{jackson_string(args["accountSid"])}')
    if args.get("nbf") is not None:
        parts.append(f'"nbf":{args["nbf"]}')
    return header, "{" + ",".join(parts) + "}", key


def java_layout(args: Mapping[str, Any]) -> dict[str, str]:
    """The Java SDK's token with the clock abstracted: ``{"header", "claims"}`` JSON texts, ``exp`` written as
    ``"CLOCK+<ttl>"`` and the ``jti`` as ``<keySid>-CLOCK``. Raises as :func:`create_token`, and
    :class:`IntOverflow` for a TTL whose milliseconds overflow an ``int`` (the SDK's ``exp`` then depends on the
    clock's milliseconds, so the layout is not defined)."""
    checked = _checked(args)
    if checked.get("ttl") is not None and not -(2**31) <= checked["ttl"] * 1000 < 2**31:
        raise IntOverflow("ttl * 1000 overflows the SDK's int: the layout depends on the clock's milliseconds")
    header, claims, _ = _java_parts(checked, None)
    return {"header": header, "claims": claims}


def create_token(args: Mapping[str, Any], *, sdk: str, now: int | None = None, now_ms: int | None = None) -> str:
    """The Access Token ``sdk`` makes for ``args`` (``accountSid``, ``keySid``, ``secret``, ``identity``, ``ttl``,
    ``nbf``, ``region``, ``grants``) at the clock ``now`` (seconds; Java: ``now_ms``, milliseconds).

    Raises :class:`MissingArgument` (node: an empty SID, secret or identity), :class:`EmptyKey`, :class:`WeakKey`
    (java), :class:`SecretIsAsymmetricKey` (node) or :class:`InvalidArgument` (a wrong type, an unknown SDK).
    """
    checked = _checked(args)
    if sdk == "java":
        if now_ms is None:
            raise InvalidArgument("the Java SDK's token needs now_ms")
        require_int(now_ms, "now_ms", minimum=0, maximum=_MAX_CLOCK_MS)
        header, claims, key = _java_parts(checked, now_ms)
        signing_input = f"{encode_base64_url_safe(header.encode())}.{encode_base64_url_safe(claims.encode('utf-8'))}"
        return f"{signing_input}.{prim.hs256(signing_input, key)}"
    if sdk not in SDKS:
        raise InvalidArgument(f"unknown SDK {sdk!r}; SDKs: {', '.join(SDKS)}")
    require_int(now, "now", minimum=0, maximum=_MAX_CLOCK_MS // 1000)
    return _node(checked, now) if sdk == "node" else _python(checked, now)  # type: ignore[arg-type]


# --- the documented verifier ------------------------------------------------------------------------------------------


def verify_token(
    token: str, secret: str, *, now: int, key_sid: str | None = None, account_sid: str | None = None
) -> dict[str, Any]:
    """What a Twilio service that accepts ``token`` as documented learns from it: ``{"identity", "grants" (the
    product grants' keys, sorted), "exp", "region"}``; raises a typed error where it refuses.

    HS256 under the secret's UTF-8 bytes, ``cty`` ``twilio-fpa;v=1``, ``iss`` the API key SID and ``sub`` the account
    SID (when given), ``exp`` a number in the future and at most 24 hours after ``nbf`` (or ``iat``, else now),
    ``nbf`` not in the future, ``grants`` an object; the token read and its signature checked as jsonwebtoken does
    (:func:`conformance.primitives.jwt.check_hs256_signature`: also :class:`EmptyKey`, :class:`UnencodableText`,
    :class:`SecretIsAsymmetricKey`). Raises :class:`MalformedToken`, :class:`BadSignature`,
    :class:`WrongContentType`, :class:`InvalidClaims`, :class:`TokenExpired`, :class:`TokenNotYetValid`,
    :class:`TtlTooLong` or :class:`InvalidArgument`.
    """
    require_str(token, "token")
    require_str(secret, "secret")
    require_int(now, "now", minimum=-(2**53), maximum=2**53)
    pieces = token.split(".")
    if len(pieces) != 3:
        raise MalformedToken("a token has three segments")
    header, claims = prim.read_json_objects(token)
    if header.get("alg") != "HS256":
        raise MalformedToken("the token is not HS256")
    prim.check_hs256_signature(token, secret)
    if header.get("cty") != CTY:
        raise WrongContentType("cty is not twilio-fpa;v=1")
    if key_sid is not None and claims.get("iss") != key_sid:
        raise InvalidClaims("iss is not the API key SID")
    if account_sid is not None and claims.get("sub") != account_sid:
        raise InvalidClaims("sub is not the account SID")
    for name in ("exp", "nbf", "iat"):
        if name in claims and not prim.is_number(claims[name]):
            raise InvalidClaims(f"{name} is not a number")
    if "exp" not in claims:
        raise InvalidClaims("no exp")
    if claims["exp"] <= now:
        raise TokenExpired("the token expired")
    if claims.get("nbf") is not None and claims["nbf"] > now:
        raise TokenNotYetValid("the token is not valid yet")
    start = claims.get("nbf", claims.get("iat", now))
    if claims["exp"] - start > MAX_TTL:
        raise TtlTooLong("the token is valid for more than 24 hours")
    grants = claims.get("grants")
    if not isinstance(grants, dict):
        raise InvalidClaims("grants is not an object")
    products = sorted(name for name in grants if name != "identity")
    return {"identity": grants.get("identity"), "grants": products, "exp": claims["exp"], "region": header.get("twr")}


def _create(sdk: str) -> Any:
    def run(args: Mapping[str, Any]) -> str:
        return create_token({k: v for k, v in args.items() if k != "now"}, sdk=sdk, now=args.get("now"))

    return run


def _java_now(args: Mapping[str, Any]) -> str:
    """The Java SDK's call as it is made: at this process's clock, in milliseconds (as ``new Date()`` reads it)."""
    return create_token(args, sdk="java", now_ms=time.time_ns() // 1_000_000)


OPS = {
    "twilio.access_token.create_node": _create("node"),
    "twilio.access_token.create_python": _create("python"),
    "twilio.access_token.create_java": java_layout,
    "twilio.access_token.token_java": _java_now,
    "twilio.access_token.verify": lambda args: verify_token(
        args["token"], args["secret"], now=args["now"], key_sid=args.get("keySid"), account_sid=args.get("accountSid")
    ),
}
