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
# # The email-HMAC family: Front, Help Scout, Crisp, tawk.to, Chatwoot
#
# Five chat vendors ask the brand's server for the same thing: **HMAC-SHA256(secret, one field), as lowercase hex**,
# sent beside the field. They differ in the field, the name of the hash, and what the vendor does with it. One flow,
# `email_hmac`, holds one sign op and one or two verifiers per vendor, all of the `hmac_hex` kinds
# (`conformance/kinds/hmac_hex.py`) with their parameters; this notebook reads them from the catalog and runs them in
# the live references (Ruby `OpenSSL::HMAC`, PHP `hash_hmac`, node `crypto.createHmac`, Python `hmac`) beside the port.
#
# **The documentation, checked for this notebook** (and where it says more, or otherwise, than the table):
#
# | vendor | page | what it says |
# |---|---|---|
# | Front | dev.frontapp.com, *Identify users* | `userHash` = HMAC-SHA256 of the email under the verification secret; snippets in node (`createHmac(...).update(userEmail).digest('hex')`), PHP (`hash_hmac`), Ruby (`OpenSSL::HMAC.hexdigest`), Python. **Its Python line passes the secret as `str` to `hmac.new`, which Python 3 refuses (FRONT-1).** |
# | Help Scout | developer.helpscout.com, *Beacon 2 / Secure Mode* | `signature` in `Beacon('identify', {name, email, signature})` = `OpenSSL::HMAC.hexdigest('sha256', secret_key_from_beacon_config, user.email)` |
# | Crisp | docs.crisp.chat, *Web Chat SDK / Identity Verification* | the backend "signs John's email with a private key that both Crisp and your backend know", the page sets `user:email` with the signature, agents see a green check; "Identity Verification does not bind the session to that user" (Crisp says it itself). The indexed page did not show the algorithm's line; the catalog models it as the family's HMAC-SHA256 hex. |
# | tawk.to | help.tawk.to, *How to generate a hash for the API* | the hash is of "your secret key and user ID", for `login()` and `setAttributes()`; the article puts Crypto.js **into the `<head>` of the website** and has the reader paste the secret key into the page's function (TAWKTO-1). A 401 when "the user ID doesn't match the encrypted hash". |
# | Chatwoot | chatwoot.com docs, *Identity validation* | `identifier_hash` = HMAC-SHA256(inbox HMAC token, identifier), passed to `window.$chatwoot.setUser(identifier, {identifier_hash})`; unverified users are flagged. Chatwoot's verifier (`Api::V1::Widget::ContactsController#process_hmac`) skips the check when the hash is blank and `hmac_mandatory` is off (CHATWOOT-1), and compared with `==` in the version read. **The page's earlier Python sample swapped key and message (CHATWOOT-2).: in chatwoot/docs, commit 123885a has `message = bytes('webwidget.hmac_token')` and `secret = bytes('identifier')`; bdce195, "fix: Update typo in python example", swapped them back.** |
#
# The vendors' server-side checks are not published (but Chatwoot's, which is open source): the verifiers here are the
# documented rule, an exact comparison with the lowercase hex digest.

# %%
import json
from conformance import catalog, registry
from conformance.catalog.round_trips import signer_of
from conformance.paths import data_dir
from conformance.runner import run_cases
from conformance.vectors import iter_cases

FLOW = catalog.flow('email_hmac')
PY = registry.shared('python')
REFS = {name: registry.shared(name) for name in FLOW.references}
for name, ref in REFS.items():
    print(f'{name:12}', ref.unavailable() or 'available', ref.versions())
for op in FLOW.ops:
    print(f'{op.name:40} {op.kind:16} {dict(op.params)}')

# %% [markdown]
# ## 1. One hash, five vendors
#
# The same identity under the same secret gives the same 64 hex digits in every vendor's sign op: only the field and
# the argument names differ. Every reference agrees with the port.

# %%
secret = 'email_hmac notebook TEST secret'
for trip in FLOW.round_trips:
    field = catalog.op(trip.producer_op).params['message']
    args = {'secret': secret, field: 'john@doe.name'}
    answers = {name: ref.call_many([(trip.producer_op, args)])[0].value for name, ref in REFS.items()}
    (ours,) = PY.call_many([(trip.producer_op, args)])
    assert set(answers.values()) == {ours.value}, answers
    print(f'{trip.variant:10} {field:11} {ours.value}')

