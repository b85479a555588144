"""Khoros Brand Messenger widget JWT: byte-identical to the document's node example, and its verifier.

The document signs with ``jsonwebtoken.sign({scope: 'appUser', userId}, SECRET, {header: {alg: 'HS256', typ:
'JWT', kid: KEY_ID}})``. What that call does, read from jsonwebtoken 9 / jws 4 (and reproduced here):

* the header is ``Object.assign({alg, typ, kid}, header)``: keys in the order ``alg, typ, kid``;
* the header JSON is encoded with ``Buffer.from(json, 'binary')``: one byte per UTF-16 code unit, the low byte,
  so a ``kid`` with characters above U+00FF is mangled (``中`` -> ``-``); the payload JSON is UTF-8;
* ``JSON.stringify`` writes non-ASCII raw, escapes only quotes, backslash, C0 controls and lone surrogates;
* ``iat = payload.iat || Math.floor(Date.now() / 1000)``: a falsy ``iat`` (``0``, ``-0``, ``NaN``) is replaced by
  the current time; numbers are written as JavaScript writes them (``1e+21``, not ``1e21``; non-finite as
  ``null``); an ``iat`` beyond 2**53 is rounded to a double first;
* a secret that parses as a PEM private key is refused for HS256; an empty secret is refused; the HMAC key is the
  secret's UTF-8 bytes (lone surrogates as U+FFFD).

PyJWT cannot reproduce the header (it writes ``typ`` first and escapes non-ASCII), so the serialization is done
here; PyJWT's HMAC algorithm signs and verifies.
"""

from __future__ import annotations

import binascii
import hmac
import math
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.serialization import load_pem_private_key, load_pem_public_key
from cryptography.x509 import load_pem_x509_certificate
from jwt.algorithms import HMACAlgorithm
from jwt.utils import base64url_encode

from conformance import jsjson
from conformance.arguments import require_callable, require_number
from conformance.arguments import require_str as _require_str
from conformance.errors import (
    AlgorithmNotAllowed,
    BadSignature,
    EmptyKey,
    InvalidArgument,
    InvalidClaims,
    KidMismatch,
    MalformedToken,
    SecretIsAsymmetricKey,
    TokenExpired,
    TokenNotYetValid,
    UnsignedToken,
)

ALGORITHM = "HS256"
_URL_TO_STANDARD = str.maketrans("-_", "+/")
_HS256 = HMACAlgorithm(HMACAlgorithm.SHA256)
#: jws's isValidJws: two non-empty base64url segments and an optional third (no padding, nothing else).
_JWS_SHAPE = re.compile(r"[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*")
_PEM_LOADERS: tuple[Callable[[bytes], Any], ...] = (
    load_pem_public_key,
    lambda data: load_pem_private_key(data, password=None),
    load_pem_x509_certificate,
)


@dataclass(frozen=True)
class WidgetJwtParts:
    """The RFC 7520-style intermediate values of one widget JWT."""

    header_json: str
    header_bytes: bytes
    payload_json: str
    payload_bytes: bytes
    signing_input: str
    signature: str

    @property
    def token(self) -> str:
        return f"{self.signing_input}.{self.signature}"


def _b64url(data: bytes) -> str:
    return base64url_encode(data).decode("ascii")


def _b64_lenient(segment: str) -> bytes:
    """``Buffer.from(segment, 'base64')`` for a base64url segment: trailing bits and a dangling character dropped."""
    usable = segment[: len(segment) - 1] if len(segment) % 4 == 1 else segment
    return binascii.a2b_base64(usable.translate(_URL_TO_STANDARD) + "=" * (-len(usable) % 4))


def _hmac_key(secret: str, *, parses_as: Callable[[bytes], bool], allow_empty: bool = False) -> bytes:
    if not secret and not allow_empty:
        raise EmptyKey("the secret must not be empty")
    raw = jsjson.utf8(secret)
    if b"-----BEGIN" in raw and parses_as(raw):
        raise SecretIsAsymmetricKey("the secret is a PEM key; HS256 needs a symmetric secret")
    return raw


def _is_private_pem(raw: bytes) -> bool:
    try:
        load_pem_private_key(raw, password=None)
    except Exception:
        return False
    return True


