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

import time
from collections.abc import Callable, Mapping
from typing import Any

from conformance import jsjson
from conformance.arguments import require_callable
from conformance.arguments import require_str as _require_str
from conformance.codecs import encode_base64_url_safe
from conformance.errors import (
    AlgorithmNotAllowed,
    EmptyKey,
    InvalidArgument,
    InvalidClaims,
    KidMismatch,
    UnsignedToken,
)
from conformance.primitives.jwt import (
    JwsParts,
    check_nbf_exp,
    decode,
    field,
    hmac_key,
    hs256,
    is_any_pem_key,
    is_private_pem,
    js_timestamp,
    verify_hs256,
)

ALGORITHM = "HS256"
#: The intermediate values of one widget JWT (:class:`conformance.primitives.jwt.JwsParts`).
WidgetJwtParts = JwsParts


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
    key = hmac_key(_require_str(secret, "secret"), parses_as=is_private_pem)
    if iat is not None:
        number = jsjson.to_js_number(iat)
    if iat is None or not number:  # jsonwebtoken: payload.iat || Math.floor(Date.now() / 1000)
        number = js_timestamp(clock)
    header_json = '{"alg":"HS256","typ":"JWT","kid":' + jsjson.stringify_string(key_id) + "}"
    payload_json = (
        '{"scope":"appUser","userId":' + jsjson.stringify_string(user_id) + ',"iat":' + jsjson.stringify_number(number)
    ) + "}"
    header_bytes = jsjson.latin1_low_bytes(header_json)
    payload_bytes = jsjson.utf8(payload_json)
    signing_input = f"{encode_base64_url_safe(header_bytes)}.{encode_base64_url_safe(payload_bytes)}"
    return JwsParts(header_json, header_bytes, payload_json, payload_bytes, signing_input, hs256(signing_input, key))


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
    clock_timestamp = jsjson.to_js_number(now) if now else js_timestamp(time.time)
    decoded = decode(token)
    header, payload = decoded.header, decoded.payload
    has_signature = bool(decoded.signature.strip())
    if not has_signature and secret:
        raise UnsignedToken("the token has no signature")
    if has_signature and not secret:
        raise EmptyKey("the secret must not be empty")
    if field(header, "alg") != ALGORITHM:
        raise AlgorithmNotAllowed("only HS256 is accepted")
    # An empty secret gets here only with an empty signature: node then makes an empty HMAC key and the
    # signature simply does not match.
    verify_hs256(decoded, hmac_key(secret, parses_as=is_any_pem_key, allow_empty=True))
    if payload is None:
        raise InvalidClaims("the payload is null")
    check_nbf_exp(payload, clock_timestamp)
    kid = field(header, "kid")
    if not (isinstance(kid, str) and kid == key_id):
        raise KidMismatch("the token's kid is not the expected key id")
    if not isinstance(payload, dict):
        raise InvalidClaims("the payload is not a JSON object")
    return payload


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
