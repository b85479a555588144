"""Twilio Access Tokens: an HS256 JWT (``cty: twilio-fpa;v=1``, ``iss`` the API key SID, ``sub`` the account SID,
at most 24 hours) that Twilio's documented verifier refuses.

Twilio's SDKs only sign; the consumer op is answered by the flow's references of the documented verifier,
jsonwebtoken (``node``) and PyJWT (``pyjwt``), each with Twilio's rules (``cty``, ``iss``, ``sub``, ``exp``, ``nbf``,
the 24-hour maximum), as ``vectors/twilio_access_token.json`` records them.
"""

from __future__ import annotations

from typing import Any

from conformance.inspect.layers import jws_header, jws_layers, secret_layer, text_layer
from conformance.inspect.mistakes.stream_chat_token import (
    before_exp,
    claim,
    cleaned_token,
    number,
    resigned,
    signature_holds,
    toggled_newline,
    unsigned_resigned,
)
from conformance.inspect.model import Args, Invert, Layer, Mistake, Quirk
from conformance.inspect.registration import register, register_layers, register_quirk
from conformance.vendors.twilio_access_token import CTY, MAX_TTL

FLOW = "twilio_access_token"
OP = "twilio.access_token.verify"


def _swapped_sids(args: Args) -> dict[str, Any] | None:
    """The SIDs expected the other way round, where the token's iss and sub hold them swapped (the account SID
    read from iss when only the key SID is given)."""
    key_sid, account_sid = args.get("keySid"), args.get("accountSid")
    iss, sub = claim(args, "iss"), claim(args, "sub")
    if key_sid is None or sub != key_sid or not isinstance(iss, str) or iss == key_sid:
        return None
    if account_sid is None and iss.startswith("AC"):
        account_sid = iss
    return {**args, "keySid": account_sid, "accountSid": key_sid} if iss == account_sid else None


def _expected(args: Args, name: str, claim_name: str) -> dict[str, Any] | None:
    wanted, given = args.get(name), claim(args, claim_name)
    if wanted is None or not isinstance(given, str) or given == wanted:
        return None
    return {**args, name: given}


def _resigned_call(args: Args, change: Any) -> dict[str, Any] | None:
    """The call with the token re-signed after ``change``, where its signature holds under the secret."""
    if not signature_holds(args["token"], args["secret"]):
        return None
    token = resigned(args["token"], args["secret"], change)
    return None if token is None else {**args, "token": token}


def _with_cty(args: Args) -> dict[str, Any] | None:
    def add(header: dict[str, Any], _claims: dict[str, Any]) -> bool:
        if header.get("cty") == CTY:
            return False
        header["cty"] = CTY
        return True

    return _resigned_call(args, add)


def _start(claims: dict[str, Any], now: int) -> Any:
    return claims.get("nbf", claims.get("iat", now))


def _within_a_day(args: Args) -> dict[str, Any] | None:
    def shorten(_header: dict[str, Any], claims: dict[str, Any]) -> bool:
        start, exp = _start(claims, args["now"]), claims.get("exp")
        if not number(start) or not number(exp) or exp - start <= MAX_TTL:
            return False
        claims["exp"] = start + MAX_TTL
        return True

    return _resigned_call(args, shorten)


def _at_nbf(args: Args) -> dict[str, Any] | None:
    nbf = claim(args, "nbf")
    return None if not number(nbf) or nbf <= args["now"] else {**args, "now": int(nbf)}


