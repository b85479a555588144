"""Thread Messenger auto-authentication, audited against PHP ``hash_hmac``: THREAD-1 (a connectionKey is forever)
and THREAD-2 (HMAC key equivalences, and email spellings that give one mailbox several keys).

``connectionKey = hash_hmac('sha256', email, secret)`` depends on nothing but the email and the portal-wide secret.
The public helpers (:func:`key_equivalents`, :func:`email_variants`, :func:`php_keys`) let the notebook and the
tests replay each step. The secret used here is a TEST secret.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Sequence

from conformance.arguments import require_bytes, require_items, require_str
from conformance.audit.evidence import PORT, Details, Stopwatch, accepted, answer, call_many, rate, reference_versions
from conformance.audit.model import Finding, proof
from conformance.errors import InvalidArgument, ReferenceFailure
from conformance.paths import data_dir
from conformance.vectors import iter_cases

FLOW = "thread_messenger"
#: A TEST portal secret (never a real one).
TEST_SECRET = b"THREAD audit TEST secret"
TEST_EMAIL = "alice@example.com"
HMAC_BLOCK = 64  # SHA-256's block size: longer HMAC keys are hashed first, shorter ones padded with zeros
#: The most pairs one :func:`php_keys` batch sends to PHP (THREAD-1 times a batch of 2,000).
MAX_PAIRS = 10_000


def key_equivalents(secret: bytes) -> dict[str, bytes]:
    """Secrets that HMAC-SHA-256 cannot tell from ``secret``: trailing zero bytes (up to the 64-byte block) when
    ``secret`` is at most 64 bytes, and ``SHA-256(secret)`` when it is longer. Raises :class:`InvalidArgument`."""
    if not (secret := require_bytes(secret, "secret")):
        raise InvalidArgument("secret must be non-empty bytes")
    if len(secret) > HMAC_BLOCK:
        return {"sha256(secret)": hashlib.sha256(secret).digest()}
    found = {"secret || 00": secret + b"\x00"}
    if len(secret) + 2 <= HMAC_BLOCK:
        found["secret || 00 00"] = secret + b"\x00\x00"
    return found


def email_variants(email: str) -> dict[str, str]:
    """Spellings a mail system treats as one mailbox but ``hash_hmac`` hashes as different bytes.

    Raises :class:`InvalidArgument` when ``email`` is not a ``str`` with an ``@``."""
    if "@" not in require_str(email, "email"):
        raise InvalidArgument("email must be a str holding '@'")
    local, _, domain = email.partition("@")
    return {
        "as given": email,
        "capitalised": local.capitalize() + "@" + domain.capitalize(),
        "upper case": email.upper(),
        "leading space": " " + email,
        "trailing space": email + " ",
        "trailing newline": email + "\n",
    }


def php_keys(pairs: Sequence[tuple[bytes, bytes]]) -> list[str]:
    """``hash_hmac('sha256', email, secret)`` computed by PHP for each ``(email bytes, secret bytes)``, one batch.

    Raises :class:`ReferenceFailure` when PHP does not answer a value, :class:`InvalidArgument` for ``pairs`` that
    are not a list of at most :data:`MAX_PAIRS` pairs of bytes."""
    calls = []
    for pair in require_items(pairs, "pairs", (tuple, list), limit=MAX_PAIRS):
        if len(pair) != 2:
            raise InvalidArgument("an item of pairs must be an (email, secret) pair")
        email, secret = require_bytes(pair[0], "an email of pairs"), require_bytes(pair[1], "a secret of pairs")
        calls.append(("thread.connection_key_bytes", {"emailHex": email.hex(), "secretHex": secret.hex()}))
    outcomes = call_many("php", calls)
    if not all(map(accepted, outcomes)):
        raise ReferenceFailure("PHP did not compute every key: " + ", ".join(answer(o) for o in outcomes))
    return [str(o.value) for o in outcomes]


def _frozen_key() -> tuple[str, dict[str, str], dict[str, str]]:
    """The vectors' "right key" case: ``(case id, its input, the versions of the PHP that made it)``."""
    for case in iter_cases(data_dir() / "thread_messenger.json"):
        if case.op == "thread.verify_connection_key" and "CorrectKey" in case.flags and case.output is True:
            return case.case_id, case.input, case.source
    raise ReferenceFailure("the Thread vectors hold no CorrectKey case")


