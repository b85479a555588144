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

from conformance.audit.segments import b64url_decode, token_parts
from conformance.errors import MalformedToken

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
    """Run ``check`` on every candidate (no early exit, so the rate covers the whole space); time it."""
    found: list[bytes] = []
    tried = 0
    began = time.perf_counter()
    for candidate in candidates:
        tried += 1
        if check(candidate):
            found.append(candidate)
    return SearchResult(tried, time.perf_counter() - began, found)


def password_key(candidate: bytes) -> bytes:
    """The AES key ``Cryptor(String)`` makes of a password's UTF-8 bytes: SHA-256, first 16 bytes."""
    return hashlib.sha256(candidate).digest()[:16]


def cryptor_gcm_check(iv: bytes, sealed: bytes, aad: bytes | None = None) -> Check:
    """A check for a ``Cryptor(password)`` AES-GCM ciphertext: key = SHA-256(password)[:16], the tag must verify.
    ``iv`` must be 8 to 128 bytes (what pyca/cryptography's AESGCM takes)."""
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


def human_duration(seconds: float) -> str:
    """A readable duration: ``0.42 s``, ``3.2 h``, ``41 years``, ``580 years``, ``2.1e+12 years``."""
    for limit, divisor, unit in ((60, 1, "s"), (3600, 60, "min"), (86400, 3600, "h"), (_YEAR, 86400, "days")):
        if seconds < limit:
            return f"{seconds / divisor:.2g} {unit}"
    years = seconds / _YEAR
    return f"{years:.2g} years" if years < 100 else f"{years:,.0f} years" if years < 1e6 else f"{years:.1e} years"


def exhaustion_table(rate: float, spaces: Iterable[tuple[str, int]] = SPACES) -> list[dict[str, object]]:
    """For each space: its size, and the seconds (and a readable duration) to try all of it at ``rate``."""
    rows: list[dict[str, object]] = []
    for name, size in spaces:
        seconds = size / rate if rate > 0 else float("inf")
        rows.append(
            {"space": name, "size": size, "seconds": float(f"{seconds:.3g}"), "duration": human_duration(seconds)}
        )
    return rows


__all__ = [
    "SPACES",
    "Check",
    "SearchResult",
    "cryptor_gcm_check",
    "exhaustion_table",
    "hs256_check",
    "human_duration",
    "password_key",
    "search",
]
