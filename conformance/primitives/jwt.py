"""Compact JWS/JWT as node's ``jsonwebtoken`` 9 (over ``jws`` 4) writes and reads it: the pure primitive of the
Khoros widget JWT and of the ``hs256_jwt`` op kinds.

Writing (``jwt.sign``):

* the header is ``Object.assign({alg, typ: 'JWT', kid: options.keyid}, options.header)``: keys ``alg, typ, kid``
  first, then the other header fields in their order; its JSON is encoded with ``Buffer.from(json, 'binary')`` (one
  byte per UTF-16 code unit, the low byte), the payload JSON as UTF-8;
* ``iat = payload.iat || Math.floor(Date.now() / 1000)``, written where the payload had it, else last;
* ``JSON.stringify`` order and number forms (:func:`conformance.jsjson.stringify`);
* the HMAC key is the secret's UTF-8 bytes; an empty secret and a PEM private key are refused.

Reading (``jwt.decode(token, {complete: true})``): the token must look like a JWS (two non-empty base64url segments
and an optional third), each segment is decoded leniently (``Buffer.from(s, 'base64')``), the header as latin-1
JSON, the payload as UTF-8 JSON when ``typ`` is ``JWT``. Messages never contain a secret, a key or a claim.
"""

from __future__ import annotations

import binascii
import hmac
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.serialization import load_pem_private_key, load_pem_public_key
from cryptography.x509 import load_pem_x509_certificate
from jwt.algorithms import HMACAlgorithm

from conformance import jsjson
from conformance.arguments import (
    encode_utf8,
    require_bool,
    require_bytes,
    require_callable,
    require_instance,
    require_mapping,
    require_number,
    require_str,
)
from conformance.codecs import encode_base64_url_safe
from conformance.errors import (
    AlgNone,
    AlgorithmNotAllowed,
    BadSignature,
    ClaimTooLong,
    ClaimType,
    ClaimValue,
    EmptyKey,
    InvalidArgument,
    InvalidClaims,
    InvalidHeader,
    KidMismatch,
    MalformedToken,
    MissingClaim,
    MissingKid,
    SecretIsAsymmetricKey,
    TokenExpired,
    TokenNotYetValid,
    TokenTooOld,
    UnsignedToken,
)

_URL_TO_STANDARD = str.maketrans("-_", "+/")
_HS256 = HMACAlgorithm(HMACAlgorithm.SHA256)
#: jws's isValidJws: two non-empty base64url segments and an optional third (no padding, nothing else).
JWS_SHAPE = re.compile(r"[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*")
_PEM_LOADERS: tuple[Callable[[bytes], Any], ...] = (
    load_pem_public_key,
    lambda data: load_pem_private_key(data, password=None),
    load_pem_x509_certificate,
)


@dataclass(frozen=True)
class JwsParts:
    """The RFC 7520-style intermediate values of one compact JWS."""

    header_json: str
    header_bytes: bytes
    payload_json: str
    payload_bytes: bytes
    signing_input: str
    signature: str

    @property
    def token(self) -> str:
        return f"{self.signing_input}.{self.signature}"


def b64_lenient(segment: str) -> bytes:
    """``Buffer.from(segment, 'base64')`` for a base64url segment: trailing bits and a dangling character dropped.

    Raises ``InvalidArgument`` for what is not a ``str`` of base64url (or standard base64) characters."""
    require_str(segment, "segment")
    usable = segment[: len(segment) - 1] if len(segment) % 4 == 1 else segment
    try:
        return binascii.a2b_base64(usable.translate(_URL_TO_STANDARD) + "=" * (-len(usable) % 4))
    except ValueError:  # binascii.Error too: not ASCII, misplaced padding
        raise InvalidArgument("segment is not base64url") from None


