"""Adapter probes of BoldChat's consumer ops (``conformance audit --adapter``): what an unsafe SecureParameters
consumer accepts and the reference refuses.

* ``boldchat.sha512.verify``: no hash, a truncated hash, the hash of other parameters, parameters appended after
  the signed ones, a hash under another key, BOLD-1's length extension as a Latin-1 server receives it;
* ``boldchat.validator.launch``: a replayed launch (in one process, and after a restart), an expired launch, a
  launch without its hash, visit data launching a chat;
* ``boldchat.pgp.open``: an unsigned message, one signed by another key, a literal changed after signing, a message
  without integrity protection (no MDC).

Each is a :class:`~conformance.kinds.ProbeSet` run by :func:`conformance.audit.adapter_probes._kind_probes`: the
genuine input must be accepted for a refusal to say anything, and a probe is proved when the implementation accepts
an input the project's port (the reference's behaviour, tests/test_audit_probes_boldchat_cryptor.py) refuses.
The upper- and lower-case hash is no probe: the reference accepts both (vector flag ``LowercaseHash``). The
length extension is sent as Latin-1 text: its UTF-8 form does not exist (the glue's 0x80), and the reference, which
hashes UTF-8, refuses the Latin-1 one (BOLD-1 is refuted under UTF-8, proved under Latin-1).
Every key here is a TEST key.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conformance.audit.sha512_extension import extend
from conformance.kinds import ProbeSet
from conformance.openpgp import encryption_key, load_keys, signing_key
from conformance.openpgp.armor import armor
from conformance.openpgp.messages import build_message
from conformance.testkeys import pgp_test_keys
from conformance.vendors.boldchat import secure_parameters_sha512

SHA512_OP, LAUNCH_OP, PGP_OP = "boldchat.sha512.verify", "boldchat.validator.launch", "boldchat.pgp.open"
#: TEST values only.
HASHING_KEY, OTHER_KEY = "ADAPTER probe TEST hashing key", "ADAPTER probe TEST other key"
PARAMS = "VisitName=Probe%20User&VisitEmail=probe%40example.com"
#: The launches' clock (2026-01-01T00:00:00Z) and the Expiration an hour later.
NOW_MS, LATER_MS = 1_767_225_600_000, 1_767_229_200_000

_MAC = "CWE-345"
_FORGED = "Anyone can launch a chat as any visitor: the parameters are taken without a hash that proves them."
_CHECK = "Require the 128 hex digits, compare SHA-512(key + data) with every hashing key in constant time."
_SHA512_META: dict[str, tuple[str, str, str, str, str]] = {
    "no-hash": ("Accepts SecureParameters without their hash", "critical", _MAC, _FORGED, _CHECK),
    "truncated-hash": (
        "Accepts a truncated hash (64 of the 128 hex digits)",
        "critical",
        "CWE-1023",
        "A prefix compare lets an attacker guess the hash a few digits at a time, or send none of it.",
        _CHECK,
    ),
    "other-params-hash": (
        "Accepts a hash of other parameters",
        "critical",
        "CWE-347",
        "The hash is not compared with the data: any valid SecureParameters signs any parameters.",
        _CHECK,
    ),
    "appended-params": (
        "Accepts parameters appended after the hashed ones",
        "critical",
        "CWE-347",
        "An attacker adds or overrides a visitor's fields on a captured launch (the hash covers only a prefix).",
        "Hash the whole data after the 128 hex digits, and never read parameters the hash does not cover.",
    ),
    "length-extension": (
        "Accepts a length-extended SecureParameters (its text hashed as Latin-1)",
        "medium",
        "CWE-328",
        "From one captured string, a visitor appends fields (a ChatKey, an Expiration) without the key (BOLD-1).",
        "Hash the UTF-8 bytes of the received text, or better, verify an HMAC-SHA512 instead of SHA-512(key + data).",
    ),
    "wrong-key": (
        "Accepts a hash made under a key the website does not hold",
        "critical",
        "CWE-347",
        "Any key signs: the hashing key is not the secret it should be.",
        _CHECK,
    ),
}
_LAUNCH_META: dict[str, tuple[str, str, str, str, str]] = {
    "replay": (
        "Accepts a second chat launch with a ChatKey already used",
        "high",
        "CWE-294",
        "A captured launch link opens any number of chats as its visitor until it expires.",
        "Store each used ChatKey (durably) and refuse a launch whose ChatKey is already stored.",
    ),
    "replay-after-restart": (
        "Accepts a used ChatKey again after a restart (the store of used keys is not durable)",
        "medium",
        "CWE-294",
        "A replay succeeds after every restart or on another server of the pool.",
        "Keep used ChatKeys in a store every server shares and that survives restarts.",
    ),
    "expired": (
        "Accepts a launch whose Expiration is past",
        "high",
        "CWE-613",
        "A captured launch link never expires.",
        "Refuse a launch whose Expiration (ms since the epoch) is not after the clock.",
    ),
    "no-hash": ("Accepts a launch without its hash", "critical", _MAC, _FORGED, _CHECK),
    "wrong-type": (
        "Accepts visit data launching a chat (Type is not checked against the launch)",
        "medium",
        "CWE-345",
        "Data hashed for one purpose (a visit, a conversion) is taken for another.",
        "Refuse a launch whose Type parameter is not the launch's type.",
    ),
}
_PGP_META: dict[str, tuple[str, str, str, str, str]] = {
    "unsigned": (
        "Accepts an encrypted message that is not signed",
        "critical",
        "CWE-347",
        "Anyone holding the server's public key can launch a chat as any visitor.",
        "Require a signature by the brand's key and verify it before reading the literal data.",
    ),
    "other-signer": (
        "Accepts a message signed by another key",
        "critical",
        "CWE-347",
        "Any key signs: anyone with their own key pair can launch a chat as any visitor.",
        "Verify the signature with the brand's public key only, refusing every other issuer.",
    ),
    "tampered-literal": (
        "Accepts a message whose literal data does not match its signature",
        "critical",
        "CWE-347",
        "The signature is present but not checked: the parameters can be anything.",
        "Verify the signature over the literal data, and refuse the message when it does not verify.",
    ),
    "no-mdc": (
        "Accepts a message without integrity protection (SED, no MDC)",
        "high",
        "CWE-353",
        "Malleable CFB ciphertext: an attacker can change the data or use the consumer as a decryption oracle (EFAIL).",
        "Require SEIPD with a valid MDC (or AEAD), refusing tag 9 symmetrically encrypted data.",
    ),
}


def length_extension(genuine: str, appended: str) -> str:
    """BOLD-1's forgery of ``genuine`` (made under :data:`HASHING_KEY`): ``SHA-512(key || data || glue ||
    appended)`` computed without the key, the glue's bytes sent as the Latin-1 characters of the same values. A
    server that hashes the UTF-8 bytes (the reference) refuses it; one that hashes Latin-1 accepts it."""
    digest, data = genuine[:128], genuine[128:]
    forged, glue = extend(digest.lower(), len(HASHING_KEY.encode("utf-8")), data.encode("utf-8"), appended.encode())
    return forged.upper() + (data.encode("utf-8") + glue + appended.encode()).decode("latin-1")


def sha512_probes() -> ProbeSet:
    """``boldchat.sha512.verify``: a genuine SecureParameters string under :data:`HASHING_KEY`, and its attacks."""
    genuine = secure_parameters_sha512(PARAMS, HASHING_KEY)
    other = secure_parameters_sha512(PARAMS + "&InitialQuestion=other", HASHING_KEY)
    keys = [HASHING_KEY]
    texts = {
        "no-hash": PARAMS,
        "truncated-hash": genuine[:64] + PARAMS,
        "other-params-hash": other[:128] + PARAMS,
        "appended-params": genuine + "&VisitEmail=attacker%40example.com",
        "wrong-key": secure_parameters_sha512(PARAMS, OTHER_KEY),
        "length-extension": length_extension(genuine, "&VisitEmail=attacker%40example.com"),
    }
    return ProbeSet(
        genuine={"secureParameters": genuine, "hashingKeys": keys},
        attacks={name: {"secureParameters": text, "hashingKeys": keys} for name, text in texts.items()},
        meta=_SHA512_META,
    )


def _launch(data: str, *, kind: str = "chat", hashed: bool = True, **extra: Any) -> dict[str, Any]:
    secure = secure_parameters_sha512(data, HASHING_KEY) if hashed else data
    return {"type": kind, "secureParameters": secure, "atMs": NOW_MS, **extra}


def validator_probes() -> ProbeSet:
    """``boldchat.validator.launch``: one genuine chat launch, and scenarios whose last launch must be refused."""
    chat = f"{PARAMS}&Type=chat&Expiration={LATER_MS}&ChatKey=ck-probe"
    genuine = _launch(chat)
    scenarios = {
        "replay": [genuine, genuine],
        "replay-after-restart": [genuine, {**genuine, "restart": True}],
        "expired": [_launch(f"{PARAMS}&Type=chat&Expiration={NOW_MS - 1000}&ChatKey=ck-expired")],
        "no-hash": [_launch(chat, hashed=False)],
        "wrong-type": [_launch(f"{PARAMS}&Type=visit&Expiration={LATER_MS}&ChatKey=ck-visit")],
    }
    keys = [HASHING_KEY]
    return ProbeSet(
        genuine={"hashingKeys": keys, "launches": [genuine]},
        attacks={name: {"hashingKeys": keys, "launches": launches} for name, launches in scenarios.items()},
        meta=_LAUNCH_META,
    )


def pgp_probes() -> ProbeSet:
    """``boldchat.pgp.open``: a message sealed to the server TEST key and signed by the brand's, and its attacks."""
    keys = pgp_test_keys()
    server = encryption_key(load_keys(keys["server.pub"], secret=False, role="server_public_key"))
    brand = signing_key(load_keys(keys["brand.sec"], secret=True, role="signing_private_key"))
    other = signing_key(load_keys(keys["other.sec"], secret=True, role="signing_private_key"))
    plain = f"Type=chat&{PARAMS}".encode()

    def sealed(signer: Any = brand, **options: Any) -> str:
        return armor(build_message(options.pop("plain", plain), server, signer, compress=True, **options))

    messages = {
        "unsigned": sealed(None),
        "other-signer": sealed(other),
        "tampered-literal": sealed(plain=f"Type=chat&{PARAMS}&VisitName=Admin".encode(), signed_data=plain),
        "no-mdc": sealed(integrity=False),
    }
    base = {"serverPrivateKey": keys["server.sec"], "signerPublicKey": keys["brand.pub"]}
    return ProbeSet(
        genuine={"message": sealed(), **base},
        attacks={name: {"message": message, **base} for name, message in messages.items()},
        meta=_PGP_META,
    )


#: Each op's probe set, built when the probe runs (the PGP messages are sealed afresh).
PROBE_SETS: dict[str, Callable[[], ProbeSet]] = {
    SHA512_OP: sha512_probes,
    LAUNCH_OP: validator_probes,
    PGP_OP: pgp_probes,
}


__all__ = ["PROBE_SETS", "pgp_probes", "sha512_probes", "validator_probes"]
