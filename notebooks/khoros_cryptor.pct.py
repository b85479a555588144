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
# # Khoros `Cryptor`, byte by byte
#
# The Khoros document ships a second Java class beside `SymmetricKeyEncryptionProvider`: `Cryptor`, AES over **bytes** in two modes,
#
# * `encryptCBC` / `decryptCBC`: `AES/CBC/PKCS5PADDING` with a 16-byte IV, and no integrity check;
# * `encryptGCM` / `decryptGCM`: `AES/GCM/NoPadding`, the 128-bit tag appended to the ciphertext, optional AAD;
#
# with a key that is either raw bytes (`new Cryptor(byte[])`: 16, 24 or 32 bytes) or a string hashed by `aesHashBlock` (`new Cryptor(String)`: the first 16 bytes of SHA-256, so always AES-128).
#
# This is the flow `khoros_cryptor` (vectors `vectors/khoros_cryptor.json`, `conformance run --flow khoros_cryptor`). The document is `shared/seeds/001_143f91f2e6ef410a.txt` (Khoros, "Secure Transfer", Brand Messenger edition, `Cryptor.java`). The reference that checks it is the vendor's `Cryptor` itself, unmodified, in-process through JPype (`java_ref/`, registry name `java`); the Python port is `conformance.vendors.khoros.Cryptor`. Every comparison below calls both through the implementation contract (`registry.shared(name).call_many`) with the op vocabulary of `docs/adapter-protocol.md`: bytes as hex, the key as `keyText` (the String constructor) or `keyHex` (the byte[] constructor). The transfer link is the flow `khoros_secure_transfer` (`khoros_secure_transfer.ipynb`). Every key here is a test key.

# %%
import hashlib
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from conformance import judge, registry
from conformance.hexdiff import hex_diff
from conformance.references import java
JAVA, PYTHON = registry.shared('java'), registry.shared('python')  # the implementation contract
java.start()
print(JAVA.versions())


def both(op, *arguments):
    """Java's and Python's answers to calls of one op, as (java, python) pairs; asserts they are the same."""
    calls = [(op, args) for args in arguments]
    pairs = list(zip(JAVA.call_many(calls), PYTHON.call_many(calls)))
    for java_answer, python_answer in pairs:
        assert judge.same(java_answer, python_answer), (java_answer.describe(), python_answer.describe())
    return pairs


# %% [markdown]
# ## 1. The key from a string: `aesHashBlock`
# `new Cryptor(String)` hashes the string: SHA-256 over `s.getBytes(UTF_8)`, first 16 bytes. The key is therefore 128 bits whatever the string's length, and it is one unsalted hash: a guessable string is a guessable key. Java's encoder writes a lone surrogate as `?`, so `'a\ud800b'` and `'a?b'` are the same key (Python's own `str.encode` would refuse the surrogate).

# %%
texts = ['test-cryptor-key', 'a?b', 'a\ud800b', 'Jos\u00e9 \U0001f600', '']
hashes = both('khoros.cryptor.aes_hash_block', *({'s': text} for text in texts))
for text, (java_hash, python_hash) in zip(texts, hashes):
    print(f'{text!r:22} java {java_hash.value}  python {python_hash.value}')
assert hashes[0][0].value == hashlib.sha256(texts[0].encode()).digest()[:16].hex()
assert hashes[1][0].value == hashes[2][0].value  # a lone surrogate is hashed as '?'

# %% [markdown]
# ## 2. CBC: PKCS#5 padding, a 16-byte IV, no integrity
# The padding is 1 to 16 bytes, so a plaintext of exactly one block (16 bytes) gives two blocks of ciphertext: the second is all padding.

