"""Offline guessing: try candidate secrets against one captured artifact, measure the rate, project it onto common
secret spaces (findings CRYPTOR-1 and JWT-2).

A *check* is a function ``check(candidate: bytes) -> bool`` built from what an attacker captured; it needs no
query to anyone. :func:`search` runs one over candidates and times it; :func:`exhaustion_table` says how long a
whole space would take at that rate, on this machine, in one CPython process (a floor: compiled or GPU crackers
are faster, and were not measured here).
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from conformance.arguments import (
    require_bytes,
    require_callable,
    require_int,
    require_items,
    require_number,
    require_str,
)
from conformance.audit.segments import b64url_decode, token_parts
from conformance.errors import ConformanceError, InvalidArgument, MalformedToken

Check = Callable[[bytes], bool]

#: Common secret spaces: (name, number of secrets).
SPACES: tuple[tuple[str, int], ...] = (
    ("6 digits", 10**6),
    ("8 lowercase letters", 26**8),
    ("8 letters and digits", 62**8),
    ("10 letters and digits", 62**10),
    ("4 Diceware words", 7776**4),
    ("22 letters and digits", 62**22),
)
_YEAR = 365.25 * 24 * 3600
#: The most candidates one :func:`search` tries (the proofs' spaces hold 10^5 and 10^6).
MAX_CANDIDATES = 10**7
#: The largest space size :func:`exhaustion_table` takes (a float holds it), and the most spaces.
MAX_SPACE_SIZE, MAX_SPACES = 10**300, 64
#: The fastest rate :func:`exhaustion_table` takes, in guesses per second (so times stay finite floats).
MAX_RATE = 1e300


@dataclass
class SearchResult:
    """What :func:`search` did: how many candidates, in how many seconds, and which ones passed the check."""

    tried: int
    seconds: float
    found: list[bytes] = field(default_factory=list)

    @property
    def rate(self) -> float:
        """Candidates per second, to three significant figures (0 when no time was measured)."""
        return float(f"{self.tried / self.seconds:.3g}") if self.seconds > 0 else 0.0


def search(candidates: Iterable[bytes], check: Check) -> SearchResult:
    """Run ``check`` on every candidate (no early exit, so the rate covers the whole space); time it.

    Raises :class:`InvalidArgument` for ``candidates`` that are not an iterable of bytes (at most
    :data:`MAX_CANDIDATES`), a ``check`` that is not callable, or one that raises (its type is named)."""
    require_callable(check, "check")
    if candidates is None or isinstance(candidates, (str, bytes, bytearray)) or not isinstance(candidates, Iterable):
        raise InvalidArgument("candidates must be an iterable of bytes")
    found: list[bytes] = []
    tried = 0
    began = time.perf_counter()
    for candidate in candidates:
        if tried == MAX_CANDIDATES:
            raise InvalidArgument(f"candidates holds more than {MAX_CANDIDATES} items")
        tried += 1
        if not isinstance(candidate, bytes):
            require_bytes(candidate, "an item of candidates")
        try:
            passed = check(candidate)
        except ConformanceError:
            raise
        except Exception as exc:
            raise InvalidArgument(f"check raised {type(exc).__name__}") from None
        if passed:
            found.append(candidate)
    return SearchResult(tried, time.perf_counter() - began, found)


def password_key(candidate: bytes) -> bytes:
    """The AES key ``Cryptor(String)`` makes of a password's UTF-8 bytes: SHA-256, first 16 bytes.
    Raises :class:`InvalidArgument` for what is not bytes."""
    return hashlib.sha256(require_bytes(candidate, "candidate")).digest()[:16]


def cryptor_gcm_check(iv: bytes, sealed: bytes, aad: bytes | None = None) -> Check:
    """A check for a ``Cryptor(password)`` AES-GCM ciphertext: key = SHA-256(password)[:16], the tag must verify.
    ``iv`` must be 8 to 128 bytes (what pyca/cryptography's AESGCM takes), ``sealed`` at least its 16-byte tag.
    Raises :class:`InvalidArgument` otherwise, or for what is not bytes."""
    iv, sealed = require_bytes(iv, "iv"), require_bytes(sealed, "sealed")
    aad = None if aad is None else require_bytes(aad, "aad")
    if not 8 <= len(iv) <= 128:
        raise InvalidArgument("iv must be 8 to 128 bytes")
    if len(sealed) < 16:
        raise InvalidArgument("sealed must hold at least the 16-byte tag")
    sha256 = hashlib.sha256

    def check(candidate: bytes) -> bool:
        try:
            AESGCM(sha256(candidate).digest()[:16]).decrypt(iv, sealed, aad)
        except InvalidTag:
            return False
        return True

    return check


def hs256_check(token: str) -> Check:
    """A check for an HS256 JWT: HMAC-SHA256 of ``header.payload`` under the candidate equals the signature.
    Raises :class:`MalformedToken` unless ``token`` is an ASCII compact JWS with a base64url signature."""
    head, payload, signature = token_parts(token)
    if not token.isascii():
        raise MalformedToken("token must be ASCII (a compact JWS)")
    message = f"{head}.{payload}".encode("ascii")
    expected = b64url_decode(signature, "the token's signature")
    digest = hmac.digest

    def check(candidate: bytes) -> bool:
        return digest(candidate, message, "sha256") == expected

    return check


def _human_duration(seconds: float) -> str:
    """A readable duration: ``0.42 s``, ``3.2 h``, ``41 years``, ``580 years``, ``2.1e+12 years``."""
    for limit, divisor, unit in ((60, 1, "s"), (3600, 60, "min"), (86400, 3600, "h"), (_YEAR, 86400, "days")):
        if seconds < limit:
            return f"{seconds / divisor:.2g} {unit}"
    years = seconds / _YEAR
    return f"{years:.2g} years" if years < 100 else f"{years:,.0f} years" if years < 1e6 else f"{years:.1e} years"


def exhaustion_table(rate: float, spaces: Iterable[tuple[str, int]] = SPACES) -> list[dict[str, object]]:
    """For each space: its size, and the seconds (and a readable duration) to try all of it at ``rate``.

    Raises :class:`InvalidArgument` for a ``rate`` that is not a finite number, or ``spaces`` that are not a list of
    at most :data:`MAX_SPACES` ``(name, size)`` pairs with sizes from 0 to :data:`MAX_SPACE_SIZE`, or a rate past
    :data:`MAX_RATE`."""
    if (rate := require_number(rate, "rate")) > MAX_RATE:
        raise InvalidArgument(f"rate must be at most {MAX_RATE:g} guesses per second")
    rows: list[dict[str, object]] = []
    for pair in require_items(spaces, "spaces", (tuple, list), limit=MAX_SPACES):
        if len(pair) != 2:
            raise InvalidArgument("an item of spaces must be a (name, size) pair")
        name = require_str(pair[0], "a space's name")
        size = require_int(pair[1], "a space's size", minimum=0, maximum=MAX_SPACE_SIZE)
        seconds = size / rate if rate > 0 else float("inf")
        rows.append(
            {"space": name, "size": size, "seconds": float(f"{seconds:.3g}"), "duration": _human_duration(seconds)}
        )
    return rows


__all__ = [
    "MAX_CANDIDATES",
    "MAX_RATE",
    "MAX_SPACES",
    "MAX_SPACE_SIZE",
    "SPACES",
    "Check",
    "SearchResult",
    "cryptor_gcm_check",
    "exhaustion_table",
    "hs256_check",
    "password_key",
    "search",
]