def _is_any_pem_key(raw: bytes) -> bool:
    for loader in _PEM_LOADERS:
        try:
            loader(raw)
        except Exception:
            continue
        return True
    return False


def _timestamp(clock: Callable[[], float]) -> float:
    """``Math.floor(Date.now() / 1000)`` where ``Date.now()`` is ``clock()`` seconds in whole milliseconds.

    Raises :class:`InvalidArgument` when ``clock()`` is not a finite number of seconds.
    """
    now = require_number(clock(), "the clock's time")
    try:
        return float(math.floor(math.floor(now * 1000) / 1000))
    except OverflowError:  # an int beyond the double range
        raise InvalidArgument("the clock's time is out of range") from None


def widget_jwt_parts(
    user_id: str,
    *,
    key_id: str,
    secret: str,
    iat: int | float | None = None,
    clock: Callable[[], float] = time.time,
) -> WidgetJwtParts:
    """Build the widget JWT and return it with its intermediate values. See :func:`widget_jwt`."""
    user_id = _require_str(user_id, "user_id")
    key_id = _require_str(key_id, "key_id")
    clock = require_callable(clock, "clock")
    key = _hmac_key(_require_str(secret, "secret"), parses_as=_is_private_pem)
    if iat is not None:
        number = jsjson.to_js_number(iat)
    if iat is None or not number:  # jsonwebtoken: payload.iat || Math.floor(Date.now() / 1000)
        number = _timestamp(clock)
    header_json = '{"alg":"HS256","typ":"JWT","kid":' + jsjson.stringify_string(key_id) + "}"
    payload_json = (
        '{"scope":"appUser","userId":' + jsjson.stringify_string(user_id) + ',"iat":' + jsjson.stringify_number(number)
    ) + "}"
    header_bytes = jsjson.latin1_low_bytes(header_json)
    payload_bytes = jsjson.utf8(payload_json)
    signing_input = f"{_b64url(header_bytes)}.{_b64url(payload_bytes)}"
    signature = _b64url(_HS256.sign(signing_input.encode("ascii"), key))
    return WidgetJwtParts(header_json, header_bytes, payload_json, payload_bytes, signing_input, signature)


def widget_jwt(
    user_id: str,
    *,
    key_id: str,
    secret: str,
    iat: int | float | None = None,
    clock: Callable[[], float] = time.time,
) -> str:
    """The document's widget JWT for ``user_id``, byte-identical to jsonwebtoken's.

    ``iat=None`` (or a falsy ``iat``: jsonwebtoken replaces 0 by the current time) means ``clock()``.
    Raises :class:`InvalidArgument`/:class:`NullArgument` for non-strings or a non-number ``iat``,
    :class:`EmptyKey` for an empty secret and :class:`SecretIsAsymmetricKey` for a PEM private key as secret.
    """
    return widget_jwt_parts(user_id, key_id=key_id, secret=secret, iat=iat, clock=clock).token


def _parse_header(segment: str) -> Any:
    """jws's ``headerFromJWS``: latin-1 text, ``JSON.parse``; ``None`` where jws finds no (truthy) header."""
    try:
        header = jsjson.parse(_b64_lenient(segment).decode("latin-1"))
    except ValueError:
        return None
    falsy = header is None or header is False or header == "" or (_is_number(header) and header == 0)
    return None if falsy else header


def _decode_payload(segment: str, typ_jwt: bool) -> Any:
    """jws + jsonwebtoken ``decode``: parse when ``typ`` is JWT (a failure is fatal), then a string is parsed
    again and replaced by what it holds if that is an object or array."""
    payload: Any = _b64_lenient(segment).decode("utf-8", "replace")
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


def _claim(payload: Any, name: str) -> Any:
    return payload.get(name) if isinstance(payload, dict) else None


