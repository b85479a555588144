"""The email-HMAC family's vendor-specific weaknesses, proved against the live references (TEST secrets only).

* ``CRISP-1``: Crisp's verified badge binds an email, not a session: the verifier's only inputs are the secret, the
  email and the signature, so a (email, signature) pair lifted from one page verifies in any chatbox, forever.
* ``TAWKTO-1``: tawk.to's help article computes the hash in the page with Crypto.js, so the page carries the
  secret: a visitor reads it from the page source and signs any other user id, which the check accepts.
* ``CHATWOOT-1``: without ``hmac_mandatory``, Chatwoot's setUser admits an identity with no ``identifier_hash`` (or an
  empty one): identity validation is advisory until the inbox enforces it.
* ``CHATWOOT-2``: Chatwoot's earlier Python sample swapped key and message; its hash is refused by the verifier, and
  an integrator who then drops the hash is admitted unverified (CHATWOOT-1).
* ``FRONT-1``: Front's documented Python line passes the secret as ``str`` to ``hmac.new``, which Python 3 refuses
  (``TypeError``); encoded, it gives the references' hash.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from conformance import catalog, registry
from conformance.arguments import require_str
from conformance.audit.evidence import Details, Stopwatch, accepted, answer, call_many, reference_versions
from conformance.audit.hmac_hex import shown
from conformance.audit.model import Finding, proof
from conformance.errors import ReferenceFailure

FLOW = "email_hmac"
REFERENCES = catalog.flow(FLOW).references
TEST_SECRET = "email_hmac audit TEST secret"


def _ops(vendor: str) -> dict[str, Any]:
    """The ops of one vendor (by the name prefix ``email_hmac.<vendor>``): ``sign`` and its verifiers by mode."""
    found: dict[str, Any] = {"verify": {}}
    for op in catalog.flow(FLOW).ops:
        if op.name.split(".")[1] != vendor:
            continue
        if op.kind == "hmac_hex.sign":
            found["sign"] = op
        else:
            found["verify"][op.params["unsigned"]] = op
    return found


def _everywhere(calls: list[tuple[str, Mapping[str, Any]]]) -> dict[str, list[str]]:
    """Each reference's answers to ``calls``."""
    return {name: [shown(o) for o in call_many(name, calls)] for name in REFERENCES}


def _agree(answers: dict[str, list[str]], expected: list[str]) -> bool:
    return all(shown == expected for shown in answers.values())


CRISP_1 = Details(
    id="CRISP-1",
    flow=FLOW,
    title="Crisp: the verified-email badge binds an email, not a session: a lifted signature verifies anywhere",
    severity="medium",
    severity_reasoning=(
        "The badge tells agents an email is verified. The signature is HMAC(secret, email) and nothing else, so "
        "whoever saw one (email, signature) pair sets it in their own chatbox and shows the badge as that user; "
        "Crisp's page says so itself: identity verification does not bind the session to the user."
    ),
    cwe="CWE-294",
    attacker_model="Someone who saw a user's email and signature once (page source, a shared machine, a log).",
    preconditions=["Agents treat the green badge as proof of identity for account changes."],
    mitigation=(
        "Agents: never treat the badge as authentication for account changes. Brands: use Crisp's session "
        "continuity (tokens per user), serve the signature only on authenticated pages."
    ),
)


@proof("CRISP-1", FLOW, REFERENCES, CRISP_1)
def _prove_crisp_badge() -> Finding:
    """The verifier's argument schema has no session, time or nonce; a pair made once verifies in every reference."""
    if (skipped := CRISP_1.unavailable(REFERENCES)) is not None:
        return skipped
    ops = _ops("crisp")
    verify = ops["verify"]["refuse"]
    presented = verify.params["presented"]
    inputs = sorted(catalog.op_schema(verify.name)["properties"])
    pair = {"secret": TEST_SECRET, "email": "john@doe.name"}
    with Stopwatch() as watch:
        (made,) = call_many(REFERENCES[0], [(ops["sign"].name, pair)])
        if not accepted(made):
            raise ReferenceFailure(f"no signature made: {answer(made)}")
        lifted = {**pair, presented: made.value}
        answers = _everywhere([(verify.name, lifted), (verify.name, lifted)])
    bound = {"secret", "email", presented}
    proved = set(inputs) == bound and _agree(answers, ["true", "true"])
    why = (
        f"{verify.name} takes exactly {inputs}: nothing names a session, a time or a nonce. The signature "
        f"{REFERENCES[0]} made once for john@doe.name verifies, twice, in every reference ({answers})."
    )
    return CRISP_1.finding(
        "proved" if proved else "refuted",
        why,
        ran=[f"{ops['sign'].name} once ({REFERENCES[0]}); {verify.name} twice with the same pair in each reference"],
        references=reference_versions(REFERENCES),
        figures={"queries": 1 + 2 * len(REFERENCES), "seconds": watch.seconds},
        artifacts={"pair": lifted, "verifier_inputs": inputs},
    )


