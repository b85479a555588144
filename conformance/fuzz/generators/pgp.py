"""The generator for ``boldchat.pgp.open``: the committed messages sealed by the references (the valid
``boldchat.pgp.open`` inputs of ``boldchat_pgp.json``: PGP messages are random, so no seed can remake them), mutated
at the armor level (text) and at the packet level (bytes under a re-computed armor checksum), with the right or a
wrong key.
"""

from __future__ import annotations

#: Nothing here is called directly: each generator is reached through
#: :func:`conformance.fuzz.generators.generator` (or ``fast_generator``), which checks the op; the helpers serve the
#: generators and reducers alone.
__all__: tuple[str, ...] = ()

import base64
import random
from functools import cache
from typing import Any

from conformance import mutations as m
from conformance.openpgp.armor import CRC24_START, crc24

BEGIN, END = "-----BEGIN PGP MESSAGE-----", "-----END PGP MESSAGE-----"


@cache
def corpus() -> tuple[dict[str, str], ...]:
    """The valid ``boldchat.pgp.open`` inputs of the project's vector file, in file order."""
    from conformance.paths import data_dir
    from conformance.vectors import iter_cases

    found = [
        dict(case.input)
        for case in iter_cases(data_dir() / "boldchat_pgp.json")
        if case.op == "boldchat.pgp.open" and case.result == "valid" and case.input.get("message", "").startswith(BEGIN)
    ]
    return tuple(found)


def dearmor(text: str) -> bytes:
    """The packet bytes of an armored message (headers and checksum line dropped)."""
    body = text.split("\n\n", 1)[-1]
    lines = [line for line in body.splitlines() if line and not line.startswith(("=", "-----"))]
    return base64.b64decode("".join(lines) + "==", validate=False)


def armor(data: bytes, headers: str = "", checksum: int | None = None) -> str:
    """Armor ``data`` with 64-character lines and its checksum (``checksum``, when the caller knows it)."""
    text = base64.b64encode(data).decode("ascii")
    lines = [text[i : i + 64] for i in range(0, len(text), 64)]
    crc = base64.b64encode((crc24(data) if checksum is None else checksum).to_bytes(3, "big")).decode("ascii")
    return "\n".join([BEGIN, headers, *lines, f"={crc}", END]) + "\n"


#: how many bytes apart the kept checksum states of a corpus message are
_STRIDE = 64


@cache
def _packets(message: str) -> tuple[bytes, tuple[int, ...]]:
    """A corpus message's packet bytes and the armor checksum of each multiple of :data:`_STRIDE` of them."""
    data = dearmor(message)
    states = [CRC24_START]
    for start in range(0, len(data) - _STRIDE + 1, _STRIDE):
        states.append(crc24(data[start : start + _STRIDE], states[-1]))
    return data, tuple(states)


def _common_prefix(a: bytes, b: bytes) -> int:
    """How many leading bytes ``a`` and ``b`` share (a binary search of slice comparisons)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _checksum(data: bytes, original: bytes, states: tuple[int, ...]) -> int:
    """The armor checksum of ``data``, a mutation of ``original``: from the kept state before their first difference."""
    kept = min(_common_prefix(data, original) // _STRIDE, len(states) - 1)
    return crc24(data[kept * _STRIDE :], states[kept])


def _packet_mutation(rnd: random.Random, message: str) -> str:
    original, states = _packets(message)
    data = original
    for _ in range(m.between(rnd, 1, 3)):
        data = m.mutate_bytes(rnd, data)
    headers = m.one_of(rnd, ("", "Version: BCPG v1.50\n", "Comment: x\n"))
    return armor(data, headers, _checksum(data, original, states))


def _armor_mutation(rnd: random.Random, message: str) -> str:
    pick = rnd.random()
    if pick < 0.4:
        head, sep, body = message.partition("\n\n")
        return head + sep + m.mutate_base64(rnd, body, 1)
    if pick < 0.55:
        return "\n".join(line for line in message.splitlines() if not line.startswith("="))  # no checksum line
    if pick < 0.65:
        return message.replace("\n", "\r\n")
    if pick < 0.75:
        return message.replace(
            BEGIN, m.one_of(rnd, ("-----BEGIN PGP SIGNATURE-----", "-----BEGIN PGP MESSAGE----", BEGIN + " "))
        )
    if pick < 0.85:
        return message[: m.below(rnd, len(message) + 1)]
    return m.one_of(rnd, m.WHITESPACE) + message + m.one_of(rnd, ("", "\n", "junk"))


def pgp_open(rnd: random.Random) -> dict[str, Any]:
    inputs = corpus()
    args = dict(m.one_of(rnd, inputs))
    pick = rnd.random()
    if pick < 0.45:
        args["message"] = _packet_mutation(rnd, args["message"])
    elif pick < 0.85:
        args["message"] = _armor_mutation(rnd, args["message"])
    elif pick < 0.9:
        args["message"] = m.one_of(rnd, ("", " ", BEGIN, m.tricky_text(rnd, 20)))
    if rnd.random() < 0.05:
        other = m.one_of(rnd, inputs)
        key = m.one_of(rnd, ("serverPrivateKey", "signerPublicKey"))
        args[key] = other[key]
    return args


GENERATORS = {"boldchat.pgp.open": pgp_open}
EXCLUDED = {
    "boldchat.pgp.seal": "sealing is randomized (session key, RSA padding): two correct messages differ, so no "
    "answer can be compared byte for byte (sealed messages are checked by the round trip through boldchat.pgp.open)",
}
