"""Thread Messenger: a connectionKey (``hash_hmac('sha256', email, secret)``) that ``hash_equals`` refuses."""

from __future__ import annotations

import base64
import binascii
import unicodedata
from typing import Any

from conformance.inspect.layers import secret_layer, text_layer
from conformance.inspect.model import Args, Invert, Layer, Mistake, Reproduce, Segment
from conformance.inspect.registration import register, register_layers

FLOW = "thread_messenger"
OP = "thread.verify_connection_key"
PRODUCER = "thread.connection_key"


def _key(args: Args) -> Any:
    return args["key"]


def _made(email: str, secret: str) -> dict[str, Any]:
    return {"email": email, "secret": secret}


def _only_if(changed: bool, value: dict[str, Any]) -> dict[str, Any] | None:
    return value if changed else None


def _toggle_newline(secret: str) -> str:
    return secret[:-1] if secret.endswith("\n") else secret + "\n"


def _raw_digest(args: Args) -> dict[str, Any] | None:
    try:
        raw = base64.b64decode(args["key"].strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    return {**args, "key": raw.hex()} if len(raw) == 32 else None


def _other_normal_form(email: str) -> str | None:
    for form in ("NFC", "NFD"):
        other = unicodedata.normalize(form, email)
        if other != email:
            return other
    return None


for mistake in (
    Mistake(FLOW, OP, "SwappedArguments", Reproduce(
        PRODUCER, lambda a: _made(a["secret"], a["email"]), _key,
        "hash_hmac with the email as key and the secret as message"),
        "Call hash_hmac('sha256', $email, $secret): the message first, the secret second."),
    Mistake(FLOW, OP, "UppercaseKey", Invert(
        lambda a: _only_if(a["key"] != a["key"].lower(), {**a, "key": a["key"].lower()}), "the key in lowercase"),
        "Send the key as hash_hmac emits it, in lowercase hex (hash_equals is exact)."),
    Mistake(FLOW, OP, "KeyWhitespace", Invert(
        lambda a: _only_if(a["key"] != a["key"].strip(), {**a, "key": a["key"].strip()}), "the key stripped"),
        "Strip the whitespace or newline around the key before sending it."),
    Mistake(FLOW, OP, "SecretTrailingNewline", Reproduce(
        PRODUCER, lambda a: _made(a["email"], _toggle_newline(a["secret"])), _key,
        "hash_hmac with a newline added to (or removed from) the end of the secret"),
        "Read the secret without its trailing newline (trim what a file or environment variable adds)."),
    Mistake(FLOW, OP, "RawDigestKey", Invert(_raw_digest, "the key's Base64 decoded to 32 bytes and written as hex"),
        "Use hash_hmac(..., false): the lowercase hex digest, not the Base64 of the raw digest."),
    Mistake(FLOW, OP, "CaseSensitive", Reproduce(
        PRODUCER, lambda a: _only_if(a["email"] != a["email"].lower(), _made(a["email"].lower(), a["secret"])),
        _key, "hash_hmac over the email in lowercase"),
        "Hash the email exactly as it is sent (or normalize its case in both places)."),
    Mistake(FLOW, OP, "Whitespace", Reproduce(
        PRODUCER, lambda a: _only_if(a["email"] != a["email"].strip(), _made(a["email"].strip(), a["secret"])),
        _key, "hash_hmac over the email with its surrounding whitespace stripped"),
        "Hash the email exactly as it is sent: trim it before hashing and before sending, or in neither place."),
    Mistake(FLOW, OP, "UnicodeNormalization", Reproduce(
        PRODUCER, lambda a: _only_if(_other_normal_form(a["email"]) is not None,
                                     _made(_other_normal_form(a["email"]) or "", a["secret"])),
        _key, "hash_hmac over the other Unicode normal form (NFC/NFD) of the email"),
        "Normalize the email to one form (NFC) where it is hashed and where it is sent."),
):  # fmt: skip
    register(mistake)


def layers(args: Args) -> list[Layer]:
    """The HMAC's message (the email's UTF-8 bytes), its key (length and fingerprint) and the key compared."""
    key = args["key"]
    notes = [f"{len(key)} characters; hash_hmac emits 64 lowercase hex digits"]
    if key != key.strip():
        notes.append("surrounding whitespace")
    if any(c in "ABCDEF" for c in key):
        notes.append("upper-case hex digits")
    raw = key.encode("utf-8", "surrogatepass")
    return [
        text_layer("HMAC message (email)", args["email"], "message"),
        secret_layer("HMAC key (secret)", args["secret"]),
        Layer("connectionKey", raw, (Segment(0, len(raw), "hash", "connectionKey"),), tuple(notes), text=key),
    ]


register_layers((OP,), layers)
