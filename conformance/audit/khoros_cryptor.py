"""Khoros ``Cryptor``, audited against the vendor's Java: CRYPTOR-1 (a password becomes the key through one unsalted
SHA-256) and CRYPTOR-2 (GCM with a caller-chosen nonce of any length; a reused nonce gives away the XOR of the
plaintexts and, from two one-block messages, the GHASH key: tags can then be forged).

Every key and password here is a TEST value drawn from a fixed seed. The GF(2^128) work is in
:mod:`conformance.audit.gf128`, the guessing in :mod:`conformance.audit.guessing`.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from conformance import registry
from conformance.arguments import require_int, require_number, require_str
from conformance.audit import gf128, guessing, svg
from conformance.audit.evidence import PORT, Details, reference_versions
from conformance.audit.model import Finding, proof
from conformance.errors import InvalidArgument

#: The vendor's Khoros Java, reached through the registry.
vendor = registry.bridge("java")

FLOW = "khoros_cryptor"
SEED = "handoff-conformance audit: Khoros Cryptor TEST material"
#: CRYPTOR-1's weak password space: the prefix and 5 digits (100,000 passwords).
PASSWORD_PREFIX, PASSWORD_DIGITS = "khoros-", 5
IV_LENGTHS = (1, 8, 12, 16, 200)

CRYPTOR_1 = Details(
    id="CRYPTOR-1",
    flow=FLOW,
    title="Cryptor(String) turns a password into the AES key with one unsalted SHA-256: offline guessing is fast",
    severity="medium",
    severity_reasoning="One SHA-256 per guess, no salt and no work factor: any captured ciphertext lets an attacker "
    "test passwords offline at hash speed, and one precomputed table serves every deployment. Harmless for a "
    "random 128-bit key given as text, fatal for a human password.",
    cwe="CWE-916, CWE-759",
    attacker_model="Anyone who captured one Cryptor ciphertext (with its IV): no access to the key holder needed.",
    preconditions=["the key string has less entropy than the attacker's budget (a password, a word, a short code)"],
    mitigation="Use the byte[] constructor with a random 128/256-bit key from a KMS; if a password must be used, "
    "derive the key with a salted, slow KDF (Argon2id, scrypt, or PBKDF2 with a high iteration count).",
)
CRYPTOR_2 = Details(
    id="CRYPTOR-2",
    flow=FLOW,
    title="encryptGCM takes any caller-chosen IV, even 1 byte: a reused nonce leaks plaintext XORs and lets tags "
    "be forged",
    severity="high",
    severity_reasoning="GCM's confidentiality and integrity both rest on a unique nonce. The API neither generates "
    "the nonce nor checks its length, so a short or repeated nonce (a 1-byte nonce repeats after about 20 random "
    "draws) reveals P1 xor P2 and the GHASH key: the attacker reads and forges messages without the key.",
    cwe="CWE-323, CWE-1204",
    attacker_model="A passive observer of two ciphertexts sealed under one key and nonce; for the forgery, two "
    "one-block messages without AAD, and a way to submit a message to the receiver.",
    preconditions=[
        "the caller passes a repeated nonce, or a short random one that collides",
        "for the XOR: one plaintext known or guessable; for the forgery: two one-block ciphertexts and their tags",
    ],
    mitigation="Generate the nonce inside the API: 12 random bytes (or a counter) per message, reject any other "
    "length, never let callers pass one; rotate keys well before 2^32 messages; or use AES-GCM-SIV.",
)


def _test_password() -> str:
    """CRYPTOR-1's TEST password: :data:`PASSWORD_PREFIX` and digits drawn from :data:`SEED`."""
    return f"{PASSWORD_PREFIX}{random.Random(SEED).randrange(10**PASSWORD_DIGITS):0{PASSWORD_DIGITS}d}"


def _password_space() -> Iterator[bytes]:
    """Every candidate of CRYPTOR-1's weak space, as UTF-8 bytes (what ``aesHashBlock`` hashes)."""
    template = PASSWORD_PREFIX.encode() + b"%0" + str(PASSWORD_DIGITS).encode() + b"d"
    return (template % n for n in range(10**PASSWORD_DIGITS))


def exhaustion_plot(finding_id: str, rate: float, tested: tuple[str, int]) -> str:
    """Bars (log scale) of the time to try every secret of each space at ``rate`` guesses per second. Raises
    :class:`InvalidArgument` for a ``finding_id`` that is not text, a ``rate`` that is not a positive finite number,
    or a ``tested`` space that is not a ``(name, size)`` pair (as :func:`~conformance.audit.guessing.exhaustion_table`
    takes); or when a space would take longer than a plot can show."""
    finding_id = require_str(finding_id, "finding_id")
    if not 0 < require_number(rate, "rate") <= guessing.MAX_RATE:
        raise InvalidArgument(f"rate must be positive and at most {guessing.MAX_RATE:g}")
    if not isinstance(tested, (tuple, list)) or len(tested) != 2:
        raise InvalidArgument("tested must be a (name, size) pair")
    rows = guessing.exhaustion_table(rate, [tuple(tested), *guessing.SPACES])
    return svg.bars(
        [f"{row['space']} ({row['size']:.2g})" for row in rows],
        [max(float(row["seconds"]), 1e-3) for row in rows],  # type: ignore[arg-type]
        title=f"{finding_id}: time to try a whole secret space at {rate:,.0f} guesses/s (one CPython process)",
        unit="seconds",
        log=True,
        notes=[str(row["duration"]) for row in rows],
    )


