"""The Khoros Brand Messenger widget JWT, audited against node ``jsonwebtoken`` (the document's own library): JWT-1
(no ``exp``: a token never expires), JWT-2 (one token lets anyone test HS256 secrets offline) and JWT-3 (a ``kid``
beyond Latin-1 is mangled by ``jsonwebtoken.sign``).

Every secret and key id here is a TEST value drawn from a fixed seed.
"""

from __future__ import annotations

import json
import random
import string
import time
import warnings
from collections.abc import Iterator
from typing import Any

import jwt as pyjwt

from conformance.arguments import require_str
from conformance.audit import guessing
from conformance.audit.evidence import PORT, Details, answer, call_many, reference_versions
from conformance.audit.khoros_cryptor import exhaustion_plot
from conformance.audit.model import Finding, proof
from conformance.audit.segments import b64url_decode

FLOW = "khoros_widget_jwt"
SEED = "handoff-conformance audit: Khoros widget JWT TEST secret"
SIGN, VERIFY = "khoros.widget_jwt.sign", "khoros.widget_jwt.verify"
#: JWT-2's weak secret space: the prefix and 5 digits (100,000 secrets).
SECRET_PREFIX, SECRET_DIGITS = "khoros-", 5
TEN_YEARS = 10 * 365 * 86400
#: JWT-3's key ids: the low byte of U+4E2D is '-', of U+0122 a double quote; U+00E9 is Latin-1 (a control).
KIDS = {"mangled": "app_\u4e2d", "breaks the header": "app_\u0122", "Latin-1 (control)": "app_\u00e9"}

JWT_1 = Details(
    id="JWT-1",
    flow=FLOW,
    title="The document's widget JWT has no exp: jsonwebtoken accepts a ten-year-old token",
    severity="medium",
    severity_reasoning="A token that leaks once (browser storage, logs, a shared device, a proxy) identifies the "
    "user to the agents for ever; only rotating the shared secret revokes it. Shown against jsonwebtoken, the "
    "document's library; Khoros's own verifier was not available to test.",
    cwe="CWE-613",
    attacker_model="Anyone who obtained one widget JWT of a user, at any time in the past.",
    preconditions=["a leaked token", "the verifier applies no maxAge of its own"],
    mitigation="Sign with expiresIn (minutes) so jsonwebtoken checks exp, and verify with maxAge; mint a token per "
    "page load; rotate the secret if tokens may have leaked.",
)
JWT_2 = Details(
    id="JWT-2",
    flow=FLOW,
    title="One widget JWT lets anyone test HS256 secrets offline",
    severity="low",
    severity_reasoning="The token is the HMAC of public data, so each guess costs one HMAC-SHA256 and no request. "
    "The document's example SECRET (22 letters and digits) is far out of reach; a short or patterned secret falls "
    "in seconds, and then the attacker mints tokens for any userId.",
    cwe="CWE-326",
    attacker_model="Anyone who sees one widget JWT (every user receives their own in the page).",
    preconditions=["the secret has less entropy than the attacker's budget"],
    mitigation="A random secret of at least 256 bits from Khoros, never a chosen word; keep it server-side; "
    "rotate it on suspicion.",
)
JWT_3 = Details(
    id="JWT-3",
    flow=FLOW,
    title="jsonwebtoken.sign mangles a kid beyond Latin-1: the kid changes, or the header stops being JSON",
    severity="info",
    severity_reasoning="jws writes the header with Buffer.from(json, 'binary'), one byte per UTF-16 unit: above "
    "U+00FF only the low byte survives. Khoros issues ASCII key ids (app_...), so this is an interoperability trap "
    "for other key ids, not an attack: a mangled kid names another key, and a low byte of '\"', '\\' or a control "
    "character makes a header that jsonwebtoken itself refuses.",
    cwe="CWE-176",
    attacker_model="None: a brand (or a library port) that uses a key id outside Latin-1.",
    preconditions=["a kid with a character above U+00FF"],
    mitigation="Keep key ids ASCII (as Khoros issues them); a port must reproduce the byte mangling or refuse "
    "such ids rather than sign a different header.",
)


def test_identity() -> tuple[str, str]:
    """The TEST ``(keyId, secret)``: shaped like the document's (app_ + hex; 22 letters and digits), seeded."""
    rng = random.Random(SEED)
    key_id = "app_" + rng.randbytes(12).hex()
    secret = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(22))
    return key_id, secret


def _weak_secret() -> str:
    """JWT-2's TEST secret: :data:`SECRET_PREFIX` and digits drawn from :data:`SEED`."""
    return f"{SECRET_PREFIX}{random.Random(SEED + ' weak').randrange(10**SECRET_DIGITS):0{SECRET_DIGITS}d}"


