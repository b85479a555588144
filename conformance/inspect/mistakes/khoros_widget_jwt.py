"""Khoros widget JWT: an HS256 token with a kid that the document's ``jwt.verify`` (node jsonwebtoken) refuses."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from conformance.codecs import encode_base64_url_safe
from conformance.inspect.layers import b64url_decode, jws_header, jws_layers, jws_payload, secret_layer, text_layer
from conformance.inspect.model import Args, Invert, Layer, Mistake, Quirk
from conformance.inspect.registration import register, register_layers, register_quirk

FLOW = "khoros_widget_jwt"
OP = "khoros.widget_jwt.verify"
_OTHER_HMACS = {"HS384": hashlib.sha384, "HS512": hashlib.sha512}


def mangled(text: str) -> str:
    """What jws writes for a header string: each UTF-16 code unit's low byte (``Buffer.from(json, 'binary')``)."""
    units = text.encode("utf-16-le", "surrogatepass")
    return "".join(chr(units[i]) for i in range(0, len(units), 2))


def _kid(args: Args) -> str | None:
    kid = jws_header(args["token"]).get("kid")
    return kid if isinstance(kid, str) else None


def _mangled_kid(args: Args) -> dict[str, Any] | None:
    kid = _kid(args)
    if kid is None or kid == args["keyId"] or mangled(args["keyId"]) != kid:
        return None
    return {**args, "keyId": kid}


def _other_kid(args: Args) -> dict[str, Any] | None:
    kid = _kid(args)
    if kid is None or kid == args["keyId"] or mangled(args["keyId"]) == kid:
        return None
    return {**args, "keyId": kid}


def _toggled_newline(args: Args) -> dict[str, Any]:
    secret = args["secret"]
    return {**args, "secret": secret[:-1] if secret.endswith("\n") else secret + "\n"}


def _swapped(args: Args) -> dict[str, Any] | None:
    return None if args["keyId"] == args["secret"] else {**args, "keyId": args["secret"], "secret": args["keyId"]}


def _claim_time(args: Args, name: str) -> float | None:
    payload = jws_payload(args["token"])
    value = payload.get(name) if isinstance(payload, dict) else None
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _before_exp(args: Args) -> dict[str, Any] | None:
    exp, now = _claim_time(args, "exp"), args.get("now")
    return None if exp is None or now is None or exp > now else {**args, "now": exp - 1}


def _at_nbf(args: Args) -> dict[str, Any] | None:
    nbf, now = _claim_time(args, "nbf"), args.get("now")
    return None if nbf is None or now is None or nbf <= now else {**args, "now": nbf}


def _resigned_hs256(args: Args) -> dict[str, Any]:
    payload_segment = args["token"].split(".")[1]
    header = {**jws_header(args["token"]), "alg": "HS256"}
    segment = encode_base64_url_safe(json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode())
    signing_input = f"{segment}.{payload_segment}".encode()
    key = args["secret"].encode("utf-8", "replace")
    return {
        **args,
        "token": f"{segment}.{payload_segment}.{encode_base64_url_safe(hmac.new(key, signing_input, 'sha256').digest())}",
    }


def _unsigned(args: Args) -> dict[str, Any] | None:
    return _resigned_hs256(args) if str(jws_header(args["token"]).get("alg", "")).lower() == "none" else None


def _other_hmac(args: Args) -> dict[str, Any] | None:
    """Re-signed with HS256, where the signature given is a valid HS384/HS512 MAC under the secret."""
    alg = jws_header(args["token"]).get("alg")
    digest = _OTHER_HMACS.get(alg) if isinstance(alg, str) else None
    if digest is None:
        return None
    header, payload, signature = args["token"].split(".")
    mac = hmac.new(args["secret"].encode("utf-8", "replace"), f"{header}.{payload}".encode(), digest).digest()
    return _resigned_hs256(args) if hmac.compare_digest(mac, b64url_decode(signature)) else None


for mistake in (
    Mistake(FLOW, OP, "HeaderMangled", Invert(_mangled_kid, "verified with the kid as jws wrote it into the header"),
            "Use a key id of ASCII characters: jsonwebtoken keeps only the low byte of each header character."),
    Mistake(FLOW, OP, "WrongKid", Invert(_other_kid, "verified with the kid the token's header names"),
            "Sign with the key id the verifier expects (header kid), or verify with the key id that signed it."),
    Mistake(FLOW, OP, "WrongSecret", Invert(_swapped, "the key id and the secret swapped"),
            "jwt.sign(payload, SECRET, {keyid: KEY_ID}): the secret signs, the key id goes in the header. Rotate "
            "the secret: the token's header carried it.", label="key id and secret swapped"),
    Mistake(FLOW, OP, "WrongSecret", Invert(_toggled_newline, "the secret with a newline added or removed at its end"),
            "Read the secret without the trailing newline a file or an environment variable adds.",
            label="trailing newline"),
    Mistake(FLOW, OP, "Expired", Invert(_before_exp, "verified one second before its exp"),
            "Sign a fresh token for each page load, with an exp after the time it is verified."),
    Mistake(FLOW, OP, "NotYetValid", Invert(_at_nbf, "verified at its nbf"),
            "Do not set nbf in the future (check the signing server's clock)."),
    Mistake(FLOW, OP, "AlgNone", Invert(_unsigned, "the same header and payload signed with HS256"),
            "Sign the token with HS256 and the secret; an unsigned token is always refused."),
    Mistake(FLOW, OP, "OtherAlgorithm", Invert(_other_hmac, "its HS384/HS512 signature checked, then the token "
                                               "signed with HS256"),
            "Sign with algorithm HS256: only HS256 is allowed."),
):  # fmt: skip
    register(mistake)


def _header_order(args: Args) -> str | None:
    keys = list(jws_header(args["token"]))
    wanted = [k for k in ("alg", "typ", "kid") if k in keys]
    return None if keys[: len(wanted)] == wanted else f"header keys in order {', '.join(keys)}"


def _non_canonical(args: Args) -> str | None:
    header, payload, _ = args["token"].split(".")
    odd = [
        name
        for name, part in (("header", header), ("payload", payload))
        if encode_base64_url_safe(b64url_decode(part)) != part
    ]
    return f"the {' and '.join(odd)} segment(s) are not canonical base64url" if odd else None


register_quirk(Quirk(FLOW, OP, "HeaderKeyOrder", _header_order))
register_quirk(Quirk(FLOW, OP, "NonCanonicalBase64", _non_canonical))


def layers(args: Args) -> list[Layer]:
    """The token's header, payload and signature bytes, the expected kid, the HMAC key (length and fingerprint)."""
    return [*jws_layers(args["token"]), text_layer("expected kid", args["keyId"], "text"),
            secret_layer("HMAC key (secret)", args["secret"])]  # fmt: skip


register_layers((OP,), layers)
