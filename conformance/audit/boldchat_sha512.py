"""BoldChat SecureParameters, SHA-512 method, audited against the validator model and ``openssl dgst``: BOLD-1
(length extension) and BOLD-3 (SHA-512 prefix or HMAC-SHA512?). BOLD-2 (replay) is in
:mod:`conformance.audit.boldchat_validator`.

``SecureParameters = HEX(SHA-512(key ‖ data)) ‖ data`` is a secret-prefix hash: from one string a visitor can
compute the hash of ``data ‖ glue ‖ appended`` without the key (:mod:`conformance.audit.sha512_extension`). Whether
a server accepts it depends on how it turns the received text into the bytes it hashes, so :func:`model_launch` runs
the validator model (:class:`~conformance.vendors.boldchat_validator.BoldChatValidator`, which hashes UTF-8) and a
Latin-1 variant of it. The hashing key is a TEST key.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import subprocess
from dataclasses import dataclass
from typing import Literal

from conformance import registry
from conformance.arguments import INT64_MAX, INT64_MIN, encode_utf8, require_instance, require_int, require_str
from conformance.audit.evidence import PORT, Details, Stopwatch, rate, reference_versions
from conformance.audit.model import Finding, proof
from conformance.audit.sha512_extension import extend
from conformance.errors import DataValidationError, InvalidArgument, ReferenceFailure
from conformance.vendors.boldchat import HASH_HEX_LENGTH, secure_parameters_sha512
from conformance.vendors.boldchat_validator import BoldChatValidator, MemoryReplayStore

FLOW = "boldchat_sha512"
#: A TEST hashing key (never a real one). Its length (26 bytes) is what the attacker has to find.
TEST_HASHING_KEY = "TEST-boldchat-hashing-key!"
Encoding = Literal["utf-8", "latin-1"]
ENCODINGS: tuple[Encoding, ...] = ("utf-8", "latin-1")
MAX_KEY_LENGTH = 64
#: The longest ``secure_parameters`` and ``appended`` :func:`search_key_length` takes: it forges (in pure-Python
#: SHA-512) and launches once per key length; a genuine string is a few hundred characters.
MAX_SEARCH_TEXT, MAX_APPENDED = 1 << 16, 1 << 12
T0_MS = 1_767_225_600_000  # 2026-01-01T00:00:00Z, the brand's signing time in the scenarios
MINUTE_MS, DAY_MS = 60_000, 86_400_000  # the scenarios' clock
_HEX128 = re.compile(r"[0-9A-Fa-f]{128}")


def _encoding(value: object) -> Encoding:
    if require_str(value, "encoding") not in ENCODINGS:
        raise InvalidArgument(f"encoding must be one of {', '.join(ENCODINGS)}")
    return value  # type: ignore[return-value]


def _secure_parameters(value: object) -> str:
    if not _HEX128.fullmatch(require_str(value, "secure_parameters")[:HASH_HEX_LENGTH]):
        raise InvalidArgument("secure_parameters must start with 128 hex digits")
    return value  # type: ignore[return-value]


@dataclass(frozen=True)
class Forgery:
    """``SHA-512(key ‖ original ‖ glue ‖ appended)``, computed from the original string alone."""

    original: str
    appended: str
    key_length: int
    digest_hex: str  # uppercase, as SecureParameters carries it
    glue: bytes

    @property
    def data_bytes(self) -> bytes:
        return self.original.encode("utf-8") + self.glue + self.appended.encode("utf-8")

    def text(self, encoding: Encoding) -> str | None:
        """The text a server must receive so that ``encoding`` turns it into :attr:`data_bytes`; ``None`` when no
        text does (UTF-8: the glue's 0x80 is a continuation byte without a lead byte). Raises
        :class:`InvalidArgument` for an encoding not in :data:`ENCODINGS`."""
        encoding = _encoding(encoding)
        try:
            return self.data_bytes.decode(encoding)
        except UnicodeDecodeError:
            return None

    def secure_parameters(self, encoding: Encoding) -> str | None:
        """The digest and :meth:`text`: the forged ``SecureParameters``, or ``None``. Raises as :meth:`text`."""
        text = self.text(encoding)
        return None if text is None else self.digest_hex + text


def forge(secure_parameters: str, appended: str, key_length: int) -> Forgery:
    """Extend a SHA-512 ``SecureParameters`` string by ``appended`` for a guessed key length (bytes).

    Raises :class:`InvalidArgument` when it does not start with 128 hex digits, for text with no UTF-8 form, or as
    :func:`~conformance.audit.sha512_extension.extend` does (``appended`` over its bound, a bad ``key_length``)."""
    secure_parameters = _secure_parameters(secure_parameters)
    appended_bytes = encode_utf8(appended, "appended")
    digest, original = secure_parameters[:HASH_HEX_LENGTH], secure_parameters[HASH_HEX_LENGTH:]
    original_bytes = encode_utf8(original, "secure_parameters")
    new_digest, glue = extend(digest.lower(), key_length, original_bytes, appended_bytes)
    return Forgery(original, appended, key_length, new_digest.upper(), glue)


def nearest_utf8_texts(forgery: Forgery) -> dict[str, str]:
    """What a UTF-8 server could make of the forged bytes instead: U+FFFD for 0x80 (lenient decoding), a
    surrogate escape (Python's ``surrogateescape``), or each byte as the code point of the same value (Latin-1).
    Raises :class:`InvalidArgument` for what is not a :class:`Forgery`."""
    data = require_instance(forgery, "forgery", Forgery).data_bytes
    return {
        "U+FFFD replacement": data.decode("utf-8", "replace"),
        "surrogate escape": data.decode("utf-8", "surrogateescape"),
        "byte as code point": data.decode("latin-1"),
    }


@dataclass(frozen=True)
class ServerAnswer:
    """What the validator model did with one launch: accepted (with the parameters it took), or its reason path."""

    accepted: bool
    reason: str
    parameters: tuple[tuple[str, str], ...] = ()


def model_launch(
    secure_parameters: str, hashing_key: str, *, encoding: Encoding, at_ms: int, request_type: str = "chat"
) -> ServerAnswer:
    """One launch on a fresh validator model whose server turns text into bytes with ``encoding``.

    ``utf-8`` is :class:`BoldChatValidator` itself. ``latin-1`` checks the hash over the Latin-1 bytes of key and
    data (text outside Latin-1 is ``ErrorValidatingChat/ParameterError``), then applies the model's own rules (Type,
    Expiration, repeated control fields, ChatKey) by handing it the same data re-hashed the model's way. Raises
    :class:`InvalidArgument` for an encoding not in :data:`ENCODINGS`, what is not text, an ``at_ms`` that is not a
    64-bit int, or as the validator's constructor does.
    """
    encoding = _encoding(encoding)
    secure_parameters = require_str(secure_parameters, "secure_parameters")
    hashing_key = require_str(hashing_key, "hashing_key")
    at_ms = require_int(at_ms, "at_ms", minimum=INT64_MIN, maximum=INT64_MAX)
    request_type = require_str(request_type, "request_type")
    validator = BoldChatValidator(hashing_key, store=MemoryReplayStore(), clock=lambda: at_ms)
    if encoding == "latin-1":
        digest, data = secure_parameters[:HASH_HEX_LENGTH], secure_parameters[HASH_HEX_LENGTH:]
        try:
            data_bytes, key_bytes = data.encode("latin-1"), hashing_key.encode("latin-1")
        except UnicodeEncodeError:
            return ServerAnswer(False, "ErrorValidatingChat/ParameterError")
        if not _HEX128.fullmatch(digest):
            return ServerAnswer(False, "ErrorValidatingChat/MalformedHash")
        if not hmac.compare_digest(hashlib.sha512(key_bytes + data_bytes).digest(), bytes.fromhex(digest)):
            return ServerAnswer(False, "ErrorValidatingChat/HashMismatch")
        secure_parameters = secure_parameters_sha512(data, hashing_key)
    try:
        launch = validator.launch(request_type, secure_parameters)
    except DataValidationError as exc:
        return ServerAnswer(False, exc.reason_path())
    return ServerAnswer(True, "accepted", tuple(launch.parameters))


def search_key_length(
    secure_parameters: str, appended: str, hashing_key: str, *, encoding: Encoding, at_ms: int
) -> tuple[Forgery | None, int, dict[str, int]]:
    """The attacker's loop: try key lengths 1..64, one launch each, until the server accepts.

    Returns ``(the accepted forgery or None, launches sent, {reason: count})``. Guesses whose bytes no text can
    carry are not sent (reason ``inexpressible``). Raises :class:`InvalidArgument` as :func:`forge` and
    :func:`model_launch` do, or for ``secure_parameters`` over :data:`MAX_SEARCH_TEXT` or ``appended`` over
    :data:`MAX_APPENDED` characters."""
    if len(_secure_parameters(secure_parameters)) > MAX_SEARCH_TEXT:
        raise InvalidArgument(f"secure_parameters must be at most {MAX_SEARCH_TEXT} characters")
    if len(require_str(appended, "appended")) > MAX_APPENDED:
        raise InvalidArgument(f"appended must be at most {MAX_APPENDED} characters")
    encoding, hashing_key = _encoding(encoding), require_str(hashing_key, "hashing_key")
    at_ms = require_int(at_ms, "at_ms", minimum=INT64_MIN, maximum=INT64_MAX)
    reasons: dict[str, int] = {}
    sent = 0
    for length in range(1, MAX_KEY_LENGTH + 1):
        forgery = forge(secure_parameters, appended, length)
        candidate = forgery.secure_parameters(encoding)
        if candidate is None:
            reasons["inexpressible"] = reasons.get("inexpressible", 0) + 1
            continue
        sent += 1
        result = model_launch(candidate, hashing_key, encoding=encoding, at_ms=at_ms)
        reasons[result.reason] = reasons.get(result.reason, 0) + 1
        if result.accepted:
            return forgery, sent, reasons
    return None, sent, reasons


#: name -> (the brand's encoded data, what the visitor appends, when the visitor launches)
SCENARIOS: dict[str, tuple[str, str, int]] = {
    "extend-expiration": (
        f"Type=chat&Expiration={T0_MS + 10 * MINUTE_MS}&VisitName=Robert%20Smith&VisitEmail=r.smith%40gmail.com",
        f"&Expiration={T0_MS + 365 * DAY_MS}",
        T0_MS + DAY_MS,
    ),
    "inject-field": (
        f"Type=chat&Expiration={T0_MS + 10 * MINUTE_MS}&VisitName=Robert%20Smith",
        "&VisitEmail=ceo%40brand.example&DepartmentID=1",
        T0_MS + MINUTE_MS,
    ),
}


# --- BOLD-3: which construction? ------------------------------------------------------------------------------------


def hmac_secure_parameters(encoded: str, hashing_key: str) -> str:
    """The "HMAC-SHA512" reading: ``HEX(HMAC-SHA-512(key, data)) ‖ data`` (UTF-8, uppercase hex).

    Raises :class:`InvalidArgument` for non-strings or text with no UTF-8 form (a lone surrogate)."""
    data, key = encode_utf8(encoded, "encoded"), encode_utf8(hashing_key, "hashing_key")
    mac = hmac.new(key, data, hashlib.sha512).hexdigest()
    return mac.upper() + encoded


def identify_construction(secure_parameters: str, hashing_key: str) -> str | None:
    """Which construction made a known-good ``SecureParameters`` under ``hashing_key``: ``"sha512-prefix"``
    (SHA-512 of key ‖ data, the document's), ``"hmac-sha512"``, or ``None`` when neither (wrong key?). Raises
    :class:`InvalidArgument` when it does not start with 128 hex digits, or for what is not text."""
    secure_parameters = _secure_parameters(secure_parameters)
    digest, data = bytes.fromhex(secure_parameters[:HASH_HEX_LENGTH]), secure_parameters[HASH_HEX_LENGTH:]
    try:
        key, message = require_str(hashing_key, "hashing_key").encode("utf-8"), data.encode("utf-8")
    except UnicodeEncodeError:
        return None  # no UTF-8 server could have hashed it
    if hmac.compare_digest(hashlib.sha512(key + message).digest(), digest):
        return "sha512-prefix"
    if hmac.compare_digest(hmac.new(key, message, hashlib.sha512).digest(), digest):
        return "hmac-sha512"
    return None


def _openssl_hmac_sha512(key: bytes, data: bytes) -> str:
    """``openssl mac -digest SHA512 HMAC`` over ``data`` (lowercase hex). Raises :class:`ReferenceFailure`."""
    argv = ["openssl", "mac", "-digest", "SHA512", "-macopt", f"hexkey:{key.hex()}", "HMAC"]
    try:
        result = subprocess.run(argv, input=data, capture_output=True, check=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        raise ReferenceFailure(f"openssl mac failed: {type(exc).__name__}") from None
    return result.stdout.decode("ascii").strip().lower()


# --- the findings ---------------------------------------------------------------------------------------------------

BOLD_1 = Details(
    id="BOLD-1",
    flow=FLOW,
    title="Length extension on SHA-512(key ‖ data): a visitor appends parameters without the hashing key",
    severity="medium",
    severity_reasoning=(
        "The construction is broken by design (the hash of key ‖ data ‖ glue ‖ more follows from the hash of "
        "key ‖ data), but whether a server accepts the forgery depends on how it turns text into bytes: the glue "
        "holds 0x80, which no UTF-8 text encodes to. Where the server hashes Latin-1 (or raw) bytes, a visitor "
        "can add signed-looking fields (identity, routing) to their own launch: high. Unknown here, so medium."
    ),
    cwe="CWE-328",
    attacker_model="The visitor: reads their own SecureParameters in the page; no key; can send any request.",
    preconditions=[
        "The brand uses the SHA-512 method as documented (secret prefix, not HMAC).",
        "For acceptance: the server hashes the received text as Latin-1 (or raw bytes); the key length is found by "
        "trying 1..64 (one launch per guess).",
        "The appended fields must not repeat a control field (Type, Expiration, ChatKey, Unsecured): the model "
        "refuses repeats.",
    ],
    mitigation=(
        "Use HMAC-SHA-512 (BOLD-3) and compare in constant time; refuse any parameter that appears twice; refuse "
        "data that is not printable ASCII after URL-form encoding (which also rules out the glue)."
    ),
)

BOLD_3 = Details(
    id="BOLD-3",
    flow=FLOW,
    title="SHA-512 of key ‖ data or HMAC-SHA512? The documents name two incompatible constructions",
    severity="low",
    severity_reasoning=(
        "The help-center page describes the secret prefix; newer Bold360 documentation says HMAC-SHA512. The two "
        "never agree, so a brand following the other document gets every launch refused, and only the prefix form "
        "is open to BOLD-1. No direct attack."
    ),
    cwe="CWE-1068",
    attacker_model="None: an integration and documentation hazard.",
    preconditions=["A brand implementing the method from one of the two documents."],
    mitigation=(
        "Ask the vendor which construction the server checks; test with identify_construction() on a string the "
        "server's verification area accepted; prefer HMAC."
    ),
)


def _scenario(name: str, encoding: Encoding) -> tuple[dict[str, object], Forgery, int]:
    """One scenario under one encoding: the attacker's search, and the model's answer at the right key length."""
    original, appended, at_ms = SCENARIOS[name]
    genuine = secure_parameters_sha512(original, TEST_HASHING_KEY)
    found, sent, reasons = search_key_length(genuine, appended, TEST_HASHING_KEY, encoding=encoding, at_ms=at_ms)
    right = forge(genuine, appended, len(TEST_HASHING_KEY.encode("utf-8")))
    forged = right.secure_parameters(encoding)
    texts = (
        {"as forged": forged}
        if forged is not None
        else {k: right.digest_hex + t for k, t in nearest_utf8_texts(right).items()}
    )
    answers = {k: model_launch(t, TEST_HASHING_KEY, encoding=encoding, at_ms=at_ms).reason for k, t in texts.items()}
    outcome = {
        "accepted": found is not None,
        "key_length_found": found.key_length if found else None,
        "launches_sent": sent,
        "reasons": reasons,
        "at_right_key_length": answers.get("as forged", "inexpressible"),
        **({} if forged is not None else {"nearest_texts": answers}),
    }
    return outcome, right, sent


@proof("BOLD-1", FLOW, ("openssl",), BOLD_1)
def _prove_length_extension() -> Finding:
    """Forge each scenario for every key-length guess, under a UTF-8 and a Latin-1 server; check with openssl."""
    if (skipped := BOLD_1.unavailable(["openssl"])) is not None:
        return skipped
    outcomes: dict[str, dict[str, object]] = {}
    artifacts: dict[str, object] = {"test_hashing_key": TEST_HASHING_KEY}
    forgeries: list[Forgery] = []
    queries = 0
    with Stopwatch() as watch:
        for name, (original, appended, at_ms) in SCENARIOS.items():
            record: dict[str, object] = {"original": original, "appended": appended, "at_ms": at_ms}
            for encoding in ENCODINGS:
                outcomes[f"{name}/{encoding}"], right, sent = _scenario(name, encoding)
                queries += sent
                record[f"forged_{encoding}"] = right.secure_parameters(encoding)
            forgeries.append(right)
            artifacts[name] = {**record, "glue_hex": right.glue.hex(), "forged_digest": right.digest_hex}
    key = TEST_HASHING_KEY.encode("utf-8")
    digests = registry.bridge("openssl").sha512_hex_many([key + f.data_bytes for f in forgeries])
    hashes_hold = all(d.upper() == f.digest_hex for d, f in zip(digests, forgeries, strict=True))
    wins = [k for k, v in outcomes.items() if v["accepted"]]
    why = (
        f"openssl dgst confirms every forged digest is SHA-512(key ‖ data ‖ glue ‖ appended): {hashes_hold}. "
        + "; ".join(
            f"{k}: {'ACCEPTED' if v['accepted'] else 'refused'} ({v['at_right_key_length']} at the right length, "
            f"{v['launches_sent']} launches)"
            for k, v in outcomes.items()
        )
        + ". Under UTF-8 no text encodes to the glue's 0x80, so the forgery cannot be sent; the model's refusal of a "
        "repeated Expiration stops the expiry extension under either encoding."
    )
    return BOLD_1.finding(
        "proved" if hashes_hold and wins else "refuted",
        why,
        ran=[
            "secure_parameters_sha512(scenario data, TEST key): the string a visitor sees",
            "forge(string, appended, L) for L = 1..64 (sha512_extension.extend, no key)",
            "model_launch per guess: BoldChatValidator (UTF-8) and its Latin-1 variant, until accepted",
            "openssl dgst -sha512 over key ‖ forged bytes at the right length",
        ],
        references=reference_versions(["openssl", PORT]),
        figures={
            "queries": queries,
            "seconds": watch.seconds,
            "launches_per_s": rate(queries, watch.seconds),
            "outcomes": outcomes,
            "openssl_confirms_digests": hashes_hold,
        },
        artifacts=artifacts,
    )


@proof("BOLD-3", FLOW, ("openssl",), BOLD_3)
def _prove_construction() -> Finding:
    """Make one known-good string per construction with openssl, identify each, and count agreements."""
    if (skipped := BOLD_3.unavailable(["openssl"])) is not None:
        return skipped
    encoded = "Type=chat&VisitName=Robert%20Smith&VisitEmail=r.smith%40gmail.com"
    key, data = TEST_HASHING_KEY.encode("utf-8"), encoded.encode("utf-8")
    with Stopwatch() as watch:
        prefix = registry.bridge("openssl").sha512_hex(key + data).upper() + encoded
        mac = _openssl_hmac_sha512(key, data).upper() + encoded
    identified = {"sha512-prefix": identify_construction(prefix, TEST_HASHING_KEY)}
    identified["hmac-sha512"] = identify_construction(mac, TEST_HASHING_KEY)
    samples = [f"Type=chat&VisitRef={i}" for i in range(200)]
    agree = sum(
        secure_parameters_sha512(s, TEST_HASHING_KEY) == hmac_secure_parameters(s, TEST_HASHING_KEY) for s in samples
    )
    forgery = forge(mac, "&VisitEmail=ceo%40brand.example", len(key))
    extends_hmac = identify_construction(forgery.digest_hex + forgery.data_bytes.decode("latin-1"), TEST_HASHING_KEY)
    proved = identified == {"sha512-prefix": "sha512-prefix", "hmac-sha512": "hmac-sha512"} and agree == 0
    why = (
        f"openssl made one string per construction; identify_construction named them {identified}. The two agree on "
        f"{agree} of {len(samples)} inputs, so a brand following the other document fails every launch. Length "
        f"extension of the HMAC string verifies under: {extends_hmac or 'neither construction'}."
    )
    return BOLD_3.finding(
        "proved" if proved else "refuted",
        why,
        ran=[
            "openssl dgst -sha512 over key ‖ data; openssl mac -digest SHA512 HMAC",
            "identify_construction on each; both constructions on 200 inputs; forge() on the HMAC string",
        ],
        references=reference_versions(["openssl", PORT]),
        figures={
            "queries": 2,
            "openssl_seconds": watch.seconds,
            "agreements": agree,
            "samples": len(samples),
            "identified": identified,
        },
        artifacts={"test_hashing_key": TEST_HASHING_KEY, "sha512_prefix": prefix, "hmac_sha512": mac},
    )


__all__ = [
    "ENCODINGS",
    "MAX_APPENDED",
    "MAX_SEARCH_TEXT",
    "SCENARIOS",
    "TEST_HASHING_KEY",
    "Forgery",
    "ServerAnswer",
    "forge",
    "hmac_secure_parameters",
    "identify_construction",
    "model_launch",
    "nearest_utf8_texts",
    "search_key_length",
]
