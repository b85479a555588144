"""Stream Chat user tokens, byte for byte as each of Stream's own SDKs signs them, and the documented verifier.

Stream's server SDKs sign ``{user_id}`` with HS256 and the app's API secret (optionally with ``exp`` and ``iat``);
each lays the token out its own way, and :func:`create_token` follows the SDK named by ``sdk``:

* ``node`` (npm ``stream-chat``, ``createToken(userId, exp, iat)``): jsonwebtoken with ``noTimestamp``; header
  ``{"alg":"HS256","typ":"JWT"}``; claims ``user_id, exp, iat``, each of ``exp``/``iat`` only when truthy (``0`` is
  dropped); ``JSON.stringify`` (non-ASCII raw); an empty secret is refused before signing;
* ``python`` (PyJWT ``create_token(user_id, exp, iat)``): the same claims and truthiness, header keys sorted, the
  JSON ASCII-only (``ensure_ascii``: every non-ASCII character as ``\\uxxxx``); an empty secret signs;
* ``java`` (``User.createToken(secret, userId, expiresAt, issuedAt)``, jjwt + Jackson): header ``{"alg":"HS256"}``;
  claims ``user_id, exp, iat, iss, sub`` with ``iss`` = ``sub`` = ``"Stream Chat Java SDK"``; ``exp`` whenever it is
  given (``0`` included); ``iat`` always (the SDK takes now minus 5 s when it is null, so the op requires it); Jackson
  escapes C0 controls and every UTF-16 surrogate as ``\\uXXXX`` (upper case) and writes the rest raw; the key is the
  secret's UTF-8 bytes (a lone surrogate as ``?``) and must be at least 32 bytes (jjwt's ``WeakKeyException``).

:func:`dev_token` is the node SDK's ``devToken(userId)``: ``header.payload.devtoken`` with the literal signature
``devtoken`` and the payload in standard Base64 (padded) of the low byte of each UTF-16 code unit, so a user id
above U+00FF is mangled. :func:`verify_token` is what Stream documents an app checks: HS256 under the API secret,
``user_id`` the user's, ``exp`` in the future when present; with auth checks off, a development token is accepted.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from typing import Any

from conformance import jsjson
from conformance.arguments import require_bool, require_int, require_str
from conformance.codecs import encode_base64_url_safe, java_utf8_encode
from conformance.errors import (
    DevTokenRefused,
    EmptyKey,
    EmptySecret,
    InvalidArgument,
    InvalidClaims,
    MalformedToken,
    TokenExpired,
    UserMismatch,
)
from conformance.primitives import jwt as prim
from conformance.primitives.sdk_tokens import DEV_SIGNATURE

SDKS = ("node", "python", "java")
JAVA_SUBJECT = "Stream Chat Java SDK"
#: The header of every node and Python token, and of the development token: {"alg":"HS256","typ":"JWT"}.
JWT_HEADER = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
_JAVA_KEY_BYTES = 32
_JACKSON_ESCAPE = re.compile('[\\x00-\\x1f"\\\\\ud800-\udfff\U00010000-\U0010ffff]')
_JACKSON_SHORT = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


class WeakKey(InvalidArgument):
    """The Java SDK's jjwt refuses an HS256 key shorter than 256 bits (``WeakKeyException``)."""

    reason = "WeakKey"


def _jackson_string(text: str) -> str:
    def escape(match: re.Match[str]) -> str:
        char = match.group()
        if char in _JACKSON_SHORT:
            return _JACKSON_SHORT[char]
        units = char.encode("utf-16-be", "surrogatepass")
        return "".join(f"\\u{int.from_bytes(units[i : i + 2], 'big'):04X}" for i in range(0, len(units), 2))

    return '"' + _JACKSON_ESCAPE.sub(escape, jsjson.js_string(text)) + '"'


def _sign(header_json: bytes, payload_json: bytes, key: bytes) -> str:
    signing_input = f"{encode_base64_url_safe(header_json)}.{encode_base64_url_safe(payload_json)}"
    return f"{signing_input}.{prim.hs256(signing_input, key)}"


def create_token(secret: str, user_id: str, *, exp: int | None = None, iat: int | None = None, sdk: str) -> str:
    """The user token ``sdk``'s create-token call returns for these arguments (``exp``/``iat`` in epoch seconds).

    Raises :class:`EmptySecret` (node, empty secret), :class:`EmptyKey` / :class:`WeakKey` (java: an empty key or
    one under 32 bytes), :class:`SecretIsAsymmetricKey` (a PEM secret, node and python), :class:`InvalidArgument`
    for a wrong type, an unknown ``sdk``, a Java call without ``iat`` or a Python secret with a lone surrogate.
    """
    require_str(secret, "secret")
    require_str(user_id, "userId")
    for name, value in (("exp", exp), ("iat", iat)):
        if value is not None:
            require_int(value, name, minimum=-(2**53 - 1), maximum=2**53 - 1)
    if sdk == "node":
        if not secret:
            raise EmptySecret("tokens can only be created server-side using the API Secret")
        claims: dict[str, Any] = {"user_id": user_id}
        claims.update({name: value for name, value in (("exp", exp), ("iat", iat)) if value})
        key = prim.hmac_key(secret, parses_as=prim.is_private_pem)
        return prim.compact_hs256(prim.sign_header("HS256", None, {}), claims, key).token
    if sdk == "python":
        key = prim.pyjwt_hmac_key(secret)
        body: dict[str, Any] = {"user_id": user_id}
        body.update({name: value for name, value in (("exp", exp), ("iat", iat)) if value})
        header = json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":"), sort_keys=True)
        return _sign(header.encode(), json.dumps(body, separators=(",", ":")).encode("ascii"), key)
    if sdk == "java":
        if iat is None:
            raise InvalidArgument("the Java SDK reads the clock when issuedAt is null: give iat")
        key = java_utf8_encode(secret)
        if not key:
            raise EmptyKey("Empty key")
        if len(key) < _JAVA_KEY_BYTES:
            raise WeakKey(f"the signing key's size is {len(key) * 8} bits, under HS256's 256")
        parts = [f'"user_id":{_jackson_string(user_id)}']
        if exp is not None:
            parts.append(f'"exp":{exp}')
        parts += [f'"iat":{iat}', f'"iss":"{JAVA_SUBJECT}"', f'"sub":"{JAVA_SUBJECT}"']
        return _sign(b'{"alg":"HS256"}', ("{" + ",".join(parts) + "}").encode("utf-8"), key)
    raise InvalidArgument(f"sdk must be one of {', '.join(SDKS)}")


