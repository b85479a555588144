# ---
# jupyter:
#   handoff:
#     references:
#     - java
#     - node
#     - openssl
#     - php
#     - bc-current
#     - twilio-node
#     - stream-node
#     - pyjwt
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
# # `conformance inspect`: one broken artifact per flow, and the mistake that made it
#
# Your integration fails and you hold one artifact: a transfer link the portal rejects, a widget JWT the messenger
# refuses, a connection key that does not verify. `conformance.inspect(...)` (and `conformance inspect` on the command
# line, `docs/inspect.md`) takes that artifact and
#
# 1. asks the **live references** (the vendor's Java, node, PHP, OpenSSL, BouncyCastle, ...) whether they accept it;
# 2. shows every **layer**, its bytes coloured by role (IV, key, ciphertext, padding, header, payload, signature, ...);
# 3. where the references refuse it, **tries each known mistake of the flow** (the vectors' flags: inverting the
#    mistake on the artifact, or reproducing the artifact from your inputs with the mistake made) and keeps those that
#    the references confirm, most likely first, each with its note, its evidence and its fix.
#
# Below, for each flow, the reference itself makes the artifact with one mistake an integrator really makes, and
# `inspect` names it. Secrets never appear in what it shows: only their length and a fingerprint.

# %%
import base64


from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from conformance import registry
from conformance.inspect import inspect, registration
from conformance.testkeys import pgp_key_sets


def made(reference: str, op: str, **args):
    """What the live ``reference`` answers for ``op`` (the artifacts below are the references' own)."""
    outcome = registry.shared(reference).call_many([(op, args)])[0]
    assert outcome.status == "value", outcome.describe()
    return outcome.value


# %% [markdown]
# ## Khoros Secure Transfer: the IV went through a form decoder
#
# Khoros sends `?payload=…&iv=…`. A portal that reads the query string with a form decoder turns every `+` of the
# Base64 IV into a space; the vendor's Java then decodes a different IV, and the first block of the JSON is garbage.

# %%
key = base64.b64encode(b"0123456789abcdef").decode()
iv = base64.b64encode(bytes([0xFB, 0xFF] * 8)).decode()  # '+/v/+/v/...': it holds '+'
payload = made("java", "khoros.skep.encrypt", secretKey=key, ivKey=iv, base64Keys=True,
               plainText='{"login":"jdoe","email":"jdoe@example.com"}')
received_iv = iv.replace("+", " ")  # what a form decoder hands the portal
inspect("khoros.payload.decrypt", {"ivKey": received_iv, "encryptedPayload": payload, "encryptionKey": key})

# %% [markdown]
# ## Khoros Cryptor (AES-GCM): decrypted with an AAD the sender never used

# %%
gcm_key, gcm_iv = b"0123456789abcdef".hex(), "00112233445566778899aabb"
sealed = made("java", "khoros.cryptor.encrypt_gcm", keyHex=gcm_key, iv=gcm_iv, value=b'{"user":"jdoe"}'.hex())
inspect("khoros.cryptor.decrypt_gcm", {"keyHex": gcm_key, "iv": gcm_iv, "value": sealed, "aad": "cafe"})

# %% [markdown]
# ## Khoros widget JWT: the secret was read from a file with its newline
#
# `jsonwebtoken` (the vendor's node sample) signs with whatever bytes it is given: `secret.txt` ends with `\n`.

# %%
widget_secret, key_id = "widget-secret-from-the-admin-console", "app_123"
token = made("node", "khoros.widget_jwt.sign", userId="jdoe", keyId=key_id, secret=widget_secret + "\n",
             iat=1_700_000_000)
inspect(token=token, secret=widget_secret, key_id=key_id, now=1_700_000_100)

# %% [markdown]
# ## Talkative: an ES256 signature in DER, not JOSE's raw `r || s`
#
# OpenSSL's `dgst -sign` (and most crypto libraries' `sign`) give a DER `SEQUENCE { r, s }`; a JWS needs the 64 raw bytes.

# %%
from conformance.paths import vectors_dir
import json

talkative = json.loads((vectors_dir() / "talkative_signed_data.json").read_text())
private_pem = next(t["input"]["privateKeyPem"] for g in talkative["testGroups"] if g["op"] == "talkative.sign"
                   for t in g["tests"] if t["result"] == "valid")
public_pem = made("openssl", "talkative.key.public_pem", privateKeyPem=private_pem)
jws = made("node", "talkative.sign_jose", fields=[{"label": "Name", "data": "Jo Doe", "type": "text"}], alg="ES256",
           keyPem=private_pem)
head, signature = jws.rsplit(".", 1)
raw = base64.urlsafe_b64decode(signature + "==")
der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
inspect(token=f"{head}.{base64.urlsafe_b64encode(der).rstrip(b'=').decode()}", public_key=public_pem)

