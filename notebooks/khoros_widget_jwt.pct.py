# ---
# jupyter:
#   handoff:
#     references:
#     - node
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
# # Khoros Brand Messenger widget JWT
#
# The document ("Generate the JWT") signs the widget token with node `jsonwebtoken`:
#
# ```js
# jwt.sign({scope: 'appUser', userId}, SECRET, {header: {alg: 'HS256', typ: 'JWT', kid: KEY_ID}})
# ```
#
# `conformance.vendors.khoros_jwt.widget_jwt` reproduces those bytes exactly. This notebook shows the bytes, then the
# pitfalls, each checked against the live node reference (`node_ref/server.mjs`).
#
# This is the flow `khoros_widget_jwt` (vectors `vectors/khoros_widget_jwt.json`, `conformance run --flow
# khoros_widget_jwt`). The document is `shared/seeds/001_143f91f2e6ef410a.txt` (Khoros, "Secure Transfer",
# Brand Messenger edition, "Generate the JWT"). The reference that checks it is node `jsonwebtoken` (registry
# name `node`), called through the implementation contract (`registry.shared("node").call_many`), as the
# harness does. Every secret here is the document's example or a test value.

# %%
import base64, json
import jwt as pyjwt
from conformance import judge, registry
from conformance.jsonlines import unwrap
from conformance.vendors.khoros_jwt import widget_jwt, widget_jwt_parts, verify_widget_jwt

KEY_ID, SECRET, NOW = "app_5deaa3example0010cc4ba4", "BFJJ88naxexampleKpBNTR", 1763683200
NODE, PYTHON = registry.shared("node"), registry.shared("python")  # the implementation contract
print(NODE.versions())


def node_call(op, args):
    """node's value for one call; a refusal is raised with node's reason path."""
    return unwrap(NODE.call_many([(op, args)])[0])


# %% [markdown]
# ## The bytes (RFC 7520 style)

# %%
parts = widget_jwt_parts("user-123", key_id=KEY_ID, secret=SECRET, clock=lambda: NOW)
for name in ("header_json", "payload_json", "signing_input", "signature"):
    print(f"{name:14} {getattr(parts, name)}")
reference = node_call("khoros.widget_jwt.sign", {"userId": "user-123", "keyId": KEY_ID, "secret": SECRET, "now": NOW})
assert parts.token == reference
print("byte-identical to jsonwebtoken:", parts.token == reference)

# %% [markdown]
# ## Pitfall 1: PyJWT writes another header
# PyJWT puts `typ` first (`{"typ":"JWT","alg":"HS256","kid":...}`) and escapes non-ASCII; jsonwebtoken writes
# `alg, typ, kid` and raw UTF-8. Both verify, but the bytes differ, so PyJWT alone cannot be byte-identical.

# %%
import warnings
warnings.simplefilter("ignore")  # PyJWT warns that the document's example secret is short
py = pyjwt.encode({"scope": "appUser", "userId": "user-123", "iat": NOW}, SECRET, headers={"kid": KEY_ID})
print(base64.urlsafe_b64decode(py.split(".")[0] + "==").decode())
print(parts.header_json)
print("same token:", py == parts.token)

# %% [markdown]
# ## Pitfall 2: the header is encoded as Latin-1 (`Buffer.from(json, 'binary')`)
# jws encodes the *header* JSON with the `binary` encoding: the low byte of each UTF-16 code unit. A `kid` with
# `é` gives the byte `E9` (not UTF-8 `C3 A9`); `中` (U+4E2D) becomes `-` (0x2D). Such a token cannot be verified with its
# own kid, even by jsonwebtoken.

# %%
for kid in ("app_\u00e9", "app_\u4e2d"):
    p = widget_jwt_parts("u", key_id=kid, secret=SECRET, iat=NOW)
    print(repr(kid), p.header_bytes)
    token = node_call("khoros.widget_jwt.sign", {"userId": "u", "keyId": kid, "secret": SECRET, "iat": NOW, "now": NOW})
    outcome = NODE.call_many([("khoros.widget_jwt.verify", {"token": token, "keyId": kid, "secret": SECRET, "now": NOW})])[0]
    print("   node verify:", outcome.describe())

# %% [markdown]
# ## Pitfall 3: a falsy `iat` is replaced by the clock, and numbers are JavaScript numbers
# `payload.iat || Math.floor(Date.now() / 1000)`: `iat: 0` silently becomes *now*. Numbers go through doubles:
# `2**53 + 1` loses its last bit, `10**21` is written `1e+21`, a number beyond the double range becomes `null`.

# %%
for iat in (0, 2**53 + 1, 10**21, 1e-7, 10**400):
    mine = widget_jwt_parts("u", key_id="k", secret=SECRET, iat=iat, clock=lambda: NOW).payload_json
    ref = node_call("khoros.widget_jwt.sign", {"userId": "u", "keyId": "k", "secret": SECRET, "iat": iat, "now": NOW})
    ref_payload = base64.urlsafe_b64decode(ref.split(".")[1] + "==").decode()
    assert mine == ref_payload
    print(f"{iat!r:>28} -> {mine}")


# %% [markdown]
# ## Pitfall 4: what the verifier refuses
# `verify_widget_jwt` follows `jsonwebtoken.verify(token, SECRET, {algorithms: ['HS256']})` and then checks `kid`.
# `alg: none` tokens have no signature (`UnsignedToken`); any other alg is `AlgorithmNotAllowed`; a PEM given as the
# secret is `SecretIsAsymmetricKey`. Messages never contain the secret.

# %%
def b64(data): return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
payload = parts.signing_input.split(".")[1]
cases = {
    "valid": parts.token,
    "alg none": b64(b'{"alg":"none","typ":"JWT"}') + "." + payload + ".",
    "alg HS512": b64(b'{"alg":"HS512","typ":"JWT","kid":"' + KEY_ID.encode() + b'"}') + "." + payload + "." + parts.signature,
    "tampered": parts.signing_input.split(".")[0] + "." + b64(b'{"scope":"appUser","userId":"admin"}') + "." + parts.signature,
}
answers = NODE.call_many([("khoros.widget_jwt.verify", {"token": t, "keyId": KEY_ID, "secret": SECRET, "now": NOW}) for t in cases.values()])
for (name, token), answer in zip(cases.items(), answers):
    try:
        mine = f"value {verify_widget_jwt(token, key_id=KEY_ID, secret=SECRET, now=NOW)}"
    except Exception as exc:
        mine = f"error {exc.reason_path()}: {exc}"
    print(f"{name:10} python: {mine}\n{'':10} node:   {answer.describe()}")
ours = PYTHON.call_many([("khoros.widget_jwt.verify", {"token": t, "keyId": KEY_ID, "secret": SECRET, "now": NOW}) for t in cases.values()])
assert all(judge.same(mine, theirs) for mine, theirs in zip(ours, answers))

# %% [markdown]
# ## Every vector, Python and node
#
# `vectors/khoros_widget_jwt.json` records what `jsonwebtoken` answered for every input the suite pins down (made by
# `vectors/generators/khoros_widget_jwt.py`). `conformance.runner.run` sends each vector to both through the contract,
# judges every answer and runs the round trip (each one signs, each one verifies); the record shows itself.

# %%
from conformance import catalog, runner
from conformance.paths import vectors_dir
from conformance.vectors import iter_cases
from conformance.report.notebook import show

flow = catalog.flow('khoros_widget_jwt')
path = vectors_dir() / flow.vector_file
record = runner.run(list(iter_cases(path)), [PYTHON, NODE], vector_files=[path], progress=False)
assert record.gate_passes(), list(record.failing())[:5]
show(record)
