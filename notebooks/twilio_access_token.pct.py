# ---
# jupyter:
#   handoff:
#     references:
#     - twilio-node
#     - twilio-python
#     - twilio-java
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
# # Twilio Access Tokens, byte by byte, in Twilio's three server SDKs
#
# A Twilio client (Conversations, Chat, Video, Voice, Sync) connects with an **Access Token**: an HS256 JWT that the
# brand's server signs with an API key's secret. Its header carries `cty: "twilio-fpa;v=1"`; `iss` is the API key SID,
# `sub` the account SID, `jti` the key SID and a timestamp, `grants` the identity and one object per product. Twilio
# publishes the code that makes it in several languages, each a reference here:
#
# | registry name | SDK | call |
# |---|---|---|
# | `twilio-node` | npm `twilio` | `new AccessToken(accountSid, keySid, secret, {identity, ttl, nbf, region})`, `addGrant`, `toJwt()` |
# | `twilio-python` | PyPI `twilio` | `AccessToken(account_sid, signing_key_sid, secret, grants, identity, nbf, ttl, region).to_jwt()` |
# | `twilio-java` | Maven `com.twilio.sdk:twilio` | `new AccessToken.Builder(accountSid, keySid, secret).identity(...).grant(...).build().toJwt()` |
#
# The Python port (`conformance.vendors.twilio_access_token.create_token(args, sdk=...)`) reproduces each byte for byte.
# node and Python run at a frozen clock; the Java SDK reads the JVM's clock, so its campaign op compares the token's
# layout with the clock fields abstracted, and the exact token is checked at the millisecond the SDK read.

# %%
import base64, json
from conformance import registry
from conformance.references import java_sdks
from conformance.vendors import twilio_access_token as twilio
SDKS = {sdk: registry.shared(f'twilio-{sdk}') for sdk in ('node', 'python', 'java')}
for sdk, reference in SDKS.items():
    print(f'{sdk:7}', reference.unavailable() or 'available', reference.versions())

def segments(token):
    head, body = token.split('.')[:2]
    return [base64.urlsafe_b64decode(part + '=' * (-len(part) % 4)).decode() for part in (head, body)]


# %% [markdown]
# ## 1. The same token, three layouts
#
# The header order (node `alg, typ, cty`; PyJWT sorts the keys; Java's `HashMap` order with `alg` last), the claim order
# (node adds jsonwebtoken's `iat`, Python an `nbf` of now), where `identity` sits in `grants`, and the JSON writer
# (PyJWT escapes every non-ASCII character, Jackson only the UTF-16 surrogates, in upper case).

# %%
NOW = 1764633600
SECRET = 'notebook-only-twilio-secret-0123456789'  # a test secret
args = {'accountSid': 'AC' + '0' * 32, 'keySid': 'SK' + '1' * 32, 'secret': SECRET, 'identity': 'j\u00e9r\u00f4me \U0001f600',
        'ttl': 600, 'nbf': None, 'region': 'ie1',
        'grants': [{'type': 'chat', 'serviceSid': 'IS1'}, {'type': 'video', 'room': 'room-1'}]}
for sdk in ('node', 'python'):
    (theirs,) = SDKS[sdk].call_many([(f'twilio.access_token.create_{sdk}', {**args, 'now': NOW})])
    assert theirs.value == twilio.create_token(args, sdk=sdk, now=NOW), sdk
    print(f'{sdk:7}', *segments(theirs.value), sep='\n  ')
token, clock_ms = java_sdks.twilio_token(args)
assert token == twilio.create_token(args, sdk='java', now_ms=clock_ms)
print('java   ', *segments(token), sep='\n  ')

# %% [markdown]
# ## 2. The Java SDK's jti: a timestamp computed in float
#
# `(int) Math.floor(now.getTime() / 1000.0f)` widens the millisecond clock to a `float`; today's epoch is then a
# multiple of 128 seconds, up to 64 s off, and the same for every token one key issues in that window (audit TWILIO-1).

# %%
stamp = int(json.loads(segments(token)[1])['jti'].rsplit('-', 1)[1])
print('clock', clock_ms // 1000, 'jti', stamp, 'multiple of 128:', stamp % 128 == 0)
print([twilio.java_jti_seconds(clock_ms + step * 1000) for step in range(0, 300, 60)])

# %% [markdown]
# ## 3. TTLs: 0, over 24 hours, over Java's int
#
# No SDK bounds the TTL, though Twilio refuses tokens valid for more than 24 hours; node turns a TTL of 0 into an hour;
# Java computes `ttl * 1000` in `int`, so 30 days wraps into the past (audit TWILIO-2).

# %%
for ttl in (0, 86_401, 2_592_000):
    lives = {}
    for sdk in ('node', 'python'):
        made = twilio.create_token({**args, 'ttl': ttl}, sdk=sdk, now=NOW)
        lives[sdk] = json.loads(segments(made)[1])['exp'] - NOW
    lives['java'] = twilio.java_exp_seconds(NOW * 1000, ttl) - NOW
    print(f'TTL {ttl:>9}: lifetime', lives)

# %% [markdown]
# ## 4. What the documented verifier accepts
#
# HS256 under the secret, `cty`, `iss` and `sub` the expected SIDs, `exp` in the future and at most 24 hours after
# `nbf` (or `iat`), `nbf` not in the future. It learns the identity, the product grants, `exp` and the region. The
# rules have two live references, jsonwebtoken (`node`) and PyJWT (`pyjwt`), each with Twilio's rules; both agree
# with the port on every SDK's token.

# %%
VERIFIERS = {name: registry.shared(name) for name in ('node', 'pyjwt')}
for sdk in ('node', 'python'):
    made = twilio.create_token(args, sdk=sdk, now=NOW)
    ours = twilio.verify_token(made, SECRET, now=NOW + 1, key_sid=args['keySid'], account_sid=args['accountSid'])
    call = ('twilio.access_token.verify', {'token': made, 'secret': SECRET, 'now': NOW + 1, 'keySid': args['keySid'],
                                           'accountSid': args['accountSid']})
    for name, verifier in VERIFIERS.items():
        assert verifier.call_many([call])[0].value == ours, (sdk, name)
    print(sdk, ours, '(node and pyjwt agree)')
try:
    twilio.verify_token(twilio.create_token({**args, 'ttl': 90_000}, sdk='node', now=NOW), SECRET, now=NOW + 1)
except twilio.TtlTooLong as exc:
    print('25 hours:', exc.reason)