def _secret_space() -> Iterator[bytes]:
    """Every candidate of JWT-2's weak space, as UTF-8 bytes."""
    template = SECRET_PREFIX.encode() + b"%0" + str(SECRET_DIGITS).encode() + b"d"
    return (template % n for n in range(10**SECRET_DIGITS))


def _header_bytes(token: str) -> bytes:
    """The raw bytes of a JWT's header segment. Raises :class:`MalformedToken` when it is not base64url."""
    return b64url_decode(require_str(token, "token").split(".", maxsplit=1)[0], "the token's header")


def _node() -> dict[str, dict[str, str]]:
    return reference_versions(["node"])


@proof("JWT-1", FLOW, ("node",), details=JWT_1)
def _prove_no_expiry() -> Finding:
    """Sign the document's token dated ten years ago, verify it now; a control token with a past exp."""
    if (skipped := JWT_1.unavailable(["node"])) is not None:
        return skipped
    key_id, secret = test_identity()
    now = int(time.time())
    issued = now - TEN_YEARS
    (signed,) = call_many(
        "node", [(SIGN, {"userId": "customer-1842", "keyId": key_id, "secret": secret, "iat": issued})]
    )
    with warnings.catch_warnings():  # PyJWT warns about a 22-byte HMAC key: the document's secret is that long
        warnings.simplefilter("ignore")
        control = pyjwt.encode(
            {"scope": "appUser", "userId": "customer-1842", "iat": now - 120, "exp": now - 60},
            secret,
            algorithm="HS256",
            headers={"kid": key_id},
        )
    old, expired = call_many(
        "node",
        [
            (VERIFY, {"token": signed.value, "keyId": key_id, "secret": secret}),
            (VERIFY, {"token": control, "keyId": key_id, "secret": secret}),
        ],
    )
    if signed.status != "value":
        status, why = "not_reproduced", f"jsonwebtoken.sign failed: {signed.describe()}"
    elif old.status == "value" and old.value.get("iat") == issued:
        status, why = (
            "proved",
            (
                f"jsonwebtoken.verify, at the real clock, accepted a token the document's jwt.sign dated "
                f"{TEN_YEARS // 86400:,} days ago (it carries no exp); a control token with an exp a minute in the past "
                f"was refused ({answer(expired)}), so adding exp is what makes tokens expire"
            ),
        )
    else:
        status, why = "refuted", f"jsonwebtoken.verify refused the old token ({answer(old)})"
    return JWT_1.finding(
        status,
        why,
        ran=[
            "node jsonwebtoken.sign({scope, userId}, TEST secret, {header: {alg, typ, kid}}) with iat = now - 10 years",
            "node jsonwebtoken.verify(token, TEST secret, {algorithms: ['HS256']}) at the real clock, then the kid",
            "control: PyJWT HS256 token with exp = now - 60 s, verified by node jsonwebtoken",
        ],
        references=reference_versions(["node", PORT]),
        figures={
            "token_age_days": TEN_YEARS // 86400,
            "old_token": answer(old),
            "control_with_past_exp": answer(expired),
        },
        artifacts={"token": signed.value, "keyId": key_id, "secret": secret, "iat": issued, "controlToken": control},
    )


@proof("JWT-2", FLOW, ("node",), details=JWT_2)
def _prove_offline_guessing() -> Finding:
    """Recover a weak TEST secret from one jsonwebtoken token offline, then mint a token that verifies."""
    if (skipped := JWT_2.unavailable(["node"])) is not None:
        return skipped
    key_id, _ = test_identity()
    secret = _weak_secret()
    (signed,) = call_many("node", [(SIGN, {"userId": "customer-1842", "keyId": key_id, "secret": secret})])
    if signed.status != "value":
        return JWT_2.finding("not_reproduced", f"jsonwebtoken.sign failed: {signed.describe()}")
    result = guessing.search(_secret_space(), guessing.hs256_check(signed.value))
    found = [candidate.decode() for candidate in result.found]
    minted = verified = None
    if len(found) == 1:
        (minted,) = call_many("node", [(SIGN, {"userId": "victim-0001", "keyId": key_id, "secret": found[0]})])
        (verified,) = call_many("node", [(VERIFY, {"token": minted.value, "keyId": key_id, "secret": secret})])
    space = (f"the TEST space {SECRET_PREFIX}{'N' * SECRET_DIGITS}", 10**SECRET_DIGITS)
    if found == [secret] and verified is not None and verified.status == "value":
        status, why = (
            "proved",
            (
                f"from one jsonwebtoken token, {result.tried:,} offline HMAC-SHA256 guesses ({result.seconds:.2f} s, "
                f"{result.rate:,.0f}/s in one CPython process) found the secret; a token minted with it for another "
                "userId was accepted by jsonwebtoken.verify under the real secret"
            ),
        )
    elif not found:
        status, why = "refuted", "no candidate of the space reproduced the signature"
    else:
        status, why = "not_reproduced", f"{len(found)} candidates matched; the minted token was not confirmed"
    finding = JWT_2.finding(
        status,
        why,
        ran=[
            "node jsonwebtoken.sign with a weak TEST secret: the captured token",
            f"offline, in Python: HMAC-SHA256(candidate, header.payload) for {10**SECRET_DIGITS:,} candidates",
            "node jsonwebtoken.sign(userId victim-0001, found secret); jsonwebtoken.verify under the real secret",
        ],
        references=reference_versions(["node", PORT]),
        figures={
            "guesses": result.tried,
            "seconds": round(result.seconds, 3),
            "guesses_per_second": result.rate,
            "exhaustion": guessing.exhaustion_table(result.rate),
            "rate_note": "one CPython process on this machine: a floor, compiled and GPU crackers are faster",
        },
        artifacts={"token": signed.value, "secret": secret, "mintedToken": None if minted is None else minted.value},
    )
    finding.plots = [{"title": "Time to exhaust secret spaces", "svg": exhaustion_plot("JWT-2", result.rate, space)}]
    return finding