# %%
KEY_TEXT = 'test-cryptor-key'  # a test key
IV = bytes(range(16)).hex()
plain = b'Secure Transfer!'.hex()  # exactly one block
((java_cipher, python_cipher),) = both('khoros.cryptor.encrypt_cbc', {'keyText': KEY_TEXT, 'value': plain, 'iv': IV})
print(hex_diff(bytes.fromhex(java_cipher.value), bytes.fromhex(python_cipher.value), labels=('java', 'python')))
cipher = java_cipher.value
print(len(plain) // 2, 'bytes of plaintext ->', len(cipher) // 2, 'bytes of ciphertext')
((back, _),) = both('khoros.cryptor.decrypt_cbc', {'keyText': KEY_TEXT, 'value': cipher, 'iv': IV})
print('decrypted:', bytes.fromhex(back.value))

# %% [markdown]
# ### What CBC refuses, and what it lets through
# Each refusal has its Java exception and the same reason path in Python: an IV that is not 16 bytes (`InvalidAlgorithmParameter`), a raw key that is not 16, 24 or 32 bytes (`InvalidKey`), an empty raw key (`SecretKeySpec`'s `IllegalArgumentException`: `EmptyKey`), a ciphertext that is not whole blocks (`IllegalBlockSize`), padding that does not check out (`BadPadding`). An **empty** ciphertext is not refused: it decrypts to no bytes.
#
# Decryption checks nothing but the padding. Flipping a bit of ciphertext block 1 flips the same bit of plaintext block 2: here the last padding byte `10` becomes `11`, and `BadPadding` says so. A caller who tells `BadPadding` apart from its other failures is a padding oracle (finding ST-2, `audit.ipynb`).

# %%
flipped = cipher[:30] + f'{int(cipher[30:32], 16) ^ 1:02x}' + cipher[32:]  # byte 15 of block 1
cases = {
    'IV of 15 bytes': ('khoros.cryptor.encrypt_cbc', {'keyText': KEY_TEXT, 'value': plain, 'iv': IV[:30]}),
    'raw key of 15 bytes': ('khoros.cryptor.encrypt_cbc', {'keyHex': '00' * 15, 'value': plain, 'iv': IV}),
    'empty raw key': ('khoros.cryptor.encrypt_cbc', {'keyHex': '', 'value': plain, 'iv': IV}),
    'not whole blocks': ('khoros.cryptor.decrypt_cbc', {'keyText': KEY_TEXT, 'value': cipher[:-2], 'iv': IV}),
    'a bit of block 1 flipped': ('khoros.cryptor.decrypt_cbc', {'keyText': KEY_TEXT, 'value': flipped, 'iv': IV}),
    'empty ciphertext': ('khoros.cryptor.decrypt_cbc', {'keyText': KEY_TEXT, 'value': '', 'iv': IV}),
}
calls = list(cases.values())
for label, java_answer, python_answer in zip(cases, JAVA.call_many(calls), PYTHON.call_many(calls)):
    assert judge.same(java_answer, python_answer)
    print(f'{label:26} java {java_answer.describe()[:70]:72} python: the same')

# %% [markdown]
# ## 3. GCM: ciphertext ‖ tag, with an IV of any length
# `encryptGCM` returns the ciphertext followed by the 16-byte tag. GCM is made for 96-bit IVs; for any other length the counter starts at `GHASH(IV)` (NIST SP 800-38D). Java accepts any non-empty length, 1 byte and 200 bytes included, where common libraries refuse (`cryptography`'s `AESGCM` wants 8 to 128 bytes), so the port computes those itself.
#
# A 1-byte IV leaves 256 nonces: by the birthday bound a repeat is more likely than not by the 20th message under one key, and a repeated GCM nonce gives away the XOR of the two plaintexts and the means to forge tags.

# %%
GCM_KEY = bytes(range(16)).hex()  # a raw test key: new Cryptor(byte[])
message = b'{"conversationDisplayId":"1234"}'.hex()
ivs = {'12 bytes (96 bits)': '00' * 11 + '01', '1 byte': '01', '200 bytes': 'ab' * 200}
sealed = both('khoros.cryptor.encrypt_gcm', *({'keyHex': GCM_KEY, 'value': message, 'iv': iv, 'aad': None} for iv in ivs.values()))
for label, (java_sealed, _) in zip(ivs, sealed):
    data = bytes.fromhex(java_sealed.value)
    print(f'{label:18} ciphertext {data[:-16].hex()[:32]}...  tag {data[-16:].hex()}   python: the same')
try:
    AESGCM(bytes.fromhex(GCM_KEY)).encrypt(b'\x01', bytes.fromhex(message), None)
except ValueError as exc:
    print('cryptography AESGCM with a 1-byte IV:', exc)

# %% [markdown]
# ### AAD, tags, and a JDK 17 quirk
# An `aad` of `null` (Java never calls `updateAAD`) and an empty one give the same tag. A changed ciphertext, tag or AAD fails with `AEADBadTagException` (`BadTag`), and an empty IV with `InvalidAlgorithmParameterException`. Input shorter than the tag is **not** a `BadTag` in JDK 17: SunJCE throws an unchecked `ProviderException` caused by `ShortBufferException`, which a caller catching `BadPaddingException` or `AEADBadTagException` does not catch. The port answers the same reason path.

# %%
iv = ivs['12 bytes (96 bits)']
genuine = sealed[0][0].value
(null_aad, _), (empty_aad, _) = both(
    'khoros.cryptor.encrypt_gcm',
    {'keyHex': GCM_KEY, 'value': message, 'iv': iv, 'aad': None},
    {'keyHex': GCM_KEY, 'value': message, 'iv': iv, 'aad': ''},
)
print('aad null and aad empty give the same tag:', null_aad.value == empty_aad.value)
cases = {
    'genuine': {'value': genuine, 'iv': iv, 'aad': None},
    'a bit of the tag flipped': {'value': genuine[:-2] + f'{int(genuine[-2:], 16) ^ 1:02x}', 'iv': iv, 'aad': None},
    'another AAD': {'value': genuine, 'iv': iv, 'aad': '00'},
    'shorter than the tag': {'value': genuine[:30], 'iv': iv, 'aad': None},
    'empty IV': {'value': genuine, 'iv': '', 'aad': None},
}
for label, (java_answer, _) in zip(cases, both('khoros.cryptor.decrypt_gcm', *({'keyHex': GCM_KEY, **args} for args in cases.values()))):
    print(f'{label:26} java {java_answer.describe()[:80]:82} python: the same')

# %% [markdown]
# ## 4. Every vector, Python and Java
# `vectors/khoros_cryptor.json` records what the Java answered for every input the suite pins down (made by `vectors/generators/khoros.py`; each flag is explained in the file's `notes`). `conformance.runner.run` sends each vector to both implementations through the contract, judges every answer and runs the CBC and GCM round trips (each one encrypts, each one decrypts). The record shows itself: the headline, the verdicts per implementation and the interop matrices.

# %%
from conformance import catalog, runner
from conformance.paths import vectors_dir
from conformance.report.notebook import show
from conformance.vectors import iter_cases

flow = catalog.flow('khoros_cryptor')
path = vectors_dir() / flow.vector_file
record = runner.run(list(iter_cases(path)), [PYTHON, JAVA], vector_files=[path], progress=False)
assert record.gate_passes(), list(record.failing())[:5]
show(record)