TAWKTO_1 = Details(
    id="TAWKTO-1",
    flow=FLOW,
    title="tawk.to: the help article hashes in page JavaScript, so the page hands the secret to every visitor",
    severity="critical",
    severity_reasoning=(
        "The article puts Crypto.js and a hashing function holding the secret key into the website's <head>. "
        "Any visitor reads the key from the page source and computes the hash of any user id: secure mode then "
        "authenticates nobody."
    ),
    cwe="CWE-522",
    attacker_model="Any visitor of a page that follows the article (view-source).",
    preconditions=["The brand follows the article literally and computes the hash in the browser."],
    mitigation=(
        "Compute the hash on the server (HMAC-SHA256(secret, user id)) and render only the result; rotate the "
        "secret if it was ever in a page."
    ),
)

#: The article's pattern (not its code): a page that loads an HMAC library and calls it with the property key.
_PAGE = """<head>
<script src="https://cdn.example/crypto-js/hmac-sha256.js"></script>
<script>
  function tawkHash(userId) {{
    var secretKey = "{key}";
    return CryptoJS.HmacSHA256(userId, secretKey).toString();
  }}
  Tawk_API.login({{ userId: "{user}", hash: tawkHash("{user}") }});
</script>
</head>"""
_KEY_IN_PAGE = re.compile(r'secretKey\s*=\s*"([^"]*)"')


def page(key: str, user_id: str) -> str:
    """The page a brand that follows the article serves (TEST key). Raises :class:`InvalidArgument` for what is not
    text."""
    return _PAGE.format(key=require_str(key, "key"), user=require_str(user_id, "user_id"))


@proof("TAWKTO-1", FLOW, REFERENCES, TAWKTO_1)
def _prove_tawkto_secret_in_page() -> Finding:
    """From the page text alone: read the key, hash a victim's user id with it, and every reference accepts."""
    if (skipped := TAWKTO_1.unavailable(REFERENCES)) is not None:
        return skipped
    ops = _ops("tawkto")
    verify = ops["verify"]["refuse"]
    served = page(TEST_SECRET, "visitor-7")
    stolen = _KEY_IN_PAGE.search(served)
    if stolen is None:
        raise ReferenceFailure("the page holds no key")
    victim = {"userId": "victim-1"}
    with Stopwatch() as watch:
        (forged,) = call_many("node", [(ops["sign"].name, {"secret": stolen.group(1), **victim})])
        if not accepted(forged):
            raise ReferenceFailure(f"node made no hash: {answer(forged)}")
        answers = _everywhere([(verify.name, {"secret": TEST_SECRET, **victim, "hash": forged.value})])
    proved = stolen.group(1) == TEST_SECRET and _agree(answers, ["true"])
    why = (
        f"The served page holds the key ({len(stolen.group(1))} characters, read with one regular expression). "
        f"node's createHmac with it hashed the victim's user id; {verify.name} answered {answers}."
    )
    return TAWKTO_1.finding(
        "proved" if proved else "refuted",
        why,
        ran=[
            "render the article's pattern with the TEST key; read the key back from the page text",
            f"{ops['sign'].name} (node) for another user id with the read key; {verify.name} in every reference",
        ],
        references=reference_versions(REFERENCES),
        figures={"queries": 1 + len(REFERENCES), "seconds": watch.seconds},
        artifacts={"page": served, "victim": victim, "forged_hash": forged.value},
    )


CHATWOOT_1 = Details(
    id="CHATWOOT-1",
    flow=FLOW,
    title="Chatwoot: without hmac_mandatory, setUser admits an identity that carries no identifier_hash",
    severity="high",
    severity_reasoning=(
        "hmac_mandatory is off by default. Until an inbox turns it on, a visitor calls setUser with any identifier "
        "and no hash (or an empty one) and is admitted as that contact, unverified; only a wrong hash is refused."
    ),
    cwe="CWE-306",
    attacker_model="Any visitor of a page with the widget, calling window.$chatwoot.setUser from the console.",
    preconditions=["The inbox's Identity Validation is set up but 'enforce' (hmac_mandatory) is off."],
    mitigation="Turn on hmac_mandatory for every inbox whose widget identifies users.",
)


@proof("CHATWOOT-1", FLOW, REFERENCES, CHATWOOT_1)
def _prove_chatwoot_optional() -> Finding:
    """No hash and an empty hash: admitted by the optional check, refused by the mandatory one; a wrong hash is
    refused by both."""
    if (skipped := CHATWOOT_1.unavailable(REFERENCES)) is not None:
        return skipped
    ops = _ops("chatwoot")
    optional, mandatory = ops["verify"]["accept"], ops["verify"]["refuse"]
    presented = optional.params["presented"]
    identity = {"secret": TEST_SECRET, "identifier": "victim-contact-1"}
    calls = [
        (optional.name, identity),
        (optional.name, {**identity, presented: ""}),
        (optional.name, {**identity, presented: "0" * 64}),
        (mandatory.name, {**identity, presented: ""}),
        (mandatory.name, {**identity, presented: "0" * 64}),
    ]
    with Stopwatch() as watch:
        answers = _everywhere(calls)
    expected = ["true", "true", "false", "false", "false"]
    proved = _agree(answers, expected)
    why = (
        f"Every reference: {optional.name} admitted the identity with no hash and with an empty hash, refused a "
        f"wrong hash; {mandatory.name} refused the empty and the wrong hash ({answers[REFERENCES[0]]})."
    )
    return CHATWOOT_1.finding(
        "proved" if proved else "refuted",
        why,
        ran=[f"{optional.name} x3 and {mandatory.name} x2 in each reference"],
        references=reference_versions(REFERENCES),
        figures={"queries": len(calls) * len(REFERENCES), "seconds": watch.seconds},
        artifacts={"identity": identity, "answers": answers},
    )