def dev_token(user_id: str) -> str:
    """The node SDK's ``devToken(userId)``: ``header.payload.devtoken``, the payload in padded standard Base64 of
    the low byte of each UTF-16 code unit of ``JSON.stringify({user_id})``. Raises :class:`InvalidArgument`."""
    payload = jsjson.latin1_low_bytes('{"user_id":' + jsjson.stringify_string(require_str(user_id, "userId")) + "}")
    return f"{JWT_HEADER}.{base64.b64encode(payload).decode('ascii')}.{DEV_SIGNATURE}"


def _segment(text: str) -> bytes:
    """A token segment in base64url or (the development token's) padded standard Base64."""
    if not re.fullmatch(r"[A-Za-z0-9+/\-_]*={0,2}", text) or len(text.rstrip("=")) % 4 == 1:
        raise MalformedToken("a token segment is not Base64")
    stripped = text.rstrip("=").translate(str.maketrans("-_", "+/"))
    try:
        return base64.b64decode(stripped + "=" * (-len(stripped) % 4), validate=True)
    except binascii.Error:
        raise MalformedToken("a token segment is not Base64") from None


def _json_object(data: bytes, what: str) -> dict[str, Any]:
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise MalformedToken(f"the {what} is not UTF-8 JSON") from None
    if not isinstance(value, dict):
        raise MalformedToken(f"the {what} is not a JSON object")
    return value


def verify_token(
    token: str, secret: str, *, now: int, user_id: str | None = None, auth_checks: bool = True
) -> dict[str, Any]:
    """What an app that accepts ``token`` as Stream documents learns from it: ``{"user_id", "exp"}`` (``exp``
    ``None`` when the token has none, so it never expires); raises a typed error where it refuses.

    HS256 under the secret's UTF-8 bytes, ``user_id`` a string (``user_id`` given: equal), ``exp`` a number in the
    future when present. With ``auth_checks`` off, a token whose signature is ``devtoken`` is accepted unsigned.
    The token is read as jsonwebtoken reads it (RFC 7515's base64url, no padding), its signature checked as
    ``jwt.verify`` checks it (:func:`conformance.primitives.jwt.check_hs256_signature`). Raises
    :class:`MalformedToken`, :class:`BadSignature`, :class:`EmptyKey`, :class:`SecretIsAsymmetricKey`,
    :class:`UnencodableText`, :class:`DevTokenRefused`, :class:`InvalidClaims`, :class:`UserMismatch`,
    :class:`TokenExpired` or :class:`InvalidArgument`.
    """
    require_str(token, "token")
    require_str(secret, "secret")
    require_int(now, "now")
    require_bool(auth_checks, "authChecks")
    pieces = token.split(".")
    if len(pieces) != 3:
        raise MalformedToken("a token has three segments")
    if pieces[2] == DEV_SIGNATURE and auth_checks:
        raise DevTokenRefused("a development token where auth checks are on")
    if pieces[2] == DEV_SIGNATURE:
        _json_object(_segment(pieces[0]), "header")
        claims = _json_object(_segment(pieces[1]), "payload")
    else:
        header, claims = prim.read_json_objects(token)
        if header.get("alg") != "HS256":
            raise MalformedToken("the token is not HS256")
        prim.check_hs256_signature(token, secret)
    if not isinstance(claims.get("user_id"), str):
        raise InvalidClaims("the token has no user_id string")
    if user_id is not None and claims["user_id"] != user_id:
        raise UserMismatch("the token's user_id is not the connecting user's")
    exp = claims.get("exp")
    if exp is not None:
        if isinstance(exp, bool) or not isinstance(exp, (int, float)):
            raise InvalidClaims("exp is not a number")
        if exp <= now:
            raise TokenExpired("the token expired")
    return {"user_id": claims["user_id"], "exp": exp}


def _optional_int(args: Mapping[str, Any], name: str) -> int | None:
    return None if args.get(name) is None else args[name]


def _creator(sdk: str) -> Any:
    def create(args: Mapping[str, Any]) -> str:
        return create_token(
            args["secret"], args["userId"], exp=_optional_int(args, "exp"), iat=_optional_int(args, "iat"), sdk=sdk
        )

    return create


OPS = {
    **{f"stream.token.create_{sdk}": _creator(sdk) for sdk in SDKS},
    "stream.token.dev_node": lambda args: dev_token(args["userId"]),
    "stream.token.verify": lambda args: verify_token(
        args["token"],
        args["secret"],
        now=args["now"],
        user_id=args.get("userId"),
        auth_checks=args.get("authChecks", True),
    ),
}
