"""Layer builders the flow modules share: text, secrets (length and fingerprint only), Base64 read as commons-codec
or base64url reads it, hex, and a compact JWS's three parts."""

from __future__ import annotations

import json
from typing import Any

from conformance.codecs import decode_base64, decode_base64_url
from conformance.errors import ConformanceError
from conformance.inspect.model import Layer, Segment
from conformance.inspect.secrets import fingerprint

_STANDARD_ONLY = set("+/")
_URL_ONLY = set("-_")
_ALPHABET = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")


def utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def text_layer(name: str, text: str, role: str = "text", notes: tuple[str, ...] = ()) -> Layer:
    data = utf8(text)
    return Layer(name, data, (Segment(0, len(data), role, name),) if data else (), notes)


def secret_layer(name: str, value: Any) -> Layer:
    """A secret: its length and fingerprint, never its bytes."""
    return Layer(name, secret=fingerprint(value), notes=("shown as length and fingerprint only",))


def base64_notes(text: str) -> tuple[str, ...]:
    """What a Base64 text holds beyond its alphabet: which alphabet, padding, skipped characters."""
    chars = set(text)
    notes = []
    if chars & _STANDARD_ONLY and chars & _URL_ONLY:
        notes.append("alphabet: mixed standard (+/) and URL-safe (-_)")
    elif chars & _STANDARD_ONLY:
        notes.append("alphabet: standard (+/)")
    elif chars & _URL_ONLY:
        notes.append("alphabet: URL-safe (-_)")
    else:
        notes.append("alphabet: the characters common to both alphabets")
    head, pad, tail = text.partition("=")
    if pad:
        notes.append(
            f"padding: '=' at character {len(head)}" + (", text after it is ignored" if tail.strip("=") else "")
        )
    else:
        notes.append("padding: none")
    skipped = [c for c in text.split("=", 1)[0] if c not in _ALPHABET and c not in "+/-_"]
    if skipped:
        shown = "".join(sorted(set(skipped)))
        notes.append(f"{len(skipped)} character(s) outside the alphabet, skipped by the decoder: {shown!r}")
    return tuple(notes)


def base64_layer(name: str, text: str, role: str, expected: int | None = None) -> Layer:
    """Base64 ``text`` decoded as commons-codec decodes it (lenient), with notes on alphabet and padding."""
    data = decode_base64(text)
    notes = base64_notes(text)
    if expected is not None and len(data) != expected:
        notes += (f"decodes to {len(data)} bytes, not {expected}",)
    return Layer(name, data, (Segment(0, len(data), role, name),) if data else (), notes)


def b64url_decode(segment: str) -> bytes:
    """A base64url segment as bytes (:func:`conformance.codecs.decode_base64_url`). Raises ``ValueError`` for one
    that is not base64url."""
    try:
        return decode_base64_url(segment)
    except ConformanceError:
        raise ValueError("not base64url") from None


def jws_layers(token: str) -> list[Layer]:
    """A compact JWS's header, payload and signature bytes, each decoded (notes say what did not decode)."""
    parts = token.split(".")
    if len(parts) != 3:
        return [text_layer("token", token, "junk", (f"{len(parts)} part(s), not the 3 of a compact JWS",))]
    found = []
    for name, segment, role in zip(("header", "payload", "signature"), parts, ("header", "payload", "signature"),
                                   strict=True):  # fmt: skip
        try:
            data = b64url_decode(segment)
        except ValueError:
            odd = "".join(sorted(set(segment) - _ALPHABET - _URL_ONLY))[:8]
            why = f"characters outside base64url: {odd!r}" if odd else f"{len(segment)} characters cannot be base64url"
            found.append(text_layer(name, segment, "junk", (why,)))
            continue
        notes: tuple[str, ...] = ()
        if role != "signature":
            try:
                parsed = json.loads(data)
                notes = (f"JSON {type(parsed).__name__}" + (f", keys in order: {', '.join(parsed)}"
                                                           if isinstance(parsed, dict) else ""),)  # fmt: skip
            except (ValueError, UnicodeDecodeError):
                notes = ("not JSON",)
            found.append(Layer(name, data, (Segment(0, len(data), role, name),), notes,
                               text=data.decode("utf-8", "replace")))  # fmt: skip
        else:
            found.append(Layer(name, data, (Segment(0, len(data), role, f"signature {len(data)} bytes"),)))
    return found


def jws_header(token: str) -> dict[str, Any]:
    """The header of a compact JWS as JSON. Raises ``ValueError`` where it has none."""
    header = json.loads(b64url_decode(token.split(".", maxsplit=1)[0]))
    if not isinstance(header, dict):
        raise ValueError("the header is not a JSON object")
    return header


def jws_payload(token: str) -> Any:
    return json.loads(b64url_decode(token.split(".")[1]))
