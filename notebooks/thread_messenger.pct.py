# ---
# jupyter:
#   handoff:
#     references:
#     - php
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
# # Thread Messenger portal auto-authentication, byte by byte
#
# A portal that already knows its user can log them into Thread's web Messenger without the 6-digit PIN. The portal's **server** computes
#
# ```php
# hash_hmac('sha256', <email>, <secret>)
# ```
#
# and hands the result to the widget as `connectionKey`, next to the email. This notebook runs that PHP call (the live reference, one `php -r` process) beside the Python port `conformance.vendors.thread`, and shows the bytes and the pitfalls.
#
# This is the flow `thread_messenger` (vectors `vectors/thread_messenger.json`, `conformance run --flow thread_messenger`). The document is `shared/seeds/004_3956fa93d5717606.txt` (Thread, "Messenger Portal Auto Authentication"). The reference that checks it is PHP's `hash_hmac` and `hash_equals` (registry name `php`), called through the implementation contract (`registry.shared("php").call_many`), as the harness does. Every secret here is a test secret.

# %%
import hashlib, json, unicodedata
from conformance.errors import ConformanceError, UnencodableText
from conformance import registry
from conformance.vendors import thread
PHP = registry.shared('php')  # the live reference, through the implementation contract
print(PHP.unavailable() or 'php is available')
print(PHP.versions())

# %% [markdown]
# ## 1. Key = secret, message = email
# `hash_hmac($algo, $data, $key)`: the **email is the message** and the **secret is the HMAC key**. Swapping them is the classic mistake; it still gives 64 hex digits, just the wrong ones.

# %%
SECRET = 'tHr3aD-portal-secret-for-notebooks-only'  # a test secret
email = 'foo@bar.com'
ours = thread.connection_key(email, SECRET)
(theirs,) = PHP.call_many([('thread.connection_key', {'email': email, 'secret': SECRET})])
print('python :', ours)
print('php    :', theirs.value)
assert ours == theirs.value
swapped = thread.connection_key(SECRET, email)
print('swapped:', swapped, '(does not verify:', thread.verify_connection_key(email, SECRET, swapped), ')')

# %% [markdown]
# ## 2. From text to bytes
# PHP strings are bytes; a Python `str` is hashed as its **UTF-8** bytes. The vectors record the bytes PHP hashed (`intermediate.emailUtf8`). Text with a lone surrogate has no UTF-8 encoding: Python raises `UnencodableText`, and PHP's UTF-8 validator refuses the same bytes.

# %%
samples = ['foo@bar.com', 'jos\u00e9@example.com', 'user@b\u00fccher.de', '\U0001f600@x.com']
answers = PHP.call_many([('thread.text_bytes', {'text': s}) for s in samples])
for s, a in zip(samples, answers):
    print(f'{s!r:28} python {thread.encode_text(s).hex():40} php {a.value}')
    assert thread.encode_text(s).hex() == a.value
(lone,) = PHP.call_many([('thread.connection_key', {'email': '\ud800@bar.com', 'secret': SECRET})])
print('php on a lone surrogate:', lone.describe())
try:
    thread.connection_key('\ud800@bar.com', SECRET)
except UnencodableText as exc:
    print('python on a lone surrogate:', exc.reason_path(), '-', exc)

# %% [markdown]
# ## 3. Pitfall: nothing is normalized
# The HMAC sees bytes. **`Foo@Bar.com` and `foo@bar.com` give different keys**, and so do a trailing newline, a non-breaking space, NFC vs NFD accents and an IDN domain as U-label vs `xn--` A-label. The portal must send the widget exactly the email it hashed, and Thread must compare against the same spelling. Whether Thread's side lowercases or trims before checking is not documented; this suite does neither.

# %%
nfc = unicodedata.normalize('NFC', 'jos\u00e9@example.com')
variants = ['foo@bar.com', 'Foo@Bar.com', 'FOO@BAR.COM', ' foo@bar.com', 'foo@bar.com\n', 'foo@bar.com\u00a0',
            nfc, unicodedata.normalize('NFD', nfc), 'user@b\u00fccher.de', 'user@xn--bcher-kva.de']
answers = PHP.call_many([('thread.connection_key', {'email': v, 'secret': SECRET}) for v in variants])
for v, a in zip(variants, answers):
    assert a.value == thread.connection_key(v, SECRET)
    print(f'{v!r:28} {a.value}')
assert len({a.value for a in answers}) == len(variants)
print(len(variants), 'spellings,', len({a.value for a in answers}), 'different keys')

# %% [markdown]
# ## 4. HMAC's own edges: the 64-byte block
# A secret up to 64 bytes is zero-padded, so `k`, `k\0` and `k\0\0` are the same key; a longer secret is first replaced by its SHA-256. Both come from HMAC (RFC 2104) and PHP shows them too. Secrets are used as their text bytes: a hex-looking secret is *not* hex-decoded.

