"""The ``hmac_hex`` kinds' weaknesses, proved against the live references for every flow whose ops are of them.

The proofs are derived from the catalog, as the kinds' other parts are: a flow of these kinds (Intercom identity
verification, the email-HMAC family) gets them without a module of its own.

* ``HMAC-1:<flow>``: a user hash never expires and binds nothing but the identity: it is a bearer credential. The
  hash frozen in the flow's vectors (made when they were generated) still verifies in every reference, and
  recomputing it gives the same value: no time, nonce or session goes into it.
* ``HMAC-2:<flow>``: the same hash is accepted by one of the flow's verifiers and refused by another, because they
  accept different hex spellings (Intercom: the web messenger takes uppercase hex, the iOS and Android SDKs do not).
  Only flows whose verifiers differ in ``accept`` have it.

Every secret here is a TEST secret.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from conformance import catalog
from conformance.arguments import require_instance
from conformance.audit.evidence import Details, Stopwatch, accepted, answer, call_many, reference_versions
from conformance.audit.model import Finding, proof
from conformance.catalog.model import Flow, Op
from conformance.catalog.round_trips import signer_of
from conformance.errors import ReferenceFailure
from conformance.outcome import Outcome
from conformance.paths import data_dir
from conformance.vectors import VectorCase, iter_cases

KINDS = ("hmac_hex.sign", "hmac_hex.verify")


def shown(outcome: Outcome) -> str:
    """A verifier's or signer's answer in one word: its JSON value (``true``, ``false``, a hash) or its error.
    Raises :class:`InvalidArgument` for what is not an :class:`Outcome`."""
    outcome = require_instance(outcome, "outcome", Outcome)
    return json.dumps(outcome.value) if outcome.status == "value" else (outcome.reason or outcome.status)


def _hmac_flows() -> tuple[Flow, ...]:
    """The flows with a verifier of the ``hmac_hex.verify`` kind, in catalog order."""
    return tuple(f for f in catalog.FLOWS if any(op.kind == "hmac_hex.verify" for op in f.ops))


def verifiers(flow: Flow) -> tuple[Op, ...]:
    """The ops of ``flow`` of the ``hmac_hex.verify`` kind. Raises :class:`InvalidArgument` for what is not a
    :class:`~conformance.catalog.model.Flow`."""
    return tuple(op for op in require_instance(flow, "flow", Flow).ops if op.kind == "hmac_hex.verify")


def _frozen_hash(flow: Flow) -> VectorCase:
    """The flow's first vector whose reference accepted the presented hash (a ``CorrectHash`` case)."""
    for case in iter_cases(data_dir() / flow.vector_file):
        if "CorrectHash" in case.flags and case.output is True:
            return case
    raise ReferenceFailure(f"the {flow.id} vectors hold no CorrectHash case")


def _replay_details(flow: Flow) -> Details:
    return Details(
        id=f"HMAC-1:{flow.id}",
        flow=flow.id,
        title=f"{flow.vendor}: a user hash never expires: one leaked hash impersonates its user for good",
        severity="high",
        severity_reasoning=(
            "The hash is rendered into the page beside the identity, so it reaches browser history, extensions, "
            "proxies, logs and shared machines. Whoever saw it once presents it again, today or in years; it cannot "
            "be revoked per user, only by rotating the secret for every user at once."
        ),
        cwe="CWE-294",
        attacker_model="Someone who saw one user's (identity, hash) pair once; no secret.",
        preconditions=[
            "The brand computes the hash as documented: HMAC-SHA256(secret, identity), with a long-lived secret.",
            "The vendor accepts any pair that verifies; the documented scheme has no expiry, nonce or session.",
        ],
        mitigation=(
            "Vendors: sign a short-lived token (identity, iat, exp, nonce; e.g. Intercom's messenger JWT) and honour "
            "exp. Brands meanwhile: render the hash only on authenticated pages, never cache them, rotate the secret "
            "when a hash may have leaked."
        ),
    )


