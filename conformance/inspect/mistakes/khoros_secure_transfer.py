"""Khoros Secure Transfer: a transfer link (payload, iv) that the document's ``decryptPayload`` answers with null."""

from __future__ import annotations

import json
from typing import Any

from conformance.codecs import decode_base64
from conformance.inspect.layers import base64_layer, base64_notes, secret_layer
from conformance.inspect.model import Args, Invert, Layer, Mistake, Quirk, Segment
from conformance.inspect.registration import register, register_layers, register_quirk

FLOW = "khoros_secure_transfer"
OP = "khoros.payload.decrypt"
DECRYPT = "khoros.skep.decrypt"
_ALPHABET = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_=")


def _clean_text(value: Any) -> bool:
    """Text a wrong key does not give: no U+FFFD and no C0 control but tab and newlines."""
    return isinstance(value, str) and "\ufffd" not in value and all(c >= " " or c in "\t\r\n" for c in value)


def _spaces_to_plus(name: str) -> Any:
    def correct(args: Args) -> dict[str, Any] | None:
        return {**args, name: args[name].replace(" ", "+")} if " " in args[name] else None

    return correct


def _swapped(args: Args) -> dict[str, Any] | None:
    if args["ivKey"] == args["encryptionKey"]:
        return None
    return {**args, "ivKey": args["encryptionKey"], "encryptionKey": args["ivKey"]}


def _decrypt_call(base64_keys: bool) -> Any:
    def correct(args: Args) -> dict[str, Any]:
        return {"secretKey": args["encryptionKey"], "ivKey": args["ivKey"], "base64Keys": base64_keys,
                "cipherText": args["encryptedPayload"]}  # fmt: skip

    return correct


def _not_object(value: Any) -> bool:
    if not _clean_text(value):
        return False
    try:
        return not isinstance(json.loads(value), dict)
    except ValueError:
        return True


for mistake in (
    Mistake(FLOW, OP, "FormDecodedIv", Invert(_spaces_to_plus("ivKey"), "the IV's spaces read as '+'"),
            "Read the iv parameter without form decoding (a '+' is Base64, not a space), or have the link "
            "percent-encode it (%2B)."),
    Mistake(FLOW, OP, "SkippedCharacters", Invert(_spaces_to_plus("encryptedPayload"),
                                                  "the payload's spaces read as '+'"),
            "Read the payload parameter without form decoding: a '+' of standard Base64 became a space, which "
            "the decoder skips.", label="payload form-decoded"),
    Mistake(FLOW, OP, "WrongKey", Invert(_swapped, "the key and the IV swapped"),
            "Pass the encryption key as the key and the link's iv as the IV: they were swapped.",
            label="key and IV swapped"),
    Mistake(FLOW, OP, "RawKeyMode", Invert(_decrypt_call(False), "the key and IV read as raw UTF-8 text (the "
                                           "two-argument constructor)", op=DECRYPT, confirms=_clean_text),
            "Encrypt with shouldBase64DecodeKeys=true (what decryptPayload uses), or give the key and IV in Base64."),
    Mistake(FLOW, OP, "NotJsonObject", Invert(_decrypt_call(True), "decryptString of the payload, which gives "
                                              "text that is not a JSON object", op=DECRYPT, confirms=_not_object),
            "Encrypt the JSON object of the context (JSON.stringify of an object), not another value."),
):  # fmt: skip
    register(mistake)


def _payload_has(chars: set[str], what: str) -> Any:
    def detect(args: Args) -> str | None:
        found = sorted(set(args["encryptedPayload"]) & chars)
        return f"the payload holds {what} {''.join(found)!r}" if found else None

    return detect


def _skipped(args: Args) -> str | None:
    junk = sorted(set(args["encryptedPayload"].split("=", 1)[0]) - _ALPHABET)
    return f"characters outside Base64 skipped by the decoder: {''.join(junk)!r}" if junk else None


for quirk in (
    Quirk(FLOW, OP, "StandardAlphabet", _payload_has(set("+/"), "standard-alphabet characters")),
    Quirk(FLOW, OP, "PaddingOptional", _payload_has({"="}, "padding")),
    Quirk(FLOW, OP, "SkippedCharacters", _skipped),
):
    register_quirk(quirk)


def _plaintext_layers(key: bytes, iv: bytes, ciphertext: bytes) -> list[Layer]:
    """The AES-CBC plaintext and its padding, decrypted for display (the verdict is the reference's)."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    if len(key) not in (16, 24, 32) or len(iv) != 16 or not ciphertext or len(ciphertext) % 16:
        return [Layer("plaintext", notes=("not decrypted: the key, IV or ciphertext has the wrong size",))]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    plain = decryptor.update(ciphertext) + decryptor.finalize()
    pad = plain[-1]
    good = 1 <= pad <= 16 and plain.endswith(bytes([pad]) * pad)
    body = len(plain) - pad if good else len(plain)
    segments = [Segment(0, body, "plaintext", "plaintext")]
    if good:
        segments.append(Segment(body, len(plain), "padding", f"PKCS#7 padding {pad}"))
    notes = ("padding checks out" if good else "the last block does not unpad (wrong key or IV, or damaged data)",)
    return [Layer("plaintext", plain, tuple(segments), notes, text=plain[:body].decode("utf-8", "replace"))]


def layers(args: Args) -> list[Layer]:
    """The payload's Base64 and ciphertext blocks, the IV's bytes, the key (length and fingerprint), the plaintext."""
    payload = base64_layer("payload (Base64)", args["encryptedPayload"], "ciphertext")
    ciphertext = payload.data or b""
    blocks = tuple(Segment(i, min(i + 16, len(ciphertext)), "ciphertext", f"block {i // 16}")
                   for i in range(0, len(ciphertext), 16))  # fmt: skip
    size_note = () if len(ciphertext) % 16 == 0 else (f"{len(ciphertext)} bytes: not whole 16-byte blocks",)
    iv_text = args["ivKey"]
    iv = decode_base64(iv_text)
    key = decode_base64(args["encryptionKey"])
    key_layer = secret_layer("key", args["encryptionKey"])
    key_layer = Layer(key_layer.name, secret={**(key_layer.secret or {}), "decodedBytes": len(key)},
                      notes=(*key_layer.notes, f"decodes to {len(key)} bytes (AES needs 16, 24 or 32)"))  # fmt: skip
    iv_notes = base64_notes(iv_text) + ((f"decodes to {len(iv)} bytes, not 16",) if len(iv) != 16 else ())
    return [
        Layer("ciphertext", ciphertext, blocks, payload.notes + size_note),
        Layer("iv", iv, (Segment(0, len(iv), "iv", "IV"),) if iv else (), iv_notes),
        key_layer,
        *_plaintext_layers(key, iv, ciphertext),
    ]


register_layers((OP,), layers)


def link_layer(link: str) -> Layer:
    """The transfer link's parts: the portal, and how its payload and iv read (a raw '+' survives only a reader
    that does not form-decode)."""
    from urllib.parse import urlsplit

    parts = urlsplit(link.strip())
    query = dict(part.partition("=")[::2] for part in parts.query.split("&"))
    notes = [f"portal {parts.scheme}://{parts.netloc}{parts.path}"]
    for name in ("payload", "iv"):
        raw = query.get(name, "")
        notes.append(f"{name}: {len(raw)} characters as sent")
        if "+" in raw:
            notes.append(f"{name} holds a raw '+': a form decoder reads it as a space (FormDecodedIv); %2B is safe")
    data = link.encode("utf-8", "surrogatepass")
    return Layer("transfer link", data, (Segment(0, len(data), "text", "link"),), tuple(notes), text=link)