def _header_kid(token: str) -> Any:
    """The kid as jws reads the header back (latin-1 text, JSON.parse), or why it cannot."""
    try:
        return json.loads(_header_bytes(token).decode("latin-1")).get("kid")
    except ValueError:
        return "<the header is not JSON>"


@proof("JWT-3", FLOW, ("node",), details=JWT_3)
def _prove_kid_mangling() -> Finding:
    """Sign with kids beyond Latin-1 and verify each token with jsonwebtoken: with its kid, and with the mangled one."""
    if (skipped := JWT_3.unavailable(["node"])) is not None:
        return skipped
    _, secret = test_identity()
    signed = call_many("node", [(SIGN, {"userId": "u1", "keyId": kid, "secret": secret}) for kid in KIDS.values()])
    tokens = {label: out.value for label, out in zip(KIDS, signed, strict=True) if out.status == "value"}
    if len(tokens) != len(KIDS):
        return JWT_3.finding("not_reproduced", "jsonwebtoken.sign refused a key id")
    read_back = {label: _header_kid(token) for label, token in tokens.items()}
    checks = [(VERIFY, {"token": tokens[label], "keyId": KIDS[label], "secret": secret}) for label in KIDS]
    checks.append((VERIFY, {"token": tokens["mangled"], "keyId": str(read_back["mangled"]), "secret": secret}))
    own, *_, with_mangled = answers = [answer(out) for out in call_many("node", checks)]
    verdicts = dict(zip(KIDS, answers, strict=False))
    mangled = read_back["mangled"] != KIDS["mangled"] and own == "KidMismatch" and with_mangled == "accepted"
    broken = verdicts["breaks the header"] == "MalformedToken"
    control = verdicts["Latin-1 (control)"] == "accepted"
    if (mangled or broken) and control:
        status = "proved"
        why = (
            f"jsonwebtoken.sign wrote kid {KIDS['mangled']!r} as {read_back['mangled']!r}: the signature verifies, "
            f"but the token names another key (verify with the given kid: {own}; with the mangled one: "
            f"{with_mangled}); kid {KIDS['breaks the header']!r} became a header that is not JSON, and "
            f"jsonwebtoken.verify refuses its own token ({verdicts['breaks the header']}); the Latin-1 kid "
            f"round-trips ({verdicts['Latin-1 (control)']}). So the vendor's library cannot verify its own token "
            "only when the low byte breaks the JSON; otherwise it verifies a token with a different kid"
        )
    elif not mangled and not broken and control:
        status, why = "refuted", "every kid round-tripped through jsonwebtoken.sign and verify"
    else:
        status, why = "not_reproduced", f"unexpected answers: {verdicts}, with the mangled kid: {with_mangled}"
    return JWT_3.finding(
        status,
        why,
        ran=[
            "node jsonwebtoken.sign({scope, userId}, TEST secret, {header: {alg, typ, kid}}) for each kid",
            "the header segment decoded as jws does (latin-1, JSON.parse)",
            "node jsonwebtoken.verify with the kid given to sign, and with the kid the header carries",
        ],
        references=_node(),
        figures={
            "kids": {
                label: {"given": KIDS[label], "in_header": read_back[label], "verify": verdicts[label]}
                for label in KIDS
            },
            "verify_with_header_kid": with_mangled,
        },
        artifacts={"secret": secret, "tokens": tokens},
    )


__all__ = [
    "JWT_1",
    "JWT_2",
    "JWT_3",
    "KIDS",
    "test_identity",
]
