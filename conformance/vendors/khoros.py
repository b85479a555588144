"""Khoros Secure Transfer: a byte-exact port of the vendor's ``SymmetricKeyEncryptionProvider`` and ``Cryptor``.

Every function reproduces the Java reference (``java_ref/``, run through :mod:`conformance.references.java`) on
every input: the same string or bytes, or a typed :class:`~conformance.errors.ConformanceError` where the Java
throws. Deviations, where there are any, are listed in ``DEVIATIONS.md``.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

from conformance import aes
from conformance.arguments import hex_bytes, optional_hex_bytes, require_int
from conformance.arguments import require_bytes as _require_bytes
from conformance.arguments import require_str as _require_str
from conformance.codecs import (
    decode_base64,
    encode_base64,
    encode_base64_url_safe,
    java_utf8_decode,
    java_utf8_encode,
)
from conformance.errors import (
    ConformanceError,
    CryptoError,
    EmptyKey,
    EncryptionError,
    InvalidArgument,
    TransferLinkError,
    UnencodableText,
)
from conformance.vendors.khoros_jwt import verify_widget_jwt, widget_jwt, widget_jwt_parts

#: The most bytes :meth:`Cryptor.random_base64` makes in one call (Java allows up to 2**31 - 1, which takes
#: seconds and gigabytes; random tokens are a few dozen bytes).
MAX_RANDOM_BYTES = 1 << 20
#: GCM with an IV length ``cryptography`` refuses (under 8 or over 128 bytes) is computed in Python, about 2 us a
#: byte: its IV, AAD and data together are bounded to this many bytes (Java has no bound).
MAX_SLOW_GCM_BYTES = aes.MAX_SLOW_GCM_BYTES

#: The decrypted payload shown in the Khoros document (placeholders such as "b95....." as printed there).
DOCUMENT_PAYLOAD = {
    "brandProviderTypeName": "twitter",
    "agentId": 123,
    "brandProviderInstance": "twitter.com",
    "authorUUID": "b95.....",
    "authorProviderInstance": "twitter.com",
    "authorAvatarUrl": "http://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png",
    "imageUpload": False,
    "fileUpload": False,
    "authorProviderTypeName": "twitter",
    "authorScreenName": "cab123",
    "introMessageText": "abc",
    "createdTimeMillis": 1587157642353,
    "conversationUUID": "d08...",
    "authorName": "Chris",
    "authorExternalId": "81...",
    "conversationDisplayId": 123,
    "shareLocation": False,
    "brandAuthorExternalId": "856622981484879872",
    "agentUUID": "7f265fe0-186b-4ffd-b6bf-1f2e6643c017",
}


def _aes_key(key: bytes) -> bytes:
    """``new SecretKeySpec(key, "AES")``: any non-empty length is accepted here; the cipher checks it later."""
    if not key:
        raise EmptyKey("Empty key")
    return key


class SymmetricKeyEncryptionProvider:
    """AES-CBC with PKCS#5 padding, URL-safe unpadded Base64 ciphertext; keys raw or standard Base64.

    ``should_base64_decode_keys=False`` (the Java two-argument constructor) takes the UTF-8 bytes of the key and IV
    strings as they are; ``True`` (what ``decryptPayload`` uses) decodes them with commons-codec's lenient Base64.
    """

    __slots__ = ("_decryptor", "_iv_cache", "_iv_key", "_secret_key", "_should_base64_decode_keys")

    def __init__(self, secret_key: str, iv_key: str, should_base64_decode_keys: bool = False) -> None:
        secret_key = _require_str(secret_key, "secret_key")
        key_bytes = decode_base64(secret_key) if should_base64_decode_keys else java_utf8_encode(secret_key)
        self._secret_key = _aes_key(key_bytes)
        self._iv_key = _require_str(iv_key, "iv_key")
        self._should_base64_decode_keys = bool(should_base64_decode_keys)
        self._iv_cache: tuple[str, bytes] | None = None
        self._decryptor: aes.CbcDecryptor | None = None

    @classmethod
    def _from_key_bytes(
        cls, key: bytes, iv_key: str, should_base64_decode_keys: bool
    ) -> SymmetricKeyEncryptionProvider:
        provider = cls.__new__(cls)
        provider._secret_key = key
        provider._iv_key = iv_key
        provider._should_base64_decode_keys = should_base64_decode_keys
        provider._iv_cache = None
        provider._decryptor = None
        return provider

    def copy(self) -> SymmetricKeyEncryptionProvider:
        """A new provider with the same key bytes, IV string and key mode."""
        return self._from_key_bytes(self._secret_key, self._iv_key, self._should_base64_decode_keys)

    def __repr__(self) -> str:
        return f"SymmetricKeyEncryptionProvider(should_base64_decode_keys={self._should_base64_decode_keys})"

    def _iv_bytes(self, iv_key: str) -> bytes:
        cached = self._iv_cache
        if cached is not None and cached[0] is iv_key:
            return cached[1]
        iv = decode_base64(iv_key) if self._should_base64_decode_keys else java_utf8_encode(iv_key)
        self._iv_cache = (iv_key, iv)
        return iv

    def encrypt_string(self, plain_text: str, iv_key: str | None = None) -> str:
        """Encrypt ``plain_text``'s UTF-8 bytes; return URL-safe Base64 without padding.

        Raises :class:`EncryptionError` (with the cipher failure as its cause) where Java throws
        ``EncryptionException``, and :class:`NullArgument` where Java throws ``NullPointerException``.
        """
        iv = self._iv_bytes(self._iv_key if iv_key is None else _require_str(iv_key, "iv_key"))
        try:
            aes.check_cbc_iv(iv)
            aes.check_key(self._secret_key)
        except CryptoError as exc:
            raise EncryptionError("Cannot encrypt string.") from exc
        plain = java_utf8_encode(_require_str(plain_text, "plain_text"))
        return encode_base64_url_safe(aes.cbc_encrypt(self._secret_key, iv, plain))

    def decrypt_string(self, cipher_text: str, iv_key: str | None = None) -> str:
        """Decrypt lenient Base64 ``cipher_text``; return the plaintext decoded as Java decodes UTF-8.

        Raises :class:`EncryptionError` where Java throws ``EncryptionException`` (wrong key or IV length, a
        ciphertext that is not whole blocks, bad padding), and :class:`NullArgument` for ``None``.
        """
        iv = self._iv_bytes(self._iv_key if iv_key is None else _require_str(iv_key, "iv_key"))
        try:
            aes.check_cbc_iv(iv)  # Cipher.init checks the IV before the key
            decryptor = self._decryptor or self._new_decryptor()
            if type(cipher_text) is not str:
                _require_str(cipher_text, "cipher_text")
            return java_utf8_decode(decryptor.decrypt(iv, decode_base64(cipher_text)))
        except CryptoError as exc:
            raise EncryptionError("Cannot decrypt string.") from exc

    def _new_decryptor(self) -> aes.CbcDecryptor:
        self._decryptor = aes.cbc_decryptor(self._secret_key)
        return self._decryptor

    @staticmethod
    def generate_new_iv() -> str:
        """16 random bytes, standard Base64 with padding (as Java's ``generateNewIV``)."""
        return encode_base64(secrets.token_bytes(16))

    @staticmethod
    def generate_new_key() -> str:
        """A random 256-bit AES key, standard Base64 with padding (as Java's ``generateNewKey``)."""
        return encode_base64(secrets.token_bytes(32))


class Cryptor:
    """AES-CBC and AES-GCM over bytes. A ``str`` key is hashed to 16 bytes (``aes_hash_block``); bytes are raw."""

    __slots__ = ("_key",)

    def __init__(self, encryption_key: str | bytes) -> None:
        if isinstance(encryption_key, str):
            self._key = self.aes_hash_block(encryption_key)
        else:
            self._key = _aes_key(_require_bytes(encryption_key, "encryption_key"))

    def __repr__(self) -> str:
        return "Cryptor(<key hidden>)"

    @staticmethod
    def aes_hash_block(s: str) -> bytes:
        """The first 16 bytes of SHA-256 over ``s``'s UTF-8 bytes (lone surrogates as ``?``)."""
        return hashlib.sha256(java_utf8_encode(_require_str(s, "s"))).digest()[:16]

    def random_base64(self, size: int) -> str:
        """``size`` random bytes as standard padded Base64 (Guava's ``BaseEncoding.base64()``).

        Raises :class:`InvalidArgument` for a size that is not an int, negative (Java:
        ``NegativeArraySizeException``) or above :data:`MAX_RANDOM_BYTES`.
        """
        require_int(size, "size", maximum=MAX_RANDOM_BYTES)
        if size < 0:
            raise InvalidArgument("size must not be negative (Java: NegativeArraySizeException)")
        return encode_base64(secrets.token_bytes(size))

    def encrypt_cbc(self, value: bytes, iv: bytes) -> bytes:
        """AES/CBC/PKCS5Padding. Raises InvalidIvLength, InvalidKeyLength."""
        iv = _require_bytes(iv, "iv")
        return aes.cbc_encrypt(self._key, iv, _require_bytes(value, "value"))

    def decrypt_cbc(self, value: bytes, iv: bytes) -> bytes:
        """Raises InvalidIvLength, InvalidKeyLength, IllegalBlockSize, BadPadding; empty input gives ``b""``."""
        iv = _require_bytes(iv, "iv")
        return aes.cbc_decrypt(self._key, iv, _require_bytes(value, "value"))

    def encrypt_gcm(self, value: bytes, iv: bytes, aad: bytes | None = None) -> bytes:
        """AES/GCM/NoPadding, 128-bit tag appended; any non-empty IV length. Raises InvalidIvLength, InvalidKeyLength,
        and InvalidArgument past :data:`MAX_SLOW_GCM_BYTES` with an IV length computed in Python."""
        value, iv, aad = _gcm_arguments(value, iv, aad)
        return aes.gcm_encrypt(self._key, iv, value, aad)

    def decrypt_gcm(self, value: bytes, iv: bytes, aad: bytes | None = None) -> bytes:
        """Raises BadTag (tag mismatch or input under 16 bytes), InvalidIvLength, InvalidKeyLength, and
        InvalidArgument as :meth:`encrypt_gcm` does."""
        value, iv, aad = _gcm_arguments(value, iv, aad)
        return aes.gcm_decrypt(self._key, iv, value, aad)


def _gcm_arguments(value: Any, iv: Any, aad: Any) -> tuple[bytes, bytes, bytes | None]:
    iv = _require_bytes(iv, "iv")
    aad = None if aad is None else _require_bytes(aad, "aad")
    value = _require_bytes(value, "value")
    aes.check_gcm_sizes(iv, aad, value)
    return value, iv, aad


def decrypt_payload(iv_key: str, encrypted_payload: str, encryption_key: str) -> dict[str, Any] | None:
    """The document's ``decryptPayload``: Base64 keys, decrypt, parse a JSON object; ``None`` on any failure.

    As in the document, an empty IV or payload gives ``None``, and so does an ``EncryptionException`` or text that
    is not a JSON object. Errors the document does not catch (an empty key: ``EmptyKey``; ``None``:
    ``NullArgument``) are raised.
    """
    iv_key = _require_str(iv_key, "iv_key")
    encrypted_payload = _require_str(encrypted_payload, "encrypted_payload")
    if not iv_key or not encrypted_payload:
        return None
    provider = SymmetricKeyEncryptionProvider(_require_str(encryption_key, "encryption_key"), iv_key, True)
    try:
        plain_text = provider.decrypt_string(encrypted_payload)
    except EncryptionError:
        return None
    return _parse_json_object(plain_text)


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError("duplicate key")
        result[key] = value
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _parse_json_object(text: str) -> dict[str, Any] | None:
    try:
        parsed = json.loads(text, object_pairs_hook=_reject_duplicates, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        return None
    return parsed if isinstance(parsed, dict) else None


def parse_transfer_link(url: str) -> tuple[str, str]:
    """Return ``(payload, iv)`` from a Secure Transfer link ``https://portal?payload=...&iv=...``.

    The IV is *standard* Base64, so it may hold ``+``, ``/`` and ``=``. A link that went through a form decoder has
    had its ``+`` turned into spaces; commons-codec would then skip the spaces and silently decode a 15-byte IV. A
    space cannot occur in Base64, so every space in the IV is restored to ``+``. Percent-escapes are decoded.
    Raises :class:`TransferLinkError` when either parameter is missing or repeated, or the link is not a URL.
    """
    url = _require_str(url, "url")
    try:
        query = urlsplit(url).query
    except ValueError:  # e.g. an unbalanced '[' in the host
        raise TransferLinkError("the transfer link is not a URL") from None
    # Decode the query ourselves, keeping '+' literal: a raw '+' in the link is a Base64 '+', never a space.
    values: dict[str, list[str]] = {}
    for name, value in parse_qsl(query.replace("+", "%2B"), keep_blank_values=True):
        values.setdefault(name, []).append(value)
    found = []
    for name in ("payload", "iv"):
        entries = values.get(name, [])
        if len(entries) != 1:
            problem = "missing" if not entries else "repeated"
            raise TransferLinkError(f"the transfer link's {name!r} parameter is {problem}")
        found.append(entries[0])
    payload, iv = found
    return payload.strip(), iv.strip().replace(" ", "+")


def _quoted(value: str, name: str) -> str:
    try:
        return quote(_require_str(value, name), safe="", errors="strict")
    except UnicodeEncodeError:
        raise UnencodableText(f"{name} holds a lone surrogate: it has no UTF-8 encoding") from None


def build_transfer_link(portal_url: str, payload: str, iv: str) -> str:
    """The link Khoros sends: the portal URL with ``payload`` and ``iv`` appended, percent-encoded.

    Raises :class:`NullArgument` / :class:`InvalidArgument` for non-strings, :class:`UnencodableText` for a
    ``payload`` or ``iv`` with a lone surrogate.
    """
    separator = "&" if "?" in _require_str(portal_url, "portal_url") else "?"
    return f"{portal_url}{separator}payload={_quoted(payload, 'payload')}&iv={_quoted(iv, 'iv')}"


# --- the op vocabulary ---------------------------------------------------------------------------------------------


def _cryptor_from_args(args: Mapping[str, Any]) -> Cryptor:
    if "keyText" in args:
        return Cryptor(args["keyText"])
    return Cryptor(hex_bytes(args["keyHex"], "keyHex"))


def _skep_from_args(args: Mapping[str, Any]) -> SymmetricKeyEncryptionProvider:
    return SymmetricKeyEncryptionProvider(args["secretKey"], args["ivKey"], args["base64Keys"])


OPS = {
    "khoros.skep.encrypt": lambda a: _skep_from_args(a).encrypt_string(a["plainText"], a.get("ivOverride")),
    "khoros.skep.decrypt": lambda a: _skep_from_args(a).decrypt_string(a["cipherText"], a.get("ivOverride")),
    "khoros.cryptor.aes_hash_block": lambda a: Cryptor.aes_hash_block(a["s"]).hex(),
    "khoros.cryptor.encrypt_cbc": lambda a: (
        _cryptor_from_args(a).encrypt_cbc(hex_bytes(a["value"], "value"), hex_bytes(a["iv"], "iv")).hex()
    ),
    "khoros.cryptor.decrypt_cbc": lambda a: (
        _cryptor_from_args(a).decrypt_cbc(hex_bytes(a["value"], "value"), hex_bytes(a["iv"], "iv")).hex()
    ),
    "khoros.cryptor.encrypt_gcm": lambda a: (
        _cryptor_from_args(a)
        .encrypt_gcm(hex_bytes(a["value"], "value"), hex_bytes(a["iv"], "iv"), optional_hex_bytes(a.get("aad"), "aad"))
        .hex()
    ),
    "khoros.cryptor.decrypt_gcm": lambda a: (
        _cryptor_from_args(a)
        .decrypt_gcm(hex_bytes(a["value"], "value"), hex_bytes(a["iv"], "iv"), optional_hex_bytes(a.get("aad"), "aad"))
        .hex()
    ),
    "khoros.payload.decrypt": lambda a: decrypt_payload(a["ivKey"], a["encryptedPayload"], a["encryptionKey"]),
}

__all__ = [
    "DOCUMENT_PAYLOAD",
    "OPS",
    "ConformanceError",
    "Cryptor",
    "SymmetricKeyEncryptionProvider",
    "build_transfer_link",
    "decrypt_payload",
    "parse_transfer_link",
    "verify_widget_jwt",
    "widget_jwt",
    "widget_jwt_parts",
]
