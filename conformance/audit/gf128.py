"""GF(2^128) as GCM uses it, and the forbidden attack on a reused GCM nonce (finding CRYPTOR-2).

GCM authenticates with GHASH, a polynomial in the hash key ``H = E_K(0^128)`` over GF(2^128), and masks the result
with ``E_K(J0)``, where ``J0`` depends only on the nonce. For a one-block ciphertext ``C`` without AAD::

    T = C·H² ⊕ L·H ⊕ E_K(J0)          (L: the lengths block)

so two one-block messages under one key and nonce give ``T1 ⊕ T2 = (C1 ⊕ C2)·H²``. Squaring is linear in
characteristic 2 and a bijection, so ``H = sqrt((T1 ⊕ T2) / (C1 ⊕ C2))`` is unique; then ``E_K(J0) = T1 ⊕
GHASH_H(C1)`` and any ciphertext under that nonce can be given a valid tag, without the key.

Elements are Python ints whose most significant bit is the coefficient of x^0 (GCM's bit order, NIST SP 800-38D);
:func:`block_to_int` and :func:`int_to_block` convert 16-byte blocks.
"""

from __future__ import annotations

from conformance import aes
from conformance.arguments import require_bytes, require_int
from conformance.errors import InvalidArgument

BLOCK = 16
#: The order of the multiplicative group: ``x^_ORDER`` is the field's one for every ``x`` but zero.
_ORDER = (1 << 128) - 1
#: The most data :func:`ghash` takes (GHASH in pure Python costs about 2 s a megabyte): 64 KiB, 4,096 blocks.
MAX_GHASH_BYTES = 1 << 16


def _element(value: object, name: str) -> int:
    return require_int(value, name, minimum=0, maximum=(1 << 128) - 1)


def _block(value: object, name: str) -> int:
    if len(data := require_bytes(value, name)) != BLOCK:
        raise InvalidArgument(f"{name} must be 16 bytes: a GF(2^128) element is one block")
    return int.from_bytes(data, "big")


def block_to_int(block: bytes) -> int:
    """The field element of a 16-byte block. Raises :class:`InvalidArgument` for another length or type."""
    return _block(block, "block")


def int_to_block(element: int) -> bytes:
    """The 16-byte block of a field element. Raises :class:`InvalidArgument` unless ``0 <= element < 2^128``."""
    return _element(element, "element").to_bytes(BLOCK, "big")


def multiply(x: int, y: int) -> int:
    """``x·y`` in GF(2^128) (SP 800-38D, algorithm 1): the same multiplication the port's GCM uses.
    Raises :class:`InvalidArgument` unless both are field elements (ints from 0 to 2^128 - 1)."""
    return aes.gf_multiply(_element(x, "x"), _element(y, "y"))


def power(x: int, exponent: int) -> int:
    """``x`` to the ``exponent`` (square and multiply); the field's one is ``1 << 127``.

    Raises :class:`InvalidArgument` unless ``x`` is a field element and ``exponent`` an int of at least 0 (an
    exponent past the group's order is reduced by it, so the work is bounded)."""
    _element(x, "x")
    exponent = require_int(exponent, "exponent", minimum=0)
    if exponent > _ORDER:
        exponent = exponent % _ORDER or _ORDER
    result = 1 << 127
    base = x
    while exponent:
        if exponent & 1:
            result = multiply(result, base)
        base = multiply(base, base)
        exponent >>= 1
    return result


def inverse(x: int) -> int:
    """``1/x`` (``x^(2^128 - 2)``). Raises :class:`InvalidArgument` for zero or what is not a field element."""
    if _element(x, "x") == 0:
        raise InvalidArgument("zero has no inverse")
    return power(x, (1 << 128) - 2)


def sqrt(x: int) -> int:
    """The one square root of ``x``: ``x^(2^127)``, since squaring 128 times is the identity.
    Raises :class:`InvalidArgument` for what is not a field element."""
    _element(x, "x")
    for _ in range(127):
        x = multiply(x, x)
    return x


def ghash(h: int, aad: bytes, ciphertext: bytes) -> int:
    """GHASH_H over ``aad`` and ``ciphertext``, each zero-padded to whole blocks, then their bit lengths.

    Raises :class:`InvalidArgument` for a wrong type, or ``aad`` and ``ciphertext`` longer than
    :data:`MAX_GHASH_BYTES` together."""
    _element(h, "h")
    aad, ciphertext = require_bytes(aad, "aad"), require_bytes(ciphertext, "ciphertext")
    if len(aad) + len(ciphertext) > MAX_GHASH_BYTES:
        raise InvalidArgument(f"aad and ciphertext must hold at most {MAX_GHASH_BYTES} bytes together")
    data = aad + bytes(-len(aad) % BLOCK) + ciphertext + bytes(-len(ciphertext) % BLOCK)
    data += (len(aad) * 8).to_bytes(8, "big") + (len(ciphertext) * 8).to_bytes(8, "big")
    return aes.ghash(h, data)


def recover_hash_key(c1: bytes, t1: bytes, c2: bytes, t2: bytes) -> int:
    """``H`` from two one-block GCM messages (ciphertext, tag) sealed under one key and one nonce, without AAD.

    Raises :class:`InvalidArgument` unless both ciphertexts are single, different blocks and both tags 16 bytes.
    """
    difference = _block(c1, "c1") ^ _block(c2, "c2")
    tags = _block(t1, "t1") ^ _block(t2, "t2")
    if difference == 0:
        raise InvalidArgument("the two ciphertexts must differ")
    h_squared = multiply(tags, inverse(difference))
    return sqrt(h_squared)


def tag_mask(h: int, ciphertext: bytes, tag: bytes, aad: bytes = b"") -> bytes:
    """``E_K(J0)`` of the nonce that sealed (``aad``, ``ciphertext``, ``tag``): the tag minus its GHASH.
    Raises :class:`InvalidArgument` as :func:`ghash` does, or for a ``tag`` that is not 16 bytes."""
    return int_to_block(_block(tag, "tag") ^ ghash(h, aad, ciphertext))


def forge_tag(h: int, mask: bytes, ciphertext: bytes, aad: bytes = b"") -> bytes:
    """The tag GCM expects for ``ciphertext`` (and ``aad``) under the nonce whose ``E_K(J0)`` is ``mask``.
    Raises :class:`InvalidArgument` as :func:`ghash` does, or for a ``mask`` that is not 16 bytes."""
    return int_to_block(ghash(h, aad, ciphertext) ^ _block(mask, "mask"))


__all__ = [
    "BLOCK",
    "MAX_GHASH_BYTES",
    "block_to_int",
    "forge_tag",
    "ghash",
    "int_to_block",
    "inverse",
    "multiply",
    "power",
    "recover_hash_key",
    "sqrt",
    "tag_mask",
]
