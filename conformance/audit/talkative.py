"""Talkative signed interaction data, audited against node ``jose``: TALK-1 (replay), TALK-2 (ECDSA malleability)
and TALK-3 (algorithm confusion).

The attack helpers are public so the notebook can run them step by step: :func:`twin` turns a token into its
ECDSA twin ``(r, n - s)``, :func:`unsecured_token`, :func:`hs256_with_pem` and :func:`der_signed` make the three
algorithm-confusion tokens, :func:`trailing_bit_variants` the base64url spellings of one signature. Every key here
is a TEST key derived from a fixed scalar (:data:`TEST_PRIVATE_KEY_PEM`).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from conformance.arguments import require_items, require_str
from conformance.audit.evidence import (
    PORT,
    Details,
    Stopwatch,
    accepted,
    answer,
    answers,
    call,
    call_many,
    rate,
    reference_versions,
)
from conformance.audit.model import Finding, proof
from conformance.audit.segments import b64url_decode, b64url_json, token_parts
from conformance.codecs import encode_base64_url_safe as _b64url
from conformance.errors import InvalidArgument, MalformedToken
from conformance.outcome import Outcome
from conformance.paths import data_dir
from conformance.vectors import iter_cases
from conformance.vendors import talkative

FLOW = "talkative_signed_data"
#: The order n of the P-256 group: ``(r, s)`` and ``(r, n - s)`` are both valid ECDSA signatures.
P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
#: A TEST key (never use it for anything real): the scalar is the ASCII of "TALK audit TEST".
TEST_PRIVATE_KEY_PEM = talkative.private_key_pem(
    ec.derive_private_key(int.from_bytes(b"TALK audit TEST", "big"), ec.SECP256R1())
)
TEST_PUBLIC_KEY_PEM = talkative.public_pem_from_private(TEST_PRIVATE_KEY_PEM)
#: The most tokens one :func:`jose_verify_many` batch sends to node.
MAX_TOKENS = 1024
FIELDS = [
    {"label": "email", "data": "alice@example.com", "type": "string"},
    {"label": "plan", "data": "gold", "type": "string"},
]


def signature_values(token: str) -> tuple[int, int]:
    """``(r, s)`` of a compact ES256 token. Raises :class:`MalformedToken` when it is not three parts with 64 bytes."""
    raw = b64url_decode(token_parts(token)[2], "the token's signature")
    if len(raw) != 64:
        raise MalformedToken("not a compact JWS with a 64-byte R||S signature")
    return int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")


def twin(token: str) -> str:
    """The same header and payload with the signature ``(r, n - s)``: a different token string that is also a valid
    ECDSA signature of the same data. ``twin(twin(t)) == t``. Raises :class:`MalformedToken`."""
    r, s = signature_values(token)
    head, payload, _ = token_parts(token)
    raw = r.to_bytes(32, "big") + (P256_ORDER - s).to_bytes(32, "big")
    return f"{head}.{payload}.{_b64url(raw)}"


def trailing_bit_variants(token: str) -> list[str]:
    """Other spellings of the signature segment: its last base64url character carries 4 unused bits (86 characters
    for 512 bits), so 15 other characters decode to the same 64 bytes for a lenient decoder.
    Raises :class:`MalformedToken`."""
    signature_values(token)
    head, payload, signature = token_parts(token)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    kept = alphabet.index(signature[-1]) & 0b110000
    return [f"{head}.{payload}.{signature[:-1]}{alphabet[kept | low]}" for low in range(16) if kept | low != kept]


def _payload_segment(fields: Sequence[Mapping[str, str]]) -> str:
    return talkative.signing_input(fields).split(".")[1]


def unsecured_token(fields: Sequence[Mapping[str, str]]) -> str:
    """``{"alg":"none"}``, the payload, and an empty signature."""
    return _b64url(b'{"alg":"none"}') + "." + _payload_segment(fields) + "."


def hs256_with_pem(fields: Sequence[Mapping[str, str]], public_key_pem: str) -> str:
    """Key confusion: an HS256 token whose HMAC key is the text of the ES256 *public* key PEM. Raises
    :class:`InvalidArgument` for a PEM that is not ASCII text, or ``fields`` the port's signer refuses."""
    if not require_str(public_key_pem, "public_key_pem").isascii():
        raise InvalidArgument("public_key_pem must be ASCII text (a PEM)")
    data = _b64url(b'{"alg":"HS256"}') + "." + _payload_segment(fields)
    mac = hmac.new(public_key_pem.encode("ascii"), data.encode("ascii"), hashlib.sha256).digest()
    return f"{data}.{_b64url(mac)}"