for mistake in (
    Mistake(FLOW, OP, "AlgNone", Invert(unsigned_resigned, "the same header and payload signed with HS256"),
            "Sign the token with HS256 and the API key secret; an unsigned token is always refused."),
    Mistake(FLOW, OP, "Malformed", Invert(cleaned_token, "the token without the whitespace, quotes or 'Bearer ' "
                                          "around and inside it"),
            "Send the compact token exactly: no line breaks, spaces, quotes or 'Bearer ' prefix."),
    Mistake(FLOW, OP, "SecretTrailingNewline", Invert(toggled_newline, "the secret with a newline added or "
                                                      "removed at its end"),
            "Read the API key secret without the trailing newline a file or an environment variable adds."),
    Mistake(FLOW, OP, "SwappedSids", Invert(_swapped_sids, "verified with the key SID and the account SID the other "
                                            "way round"),
            "new AccessToken(accountSid, apiKeySid, apiKeySecret): the account SID (AC...) first, then the API key "
            "SID (SK...)."),
    Mistake(FLOW, OP, "WrongKeySid", Invert(lambda a: _expected(a, "keySid", "iss"), "verified for the API key SID "
                                            "the token's iss names"),
            "Sign with the API key (SID and secret) the service expects; iss is the key SID that signed."),
    Mistake(FLOW, OP, "WrongAccount", Invert(lambda a: _expected(a, "accountSid", "sub"), "verified for the "
                                             "account SID the token's sub names"),
            "Use the account SID of the account that owns the API key and the service."),
    Mistake(FLOW, OP, "WrongCty", Invert(_with_cty, "the token signed with cty twilio-fpa;v=1 in its header"),
            "Write the header Twilio wants: cty 'twilio-fpa;v=1' (every Twilio SDK does; a hand-rolled JWT "
            "often does not)."),
    Mistake(FLOW, OP, "TtlOverMax", Invert(_within_a_day, "the token signed with exp 24 hours after its start"),
            "Give the token a TTL of at most 86,400 s (24 hours); refresh it before it expires."),
    Mistake(FLOW, OP, "Expired", Invert(before_exp, "verified one second before its exp"),
            "Fetch a fresh token before exp (tokenAboutToExpire); the one given has expired."),
    Mistake(FLOW, OP, "NotYetValid", Invert(_at_nbf, "verified at its nbf"),
            "Do not set nbf in the future (check the signing server's clock)."),
):  # fmt: skip
    register(mistake)


def _grants(args: Args) -> Any:
    return claim(args, "grants")


def _no_identity(args: Args) -> str | None:
    grants = _grants(args)
    if not isinstance(grants, dict) or "identity" in grants:
        return None
    return "grants has no identity: Conversations, Chat, Voice and Sync refuse a token without one"


def _empty_identity(args: Args) -> str | None:
    grants = _grants(args)
    return "grants.identity is empty" if isinstance(grants, dict) and grants.get("identity") == "" else None


def _sids_swapped(args: Args) -> str | None:
    iss, sub = claim(args, "iss"), claim(args, "sub")
    if isinstance(iss, str) and isinstance(sub, str) and iss.startswith("AC") and sub.startswith("SK"):
        return "iss is an account SID (AC...) and sub an API key SID (SK...): Twilio wants them the other way round"
    return None


register_quirk(Quirk(FLOW, OP, "NoIdentity", _no_identity))
register_quirk(Quirk(FLOW, OP, "EmptyIdentity", _empty_identity))
register_quirk(Quirk(FLOW, OP, "SwappedSids", _sids_swapped))


def layers(args: Args) -> list[Layer]:
    """The token's header, payload and signature, the SIDs expected, the API key secret (length and fingerprint)."""
    found = jws_layers(args["token"])
    try:
        cty = jws_header(args["token"]).get("cty")
    except ValueError:
        cty = None
    if found and cty != CTY:
        found[0] = Layer(found[0].name, found[0].data, found[0].segments,
                         (*found[0].notes, f"cty is {cty!r}, not {CTY!r}"), text=found[0].text)  # fmt: skip
    for name, what in (("keySid", "expected iss (API key SID)"), ("accountSid", "expected sub (account SID)")):
        if isinstance(args.get(name), str):
            found.append(text_layer(what, args[name], "text"))
    found.append(secret_layer("HMAC key (API key secret)", args["secret"]))
    return found


register_layers((OP,), layers)