CHATWOOT_2 = Details(
    id="CHATWOOT-2",
    flow=FLOW,
    title="Chatwoot: the earlier documented Python sample swaps key and message; its hashes are refused",
    severity="low",
    severity_reasoning=(
        "The sample gave hmac.new(identifier, token): every hash it makes is wrong. Integrators who copied it see "
        "validation fail and, with hmac_mandatory off, can 'fix' it by dropping the hash (CHATWOOT-1)."
    ),
    cwe="CWE-1068",
    attacker_model="None: a documentation defect that pushes integrators towards unverified identities.",
    preconditions=["An integration that copied the sample before the page was corrected."],
    mitigation="hmac.new(token.encode(), identifier.encode(), hashlib.sha256).hexdigest(): key first.",
)


@proof("CHATWOOT-2", FLOW, REFERENCES, CHATWOOT_2)
def _prove_chatwoot_swapped_sample() -> Finding:
    """The sample's hash (key and message swapped) against the mandatory check, beside the corrected one."""
    if (skipped := CHATWOOT_2.unavailable(REFERENCES)) is not None:
        return skipped
    ops = _ops("chatwoot")
    mandatory = ops["verify"]["refuse"]
    presented = mandatory.params["presented"]
    token, identifier = "webwidget.hmac_token", "identifier"  # the sample's own placeholders
    sample = registry.bridge("python-hmac").documented_snippet(
        identifier.encode("utf-8"), token
    )  # hmac.new(identifier, token)
    correct = registry.bridge("python-hmac").documented_snippet(token.encode("utf-8"), identifier)
    args = {"secret": token, "identifier": identifier}
    with Stopwatch() as watch:
        answers = _everywhere(
            [(mandatory.name, {**args, presented: sample}), (mandatory.name, {**args, presented: correct})]
        )
    proved = _agree(answers, ["false", "true"])
    why = f"{mandatory.name}: the sample's hash answered, the corrected one answered, per reference: {answers}."
    return CHATWOOT_2.finding(
        "proved" if proved else "refuted",
        why,
        ran=["Python hmac with the sample's argument order and with the corrected one", f"{mandatory.name} on both"],
        references=reference_versions(REFERENCES),
        figures={"queries": 2 * len(REFERENCES), "seconds": watch.seconds},
        artifacts={"sample_hash": sample, "correct_hash": correct},
    )


FRONT_1 = Details(
    id="FRONT-1",
    flow=FLOW,
    title="Front: the documented Python snippet passes the secret as str to hmac.new, which Python 3 refuses",
    severity="info",
    severity_reasoning=(
        "Not exploitable: the snippet raises TypeError. Integrators then improvise the encoding, and the usual "
        "improvisations (hex-decoding the secret, str() of bytes) give hashes Front refuses."
    ),
    cwe="CWE-1068",
    attacker_model="None: a documentation defect.",
    preconditions=["Python 3 (the snippet's str key works in no supported Python)."],
    mitigation="hmac.new(secret.encode('utf-8'), msg=email.encode('utf-8'), digestmod=hashlib.sha256).hexdigest()",
)


@proof("FRONT-1", FLOW, REFERENCES, FRONT_1)
def _prove_front_python_snippet() -> Finding:
    """The line as published raises TypeError; with the secret encoded it equals every reference's userHash."""
    if (skipped := FRONT_1.unavailable(REFERENCES)) is not None:
        return skipped
    email = "jane@example.com"
    try:
        registry.bridge("python-hmac").documented_snippet(TEST_SECRET, email)
        raised = "nothing"
    except TypeError as exc:
        raised = f"TypeError: {exc}"
    fixed = registry.bridge("python-hmac").documented_snippet(TEST_SECRET.encode("utf-8"), email)
    sign = _ops("front")["sign"].name
    with Stopwatch() as watch:
        answers = _everywhere([(sign, {"secret": TEST_SECRET, "email": email})])
    proved = raised.startswith("TypeError") and _agree(answers, [f'"{fixed}"'])
    why = f"The published line raised {raised!r}; encoded, it gives {fixed[:16]}..., and the references: {answers}."
    return FRONT_1.finding(
        "proved" if proved else "refuted",
        why,
        ran=["Front's Python line with a str secret, then with its UTF-8 bytes", f"{sign} in every reference"],
        references=reference_versions(REFERENCES),
        figures={"queries": len(REFERENCES), "seconds": watch.seconds},
        artifacts={"fixed_hash": fixed},
    )


__all__ = [
    "TEST_SECRET",
    "page",
]
