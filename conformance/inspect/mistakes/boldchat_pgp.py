"""BoldChat SecureParameters, PGP method: an armored message (encrypted to the server, signed by the brand) that
BouncyCastle (the server side), BouncyCastle 1.50 or GnuPG refuses."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from conformance.inspect.layers import secret_layer, text_layer
from conformance.inspect.model import Args, Invert, Layer, Mistake, Quirk, Segment
from conformance.inspect.registration import register, register_layers, register_quirk

FLOW = "boldchat_pgp"
OP = "boldchat.pgp.open"
BEGIN, END = "-----BEGIN PGP MESSAGE-----", "-----END PGP MESSAGE-----"
_ARMOR = re.compile(re.escape(BEGIN) + r"(.*?)" + re.escape(END), re.S)


def _body(message: str) -> str | None:
    found = _ARMOR.search(message)
    return found.group(1) if found else None


def _with(args: Args, message: str) -> dict[str, Any] | None:
    return None if message == args["message"] else {**args, "message": message}


def _form_decoded(args: Args) -> dict[str, Any] | None:
    body = _body(args["message"])
    if body is None:
        return None
    lines = body.split("\n")
    fixed = [line if ":" in line or not line.strip() else line.rstrip("\r").replace(" ", "+") for line in lines]
    return _with(args, args["message"].replace(body, "\n".join(fixed)))


def _escaped_newlines(args: Args) -> dict[str, Any] | None:
    message = args["message"]
    return _with(args, message.replace("\\r\\n", "\n").replace("\\n", "\n")) if "\\n" in message else None


def _percent_decoded(args: Args) -> dict[str, Any] | None:
    message = args["message"]
    return _with(args, unquote(message.replace("+", "%2B"))) if re.search(r"%[0-9A-Fa-f]{2}", message) else None


def _relined(args: Args) -> dict[str, Any] | None:
    """The armor rebuilt where its line breaks became spaces (``echo $MESSAGE``, a one-line form field)."""
    message = args["message"].strip()
    if "\n" in message or not message.startswith(BEGIN) or not message.endswith(END):
        return None
    words = message[len(BEGIN) : -len(END)].split()
    first = next((i for i, word in enumerate(words) if len(word) >= 40), None)
    if first is None:
        return None
    data = words[first:]  # armor headers (Version: ...) come before the first full line of data; they are dropped
    checksum = [w for w in data if w.startswith("=") and len(w) == 5]
    body = "".join(w for w in data if w not in checksum)
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return _with(args, "\n".join([BEGIN, "", *lines, *checksum, END]) + "\n")


for mistake in (
    Mistake(FLOW, OP, "Tampered", Invert(_form_decoded, "the armor's spaces read as '+'"),
            "Percent-encode SecureParameters in the URL (encodeURIComponent): a form decoder turned the armor's "
            "'+' into spaces.", label="form-decoded armor"),
    Mistake(FLOW, OP, "Garbage", Invert(_escaped_newlines, "the escaped newlines (backslash-n) made real"),
            "Send the armored message with real line breaks (it was JSON- or shell-escaped once too often).",
            label="escaped newlines"),
    Mistake(FLOW, OP, "Garbage", Invert(_percent_decoded, "the message percent-decoded"),
            "Give the server the SecureParameters value, not the URL-encoded text of it.", label="percent-encoded"),
    Mistake(FLOW, OP, "Garbage", Invert(_relined, "the armor's line breaks restored"),
            "Keep the armor's line breaks (quote the variable: echo \"$MESSAGE\").", label="line breaks lost"),
):  # fmt: skip
    register(mistake)


def _bad_crc(args: Args) -> str | None:
    from conformance.openpgp.armor import dearmor

    try:
        dearmor(args["message"])
    except Exception as exc:  # the port's armor reader is strict about the CRC, where BouncyCastle is not
        return f"the port's armor reader refuses it ({type(exc).__name__}); BouncyCastle does not check the CRC"
    return None


register_quirk(Quirk(FLOW, OP, "BadArmorChecksum", _bad_crc))


def layers(args: Args) -> list[Layer]:
    """The armor, its packets as the server key decrypts them (never the plaintext), the keys (fingerprints)."""
    from conformance.openpgp.describe import describe_message

    message = args["message"]
    data = message.encode("utf-8", "surrogatepass")
    found = _ARMOR.search(message)
    segments = []
    if found:
        start = len(message[: found.start(1)].encode())
        end = len(message[: found.end(1)].encode())
        segments = [Segment(0, start, "armor", "BEGIN line"), Segment(start, end, "ciphertext", "armored data"),
                    Segment(end, len(data), "armor", "END line")]  # fmt: skip
    layout = describe_message(message, args["serverPrivateKey"])
    return [
        Layer("armored message", data, tuple(segments), () if found else ("no BEGIN/END PGP MESSAGE lines",)),
        Layer("packets", text=layout),
        secret_layer("server private key", args["serverPrivateKey"]),
        text_layer("signer public key", args["signerPublicKey"], "key"),
    ]


register_layers((OP,), layers)