def der_signed(fields: Sequence[Mapping[str, str]], private_key_pem: str) -> str:
    """A correct ES256 signature in DER (as OpenSSL and Java emit it) instead of JOSE's raw R||S."""
    data = talkative.signing_input(fields)
    der = talkative.load_private_key(private_key_pem).sign(data.encode("ascii"), ec.ECDSA(hashes.SHA256()))
    return f"{data}.{_b64url(der)}"


def jose_verify_many(tokens: Sequence[str], public_key_pem: str = TEST_PUBLIC_KEY_PEM) -> list[Outcome]:
    """node jose's ``compactVerify`` (ES256 only) on each token, in one round trip. Raises :class:`InvalidArgument`
    for ``tokens`` that are not a list of at most :data:`MAX_TOKENS` texts, or a PEM that is not text."""
    tokens = require_items(tokens, "tokens", str, limit=MAX_TOKENS)
    public_key_pem = require_str(public_key_pem, "public_key_pem")
    return call_many("node", [("talkative.verify", {"token": t, "publicKeyPem": public_key_pem}) for t in tokens])


def port_verify(token: str, public_key_pem: str = TEST_PUBLIC_KEY_PEM) -> Outcome:
    """The project's Python port (:func:`~conformance.vendors.talkative.verify_interaction_data`) on ``token``."""
    return call(PORT, "talkative.verify", {"token": token, "publicKeyPem": public_key_pem})


def _frozen_jose_token() -> tuple[str, str, str]:
    """A valid token made by jose when the vectors were generated: ``(case id, token, public key PEM)``."""
    for case in iter_cases(data_dir() / "talkative_signed_data.json"):
        if case.op == "talkative.verify" and "JoseToken" in case.flags and case.result == "valid":
            return case.case_id, case.input["token"], case.input["publicKeyPem"]
    raise MalformedToken("the vectors hold no valid jose token")


TALK_1 = Details(
    id="TALK-1",
    flow=FLOW,
    title="A signed interaction-data array verifies forever and in any session (no iat, exp or nonce)",
    severity="medium",
    severity_reasoning=(
        "Whoever holds one token (page source, browser history, a proxy log, a shared computer) can present that "
        "identity to Talkative again at any later time; nothing in the scheme lets the server refuse it. It does "
        "not let anyone change the data, which keeps it below high."
    ),
    cwe="CWE-294",
    attacker_model="Someone who once obtained a victim's signed-interaction-data token; no key.",
    preconditions=[
        "The brand follows the document: a JSON array of {label, data, type}, ES256, compact serialization.",
        "The signing key is not rotated (the document describes one long-lived key on the Signing Keys page).",
    ],
    mitigation=(
        "Sign a JWT with iat/exp (minutes) and a jti, or at least an entry carrying an expiry that the server checks "
        "(jose jwtVerify with maxTokenAge); bind the token to the chat session (a nonce the widget gets from the "
        "server); rotate the signing key when a token may have leaked."
    ),
)

TALK_2 = Details(
    id="TALK-2",
    flow=FLOW,
    title="ECDSA malleability: the twin token (r, n - s) is a second, distinct token that jose accepts",
    severity="low",
    severity_reasoning=(
        "The twin carries exactly the data the brand signed, so it forges nothing; it only defeats a replay cache "
        "or deduplication keyed on the token string. Talkative has no replay protection to defeat (TALK-1)."
    ),
    cwe="CWE-347",
    attacker_model="Someone holding one valid token; no key.",
    preconditions=["A defence (replay cache, one-time-use list, audit dedup) keyed on the token text."],
    mitigation=(
        "Key any replay cache on the verified payload (or on r, or on a jti inside it), never on the token string; "
        "or require low-S signatures (s <= n/2) before verifying."
    ),
)

