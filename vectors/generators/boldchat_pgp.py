"""Generate boldchat_pgp.json: "open-direction" vectors for BoldChat PGP SecureParameters.

PGP output is randomized (session keys, the CFB prefix, signature times), so a sealed message can never be a
golden *output*. The vectors therefore go one way: a message and the keys are the input, and the expected output is
the opened plaintext (or the typed error) as answered by a live reference consumer. Two steps keep this
deterministic:

1. **Refresh (explicit, rarely):** ``python -m vectors.generators.boldchat_pgp --refresh-messages`` asks the
   producers (BouncyCastle 1.50, BouncyCastle current, GnuPG) to seal fresh messages, and crafts the invalid ones
   (unsigned, wrong signer, wrong recipient, not encrypted by GnuPG; no MDC and a bad signature by the project's
   packet layer), and writes them to ``vectors/inputs/boldchat_pgp_messages.json``. That file is committed data.
2. **Build (``nox -s vectors``, and the regeneration test):** :func:`build_all` reads the committed messages and the
   committed TEST keys (``vectors/keys/pgp``), derives further invalid messages by fixed transformations (a
   flipped byte in the encrypted data, a flipped MDC byte, truncation, seeded garbage, a bad armor checksum, the
   document's own sample, which is encrypted to BoldChat's real key), and asks the references to open each one.
   The same inputs give the same file, byte for byte.

``--refresh-messages`` makes only the messages missing from the committed file (``--all`` remakes every one), so
adding messages leaves the committed ones, and the vectors made from them, as they are. Messages added after the
original 26 carry a ``keySet`` field (the :func:`conformance.testkeys.pgp_key_sets` name of their keys) and become
groups of their own after the original ones, so existing test case IDs never move: messages to the key sets
certified with SHA-1 (``gnupg-sha1``, ``bc150-sha1``) from each producer, and brand signatures made with SHA-1, MD5
and RIPEMD-160 (GnuPG ``--digest-algo``; MD5 is opened by BouncyCastle and refused by GnuPG, so that vector is
``acceptable``).

Which reference answers which group (every one of them is thus checked by ``tests/test_vectors.py``):
GnuPG's messages and the crafted rejections are answered by BouncyCastle 1.50 (what the BoldChat server is believed
to run); BouncyCastle 1.50's messages by BouncyCastle current; BouncyCastle current's messages by GnuPG.
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any

from conformance import openpgp
from conformance.contract import Implementation
from conformance.errors import ConformanceError
from conformance.paths import REPO_ROOT
from conformance.references import bouncycastle, gnupg
from conformance.spec import built
from conformance.testkeys import DEFAULT_PGP_KEY_SET, pgp_key_sets
from conformance.testkeys import pgp_test_keys as fixture_keys
from conformance.vectorgen import VectorFileBuilder
from conformance.vendors import boldchat_pgp as pgp

SEED = 20261121
MESSAGES_FILE = REPO_ROOT / "vectors" / "inputs" / "boldchat_pgp_messages.json"
#: Key sets whose self-signatures and subkey bindings use SHA-1 (conformance.testkeys.pgp_key_sets).
SHA1_KEY_SETS = ("gnupg-sha1", "bc150-sha1")
#: Weak hashes GnuPG signs with on request (``--digest-algo``).
WEAK_DIGESTS = ("SHA1", "MD5", "RIPEMD160")
#: Which reference answers the messages of which producer.
ANSWERED_BY = {"gnupg": "bc150", "bc150": "bc-current", "bc-current": "gnupg", "python-crafted": "bc150"}

#: Parameters sealed by each producer (the document's example first).
PARAMS = [
    ("document example", "VisitName=Robert%20Smith&VisitEmail=r.smith%40gmail.com"),
    (
        "chat launch with validation fields",
        "Type=chat&Expiration=1893456000000&ChatKey=session-7f3a&VisitName=Jos%C3%A9%20%E4%B8%AD"
        "&customField_order=42&Unsecured=VisitName%26InitialQuestion",
    ),
    ("empty parameters", ""),
]

#: The document's sample message (made by "BCPG v1.50", encrypted to BoldChat's real server key).
DOCUMENT_SAMPLE = (
    "-----BEGIN PGP MESSAGE-----\nVersion: BCPG v1.50\n\n"
    "hQEMA9/66abKVXSZAQf/UT+3OtVApwD0H+Fv2S5bXqMfkvHEQgbvXLwMiLPRy2gs\n"
    "v3L4EbMGMoIjt8Leg1D/M8bgbovYEs546LwXdAcOQt/n4c2+9WB8mph9lDW4+z9U\n"
    "5eWwwDjatrF8yKvpVM+g0+y8SEtuuBr2xrNfXBaCXRSyEN/88tl7drvIjzAg5lUV\n"
    "uPMtDvLnE9bAhu02FQx04Dc0lKGDROPlXCp/6tW6rXRmdvZfPRe4GDCzkHoZVOGR\n"
    "ByNMD1swSIWC60IL5so4wWvmOqgP/fU57W2QNz7wmF9RtSG+L8zdhYX0BKdQAOVL\n"
    "KzhRtoMbBpNcT1m0prFhw40sfGDcVnPLJhD4RvLv79LBpwE2HeW3LNm6ZH45ou1A\n"
    "mIzik8ZGExDVLY4N9tax6goP1tYXTOq2Zc/XuwIQHhXMdEZaxeLppsjt1cOym/BV\n"
    "/2y8uPO8DPQa4jTXDPOsmLJpzAJMnk3EhMMaDDzOIS32i8IyY2sYPgd651ifXrO7\n"
    "38zCnPC6zMByBuwqvoT5xlELYE0KFRvm7fmYhYK2KHQrazneESRX0TnLrI3k6mSR\n"
    "dK/MSLVb5v6aNY6f/RySADE/XqhEJ8DVXRyN8Qum+vtl1PMGOothaFemT4bZbZ+8\n"
    "w7PKCZSFWqKcEZyk1eJl02V8u1VgmYkaya2vvLGFqTGxSVk6jALrPcIyCxW7z1XV\n"
    "VSwdraDtqMyJ6aAOkUEF5qidyupoajpyjxWRsaM5Al/VJOjR6u97fu9aSNtGNW73\n"
    "mmpqBh2MwbPvO5wWTadN3VLRowlkzNWIX0pdKvdA69fQ4NlGLra9bmH0ofjQuCl9\n"
    "NTRAqn5pbyb8aCyWtxMTtgxZwgNsdWMg0yYMLV+HdH3zVT6Bc+lExzOl5rxOXxbz\n"
    "Qxj3Bqil615AQP2JIi4A6FQ0+Om1xNtm+t6eIFAR3GDYjaw+GgBv+r4mdXRfz/6I\n"
    "OQysntG1rMgCHjXg6B2y46PAp2tdVptJVcUhyz93m99MBT3nKtUmmb5sVHJRnmIg\n"
    "QjQv+3SKjVnMwncHveNXosBBeem2Vdrb+lVbI3eQ0XD/fEi43oQdl8hSNuqfw1jy\n"
    "Dz4Gi2EaYyaDqrRMS6nEMaOujfD6zcPpbR8MSbmQTvmi5eOWPQZhopXrN2ogxtea\n"
    "5jUabllMN5PxGkXWBAhWG1hUVkYH8SMucQ==\n=/htM\n-----END PGP MESSAGE-----"
)

NOTES = {
    "Normal": {"bugType": "BASIC", "description": "A message sealed by a reference producer opens to its parameters."},
    "DocumentParams": {"bugType": "BASIC", "description": "The document's example parameter string."},
    "Compressed": {
        "bugType": "FUNCTIONALITY",
        "description": "Signed data inside a compressed data packet (BouncyCastle: ZIP; GnuPG: ZLIB by default).",
    },
    "Uncompressed": {
        "bugType": "FUNCTIONALITY",
        "description": "Signed data directly inside the encrypted data, no compressed data packet.",
    },
    "EmptyParams": {"bugType": "EDGE_CASE", "description": "An empty literal data packet, signed."},
    "NonAscii": {"bugType": "ENCODING", "description": "Percent-encoded UTF-8 in the parameters."},
    "Unsigned": {"bugType": "MODIFIED", "description": "Encrypted to the server but not signed: PgpUnsigned."},
    "WrongSigner": {
        "bugType": "WRONG_KEY",
        "description": "Signed by a key other than the brand's signing key: PgpWrongSigner.",
    },
    "WrongRecipient": {
        "bugType": "WRONG_KEY",
        "description": "Not encrypted to the server key (or opened with another server key): PgpWrongRecipient.",
    },
    "NotEncrypted": {"bugType": "MALFORMED", "description": "A signed OpenPGP message without encryption."},
    "NoMdc": {
        "bugType": "WEAKNESS",
        "description": "Symmetrically encrypted data without a modification detection code (tag 9): refused.",
        "effect": "Accepting it would let anyone who flips ciphertext bits alter the parameters undetected.",
    },
    "Tampered": {
        "bugType": "MODIFIED",
        "description": "A byte of the encrypted data flipped, or the data truncated: the MDC (or quick check) fails.",
    },
    "BadSignature": {
        "bugType": "MODIFIED",
        "description": "A signature packet naming the brand's key that covers other data: PgpBadSignature.",
    },
    "Garbage": {"bugType": "MALFORMED", "description": "Not an OpenPGP message at all: PgpMalformed."},
    "ReasonVaries": {
        "bugType": "MALFORMED",
        "description": "Every implementation rejects the message, but they name different reasons (BC 1.50:"
        " PgpMalformed, BC current: PgpWrongRecipient, GnuPG: PgpIntegrity), so the case is marked acceptable.",
    },
    "BadArmorChecksum": {
        "bugType": "LENIENCY",
        "description": "The armor's CRC-24 does not match its data. BouncyCastle (1.50 and current) does not check it"
        " and opens the message; the Python implementation follows the server side. GnuPG 2.2 rejects it, so this"
        " case is answered only by BouncyCastle (docs/boldchat-pgp-matrix.md) and marked acceptable: rejecting it,"
        " as GnuPG does, is just as conformant.",
        "effect": "Harmless here: the MDC and the signature still protect the data.",
    },
    "Sha1CertifiedKeys": {
        "bugType": "INTEROP",
        "description": "The server and brand keys' self-signatures and subkey binding signatures use SHA-1: key set"
        " bc150-sha1 (made by BouncyCastle 1.50) or gnupg-sha1 (gpg --cert-digest-algo SHA1), vectors/keys/pgp."
        " BouncyCastle and GnuPG use their encryption subkeys; the Python key loader used to drop them (issue 12).",
    },
    "WeakHash": {
        "bugType": "WEAKNESS",
        "description": "The brand's signature uses MD5, SHA-1 or RIPEMD-160 (gpg --digest-algo). BouncyCastle 1.50"
        " and current (the server side) accept it, so the Python server model does by default;"
        " open_secure_parameters_pgp(..., strict_hashes=True) refuses it with PgpWeakHash (not an op option).",
        "effect": "MD5 and SHA-1 have practical collisions: a signature over data an attacker helped to choose can be"
        " carried over to other data.",
    },
    "Md5RefusedByGnupg": {
        "bugType": "REFERENCE_QUIRK",
        "description": "GnuPG 2.2 refuses MD5 signatures (ERRSIG, PgpUnsupported) where BouncyCastle opens the"
        " message, so this case is answered by BouncyCastle 1.50 only and marked acceptable: refusing it, as GnuPG"
        " does, is just as conformant.",
    },
    "DocumentSample": {
        "bugType": "INTEROP",
        "description": "The document's own sample (BCPG v1.50): well-formed, but encrypted to BoldChat's real server"
        " key, so the test server key is not a recipient.",
    },
}


@cache
def _reference_ops(name: str) -> Implementation:
    return built(name)


def _source(name: str) -> dict[str, str]:
    if name == "gnupg":
        return {"name": "GnuPG (gpg CLI, temporary GNUPGHOME)", "implementation": "gnupg", **gnupg.versions()}
    label = "BouncyCastle 1.50" if name == "bc150" else "BouncyCastle current"
    return {"name": f"{label} via JPype (java_ref/bcpg)", "implementation": name, **bouncycastle.versions(name)}


# --- step 1: fresh messages (explicit) ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MessageSpec:
    """One committed message: what it is, and how to make it afresh."""

    id: str
    producer: str
    kind: str
    compression: str
    comment: str
    make: Callable[[], str]
    key_set: str | None = None  # None: the original messages (key set gnupg-sha512, no keySet field)

    def entry(self, message: str) -> dict[str, Any]:
        entry = {"id": self.id, "producer": self.producer, "kind": self.kind, "compression": self.compression}
        entry.update({"comment": self.comment, "message": message})
        if self.key_set is not None:
            entry["keySet"] = self.key_set
        return entry


def _seal(producer: str, keys: dict[str, str], params: str, compression: str, server: str, signer: str) -> str:
    args = {"params": params, "serverPublicKey": keys[server], "signingPrivateKey": keys[signer]}
    (outcome,) = _reference_ops(producer).call_many([("boldchat.pgp.seal", {**args, "compression": compression})])
    if outcome.status != "value":
        raise ConformanceError(f"{producer} could not seal: {outcome.describe()}")
    return outcome.value


def message_specs() -> list[MessageSpec]:
    """Every committed message, in file order: the original ones first, then those with a ``keySet``."""
    keys = fixture_keys()
    specs: list[MessageSpec] = []
    document = PARAMS[0][1]
    for producer in ("bc150", "bc-current", "gnupg"):
        for compression in pgp.COMPRESSIONS:
            for label, params in PARAMS:
                if compression != "default" and params != document:
                    continue
                specs.append(
                    MessageSpec(
                        f"{producer}-{compression}-{len(specs)}",
                        producer,
                        "valid",
                        compression,
                        f"{label}, compression {compression}",
                        partial(_seal, producer, keys, params, compression, "server.pub", "brand.sec"),
                    )
                )
        for kind, comment, server, signer in [
            ("wrong-signer", "signed by the other key", "server.pub", "other.sec"),
            ("wrong-recipient", "encrypted to the other key", "other.pub", "brand.sec"),
        ]:
            make = partial(_seal, producer, keys, document, "default", server, signer)
            specs.append(MessageSpec(f"{producer}-{kind}", producer, kind, "default", comment, make))
    gpg_keys = {"server": keys["server.pub"], "brand": keys["brand.sec"]}
    for kind, argv, comment in [
        ("unsigned", ["--encrypt", "--recipient", "{server}"], "encrypted, not signed"),
        ("not-encrypted", ["--sign", "--local-user", "{brand}"], "signed, not encrypted"),
    ]:
        make = partial(gnupg.gpg_message, gpg_keys, argv, document.encode())
        specs.append(MessageSpec(f"gnupg-{kind}", "gnupg", kind, "default", comment, make))
    for kind, comment, options in [
        ("no-mdc", "signed and encrypted, but as tag 9 data without MDC", {"integrity": False}),
        ("bad-signature", "the brand's signature over other parameters", {"signed_data": b"VisitName=Mallory"}),
        ("unsigned-uncompressed", "encrypted with MDC, no signature, no compression", {"unsigned": True}),
    ]:
        specs.append(
            MessageSpec(f"crafted-{kind}", "python-crafted", kind, "off", comment, partial(_crafted, keys, **options))
        )
    specs.extend(_sha1_key_set_specs())
    specs.extend(_weak_hash_specs(keys))
    return specs


def _sha1_key_set_specs() -> list[MessageSpec]:
    """The document's parameters sealed by each producer to each key set certified with SHA-1 (issue 12)."""
    specs = []
    for key_set in SHA1_KEY_SETS:
        keys = pgp_key_sets()[key_set]
        for producer in ("bc150", "bc-current", "gnupg"):
            make = partial(_seal, producer, keys, PARAMS[0][1], "default", "server.pub", "brand.sec")
            comment = f"document example, compression default, key set {key_set}"
            specs.append(
                MessageSpec(f"{key_set}-{producer}-valid", producer, "valid", "default", comment, make, key_set)
            )
    return specs


