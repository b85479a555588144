"""The BoldChat validator model, audited: BOLD-2, a launch without ChatKey or Expiration replays indefinitely.

The model (:mod:`conformance.vendors.boldchat_validator`) enforces ChatKey (single use, durably) and Expiration when
they are present; the document only *recommends* them, and without them nothing else ties a SecureParameters
string to a time or a launch. The hashing key is a TEST key.
"""

from __future__ import annotations

from conformance.audit.boldchat_sha512 import DAY_MS, MINUTE_MS, T0_MS, TEST_HASHING_KEY
from conformance.audit.evidence import PORT, Details, Stopwatch, accepted, call, reference_versions
from conformance.audit.model import Finding, proof
from conformance.vendors.boldchat import secure_parameters_sha512

FLOW = "boldchat_validator"

BOLD_2 = Details(
    id="BOLD-2",
    flow=FLOW,
    title="A launch without ChatKey or Expiration can be replayed indefinitely",
    severity="medium",
    severity_reasoning=(
        "Both fields are only 'recommended'. Without them a captured SecureParameters string (page source, logs, "
        "a shared machine) starts validated chats as that visitor for ever, including after a server restart."
    ),
    cwe="CWE-294",
    attacker_model="Anyone who obtained one SecureParameters string; no key.",
    preconditions=["The brand omits ChatKey and Expiration (the document only recommends them)."],
    mitigation="Always send Expiration (minutes ahead) and a fresh ChatKey per launch; treat their absence as an error.",
)


@proof("BOLD-2", FLOW, (), BOLD_2)
def _prove_replay() -> Finding:
    """Launch one bare string three times (a day and a year apart, across a restart); controls with ChatKey and
    Expiration show that the model does enforce them when present."""
    bare = secure_parameters_sha512("Type=chat&VisitName=Robert%20Smith", TEST_HASHING_KEY)
    keyed = secure_parameters_sha512("Type=chat&ChatKey=session-1&VisitName=Robert%20Smith", TEST_HASHING_KEY)
    expiring = secure_parameters_sha512(f"Type=chat&Expiration={T0_MS + 10 * MINUTE_MS}", TEST_HASHING_KEY)
    launches = [
        {"type": "chat", "secureParameters": bare, "atMs": T0_MS},
        {"type": "chat", "secureParameters": bare, "atMs": T0_MS + DAY_MS},
        {"type": "chat", "secureParameters": bare, "atMs": T0_MS + 365 * DAY_MS, "restart": True},
        {"type": "chat", "secureParameters": keyed, "atMs": T0_MS},
        {"type": "chat", "secureParameters": keyed, "atMs": T0_MS + MINUTE_MS},
        {"type": "chat", "secureParameters": expiring, "atMs": T0_MS + DAY_MS},
    ]
    args = {"hashingKeys": [TEST_HASHING_KEY], "launches": launches}
    with Stopwatch() as watch:
        outcome = call(PORT, "boldchat.validator.launch", args)
    if not accepted(outcome):
        return BOLD_2.finding("not_reproduced", f"the validator model answered {outcome.describe()}")
    answers = ["accepted" if "ok" in r else r["error"]["reason"] for r in outcome.value]
    proved = answers[:3] == ["accepted"] * 3
    why = (
        f"The same bare string was {', '.join(answers[:3])} at t0, t0 + 1 day and t0 + 1 year after a restart. "
        f"Controls: with a ChatKey the second launch is {answers[4]}; with an Expiration a late launch is {answers[5]}."
    )
    return BOLD_2.finding(
        "proved" if proved else "refuted",
        why,
        ran=["boldchat.validator.launch (the model, durable SQLite ChatKey store) with six launches"],
        references=reference_versions([PORT]),
        figures={"queries": len(launches), "seconds": watch.seconds, "answers": answers},
        artifacts={"test_hashing_key": TEST_HASHING_KEY, "scenario": args},
    )


__all__: list[str] = []