def _register_replay(flow: Flow) -> None:
    details = _replay_details(flow)

    @proof(details.id, flow.id, flow.references, details)
    def prove_replay() -> Finding:
        """The frozen vector's hash still verifies in every reference, and is recomputed identical."""
        if (skipped := details.unavailable(flow.references)) is not None:
            return skipped
        case = _frozen_hash(flow)
        producer = signer_of(flow, case.op)
        presented = catalog.op(case.op).params["presented"]
        identity = {k: v for k, v in case.input.items() if k != presented}
        verdicts, recomputed = {}, {}
        with Stopwatch() as watch:
            for name in flow.references:
                verify, first, second = call_many(
                    name, [(case.op, case.input), (producer, identity), (producer, identity)]
                )
                verdicts[name] = shown(verify)
                recomputed[name] = accepted(first) and first.value == second.value == case.input[presented]
        proved = all(v == "true" for v in verdicts.values()) and all(recomputed.values())
        why = (
            f"The hash of {case.case_id} was made by {case.source.get('implementation', '?')} when the vectors were "
            f"generated; today every reference answers {sorted(set(verdicts.values()))} for it, and recomputing it "
            f"twice gives the same value in {sum(recomputed.values())} of {len(recomputed)} references: the hash "
            "takes only the identity and the secret, so it is valid for as long as the secret is."
        )
        return details.finding(
            "proved" if proved else "refuted",
            why,
            ran=[
                f"{case.op} on the frozen vector {case.case_id}, in {', '.join(flow.references)}",
                f"{producer} twice for the same identity, in each reference",
            ],
            references=reference_versions(flow.references),
            figures={"queries": 3 * len(flow.references), "seconds": watch.seconds},
            artifacts={"case": case.case_id, "input": case.input, "verdicts": verdicts},
        )


def _case_details(flow: Flow, lenient: Op, strict: Op) -> Details:
    return Details(
        id=f"HMAC-2:{flow.id}",
        flow=flow.id,
        title=f"{flow.vendor}: verifiers disagree on hex case: {lenient.name} accepts an uppercase hash that "
        f"{strict.name} refuses",
        severity="low",
        severity_reasoning=(
            "No forgery: the hash is still required. But an integration tested against the lenient verifier ships a "
            "hash the strict one refuses, so identity verification silently fails there (users are locked out, or "
            "brands turn enforcement off to make it work)."
        ),
        cwe="CWE-436",
        attacker_model="None: an interoperability failure integrators cause themselves.",
        preconditions=["The brand's server emits uppercase hex (e.g. .upper(), strtoupper, a hex library's default)."],
        mitigation="Emit lowercase hex (hexdigest(), hash_hmac, digest('hex')), as every documented snippet does.",
    )


def _register_case(flow: Flow) -> None:
    found = verifiers(flow)
    lenient = next((op for op in found if op.params["accept"] == "either-case"), None)
    strict = next((op for op in found if op.params["accept"] == "lower"), None)
    if lenient is None or strict is None:
        return
    details = _case_details(flow, lenient, strict)
    reference = flow.references[0]

    @proof(details.id, flow.id, (reference,), details)
    def prove_case() -> Finding:
        """One identity, one secret, the reference's hash in uppercase: the lenient verifier accepts, the strict one
        refuses; lowercase, both accept."""
        if (skipped := details.unavailable([reference])) is not None:
            return skipped
        sign = signer_of(flow, lenient.name)
        identity = {"secret": "HMAC-2 TEST secret", lenient.params["message"]: "1024"}
        (made,) = call_many(reference, [(sign, identity)])
        if not accepted(made):
            raise ReferenceFailure(f"{reference} made no hash: {answer(made)}")
        upper, lower = str(made.value).upper(), str(made.value)
        calls = [
            (op.name, {**identity, op.params["presented"]: value})
            for op in (lenient, strict)
            for value in (upper, lower)
        ]
        outcomes = call_many(reference, calls)
        answers = [shown(o) for o in outcomes]
        proved = [o.value for o in outcomes] == [True, True, False, True]
        why = (
            f"{reference}: {lenient.name} answered {answers[0]} for the uppercase hash and {answers[1]} for lowercase; "
            f"{strict.name} answered {answers[2]} and {answers[3]}."
        )
        return details.finding(
            "proved" if proved else "refuted",
            why,
            ran=[f"{sign} once, then both verifiers on the hash in upper and lower case ({reference})"],
            references=reference_versions([reference]),
            figures={"queries": 5},
            artifacts={"input": identity, "hash": lower},
        )


_REGISTRARS: tuple[Callable[[Flow], None], ...] = (_register_replay, _register_case)
for _flow in _hmac_flows():
    for _register in _REGISTRARS:
        _register(_flow)

__all__ = ["shown", "verifiers"]
