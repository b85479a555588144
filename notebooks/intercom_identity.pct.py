# ---
# jupyter:
#   handoff:
#     references:
#     - ruby
#     - php
#     - node
#     - python-hmac
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
# # Intercom identity verification, byte by byte
#
# A brand that shows Intercom's Messenger to logged-in users proves who each user is with a **user hash**: its
# server computes
#
# ```ruby
# OpenSSL::HMAC.hexdigest('sha256', secret, user_id_or_email)
# ```
#
# and the page (or the mobile app) sends the result as `user_hash` beside `user_id` / `email`. This notebook runs
# that computation in the languages of Intercom's documentation (Ruby's `OpenSSL::HMAC`, PHP's `hash_hmac`, node's
# `crypto.createHmac`, Python's `hmac`: the live references) beside the project's Python port, and shows the rules
# that break integrations.
#
# This is the flow `intercom_identity` (vectors `vectors/intercom_identity.json`, `conformance run --flow
# intercom_identity`). Its ops are of the `hmac_hex` kinds (`conformance/kinds/hmac_hex.py`): the catalog entry gives
# only their names and parameters, so this notebook reads the ops from the catalog.
#
# **The documentation, checked for this notebook:**
#
# * developers.intercom.com, *Installing Intercom / Web / Identity verification*: the HMAC is generated on the server,
#   "using SHA256, on either the user's `user_id` or `email`"; "if you're sending both `user_id` and `email`, then
#   make sure your HMAC is generated with the `user_id` value"; keep the secret off the front end.
# * developers.intercom.com, *iOS* and *Android identity verification*: each platform has **its own secret** ("the
#   Intercom iOS API Secret", "the Intercom Android API Secret"), and the digest is
#   `OpenSSL::HMAC.hexdigest('sha256', api_key.secret, user_id_or_email)`.
# * The **hex case** rule is not on those pages: it is in Intercom's own repository of samples
#   (`intercom/identity-verification-code-samples`, README): "when creating this for mobile, the final output needs to
#   be in lowercase (the web version accepts both upper and lower case)". The catalog follows it: the web verifier
#   accepts either case, the iOS and Android verifiers lowercase only.
# * intercom.com help article 183 now marks identity verification *deprecated* in favour of the Messenger JWT; it
#   still works, which is why its weaknesses still matter (below).

# %%
import json
from conformance import catalog, registry
from conformance.catalog.round_trips import signer_of
from conformance.runner import run_cases
from conformance.vectors import iter_cases
from conformance.paths import data_dir

FLOW = catalog.flow('intercom_identity')
PY = registry.shared('python')
REFS = {name: registry.shared(name) for name in FLOW.references}
for name, ref in REFS.items():
    print(f'{name:12}', ref.unavailable() or 'available', ref.versions())

# %% [markdown]
# ## 1. The ops: one sign op and one verifier per platform
#
# Each op is `kind_op(name, kind, summary, **params)`; the params say which field is MACed (`userId`, else `email`),
# which argument carries the hash (`userHash`) and which hex spelling a verifier accepts.

# %%
for op in FLOW.ops:
    print(f'{op.name:36} {op.kind:16} {dict(op.params)}')
SIGNERS = {trip.variant: trip.producer_op for trip in FLOW.round_trips}
VERIFIERS = {trip.variant: trip.consumer_op for trip in FLOW.round_trips}

# %% [markdown]
# ## 2. Key = secret, message = the identity
#
# Intercom's samples compute HMAC-SHA256 of `'Message'` under the key `'secret'`. Every reference and the port agree;
# swapping key and message still gives 64 hex digits, just the wrong ones.

# %%
args = {'secret': 'secret', 'userId': 'Message'}
sign = SIGNERS['web']
(ours,) = PY.call_many([(sign, args)])
for name, ref in REFS.items():
    (theirs,) = ref.call_many([(sign, args)])
    print(f'{name:12} {theirs.value}')
    assert theirs.value == ours.value
print(f'{"python":12} {ours.value}')
(swapped,) = PY.call_many([(sign, {'secret': 'Message', 'userId': 'secret'})])
print('swapped     ', swapped.value)

# %% [markdown]
# ## 3. `user_id` takes preference; the email is the fallback
#
# With both fields the hash is over the user id; a hash over the email while `user_id` is sent does not verify. With
# neither there is nothing to MAC: a typed `MissingIdentity`, never a hash of nothing.

