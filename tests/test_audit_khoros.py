"""The Khoros audit findings (ST-1..3, CRYPTOR-1..2, JWT-1..3): each proof runs against the live reference and has
its expected status, and what it claims is checked again here, independently, from its artifacts.

A proof that stops holding fails its test. The attack helpers (padding oracle, GF(2^128)) are also tested against
the Python port, without any reference.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable

import pytest

from conformance import aes, registry
from conformance.audit import gf128, guessing, padding_oracle, stats
from conformance.audit.model import PROOFS, Finding
from conformance.codecs import decode_base64, encode_base64
from conformance.errors import BadPadding, InvalidArgument
from tests.conftest import require_reference

#: Every Khoros finding and the status its proof must reach.
EXPECTED = {
    "ST-1": "proved",
    "ST-2": "proved",
    "ST-3": "proved",
    "CRYPTOR-1": "proved",
    "CRYPTOR-2": "proved",
    "JWT-1": "proved",
    "JWT-2": "proved",
    "JWT-3": "proved",
}
_RESULTS: dict[str, Finding] = {}


def _java() -> None:
    from conformance.references import java

    require_reference("java", java.available)


def _node() -> None:
    from conformance.references import node

    require_reference("node", node.available)


def finding(finding_id: str) -> Finding:
    """Run the proof once per test session (through the audit runner) and keep its finding."""
    from conformance.audit import runner

    (_java if PROOFS[finding_id].references == ("java",) else _node)()
    if finding_id not in _RESULTS:
        _RESULTS[finding_id] = runner.run_one(PROOFS[finding_id])
    return _RESULTS[finding_id]


@pytest.mark.parametrize("finding_id", sorted(EXPECTED))
def test_each_proof_reaches_its_status_with_figures_and_versions(finding_id: str) -> None:
    result = finding(finding_id)
    assert result.status == EXPECTED[finding_id], result.why
    assert result.figures, "a finding carries measured figures"
    assert result.ran and result.mitigation and result.cwe.startswith("CWE-")
    (reference,) = PROOFS[finding_id].references
    assert result.references[reference], "the exact versions of the reference it ran against"
    json.dumps(result.to_json())  # the report can hold it


# --- Secure Transfer --------------------------------------------------------------------------------------------


def _decrypt_payload(iv_key: str, payload: str, key: str) -> dict | None:
    vendor = registry.bridge("java")
    text = vendor.decrypt_payload(iv_key, payload, key)
    return None if text is None else json.loads(text)


def test_st1_rewritten_first_block_replays_against_the_vendor_java() -> None:
    result = finding("ST-1")
    for demo in result.artifacts["demonstrations"]:
        original = _decrypt_payload(demo["ivKey"], demo["encryptedPayload"], demo["encryptionKey"])
        rewritten = _decrypt_payload(demo["forgedIvKey"], demo["encryptedPayload"], demo["encryptionKey"])
        assert original is not None and rewritten is not None
        assert rewritten != original
        chosen = demo["chosenFirstBlock"]
        first_key = chosen[2 : chosen.index('"', 2)]
        assert first_key in rewritten
        assert rewritten[first_key] != original.get(first_key)


def test_st2_figures_count_every_oracle_query() -> None:
    figures = finding("ST-2").figures
    per_byte = figures["queries_per_byte"]
    assert len(per_byte) == figures["decrypt"]["bytes"]
    assert sum(per_byte) == figures["decrypt"]["queries_total"]
    assert min(per_byte) >= 1 and max(per_byte) <= 256 + 16  # one extra query per last byte of a block, at most
    assert 90 < figures["decrypt"]["queries_per_byte_mean"] < 170  # ~128 for random bytes
    assert figures["forge"]["queries_total"] > figures["forge"]["bytes"]
    timing = figures["timing"]
    assert timing["padding_failure_ns"]["n"] == timing["json_failure_ns"]["n"] == timing["rounds"]
    assert timing["padding_failure_ns"]["median"] > 0 and timing["json_failure_ns"]["median"] > 0
    assert 0.0 <= timing["auc"] <= 1.0 and isinstance(timing["detectable"], bool)
    titles = [plot["title"] for plot in finding("ST-2").plots]
    assert any("queries" in t for t in titles) and any("failure paths" in t for t in titles)


def test_st2_decrypted_text_is_the_captured_payload() -> None:
    result = finding("ST-2")
    captured = result.artifacts["captured"]
    key = result.artifacts["encryptionKey"]
    assert _decrypt_payload(captured["ivKey"], captured["encryptedPayload"], key) == json.loads(
        result.artifacts["decrypted"]
    )


def test_st2_forgery_from_the_cli_json_report_decrypts_with_the_vendor_java(tmp_path) -> None:
    """The JSON report alone is enough: its forged link decrypts, with the vendor's Java, to the claimed fields."""
    from conformance.cli import main

    _java()
    path = tmp_path / "audit.json"
    assert main(["audit", "--flow", "khoros_secure_transfer", "--quiet", "--json", str(path)]) == 0
    report = json.loads(path.read_text(encoding="utf-8"))
    (st2,) = [f for f in report["findings"] if f["id"] == "ST-2"]
    assert st2["status"] == "proved"
    art = st2["artifacts"]
    import jpype

    from conformance.references import java

    java.start()
    decrypt = jpype.JClass("dev.handoff.ref.PayloadDecryption").decryptPayload
    answer = decrypt(
        jpype.JString(art["ivKey"]), jpype.JString(art["encryptedPayload"]), jpype.JString(art["encryptionKey"])
    )
    assert answer is not None
    assert json.loads(str(answer)) == art["claimed"]
    assert {"conversationDisplayId", "agentId"} <= set(art["claimed"])
    # The same check fails when one IV bit is off: the first byte is no longer '{'.
    iv = bytearray(decode_base64(art["ivKey"]))
    iv[0] ^= 1
    assert (
        decrypt(
            jpype.JString(encode_base64(bytes(iv))),
            jpype.JString(art["encryptedPayload"]),
            jpype.JString(art["encryptionKey"]),
        )
        is None
    )


