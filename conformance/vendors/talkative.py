"""Talkative signed interaction data: an ES256 compact JWS over a JSON array of ``{"label", "data", "type"}``.

The document's recipe: a P-256 key made with ``openssl ecparam -genkey -name prime256v1 -noout`` (the public half
with ``openssl ec -pubout``), the array serialized as JSON, signed with ES256, compact serialization. The
reference is node ``jose``: the payload is ``JSON.stringify`` of the array (non-ASCII raw, UTF-8), the protected
header ``{"alg":"ES256"}``, the signature raw R||S (64 bytes), never DER.

:func:`verify_interaction_data` follows jose's ``compactVerify`` step by step (same checks, same order) and then
checks the document's data model. Every failure is a typed :class:`~conformance.errors.TokenError` with its own
reason. A wrong key and a modified header or payload are the same failure to any verifier: ``BadSignature``.
"""

from __future__ import annotations

import binascii
import os
import re
import stat
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from jwt.algorithms import ECAlgorithm

from conformance import jsjson
from conformance.arguments import require_instance, require_path, require_strings
from conformance.arguments import require_str as _require_str
from conformance.codecs import encode_base64_url_safe
from conformance.errors import (
    AlgNone,
    AlgorithmNotAllowed,
    BadSignature,
    InvalidArgument,
    InvalidInteractionData,
    InvalidKeyMaterial,
    MalformedToken,
    SignatureEncoding,
    UnsupportedHeader,
)
from conformance.paths import kind_of
from conformance.primitives import openssl_pem
from conformance.primitives.keys import spki_pem

ALGORITHM = "ES256"
HEADER_JSON = '{"alg":"ES256"}'
FIELD_KEYS = ("label", "data", "type")
PRIVATE_KEY_FILE = "ec_private.pem"
PUBLIC_KEY_FILE = "ec_public.pem"
_ES256 = ECAlgorithm(ECAlgorithm.SHA256)
_WHITESPACE = re.compile("[\t\n\f\r ]")
_BASE64 = re.compile("[A-Za-z0-9+/]*")
#: JavaScript's ``\s`` (ECMAScript WhiteSpace and LineTerminator), which jose strips from a PEM.
_JS_WHITESPACE = re.compile("[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]")
_SPKI_BEGIN = "-----BEGIN PUBLIC KEY-----"
_SPKI_MARKERS = re.compile("-----(?:BEGIN|END) PUBLIC KEY-----")


# --- keys ----------------------------------------------------------------------------------------------------------


def private_key_pem(key: ec.EllipticCurvePrivateKey) -> str:
    """``key`` as ``openssl ecparam -genkey -noout`` writes it: SEC1 ``EC PRIVATE KEY`` PEM, named curve.

    Raises :class:`NullArgument` / :class:`InvalidKeyMaterial` when ``key`` is not an EC private key object.
    """
    key = require_instance(key, "key", ec.EllipticCurvePrivateKey, error=InvalidKeyMaterial)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    ).decode("ascii")


def public_key_pem(key: ec.EllipticCurvePublicKey | ec.EllipticCurvePrivateKey) -> str:
    """The public key as ``openssl ec -pubout`` writes it: SubjectPublicKeyInfo ``PUBLIC KEY`` PEM.

    Raises :class:`NullArgument` / :class:`InvalidKeyMaterial` when ``key`` is not an EC key object.
    """
    key = require_instance(
        key, "key", (ec.EllipticCurvePrivateKey, ec.EllipticCurvePublicKey), error=InvalidKeyMaterial
    )
    return spki_pem(key)


def generate_signing_key() -> tuple[str, str]:
    """A new P-256 key pair as ``(ec_private.pem, ec_public.pem)`` text: the document's two openssl commands."""
    key = ec.generate_private_key(ec.SECP256R1())
    return private_key_pem(key), public_key_pem(key)


def _write_file(path: Path, text: str, mode: int) -> None:
    """Write ``text`` to ``path`` with permissions ``mode``, even when the file exists (never through a symlink)."""
    if path.is_symlink() or (path.exists() and not stat.S_ISREG(path.stat().st_mode)):
        raise InvalidArgument(f"{path.name} in directory exists and is not a regular file")
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), mode)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        os.fchmod(handle.fileno(), mode)
        handle.write(text)


