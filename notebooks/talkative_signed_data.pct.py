# ---
# jupyter:
#   handoff:
#     references:
#     - node
#     - openssl
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
# # Talkative signed interaction data
#
# The document: make a P-256 key with two openssl commands, sign the JSON **array** of `{"label", "data", "type"}`
# with ES256, serialize compactly. `conformance.vendors.talkative` does this; node `jose` is the reference.
#
# This is the flow `talkative_signed_data` (vectors `vectors/talkative_signed_data.json`, `conformance run
# --flow talkative_signed_data`). The document is `shared/seeds/003_aac60916feb0b5ff.txt` (Talkative, signed
# interaction data). The references that check it are node `jose` (registry name `node`) and the `openssl` CLI
# that the document's key commands use (`openssl`), called through the implementation contract
# (`registry.shared(name).call_many`) where Python is compared with them. Every key here is a test key.

# %%
import base64, json, tempfile
from pathlib import Path
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from conformance import judge, registry
from conformance.references import openssl
from conformance.jsonlines import unwrap
from conformance.vendors import talkative

NODE, OPENSSL, PYTHON = (registry.shared(name) for name in ("node", "openssl", "python"))  # the contract
print(NODE.versions(), OPENSSL.versions())


def node_call(op, args):
    """node's value for one call; a refusal is raised with node's reason path."""
    return unwrap(NODE.call_many([(op, args)])[0])


# %% [markdown]
# ## Keys: the document's commands, and the same shape from Python

# %%
with tempfile.TemporaryDirectory() as tmp:
    private_pem, public_pem = openssl.generate_key_files(Path(tmp))
print(private_pem.splitlines()[0], "...")
print(public_pem)
assert talkative.public_pem_from_private(private_pem) == public_pem
ours_private, ours_public = talkative.generate_signing_key()
(from_openssl,) = OPENSSL.call_many([("talkative.key.public_pem", {"privateKeyPem": ours_private})])
assert from_openssl.value == ours_public
print("Python keys are SEC1 'EC PRIVATE KEY' + SPKI 'PUBLIC KEY', as openssl writes them")

# %% [markdown]
# ## The bytes: signing input from jose, RFC 6979 signature, verified by jose

# %%
fields = [
    {"label": "INTERACTION_DATA_NAME", "data": "INTERACTION_DATA_CONTENT", "type": "string"},
    {"label": "name", "data": "Jos\u00e9 \U0001f600", "type": "string"},
]
print(talkative.interaction_json(fields))
print(talkative.signing_input(fields))
assert talkative.signing_input(fields) == node_call("talkative.signing_input", {"fields": fields})
token = talkative.sign_interaction_data(fields, ours_private)  # deterministic (RFC 6979)
print(token)
print("jose verifies:", node_call("talkative.verify", {"token": token, "publicKeyPem": ours_public}) == fields)
jose_token = node_call("talkative.sign_jose", {"fields": fields, "alg": "ES256", "keyPem": ours_private})
print("python verifies jose's token:", talkative.verify_interaction_data(jose_token, ours_public) == fields)


# %% [markdown]
# ## Pitfalls: what the verifier refuses, each with its own reason
# * a **DER** signature (what `openssl dgst -sign` and Java's `Signature` produce) is 70-72 bytes; JOSE needs raw R||S;
# * `alg: none`, and **HS256 with the public PEM as HMAC secret** (the classic key-confusion attack);
# * a wrong key and a modified payload are the same failure to any verifier: `BadSignature`.

# %%
def b64(data): return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
head, payload, sig = token.split(".")
raw = base64.urlsafe_b64decode(sig + "==")
der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
confusion = node_call("talkative.sign_jose", {"fields": fields, "alg": "HS256", "keyPem": ours_public})
other_public = talkative.generate_signing_key()[1]
# a correctly signed payload that is not the document's array
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
signing = b64(b'{"alg":"ES256"}') + "." + b64(b'{"label":"a"}')
r, s = decode_dss_signature(talkative.load_private_key(ours_private).sign(signing.encode(), ec.ECDSA(hashes.SHA256())))
not_entries = signing + "." + b64(r.to_bytes(32, "big") + s.to_bytes(32, "big"))
cases = {
    "DER signature": (f"{head}.{payload}.{b64(der)}", ours_public),
    "alg none": (b64(b'{"alg":"none"}') + f".{payload}.", ours_public),
    "HS256 + PEM": (confusion, ours_public),
    "wrong key": (token, other_public),
    "tampered": (f"{head}.{b64(b'[]')}.{sig}", ours_public),
    "truncated": (token[:-3], ours_public),
    "two parts": (f"{head}.{payload}", ours_public),
    "not entries": (not_entries, ours_public),
}
answers = NODE.call_many([("talkative.verify", {"token": t, "publicKeyPem": k}) for t, k in cases.values()])
for (name, (t, k)), answer in zip(cases.items(), answers):
    try:
        talkative.verify_interaction_data(t, k)
        mine = "accepted"
    except Exception as exc:
        mine = exc.reason_path()
    print(f"{name:14} python {mine:22} jose {answer.reason}")
ours = PYTHON.call_many([("talkative.verify", {"token": t, "publicKeyPem": k}) for t, k in cases.values()])
assert all(answer.status == "error" and judge.same(mine, answer) for mine, answer in zip(ours, answers))

# %% [markdown]
# ## Unsigned fields
# Once signing is on, unsigned data (pre-chat forms) only passes for labels on the "Unsigned fields" page; an unsigned
# entry never overrides a signed one.

# %%
policy = talkative.UnsignedFieldPolicy.allowing(["pre_chat_question"])
admitted = policy.admit(fields, [{"label": "pre_chat_question", "data": "hi", "type": "string"},
                                 {"label": "name", "data": "Mallory", "type": "string"}])
print(admitted.fields)
print("dropped:", admitted.dropped_labels)

# %% [markdown]
# ## Every vector, Python, node and OpenSSL
#
# `vectors/talkative_signed_data.json` records what `jose` (and, for the document's key command, `openssl`) answered
# for every input the suite pins down (made by `vectors/generators/talkative.py`). `conformance.runner.run` sends each
# vector to all three through the contract and judges every answer; the round trip has Python sign
# deterministically and node sign with `jose`'s randomized ECDSA, and each verifies the other's tokens. The record
# shows itself.

# %%
from conformance import catalog, runner
from conformance.paths import vectors_dir
from conformance.vectors import iter_cases
from conformance.report.notebook import show

flow = catalog.flow('talkative_signed_data')
path = vectors_dir() / flow.vector_file
record = runner.run(list(iter_cases(path)), [PYTHON, NODE, OPENSSL], vector_files=[path], progress=False)
assert record.gate_passes(), list(record.failing())[:5]
show(record)