# %%
ruby = REFS['ruby']
secret = 'intercom-web-identity-TEST-secret'
both = {'secret': secret, 'userId': '123', 'email': 'jane@example.com'}
by_both, by_id, by_email = ruby.call_many([(sign, both), (sign, {'secret': secret, 'userId': '123'}),
                                          (sign, {'secret': secret, 'email': 'jane@example.com'})])
print('both fields == user id only:', by_both.value == by_id.value, '| == email only:', by_both.value == by_email.value)
(check,) = ruby.call_many([(VERIFIERS['web'], {**both, 'userHash': by_email.value})])
print('the email hash, sent with user_id, verifies:', check.value)
(neither,) = PY.call_many([(sign, {'secret': secret})])
print('no identity:', neither.describe())

# %% [markdown]
# ## 4. One secret per platform, and the hex case
#
# A hash made with the iOS secret does not verify on the web (Intercom Android issues 358 and 391, intercom_flutter 210
# and 13 are integrators sending one platform's hash to another). And uppercase hex: the web messenger accepts it,
# the mobile SDKs do not; an integration tested on the web breaks on the phones.

# %%
identity = {'userId': '123'}
secrets = {v: f'intercom-{v}-identity-TEST-secret' for v in SIGNERS}
made = {v: ruby.call_many([(SIGNERS[v], {'secret': secrets[v], **identity})])[0].value for v in SIGNERS}
print('platform hash -> verifier:', {f'{v}->{w}': ruby.call_many([(VERIFIERS[w], {'secret': secrets[w], **identity, 'userHash': made[v]})])[0].value
                                      for v in SIGNERS for w in SIGNERS})
for v in VERIFIERS:
    (upper,) = ruby.call_many([(VERIFIERS[v], {'secret': secrets[v], **identity, 'userHash': made[v].upper()})])
    print(f'{v:8} accepts uppercase hex: {upper.value}')

# %% [markdown]
# ## 5. What integrators trip on, in the vectors
#
# Every flag of the vector file has a note and a bugType; the security-relevant ones (a verifier that accepts them
# is *unsafe*) are `MAC_BYPASS`. The vectors were made by Ruby and every other reference agreed on each.

# %%
doc = json.loads((data_dir() / FLOW.vector_file).read_text())
print(doc['numberOfTests'], 'vectors')
for flag in ('WrongField', 'UppercaseHex', 'SecretTrailingNewline', 'SecretHexVsText', 'WrongPlatformSecret', 'CaseVariantEmail'):
    note = doc['notes'][flag]
    print(f'{flag:22} {note["bugType"]:14} {note["description"][:90]}')

# %%
cases = list(iter_cases(data_dir() / FLOW.vector_file))
for name in ['python', *FLOW.references]:
    results = run_cases(cases, [registry.shared(name)], progress=False)
    print(f'{name:12}', {v: sum(r.verdict == v for r in results) for v in {r.verdict for r in results}})

# %% [markdown]
# ## 6. The audit: a user hash is a bearer credential
#
# `HMAC-1`: the hash frozen in the vectors when they were generated still verifies today, and recomputing it gives the
# same value: it binds the identity and the secret, nothing else (no expiry, no nonce, no session). Whoever saw it
# once can present it for as long as the secret lives. `HMAC-2`: the verifiers disagree on hex case.

# %%
from conformance.audit.model import PROOFS
from conformance.audit.runner import run_one
for proof_id in ('HMAC-1:intercom_identity', 'HMAC-2:intercom_identity'):
    finding = run_one(PROOFS[proof_id])
    print(f'{finding.id}: {finding.status} ({finding.severity}): {finding.title}')
    print('   ', finding.why)

# %% [markdown]
# ## 7. inspect: an uppercase hash on iOS
#
# `conformance inspect --op intercom.identity.verify_ios --key <hash> --user-id 123 --secret ...` names the mistake; under the same secret, the web verifier accepts the same hash.

# %%
from conformance.inspect import inspect
upper = made['ios'].upper()
verdicts = {}
for v in ('ios', 'web'):
    found = inspect(VERIFIERS[v], key=upper, user_id='123', secret=secrets['ios'])
    verdicts[v] = found.conforms
    print(f'{v:4}', found.text().splitlines()[0])
assert verdicts == {'ios': False, 'web': True}
