# ---
# jupyter:
#   handoff:
#     references:
#     - stream-node
#     - stream-python
#     - stream-java
#     - node
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
# # Stream Chat user tokens, byte by byte, in Stream's three server SDKs
#
# A Stream Chat app authenticates a user with a JWT that the app's **server** signs with its API secret: HS256 over
# `{"user_id": ...}`, optionally with `exp` and `iat` (Stream's docs: *Tokens & Authentication*). Stream publishes the
# code that signs it in several languages, and each is a reference of its own here:
#
# | registry name | SDK | call |
# |---|---|---|
# | `stream-node` | npm `stream-chat` | `new StreamChat(key, secret).createToken(userId, exp, iat)`, `devToken(userId)` |
# | `stream-python` | PyPI `stream-chat` | `StreamChat(api_key, api_secret).create_token(user_id, exp, iat)` |
# | `stream-java` | Maven `io.getstream:stream-chat-java` | `User.createToken(secret, userId, expiresAt, issuedAt)` |
#
# The Python port (`conformance.vendors.stream_chat.create_token(..., sdk=...)`) reproduces each one byte for byte;
# which SDK it follows is its `sdk` parameter. Everything below goes through the implementation contract.

# %%
import base64, json
from conformance import registry
from conformance.vendors import stream_chat
SDKS = {sdk: registry.shared(f'stream-{sdk}') for sdk in ('node', 'python', 'java')}
for sdk, reference in SDKS.items():
    print(f'{sdk:7}', reference.unavailable() or 'available', reference.versions())

def segments(token):
    head, body = token.split('.')[:2]
    return [base64.urlsafe_b64decode(part + '=' * (-len(part) % 4)) for part in (head, body)]


# %% [markdown]
# ## 1. The same user, three layouts
#
# The same secret, user id and clock give three different tokens: the header (`typ` or not), the claims (the Java SDK
# adds `iss` and `sub`), and the JSON writer (PyJWT escapes every non-ASCII character, Jackson escapes only the UTF-16
# surrogates of an astral character, in upper case, node writes raw UTF-8).

# %%
SECRET = 'notebook-only-stream-secret-0123456789'  # a test secret, 38 bytes
args = {'secret': SECRET, 'userId': 'j\u00e9r\u00f4me \U0001f600', 'exp': 1764637200, 'iat': 1764633600}
for sdk, reference in SDKS.items():
    (theirs,) = reference.call_many([(f'stream.token.create_{sdk}', args)])
    ours = stream_chat.create_token(SECRET, args['userId'], exp=args['exp'], iat=args['iat'], sdk=sdk)
    assert ours == theirs.value, sdk
    header, payload = segments(ours)
    print(f'{sdk:7}', header.decode(), payload)

# %% [markdown]
# ## 2. What the documented verifier accepts
#
# Byte differences do not matter to Stream as long as its verifier accepts every layout with the same content. The
# verifier of the documented rules (HS256 under the secret, `user_id`, `exp` in the future when present) has two live
# references, jsonwebtoken (`node`) and PyJWT (`pyjwt`), each with Stream's rules; both, and the port, accept all
# three, with the same `user_id` and `exp` (where PyJWT reads a token otherwise, `DEVIATIONS.md` says how).

# %%
NOW = 1764633600
VERIFIERS = {name: registry.shared(name) for name in ('node', 'pyjwt')}
for sdk, reference in SDKS.items():
    (token,) = reference.call_many([(f'stream.token.create_{sdk}', args)])
    ours = stream_chat.verify_token(token.value, SECRET, now=NOW, user_id=args['userId'])
    call = ('stream.token.verify', {'token': token.value, 'secret': SECRET, 'now': NOW, 'userId': args['userId']})
    for name, verifier in VERIFIERS.items():
        assert verifier.call_many([call])[0].value == ours, (sdk, name)
    print(f'{sdk:7}', ours, '(node and pyjwt agree)')

# %% [markdown]
# ## 3. Where the SDKs disagree
#
# * `exp=0` / `iat=0`: node and Python test truthiness (`if (exp)`, `if exp:`) and drop them; Java writes them.
# * A secret under 32 bytes: jjwt (Java) throws `WeakKeyException`; node and Python sign.
# * An empty secret: all three refuse, each in its own words (`EmptySecret`, PyJWT's empty HMAC key, `Empty key`).

# %%
cases = [{'secret': SECRET, 'userId': 'alice', 'exp': 0, 'iat': 0}, {'secret': 'short', 'userId': 'alice', 'exp': None, 'iat': NOW}]
for case in cases:
    for sdk, reference in SDKS.items():
        (answer,) = reference.call_many([(f'stream.token.create_{sdk}', case)])
        shown = segments(answer.value)[1] if answer.status == 'value' else answer.reason
        print(case['secret'][:6], f'{sdk:7}', shown)

# %% [markdown]
# ## 4. No exp: a token that lives for ever; the development token
#
# Every SDK signs a token without `exp` by default, and the verifier accepts it a century later. The node SDK's
# `devToken(userId)` is `header.payload.devtoken`: the signature is the literal word, so anyone can make one, and an app
# with auth checks off accepts it. Its payload is standard Base64 of the low byte of each UTF-16 code unit, so an id
# above U+00FF is mangled.

# %%
(forever,) = SDKS['node'].call_many([('stream.token.create_node', {'secret': SECRET, 'userId': 'alice'})])
print(stream_chat.verify_token(forever.value, SECRET, now=NOW + 100 * 365 * 86400))
(dev,) = SDKS['node'].call_many([('stream.token.dev_node', {'userId': 'alice'})])
assert dev.value == stream_chat.dev_token('alice')
print(dev.value)
print('auth checks off:', stream_chat.verify_token(dev.value, SECRET, now=NOW, auth_checks=False))
try:
    stream_chat.verify_token(dev.value, SECRET, now=NOW)
except stream_chat.DevTokenRefused as exc:
    print('auth checks on :', exc.reason)
print(base64.b64decode(stream_chat.dev_token('\u4e2d\u6587').split('.')[1]))
