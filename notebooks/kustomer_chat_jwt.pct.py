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
# # Kustomer chat identity (HS256 JWT, iat under 15 minutes)
#
# Kustomer's developer documents (developer.kustomer.com *Customer identity*, docs/chat/identity, and the chat SDK v2.0 web page *Log in and authentication*): the brand's server signs an HS256 JWT with the chat secret holding `externalId` (or `email`) and `iat`; `Kustomer.login({jwtToken})` sends it and Kustomer 'verifies the signature and that iat is under 15 minutes old'. With both identities, 'the email address will take preference on our backend and externalId will not be used'.
#
# This is the flow `kustomer_chat_jwt` (vectors `vectors/kustomer_chat_jwt.json`, `conformance run --flow kustomer_chat_jwt`). Its ops are of the `hs256_jwt.sign` and `hs256_jwt.verify` op kinds (`conformance/kinds/jwt.py`): the brand's `jwt.sign` and the vendor's check as documented, written once and parameterised here. References: node `jsonwebtoken` (`node_ref/server.mjs`) and PyJWT (`conformance/references/pyjwt.py`), and ruby-jwt (`ruby_ref/server.rb`; where it differs from jsonwebtoken, DEVIATIONS.md says how and the vectors flag it), all reached through the implementation contract.

# %%
import json
from conformance import catalog, registry
from conformance.jsonlines import unwrap

FLOW = catalog.flow('kustomer_chat_jwt')
PYTHON, NODE, PYJWT = (registry.shared(name) for name in ("python", "node", "pyjwt"))  # the implementation contract
for implementation in (NODE, PYJWT):
    print(implementation.name, implementation.versions())
print(json.dumps(dict(catalog.part('kustomer.chat_jwt.verify').params), indent=1))


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
args = {"claims": {"externalId": "user_8412"}, "secret": SECRET, "now": NOW}
parts = sign_token(catalog.part('kustomer.chat_jwt.sign').params, args)
for name in ("header_json", "payload_json", "signing_input", "signature"):
    print(f"{name:14} {getattr(parts, name)}")
reference = unwrap(NODE.call_many([('kustomer.chat_jwt.sign', args)])[0])
assert parts.token == reference
print("byte-identical to jsonwebtoken:", parts.token == reference)


# %% [markdown]
# ## The vendor's check, three implementations

# %%
verify_args = {"token": parts.token, "now": NOW, "secret": SECRET}
for name, answer in answers('kustomer.chat_jwt.verify', verify_args).items():
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
print(answers('kustomer.chat_jwt.verify', {**verify_args, "token": made}))


# %% [markdown]
# ## Pitfalls integrators trip on, answered by every implementation

# %% [markdown]
# ### The email wins over the external id

# %%
from conformance.kinds.jwt import _encode

def token(claims, header={"alg": "HS256", "typ": "JWT"}):
    return _encode(header, claims, SECRET)

both = token({"externalId": "user_8412", "email": "customer@example.com", "iat": NOW})
print(answers(FLOW.ops[1].name, {"token": both, "now": NOW, "secret": SECRET}))


# %% [markdown]
# ### Freshness is `iat` only: the 15-minute edge, no `iat`

# %%
fresh = token({"externalId": "user_8412", "iat": NOW})
for later in (0, 899, 900):
    print(f"+{later:3} s", answers(FLOW.ops[1].name, {"token": fresh, "now": NOW + later, "secret": SECRET}))
print("no iat ", answers(FLOW.ops[1].name, {"token": token({"externalId": "user_8412"}), "now": NOW, "secret": SECRET}))


# %% [markdown]
# ## The audit: KUSTOMER-1
#
# Within the window a token replays freely, and an `iat` in the future keeps it alive until `iat + 15 min`: jsonwebtoken's `maxAge` has no future-`iat` rule, where PyJWT's defaults would refuse such a token.

# %%
from conformance.audit import hs256_jwt  # registers the flows' proofs
from conformance.audit.model import PROOFS, run_proof

finding = run_proof(PROOFS['KUSTOMER-1'])
print(finding.id, finding.status, "-", finding.title)
print(finding.why)

