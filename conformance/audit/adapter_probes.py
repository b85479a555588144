"""Probes for a user's own implementation (``conformance audit --adapter``): does it accept ``alg: none``, a wrong
``kid``, the ECDSA twin ``(r, n - s)`` or a tampered token, and does its decrypt tell a padding failure from a JSON
failure (a padding oracle)?

:func:`probe` runs only the probes whose op the implementation declares and returns one
:class:`~conformance.audit.model.Finding` per (probe, op), with id ``ADAPTER:<name>:<probe>:<op>``:

* ``khoros.widget_jwt.verify``: ``alg-none``, ``wrong-kid``, ``tampered-token``;
* ``talkative.verify``: ``alg-none``, ``ecdsa-twin``, ``tampered-token``;
* ``khoros.payload.decrypt`` and ``khoros.skep.decrypt``: ``padding-oracle``;
* ``thread.verify_connection_key``: the HMAC-hex verifier's probes (forged, other identity, other secret, truncated
  and empty key);
* ``boldchat.sha512.verify``, ``boldchat.validator.launch``, ``boldchat.pgp.open``: :mod:`.probes_boldchat`;
* ``khoros.cryptor.decrypt_cbc``, ``khoros.cryptor.decrypt_gcm``: :mod:`.probes_cryptor`;
* ``stream.token.verify``: ``dev-token``, ``alg-none``, ``forged-signature``, ``tampered-token``,
  ``expired-token``, ``wrong-user`` (:func:`stream_probes`);
* ``twilio.access_token.verify``: ``alg-none``, ``forged-signature``, ``tampered-token``, ``expired-token``,
  ``ttl-over-24h``, ``missing-cty`` (:func:`twilio_probes`);
* every op of a kind that declares probes (:meth:`conformance.kinds.base.Kind.probes`).

:func:`coverage` says which declared consumer ops have probes and which have none.

A probe whose genuine input the implementation refuses, or that could not run (crashed, timed out, unsupported),
is ``not_reproduced`` with the reason; an implementation that does not start gives one ``not_reproduced`` finding,
``ADAPTER:<name>:unavailable``. Every key here is a TEST key.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from conformance import catalog
from conformance.arguments import require_instance, require_str, require_strings
from conformance.audit import talkative as talk
from conformance.audit.evidence import Stopwatch, accepted, answer
from conformance.audit.model import Finding, Severity, Status
from conformance.audit.segments import b64url_json, token_parts
from conformance.codecs import encode_base64_url_safe as _b64url
from conformance.contract import Implementation
from conformance.errors import UsageError
from conformance.kinds import ProbeSet
from conformance.outcome import Outcome
from conformance.primitives import jwt as prim
from conformance.vendors import stream_chat, talkative
from conformance.vendors import twilio_access_token as twilio
from conformance.vendors.khoros import SymmetricKeyEncryptionProvider
from conformance.vendors.khoros_jwt import widget_jwt

JWT_OP, TALKATIVE_OP = "khoros.widget_jwt.verify", "talkative.verify"
PAYLOAD_OP, SKEP_OP = "khoros.payload.decrypt", "khoros.skep.decrypt"
STREAM_OP, TWILIO_OP = "stream.token.verify", "twilio.access_token.verify"
#: TEST values only.
JWT_SECRET, JWT_KID, JWT_NOW = "ADAPTER probe TEST secret", "probe-kid", 1_767_225_600
AES_KEY_B64 = base64.b64encode(bytes(range(32))).decode("ascii")
IV_B64 = base64.b64encode(bytes(range(100, 116))).decode("ascii")
SDK_SECRET, SDK_NOW = "ADAPTER probe TEST API secret, 40 bytes.", 1_767_225_600
TWILIO_ACCOUNT, TWILIO_KEY = "AC" + "0" * 31 + "1", "SK" + "0" * 31 + "1"

_META: dict[str, tuple[str, Severity, str, str, str]] = {
    # probe -> (title, severity, cwe, why the severity, mitigation)
    "alg-none": (
        "Accepts an unsigned token (alg: none)",
        "critical",
        "CWE-347",
        "Anyone can mint a token for any user without a key.",
        "Pin the algorithm (HS256 / ES256) and refuse every other alg, none first.",
    ),
    "wrong-kid": (
        "Accepts a token whose kid is not the expected key id",
        "medium",
        "CWE-345",
        "A token minted for one key id (another app, a retired key) is taken for this one.",
        "Compare the header's kid with the expected key id and pick the secret by kid, never the token's alg.",
    ),
    "ecdsa-twin": (
        "Accepts the ECDSA twin (r, n - s) of a valid token",
        "low",
        "CWE-347",
        "The twin carries the same data; it only defeats replay caches keyed on the token text.",
        "Key replay caches on the verified payload, or refuse high-S signatures (s > n/2).",
    ),
    "tampered-token": (
        "Accepts a token whose payload was changed after signing",
        "critical",
        "CWE-347",
        "The signature is not checked: any claim can be changed.",
        "Verify the signature over header.payload before reading either.",
    ),
    "padding-oracle": (
        "Decrypt tells a padding failure from a JSON failure (a padding oracle)",
        "high",
        "CWE-209",
        "With an IV it controls, an attacker decrypts any payload byte by byte, about 128 queries per byte.",
        "Authenticate before decrypting (AES-GCM, or encrypt-then-MAC) and answer every failure identically.",
    ),
    "dev-token": (
        "Accepts a development token (signature 'devtoken') with auth checks on",
        "critical",
        "CWE-287",
        "A development token needs no secret: anyone writes one for any user id and connects as that user.",
        "Refuse a token whose signature is 'devtoken' unless the app's auth checks are off (development only).",
    ),
    "forged-signature": (
        "Accepts a token signed with another secret",
        "critical",
        "CWE-347",
        "The HMAC is not checked against the app's own secret: anyone with any secret signs for any user.",
        "Verify HS256 over header.payload under the app's secret (API secret, API key secret), in constant time.",
    ),
    "expired-token": (
        "Accepts a token whose exp has passed",
        "high",
        "CWE-613",
        "A token leaked once (a log, a page, a device) stays usable after its lifetime.",
        "Refuse a token at or after its exp.",
    ),
    "wrong-user": (
        "Accepts another user's valid token for the connecting user",
        "high",
        "CWE-639",
        "Any user's token connects as any other user: the user_id it carries is not compared with the user's.",
        "Compare the token's user_id with the connecting user's id, exactly.",
    ),
    "ttl-over-24h": (
        "Accepts an Access Token valid for more than 24 hours",
        "medium",
        "CWE-613",
        "Twilio refuses tokens over its 24-hour maximum; a verifier that takes them lets a leaked token live longer.",
        "Refuse a token whose exp is more than 86,400 s after its nbf (or iat).",
    ),
    "missing-cty": (
        "Accepts an Access Token without cty twilio-fpa;v=1",
        "low",
        "CWE-345",
        "Another JWT signed with the same secret is taken for an Access Token (token confusion).",
        "Require the header's cty to be twilio-fpa;v=1.",
    ),
}
_FLOWS = {JWT_OP: "khoros_widget_jwt", TALKATIVE_OP: "talkative_signed_data", PAYLOAD_OP: "khoros_secure_transfer"}


def _tamper(token: str, change: Mapping[str, Any] | None = None) -> str:
    """The token with its payload changed (an object: keys updated; an array: the first entry's ``data``), the
    header and signature kept. Raises :class:`MalformedToken` for anything but a compact JWS with a JSON payload."""
    head, payload, signature = token_parts(token)
    claims = b64url_json(payload, "the token's payload")
    if isinstance(claims, dict):
        claims.update(change or {"userId": "admin"})
    elif claims:
        claims[0]["data"] = "attacker@example.com"
    body = json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return f"{head}.{_b64url(body)}.{signature}"


def jwt_probe_tokens() -> dict[str, str]:
    """The widget-JWT inputs: a genuine token, then the three that a verifier must refuse."""
    genuine = widget_jwt("user-1", key_id=JWT_KID, secret=JWT_SECRET, iat=JWT_NOW - 60)
    head = _b64url(json.dumps({"alg": "none", "typ": "JWT", "kid": JWT_KID}, separators=(",", ":")).encode())
    return {
        "genuine": genuine,
        "alg-none": f"{head}.{genuine.split('.')[1]}.",
        "wrong-kid": widget_jwt("user-1", key_id="another-kid", secret=JWT_SECRET, iat=JWT_NOW - 60),
        "tampered-token": _tamper(genuine),
    }


def talkative_probe_tokens() -> dict[str, str]:
    """The Talkative inputs: a genuine token, then alg none, its ECDSA twin and a tampered copy."""
    genuine = talkative.sign_interaction_data(talk.FIELDS, talk.TEST_PRIVATE_KEY_PEM)
    return {
        "genuine": genuine,
        "alg-none": talk.unsecured_token(talk.FIELDS),
        "ecdsa-twin": talk.twin(genuine),
        "tampered-token": _tamper(genuine),
    }


def _unsigned(header: Mapping[str, Any], token: str) -> str:
    head = _b64url(json.dumps({**header, "alg": "none"}, separators=(",", ":")).encode())
    return f"{head}.{token.split('.')[1]}."


def _resigned(token: str, secret: str, header: Mapping[str, Any]) -> str:
    """The token's payload under ``header``, signed HS256 with ``secret``."""
    head = _b64url(json.dumps(dict(header), separators=(",", ":")).encode())
    signing_input = f"{head}.{token.split('.')[1]}"
    return f"{signing_input}.{prim.hs256(signing_input, secret.encode())}"


def stream_probes() -> ProbeSet:
    """The Stream user-token inputs: a genuine token (the node SDK's layout, exp in an hour) checked with auth checks
    on, then the tokens a verifier must refuse."""
    genuine = stream_chat.create_token(SDK_SECRET, "user-1", exp=SDK_NOW + 3600, sdk="node")
    base = {"secret": SDK_SECRET, "now": SDK_NOW, "userId": "user-1", "authChecks": True}
    attacks = {
        "dev-token": {**base, "token": stream_chat.dev_token("user-1")},
        "alg-none": {**base, "token": _unsigned({"alg": "HS256", "typ": "JWT"}, genuine)},
        "forged-signature": {**base, "token": stream_chat.create_token("another secret " * 3, "user-1",
                                                                         exp=SDK_NOW + 3600, sdk="node")},
        "tampered-token": {**base, "userId": "admin", "token": _tamper(genuine, {"user_id": "admin"})},
        "expired-token": {**base, "token": stream_chat.create_token(SDK_SECRET, "user-1", exp=SDK_NOW - 1,
                                                                      sdk="node")},
        "wrong-user": {**base, "userId": "mallory", "token": genuine},
    }  # fmt: skip
    return ProbeSet({**base, "token": genuine}, attacks, {name: _META[name] for name in attacks})


def twilio_probes() -> ProbeSet:
    """The Twilio Access Token inputs: a genuine token (the node SDK's layout, a chat grant, an hour), then the
    tokens a verifier must refuse."""
    made = {"accountSid": TWILIO_ACCOUNT, "keySid": TWILIO_KEY, "secret": SDK_SECRET, "identity": "user-1",
            "grants": [{"type": "chat", "serviceSid": "IS" + "0" * 32}]}  # fmt: skip

    def token(now: int = SDK_NOW, **changes: Any) -> str:
        return twilio.create_token({**made, **changes}, sdk="node", now=now)

    genuine = token()
    header = {"alg": "HS256", "typ": "JWT", "cty": twilio.CTY}
    base = {"secret": SDK_SECRET, "now": SDK_NOW + 1, "keySid": TWILIO_KEY, "accountSid": TWILIO_ACCOUNT}
    tokens = {
        "alg-none": _unsigned(header, genuine),
        "forged-signature": token(secret="another secret " * 3),
        "tampered-token": _tamper(genuine, {"grants": {"identity": "admin", "chat": {}}}),
        "expired-token": token(now=SDK_NOW - 7200),
        "ttl-over-24h": token(ttl=2 * twilio.MAX_TTL),
        "missing-cty": _resigned(genuine, SDK_SECRET, {"alg": "HS256", "typ": "JWT"}),
    }
    attacks = {name: {**base, "token": value} for name, value in tokens.items()}
    return ProbeSet({**base, "token": genuine}, attacks, {name: _META[name] for name in attacks})


#: The hand-written consumer ops of the SDK flows and their probe sets (kind ops bring their own).
SDK_PROBES = {STREAM_OP: stream_probes, TWILIO_OP: twilio_probes}


def padding_probe_inputs() -> dict[str, list[tuple[str, str]]]:
    """``{"genuine" | "not-json" | "bad-padding": [(ivKey, cipherText), ...]}`` under the TEST key.

    Bad padding is made the way the attacker would: the same ciphertext under an IV whose last byte is changed so
    that the last plaintext byte becomes 0x00, or 0x11 (both invalid PKCS#7 values)."""
    provider = SymmetricKeyEncryptionProvider(AES_KEY_B64, IV_B64, True)
    iv = base64.b64decode(IV_B64)
    not_json = {"not json": provider.encrypt_string("not json"), "[1, 2": provider.encrypt_string("[1, 2")}
    bad = []
    for text, cipher in not_json.items():
        pad = 16 - len(text.encode()) % 16
        for target in (0x00, 0x11):
            changed = iv[:-1] + bytes([iv[-1] ^ pad ^ target])
            bad.append((base64.b64encode(changed).decode("ascii"), cipher))
    return {
        "genuine": [(IV_B64, provider.encrypt_string('{"probe":1}'))],
        "not-json": [(IV_B64, cipher) for cipher in not_json.values()],
        "bad-padding": bad,
    }


def _shown(outcome: Outcome) -> str:
    """``value <json>`` (short) or the error's reason path."""
    if outcome.status == "value":
        return "value " + json.dumps(outcome.value)[:40]
    return outcome.reason or outcome.status


def _decrypt_call(op: str, iv_key: str, cipher: str) -> tuple[str, dict[str, Any]]:
    if op == PAYLOAD_OP:
        return op, {"ivKey": iv_key, "encryptionKey": AES_KEY_B64, "encryptedPayload": cipher}
    return op, {"secretKey": AES_KEY_B64, "ivKey": iv_key, "base64Keys": True, "cipherText": cipher}


def _finding(
    implementation: Implementation, op: str, probe_name: str, status: Status, why: str, **extra: Any
) -> Finding:
    meta = extra.pop("meta", None) or _META[probe_name]
    title, severity, cwe, reasoning, mitigation = meta
    return Finding(
        id=f"ADAPTER:{implementation.name}:{probe_name}:{op}",
        flow=_FLOWS.get(op) or catalog.flow_of(op).id,
        title=f"{implementation.name}: {title}",
        severity=severity,
        severity_reasoning=reasoning,
        cwe=cwe,
        attacker_model="Anyone who can send the implementation's verify/decrypt an input of their choosing.",
        preconditions=[f"The implementation's {op} is reachable with attacker-chosen input."],
        status=status,
        why=why,
        ran=extra.pop("ran", [f"{op} through the adapter"]),
        references={implementation.name: implementation.versions()},
        figures=extra.pop("figures", {}),
        artifacts=extra.pop("artifacts", {}),
        mitigation=mitigation,
    )


def _unavailable_finding(implementation: Implementation, problem: str) -> Finding:
    return Finding.not_reproduced(
        f"ADAPTER:{implementation.name}:unavailable",
        "adapter",
        f"the implementation is unavailable: {problem}",
        {"title": f"{implementation.name}: could not be probed"},
        ran=["the adapter's start and hello"],
    )


def _unusable(outcome: Outcome) -> str | None:
    if outcome.status in ("unsupported", "unavailable", "io"):
        return f"the implementation could not answer ({outcome.describe()})"
    return None


def _token_probes(
    implementation: Implementation, op: str, tokens: Mapping[str, str], base: Mapping[str, Any]
) -> list[Finding]:
    names = [n for n in tokens if n != "genuine"]
    with Stopwatch() as watch:
        outcomes = implementation.call_many([(op, {**base, "token": tokens[n]}) for n in ["genuine", *names]])
    genuine, rest = outcomes[0], dict(zip(names, outcomes[1:], strict=True))
    figures = {"queries": len(outcomes), "seconds": watch.seconds}
    findings = []
    for name, outcome in rest.items():
        problem = _unusable(outcome) or _unusable(genuine)
        artifacts = {"token": tokens[name], "genuine": tokens["genuine"], **{k: v for k, v in base.items()}}
        if problem is None and not accepted(genuine):
            problem = f"it refuses the genuine token ({answer(genuine)}), so its refusals say nothing"
        if problem is not None:
            status, why = "not_reproduced", problem
        else:
            status = "proved" if accepted(outcome) else "refuted"
            why = f"{op} answered {answer(outcome)} for the {name} token (the genuine token: accepted)"
        findings.append(
            _finding(implementation, op, name, status, why, figures=figures, artifacts=artifacts)  # type: ignore[arg-type]
        )
    return findings


def _padding_probe(implementation: Implementation, op: str) -> Finding:
    inputs = padding_probe_inputs()
    calls = [_decrypt_call(op, iv, cipher) for kind in inputs for iv, cipher in inputs[kind]]
    with Stopwatch() as watch:
        outcomes = implementation.call_many(calls)
    grouped: dict[str, list[Outcome]] = {}
    index = 0
    for kind, items in inputs.items():
        grouped[kind], index = outcomes[index : index + len(items)], index + len(items)
    seen = {
        kind: sorted({f"error {o.reason}" if o.status == "error" else o.status for o in group})
        for kind, group in grouped.items()
    }
    problem = next((p for o in outcomes if (p := _unusable(o))), None)
    if problem is None and not accepted(grouped["genuine"][0]):
        problem = f"it does not decrypt the genuine payload ({answer(grouped['genuine'][0])})"
    if problem is not None:
        status: Status = "not_reproduced"
        why = problem
    else:
        distinct = not set(seen["bad-padding"]) & set(seen["not-json"])
        status = "proved" if distinct else "refuted"
        why = (
            f"{op} answered {sorted({_shown(o) for o in grouped['bad-padding']})} for bad padding and "
            f"{sorted({_shown(o) for o in grouped['not-json']})} for well-padded text that is not JSON: "
            + ("distinguishable, a padding oracle" if distinct else "the same answer, no padding oracle")
            + (
                ". (skep.decrypt is the raw primitive: its BadPadding error is an oracle wherever it reaches a client)"
                if op == SKEP_OP and distinct
                else ""
            )
        )
    return _finding(
        implementation,
        op,
        "padding-oracle",
        status,
        why,
        ran=[f"{op}: a genuine payload, 2 well-padded non-JSON payloads, 4 IV-modified bad-padding payloads"],
        figures={"queries": len(calls), "seconds": watch.seconds, "answers": seen},
        artifacts={"encryptionKey": AES_KEY_B64, "inputs": inputs},
    )


def _kind_probes(implementation: Implementation, op: str, probes: ProbeSet) -> list[Finding]:
    """The probes of a :class:`ProbeSet` (an op kind's, or an SDK flow's): its genuine input must be accepted for a
    refusal to say anything."""
    names = list(probes.attacks)
    with Stopwatch() as watch:
        outcomes = implementation.call_many([(op, probes.genuine), *((op, probes.attacks[n]) for n in names)])
    genuine, decide = outcomes[0], catalog.op(op).decisions
    figures = {"queries": len(outcomes), "seconds": watch.seconds}

    def accepts(outcome: Outcome) -> bool:
        return outcome.status == "value" and all(decide(outcome.value))

    findings = []
    for name, outcome in zip(names, outcomes[1:], strict=True):
        problem = _unusable(outcome) or _unusable(genuine)
        if problem is None and not accepts(genuine):
            problem = f"it refuses the genuine input ({answer(genuine)}), so its refusals say nothing"
        if problem is not None:
            status, why = "not_reproduced", problem
        else:
            status = "proved" if accepts(outcome) else "refuted"
            said = "accepted" if accepts(outcome) else "refused" if outcome.status == "value" else answer(outcome)
            why = f"{op} answered {said} for the {name} input (the genuine input: accepted)"
        findings.append(
            _finding(
                implementation,
                op,
                name,
                status,  # type: ignore[arg-type]
                why,
                meta=probes.meta[name],
                figures=figures,
                artifacts={"input": probes.attacks[name], "genuine": probes.genuine},
            )
        )
    return findings


#: The parameters of Thread's connectionKey verifier as an HMAC-hex verifier: ``hash_equals(hash_hmac('sha256',
#: email, secret), key)``, the same attacks as every kind's HMAC-hex verifier.
THREAD_VERIFIER = {
    "message": "email",
    "fallback": "",
    "presented": "key",
    "key": "text",
    "accept": "lower",
    "unsigned": "refuse",
}
THREAD_OP = "thread.verify_connection_key"

Prober = Callable[[Implementation, str], list[Finding]]


def _probers() -> dict[str, Prober]:
    """Each consumer op that has probes, and how to run them."""
    from conformance.audit import probes_boldchat, probes_cryptor
    from conformance.kinds.hmac_hex import probe_set

    def jwt(implementation: Implementation, op: str) -> list[Finding]:
        base = {"keyId": JWT_KID, "secret": JWT_SECRET, "now": JWT_NOW}
        return _token_probes(implementation, op, jwt_probe_tokens(), base)

    def talkative_tokens(implementation: Implementation, op: str) -> list[Finding]:
        return _token_probes(implementation, op, talkative_probe_tokens(), {"publicKeyPem": talk.TEST_PUBLIC_KEY_PEM})

    def padding(implementation: Implementation, op: str) -> list[Finding]:
        return [_padding_probe(implementation, op)]

    table: dict[str, Prober] = {
        JWT_OP: jwt,
        TALKATIVE_OP: talkative_tokens,
        PAYLOAD_OP: padding,
        SKEP_OP: padding,
        THREAD_OP: lambda implementation, op: _kind_probes(implementation, op, probe_set(THREAD_VERIFIER)),
    }
    for sdk_op, make in SDK_PROBES.items():
        table[sdk_op] = lambda implementation, op, make=make: _kind_probes(implementation, op, make())
    for found in catalog.kind_parts():
        probes = found.probes()
        if probes is not None:
            table[found.op] = lambda implementation, op, probes=probes: _kind_probes(implementation, op, probes)
    table.update(_built(probes_boldchat.PROBE_SETS))
    table.update(_built(probes_cryptor.PROBE_SETS))
    return table


def _built(sets: Mapping[str, Callable[[], ProbeSet]]) -> dict[str, Prober]:
    """A prober per op of ``sets`` (op -> a probe set built when the probe runs), run as a kind's probes."""
    return {
        op: lambda implementation, op, build=build: _kind_probes(implementation, op, build())
        for op, build in sets.items()
    }


def coverage(ops: Iterable[str]) -> tuple[list[str], list[str]]:
    """Of the consumer ops among ``ops``: those with probes and those without (each sorted). An op that does not
    consume (a signer, an encoder) has nothing to probe and is in neither. Raises :class:`InvalidArgument` for what
    is not an iterable of op names."""
    ops = require_strings(ops, "ops")
    probers = _probers()
    consuming = sorted(op for op in set(ops) if (found := _declared(op)) is not None and found.consumes)
    return [op for op in consuming if op in probers], [op for op in consuming if op not in probers]


def _declared(op: str) -> catalog.Op | None:
    try:
        return catalog.op(op)
    except UsageError:
        return None


def probe(implementation: Implementation) -> list[Finding]:
    """Run every probe whose op ``implementation`` declares; one finding per probe (none for undeclared ops).

    An implementation that cannot start gives the one finding ``ADAPTER:<name>:unavailable`` (not_reproduced).
    Raises :class:`InvalidArgument` for what is not an :class:`~conformance.contract.Implementation` (one whose
    name is not text, or whose ``ops()`` are not op names)."""
    implementation = require_instance(implementation, "implementation", Implementation)
    require_str(implementation.name, "implementation.name")
    problem = implementation.unavailable()
    if problem is not None:
        return [_unavailable_finding(implementation, problem)]
    ops = require_strings(implementation.ops(), "implementation.ops()")
    probers = _probers()
    return [finding for op in sorted(set(ops)) if op in probers for finding in probers[op](implementation, op)]


def _probe_all(implementations: Sequence[Implementation]) -> list[Finding]:
    """:func:`probe` for each implementation, in order."""
    return [finding for implementation in implementations for finding in probe(implementation)]


__all__ = [
    "SDK_PROBES",
    "coverage",
    "jwt_probe_tokens",
    "padding_probe_inputs",
    "probe",
    "stream_probes",
    "talkative_probe_tokens",
    "twilio_probes",
]