def _weak_hash_specs(keys: dict[str, str]) -> list[MessageSpec]:
    """Brand signatures made with weak hashes: by GnuPG (``--digest-algo``), and a crafted bad SHA-1 signature."""
    gpg_keys = {"server": keys["server.pub"], "brand": keys["brand.sec"]}
    specs = []
    for digest in WEAK_DIGESTS:
        argv = ["--sign", "--encrypt", "--recipient", "{server}", "--local-user", "{brand}", "--digest-algo", digest]
        if digest == "MD5":
            argv.append("--allow-weak-digest-algos")
        make = partial(gnupg.gpg_message, gpg_keys, argv, PARAMS[0][1].encode())
        comment = f"document example signed with {digest} (gpg --digest-algo {digest})"
        specs.append(
            MessageSpec(
                f"gnupg-digest-{digest.lower()}", "gnupg", "weak-digest", "default", comment, make, DEFAULT_PGP_KEY_SET
            )
        )
    make = partial(_crafted, keys, signed_data=b"VisitName=Mallory", hash_algorithm=openpgp.HashAlgorithm.SHA1)
    comment = "the brand's SHA-1 signature over other parameters"
    specs.append(
        MessageSpec(
            "crafted-bad-signature-sha1",
            "python-crafted",
            "bad-signature-sha1",
            "off",
            comment,
            make,
            DEFAULT_PGP_KEY_SET,
        )
    )
    return specs


