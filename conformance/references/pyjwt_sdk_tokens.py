"""The PyJWT reference of the SDK token flows' documented verifiers: ``stream.token.verify`` and
``twilio.access_token.verify`` as a Python service writes them with PyJWT, in process.

PyJWT reads the token (``api_jwt.decode_complete`` without the signature: header and payload JSON objects) and checks
the HS256 signature (``api_jws.decode_complete`` with ``algorithms=["HS256"]``); the vendor's documented rules come
after, in plain code, in the steps and with the reasons of the port (:mod:`conformance.vendors.stream_chat`,
:mod:`conformance.vendors.twilio_access_token`):

* Stream (getstream.io chat docs, "Tokens & Authentication"): a JWT signed with the app's API secret whose payload
  carries ``user_id``; valid indefinitely unless it has an ``exp`` (seconds since the epoch); with auth checks off
  (the dashboard's "disable auth checks", for development), the node SDK's development token (signature
  ``devtoken``) is accepted unsigned. Result ``{"user_id", "exp"}``.
* Twilio (twilio.com/docs/iam/access-tokens, errors 20101-20107): HS256 with the API key's secret, header
  ``cty: "twilio-fpa;v=1"``, ``iss`` the API key SID, ``sub`` the account SID, ``exp`` in the future and at most
  24 hours ahead, ``nbf`` not in the future, ``grants``. Result ``{"identity", "grants", "exp", "region"}``.

The node reference (``node_ref/server.mjs``, jsonwebtoken) implements the same rules; the vectors hold their agreed
answers. The secret's key is its UTF-8 encoding: a secret without one (a lone surrogate) is ``UnencodableText``.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import warnings
from collections.abc import Mapping
from typing import Any

import jwt
from jwt import api_jws, api_jwt

from conformance.arguments import encode_utf8, require_bool, require_int, require_str
from conformance.errors import (
    BadSignature,
    DevTokenRefused,
    EmptyKey,
    InvalidClaims,
    MalformedToken,
    SecretIsAsymmetricKey,
    TokenExpired,
    TokenNotYetValid,
    TtlTooLong,
    UserMismatch,
    WrongContentType,
)
from conformance.outcome import OpFunction
from conformance.primitives import jwt as prim
from conformance.primitives.sdk_tokens import DEV_SIGNATURE, TWILIO_CTY, TWILIO_MAX_TTL

#: A development token's segments: Base64 in either alphabet, padded or not (the node SDK writes standard, padded).
_DEV_SEGMENT = re.compile(r"[A-Za-z0-9+/\-_]*={0,2}")


def _read(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """PyJWT's unverified read: the header and payload objects. Raises :class:`MalformedToken`."""
    try:
        complete = api_jwt.decode_complete(token, options={"verify_signature": False})
    except (jwt.PyJWTError, UnicodeEncodeError):
        raise MalformedToken("PyJWT cannot read the token") from None
    return complete["header"], complete["payload"]


def _signature(token: str, secret: str) -> None:
    """PyJWT's HS256 signature check under the secret's UTF-8 bytes. Raises :class:`BadSignature`,
    :class:`EmptyKey`, :class:`SecretIsAsymmetricKey` or :class:`UnencodableText`."""
    key = encode_utf8(secret, "secret")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # PyJWT warns about keys under 32 bytes: the vendors issue what they issue
            api_jws.decode_complete(token, key=key, algorithms=["HS256"])
    except jwt.InvalidSignatureError:
        raise BadSignature("PyJWT: the signature does not verify") from None
    except jwt.InvalidKeyError as exc:
        if "empty" in str(exc):
            raise EmptyKey("PyJWT refuses an empty HMAC key") from None
        raise SecretIsAsymmetricKey("PyJWT refuses an asymmetric key as an HMAC secret") from None
    except jwt.PyJWTError:
        raise MalformedToken("PyJWT cannot read the token") from None