# %% [markdown]
# ## 2. Chatwoot: enforced only with `hmac_mandatory`
#
# Without it, `setUser` with no `identifier_hash` (or an empty one) admits the identity, unverified; only a wrong hash
# is refused. With it, the hash is required.

# %%
optional = next(op for op in FLOW.ops if op.params.get('unsigned') == 'accept')
mandatory = next(op for op in FLOW.ops if op.name != optional.name and signer_of(FLOW, op.name) == signer_of(FLOW, optional.name) and op.kind == 'hmac_hex.verify')
identity = {'secret': secret, 'identifier': 'contact-42'}
for op in (optional, mandatory):
    calls = [(op.name, {**identity, 'identifierHash': value}) for value in ('', '0' * 64)]
    if op is optional:
        calls.insert(0, (op.name, identity))
    print(op.summary, [o.value for o in REFS['ruby'].call_many(calls)])

# %% [markdown]
# ## 3. What integrators trip on
#
# The vectors (made by each vendor's leading reference, every other reference agreeing) carry the flags: the email's
# case and Unicode spelling, a secret read with its trailing newline, a hex-looking secret decoded instead of used as
# text, key and message swapped (Chatwoot's old sample), the hash in uppercase.

# %%
doc = json.loads((data_dir() / FLOW.vector_file).read_text())
print(doc['numberOfTests'], 'vectors;', len(doc['testGroups']), 'groups')
for group in doc['testGroups']:
    print(f'{group["op"]:40} {group["source"]["implementation"]:6} {len(group["tests"])} tests')
cases = list(iter_cases(data_dir() / FLOW.vector_file))
for name in ['python', *FLOW.references]:
    results = run_cases(cases, [registry.shared(name)], progress=False)
    print(f'{name:12}', {v: sum(r.verdict == v for r in results) for v in {r.verdict for r in results}})

# %% [markdown]
# ## 4. The audit
#
# * `HMAC-1:email_hmac`: every vendor's hash is a bearer credential that never expires.
# * `CRISP-1`: the badge binds an email, not a session: a lifted (email, signature) pair verifies anywhere.
# * `TAWKTO-1`: the article's browser-side hashing puts the secret in the page; a visitor reads it and signs any user id.
# * `CHATWOOT-1` / `CHATWOOT-2`: no hash is accepted without `hmac_mandatory`; the old sample's hashes are refused.
# * `FRONT-1`: the Python snippet as published raises `TypeError`.

# %%
from conformance.audit.model import PROOFS
from conformance.audit.runner import run_one
for proof_id in ('HMAC-1:email_hmac', 'CRISP-1', 'TAWKTO-1', 'CHATWOOT-1', 'CHATWOOT-2', 'FRONT-1'):
    finding = run_one(PROOFS[proof_id])
    print(f'{finding.id}: {finding.status} ({finding.severity}): {finding.title}')
    print('   ', finding.why[:300])

# %%
from conformance.audit.email_hmac import page, TEST_SECRET
print(page(TEST_SECRET, 'visitor-7'))  # what a page that follows the tawk.to article serves to every visitor

# %% [markdown]
# ## 5. inspect: a failing hash, and the mistake that made it
#
# `conformance inspect --op <verifier> --key <hash> --secret ... --email ...` (or `--user-id`, `--identifier`) asks every reference and tries the kind's mistakes. Here Front's userHash was computed over the email in lowercase while the page sends it capitalised.

# %%
import hashlib, hmac
from conformance.inspect import inspect
front = next(op.name for op in FLOW.ops if op.name.startswith('email_hmac.front.') and op.kind == 'hmac_hex.verify')
made = hmac.new(secret.encode(), b'jane@example.com', hashlib.sha256).hexdigest()
found = inspect(front, key=made, email='Jane@Example.com', secret=secret)
print(found.text().splitlines()[0])
assert found.diagnoses[0].flag == 'CaseVariantEmail'
