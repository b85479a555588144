"""Peer vectors: the NIST CAVP (and RFC 4231) vectors that pyca's ``cryptography-vectors`` package ships, run
through the ops they apply to, against the Python ports and (AES) the vendor's Java, the HMAC against PHP and the
SHA-512 against OpenSSL. Where the vendor's behaviour differs from NIST's verdict the test pins the vendor's answer
and ``docs/peer-vectors.md`` says why.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from conformance import registry
from tests.conftest import require

vectors_package = pytest.importorskip("cryptography_vectors", reason="cryptography-vectors is in the test extra")
ROOT = Path(vectors_package.__file__).resolve().parent
_LINE = re.compile(r"^\s*([A-Za-z]+)\s*=\s*(.*?)\s*$")


def records(relative: str) -> Iterator[dict[str, str]]:
    """The records of a CAVP ``.rsp``/``.txt`` file, each with the ``[section]`` headers in force (lower-case keys);
    a bare ``FAIL`` line becomes ``fail: "1"``."""
    section: dict[str, str] = {}
    current: dict[str, str] = {}
    for raw in (ROOT / relative).read_text().splitlines():
        line = raw.strip()
        if line.startswith("["):
            if current:
                yield current
                current = {}
            inner = line.strip("[]")
            section = dict(section) if "=" in inner else {}
            if "=" in inner:
                name, value = inner.split("=", 1)
                section[name.strip().lower()] = value.strip()
            else:
                section["section"] = inner
            continue
        if not line or line.startswith("#"):
            if current and not line:
                yield current
                current = {}
            continue
        if line == "FAIL":
            current["fail"] = "1"
            continue
        found = _LINE.match(line)
        if found:
            if not current:
                current = dict(section)
            current[found.group(1).lower()] = found.group(2)
    if current:
        yield current


def answers(implementation: str, op: str, calls: list[dict]) -> list:
    return registry.shared(implementation).call_many([(op, args) for args in calls])


AES_IMPLEMENTATIONS = ("python", "java")


# --- AES-GCM ------------------------------------------------------------------------------------------------------

GCM_SIZES = ("128", "192", "256")


def _gcm_args(entry: dict[str, str]) -> dict:
    return {"keyHex": entry["key"], "iv": entry["iv"], "aad": entry["aad"] or None}


@pytest.mark.parametrize("implementation", AES_IMPLEMENTATIONS)
@pytest.mark.parametrize("size", GCM_SIZES)
def test_gcm_encrypt_matches_nist_including_ivs_that_are_not_96_bits(implementation: str, size: str) -> None:
    require(implementation)
    entries = [e for e in records(f"ciphers/AES/GCM/gcmEncryptExtIV{size}.rsp") if e.get("taglen") == "128"]
    ivlens = {e["ivlen"] for e in entries}
    assert {"8", "96", "1024"} <= ivlens, ivlens  # 1-byte and 128-byte IVs beside the usual 96 bits
    calls = [{**_gcm_args(e), "value": e["pt"]} for e in entries]
    got = answers(implementation, "khoros.cryptor.encrypt_gcm", calls)
    for entry, answer in zip(entries, got, strict=True):
        assert answer.value == entry["ct"] + entry["tag"], (entry["count"], entry["ivlen"], answer.describe())


@pytest.mark.parametrize("implementation", AES_IMPLEMENTATIONS)
@pytest.mark.parametrize("size", GCM_SIZES)
def test_gcm_decrypt_matches_nist_verdicts_for_128_bit_tags(implementation: str, size: str) -> None:
    require(implementation)
    entries = [e for e in records(f"ciphers/AES/GCM/gcmDecrypt{size}.rsp") if e.get("taglen") == "128"]
    assert any(e.get("fail") for e in entries) and not all(e.get("fail") for e in entries)
    calls = [{**_gcm_args(e), "value": e["ct"] + e["tag"]} for e in entries]
    for entry, answer in zip(entries, answers(implementation, "khoros.cryptor.decrypt_gcm", calls), strict=True):
        if entry.get("fail"):
            assert answer.status == "error" and answer.reason == "BadTag", answer.describe()
        else:
            assert answer.value == entry["pt"], answer.describe()


@pytest.mark.parametrize("implementation", AES_IMPLEMENTATIONS)
def test_gcm_tags_shorter_than_128_bits_are_refused_where_nist_accepts(implementation: str) -> None:
    """A difference from NIST's verdict: the vendor's Cryptor fixes GCMParameterSpec(128), so a valid ciphertext
    with a 32- to 120-bit tag is read as a wrong 128-bit tag (docs/peer-vectors.md)."""
    require(implementation)
    entries = [
        e for e in records("ciphers/AES/GCM/gcmDecrypt128.rsp") if e.get("taglen") != "128" and not e.get("fail")
    ]
    assert len(entries) > 100
    calls = [{**_gcm_args(e), "value": e["ct"] + e["tag"]} for e in entries]
    got = answers(implementation, "khoros.cryptor.decrypt_gcm", calls)
    assert {(a.status, a.reason) for a in got} <= {("error", "BadTag"), ("error", "ProviderException/ShortBuffer")}


# --- AES-CBC (PKCS#5 padding on top of NIST's unpadded blocks) -----------------------------------------------------

CBC_FILES = sorted(
    path.name for path in (ROOT / "ciphers" / "AES" / "CBC").glob("CBC*.rsp") if not path.name.startswith("CBCMCT")
)


@pytest.mark.parametrize("implementation", AES_IMPLEMENTATIONS)
@pytest.mark.parametrize("name", CBC_FILES)
def test_cbc_matches_nist_under_the_padding(implementation: str, name: str) -> None:
    """encryptCBC pads: NIST's ciphertext is the output minus its last (padding) block. decryptCBC unpads: NIST's
    ciphertext followed by the padding block (one more encryptCBC of nothing, chained from NIST's last block)
    decrypts to NIST's plaintext."""
    require(implementation)
    entries = list(records(f"ciphers/AES/CBC/{name}"))
    assert entries
    sealed = answers(
        implementation,
        "khoros.cryptor.encrypt_cbc",
        [{"keyHex": e["key"], "iv": e["iv"], "value": e["plaintext"]} for e in entries],
    )
    for entry, answer in zip(entries, sealed, strict=True):
        assert answer.status == "value" and len(answer.value) == len(entry["ciphertext"]) + 32, answer.describe()
        assert answer.value[: len(entry["ciphertext"])] == entry["ciphertext"], entry
    pads = answers(
        implementation,
        "khoros.cryptor.encrypt_cbc",
        [{"keyHex": e["key"], "iv": e["ciphertext"][-32:], "value": ""} for e in entries],
    )
    calls = [
        {"keyHex": e["key"], "iv": e["iv"], "value": e["ciphertext"] + pad.value}
        for e, pad in zip(entries, pads, strict=True)
    ]
    for entry, answer in zip(entries, answers(implementation, "khoros.cryptor.decrypt_cbc", calls), strict=True):
        assert answer.value == entry["plaintext"], (entry, answer.describe())


@pytest.mark.parametrize("implementation", AES_IMPLEMENTATIONS)
def test_an_empty_cbc_ciphertext_decrypts_to_nothing(implementation: str) -> None:
    """A difference from NIST SP 800-38A with PKCS#7: a ciphertext must hold at least one block, but the JCE's
    doFinal on no input returns no output, so the vendor (and the port, which follows it) answers empty."""
    require(implementation)
    (answer,) = answers(
        implementation, "khoros.cryptor.decrypt_cbc", [{"keyHex": "00" * 16, "iv": "00" * 16, "value": ""}]
    )
    assert (answer.status, answer.value) == ("value", "")


# --- HMAC-SHA256 (RFC 4231) through Thread's connection key --------------------------------------------------------


@pytest.mark.parametrize("implementation", ("python", "php"))
def test_hmac_sha256_matches_rfc_4231(implementation: str) -> None:
    require(implementation)
    entries = list(records("HMAC/rfc-4231-sha256.txt"))
    assert len(entries) >= 6
    calls = [{"emailHex": e["msg"], "secretHex": e["key"]} for e in entries]
    for entry, answer in zip(entries, answers(implementation, "thread.connection_key_bytes", calls), strict=True):
        assert answer.value == entry["md"], (entry["len"], answer.describe())


# --- SHA-512 through BoldChat's SecureParameters -------------------------------------------------------------------


def _text(hex_message: str) -> str | None:
    try:
        return bytes.fromhex(hex_message).decode("utf-8")
    except UnicodeDecodeError:
        return None


@pytest.mark.parametrize("implementation", ("python", "openssl"))
def test_sha512_matches_nist_for_every_message_that_is_text(implementation: str) -> None:
    """BoldChat hashes UTF-8 text (hashingKey + encoded): the NIST messages that are UTF-8 and not empty go through
    the op, as the hashing key with nothing encoded; the others cannot be written as its arguments."""
    require(implementation)
    entries = [e for name in ("SHA512ShortMsg.rsp", "SHA512LongMsg.rsp") for e in records(f"hashes/SHA2/{name}")]
    usable = [(e, text) for e in entries if e["len"] != "0" and (text := _text(e["msg"]))]
    assert len(entries) == 257 and len(usable) == 2  # random NIST bytes are rarely UTF-8
    calls = [{"encoded": "", "hashingKey": text} for _, text in usable]
    for (entry, _), answer in zip(usable, answers(implementation, "boldchat.sha512.secure", calls), strict=True):
        assert answer.value == entry["md"].upper(), answer.describe()


def test_the_openssl_reference_matches_nist_on_every_sha512_message() -> None:
    from conformance.references import openssl_dgst

    require("openssl")
    entries = [e for name in ("SHA512ShortMsg.rsp", "SHA512LongMsg.rsp") for e in records(f"hashes/SHA2/{name}")]
    messages = [b"" if e["len"] == "0" else bytes.fromhex(e["msg"]) for e in entries]
    assert openssl_dgst.sha512_hex_many(messages) == [e["md"] for e in entries]


# --- ECDSA P-256 / SHA-256 verification (Talkative's ES256) ---------------------------------------------------------


def test_es256_verification_matches_nist_sigver() -> None:
    """The port's ES256 check (talkative's R || S verification) on FIPS 186-3 SigVer [P-256,SHA-256]: valid
    signatures verify, and every failure NIST lists (changed message, key, R or S) is refused."""
    from cryptography.hazmat.primitives.asymmetric import ec

    from conformance.vendors import talkative

    entries = [e for e in records("asymmetric/ECDSA/FIPS_186-3/SigVer.rsp") if e.get("section") == "P-256,SHA-256"]
    assert len(entries) == 15
    for entry in entries:
        numbers = ec.EllipticCurvePublicNumbers(int(entry["qx"], 16), int(entry["qy"], 16), ec.SECP256R1())
        try:
            key = numbers.public_key()
        except ValueError:  # a point that is not on the curve: no key, so nothing verifies
            verified = False
        else:
            signature = bytes.fromhex(entry["r"].rjust(64, "0")) + bytes.fromhex(entry["s"].rjust(64, "0"))
            verified = talkative._ES256.verify(bytes.fromhex(entry["msg"]), key, signature)
        assert verified == entry["result"].startswith("P"), entry["result"]
