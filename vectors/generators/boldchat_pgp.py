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

Which reference answers which group (every one of them is thus checked by ``tests/test_vectors.py``):
GnuPG's messages and the crafted rejections are answered by BouncyCastle 1.50 (what the BoldChat server is believed
to run); BouncyCastle 1.50's messages by BouncyCastle current; BouncyCastle current's messages by GnuPG.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path
from typing import Any

from conformance.errors import ConformanceError
from conformance.outcome import run_op
from conformance.paths import REPO_ROOT
from conformance.references import bc150, bc_current, gnupg
from conformance.testkeys import pgp_test_keys as fixture_keys
from conformance.vectorgen import VectorFileBuilder
from conformance.vendors import boldchat_pgp as pgp

REFERENCES = ("bc150", "bc-current", "gnupg")
SEED = 20261121
MESSAGES_FILE = REPO_ROOT / "vectors" / "inputs" / "boldchat_pgp_messages.json"

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
    "DocumentSample": {
        "bugType": "INTEROP",
        "description": "The document's own sample (BCPG v1.50): well-formed, but encrypted to BoldChat's real server"
        " key, so the test server key is not a recipient.",
    },
}


def _reference_ops(name: str) -> dict[str, Any]:
    return {"bc150": bc150.OPS, "bc-current": bc_current.OPS, "gnupg": gnupg.OPS}[name]


def _source(name: str) -> dict[str, str]:
    if name == "gnupg":
        return {"name": "GnuPG (gpg CLI, temporary GNUPGHOME)", "implementation": "gnupg", **gnupg.versions()}
    module = bc150 if name == "bc150" else bc_current
    label = "BouncyCastle 1.50" if name == "bc150" else "BouncyCastle current"
    return {"name": f"{label} via JPype (java_ref/bcpg)", "implementation": name, **module.versions()}


# --- step 1: fresh messages (explicit) ----------------------------------------------------------------------------


def refresh_messages() -> dict[str, Any]:
    """Seal fresh messages with the producers and craft the invalid ones; return the messages document."""
    keys = fixture_keys()
    messages: list[dict[str, Any]] = []

    def seal(producer: str, params: str, compression: str, server: str, signer: str) -> str:
        outcome = run_op(
            _reference_ops(producer),
            "boldchat.pgp.seal",
            {
                "params": params,
                "serverPublicKey": keys[server],
                "signingPrivateKey": keys[signer],
                "compression": compression,
            },
        )
        if outcome.status != "value":
            raise ConformanceError(f"{producer} could not seal: {outcome.describe()}")
        return outcome.value

    for producer in ("bc150", "bc-current", "gnupg"):
        for compression in pgp.COMPRESSIONS:
            for label, params in PARAMS:
                if compression != "default" and params != PARAMS[0][1]:
                    continue
                messages.append(
                    {
                        "id": f"{producer}-{compression}-{len(messages)}",
                        "producer": producer,
                        "kind": "valid",
                        "compression": compression,
                        "comment": f"{label}, compression {compression}",
                        "message": seal(producer, params, compression, "server.pub", "brand.sec"),
                    }
                )
        messages.append(
            {
                "id": f"{producer}-wrong-signer",
                "producer": producer,
                "kind": "wrong-signer",
                "compression": "default",
                "comment": "signed by the other key",
                "message": seal(producer, PARAMS[0][1], "default", "server.pub", "other.sec"),
            }
        )
        messages.append(
            {
                "id": f"{producer}-wrong-recipient",
                "producer": producer,
                "kind": "wrong-recipient",
                "compression": "default",
                "comment": "encrypted to the other key",
                "message": seal(producer, PARAMS[0][1], "default", "other.pub", "brand.sec"),
            }
        )
    messages.extend(_gnupg_special(keys))
    messages.extend(_crafted(keys))
    return {
        "comment": "Committed inputs for vectors/generators/boldchat_pgp.py. Regenerate only on purpose with"
        " `python -m vectors.generators.boldchat_pgp --refresh-messages`. Keys: vectors/keys/pgp (TEST keys).",
        "producerVersions": {name: _source(name) for name in ("bc150", "bc-current", "gnupg")},
        "messages": messages,
    }


def _gnupg_special(keys: dict[str, str]) -> list[dict[str, Any]]:
    """Unsigned and sign-only messages: GnuPG can make them, the seal op cannot."""
    home, fingerprints = gnupg._home({"server": keys["server.pub"], "brand": keys["brand.sec"]})
    made = []
    for kind, argv, comment in [
        ("unsigned", ["--encrypt", "--recipient", fingerprints["server"]], "encrypted, not signed"),
        ("not-encrypted", ["--sign", "--local-user", fingerprints["brand"]], "signed, not encrypted"),
    ]:
        result = gnupg._run(home, ["--armor", *argv], PARAMS[0][1].encode())
        text = result.stdout.decode("ascii")
        armored = text[text.index("-----BEGIN PGP MESSAGE-----") :]
        made.append(
            {
                "id": f"gnupg-{kind}",
                "producer": "gnupg",
                "kind": kind,
                "compression": "default",
                "comment": comment,
                "message": armored,
            }
        )
    return made


