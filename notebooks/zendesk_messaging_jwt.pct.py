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
# # Zendesk messaging end-user authentication (HS256 JWT with kid)
#
# Zendesk's documents (support.zendesk.com article 4411666638746, *Setting up user authentication for messaging*; developer.zendesk.com *Enabling authenticated visitors for messaging* and the widget-messaging web *Authentication* API, `zE('messenger', 'loginUser', jwtCallback)`) have the brand's backend sign a JWT with a signing key's shared secret (HS256) and the key's id as `kid`; an admin creates at most 10 keys. The claims: `scope: "user"` and `external_id` (required), `name`, `email`, `email_verified` (optional), `exp` (optional, honoured). The `typ: JWT` header and the 255-character limit come from the table; the stored copies of the pages read here confirm the kid, the 10 keys and the claims, not those two details.
#
# This is the flow `zendesk_messaging_jwt` (vectors `vectors/zendesk_messaging_jwt.json`, `conformance run --flow zendesk_messaging_jwt`). Its ops are of the `hs256_jwt.sign` and `hs256_jwt.verify` op kinds (`conformance/kinds/jwt.py`): the brand's `jwt.sign` and the vendor's check as documented, written once and parameterised here. References: node `jsonwebtoken` (`node_ref/server.mjs`) and PyJWT (`conformance/references/pyjwt.py`), and ruby-jwt (`ruby_ref/server.rb`; where it differs from jsonwebtoken, DEVIATIONS.md says how and the vectors flag it), all reached through the implementation contract.

# %%
import json
from conformance import catalog, registry
from conformance.jsonlines import unwrap

FLOW = catalog.flow('zendesk_messaging_jwt')
PYTHON, NODE, PYJWT = (registry.shared(name) for name in ("python", "node", "pyjwt"))  # the implementation contract
for implementation in (NODE, PYJWT):
    print(implementation.name, implementation.versions())
print(json.dumps(dict(catalog.part('zendesk.messaging_jwt.verify').params), indent=1))


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
args = {"claims": {"scope": "user", "external_id": "1234567890"}, "secret": SECRET, "keyId": "app_64f0c0ffee0000000000test", "now": NOW}
parts = sign_token(catalog.part('zendesk.messaging_jwt.sign').params, args)
for name in ("header_json", "payload_json", "signing_input", "signature"):
    print(f"{name:14} {getattr(parts, name)}")
reference = unwrap(NODE.call_many([('zendesk.messaging_jwt.sign', args)])[0])
assert parts.token == reference
print("byte-identical to jsonwebtoken:", parts.token == reference)


# %% [markdown]
# ## The vendor's check, three implementations

# %%
verify_args = {"token": parts.token, "now": NOW, "keys": [{"kid": "app_64f0c0ffee0000000000test", "secret": SECRET}]}
for name, answer in answers('zendesk.messaging_jwt.verify', verify_args).items():
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
made = pyjwt.encode(claims, SECRET, algorithm="HS256", headers={"kid": "app_64f0c0ffee0000000000test"})
print("PyJWT header:       ", pyjwt.get_unverified_header(made))
print("jsonwebtoken header:", parts.header_json)
print("same bytes:", made == parts.token)
print(answers('zendesk.messaging_jwt.verify', {**verify_args, "token": made}))


# %% [markdown]
# ## Pitfalls integrators trip on, answered by every implementation

# %% [markdown]
# ### A wrong `kid` among ten keys
# An account holds up to 10 signing keys; the `kid` picks one. A token that names key 3 but was signed with key 7's secret is refused (`BadSignature`), and a `kid` outside the set is `KidMismatch`.

# %%
from conformance.kinds.jwt import _encode

def token(claims, header={"alg": "HS256", "typ": "JWT", "kid": "app_key03"}):
    return _encode(header, claims, SECRET)

keys = [{"kid": f"app_key{i:02d}", "secret": f"TEST secret number {i}"} for i in range(10)]
claims = {"scope": "user", "external_id": "1234567890", "iat": NOW}
wrong = _encode({"alg": "HS256", "typ": "JWT", "kid": "app_key03"}, claims, keys[7]["secret"])
right = _encode({"alg": "HS256", "typ": "JWT", "kid": "app_key07"}, claims, keys[7]["secret"])
print("named 3, signed with 7:", answers(FLOW.ops[1].name, {"token": wrong, "now": NOW, "keys": keys}))
print("named 7, signed with 7:", answers(FLOW.ops[1].name, {"token": right, "now": NOW, "keys": keys}))


# %% [markdown]
# ### `external_id` as a number, or 256 characters
# The claim is a string of at most 255 characters: a JSON number is `ClaimType`, 256 characters `ClaimTooLong`.

# %%
one_key = {"keys": [{"kid": "app_key07", "secret": keys[7]["secret"]}]}
for value in (1234567890, "x" * 255, "x" * 256):
    token = _encode({"alg": "HS256", "typ": "JWT", "kid": "app_key07"}, {**claims, "external_id": value}, keys[7]["secret"])
    print(repr(value)[:14], answers(FLOW.ops[1].name, {"token": token, "now": NOW, **one_key}))


# %% [markdown]
# ### Missing `kid`, `alg: none`, a missing `typ`

# %%
for label, header, alg in (
    ("no kid", {"alg": "HS256", "typ": "JWT"}, "HS256"),
    ("alg none", {"alg": "none", "typ": "JWT", "kid": "app_key07"}, "none"),
    ("no typ", {"alg": "HS256", "kid": "app_key07"}, "HS256"),
):
    token = _encode(header, claims, keys[7]["secret"], alg)
    print(f"{label:9}", answers(FLOW.ops[1].name, {"token": token, "now": NOW, **one_key}))


# %% [markdown]
# ## The audit: ZENDESK-1 and ZENDESK-2
#
# `exp` is optional and honoured only when present, so a token signed without one never expires (ZENDESK-1). PyJWT reads an `exp` written as a numeric string, which jsonwebtoken refuses (ZENDESK-2).

# %%
from conformance.audit import hs256_jwt  # registers the flows' proofs
from conformance.audit.model import PROOFS, run_proof

finding = run_proof(PROOFS['ZENDESK-1'])
print(finding.id, finding.status, "-", finding.title)
print(finding.why)

finding = run_proof(PROOFS['ZENDESK-2'])
print(finding.id, finding.status, "-", finding.title)
print(finding.why)

