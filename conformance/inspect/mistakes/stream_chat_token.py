"""Stream Chat user tokens: an HS256 token over ``{user_id}`` (or a development token) that Stream's documented
verifier refuses.

Stream's SDKs only sign; the consumer op is answered by the flow's references of the documented verifier,
jsonwebtoken (``node``) and PyJWT (``pyjwt``), each with Stream's rules (``user_id``, ``exp``, auth checks), as
``vectors/stream_chat_token.json`` records them. The helpers here serve Twilio's module too (both are HS256 under a
secret the caller holds).
"""

from __future__ import annotations

import base64
import hmac
import json
from collections.abc import Callable
from hashlib import sha256
from typing import Any

from conformance.codecs import encode_base64_url_safe, java_utf8_encode
from conformance.inspect.layers import jws_header, jws_layers, jws_payload, secret_layer, text_layer
from conformance.inspect.model import Args, Invert, Layer, Mistake, Quirk
from conformance.inspect.registration import register, register_layers, register_quirk

FLOW = "stream_chat_token"
OP = "stream.token.verify"
DEV_SIGNATURE = "devtoken"
#: An exp above this (the year 5138 in seconds) reads as milliseconds.
MILLISECONDS = 10**11


# --- helpers both SDK flows use -------------------------------------------------------------------------------------


def signature_holds(token: str, secret: str) -> bool:
    """Whether the token's HS256 signature verifies under the secret (the condition of a re-signing correction)."""
    parts = token.split(".")
    if len(parts) != 3:
        return False
    mac = hmac.new(java_utf8_encode(secret), f"{parts[0]}.{parts[1]}".encode("ascii", "replace"), sha256).digest()
    return encode_base64_url_safe(mac) == parts[2]


def resigned(token: str, secret: str, change: Callable[[dict[str, Any], dict[str, Any]], bool]) -> str | None:
    """The token with ``change(header, claims)`` made and signed HS256 under the secret; ``None`` when ``change``
    answers ``False`` (it does not apply) or the token has no JSON object header and payload."""
    header, claims = jws_header(token), jws_payload(token)
    if not isinstance(claims, dict) or change(header, claims) is False:
        return None
    head = encode_base64_url_safe(json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode())
    body = encode_base64_url_safe(json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode())
    mac = hmac.new(java_utf8_encode(secret), f"{head}.{body}".encode(), sha256).digest()
    return f"{head}.{body}.{encode_base64_url_safe(mac)}"


def toggled_newline(args: Args) -> dict[str, Any]:
    """The arguments with a newline added to (or removed from) the end of the secret."""
    secret = args["secret"]
    return {**args, "secret": secret[:-1] if secret.endswith("\n") else secret + "\n"}


def cleaned_token(args: Args) -> dict[str, Any] | None:
    """The token without the whitespace, quotes or ``Bearer`` prefix around and inside it; ``None`` when clean."""
    stripped = args["token"].strip().strip("\"'")
    if stripped.lower().startswith("bearer "):
        stripped = stripped[7:]
    compact = "".join(stripped.split())
    return None if compact == args["token"] else {**args, "token": compact}


def unsigned_resigned(args: Args) -> dict[str, Any] | None:
    """An ``alg: none`` token's header and payload signed with HS256 under the secret."""
    if str(jws_header(args["token"]).get("alg", "")).lower() != "none":
        return None

    def pin(header: dict[str, Any], _claims: dict[str, Any]) -> bool:
        header["alg"] = "HS256"
        return True

    token = resigned(args["token"], args["secret"], pin)
    return None if token is None else {**args, "token": token}


def claim(args: Args, name: str) -> Any:
    payload = jws_payload(args["token"])
    return payload.get(name) if isinstance(payload, dict) else None


def number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def before_exp(args: Args) -> dict[str, Any] | None:
    """Verified one second before the token's ``exp``, where it has expired."""
    exp = claim(args, "exp")
    return None if not number(exp) or exp > args["now"] else {**args, "now": int(exp) - 1}


# --- Stream --------------------------------------------------------------------------------------------------------


def _auth_checks_off(args: Args) -> dict[str, Any] | None:
    dev = args["token"].split(".")[-1] == DEV_SIGNATURE
    return {**args, "authChecks": False} if dev and args.get("authChecks", True) else None


def _user(args: Args) -> Any:
    pieces = args["token"].split(".")
    if len(pieces) == 3 and pieces[2] == DEV_SIGNATURE:
        return dev_payload(pieces[1]).get("user_id")
    return claim(args, "user_id")


def dev_payload(segment: str) -> dict[str, Any]:
    """A development token's payload (padded standard Base64 of JSON). Raises ``ValueError``."""
    value = json.loads(base64.b64decode(segment + "=" * (-len(segment) % 4)))
    if not isinstance(value, dict):
        raise ValueError("the payload is not a JSON object")
    return value