def _crafted(keys: dict[str, str], unsigned: bool = False, **options: Any) -> str:
    """A message no producer makes on purpose, built with the project's packet layer (uncompressed)."""
    recipient = openpgp.encryption_key(openpgp.load_keys(keys["server.pub"], secret=False, role="server"))
    signer = openpgp.signing_key(openpgp.load_keys(keys["brand.sec"], secret=True, role="brand"))
    data = openpgp.build_message(
        PARAMS[0][1].encode(), recipient, None if unsigned else signer, compress=False, **options
    )
    return openpgp.armor(data)


def refresh_messages(committed: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return the messages document: each committed message in ``committed`` kept as it is, every other one made
    afresh by its producer (all of them when ``committed`` is ``None``)."""
    kept = {entry["id"]: entry["message"] for entry in (committed or {}).get("messages", [])}
    messages = [spec.entry(kept[spec.id] if spec.id in kept else spec.make()) for spec in message_specs()]
    return {
        "comment": "Committed inputs for vectors/generators/boldchat_pgp.py. Make the missing ones with"
        " `python -m vectors.generators.boldchat_pgp --refresh-messages` (add `--all` to remake every one)."
        " Keys: vectors/keys/pgp (TEST keys); an entry's keySet names its key set (default gnupg-sha512).",
        "producerVersions": {name: _source(name) for name in ("bc150", "bc-current", "gnupg")},
        "messages": messages,
    }


# --- step 2: the vectors (deterministic) ----------------------------------------------------------------------


def _reframed(armored: str, change: Any) -> str:
    """Re-encode the message's packets with definite lengths, the last one's body passed through ``change``."""
    _, data = openpgp.dearmor(armored)
    packets = openpgp.parse_packets(data)
    head = b"".join(openpgp.encode_packet(p.tag, p.body) for p in packets[:-1])
    return openpgp.armor(head + openpgp.encode_packet(packets[-1].tag, change(packets[-1].body)))


def _flip(armored: str, position: float) -> str:
    """Flip one bit of the encrypted data (never its version byte) at a fixed relative position."""

    def flip(body: bytes) -> bytes:
        index = 1 + int((len(body) - 2) * position)
        return body[:index] + bytes([body[index] ^ 0x01]) + body[index + 1 :]

    return _reframed(armored, flip)


def _truncate(armored: str, drop: int) -> str:
    return _reframed(armored, lambda body: body[:-drop])


def _bad_crc(armored: str) -> str:
    crc_line = re.search(r"^=(....)$", armored, re.MULTILINE)
    assert crc_line is not None
    replacement = "AAAA" if crc_line.group(1) != "AAAA" else "AAAB"
    return armored[: crc_line.start(1)] + replacement + armored[crc_line.end(1) :]


def build(messages: dict[str, Any]) -> VectorFileBuilder:
    keys = fixture_keys()
    rnd = random.Random(SEED)
    b = VectorFileBuilder(
        "boldchat_pgp",
        "boldchat_pgp.schema.json",
        NOTES,
        header=[
            "BoldChat PGP SecureParameters, open direction: messages sealed by BouncyCastle 1.50, BouncyCastle"
            " current and GnuPG (committed in vectors/inputs/boldchat_pgp_messages.json), invalid messages derived"
            " from them, and the opened plaintext or typed error as answered by a live reference consumer.",
            "Keys are the TEST keys in vectors/keys/pgp (key set gnupg-sha512; the groups after the garbage group use"
            " the SHA-1-certified sets in its sub-folders, or weak signature hashes). Error reasons:"
            " conformance/errors.py, Pgp* classes.",
        ],
    )
    good = {"serverPrivateKey": keys["server.sec"], "signerPublicKey": keys["brand.pub"]}
    by_producer: dict[str, list[dict[str, Any]]] = {}
    for entry in messages["messages"]:
        if "keySet" not in entry:  # the original messages; the later ones get groups of their own, after these
            by_producer.setdefault(entry["producer"], []).append(entry)
    for producer in ("gnupg", "bc150", "bc-current", "python-crafted"):
        consumer = ANSWERED_BY[producer]
        ref = _reference_ops(consumer)
        group = b.group(
            "boldchat.pgp.open",
            _source(consumer),
            comment=f"messages made by {producer}, opened by {consumer}",
        )
        for entry in by_producer.get(producer, []):
            args = {"message": entry["message"], **good}
            flags = _flags(entry)
            b.add(group, ref, f"{entry['id']}: {entry['comment']}", flags, args)
            if entry["kind"] == "valid" and entry["compression"] == "default" and "document" in entry["comment"]:
                for label, tampered in [
                    ("a bit flipped early in the encrypted data", _flip(entry["message"], 0.1)),
                    ("a bit flipped in the middle of the encrypted data", _flip(entry["message"], 0.5)),
                    ("a bit flipped in the MDC", _flip(entry["message"], 1.0)),
                    ("the last 5 bytes cut off", _truncate(entry["message"], 5)),
                ]:
                    b.add(group, ref, f"{entry['id']}: {label}", ["Tampered"], {**good, "message": tampered})
                b.add(
                    group,
                    ref,
                    f"{entry['id']}: opened with the other signer key",
                    ["WrongSigner"],
                    {**args, "signerPublicKey": keys["other.pub"]},
                )
                b.add(
                    group,
                    ref,
                    f"{entry['id']}: opened with another server key",
                    ["WrongRecipient"],
                    {**args, "serverPrivateKey": keys["other.sec"]},
                )
                if consumer != "gnupg":  # GnuPG rejects a bad CRC-24, BouncyCastle and Python ignore it (a finding)
                    b.add(
                        group,
                        ref,
                        f"{entry['id']}: armor CRC-24 altered",
                        ["BadArmorChecksum"],
                        {**args, "message": _bad_crc(entry["message"])},
                        result="acceptable",
                    )
    # Opened by BouncyCastle current: where the two versions name damage differently (ReasonVaries), the Python
    # follows the current one (DEVIATIONS.md, BoldChat PGP).
    garbage = b.group(
        "boldchat.pgp.open", _source("bc-current"), comment="garbage and the document's sample, opened by bc-current"
    )
    ref = _reference_ops("bc-current")
    for label, text in [
        ("empty string", ""),
        ("plain text", "VisitName=Robert%20Smith&VisitEmail=r.smith%40gmail.com"),
        ("armor around seeded random bytes", openpgp.armor(rnd.randbytes(64))),
        ("armor around a packet header promising more data", openpgp.armor(b"\xd2\xff\x00\x00\x10\x00\x01")),
        ("armor with an invalid Base64 body", "-----BEGIN PGP MESSAGE-----\n\n@@@@\n-----END PGP MESSAGE-----\n"),
        ("a public key instead of a message", keys["brand.pub"]),
    ]:
        varies = label.startswith("armor around a packet header")
        flags = ["Garbage", "ReasonVaries"] if varies else ["Garbage"]
        b.add(garbage, ref, label, flags, {**good, "message": text}, result="acceptable" if varies else None)
    b.add(
        garbage,
        ref,
        "the document's sample message",
        ["DocumentSample", "WrongRecipient"],
        {**good, "message": DOCUMENT_SAMPLE},
    )
    _add_sha1_key_sets(b, messages["messages"])
    _add_weak_hashes(b, messages["messages"], good)
    return b


def _add_sha1_key_sets(b: VectorFileBuilder, messages: list[dict[str, Any]]) -> None:
    """Messages to the key sets certified with SHA-1, each opened with its own set's keys (issue 12)."""
    sets = pgp_key_sets()
    for producer in ("gnupg", "bc150", "bc-current"):
        consumer = ANSWERED_BY[producer]
        group = b.group(
            "boldchat.pgp.open",
            _source(consumer),
            comment=f"messages to the key sets certified with SHA-1, made by {producer}, opened by {consumer}",
        )
        for entry in messages:
            if entry.get("keySet") in SHA1_KEY_SETS and entry["producer"] == producer:
                keys = sets[entry["keySet"]]
                args = {"message": entry["message"], "serverPrivateKey": keys["server.sec"]}
                args["signerPublicKey"] = keys["brand.pub"]
                b.add(group, _reference_ops(consumer), f"{entry['id']}: {entry['comment']}", _flags(entry), args)


def _add_weak_hashes(b: VectorFileBuilder, messages: list[dict[str, Any]], good: dict[str, str]) -> None:
    """Brand signatures made with MD5, SHA-1 or RIPEMD-160, answered by BouncyCastle 1.50 (the server side)."""
    group = b.group("boldchat.pgp.open", _source("bc150"), comment="brand signatures with weak hashes, opened by bc150")
    for entry in messages:
        if entry["kind"] in ("weak-digest", "bad-signature-sha1"):
            md5 = entry["id"].endswith("-md5")
            b.add(
                group,
                _reference_ops("bc150"),
                f"{entry['id']}: {entry['comment']}",
                _flags(entry),
                {"message": entry["message"], **good},
                result="acceptable" if md5 else None,
            )


def _flags(entry: dict[str, Any]) -> list[str]:
    kind = entry["kind"]
    if kind == "valid":
        flags = ["Normal", "Uncompressed" if entry["compression"] == "off" else "Compressed"]
        if "document" in entry["comment"]:
            flags.append("DocumentParams")
        if "empty" in entry["comment"]:
            flags.append("EmptyParams")
        if "validation fields" in entry["comment"]:
            flags.append("NonAscii")
        if entry.get("keySet") in SHA1_KEY_SETS:
            flags.append("Sha1CertifiedKeys")
        return flags
    if kind == "weak-digest":
        extra = ["Md5RefusedByGnupg"] if entry["id"].endswith("-md5") else []
        return ["Normal", "Compressed", "DocumentParams", "WeakHash", *extra]
    return {
        "wrong-signer": ["WrongSigner"],
        "wrong-recipient": ["WrongRecipient"],
        "unsigned": ["Unsigned"],
        "unsigned-uncompressed": ["Unsigned", "Uncompressed"],
        "not-encrypted": ["NotEncrypted"],
        "no-mdc": ["NoMdc"],
        "bad-signature": ["BadSignature"],
        "bad-signature-sha1": ["BadSignature", "WeakHash", "Uncompressed"],
    }[kind]


def load_messages() -> dict[str, Any]:
    return json.loads(MESSAGES_FILE.read_text(encoding="utf-8"))


def build_all() -> dict[str, str]:
    """Return ``{file name: text}``: the vectors for the committed messages (deterministic)."""
    return {"boldchat_pgp.json": build(load_messages()).render()}


def main(argv: list[str]) -> int:
    if "--refresh-messages" in argv:
        committed = None if "--all" in argv or not MESSAGES_FILE.exists() else load_messages()
        MESSAGES_FILE.parent.mkdir(parents=True, exist_ok=True)
        MESSAGES_FILE.write_text(json.dumps(refresh_messages(committed), indent=2) + "\n", encoding="utf-8")
        print(f"wrote {MESSAGES_FILE}")
        argv = [a for a in argv if a not in ("--refresh-messages", "--all")]
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1]
    for name, text in build_all().items():
        (out / name).write_text(text, encoding="utf-8")
        print(f"wrote {out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