TALK_3 = Details(
    id="TALK-3",
    flow=FLOW,
    title="Algorithm confusion: alg none, HS256 keyed with the public PEM, and a DER signature",
    severity="critical",
    severity_reasoning=(
        "Accepting any of these tokens forges any identity without the key (only the public key is needed). The "
        "severity is the weakness's if present; the status says whether jose or the port has it."
    ),
    cwe="CWE-327",
    attacker_model="Anyone: only the public key (which is public) is needed.",
    preconditions=["A verifier that reads alg from the token header instead of pinning ES256."],
    mitigation="Pin the algorithm: compactVerify(token, key, {algorithms: ['ES256']}), as node_ref does.",
)


@proof("TALK-1", FLOW, ("node",), TALK_1)
def _prove_replay(replays: int = 20) -> Finding:
    """Verify one token many times, a token frozen in the vectors, and one carrying an already-past "exp" entry."""
    if (skipped := TALK_1.unavailable(["node"])) is not None:
        return skipped
    token = talkative.sign_interaction_data(FIELDS, TEST_PRIVATE_KEY_PEM)
    expired_fields = [*FIELDS, {"label": "exp", "data": "946684800", "type": "string"}]  # 2000-01-01
    expired = talkative.sign_interaction_data(expired_fields, TEST_PRIVATE_KEY_PEM)
    case_id, frozen, frozen_key = _frozen_jose_token()
    with Stopwatch() as watch:
        outcomes = jose_verify_many([token] * replays + [expired])
    frozen_outcome = jose_verify_many([frozen], frozen_key)[0]
    replayed = sum(accepted(o) for o in outcomes[:replays])
    port = port_verify(token)
    proved = replayed == replays and accepted(outcomes[-1]) and accepted(frozen_outcome)
    why = (
        f"jose accepted the same token {replayed} times out of {replays}; the verify call takes only the token and "
        f"the public key, so no clock, session or nonce can enter the decision. A token jose signed when the vectors "
        f"were generated ({case_id}) is {answer(frozen_outcome)} today, and a token with an 'exp' entry dated "
        f"2000-01-01 is {answer(outcomes[-1])} (an entry is data, not a claim). The Python port: {answer(port)}."
    )
    return TALK_1.finding(
        "proved" if proved else "refuted",
        why,
        ran=[
            "talkative.sign_interaction_data(FIELDS, TEST key) (RFC 6979, deterministic)",
            f"node jose compactVerify x{replays} on the same token, in one batch",
            f"node jose compactVerify on the frozen jose token of {case_id}",
            "node jose compactVerify on a token whose array holds {label: 'exp', data: '946684800'}",
            "conformance.vendors.talkative.verify_interaction_data on the same token",
        ],
        references=reference_versions(["node", PORT]),
        figures={
            "queries": replays + 2,
            "replays": replays,
            "accepted": replayed,
            "jose_seconds": watch.seconds,
            "jose_verifications_per_s": rate(replays + 1, watch.seconds),
        },
        artifacts={
            "token": token,
            "expired_entry_token": expired,
            "frozen_case": case_id,
            "public_key_pem": TEST_PUBLIC_KEY_PEM,
            "test_private_key_pem": TEST_PRIVATE_KEY_PEM,
        },
    )


