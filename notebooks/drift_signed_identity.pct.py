# ---
# jupyter:
#   handoff:
#     references:
#     - node
#     - pyjwt
#     - ruby
#   jupytext:
#     notebook_metadata_filter: handoff,-jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Drift signed identities (HS256 JWT `userJwt`)
#
# Drift's developer document *Securing Drift on Your Site with Signed Identities* (devdocs.drift.com, docs/securing-drift-on-your-site-using-signed-identities): a site that calls `drift.identify` with its logged-in user's id also sends a JWT, `userJwt`, that its backend signs with the widget's signing key (HS256). 'The only required payload claim is `sub`', the user id; the document's example token has the header `{"typ":"JWT","alg":"HS256"}` and the payload `{"sub":"12345"}`. Drift refuses a token that is 'invalid/expired'.
#
# Three modes: DISABLED (tokens are not consulted), ENABLED ('in the event that a signed identity is invalid/expired, we will fall back to the unsigned identity ... does not offer any additional security') and REQUIRED (unsigned identities are not consulted). The check modelled here is REQUIRED's; ENABLED's fallback is the audit's DRIFT-1.
#
# Our reading where the document is silent: `sub` must be a JSON string (RFC 7519's StringOrURI; a numeric id is the `ClaimAsNumber` flag), and `exp` is honoured when present.
#
# This is the flow `drift_signed_identity` (vectors `vectors/drift_signed_identity.json`, `conformance run --flow drift_signed_identity`). Its ops are of the `hs256_jwt.sign` and `hs256_jwt.verify` op kinds (`conformance/kinds/jwt.py`). References: node `jsonwebtoken` (`node_ref/server.mjs`) and PyJWT (`conformance/references/pyjwt.py`), and ruby-jwt (`ruby_ref/server.rb`; where it differs from jsonwebtoken, DEVIATIONS.md says how and the vectors flag it), all reached through the implementation contract.
#

# %%
import json
from conformance import catalog, registry
from conformance.jsonlines import unwrap

FLOW = catalog.flow('drift_signed_identity')
SIGN, VERIFY = (op.name for op in FLOW.ops)
PYTHON, NODE, PYJWT = (registry.shared(name) for name in ("python", "node", "pyjwt"))  # the implementation contract
for implementation in (NODE, PYJWT):
    print(implementation.name, implementation.versions())
print(json.dumps(dict(catalog.part(VERIFY).params), indent=1))


def answers(op, args):
    """Each implementation's answer to one call: a value, or its refusal's reason path."""
    return {i.name: i.call_many([(op, args)])[0].describe()[:110] for i in (PYTHON, NODE, PYJWT) if op in i.ops()}



# %% [markdown]
# ## The document's example token
#
# Its header is written `typ` first (as PHP's firebase/php-jwt writes it); jsonwebtoken writes `alg` first. The check reads either. The document does not give the key, so only the parts can be shown.

# %%
from conformance.primitives.jwt import b64_lenient

EXAMPLE = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.22H1g2b8yxmkcEY1Fhku4AhNl-M40P5Sl_B2ktSUdv8"
for name, segment in zip(("header", "payload"), EXAMPLE.split(".")[:2]):
    print(f"{name:8} {b64_lenient(segment).decode()}")


# %% [markdown]
# ## The bytes (RFC 7520 style)
#
# jsonwebtoken writes the header `{alg, typ}` then the claims in their order, with `iat` added last. The Python port reproduces them byte for byte.

# %%
from conformance.kinds.jwt import sign_token

NOW, SECRET = 1767225600, "TEST signing key (never a real one)"
args = {"claims": {"sub": "12345"}, "secret": SECRET, "now": NOW}
parts = sign_token(catalog.part(SIGN).params, args)
for name in ("header_json", "payload_json", "signing_input", "signature"):
    print(f"{name:14} {getattr(parts, name)}")
reference = unwrap(NODE.call_many([(SIGN, args)])[0])
assert parts.token == reference
print("byte-identical to jsonwebtoken:", parts.token == reference)


# %% [markdown]
# ## The vendor's check, three implementations

# %%
verify_args = {"token": parts.token, "now": NOW, "secret": SECRET}
for name, answer in answers(VERIFY, verify_args).items():
    print(f"{name:7} {answer}")


# %% [markdown]
# ## Pitfalls integrators trip on, answered by every implementation

# %%
from conformance.kinds.jwt import _encode

def token(claims, header={"typ": "JWT", "alg": "HS256"}, secret=SECRET):
    return _encode(header, claims, secret)

cases = {
    "the document's header order": token({"sub": "12345"}),
    "sub as a number (the user's numeric id)": token({"sub": 12345}),
    "no sub": token({"id": "12345"}),
    "expired an hour ago": token({"sub": "12345", "exp": NOW - 3600}),
    "the key with its trailing newline": token({"sub": "12345"}, secret=SECRET + "\n"),
}
for comment, made in cases.items():
    print(f"{comment:40}", answers(VERIFY, {"token": made, "now": NOW, "secret": SECRET}))


# %% [markdown]
# ## The audit: DRIFT-1
#
# Without the key, a visitor sends no token, an `alg: none` token, one signed with another key, an expired one and a genuine token whose `sub` was changed. Every check refuses each; the documented ENABLED mode then identifies the visitor by the unsigned `drift.identify` id of their choice.

# %%
from conformance.audit import hs256_jwt  # registers the flows' proofs
from conformance.audit.model import PROOFS, run_proof

finding = run_proof(PROOFS['DRIFT-1'])
print(finding.id, finding.status, "-", finding.title)
print(finding.why)

