"""Khoros Cryptor: a CBC or GCM ciphertext that the vendor's ``decryptCBC`` / ``decryptGCM`` refuses."""

from __future__ import annotations

import re
from typing import Any

from conformance.inspect.layers import secret_layer
from conformance.inspect.model import Args, Invert, Layer, Mistake, Segment
from conformance.inspect.registration import register, register_layers

FLOW = "khoros_cryptor"
GCM = "khoros.cryptor.decrypt_gcm"
CBC = "khoros.cryptor.decrypt_cbc"
_KEY_HEX = re.compile(r"(?:[0-9a-fA-F]{2}){16}|(?:[0-9a-fA-F]{2}){24}|(?:[0-9a-fA-F]{2}){32}")


def _without(args: Args, name: str) -> dict[str, Any]:
    return {k: v for k, v in args.items() if k != name}


def _as_raw_key(args: Args) -> dict[str, Any] | None:
    text = args.get("keyText")
    if not isinstance(text, str) or not _KEY_HEX.fullmatch(text):
        return None
    return {**_without(args, "keyText"), "keyHex": text}


def _as_text_key(args: Args) -> dict[str, Any] | None:
    raw = args.get("keyHex")
    return None if not isinstance(raw, str) else {**_without(args, "keyHex"), "keyText": raw}


def _iv_hex_as_text(args: Args) -> dict[str, Any] | None:
    iv = args["iv"]
    return {**args, "iv": iv.encode("ascii").hex()} if iv else None


def _without_aad(args: Args) -> dict[str, Any] | None:
    return {**args, "aad": None} if args.get("aad") else None


def _reads_as_text(value: Any) -> bool:
    """CBC has no tag: a wrong key unpads by chance once in 256, so a CBC correction counts only when the plaintext
    it gives is clean UTF-8 text."""
    try:
        text = bytes.fromhex(value).decode("utf-8")
    except (TypeError, ValueError):
        return False
    return bool(text) and all(c >= " " or c in "\t\r\n" for c in text)


_RAW_KEY = (
    "the key text read as the hex of raw key bytes",
    "The key was made with Cryptor(byte[]): pass its bytes (keyHex), not its hex as a string.",
)
_TEXT_KEY = (
    "the key's hex read as a string key (SHA-256 of its text)",
    "The key was made with Cryptor(String) over this text: pass it as the string (keyText).",
)
for op, check in ((GCM, None), (CBC, _reads_as_text)):
    register(Mistake(FLOW, op, "RawKey", Invert(_as_raw_key, _RAW_KEY[0], confirms=check), _RAW_KEY[1]))
    register(Mistake(FLOW, op, "StringKey", Invert(_as_text_key, _TEXT_KEY[0], confirms=check), _TEXT_KEY[1]))
for mistake in (
    Mistake(FLOW, GCM, "Aad", Invert(_without_aad, "no additional authenticated data"),
            "Encrypt and decrypt with the same AAD: the ciphertext was made without it."),
    Mistake(FLOW, GCM, "GcmIvLength", Invert(_iv_hex_as_text, "the IV's hex text used as the IV bytes"),
            "Pass the IV's bytes: the encrypting side used the ASCII of its hex (Java accepts any IV length, so "
            "nothing failed there)."),
):  # fmt: skip
    register(mistake)


def _layers(tag: bool) -> Any:
    def decode(args: Args) -> list[Layer]:
        value = bytes.fromhex(args["value"])
        iv = bytes.fromhex(args["iv"])
        if tag and len(value) >= 16:
            segments = (Segment(0, len(value) - 16, "ciphertext", "ciphertext"),
                        Segment(len(value) - 16, len(value), "tag", "GCM tag"))  # fmt: skip
        else:
            segments = (Segment(0, len(value), "ciphertext", "ciphertext"),)
        notes = [] if not tag or len(value) >= 16 else ["shorter than the 16-byte tag"]
        if not tag and len(value) % 16:
            notes.append("not whole 16-byte blocks")
        key = secret_layer("key", args.get("keyText", args.get("keyHex")))
        raw = len(args.get("keyHex", "")) // 2
        how = "Cryptor(String): SHA-256(text)[:16]" if "keyText" in args else f"Cryptor(byte[]): {raw} bytes"
        found = [
            Layer("value", value, segments, tuple(notes)),
            Layer(
                "iv",
                iv,
                (Segment(0, len(iv), "iv", f"IV {len(iv)} bytes"),) if iv else (),
                () if len(iv) in (12, 16) else (f"{len(iv)} bytes",),
            ),
            Layer(key.name, secret=key.secret, notes=(*key.notes, how)),
        ]
        if tag and args.get("aad") is not None:
            aad = bytes.fromhex(args["aad"])
            found.append(Layer("aad", aad, (Segment(0, len(aad), "data", "AAD"),) if aad else ()))
        return found

    return decode


register_layers((GCM,), _layers(True))
register_layers((CBC,), _layers(False))
