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
# # Intercom Messenger security: the intercom_user_jwt (HS256)
#
# Intercom's help articles 10589769 (*Authenticating users in the Messenger with JSON Web Tokens*) and 10807823 (*Migrating from identity verification to Messenger security with JWTs*), and developers.intercom.com *Secure your Messenger*: the brand's server signs a JWT with the Messenger API secret from the security settings, with the user's `user_id` and optional attributes, and sets it as `intercom_user_jwt`. JWTs 'support expiry' where the older user_hash did not: `exp` is the brand's choice ('if you set an expiry'). The documents' node example is `jwt.sign({user_id: '123', email, phone}, '<API_SECRET>', {expiresIn: '1h'})`.
#
# This is the flow `intercom_messenger_jwt` (vectors `vectors/intercom_messenger_jwt.json`, `conformance run --flow intercom_messenger_jwt`). Its ops are of the `hs256_jwt.sign` and `hs256_jwt.verify` op kinds (`conformance/kinds/jwt.py`): the brand's `jwt.sign` and the vendor's check as documented, written once and parameterised here. References: node `jsonwebtoken` (`node_ref/server.mjs`) and PyJWT (`conformance/references/pyjwt.py`), and ruby-jwt (`ruby_ref/server.rb`; where it differs from jsonwebtoken, DEVIATIONS.md says how and the vectors flag it), all reached through the implementation contract.

# %%
import json
from conformance import catalog, registry
from conformance.jsonlines import unwrap

FLOW = catalog.flow('intercom_messenger_jwt')
PYTHON, NODE, PYJWT = (registry.shared(name) for name in ("python", "node", "pyjwt"))  # the implementation contract
for implementation in (NODE, PYJWT):
    print(implementation.name, implementation.versions())
print(json.dumps(dict(catalog.part('intercom.messenger_jwt.verify').params), indent=1))


def answers(op, args):
    """Each implementation's answer to one call: a value, or its refusal's reason path."""
    return {i.name: i.call_many([(op, args)])[0].describe()[:110] for i in (PYTHON, NODE, PYJWT) if op in i.ops()}



# %% [markdown]
# ## The bytes (RFC 7520 style)
#
# jsonwebtoken writes the header `{alg, typ, kid}` then the claims in their order, with `iat` added last when the claims have none. The Python port reproduces them byte for byte.

# %%
from conformance.kinds.jwt import sign_token

NOW, SECRET = 1767225600, "TEST secret (never a real one)"
args = {"claims": {"user_id": "123", "email": "user@example.com", "exp": NOW + 3600}, "secret": SECRET, "now": NOW}
parts = sign_token(catalog.part('intercom.messenger_jwt.sign').params, args)
for name in ("header_json", "payload_json", "signing_input", "signature"):
    print(f"{name:14} {getattr(parts, name)}")
reference = unwrap(NODE.call_many([('intercom.messenger_jwt.sign', args)])[0])
assert parts.token == reference
print("byte-identical to jsonwebtoken:", parts.token == reference)


# %% [markdown]
# ## The vendor's check, three implementations

# %%
verify_args = {"token": parts.token, "now": NOW, "secret": SECRET}
for name, answer in answers('intercom.messenger_jwt.verify', verify_args).items():
    print(f"{name:7} {answer}")


# %% [markdown]
# ## PyJWT writes other bytes, which the check takes as well
#
# PyJWT sorts the header keys and escapes non-ASCII: the token differs, the claims it carries do not.

# %%
import warnings
import jwt as pyjwt

warnings.simplefilter("ignore")  # PyJWT warns that a TEST secret is short
claims = json.loads(parts.payload_json)
made = pyjwt.encode(claims, SECRET, algorithm="HS256", headers={})
print("PyJWT header:       ", pyjwt.get_unverified_header(made))
print("jsonwebtoken header:", parts.header_json)
print("same bytes:", made == parts.token)
print(answers('intercom.messenger_jwt.verify', {**verify_args, "token": made}))


# %% [markdown]
# ## Pitfalls integrators trip on, answered by every implementation

# %% [markdown]
# ### `user_id` as a number, and no `user_id`

# %%
from conformance.kinds.jwt import _encode

def token(claims, header={"alg": "HS256", "typ": "JWT"}):
    return _encode(header, claims, SECRET)

for claims in ({"user_id": 123}, {"email": "user@example.com"}, {"user_id": "123", "exp": NOW - 1}):
    print(claims, answers(FLOW.ops[1].name, {"token": token(claims), "now": NOW, "secret": SECRET}))


# %% [markdown]
# ### The wrong secret (another platform's), `alg: none`

# %%
good = token({"user_id": "123"})
print("other secret:", answers(FLOW.ops[1].name, {"token": good, "now": NOW, "secret": SECRET + "-ios"}))
unsigned = _encode({"alg": "none", "typ": "JWT"}, {"user_id": "123"}, "", "none")
print("alg none:    ", answers(FLOW.ops[1].name, {"token": unsigned, "now": NOW, "secret": SECRET}))


# %% [markdown]
# ## The audit: INTERCOM-1
#
# The brand chooses `exp`; a token without one (the Rails helper in Intercom's Salesforce article sets one, `JWT.encode({user_id})` alone would not) is valid for ever.

# %%
from conformance.audit import hs256_jwt  # registers the flows' proofs
from conformance.audit.model import PROOFS, run_proof

finding = run_proof(PROOFS['INTERCOM-1'])
print(finding.id, finding.status, "-", finding.title)
print(finding.why)