# %% [markdown]
# ## Thread Messenger: `hash_hmac`'s arguments swapped
#
# The document's PHP is `hash_hmac('sha256', $email, $secret)`: the message first, the key second. Swapped, the key
# is a well-formed 64-character hex that never verifies. A correct key, for contrast, conforms.

# %%
email, thread_secret = "Foo@Bar.com", "thread-secret-from-settings"
swapped = made("php", "thread.connection_key", email=thread_secret, secret=email)
inspect(key=swapped, email=email, secret=thread_secret)

# %%
inspect(key=made("php", "thread.connection_key", email=email, secret=thread_secret), email=email, secret=thread_secret)

# %% [markdown]
# ## BoldChat SHA-512: the data went through a form decoder after hashing

# %%
hashing_key = "boldchat-hashing-key"
data = "VisitName=Robert+Smith&VisitEmail=r.smith%40gmail.com"
secure = made("openssl", "boldchat.sha512.secure", encoded=data, hashingKey=hashing_key)
inspect(params=secure.replace("+", " "), hashing_key=hashing_key)

# %% [markdown]
# ## BoldChat validation: an Expiration in seconds, where the document wants milliseconds

# %%
at = 1_767_225_600_000  # the server's clock, in milliseconds
launch = made("openssl", "boldchat.sha512.secure", hashingKey=hashing_key,
              encoded=f"Type=chat&Expiration={(at + 600_000) // 1000}&ChatKey=ck-1")
inspect("boldchat.validator.launch",
        {"hashingKeys": [hashing_key], "launches": [{"type": "chat", "secureParameters": launch, "atMs": at}]})

# %% [markdown]
# ## BoldChat PGP: the armored message went through a form decoder
#
# BouncyCastle seals the parameters; the launch URL carried the armor unescaped, and every `+` became a space.

# %%
keys = pgp_key_sets()["gnupg-sha512"]
messages = [made("bc-current", "boldchat.pgp.seal", params="VisitName=Robert%20Smith",
                 serverPublicKey=keys["server.pub"], signingPrivateKey=keys["brand.sec"]) for _ in range(8)]
message = next(m for m in messages if "+" in m.split("\n\n", 1)[1])
head, body = message.split("\n\n", 1)
inspect(message=head + "\n\n" + body.replace("+", " "), server_key=keys["server.sec"], signer_key=keys["brand.pub"])

# %% [markdown]
# ## Twilio Access Token: the account SID and the API key SID swapped
#
# `new AccessToken(accountSid, apiKeySid, apiKeySecret)` takes the account SID first. Called the other way round
# (here by Twilio's own node SDK), the token's `iss` holds the account SID and its `sub` the API key SID. No SDK
# verifies: the verdict is the documented verifier's, on its two live references (jsonwebtoken and PyJWT, each with
# Twilio's rules), and `inspect` confirms the swap by verifying with the SIDs the other way round.

# %%
account_sid, key_sid = "AC" + "0123456789abcdef" * 2, "SK" + "fedcba9876543210" * 2
api_key_secret = "twilio-api-key-secret-from-the-console"
swapped_token = made("twilio-node", "twilio.access_token.create_node", accountSid=key_sid, keySid=account_sid,
                     secret=api_key_secret, identity="alice", ttl=3600, nbf=None, region=None,
                     grants=[{"type": "chat", "serviceSid": "IS" + "0" * 32}], now=1_764_633_600)
inspect(token=swapped_token, secret=api_key_secret, key_id=key_sid, account_sid=account_sid, now=1_764_633_601)

# %% [markdown]
# ## Stream Chat: a development token sent to an app whose auth checks are on
#
# Stream's node SDK makes `devToken(userId)`: a token whose signature is the literal `devtoken`, accepted only while
# the app's auth checks are off (the dashboard's development switch). In production it is refused, and `inspect` says
# why: the same token is accepted with auth checks off.

# %%
dev = made("stream-node", "stream.token.dev_node", userId="alice")
inspect(token=dev, user_id="alice", now=1_764_633_600)

# %% [markdown]
# ## When no known mistake explains it
#
# A key made with another secret: the references refuse it, every known mistake is tried, none is confirmed, and
# `inspect` says so rather than guess.

# %%
inspect(key=made("php", "thread.connection_key", email=email, secret="some other secret"), email=email,
        secret=thread_secret)

# %% [markdown]
# ## Every mistake `inspect` can try
#
# Each flow brings its own (`conformance/inspect/mistakes/<flow>.py`, and the op kinds' mistakes for flows built on a
# kind), named by its vector flag. This list grows with the catalog.

# %%
from conformance import catalog

for flow in catalog.FLOWS:
    for op in flow.ops:
        tried = registration.mistakes(op.name) if op.consumes else ()
        if tried:
            print(f"{op.name:34} {', '.join(dict.fromkeys(m.flag for m in tried))}")