def write_signing_key(directory: Path) -> tuple[Path, Path]:
    """Generate a key pair and write ``ec_private.pem`` (mode 0600) and ``ec_public.pem`` into ``directory``.

    Returns both paths. Raises :class:`InvalidArgument` when ``directory`` is not a path to an existing directory
    or a file cannot be written there (the message names the failure, never a key).
    """
    folder = require_path(directory, "directory")
    if kind_of(folder) != "directory":
        raise InvalidArgument("directory is not an existing directory")
    private_pem, public_pem = generate_signing_key()
    private_path, public_path = folder / PRIVATE_KEY_FILE, folder / PUBLIC_KEY_FILE
    try:
        _write_file(private_path, private_pem, 0o600)
        _write_file(public_path, public_pem, 0o644)
    except OSError as exc:
        raise InvalidArgument(
            f"cannot write the key files in directory: {exc.strerror or type(exc).__name__}"
        ) from None
    return private_path, public_path


def _pem_bytes(pem: str, name: str) -> bytes:
    return jsjson.utf8(_require_str(pem, name))


def load_private_key(pem: str, *, curve: type[ec.EllipticCurve] | None = ec.SECP256R1) -> ec.EllipticCurvePrivateKey:
    """Load an unencrypted EC private key (SEC1 or PKCS#8 PEM) on ``curve`` (a curve class; ``None``: any curve).

    Raises :class:`InvalidKeyMaterial`, and :class:`InvalidArgument` when ``curve`` is not a curve class.
    """
    if curve is not None and not (isinstance(curve, type) and issubclass(curve, ec.EllipticCurve)):
        raise InvalidArgument("curve must be an EllipticCurve class such as ec.SECP256R1, or None")
    try:
        key = serialization.load_pem_private_key(_pem_bytes(pem, "private_key_pem"), password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise InvalidKeyMaterial("the private key is not an unencrypted PEM private key") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or (curve is not None and not isinstance(key.curve, curve)):
        raise InvalidKeyMaterial("the private key is not an EC P-256 key")
    return key


def load_public_key(pem: str) -> ec.EllipticCurvePublicKey:
    """Load a P-256 public key from SPKI PEM (``ec_public.pem``), read as jose's ``importSPKI`` reads it.

    The text must start with ``-----BEGIN PUBLIC KEY-----``; every BEGIN/END line and every JavaScript whitespace
    character is then dropped, and the rest is decoded as ``atob`` does (forgiving-base64: ``=`` padding optional,
    the END line too). Raises :class:`InvalidKeyMaterial`, and :class:`InvalidArgument` for a non-``str``.
    """
    text = _require_str(pem, "public_key_pem")
    data = _atob(_JS_WHITESPACE.sub("", _SPKI_MARKERS.sub("", text))) if text.startswith(_SPKI_BEGIN) else None
    der = None if data is None else _first_der_element(data)
    if der is None:
        raise InvalidKeyMaterial("the public key is not a PEM SubjectPublicKeyInfo")
    try:
        key = serialization.load_der_public_key(der)
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise InvalidKeyMaterial("the public key is not a PEM SubjectPublicKeyInfo") from None
    if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(key.curve, ec.SECP256R1):
        raise InvalidKeyMaterial("the public key is not an EC P-256 key")
    return key


def public_pem_from_private(private_pem: str) -> str:
    """``openssl ec -in ec_private.pem -pubout``: the SPKI PEM of any EC private key, read as OpenSSL reads it
    (:mod:`conformance.primitives.openssl_pem`). Raises :class:`InvalidKeyMaterial` where openssl fails."""
    return openssl_pem.ec_public_pem(private_pem)


# --- the payload ---------------------------------------------------------------------------------------------------


def _checked_fields(fields: Any) -> list[tuple[str, str, str]]:
    if not isinstance(fields, (list, tuple)):  # null included: jose's check is Array.isArray
        raise InvalidInteractionData("interaction data must be a JSON array")
    checked = []
    for index, entry in enumerate(fields):
        if not (
            isinstance(entry, Mapping)
            and len(entry) == len(FIELD_KEYS)
            and all(key in entry and isinstance(entry[key], str) for key in FIELD_KEYS)
        ):
            raise InvalidInteractionData(f'entry {index} is not {{"label","data","type"}} with string values')
        checked.append((entry["label"], entry["data"], entry["type"]))
    return checked


def interaction_json(fields: Sequence[Mapping[str, str]]) -> str:
    """``JSON.stringify`` of the array, entries as ``{"label","data","type"}`` in that order."""
    entries = (
        '{"label":'
        + jsjson.stringify_string(label)
        + ',"data":'
        + jsjson.stringify_string(data)
        + ',"type":'
        + jsjson.stringify_string(kind)
        + "}"
        for label, data, kind in _checked_fields(fields)
    )
    return "[" + ",".join(entries) + "]"


def signing_input(fields: Sequence[Mapping[str, str]]) -> str:
    """``BASE64URL(header) '.' BASE64URL(UTF-8 payload)``, exactly as jose's CompactSign builds it."""
    return f"{encode_base64_url_safe(HEADER_JSON.encode('ascii'))}.{encode_base64_url_safe(jsjson.utf8(interaction_json(fields)))}"


def sign_interaction_data(
    fields: Sequence[Mapping[str, str]], private_key_pem: str, *, deterministic: bool = True
) -> str:
    """The ES256 compact JWS of ``fields`` (raw R||S signature).

    ``deterministic=True`` uses RFC 6979 nonces (the same input gives the same token); ``False`` uses random
    nonces through PyJWT, as jose does. Raises :class:`InvalidInteractionData` and :class:`InvalidKeyMaterial`.
    """
    data = signing_input(fields)
    key = load_private_key(private_key_pem)
    if not deterministic:
        return f"{data}.{encode_base64_url_safe(_ES256.sign(data.encode('ascii'), key))}"
    der = key.sign(data.encode("ascii"), ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
    r, s = decode_dss_signature(der)
    return f"{data}.{encode_base64_url_safe(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"


# --- verification --------------------------------------------------------------------------------------------------


def _b64url_decode(segment: str, what: str) -> bytes:
    """jose's base64url decoding on node 20 (``atob``, forgiving-base64): whitespace skipped, ``=`` padding
    allowed, ``+`` and ``/`` refused, non-zero trailing bits ignored."""
    decoded = None if "+" in segment or "/" in segment else _atob(segment.replace("-", "+").replace("_", "/"))
    if decoded is None:
        raise MalformedToken(f"the {what} is not base64url")
    return decoded


def _first_der_element(data: bytes) -> bytes | None:
    """The first DER element of ``data`` (node's key import reads one and ignores what follows it); ``None`` when
    ``data`` does not hold a whole one."""
    if len(data) < 2:
        return None
    length, header = data[1], 2
    if length & 0x80:
        count = length & 0x7F
        if not 1 <= count <= 4 or len(data) < 2 + count:
            return None
        length, header = int.from_bytes(data[2 : 2 + count], "big"), 2 + count
    end = header + length
    return data[:end] if end <= len(data) else None


def _atob(text: str) -> bytes | None:
    """WHATWG forgiving-base64 decode (``atob``): ASCII whitespace skipped, one or two ``=`` dropped from a length
    that is a multiple of four, non-zero trailing bits ignored; ``None`` where ``atob`` throws."""
    text = _WHITESPACE.sub("", text)
    if len(text) % 4 == 0:
        text = text[:-2] if text.endswith("==") else text.removesuffix("=")
    if len(text) % 4 == 1 or not _BASE64.fullmatch(text):
        return None
    return binascii.a2b_base64(text + "=" * (-len(text) % 4))


def _utf8_text(data: bytes) -> str:
    """``TextDecoder('utf-8', {fatal: true})``: strict, and one leading BOM is dropped."""
    return data.decode("utf-8").removeprefix("\ufeff")


def _protected_header(segment: str) -> dict[str, Any]:
    try:
        header = jsjson.parse(_utf8_text(_b64url_decode(segment, "protected header")))
    except (ValueError, MalformedToken):
        raise MalformedToken("the JWS protected header is invalid") from None
    if not isinstance(header, dict):
        raise MalformedToken("the JWS protected header is invalid")
    return header


def _check_critical(header: Mapping[str, Any]) -> bool:
    """jose's ``crit`` and ``b64`` rules; the only extension jose knows is RFC 7797 ``b64``.

    Returns whether the payload is base64url-encoded (``False`` for ``crit: ["b64"]`` with ``b64: false``).
    """
    if "crit" not in header:
        return True
    crit = header["crit"]
    if not isinstance(crit, list) or not crit or any(not isinstance(p, str) or not p for p in crit):
        raise MalformedToken('"crit" must be an array of non-empty strings')
    for parameter in crit:
        if parameter != "b64":
            raise UnsupportedHeader("a critical header extension is not supported")
        if header.get("b64") is None:
            raise MalformedToken('the critical "b64" header parameter is missing')
    if not isinstance(header["b64"], bool):
        raise MalformedToken('"b64" must be a boolean')
    return header["b64"]


def _fields_from_payload(payload: bytes) -> list[dict[str, str]]:
    try:
        parsed = jsjson.parse(_utf8_text(payload))
    except ValueError:
        raise InvalidInteractionData("the payload is not UTF-8 JSON") from None
    return [{"label": label, "data": data, "type": kind} for label, data, kind in _checked_fields(parsed)]


def verify_interaction_data(token: str, public_key_pem: str) -> list[dict[str, str]]:
    """Verify a signed-interaction-data token; return its entries. jose's checks, in jose's order.

    Raises :class:`InvalidKeyMaterial` (the PEM), :class:`MalformedToken` (parts, base64url, header JSON),
    :class:`UnsupportedHeader` (``crit`` other than RFC 7797 ``b64``, which is honoured as jose does), :class:`AlgNone`, :class:`AlgorithmNotAllowed` (HS256 and every alg but
    ES256: the key-confusion token signed with the public PEM as HMAC secret stops here), :class:`SignatureEncoding`
    (not 64 bytes, e.g. DER), :class:`BadSignature` (wrong key, modified token) and :class:`InvalidInteractionData`.
    """
    token = _require_str(token, "token")
    key = load_public_key(public_key_pem)
    parts = token.split(".")
    if len(parts) != 3:
        raise MalformedToken("a compact JWS has three parts")
    encoded_header, encoded_payload, encoded_signature = parts
    header = _protected_header(encoded_header)
    encoded = _check_critical(header)
    alg = header.get("alg")
    if not isinstance(alg, str) or not alg:
        raise MalformedToken('the "alg" header parameter is missing or invalid')
    if alg != ALGORITHM:
        if alg == "none":
            raise AlgNone('"alg": "none" is never accepted')
        raise AlgorithmNotAllowed("only ES256 is accepted")
    if not encoded_payload.isascii():
        raise MalformedToken("the payload is not base64url")
    signature = _b64url_decode(encoded_signature, "signature")
    if len(signature) != 64:
        raise SignatureEncoding(f"an ES256 signature is 64 bytes R||S, not {len(signature)} bytes")
    if not _ES256.verify(f"{encoded_header}.{encoded_payload}".encode("ascii"), key, signature):
        raise BadSignature("the signature does not verify with this key")
    if not encoded:  # RFC 7797: the payload part is the payload itself
        return _fields_from_payload(encoded_payload.encode("ascii"))
    return _fields_from_payload(_b64url_decode(encoded_payload, "payload"))


# --- unsigned fields -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Admitted:
    """What Talkative lets through: every signed entry, the allow-listed unsigned ones, and the dropped labels."""

    fields: list[dict[str, str]]
    dropped_labels: list[str]


@dataclass(frozen=True)
class UnsignedFieldPolicy:
    """The "Unsigned fields" admin page: once signing is on, unsigned data passes only for allow-listed labels.

    An unsigned entry never overrides a signed entry with the same label (that would defeat the signature).
    """

    allowed_labels: frozenset[str]

    def __post_init__(self) -> None:
        object.__setattr__(self, "allowed_labels", frozenset(require_strings(self.allowed_labels, "allowed_labels")))

    @classmethod
    def allowing(cls, labels: Iterable[str]) -> UnsignedFieldPolicy:
        """The policy allowing ``labels``. Raises :class:`InvalidArgument` unless they are an iterable of ``str``."""
        return cls(frozenset(require_strings(labels, "labels")))

    def admit(self, signed: Sequence[Mapping[str, str]], unsigned: Sequence[Mapping[str, str]]) -> Admitted:
        """Every signed entry, then the unsigned entries whose label is allowed and not signed; the rest dropped.

        Raises :class:`NullArgument` / :class:`InvalidInteractionData` for entries that are not interaction data.
        """
        signed_entries = [{"label": a, "data": b, "type": c} for a, b, c in _checked_fields(signed)]
        signed_labels = {entry["label"] for entry in signed_entries}
        kept, dropped = [], []
        for label, data, kind in _checked_fields(unsigned):
            if label in self.allowed_labels and label not in signed_labels:
                kept.append({"label": label, "data": data, "type": kind})
            else:
                dropped.append(label)
        return Admitted(signed_entries + kept, dropped)


# --- the op vocabulary ---------------------------------------------------------------------------------------------

OPS = {
    "talkative.signing_input": lambda a: signing_input(a.get("fields")),  # type: ignore[arg-type]
    "talkative.sign": lambda a: sign_interaction_data(a.get("fields"), a.get("privateKeyPem")),  # type: ignore[arg-type]
    "talkative.verify": lambda a: verify_interaction_data(a.get("token"), a.get("publicKeyPem")),  # type: ignore[arg-type]
    "talkative.key.public_pem": lambda a: public_pem_from_private(a.get("privateKeyPem")),  # type: ignore[arg-type]
}

__all__ = [
    "OPS",
    "Admitted",
    "UnsignedFieldPolicy",
    "generate_signing_key",
    "interaction_json",
    "load_private_key",
    "load_public_key",
    "private_key_pem",
    "public_key_pem",
    "public_pem_from_private",
    "sign_interaction_data",
    "signing_input",
    "verify_interaction_data",
    "write_signing_key",
]