def _dev_segment(segment: str, what: str) -> dict[str, Any]:
    """A development token's header or payload: Base64 JSON object. Raises :class:`MalformedToken`."""
    unpadded = segment.rstrip("=")
    if not _DEV_SEGMENT.fullmatch(segment) or len(unpadded) % 4 == 1:
        raise MalformedToken(f"the {what} is not Base64")
    try:
        data = base64.b64decode(unpadded.translate(str.maketrans("-_", "+/")) + "=" * (-len(unpadded) % 4))
        value = json.loads(data.decode("utf-8"))
    except (binascii.Error, UnicodeDecodeError, ValueError, RecursionError):
        raise MalformedToken(f"the {what} is not Base64 JSON") from None
    if not isinstance(value, dict):
        raise MalformedToken(f"the {what} is not a JSON object")
    return value


def stream_verify(args: Mapping[str, Any]) -> dict[str, Any]:
    """``stream.token.verify``: ``{"user_id", "exp"}`` of a token Stream's documented rules accept; raises the step's
    typed error (:class:`MalformedToken`, :class:`DevTokenRefused`, :class:`BadSignature`, :class:`InvalidClaims`,
    :class:`UserMismatch`, :class:`TokenExpired`, an argument error)."""
    token, secret = require_str(args.get("token"), "token"), require_str(args.get("secret"), "secret")
    now = require_int(args.get("now"), "now")
    auth_checks = require_bool(args.get("authChecks", True), "authChecks")
    pieces = token.split(".")
    if len(pieces) != 3:
        raise MalformedToken("a token has three segments")
    if pieces[2] == DEV_SIGNATURE:
        if auth_checks:
            raise DevTokenRefused("a development token where auth checks are on")
        _dev_segment(pieces[0], "header")
        claims = _dev_segment(pieces[1], "payload")
    else:
        header, claims = _read(token)
        if header.get("alg") != "HS256":
            raise MalformedToken("the token is not HS256")
        _signature(token, secret)
    if not isinstance(claims.get("user_id"), str):
        raise InvalidClaims("the token has no user_id string")
    if args.get("userId") is not None and claims["user_id"] != args["userId"]:
        raise UserMismatch("the token's user_id is not the connecting user's")
    exp = claims.get("exp")
    if exp is not None:
        if not prim.is_number(exp):
            raise InvalidClaims("exp is not a number")
        if exp <= now:
            raise TokenExpired("the token expired")
    return {"user_id": claims["user_id"], "exp": exp}


def twilio_verify(args: Mapping[str, Any]) -> dict[str, Any]:
    """``twilio.access_token.verify``: ``{"identity", "grants" (product keys, sorted), "exp", "region"}`` of a token
    Twilio's documented rules accept; raises the step's typed error (:class:`MalformedToken`, :class:`BadSignature`,
    :class:`WrongContentType`, :class:`InvalidClaims`, :class:`TokenExpired`, :class:`TokenNotYetValid`,
    :class:`TtlTooLong`, an argument error)."""
    token, secret = require_str(args.get("token"), "token"), require_str(args.get("secret"), "secret")
    now = require_int(args.get("now"), "now", minimum=-(2**53), maximum=2**53)
    if len(token.split(".")) != 3:
        raise MalformedToken("a token has three segments")
    header, claims = _read(token)
    if header.get("alg") != "HS256":
        raise MalformedToken("the token is not HS256")
    _signature(token, secret)
    if header.get("cty") != TWILIO_CTY:
        raise WrongContentType("cty is not twilio-fpa;v=1")
    if args.get("keySid") is not None and claims.get("iss") != args["keySid"]:
        raise InvalidClaims("iss is not the API key SID")
    if args.get("accountSid") is not None and claims.get("sub") != args["accountSid"]:
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
    if claims["exp"] - claims.get("nbf", claims.get("iat", now)) > TWILIO_MAX_TTL:
        raise TtlTooLong("the token is valid for more than 24 hours")
    grants = claims.get("grants")
    if not isinstance(grants, dict):
        raise InvalidClaims("grants is not an object")
    products = sorted(name for name in grants if name != "identity")
    return {"identity": grants.get("identity"), "grants": products, "exp": claims["exp"], "region": header.get("twr")}


OPS: dict[str, OpFunction] = {"stream.token.verify": stream_verify, "twilio.access_token.verify": twilio_verify}

__all__ = ["OPS", "stream_verify", "twilio_verify"]