def verify_widget_jwt(
    token: str,
    *,
    key_id: str,
    secret: str,
    now: float | None = None,
) -> dict[str, Any]:
    """Verify a widget JWT as ``jsonwebtoken.verify(token, secret, {algorithms: ['HS256']})`` does, then its kid.

    Returns the claims. ``now`` is the verification time in seconds (default: the clock); ``exp`` and ``nbf`` are
    checked when present. Raises, in jsonwebtoken's order: :class:`MalformedToken`, :class:`UnsignedToken` (empty
    signature, which is what ``alg: none`` tokens have), :class:`EmptyKey`, :class:`AlgorithmNotAllowed` (any alg
    but HS256, ``none`` included), :class:`SecretIsAsymmetricKey`, :class:`BadSignature`, :class:`InvalidClaims`,
    :class:`TokenNotYetValid`, :class:`TokenExpired`, :class:`KidMismatch`.
    """
    token = _require_str(token, "token")
    key_id = jsjson.js_string(_require_str(key_id, "key_id"))
    secret = _require_str(secret, "secret")
    if now is not None and (isinstance(now, bool) or not isinstance(now, (int, float))):
        raise InvalidArgument("now must be a number of seconds")
    clock_timestamp = jsjson.to_js_number(now) if now else _timestamp(time.time)
    if not token:
        raise MalformedToken("the token is empty")
    parts = token.split(".")
    if len(parts) != 3:
        raise MalformedToken("the token does not have three parts")
    header = _parse_header(parts[0]) if _JWS_SHAPE.fullmatch(token) else None
    if header is None:
        raise MalformedToken("the token is not a JWS with a JSON header")
    payload = _decode_payload(parts[1], _claim(header, "typ") == "JWT")
    has_signature = bool(parts[2].strip())
    if not has_signature and secret:
        raise UnsignedToken("the token has no signature")
    if has_signature and not secret:
        raise EmptyKey("the secret must not be empty")
    if _claim(header, "alg") != ALGORITHM:
        raise AlgorithmNotAllowed("only HS256 is accepted")
    # An empty secret gets here only with an empty signature: node then makes an empty HMAC key and the
    # signature simply does not match.
    key = _hmac_key(secret, parses_as=_is_any_pem_key, allow_empty=True)
    expected = _b64url(_HS256.sign(f"{parts[0]}.{parts[1]}".encode("ascii"), key))
    if not hmac.compare_digest(expected.encode("ascii"), parts[2].encode("ascii")):
        raise BadSignature("the signature does not verify")
    if payload is None:
        raise InvalidClaims("the payload is null")
    _check_time_claims(payload, clock_timestamp)
    kid = _claim(header, "kid")
    if not (isinstance(kid, str) and kid == key_id):
        raise KidMismatch("the token's kid is not the expected key id")
    if not isinstance(payload, dict):
        raise InvalidClaims("the payload is not a JSON object")
    return payload


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_time_claims(payload: Any, clock_timestamp: float) -> None:
    if not isinstance(payload, dict):
        return
    if "nbf" in payload:
        if not _is_number(payload["nbf"]):
            raise InvalidClaims("nbf is not a number")
        if payload["nbf"] > clock_timestamp:
            raise TokenNotYetValid("the token is not valid yet (nbf)")
    if "exp" in payload:
        if not _is_number(payload["exp"]):
            raise InvalidClaims("exp is not a number")
        if clock_timestamp >= payload["exp"]:
            raise TokenExpired("the token has expired (exp)")


# --- the op vocabulary ---------------------------------------------------------------------------------------------


def _optional_number(args: Mapping[str, Any], name: str) -> int | float | None:
    value = args.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidArgument(f"{name} must be a number")
    return value


def _fixed_clock(args: Mapping[str, Any]) -> Callable[[], float]:
    now = _optional_number(args, "now")
    return time.time if now is None else (lambda: float(jsjson.to_js_number(now)))


def _op_sign(args: Mapping[str, Any]) -> str:
    return widget_jwt(
        args.get("userId"),  # type: ignore[arg-type]
        key_id=args.get("keyId"),  # type: ignore[arg-type]
        secret=args.get("secret"),  # type: ignore[arg-type]
        iat=_optional_number(args, "iat"),
        clock=_fixed_clock(args),
    )


def _op_verify(args: Mapping[str, Any]) -> dict[str, Any]:
    return verify_widget_jwt(
        args.get("token"),  # type: ignore[arg-type]
        key_id=args.get("keyId"),  # type: ignore[arg-type]
        secret=args.get("secret"),  # type: ignore[arg-type]
        now=_optional_number(args, "now"),
    )


OPS = {"khoros.widget_jwt.sign": _op_sign, "khoros.widget_jwt.verify": _op_verify}

__all__ = ["OPS", "WidgetJwtParts", "verify_widget_jwt", "widget_jwt", "widget_jwt_parts"]