def is_number(value: Any) -> bool:
    """``typeof value === 'number'`` for a JSON value."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# --- keys ---------------------------------------------------------------------------------------------------------


def is_private_pem(raw: bytes) -> bool:
    """Whether ``createPrivateKey`` would take ``raw`` (what ``jwt.sign`` tries on a secret)."""
    try:
        load_pem_private_key(raw, password=None)
    except Exception:
        return False
    return True


def is_any_pem_key(raw: bytes) -> bool:
    """Whether ``createPublicKey`` would take ``raw`` (what ``jwt.verify`` tries on a secret)."""
    for loader in _PEM_LOADERS:
        try:
            loader(raw)
        except Exception:
            continue
        return True
    return False


def hmac_key(secret: str, *, parses_as: Callable[[bytes], bool], allow_empty: bool = False) -> bytes:
    """The HMAC key of ``secret``: its UTF-8 bytes (lone surrogates as U+FFFD).

    Raises :class:`EmptyKey` for an empty secret (unless ``allow_empty``) and :class:`SecretIsAsymmetricKey` for a
    secret that ``parses_as`` a PEM key (jsonwebtoken turns it into a key object and refuses it for HS256);
    ``InvalidArgument`` for a secret that is not a ``str`` or ``parses_as`` that is not callable.
    """
    require_callable(parses_as, "parses_as")
    require_bool(allow_empty, "allow_empty")
    if not secret and not allow_empty:
        raise EmptyKey("the secret must not be empty")
    raw = jsjson.utf8(require_str(secret, "secret"))
    if b"-----BEGIN" in raw and parses_as(raw):
        raise SecretIsAsymmetricKey("the secret is a PEM key; HS256 needs a symmetric secret")
    return raw


_PYJWT_PEM_MARKERS = (b"-----BEGIN", b"ssh-rsa", b"ssh-ed25519", b"ecdsa-sha2-")


def pyjwt_hmac_key(secret: str) -> bytes:
    """The HMAC key PyJWT's ``jwt.encode`` takes from a string secret: its UTF-8 bytes.

    Raises :class:`InvalidArgument` for a lone surrogate (Python cannot encode it), :class:`EmptyKey` for an empty
    secret and :class:`SecretIsAsymmetricKey` for one that looks like a PEM or SSH key (PyJWT's ``InvalidKeyError``).
    """
    try:
        key = secret.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidArgument("the secret holds a lone surrogate, which Python cannot encode") from None
    if not key:
        raise EmptyKey("HMAC key must not be empty")
    if any(marker in key for marker in _PYJWT_PEM_MARKERS):
        raise SecretIsAsymmetricKey("PyJWT refuses an asymmetric key or certificate as an HMAC secret")
    return key


def hs256(signing_input: str, key: bytes) -> str:
    """The base64url HMAC-SHA256 signature of an ASCII signing input. Raises ``InvalidArgument`` for a signing
    input that is not ASCII text or a key that is not bytes."""
    if not (isinstance(signing_input, str) and signing_input.isascii()):
        require_str(signing_input, "signing_input")
        raise InvalidArgument("signing_input must be ASCII (two base64url segments)")
    return encode_base64_url_safe(_HS256.sign(signing_input.encode("ascii"), require_bytes(key, "key")))


def hs256_matches(signing_input: str, signature: str, key: bytes) -> bool:
    """Whether ``signature`` is the HS256 signature of ``signing_input`` (compared as text, constant time). Raises
    what :func:`hs256` raises, ``InvalidArgument`` for a signature that is not a ``str``."""
    require_str(signature, "signature")
    return hmac.compare_digest(hs256(signing_input, key).encode("ascii"), signature.encode("ascii", "replace"))


# --- time ---------------------------------------------------------------------------------------------------------


def js_timestamp(clock: Callable[[], float]) -> float:
    """``Math.floor(Date.now() / 1000)`` where ``Date.now()`` is ``clock()`` seconds in whole milliseconds.

    Raises :class:`InvalidArgument` when ``clock`` is not callable or ``clock()`` not a finite number of seconds.
    """
    now = require_number(require_callable(clock, "clock")(), "the clock's time")
    try:
        return float(math.floor(math.floor(now * 1000) / 1000))
    except OverflowError:  # an int beyond the double range
        raise InvalidArgument("the clock's time is out of range") from None


def check_nbf_exp(payload: Any, clock_timestamp: float, *, exp: bool = True) -> None:
    """jsonwebtoken's time checks, in its order: ``nbf`` then (with ``exp``) ``exp``, each when present.

    Raises :class:`InvalidClaims` (not a number), :class:`TokenNotYetValid`, :class:`TokenExpired`.
    """
    if not isinstance(payload, dict):
        return
    if "nbf" in payload:
        if not is_number(payload["nbf"]):
            raise InvalidClaims("nbf is not a number")
        if payload["nbf"] > clock_timestamp:
            raise TokenNotYetValid("the token is not valid yet (nbf)")
    if exp and "exp" in payload:
        if not is_number(payload["exp"]):
            raise InvalidClaims("exp is not a number")
        if clock_timestamp >= payload["exp"]:
            raise TokenExpired("the token has expired (exp)")


# --- writing ------------------------------------------------------------------------------------------------------


def sign_header(alg: str, kid: str | None, extra: Mapping[str, Any]) -> dict[str, Any]:
    """``Object.assign({alg, typ: 'JWT', kid}, header)``: ``kid`` only when given, ``extra`` fields after.

    Raises ``InvalidArgument`` for an ``alg`` or ``kid`` that is not a ``str``, ``extra`` that is not a mapping."""
    require_str(alg, "alg")
    if kid is not None:
        require_str(kid, "kid")
    extra = require_mapping(extra, "extra")
    header: dict[str, Any] = {"alg": alg, "typ": "JWT"}
    if kid is not None:
        header["kid"] = kid
    for name, value in extra.items():
        header[name] = value
    return header


def with_iat(claims: Mapping[str, Any], timestamp: float) -> dict[str, Any]:
    """``payload.iat = payload.iat || timestamp``: a falsy ``iat`` is replaced in place, a missing one added last.
    Raises ``InvalidArgument`` for claims that are not a mapping or a timestamp that is not a finite number."""
    require_number(timestamp, "timestamp")
    payload = dict(require_mapping(claims, "claims"))
    iat = payload.get("iat")
    truthy = iat is not None and iat is not False and iat != "" and not (is_number(iat) and not (iat and iat == iat))  # noqa: PLR0124 (NaN)
    payload["iat"] = iat if truthy else timestamp
    return payload


def compact_hs256(header: Mapping[str, Any], payload: Mapping[str, Any], key: bytes) -> JwsParts:
    """The compact JWS of ``header`` and ``payload`` as jws writes it, HMAC-SHA256 signed with ``key``. Raises
    ``InvalidArgument`` for a header or payload that is not a mapping, a key that is not bytes."""
    header_json = jsjson.stringify(dict(require_mapping(header, "header")))
    payload_json = jsjson.stringify(dict(require_mapping(payload, "payload")))
    require_bytes(key, "key")
    header_bytes = jsjson.latin1_low_bytes(header_json)
    payload_bytes = jsjson.utf8(payload_json)
    signing_input = f"{encode_base64_url_safe(header_bytes)}.{encode_base64_url_safe(payload_bytes)}"
    return JwsParts(header_json, header_bytes, payload_json, payload_bytes, signing_input, hs256(signing_input, key))


# --- reading ------------------------------------------------------------------------------------------------------


def _parse_header(segment: str) -> Any:
    """jws's ``headerFromJWS``: latin-1 text, ``JSON.parse``; ``None`` where jws finds no (truthy) header."""
    try:
        header = jsjson.parse(b64_lenient(segment).decode("latin-1"))
    except ValueError:
        return None
    falsy = header is None or header is False or header == "" or (is_number(header) and header == 0)
    return None if falsy else header


def _decode_payload(segment: str, typ_jwt: bool) -> Any:
    """jws + jsonwebtoken ``decode``: parse when ``typ`` is JWT (a failure is fatal), then a string is parsed
    again and replaced by what it holds if that is an object or array."""
    payload: Any = b64_lenient(segment).decode("utf-8", "replace")
    if typ_jwt:
        try:
            payload = jsjson.parse(payload)
        except ValueError:
            raise MalformedToken("the payload is not JSON") from None
    if isinstance(payload, str):
        try:
            parsed = jsjson.parse(payload)
        except ValueError:
            return payload
        if isinstance(parsed, (dict, list)):
            return parsed
    return payload


def field(value: Any, name: str) -> Any:
    """``value[name]`` for an object, else ``None`` (``undefined``)."""
    return value.get(name) if isinstance(value, dict) else None


@dataclass(frozen=True)
class Decoded:
    """A token's parts as ``jwt.decode(token, {complete: true})`` gives them, and its segments."""

    header: Any
    payload: Any
    segments: tuple[str, str, str]

    def _segments(self) -> tuple[str, str, str]:
        segments = self.segments
        if not (isinstance(segments, tuple) and len(segments) == 3):
            raise InvalidArgument("a Decoded's segments are the token's three parts")
        return segments

    @property
    def signing_input(self) -> str:
        """``header.payload``, as the token holds them. Raises ``InvalidArgument`` for a ``Decoded`` made without
        three segments (:func:`decode` makes them)."""
        segments = self._segments()
        return f"{segments[0]}.{segments[1]}"

    @property
    def signature(self) -> str:
        """The third segment. Raises ``InvalidArgument`` as :attr:`signing_input` does."""
        return self._segments()[2]


def decode(token: str) -> Decoded:
    """``jwt.decode(token, {complete: true})`` with verify's first checks.

    Raises :class:`MalformedToken` for an empty token, not three parts, not a JWS with a JSON header, or (``typ``
    JWT) a payload that is not JSON; ``InvalidArgument`` for a token that is not a ``str``.
    """
    if not isinstance(token, str):
        require_str(token, "token")
    if not token:
        raise MalformedToken("the token is empty")
    parts = token.split(".")
    if len(parts) != 3:
        raise MalformedToken("the token does not have three parts")
    header = _parse_header(parts[0]) if JWS_SHAPE.fullmatch(token) else None
    if header is None:
        raise MalformedToken("the token is not a JWS with a JSON header")
    payload = _decode_payload(parts[1], field(header, "typ") == "JWT")
    return Decoded(header, payload, (parts[0], parts[1], parts[2]))


def verify_hs256(decoded: Decoded, key: bytes) -> None:
    """Raise :class:`BadSignature` unless the token's signature is its HS256 signature under ``key``;
    ``InvalidArgument`` for what is not a :class:`Decoded`, a key that is not bytes."""
    require_instance(decoded, "decoded", Decoded)
    if not hs256_matches(decoded.signing_input, decoded.signature, key):
        raise BadSignature("the signature does not verify")


def read_json_objects(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """``jwt.decode(token, {complete: true})`` decides the JWS form (:func:`decode`); the header and payload are then
    read as the UTF-8 JSON objects RFC 7515 and 7519 make them (jws reads the header as latin-1 and the payload with
    U+FFFD for bad UTF-8). Returns ``(header, payload)``.

    Raises :class:`MalformedToken`; ``InvalidArgument`` for a token that is not a ``str``.
    """
    segments = decode(token).segments
    objects: list[Any] = []
    for segment in segments[:2]:
        try:
            objects.append(jsjson.parse(b64_lenient(segment).decode("utf-8")))
        except (UnicodeDecodeError, ValueError):
            raise MalformedToken("the header or payload is not UTF-8 JSON") from None
    header, payload = objects
    if not (isinstance(header, dict) and isinstance(payload, dict)):
        raise MalformedToken("the header or payload is not a JSON object")
    return header, payload


def check_hs256_signature(token: str, secret: str) -> None:
    """The signature steps of ``jwt.verify(token, secret, {algorithms: ['HS256']})`` for a token :func:`decode`
    reads and whose ``alg`` is HS256 (the time claims left to the caller), under the secret's UTF-8 bytes.

    Raises :class:`UnencodableText` (a secret with a lone surrogate), :class:`BadSignature` (an empty signature, or
    not the HS256 signature), :class:`EmptyKey` (a signature and an empty secret), :class:`SecretIsAsymmetricKey`
    (a PEM key as the secret), :class:`MalformedToken`; ``InvalidArgument`` for arguments that are not ``str``.
    """
    encode_utf8(secret, "secret")
    decoded = decode(token)
    signed = bool(decoded.signature.strip())
    if not signed and secret:
        raise BadSignature("the token has no signature")
    if signed and not secret:
        raise EmptyKey("the secret must not be empty")
    verify_hs256(decoded, hmac_key(secret, parses_as=is_any_pem_key, allow_empty=True))


# --- a scheme's rules (the hs256_jwt.verify kind's steps 2-8) ------------------------------------------------------


def check_jwt_header(decoded: Decoded, alg: str | tuple[str, ...], required: Mapping[str, str]) -> None:
    """The payload is an object, ``alg`` is ``alg`` (one of them, for a tuple), the signature is not empty,
    ``required`` header fields hold.

    Raises :class:`MalformedToken`, :class:`AlgNone`, :class:`AlgorithmNotAllowed`, :class:`UnsignedToken`,
    :class:`InvalidHeader`; ``InvalidArgument`` for what is not a :class:`Decoded`, an ``alg`` that is not a
    ``str`` or a tuple of them, ``required`` that is not a mapping.
    """
    require_instance(decoded, "decoded", Decoded)
    if not isinstance(alg, str) and not (isinstance(alg, tuple) and all(isinstance(a, str) for a in alg)):
        raise InvalidArgument("alg must be a str or a tuple of str")
    required = require_mapping(required, "required")
    if not isinstance(decoded.payload, dict):
        raise MalformedToken("the payload is not a JSON object")
    allowed = (alg,) if isinstance(alg, str) else alg
    found = field(decoded.header, "alg")
    if not isinstance(found, str) or found not in allowed:
        if found == "none":
            raise AlgNone("the token is unsecured (alg none)")
        raise AlgorithmNotAllowed(f"only {', '.join(allowed)} accepted")
    if not decoded.signature:
        raise UnsignedToken("the token has no signature")
    for name, value in required.items():
        if field(decoded.header, name) != value:
            raise InvalidHeader(f"the header's {name} is not the required value")


def select_secret(header: Any, kid_mode: str, args: Mapping[str, Any]) -> str:
    """The secret to verify with: by the header's ``kid`` among ``args['keys']`` (``required``), else
    ``args['secret']``. Raises :class:`MissingKid`, :class:`KidMismatch`, :class:`EmptyKey`; ``InvalidArgument``
    for ``args`` that are not the op's (a mapping with ``keys``, a list of ``{kid, secret}``, or ``secret``)."""
    require_str(kid_mode, "kid_mode")
    args = require_mapping(args, "args")
    if kid_mode == "required":
        keys = args.get("keys")
        if not isinstance(keys, list) or not all(isinstance(k, Mapping) and "kid" in k and "secret" in k for k in keys):
            raise InvalidArgument("args' keys must be a list of {kid, secret}")
        if not isinstance(header, dict) or "kid" not in header:
            raise MissingKid("the header has no kid")
        kid = header["kid"]
        secret = next((k["secret"] for k in keys if isinstance(kid, str) and k["kid"] == kid), None)
        if secret is None:
            raise KidMismatch("the header's kid names no key of the keyset")
    else:
        if "secret" not in args:
            raise InvalidArgument("args lacks secret")
        secret = args["secret"]
    if not secret:
        raise EmptyKey("the secret must not be empty")
    return str(secret)


def _present(payload: dict[str, Any], name: str) -> bool:
    return payload.get(name) is not None


def _type_ok(value: Any, kind: str) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return is_number(value) and float(value).is_integer()
    return is_number(value)


_CLAIM_PARAMS = ("exp", "iatMaxAge", "claims", "identity")


def _claim_params(payload: Any, now: Any, params: Any) -> Mapping[str, Any]:
    """:func:`check_claims`'s argument checks; returns ``params``."""
    require_instance(payload, "payload", dict)
    require_number(now, "now")
    params = require_mapping(params, "params")
    if not all(name in params for name in _CLAIM_PARAMS):
        raise InvalidArgument(f"params must hold {', '.join(_CLAIM_PARAMS)}")
    if not isinstance(params["claims"], Mapping) or not isinstance(params["identity"], (list, tuple)):
        raise InvalidArgument("params' claims must be a mapping and identity a list")
    return params


def check_claims(payload: dict[str, Any], now: int, params: Mapping[str, Any], *, times: bool = True) -> dict[str, Any]:
    """Steps 5 (after the signature) to 8 of ``hs256_jwt.verify``; returns ``{"claims", "identity"}``. ``times``:
    check ``nbf`` and ``exp`` here (``False`` where the reference's library did).

    Raises :class:`InvalidClaims`, :class:`TokenNotYetValid`, :class:`TokenExpired`, :class:`MissingClaim`,
    :class:`TokenTooOld`, :class:`ClaimType`, :class:`ClaimValue`, :class:`ClaimTooLong`; ``InvalidArgument`` for
    a payload that is not a ``dict``, ``now`` that is not a number, params without the kind's ``exp``,
    ``iatMaxAge``, ``claims`` (a mapping) and ``identity`` (a list).
    """
    params = _claim_params(payload, now, params)
    if times:
        check_nbf_exp(payload, float(now), exp=params["exp"] != "ignored")
    if params["exp"] == "required" and "exp" not in payload:
        raise MissingClaim("the token has no exp")
    window = params["iatMaxAge"]
    if window is not None:
        if not is_number(payload.get("iat")):
            raise MissingClaim("the token has no numeric iat")
        if now >= payload["iat"] + window:
            raise TokenTooOld("the token's iat is older than the allowed window")
    for name, rule in params["claims"].items():
        if name not in payload:
            if rule.get("required"):
                raise MissingClaim(f"the token has no {name}")
            continue
        value = payload[name]
        if not _type_ok(value, rule["type"]):
            raise ClaimType(f"{name} is not a {rule['type']}")
        if "const" in rule and jsjson.stringify(value) != jsjson.stringify(rule["const"]):
            raise ClaimValue(f"{name} does not hold its required value")
        if "maxLength" in rule and len(jsjson.js_string(value)) > rule["maxLength"]:
            raise ClaimTooLong(f"{name} is longer than {rule['maxLength']} characters")
    identity: dict[str, Any] = {}
    if params["identity"]:
        name = next((n for n in params["identity"] if _present(payload, n)), None)
        if name is None:
            raise MissingClaim(f"the token names no identity ({', '.join(params['identity'])})")
        identity[name] = payload[name]
    return {"claims": payload, "identity": identity}


__all__ = [
    "JWS_SHAPE",
    "Decoded",
    "JwsParts",
    "b64_lenient",
    "check_claims",
    "check_hs256_signature",
    "check_jwt_header",
    "check_nbf_exp",
    "compact_hs256",
    "decode",
    "field",
    "hmac_key",
    "hs256",
    "hs256_matches",
    "is_any_pem_key",
    "is_number",
    "is_private_pem",
    "js_timestamp",
    "read_json_objects",
    "select_secret",
    "sign_header",
    "verify_hs256",
    "with_iat",
]
