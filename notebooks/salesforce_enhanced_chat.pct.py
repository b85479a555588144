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
# # Salesforce Enhanced Chat user verification (RS256/RS512 JWT against a JWKS keyset)
#
# Salesforce Help, *Set Up Token-Based User Verification* (service.miaw_token_based_user_verification_setup) and *Troubleshooting User Verification* (service.user_verification_troubleshooting); Salesforce Developers, *User Verification in Enhanced Web Chat* (docs/service/messaging-web/guide/user-verification): the brand's server signs an identity token, a JWT 'signed using the RS256 or RS512 algorithms', and the page passes it to `embeddedservice_bootstrap.userVerificationAPI.setIdentityToken`. Salesforce verifies it with a *keyset*: a JWKS endpoint URL, or JWKs uploaded one by one, each with 'these required properties: kty, kid, alg, x5c' (x5c base64, the public certificate); the keyset names a 'JSON web key issuer' that must match 'the iss parameter value in the JWT payload'. Salesforce's own key-command-line-utility (github.com/Salesforce-Async-Messaging/key-command-line-utility, nimbus-jose-jwt) writes the header `{kid, alg}` and the claims `sub, iss, exp, iat`.
#
# Our reading where the documents are silent: the header's `kid` picks the JWK; the JWK's `alg` must be the token's; the x5c certificate must hold the JWK's own key; `exp` is required; `sub` is the identity, a string. No `aud` rule is documented: that is the audit's SALESFORCE-1.
#
# This is the flow `salesforce_enhanced_chat` (vectors `vectors/salesforce_enhanced_chat.json`, `conformance run --flow salesforce_enhanced_chat`). Its ops are of the `asym_jws.sign` and `asym_jws.verify` op kinds (`conformance/kinds/jws.py`; the RSA primitive is `conformance/primitives/rsa_jws.py`). References: node `jsonwebtoken` with node's `crypto` for the JWK and the X.509 certificate (`node_ref/server.mjs`) and PyJWT with `PyJWK` and pyca/cryptography (`conformance/references/pyjwt.py`), and ruby-jwt (`ruby_ref/server.rb`; where it differs from jsonwebtoken, DEVIATIONS.md says how and the vectors flag it), all reached through the implementation contract. The keys are the RSA TEST keys of `vectors/keys/rsa`.
#

# %%
import json
from conformance import catalog, registry
from conformance.jsonlines import unwrap
from conformance.testkeys import rsa_test_jwk, rsa_test_keys

FLOW = catalog.flow('salesforce_enhanced_chat')
SIGN, VERIFY = (op.name for op in FLOW.ops)
PYTHON, NODE, PYJWT = (registry.shared(name) for name in ("python", "node", "pyjwt"))  # the implementation contract
for implementation in (NODE, PYJWT):
    print(implementation.name, implementation.versions())
print(json.dumps(dict(catalog.part(VERIFY).params), indent=1))


def answers(op, args):
    """Each implementation's answer to one call: a value, or its refusal's reason path."""
    return {i.name: i.call_many([(op, args)])[0].describe()[:110] for i in (PYTHON, NODE, PYJWT) if op in i.ops()}



# %% [markdown]
# ## The bytes (RFC 7520 style)
#
# The utility's own example (`-kid 12345 -issuer testIssuer -subject user1 -expiry 6000 -alg RS256`), signed as a node backend would with jsonwebtoken: header `{alg, typ, kid}`, claims in their order with `iat` last. RSASSA-PKCS1-v1_5 is deterministic, so the Python port reproduces the token byte for byte.

# %%
from conformance.kinds.jws import sign_token

NOW, KID, ISSUER = 1767225600, "12345", "testIssuer"
PRIVATE = rsa_test_keys()["brand-a"]
args = {"claims": {"sub": "user1", "iss": ISSUER, "exp": NOW + 6000}, "privateKeyPem": PRIVATE, "alg": "RS256",
        "keyId": KID, "now": NOW}
parts = sign_token(catalog.part(SIGN).params, args)
for name in ("header_json", "payload_json", "signing_input"):
    print(f"{name:14} {getattr(parts, name)}")
print(f"{'signature':14} {parts.signature[:40]}... ({len(parts.signature)} characters)")
reference = unwrap(NODE.call_many([(SIGN, args)])[0])
assert parts.token == reference
print("byte-identical to jsonwebtoken:", parts.token == reference)


# %% [markdown]
# ## The keyset's JWK, as uploaded, and the vendor's check in three implementations

# %%
jwk = rsa_test_jwk("brand-a", KID)
print(json.dumps({k: (v[:24] + '...' if isinstance(v, str) and len(v) > 30 else v) for k, v in jwk.items() if k != 'x5c'}))
print("x5c[0]:", jwk["x5c"][0][:40], "...")
verify_args = {"token": parts.token, "now": NOW, "jwks": {"keys": [jwk]}, "issuer": ISSUER}
for name, answer in answers(VERIFY, verify_args).items():
    print(f"{name:7} {answer}")


# %% [markdown]
# ## Pitfalls integrators trip on, answered by every implementation

# %%
from conformance.kinds.jwt import _encode
from conformance.kinds.jws import _hs_confusion, _sign

header = {"alg": "RS256", "typ": "JWT", "kid": KID}
claims = {"sub": "user1", "iss": ISSUER, "exp": NOW + 6000, "iat": NOW}
cases = {
    "the utility's {kid, alg} header": dict(verify_args, token=_sign({"kid": KID, "alg": "RS256"}, claims, "brand-a", "RS256")),
    "the issuer with a trailing slash": dict(verify_args, issuer=ISSUER + "/"),
    "an RS512 JWK for an RS256 token": dict(verify_args, jwks={"keys": [rsa_test_jwk("brand-a", KID, "RS512")]}),
    "another key's certificate in x5c": dict(verify_args, jwks={"keys": [rsa_test_jwk("brand-a", KID, certificate="brand-b")]}),
    "the JWK without x5c": dict(verify_args, jwks={"keys": [{k: v for k, v in jwk.items() if k != "x5c"}]}),
    "kid of no key": dict(verify_args, token=_sign({**header, "kid": "54321"}, claims, "brand-a", "RS256")),
    "HS256 keyed with the public JWK": dict(verify_args, token=_hs_confusion(header, claims, jwk)),
    "alg none": dict(verify_args, token=_encode({**header, "alg": "none"}, claims, "", "none")),
    "no exp": dict(verify_args, token=_sign(header, {"sub": "user1", "iss": ISSUER}, "brand-a", "RS256")),
}
for comment, call in cases.items():
    print(f"{comment:36}", answers(VERIFY, call))


# %% [markdown]
# ## Inspect: a refused artifact, and the mistake that explains it
#
# `conformance inspect` tries the kind's known mistakes on a refused token and keyset, and keeps those the live references confirm.

# %%
from conformance.inspect import inspect_args

print(inspect_args(VERIFY, dict(verify_args, issuer=ISSUER.lower())).text())


# %% [markdown]
# ## The audit: SALESFORCE-1
#
# The check documents no audience: a JWT the brand signs with the same key and issuer for its API, or for another vendor, verifies as an Enhanced Chat identity token; and nothing bounds `exp`.

# %%
from conformance.audit import salesforce_enhanced_chat  # registers the flow's proof
from conformance.audit.model import PROOFS, run_proof

finding = run_proof(PROOFS['SALESFORCE-1'])
print(finding.id, finding.status, "-", finding.title)
print(finding.why)