@proof("TALK-2", FLOW, ("node",), TALK_2)
def _prove_malleability() -> Finding:
    """Make the twin (r, n - s) of a token and give both to jose and to the port; also the base64url spellings."""
    if (skipped := TALK_2.unavailable(["node"])) is not None:
        return skipped
    token = talkative.sign_interaction_data(FIELDS, TEST_PRIVATE_KEY_PEM)
    other = twin(token)
    variants = trailing_bit_variants(token)
    with Stopwatch() as watch:
        original, twin_outcome, *variant_outcomes = jose_verify_many([token, other, *variants])
    port_twin = port_verify(other)
    r, s = signature_values(token)
    seen = {token}  # a replay cache keyed on the token text
    bypassed = other not in seen and accepted(twin_outcome)
    same_data = accepted(original) and twin_outcome.value == original.value
    proved = other != token and bypassed and same_data
    why = (
        f"The twin differs from the token in its signature segment, and jose {answer(twin_outcome)} it "
        f"{'with the same verified array' if same_data else ''}; a cache that had seen the original token would let "
        f"it through. The Python port (same checks as jose): {answer(port_twin)}. Also, "
        f"{sum(map(accepted, variant_outcomes))} of {len(variants)} other base64url spellings of the signature "
        "(unused trailing bits) were accepted by jose."
    )
    return TALK_2.finding(
        "proved" if proved else "refuted",
        why,
        ran=[
            "token = talkative.sign_interaction_data(FIELDS, TEST key)",
            "twin = conformance.audit.talkative.twin(token): s -> n - s",
            "node jose compactVerify on token, twin and the 15 trailing-bit spellings, in one batch",
            "conformance.vendors.talkative.verify_interaction_data on the twin",
        ],
        references=reference_versions(["node", PORT]),
        figures={
            "queries": 2 + len(variants),
            "jose_seconds": watch.seconds,
            "s_high": s > P256_ORDER // 2,
            "twin_accepted_by_jose": accepted(twin_outcome),
            "twin_accepted_by_port": accepted(port_twin),
            "trailing_bit_variants_accepted": sum(map(accepted, variant_outcomes)),
        },
        artifacts={
            "token": token,
            "twin": other,
            "r_hex": f"{r:064x}",
            "s_hex": f"{s:064x}",
            "n_minus_s_hex": f"{P256_ORDER - s:064x}",
            "public_key_pem": TEST_PUBLIC_KEY_PEM,
            "test_private_key_pem": TEST_PRIVATE_KEY_PEM,
        },
    )


@proof("TALK-3", FLOW, ("node",), TALK_3)
def _prove_algorithm_confusion() -> Finding:
    """Give jose and the port an alg-none token, HS256 keyed with the public PEM, and a DER-encoded ES256 signature."""
    if (skipped := TALK_3.unavailable(["node"])) is not None:
        return skipped
    tokens = {
        "alg-none": unsecured_token(FIELDS),
        "hs256-with-public-pem": hs256_with_pem(FIELDS, TEST_PUBLIC_KEY_PEM),
        "der-signature": der_signed(FIELDS, TEST_PRIVATE_KEY_PEM),
    }
    with Stopwatch() as watch:
        jose = dict(zip(tokens, jose_verify_many(list(tokens.values())), strict=True))
    port = {name: port_verify(token) for name, token in tokens.items()}
    answers = {name: {"jose": answer(jose[name]), "python": answer(port[name])} for name in tokens}
    accepted = [f"{who} accepted {name}" for name, a in answers.items() for who, v in a.items() if v == "accepted"]
    why = "; ".join(f"{name}: jose {a['jose']}, port {a['python']}" for name, a in answers.items())
    return TALK_3.finding(
        "proved" if accepted else "refuted",
        ("ACCEPTED: " + ", ".join(accepted) + ". " if accepted else "Every token was refused. ") + why,
        ran=[
            "unsecured_token / hs256_with_pem / der_signed over the same array",
            "node jose compactVerify(token, ES256 SPKI key, {algorithms: ['ES256']}) on each",
            "conformance.vendors.talkative.verify_interaction_data on each",
        ],
        references=reference_versions(["node", PORT]),
        figures={"queries": 2 * len(tokens), "jose_seconds": watch.seconds, "answers": answers},
        artifacts={**tokens, "public_key_pem": TEST_PUBLIC_KEY_PEM, "test_private_key_pem": TEST_PRIVATE_KEY_PEM},
    )


def describe(outcomes: Mapping[str, Outcome]) -> dict[str, Any]:
    """``{name: "accepted" | reason}`` for display (notebook). Raises :class:`InvalidArgument` as
    :func:`~conformance.audit.evidence.answers` does."""
    return answers(outcomes)


def decoded_header(token: str) -> Any:
    """The token's protected header as JSON (for display). Raises :class:`MalformedToken`."""
    return b64url_json(token_parts(token)[0], "the token's header")


__all__ = [
    "FIELDS",
    "MAX_TOKENS",
    "P256_ORDER",
    "TEST_PRIVATE_KEY_PEM",
    "TEST_PUBLIC_KEY_PEM",
    "decoded_header",
    "der_signed",
    "describe",
    "hs256_with_pem",
    "jose_verify_many",
    "port_verify",
    "signature_values",
    "trailing_bit_variants",
    "twin",
    "unsecured_token",
]
