"""Talkative: an ES256 compact JWS of interaction data that jose's ``compactVerify`` (the document's verifier)
refuses."""

from __future__ import annotations

import re
from typing import Any

from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from conformance.codecs import encode_base64_url_safe
from conformance.inspect.layers import b64url_decode, jws_layers, text_layer
from conformance.inspect.model import Args, Invert, Layer, Mistake, Quirk
from conformance.inspect.registration import register, register_layers, register_quirk

FLOW = "talkative_signed_data"
OP = "talkative.verify"
_PEM_BODY = re.compile(r"[A-Za-z0-9+/=\s]+")


def _with_signature(token: str, signature: bytes) -> str:
    header, payload, _ = token.split(".")
    return f"{header}.{payload}.{encode_base64_url_safe(signature)}"


def _from_der(args: Args) -> dict[str, Any] | None:
    raw = b64url_decode(args["token"].split(".")[2])
    if len(raw) < 8 or raw[0] != 0x30:
        return None
    r, s = decode_dss_signature(raw)
    fixed = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return {**args, "token": _with_signature(args["token"], fixed)}


def _padded_halves(args: Args) -> list[dict[str, Any]] | None:
    """Every way a short signature splits into r and s written without their leading zero bytes."""
    raw = b64url_decode(args["token"].split(".")[2])
    if not 32 <= len(raw) < 64 or raw[:1] == b"\x30":
        return None
    splits = range(max(1, len(raw) - 32), min(32, len(raw) - 1) + 1)
    return [{**args, "token": _with_signature(args["token"], raw[:i].rjust(32, b"\0") + raw[i:].rjust(32, b"\0"))}
            for i in splits]  # fmt: skip


def _repaired_pem(args: Args) -> list[dict[str, Any]] | None:
    pem = args["publicKeyPem"]
    found = []
    if "\\n" in pem:
        found.append(pem.replace("\\r", "").replace("\\n", "\n"))
    body = "".join(pem.split())
    if "-----" not in pem and _PEM_BODY.fullmatch(pem):
        lines = "\n".join(body[i : i + 64] for i in range(0, len(body), 64))
        found.append(f"-----BEGIN PUBLIC KEY-----\n{lines}\n-----END PUBLIC KEY-----\n")
    return [{**args, "publicKeyPem": fixed} for fixed in found] or None


def _cleaned_token(args: Args) -> list[dict[str, Any]] | None:
    token = args["token"]
    found = []
    stripped = token.strip().strip("\"'")
    if stripped.lower().startswith("bearer "):
        stripped = stripped[7:]
    compact = "".join(stripped.split())
    if compact != token:
        found.append(compact)
    return [{**args, "token": fixed} for fixed in found] or None


for mistake in (
    Mistake(FLOW, OP, "DerSignature", Invert(_from_der, "the DER signature rewritten as raw R||S (64 bytes)"),
            "Write the ECDSA signature as JOSE wants it, R||S of 32 bytes each (OpenSSL and Java emit DER: "
            "convert it, or sign with a JOSE library)."),
    Mistake(FLOW, OP, "SignatureLength", Invert(_padded_halves, "R and S left-padded with zero bytes to 32 each"),
            "Write R and S as 32 bytes each, keeping their leading zero bytes."),
    Mistake(FLOW, OP, "InvalidKey", Invert(_repaired_pem, "the public key's PEM lines restored (escaped newlines, "
                                           "or the BEGIN/END lines) "),
            "Give the public key as a PEM file with real newlines and its BEGIN/END PUBLIC KEY lines."),
    Mistake(FLOW, OP, "Malformed", Invert(_cleaned_token, "the token without the whitespace, quotes or 'Bearer ' "
                                          "around and inside it"),
            "Send the compact token exactly: no line breaks, spaces, quotes or 'Bearer ' prefix."),
):  # fmt: skip
    register(mistake)


def _lenient_base64(args: Args) -> str | None:
    signature = args["token"].split(".")[-1]
    odd = [what for what, there in (("'=' padding", "=" in signature), ("whitespace", signature != "".join(
        signature.split()))) if there]  # fmt: skip
    return f"the signature segment holds {' and '.join(odd)}, which atob forgives" if odd else None


register_quirk(Quirk(FLOW, OP, "Base64Leniency", _lenient_base64))


def layers(args: Args) -> list[Layer]:
    """The JWS's header, payload (the interaction data) and signature bytes, and the public key PEM."""
    return [*jws_layers(args["token"]), text_layer("public key (PEM)", args["publicKeyPem"], "key")]


register_layers((OP,), layers)