@proof("CRYPTOR-1", FLOW, ("java",), details=CRYPTOR_1)
def _prove_password_guessing() -> Finding:
    """Seal a message with the vendor's Cryptor(TEST password), then find the password offline from it alone."""
    if (skipped := CRYPTOR_1.unavailable(["java"])) is not None:
        return skipped
    rng = random.Random(SEED + " message")
    password, iv = _test_password(), rng.randbytes(12)
    message = b'{"customerId":"C-20931","tier":"gold"}'
    sealed = vendor.cryptor_encrypt_gcm(password, message, iv)
    result = guessing.search(_password_space(), guessing.cryptor_gcm_check(iv, sealed))
    found = [candidate.decode() for candidate in result.found]
    reopened = vendor.cryptor_decrypt_gcm(found[0], sealed, iv) if len(found) == 1 else None
    same_key = len(found) == 1 and vendor.aes_hash_block(found[0]) == guessing.password_key(found[0].encode())
    space = (f"the TEST space {PASSWORD_PREFIX}{'N' * PASSWORD_DIGITS}", 10**PASSWORD_DIGITS)
    if found == [password] and reopened is not None and reopened.value == message and same_key:
        status, why = (
            "proved",
            (
                f"from one vendor-Java ciphertext, {result.tried:,} offline guesses ({result.seconds:.2f} s, "
                f"{result.rate:,.0f}/s in one CPython process) found the password; the vendor's Cryptor opens the "
                "message with it, and its aesHashBlock is SHA-256(password)[:16]"
            ),
        )
    elif not found:
        status, why = "refuted", "no candidate of the space opened the ciphertext"
    else:
        status, why = "not_reproduced", f"{len(found)} candidates passed; the vendor Java did not confirm one"
    finding = CRYPTOR_1.finding(
        status,
        why,
        ran=[
            "vendor Java new Cryptor(TEST password).encryptGCM(message, 12-byte IV, null): the captured ciphertext",
            f"offline, in Python: for each of {10**PASSWORD_DIGITS:,} candidates, key = SHA-256(candidate)[:16], "
            "AES-GCM tag check (pyca/cryptography)",
            "vendor Java new Cryptor(found).decryptGCM(ciphertext, IV, null) and aesHashBlock(found)",
        ],
        references=reference_versions(["java", PORT]),
        figures={
            "guesses": result.tried,
            "seconds": round(result.seconds, 3),
            "guesses_per_second": result.rate,
            "exhaustion": guessing.exhaustion_table(result.rate),
            "rate_note": "one CPython process on this machine: a floor, compiled and GPU crackers are faster",
        },
        artifacts={"password": password, "ivHex": iv.hex(), "sealedHex": sealed.hex(), "message": message.decode()},
    )
    finding.plots = [
        {"title": "Time to exhaust secret spaces", "svg": exhaustion_plot("CRYPTOR-1", result.rate, space)}
    ]
    return finding


#: Nonces of up to this many bytes are counted exactly (at most a few hundred thousand steps); wider ones by the
#: birthday bound. :func:`messages_until_collision` takes nonces of 1 to :data:`MAX_NONCE_BYTES` bytes.
_EXACT_NONCE_BYTES, MAX_NONCE_BYTES = 4, 64


def messages_until_collision(nonce_bytes: int, probability: float = 0.5) -> int:
    """How many uniformly random nonces of ``nonce_bytes`` bytes make a repeat at least ``probability`` likely.

    Exact for nonces of up to 4 bytes; wider ones use the birthday bound ``n(n-1)/2N >= -ln(1 - probability)``
    (relative error below ``n/N``, under 2^-16 there). A probability of 1 needs one nonce more than there are.
    Raises :class:`InvalidArgument` unless ``nonce_bytes`` is an int from 1 to :data:`MAX_NONCE_BYTES` and
    ``probability`` a number from 0 to 1.
    """
    nonce_bytes = require_int(nonce_bytes, "nonce_bytes", minimum=1, maximum=MAX_NONCE_BYTES)
    probability = require_number(probability, "probability")
    if not 0 <= probability <= 1:
        raise InvalidArgument("probability must be between 0 and 1")
    space = 256**nonce_bytes
    if probability == 1:
        return space + 1
    if nonce_bytes > _EXACT_NONCE_BYTES:
        needed = -math.log1p(-probability)
        return math.ceil((1 + math.sqrt(1 + 8 * space * needed)) / 2) if needed > 0 else 0
    unique = 1.0
    count = 0
    while 1 - unique < probability:
        unique *= (space - count) / space
        count += 1
    return count