def test_st3_equal_prefix_blocks_are_equal_ciphertext_blocks() -> None:
    result = finding("ST-3")
    first, second, repeat = (decode_base64(e) for e in result.artifacts["encrypted"])
    equal = result.figures["equal_blocks_observed"]
    assert equal == result.figures["equal_blocks_predicted"] > 0
    assert (
        first[: 16 * equal] == second[: 16 * equal]
        and first[16 * equal : 16 * equal + 16] != second[16 * equal : 16 * equal + 16]
    )
    assert first == repeat


# --- Cryptor ----------------------------------------------------------------------------------------------------


def test_cryptor1_found_password_opens_the_ciphertext_in_the_vendor_java() -> None:
    vendor = registry.bridge("java")
    result = finding("CRYPTOR-1")
    art = result.artifacts
    opened = vendor.cryptor_decrypt_gcm(art["password"], bytes.fromhex(art["sealedHex"]), bytes.fromhex(art["ivHex"]))
    assert opened.value == art["message"].encode()
    wrong = vendor.cryptor_decrypt_gcm(
        art["password"] + "x", bytes.fromhex(art["sealedHex"]), bytes.fromhex(art["ivHex"])
    )
    assert wrong.status == "error" and "BadTag" in (wrong.reason or "")
    assert result.figures["guesses_per_second"] > 0
    assert [row["space"] for row in result.figures["exhaustion"]] == [name for name, _ in guessing.SPACES]


def test_cryptor2_forged_tag_is_accepted_and_a_changed_one_is_not() -> None:
    vendor = registry.bridge("java")
    result = finding("CRYPTOR-2")
    art = result.artifacts
    key, nonce, forged = (bytes.fromhex(art[k]) for k in ("keyHex", "nonceHex", "forgedHex"))
    assert 1 in result.figures["iv_lengths_accepted"] and len(nonce) == 1
    assert vendor.cryptor_decrypt_gcm(key, forged, nonce).value == art["forgedPlaintext"].encode()
    tampered = forged[:-1] + bytes([forged[-1] ^ 1])
    assert vendor.cryptor_decrypt_gcm(key, tampered, nonce).status == "error"
    assert result.figures["hash_key_matches_test_key"] is True
    assert result.figures["messages_until_likely_nonce_repeat"]["1-byte random nonce"] == 20


# --- widget JWT -------------------------------------------------------------------------------------------------


def _verify(token: str, key_id: str, secret: str) -> str:
    from conformance.audit.evidence import answer, call

    return answer(call("node", "khoros.widget_jwt.verify", {"token": token, "keyId": key_id, "secret": secret}))


def test_jwt1_old_token_verifies_and_the_control_expires() -> None:
    result = finding("JWT-1")
    art = result.artifacts
    assert _verify(art["token"], art["keyId"], art["secret"]) == "accepted"
    assert _verify(art["controlToken"], art["keyId"], art["secret"]) == "TokenExpired"
    assert result.figures["token_age_days"] >= 3650