def _python_hmac_rate(seconds: float = 0.2) -> float:
    """HMAC-SHA-256 guesses per second in this Python process (what testing secret guesses offline costs)."""
    count, began = 0, time.perf_counter()
    message = TEST_EMAIL.encode()
    while time.perf_counter() - began < seconds:
        for guess in range(1000):
            hmac.new(guess.to_bytes(8, "big"), message, hashlib.sha256).digest()
        count += 1000
    return rate(count, time.perf_counter() - began)


THREAD_1 = Details(
    id="THREAD-1",
    flow=FLOW,
    title="A connectionKey never expires or changes: one leaked key impersonates its user forever",
    severity="high",
    severity_reasoning=(
        "The key is rendered into the page (chatgenieParams), so it reaches browser history, extensions, proxies "
        "and shared machines. With it, anyone opens Messenger as that user, today or in years, and it cannot be "
        "revoked per user: only rotating the portal-wide secret (which logs out everyone) changes it."
    ),
    cwe="CWE-613",
    attacker_model="Someone who saw one user's (connectionEmail, connectionKey) once; no secret.",
    preconditions=[
        "The portal follows the document: hash_hmac('sha256', email, secret), with a long-lived portal secret.",
        "Thread accepts any (email, key) pair that verifies, with no expiry (nothing in the document has one).",
    ],
    mitigation=(
        "Thread: sign a short-lived token instead (email, iat, exp, nonce; HMAC or a JWT), verify exp, and allow "
        "per-user revocation. Brands meanwhile: serve the key only on authenticated pages, never cache them, and "
        "rotate the portal secret when a key may have leaked."
    ),
)

THREAD_2 = Details(
    id="THREAD-2",
    flow=FLOW,
    title="HMAC key equivalences, and email spellings that give one mailbox several connectionKeys",
    severity="low",
    severity_reasoning=(
        "Neither forges a key by itself. A secret followed by zero bytes, or hashed when over 64 bytes, is the same "
        "secret (a rotation to such a value changes nothing); and case or whitespace variants of an email get "
        "distinct keys, which either locks users out or, if Thread resolves mailboxes case-insensitively while the "
        "brand treats spellings as distinct accounts, lets a portal account 'Victim@Example.com' act as the victim."
    ),
    cwe="CWE-178",
    attacker_model="A user of the brand's portal who can choose the spelling of the email on their own account.",
    preconditions=[
        "For the impersonation: the portal lets 'Victim@Example.com' register separately from 'victim@example.com', "
        "and Thread maps both to one mailbox.",
        "For the key equivalences: a secret rotated by appending zero bytes, or one longer than 64 bytes whose "
        "SHA-256 is known.",
    ],
    mitigation=(
        "Normalise the email once, the same way on both sides (trim, lower-case the domain, or the whole address "
        "if mailboxes are case-insensitive), before hashing and before lookup; generate secrets as 32 random bytes."
    ),
)


@proof("THREAD-1", FLOW, ("php",), THREAD_1)
def _prove_forever() -> Finding:
    """The vectors' key (made by PHP when they were generated) still verifies; recomputing gives the same key."""
    if (skipped := THREAD_1.unavailable(["php"])) is not None:
        return skipped
    case_id, frozen, made_by = _frozen_key()
    email, secret, key = frozen["email"], frozen["secret"], frozen["key"]
    with Stopwatch() as watch:
        verify, first, second, params = call_many(
            "php",
            [
                ("thread.verify_connection_key", frozen),
                ("thread.connection_key", {"email": email, "secret": secret}),
                ("thread.connection_key", {"email": email, "secret": secret}),
                ("thread.messenger_params", {"appId": "YOUR_APP_ID", "email": email, "secret": secret}),
            ],
        )
    stable = accepted(first) and first.value == second.value == key
    in_page = accepted(params) and params.value.get("connectionKey") == key
    proved = verify.value is True and stable and in_page
    pairs = [(f"user{i}@example.com".encode(), TEST_SECRET) for i in range(2000)]
    with Stopwatch() as php_watch:
        php_keys(pairs)
    guesses = _python_hmac_rate()
    why = (
        f"PHP {made_by.get('php', '?')} made the key of {case_id} when the vectors were generated; PHP "
        f"hash_equals today says {verify.value!r}. Recomputed twice it is {'identical' if stable else 'different'}: "
        "hash_hmac takes only the email and the secret, no time, nonce or session. messenger_params puts it in the "
        f"page verbatim ({'yes' if in_page else 'no'}). An observer who has one (email, key) can also test secret "
        f"guesses offline at about {guesses:,.0f} HMACs/s in Python."
    )
    return THREAD_1.finding(
        "proved" if proved else "refuted",
        why,
        ran=[
            f"PHP thread.verify_connection_key on the frozen vector {case_id}",
            "PHP thread.connection_key twice, and thread.messenger_params, for the same email and secret",
            "PHP thread.connection_key_bytes x2000 in one batch (rate)",
            "Python hmac HMAC-SHA-256 for 0.2 s (offline guessing rate)",
        ],
        references=reference_versions(["php", PORT]),
        figures={
            "queries": 4,
            "rate_sample_calls": len(pairs),
            "php_seconds": watch.seconds,
            "php_hash_hmac_per_s": rate(len(pairs), php_watch.seconds),
            "python_hmac_sha256_per_s": guesses,
            "frozen_key_made_by_php": made_by.get("php", "unknown"),
        },
        artifacts={"case": case_id, "email": email, "test_secret": secret, "connection_key": key},
    )


