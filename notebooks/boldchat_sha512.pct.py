# ---
# jupyter:
#   handoff:
#     references:
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
# # BoldChat SecureParameters, SHA-512 method
#
# BoldChat (LogMeIn) validates chats, visits and conversions whose data comes in one `SecureParameters` value, made on
# the brand's server by one of two methods: **SHA-512** (a keyed hash in front of the data) or **PGP** (encrypted to
# BoldChat's server key and signed with the brand's key). Source: BoldChat Help Center, "Validating Chats, Visits and
# Conversions (Data Validation)", `shared/seeds/002_716097936015a710.txt`.
#
# This notebook covers building `SecureParameters` with the SHA-512 method, checked against OpenSSL. It is the flow
# `boldchat_sha512` (vectors `vectors/boldchat_sha512.json`, `conformance run --flow boldchat_sha512`): the parameter
# names, their URL-form encoding, and the keyed hash. The reference that checks it is OpenSSL (`openssl dgst -sha512`,
# registry name `openssl`), called through the implementation contract (`registry.shared(name).call_many`) as the
# harness does. The server's checks on what it receives, with each error message exactly as the document gives it,
# are the flow `boldchat_validator` (`boldchat_validator.ipynb`); the PGP method is `boldchat_pgp`
# (`boldchat_pgp.ipynb`). Every key here is a **test key**.

# %%
from conformance import judge, registry
from conformance.vendors import boldchat
from conformance.vendors.boldchat import (
    decode_parameters,
    encode_parameters,
    secure_parameters_sha512,
    unsecured_value,
    verify_sha512,
)

PYTHON, OPENSSL = registry.shared("python"), registry.shared("openssl")  # the implementation contract
HASHING_KEY = "test-hashing-key-0001"  # a test key, as configured on the New/Edit Website window
NOW = 1_767_225_600_000  # ms since 1970-01-01 UTC (2026-01-01T00:00:00Z)
LATER = NOW + 3_600_000

# %% [markdown]
# ## Parameters
#
# The document's table gives every parameter a friendly name and an original short name; both are accepted.
# `customField_[name]` has no short name.

# %%
print(f"{'friendly':22} {'original':10} section")
for row in boldchat.PARAMETERS:
    print(f"{row.friendly:22} {row.original:10} {row.section}")

# %%
print(boldchat.translate_to_original([("VisitName", "Robert Smith"), ("FirstName", "Rob"), ("Expiration", "1")]))
print(boldchat.to_friendly("cbdid"), boldchat.to_friendly("vn"))

# %% [markdown]
# The parameters are URL-form encoded into one string: `%20` for a space (never `+`), `%40` for `@`. The
# document's example comes out exactly. The `Unsecured` list is `&`-separated, so its `&` becomes `%26`.

# %%
encoded = encode_parameters({"VisitName": "Robert Smith", "VisitEmail": "r.smith@gmail.com"})
assert encoded == "VisitName=Robert%20Smith&VisitEmail=r.smith%40gmail.com"
print(encoded)
with_unsecured = encode_parameters([("Type", "chat"), ("Unsecured", unsecured_value(["VisitName", "InitialQuestion"]))])
print(with_unsecured)
print(decode_parameters(with_unsecured))

# %% [markdown]
# ## SHA-512 SecureParameters
#
# "The private hashing key will be concatenated in front of this value, and then hashed using the SHA-512 algorithm.
# The hashed value should then be hex-encoded and appended to the front of the SecureParameters variable."
# So `SecureParameters = HEX(SHA-512(key + encoded)) + encoded`: 128 uppercase hex digits, no separator.
#
# The document's own example hash (`1939D964…7A9E`) cannot be reproduced: its hashing key is not published. The
# independent check is OpenSSL's `openssl dgst -sha512`.

# %%
params = [
    ("VisitName", "Robert Smith"),
    ("VisitEmail", "r.smith@gmail.com"),
    ("Type", "chat"),
    ("Expiration", str(LATER)),
    ("ChatKey", "session-0001"),
]
secure = secure_parameters_sha512(params, HASHING_KEY)
print(secure[:128])
print(secure[128:])
call = ("boldchat.sha512.secure", {"encoded": encode_parameters(params), "hashingKey": HASHING_KEY})
(from_python,), (from_openssl,) = PYTHON.call_many([call]), OPENSSL.call_many([call])
assert judge.same(from_python, from_openssl) and from_openssl.value == secure
print("OpenSSL agrees:", OPENSSL.versions()["openssl"])
print(verify_sha512(secure, HASHING_KEY))

# %% [markdown]
# ## What is hashed, byte by byte
#
# The hashing key's UTF-8 bytes, then the encoded parameters, nothing in between; the digest goes in front as 128
# uppercase hex digits. A key outside ASCII is hashed as its UTF-8 bytes, and OpenSSL, given the same bytes, agrees.
#
# The digest *is* SHA-512's state after `key ‖ data`, so whoever sees a `SecureParameters` can go on hashing without
# the key and append parameters of their own: length extension, finding BOLD-1, done step by step in `audit.ipynb`.

# %%
import hashlib

message = (HASHING_KEY + encode_parameters(params)).encode("utf-8")
print(message[:60], "...", len(message), "bytes")
assert hashlib.sha512(message).hexdigest().upper() == secure[:128]
keys = ["cl\u00e9-de-test", "k", "x" * 200]
calls = [("boldchat.sha512.secure", {"encoded": "Type=chat", "hashingKey": key}) for key in keys]
for key, mine, theirs in zip(keys, PYTHON.call_many(calls), OPENSSL.call_many(calls)):
    assert judge.same(mine, theirs)
    print(f"{key[:14]!r:16} openssl {theirs.value[:32]}...  python: the same")

# %% [markdown]
# ## Every vector, Python and OpenSSL
#
# `vectors/boldchat_sha512.json` (made by `vectors/generators/boldchat_sha512.py`): `SecureParameters` over encoded
# data come from OpenSSL; the rest (over pairs, verification, encoding, decoding, names), which no program of
# BoldChat's implements, from the independent model of the document's rules in `vectors/generators/_boldchat_rules.py`
# (its own encoder and table, every hash by OpenSSL). `conformance.runner.run` sends every vector to
# Python and to OpenSSL through the contract and judges each answer; OpenSSL answers only `boldchat.sha512.secure`,
# the rest are *unsupported* for it. The round trip: what each one hashes, Python verifies. The record shows itself.

# %%
from conformance import catalog, runner
from conformance.paths import vectors_dir
from conformance.vectors import iter_cases
from conformance.report.notebook import show

flow = catalog.flow('boldchat_sha512')
path = vectors_dir() / flow.vector_file
record = runner.run(list(iter_cases(path)), [PYTHON, OPENSSL], vector_files=[path], progress=False)
assert record.gate_passes(), list(record.failing())[:5]
show(record)