def test_jwt2_recovered_secret_signs_a_token_the_real_secret_verifies() -> None:
    from conformance.audit.khoros_widget_jwt import test_identity

    result = finding("JWT-2")
    art = result.artifacts
    assert guessing.hs256_check(art["token"])(art["secret"].encode())
    assert _verify(art["mintedToken"], test_identity()[0], art["secret"]) == "accepted"
    assert result.figures["guesses"] == 10**5 and result.figures["guesses_per_second"] > 0


def test_jwt3_what_jsonwebtoken_really_does_with_each_kid() -> None:
    from conformance.audit.khoros_widget_jwt import KIDS

    result = finding("JWT-3")
    kids = result.figures["kids"]
    assert kids["mangled"]["in_header"] == "app_-" and kids["mangled"]["verify"] == "KidMismatch"
    assert result.figures["verify_with_header_kid"] == "accepted"
    assert kids["breaks the header"]["verify"] == "MalformedToken"
    assert kids["Latin-1 (control)"]["verify"] == "accepted"
    token = result.artifacts["tokens"]["breaks the header"]
    assert _verify(token, KIDS["breaks the header"], result.artifacts["secret"]) == "MalformedToken"


# --- the attack helpers, against the Python port (no reference) -------------------------------------------------


def _python_oracle(key: bytes) -> Callable[[bytes, bytes], bool]:
    def oracle(iv: bytes, ciphertext: bytes) -> bool:
        try:
            aes.cbc_decrypt(key, iv, ciphertext)
        except BadPadding:
            return False
        return True

    return oracle


def test_padding_oracle_decrypts_and_forges_with_a_python_oracle() -> None:
    rng = random.Random(7)
    key, iv = rng.randbytes(16), rng.randbytes(16)
    # A plaintext ending in 0x02 makes the last block's first probe ambiguous: the extra check must catch it.
    secret = b'{"agentId":123,"x":"' + bytes(range(0x20, 0x7F)) + b'"}\x02'
    plaintext, per_byte = padding_oracle.decrypt(_python_oracle(key), iv, aes.cbc_encrypt(key, iv, secret))
    assert plaintext == secret and len(per_byte) == len(padding_oracle.pad(secret))
    wanted = b'{"conversationDisplayId":1}'
    forged_iv, forged, queries = padding_oracle.forge(_python_oracle(key), wanted, rng.randbytes(16))
    assert aes.cbc_decrypt(key, forged_iv, forged) == wanted and queries > 0


def test_padding_oracle_refuses_bad_input() -> None:
    oracle = _python_oracle(bytes(16))
    with pytest.raises(InvalidArgument):
        padding_oracle.intermediate(oracle, bytes(15))
    with pytest.raises(InvalidArgument):
        padding_oracle.decrypt(oracle, bytes(16), bytes(17))
    with pytest.raises(InvalidArgument, match="not a padding oracle"):
        padding_oracle.intermediate(lambda iv, c: False, bytes(16))
    with pytest.raises(InvalidArgument):
        padding_oracle.unpad(b"\x00" * 16)


def test_gf128_recovers_the_hash_key_and_forges_against_the_python_port() -> None:
    rng = random.Random(11)
    key, nonce = rng.randbytes(16), rng.randbytes(12)
    first, second = aes.gcm_encrypt(key, nonce, b"A" * 16, None), aes.gcm_encrypt(key, nonce, b"B" * 16, None)
    h = gf128.recover_hash_key(first[:16], first[16:], second[:16], second[16:])
    mask = gf128.tag_mask(h, first[:16], first[16:])
    chosen = bytes(a ^ b ^ c for a, b, c in zip(first[:16], b"A" * 16, b"C" * 16, strict=True))
    assert aes.gcm_decrypt(key, nonce, chosen + gf128.forge_tag(h, mask, chosen), None) == b"C" * 16
    x = gf128.block_to_int(rng.randbytes(16))
    assert gf128.multiply(x, gf128.inverse(x)) == 1 << 127
    assert gf128.multiply(gf128.sqrt(x), gf128.sqrt(x)) == x
    with pytest.raises(InvalidArgument):
        gf128.recover_hash_key(first[:16], first[16:], first[:16], second[16:])


def test_timing_statistics() -> None:
    same = [float(v) for v in range(100)]
    assert stats.auc(same, same) == 0.5
    assert stats.auc([v + 1000 for v in same], same) == 1.0
    assert stats.best_threshold_accuracy([v + 1000 for v in same], same) == 1.0
    assert abs(stats.auc_z(0.5, 100, 100)) < 1e-9 and stats.auc_z(0.6, 4000, 4000) > 5
    assert stats.quantile([1, 2, 3, 4], 0.5) == 2.5