def _aes_zero_block(key: bytes) -> int:
    """E_K(0^128) with the TEST key: only to confirm the recovered H, never used by the attack."""
    encryptor = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return gf128.block_to_int(encryptor.update(bytes(16)) + encryptor.finalize())


@proof("CRYPTOR-2", FLOW, ("java",), details=CRYPTOR_2)
def _prove_gcm_nonce_reuse() -> Finding:
    """Short IVs accepted; a reused 1-byte nonce gives P1 xor P2; two one-block messages give H and a forged tag."""
    if (skipped := CRYPTOR_2.unavailable(["java"])) is not None:
        return skipped
    rng = random.Random(SEED + " gcm")
    key, nonce = rng.randbytes(16), rng.randbytes(1)
    accepted = []
    for length in IV_LENGTHS:
        iv = rng.randbytes(length)
        sealed = vendor.cryptor_encrypt_gcm(key, b"length check", iv)
        if vendor.cryptor_decrypt_gcm(key, sealed, iv).value == b"length check":
            accepted.append(length)
    first, second = b'{"user":"alice","balance":100}', b'{"user":"bob","balance":99999}'
    c1, c2 = (vendor.cryptor_encrypt_gcm(key, m, nonce)[:-16] for m in (first, second))
    xor_ok = _xor(c1, c2) == _xor(first, second)
    recovered = _xor(_xor(c1, c2), first)
    q1, q2, chosen = b'{"role":"guest"}', b'{"role":"staff"}', b'{"role":"admin"}'
    s1, s2 = (vendor.cryptor_encrypt_gcm(key, m, nonce) for m in (q1, q2))
    h = gf128.recover_hash_key(s1[:16], s1[16:], s2[:16], s2[16:])
    mask = gf128.tag_mask(h, s1[:16], s1[16:])
    forged_ciphertext = _xor(_xor(s1[:16], q1), chosen)
    forged = forged_ciphertext + gf128.forge_tag(h, mask, forged_ciphertext)
    opened = vendor.cryptor_decrypt_gcm(key, forged, nonce)
    forgery_ok = opened.status == "value" and opened.value == chosen
    if 1 in accepted and xor_ok and recovered == second:
        status = "proved"
        why = (
            f"the vendor's encryptGCM/decryptGCM accepted IVs of {', '.join(map(str, accepted))} bytes; under one "
            "reused 1-byte nonce, C1 xor C2 = P1 xor P2, so the known first message gave the second back exactly; "
            + (
                "two one-block messages gave the GHASH key H, and a ciphertext for "
                f"{chosen.decode()} with a tag computed without the key was accepted by the vendor's decryptGCM"
                if forgery_ok
                else f"the tag forgery was rejected by decryptGCM ({opened.describe()})"
            )
        )
    elif not accepted:
        status, why = "refuted", "the vendor Java refused every short IV"
    else:
        status, why = "not_reproduced", "the ciphertext XOR did not match the plaintext XOR"
    return CRYPTOR_2.finding(
        status,
        why,
        ran=[
            f"vendor Java new Cryptor(TEST key bytes): encryptGCM then decryptGCM with IVs of {IV_LENGTHS} bytes",
            "encryptGCM(P1, nonce), encryptGCM(P2, nonce) with one 1-byte nonce; C1 xor C2 xor P1",
            "encryptGCM(Q1, nonce), encryptGCM(Q2, nonce), one block each: H = sqrt((T1 xor T2) / (C1 xor C2)) in "
            "GF(2^128), E_K(J0) = T1 xor GHASH_H(C1), tag for C' = C1 xor Q1 xor P'",
            "vendor Java decryptGCM(C' || forged tag, nonce, null)",
        ],
        references=reference_versions(["java"]),
        figures={
            "iv_lengths_accepted": accepted,
            "xor_of_ciphertexts_equals_xor_of_plaintexts": xor_ok,
            "second_message_recovered": recovered == second,
            "hash_key_matches_test_key": h == _aes_zero_block(key),
            "forgery_accepted": forgery_ok,
            "messages_until_likely_nonce_repeat": {
                f"{n}-byte random nonce": messages_until_collision(n) for n in (1, 2, 4)
            },
        },
        artifacts={
            "keyHex": key.hex(),
            "nonceHex": nonce.hex(),
            "sealedQ1Hex": s1.hex(),
            "sealedQ2Hex": s2.hex(),
            "hashKeyHex": gf128.int_to_block(h).hex(),
            "forgedHex": forged.hex(),
            "forgedPlaintext": chosen.decode(),
            "recoveredSecondMessage": recovered.decode("utf-8", "replace"),
        },
    )


def _xor(a: bytes, b: bytes) -> bytes:
    return bytes(x ^ y for x, y in zip(a, b, strict=False))


__all__ = [
    "CRYPTOR_1",
    "CRYPTOR_2",
    "MAX_NONCE_BYTES",
    "exhaustion_plot",
    "messages_until_collision",
]
