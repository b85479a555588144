"""Adapter probes of Khoros ``Cryptor``'s decrypt ops (``conformance audit --adapter``): what an unsafe AES-CBC or
AES-GCM decrypt accepts and the vendor's Java refuses.

* ``khoros.cryptor.decrypt_cbc``: plaintexts whose padding does not check out (last byte 0x00, last byte 0x11, a
  0x02 after another byte), a ciphertext that is not whole blocks, an 8-byte IV;
* ``khoros.cryptor.decrypt_gcm``: a truncated tag, a tag of zeros, a flipped ciphertext bit, the IV with 4 more
  bytes, the AAD dropped.

``decryptCBC`` is the raw primitive: its ``BadPadding`` answer is itself a padding oracle wherever it reaches a
client (ST-2, and the ``padding-oracle`` probe of ``khoros.skep.decrypt``), so telling bad padding apart proves
nothing against an adapter here; a decrypt that does not check the padding at all is what these probes catch (it
hands truncated or tampered plaintext to its caller, and answers a forged block). Each is a
:class:`~conformance.kinds.ProbeSet` run by :func:`conformance.audit.adapter_probes._kind_probes`. Every key here
is a TEST key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conformance import aes
from conformance.kinds import ProbeSet

CBC_OP, GCM_OP = "khoros.cryptor.decrypt_cbc", "khoros.cryptor.decrypt_gcm"
#: TEST values only.
KEY, IV = bytes(range(16)), bytes(range(200, 216))
GCM_IV, AAD = bytes(range(50, 62)), b"ADAPTER probe TEST aad"
PLAIN = b"ADAPTER probe TEST plaintext, two blocks"

_PADDING = (
    "BadPadding is the reference's answer: a decrypt that checks less hands its caller plaintext an attacker "
    "shaped by changing the IV or the last block."
)
_UNPAD = "Use the platform's PKCS#5 unpadding (check every padding byte), and authenticate before decrypting."
_CBC_META: dict[str, tuple[str, str, str, str, str]] = {
    "padding-zero": (
        "Decrypt accepts a last plaintext byte of 0x00 (no valid padding)",
        "medium",
        "CWE-354",
        _PADDING,
        _UNPAD,
    ),
    "padding-too-long": (
        "Decrypt accepts a padding length of 17 (over a block)",
        "medium",
        "CWE-354",
        _PADDING,
        _UNPAD,
    ),
    "padding-inconsistent": (
        "Decrypt accepts a padding whose bytes differ (only the last byte is read)",
        "medium",
        "CWE-354",
        _PADDING,
        _UNPAD,
    ),
    "ragged-ciphertext": (
        "Decrypt accepts a ciphertext that is not whole 16-byte blocks",
        "low",
        "CWE-20",
        "A truncated ciphertext decrypts to something: the caller cannot tell it was cut.",
        "Refuse a ciphertext whose length is not a multiple of 16 (IllegalBlockSize).",
    ),
    "short-iv": (
        "Decrypt accepts an 8-byte IV (padded or reused as it is)",
        "low",
        "CWE-1204",
        "An IV of the wrong length is silently extended: the first block depends on bytes nobody chose.",
        "Refuse an IV that is not 16 bytes (InvalidIvLength).",
    ),
}
_TAG = (
    "The tag is not checked as a whole: anyone can change GCM ciphertext (a bit flip changes the same plaintext "
    "bit) and it is decrypted as genuine."
)
_VERIFY = "Let the AEAD check the full 16-byte tag before any plaintext is released (doFinal), and refuse on mismatch."
_GCM_META: dict[str, tuple[str, str, str, str, str]] = {
    "truncated-tag": ("Decrypt accepts a tag cut to 12 bytes", "high", "CWE-354", _TAG, _VERIFY),
    "zero-tag": ("Decrypt accepts a tag of zeros", "critical", "CWE-354", _TAG, _VERIFY),
    "flipped-bit": ("Decrypt accepts a ciphertext with one bit flipped", "critical", "CWE-354", _TAG, _VERIFY),
    "longer-iv": (
        "Decrypt accepts the IV with 4 more bytes (only 12 IV bytes are used)",
        "medium",
        "CWE-1204",
        "Two IVs give the same keystream and tag: the consumer is not the GCM the producer used (any IV length "
        "is GHASHed into the counter, as Java does).",
        "Use the IV as given (GCM hashes an IV of any length other than 12 bytes), or refuse any length but 12.",
    ),
    "dropped-aad": (
        "Decrypt accepts the ciphertext without its AAD",
        "high",
        "CWE-354",
        "The AAD is not authenticated: a message bound to one context is accepted in another.",
        "Pass the AAD to the AEAD on decrypt and let the tag check cover it.",
    ),
}


def _one_block(plain: bytes) -> str:
    """The hex of the one-block CBC ciphertext whose plaintext under :data:`KEY` and :data:`IV` is ``plain``."""
    return aes.cbc_encrypt(KEY, IV, plain)[:16].hex()


def cbc_probes() -> ProbeSet:
    """``khoros.cryptor.decrypt_cbc``: a genuine ciphertext, crafted bad paddings, a cut ciphertext, a short IV."""
    genuine = aes.cbc_encrypt(KEY, IV, PLAIN)
    base = {"keyHex": KEY.hex(), "iv": IV.hex()}
    attacks = {
        "padding-zero": {**base, "value": _one_block(b"A" * 15 + b"\x00")},
        "padding-too-long": {**base, "value": _one_block(b"A" * 15 + b"\x11")},
        "padding-inconsistent": {**base, "value": _one_block(b"A" * 14 + b"\x01\x02")},
        "ragged-ciphertext": {**base, "value": genuine[:-1].hex()},
        "short-iv": {**base, "iv": IV[:8].hex(), "value": genuine.hex()},
    }
    return ProbeSet(genuine={**base, "value": genuine.hex()}, attacks=attacks, meta=_CBC_META)


def gcm_probes() -> ProbeSet:
    """``khoros.cryptor.decrypt_gcm``: a genuine ciphertext || tag with a 12-byte IV and AAD, and its attacks."""
    sealed = aes.gcm_encrypt(KEY, GCM_IV, PLAIN, AAD)
    cipher, tag = sealed[:-16], sealed[-16:]
    base = {"keyHex": KEY.hex(), "iv": GCM_IV.hex(), "aad": AAD.hex()}
    flipped = bytes([cipher[0] ^ 0x01]) + cipher[1:]
    attacks: dict[str, dict[str, Any]] = {
        "truncated-tag": {**base, "value": (cipher + tag[:12]).hex()},
        "zero-tag": {**base, "value": (cipher + bytes(16)).hex()},
        "flipped-bit": {**base, "value": (flipped + tag).hex()},
        "longer-iv": {**base, "iv": (GCM_IV + bytes(4)).hex(), "value": sealed.hex()},
        "dropped-aad": {**base, "aad": None, "value": sealed.hex()},
    }
    return ProbeSet(genuine={**base, "value": sealed.hex()}, attacks=attacks, meta=_GCM_META)


#: Each op's probe set, built when the probe runs.
PROBE_SETS: dict[str, Callable[[], ProbeSet]] = {CBC_OP: cbc_probes, GCM_OP: gcm_probes}

__all__ = ["PROBE_SETS", "cbc_probes", "gcm_probes"]
