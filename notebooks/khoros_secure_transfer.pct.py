# ---
# jupyter:
#   handoff:
#     references:
#     - java
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
# # Khoros Secure Transfer, byte by byte
#
# Khoros sends the customer to the brand's portal with a link `https://portal?payload=...&iv=...`. The payload is AES-CBC ciphertext in URL-safe Base64; the brand decrypts it with Khoros's Java class `SymmetricKeyEncryptionProvider`. This notebook runs that **Java** (the vendor's own classes, through JPype) next to the **Python port** and compares the bytes.
#
# This is the flow `khoros_secure_transfer` (vectors `vectors/khoros_secure_transfer.json`, `conformance run --flow khoros_secure_transfer`). The document is `shared/seeds/001_143f91f2e6ef410a.txt` (Khoros, "Secure Transfer", Brand Messenger edition): the Java classes and the portal's `decryptPayload`. The reference that checks it is that Java, unmodified (`java_ref/`, registry name `java`). Where the notebook compares Python with Java, it calls both through the implementation contract (`registry.shared(name).call_many`), as the harness does. The document's other class, `Cryptor`, is the flow `khoros_cryptor` (`khoros_cryptor.ipynb`). Every key here is a test key.

# %%
import json
from conformance import judge, registry
from conformance.hexdiff import hex_diff
from conformance.codecs import decode_base64
from conformance.references import java, khoros_java
from conformance.vendors import khoros
JAVA, PYTHON = registry.shared('java'), registry.shared('python')  # the implementation contract
java.start()
print(JAVA.versions())

# %% [markdown]
# ## 1. A key and an IV, generated as Khoros does
# `generateNewKey()` gives 32 random bytes, `generateNewIV()` 16, both in *standard* Base64 with padding.

# %%
SKEP = java.jclass(khoros_java.SKEP)
key = java.from_java_string(SKEP.generateNewKey().get())
iv = java.from_java_string(SKEP.generateNewIV())
print('key bytes:', len(decode_base64(key)), ' iv bytes:', len(decode_base64(iv)))
# A fixed IV with '+' and '/' in it, so the pitfalls below are reproducible:
iv = 'kAOZ+mZ/8hT0L1oQw9Xk2A=='

# %% [markdown]
# ## 2. Encrypt the document's example payload with the Java reference

# %%
from conformance.vendors.khoros import DOCUMENT_PAYLOAD
payload_json = json.dumps(DOCUMENT_PAYLOAD, separators=(',', ':'))
java_provider = khoros_java.skep(key, iv, True)
cipher_text = java.from_java_string(java_provider.encryptString(java.to_java_string(payload_json)))
print(cipher_text[:80], '...', len(cipher_text), 'characters, no padding')

# %% [markdown]
# ## 3. Build the transfer link, then parse it
# The IV is standard Base64, so the link must percent-encode its `+`, `/` and `=`.

# %%
link = khoros.build_transfer_link('https://portal.example/secure', cipher_text, iv)
print(link[:60], '...', link[-40:])
parsed_payload, parsed_iv = khoros.parse_transfer_link(link)
assert (parsed_payload, parsed_iv) == (cipher_text, iv)

# %% [markdown]
# ## 4. Decrypt in Python

# %%
python_plain = khoros.decrypt_payload(parsed_iv, parsed_payload, key)
python_plain['conversationDisplayId'], python_plain['agentUUID']

# %% [markdown]
# ## 5. The bytes, side by side
# Java's `decryptString` and Python's `decrypt_string` on the same link (the op `khoros.skep.decrypt`, called through the contract); any difference would be marked `!!`.

# %%
args = {'secretKey': key, 'ivKey': parsed_iv, 'base64Keys': True, 'cipherText': parsed_payload}
(java_text,), (python_text,) = JAVA.call_many([('khoros.skep.decrypt', args)]), PYTHON.call_many([('khoros.skep.decrypt', args)])
print(hex_diff(java_text.value[:64], python_text.value[:64], labels=('java', 'python')))
assert judge.same(java_text, python_text)
assert python_text.value == khoros.SymmetricKeyEncryptionProvider(key, parsed_iv, True).decrypt_string(parsed_payload)