# %%
msg = b'foo@bar.com'.hex()
long_secret = bytes(range(100))
secrets_ = [b'k', b'k\x00', b'k\x00\x00', long_secret, hashlib.sha256(long_secret).digest()]
answers = PHP.call_many([('thread.connection_key_bytes', {'emailHex': msg, 'secretHex': s.hex()}) for s in secrets_])
for s, a in zip(secrets_, answers):
    assert a.value == thread.connection_key_bytes(bytes.fromhex(msg), s)
    print(f'{len(s):3}-byte secret {s[:6].hex():12}… -> {a.value}')
hexish = '0123456789abcdef' * 4
print('hex-looking secret used as text:', thread.connection_key('foo@bar.com', hexish) == thread.connection_key_bytes(b'foo@bar.com', hexish.encode()))

# %% [markdown]
# ## 5. Verifying a key
# `verify_connection_key` compares with `hmac.compare_digest`, like PHP's `hash_equals`: constant time and exact. Uppercase hex, a trailing newline or a truncated key do not verify, in PHP or in Python.

# %%
key = thread.connection_key('foo@bar.com', SECRET)
candidates = {'exact': key, 'uppercase': key.upper(), 'trailing LF': key + '\n', '63 digits': key[:-1],
              'key of Foo@Bar.com': thread.connection_key('Foo@Bar.com', SECRET)}
answers = PHP.call_many([('thread.verify_connection_key', {'email': 'foo@bar.com', 'secret': SECRET, 'key': k})
                         for k in candidates.values()])
for (label, k), a in zip(candidates.items(), answers):
    ours = thread.verify_connection_key('foo@bar.com', SECRET, k)
    assert ours == a.value
    print(f'{label:20} php {a.value!s:5}  python {ours}')

# %% [markdown]
# ## 6. The widget's parameters, and the misspelled name
# The document's `<script>` snippet writes **`conenctionEmail`** (and its prose `connectoinEmail`), while its parameter table and its programmatic example say **`connectionEmail`**. `messenger_params` emits `connectionEmail` only: it is the documented name, the two misspellings disagree with each other, and a name the widget ignores would quietly fall back to PIN login. `connectionType` is always `messenger_auth`.

# %%
params = thread.messenger_params('YOUR_APP_ID', 'foo@bar.com', SECRET)
(theirs,) = PHP.call_many([('thread.messenger_params', {'appId': 'YOUR_APP_ID', 'email': 'foo@bar.com', 'secret': SECRET})])
assert params == theirs.value
print(json.dumps(params, indent=2))
assert 'conenctionEmail' not in params and SECRET not in json.dumps(params)

# %% [markdown]
# ## 7. The secret stays on the server
# Thread: *"If you do this on the client side, the secret becomes invalid, as anyone can now use it."* Only the output of `messenger_params` goes into the page: whoever holds the secret can mint a key for **any** email and chat as that customer. Two more server-side rules follow from the bytes above:
#
# * an empty or missing secret still makes a valid-looking HMAC, so `messenger_params` refuses it (`EmptySecret`); `connection_key` itself, like PHP, accepts it;
# * the email is data: embed the params with an HTML-safe JSON encoder (PHP `json_encode` with `JSON_HEX_TAG`), since an email can hold `</script>`.
#
# Error messages never contain the secret:

# %%
for bad in [None, 42, SECRET + '\udfff']:
    try:
        thread.connection_key('foo@bar.com', bad)
    except ConformanceError as exc:
        print(f'{type(bad).__name__:5} -> {exc.reason_path()}: {exc}')
        assert 'tHr3aD' not in str(exc)
try:
    thread.messenger_params('YOUR_APP_ID', 'foo@bar.com', '')
except ConformanceError as exc:
    print(f'empty -> {exc.reason_path()}: {exc}')

# %% [markdown]
# ## Every vector, Python and PHP
#
# `vectors/thread_messenger.json` records what PHP answered for every input the suite pins down (made by
# `vectors/generators/thread.py`). `conformance.runner.run` sends each vector to both through the contract, judges
# every answer and runs the round trip (each one computes a key, each one verifies it); the record shows itself.

# %%
from conformance import catalog, runner
from conformance.paths import vectors_dir
from conformance.vectors import iter_cases
from conformance.report.notebook import show

flow = catalog.flow('thread_messenger')
path = vectors_dir() / flow.vector_file
record = runner.run(list(iter_cases(path)), [registry.shared('python'), PHP], vector_files=[path], progress=False)
assert record.gate_passes(), list(record.failing())[:5]
PHP.close()  # the notebook's PHP process
show(record)