def _user_case(args: Args) -> dict[str, Any] | None:
    given, wanted = _user(args), args.get("userId")
    if not isinstance(given, str) or not isinstance(wanted, str) or given == wanted:
        return None
    return {**args, "userId": given} if given.casefold() == wanted.casefold() else None


def _user_type(args: Args) -> dict[str, Any] | None:
    """The token re-signed with its numeric ``user_id`` as the string the user connects with."""
    given, wanted = claim(args, "user_id"), args.get("userId")
    if not number(given) or not signature_holds(args["token"], args["secret"]):
        return None
    text = str(int(given)) if float(given).is_integer() else str(given)
    if wanted is not None and wanted != text:
        return None

    def as_text(_header: dict[str, Any], claims: dict[str, Any]) -> bool:
        claims["user_id"] = text
        return True

    token = resigned(args["token"], args["secret"], as_text)
    return None if token is None else {**args, "token": token}


def _other_user(args: Args) -> dict[str, Any] | None:
    given, wanted = _user(args), args.get("userId")
    if not isinstance(given, str) or wanted is None or given == wanted or given.casefold() == wanted.casefold():
        return None
    return {**args, "userId": given}


for mistake in (
    Mistake(FLOW, OP, "DevTokenAuthOn", Invert(_auth_checks_off, "verified with the app's auth checks off"),
            "A development token (signature 'devtoken') is only accepted where auth checks are off: sign a user "
            "token on your server with createToken(userId, exp) and the API secret."),
    Mistake(FLOW, OP, "AlgNone", Invert(unsigned_resigned, "the same header and payload signed with HS256"),
            "Sign the token with HS256 and the API secret; an unsigned token is always refused."),
    Mistake(FLOW, OP, "Malformed", Invert(cleaned_token, "the token without the whitespace, quotes or 'Bearer ' "
                                          "around and inside it"),
            "Send the compact token exactly: no line breaks, spaces, quotes or 'Bearer ' prefix."),
    Mistake(FLOW, OP, "SecretTrailingNewline", Invert(toggled_newline, "the secret with a newline added or "
                                                      "removed at its end"),
            "Read the API secret without the trailing newline a file or an environment variable adds."),
    Mistake(FLOW, OP, "Expired", Invert(before_exp, "verified one second before its exp"),
            "Give the client a fresh token (a token provider) before exp; the one given has expired."),
    Mistake(FLOW, OP, "UserIdCase", Invert(_user_case, "verified for the user id as the token writes it"),
            "Sign the token for the user id exactly as the client connects (user ids are case-sensitive)."),
    Mistake(FLOW, OP, "UserIdType", Invert(_user_type, "the token signed with its user_id as a JSON string"),
            "Write user_id as a string: createToken(String(userId))."),
    Mistake(FLOW, OP, "WrongUser", Invert(_other_user, "verified for the user the token names"),
            "Sign the token for the user who connects (connectUser's id), not another user's."),
):  # fmt: skip
    register(mistake)


def _no_expiry(args: Args) -> str | None:
    if args["token"].split(".")[-1] == DEV_SIGNATURE:
        return None
    if claim(args, "exp") is not None:
        return None
    return "the token has no exp: it is accepted until the API secret is rotated"


def _milliseconds(args: Args) -> str | None:
    exp = claim(args, "exp")
    if not number(exp) or exp < MILLISECONDS:
        return None
    years = int(exp - args["now"]) // (365 * 86_400)
    return f"exp {exp} reads as milliseconds: in seconds it lies {years:,} years ahead"


def _dev_token(args: Args) -> str | None:
    dev = args["token"].split(".")[-1] == DEV_SIGNATURE
    return "a development token, accepted only because auth checks are off" if dev else None


register_quirk(Quirk(FLOW, OP, "NoExpiry", _no_expiry))
register_quirk(Quirk(FLOW, OP, "ExpMilliseconds", _milliseconds))
register_quirk(Quirk(FLOW, OP, "DevToken", _dev_token))


def layers(args: Args) -> list[Layer]:
    """The token's header, payload and signature (a development token's payload in standard Base64), the user id
    expected, the API secret (length and fingerprint)."""
    found = jws_layers(args["token"])
    pieces = args["token"].split(".")
    if len(pieces) == 3 and pieces[2] == DEV_SIGNATURE:
        try:
            payload = base64.b64decode(pieces[1] + "=" * (-len(pieces[1]) % 4))
        except ValueError:
            payload = None
        if payload is not None:
            found[1] = text_layer("payload", payload.decode("utf-8", "replace"), "payload",
                                  ("standard Base64, padded (the node SDK's devToken)",))  # fmt: skip
        found[2] = text_layer("signature", DEV_SIGNATURE, "signature", ("the literal 'devtoken': a development token",))
    if isinstance(args.get("userId"), str):
        found.append(text_layer("expected user_id", args["userId"], "text"))
    found.append(secret_layer("HMAC key (API secret)", args["secret"]))
    return found


register_layers((OP,), layers)