def _crafted(keys: dict[str, str]) -> list[dict[str, Any]]:
    """Messages no producer makes on purpose, built with the project's packet layer."""
    recipient = pgp._encryption_key(pgp.load_keys(keys["server.pub"], secret=False, role="server"))
    signer = pgp._signing_key(pgp.load_keys(keys["brand.sec"], secret=True, role="brand"))
    plain = PARAMS[0][1].encode()
    crafted = [
        ("no-mdc", "signed and encrypted, but as tag 9 data without MDC", {"integrity": False}),
        ("bad-signature", "the brand's signature over other parameters", {"signed_data": b"VisitName=Mallory"}),
        ("unsigned-uncompressed", "encrypted with MDC, no signature, no compression", {"unsigned": True}),
    ]
    made = []
    for kind, comment, options in crafted:
        unsigned = options.pop("unsigned", False)
        data = pgp._assemble(plain, recipient, None if unsigned else signer, compress=False, **options)
        made.append(
            {
                "id": f"crafted-{kind}",
                "producer": "python-crafted",
                "kind": kind,
                "compression": "off",
                "comment": comment,
                "message": pgp.armor(data),
            }
        )
    return made


# --- step 2: the vectors (deterministic) ----------------------------------------------------------------------


def _reframed(armored: str, change: Any) -> str:
    """Re-encode the message's packets with definite lengths, the last one's body passed through ``change``."""
    _, data = pgp.dearmor(armored)
    packets = pgp.parse_packets(data)
    head = b"".join(pgp.encode_packet(p.tag, p.body) for p in packets[:-1])
    return pgp.armor(head + pgp.encode_packet(packets[-1].tag, change(packets[-1].body)))


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
        "boldchat-pgp",
        "boldchat_pgp.schema.json",
        NOTES,
        header=[
            "BoldChat PGP SecureParameters, open direction: messages sealed by BouncyCastle 1.50, BouncyCastle"
            " current and GnuPG (committed in vectors/inputs/boldchat_pgp_messages.json), invalid messages derived"
            " from them, and the opened plaintext or typed error as answered by a live reference consumer.",
            "Keys are the TEST keys in vectors/keys/pgp. Error reasons: conformance/errors.py, Pgp* classes.",
        ],
    )
    good = {"serverPrivateKey": keys["server.sec"], "signerPublicKey": keys["brand.pub"]}
    by_producer: dict[str, list[dict[str, Any]]] = {}
    for entry in messages["messages"]:
        by_producer.setdefault(entry["producer"], []).append(entry)
    answered_by = {"gnupg": "bc150", "bc150": "bc-current", "bc-current": "gnupg", "python-crafted": "bc150"}
    for producer in ("gnupg", "bc150", "bc-current", "python-crafted"):
        consumer = answered_by[producer]
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
    garbage = b.group(
        "boldchat.pgp.open", _source("bc150"), comment="garbage and the document's sample, opened by bc150"
    )
    ref = _reference_ops("bc150")
    for label, text in [
        ("empty string", ""),
        ("plain text", "VisitName=Robert%20Smith&VisitEmail=r.smith%40gmail.com"),
        ("armor around seeded random bytes", pgp.armor(rnd.randbytes(64))),
        ("armor around a packet header promising more data", pgp.armor(b"\xd2\xff\x00\x00\x10\x00\x01")),
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
    return b


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
        return flags
    return {
        "wrong-signer": ["WrongSigner"],
        "wrong-recipient": ["WrongRecipient"],
        "unsigned": ["Unsigned"],
        "unsigned-uncompressed": ["Unsigned", "Uncompressed"],
        "not-encrypted": ["NotEncrypted"],
        "no-mdc": ["NoMdc"],
        "bad-signature": ["BadSignature"],
    }[kind]


def load_messages() -> dict[str, Any]:
    return json.loads(MESSAGES_FILE.read_text(encoding="utf-8"))


def build_all() -> dict[str, str]:
    """Return ``{file name: text}``: the vectors for the committed messages (deterministic)."""
    return {"boldchat_pgp.json": build(load_messages()).render()}


def main(argv: list[str]) -> int:
    if "--refresh-messages" in argv:
        MESSAGES_FILE.parent.mkdir(parents=True, exist_ok=True)
        MESSAGES_FILE.write_text(json.dumps(refresh_messages(), indent=2) + "\n", encoding="utf-8")
        print(f"wrote {MESSAGES_FILE}")
        argv = [a for a in argv if a != "--refresh-messages"]
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1]
    for name, text in build_all().items():
        (out / name).write_text(text, encoding="utf-8")
        print(f"wrote {out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