@proof("THREAD-2", FLOW, ("php",), THREAD_2)
def _prove_equivalences() -> Finding:
    """PHP: k, k||00, k||0000 give one key; a 65-byte secret and its SHA-256 give one key (64 bytes: not); and each
    spelling of one email gives its own key."""
    if (skipped := THREAD_2.unavailable(["php"])) is not None:
        return skipped
    email = TEST_EMAIL.encode()
    short = {"secret": TEST_SECRET, **key_equivalents(TEST_SECRET)}
    long_secret = TEST_SECRET.ljust(HMAC_BLOCK + 1, b"L")
    edge_secret = TEST_SECRET.ljust(HMAC_BLOCK, b"E")
    variants = email_variants(TEST_EMAIL)
    pairs = [(email, s) for s in short.values()]
    pairs += [(email, long_secret), (email, hashlib.sha256(long_secret).digest())]
    pairs += [(email, edge_secret), (email, hashlib.sha256(edge_secret).digest())]
    pairs += [(v.encode(), TEST_SECRET) for v in variants.values()]
    with Stopwatch() as watch:
        keys = php_keys(pairs)
    short_keys, rest = keys[: len(short)], keys[len(short) :]
    long_same, edge_same = rest[0] == rest[1], rest[2] == rest[3]
    variant_keys = dict(zip(variants, rest[4:], strict=True))
    distinct = len(set(variant_keys.values()))
    zero_same = len(set(short_keys)) == 1
    proved = zero_same and long_same and not edge_same and distinct == len(variants)
    why = (
        f"PHP hash_hmac gave {'one key' if zero_same else 'different keys'} for the secret and the secret followed "
        f"by one or two zero bytes; {'the same' if long_same else 'different'} keys for a 65-byte secret and its "
        f"SHA-256 ({'the same' if edge_same else 'different'} at exactly 64 bytes, as HMAC specifies); and "
        f"{distinct} distinct keys for the {len(variants)} spellings of one mailbox ({', '.join(variants)})."
    )
    return THREAD_2.finding(
        "proved" if proved else "refuted",
        why,
        ran=[
            "PHP thread.connection_key_bytes, one batch: the secret with 0..2 trailing zero bytes; a 65-byte and a "
            "64-byte secret, each beside its SHA-256; six spellings of one email under one secret",
        ],
        references=reference_versions(["php"]),
        figures={"queries": len(pairs), "php_seconds": watch.seconds, "distinct_variant_keys": distinct},
        artifacts={
            "email": TEST_EMAIL,
            "test_secret_hex": TEST_SECRET.hex(),
            "zero_padded_keys": dict(zip(short, short_keys, strict=True)),
            "long_secret_hex": long_secret.hex(),
            "long_secret_key": rest[0],
            "sha256_of_long_secret_key": rest[1],
            "variant_keys": variant_keys,
        },
    )


__all__ = [
    "TEST_EMAIL",
    "TEST_SECRET",
    "email_variants",
    "key_equivalents",
    "php_keys",
]