# %%
args = {'secretKey': key, 'ivKey': iv, 'base64Keys': True, 'plainText': payload_json}
(java_cipher,), (python_cipher,) = JAVA.call_many([('khoros.skep.encrypt', args)]), PYTHON.call_many([('khoros.skep.encrypt', args)])
print(hex_diff(decode_base64(java_cipher.value)[:48], decode_base64(python_cipher.value)[:48], labels=('java ciphertext', 'python ciphertext')))
assert judge.same(java_cipher, python_cipher) and python_cipher.value == cipher_text

# %% [markdown]
# ## 6. Pitfalls
# ### The `+` in the IV
# A link that passed through a form decoder (`application/x-www-form-urlencoded`) has had its `+` turned into a space. commons-codec **skips** the space, so the Java silently decodes a 15-byte IV and fails with `EncryptionException` caused by `InvalidAlgorithmParameterException`. `parse_transfer_link` restores the `+`.

# %%
damaged_iv = iv.replace('+', ' ')
print('IV bytes after form decoding:', len(decode_base64(damaged_iv)))
call = ('khoros.skep.decrypt', {'secretKey': key, 'ivKey': damaged_iv, 'base64Keys': True, 'cipherText': cipher_text})
(java_answer,), (python_answer,) = JAVA.call_many([call]), PYTHON.call_many([call])
print('java:  ', java_answer.describe())
print('python:', python_answer.describe())
assert judge.same(java_answer, python_answer)
form_link = f'https://portal.example/secure?payload={cipher_text}&iv={damaged_iv}'
print('repaired by parse_transfer_link:', khoros.parse_transfer_link(form_link)[1] == iv)

# %% [markdown]
# ### Lenient Base64
# The decoder accepts both alphabets, skips anything outside them, stops at the first `=` and discards non-zero trailing bits. Different strings therefore decrypt to the same payload: never use the ciphertext *string* as a replay or cache key.

# %%
variants = {
    'canonical': cipher_text,
    'standard alphabet': cipher_text.replace('-', '+').replace('_', '/'),
    'with junk and newlines': '\n'.join(cipher_text[i:i+10] for i in range(0, len(cipher_text), 10)) + ' !!',
    'padding then garbage': cipher_text + '==garbage',
}
calls = [('khoros.skep.decrypt', {'secretKey': key, 'ivKey': iv, 'base64Keys': True, 'cipherText': text}) for text in variants.values()]
for label, j, p in zip(variants, JAVA.call_many(calls), PYTHON.call_many(calls)):
    print(f'{label:24} same plaintext as canonical: {j.value == payload_json}   java == python: {judge.same(j, p)}')
    assert judge.same(j, p)

# %% [markdown]
# ### A wrong key
# CBC has no integrity check: a wrong key usually fails the padding check, but about 1 time in 256 it does not, and garbage comes out.

# %%
wrong_key = khoros.SymmetricKeyEncryptionProvider.generate_new_key()
call = ('khoros.skep.decrypt', {'secretKey': wrong_key, 'ivKey': iv, 'base64Keys': True, 'cipherText': cipher_text})
(java_answer,), (python_answer,) = JAVA.call_many([call]), PYTHON.call_many([call])
print('java:  ', java_answer.describe()[:100])
print('python:', python_answer.describe()[:100])
assert judge.same(java_answer, python_answer)
print('decrypt_payload with the wrong key:', khoros.decrypt_payload(iv, cipher_text, wrong_key))

# %% [markdown]
# ## 7. Every vector, Python and Java
# `vectors/khoros_secure_transfer.json` records what the Java answered for every input the suite pins down (made by `vectors/generators/khoros.py`). `conformance.runner.run` sends each vector to both implementations through the contract, judges every answer (`conformance.judge`) and runs the round trip (each one encrypts, each one decrypts). The record shows itself: the headline, the verdicts per implementation and the interop matrix. Python's *deviations* are `acceptable` vectors answered differently, as `DEVIATIONS.md` explains (org.json leniencies of `decryptPayload`).

# %%
from conformance import catalog, runner
from conformance.paths import vectors_dir
from conformance.report.notebook import show
from conformance.vectors import iter_cases

flow = catalog.flow('khoros_secure_transfer')
path = vectors_dir() / flow.vector_file
record = runner.run(list(iter_cases(path)), [PYTHON, JAVA], vector_files=[path], progress=False)
assert record.gate_passes(), list(record.failing())[:5]
show(record)
