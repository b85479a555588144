"""Write the notebooks of the two flows of the Khoros document's Java: ``notebooks/khoros_secure_transfer.ipynb``
(``SymmetricKeyEncryptionProvider``, the transfer link) and ``notebooks/khoros_cryptor.ipynb`` (``Cryptor``).

Source cells only, with sequential cell ids: exactly what ``nbstripout`` leaves, so the committed notebooks are
this tool's output byte for byte (``tests/test_notebooks.py`` checks it).

    python tools/make_khoros_notebook.py           # write both notebooks
    python tools/make_khoros_notebook.py --check   # exit 1, naming them, if the committed ones differ
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"

#: The last section of both notebooks: the flow's vector file against Python and the Java, as the harness runs it.
VECTOR_FILE_CODE = (
    "from conformance import catalog, runner\n"
    "from conformance.paths import vectors_dir\n"
    "from conformance.report.notebook import show\n"
    "from conformance.vectors import iter_cases\n"
    "\n"
    "flow = catalog.flow({flow!r})\n"
    "path = vectors_dir() / flow.vector_file\n"
    "record = runner.run(list(iter_cases(path)), [PYTHON, JAVA], vector_files=[path], progress=False)\n"
    "assert record.gate_passes(), list(record.failing())[:5]\n"
    "show(record)"
)

SECURE_TRANSFER = [
    new_markdown_cell(
        "# Khoros Secure Transfer, byte by byte\n\n"
        "Khoros sends the customer to the brand's portal with a link `https://portal?payload=...&iv=...`. The payload "
        "is AES-CBC ciphertext in URL-safe Base64; the brand decrypts it with Khoros's Java class "
        "`SymmetricKeyEncryptionProvider`. This notebook runs that **Java** (the vendor's own classes, through JPype) "
        "next to the **Python port** and compares the bytes.\n\n"
        "This is the flow `khoros_secure_transfer` (vectors `vectors/khoros_secure_transfer.json`, "
        "`conformance run --flow khoros_secure_transfer`). The document is `shared/seeds/001_143f91f2e6ef410a.txt` "
        '(Khoros, "Secure Transfer", Brand Messenger edition): the Java classes and the portal\'s `decryptPayload`. '
        "The reference that checks it is that Java, unmodified (`java_ref/`, registry name `java`). Where the notebook "
        "compares Python with Java, it calls both through the implementation contract "
        "(`registry.shared(name).call_many`), as the harness does. The document's other class, `Cryptor`, is the flow "
        "`khoros_cryptor` (`khoros_cryptor.ipynb`). Every key here is a test key."
    ),
    new_code_cell(
        "import json\n"
        "from conformance import judge, registry\n"
        "from conformance.hexdiff import hex_diff\n"
        "from conformance.codecs import decode_base64\n"
        "from conformance.references import java, khoros_java\n"
        "from conformance.vendors import khoros\n"
        "JAVA, PYTHON = registry.shared('java'), registry.shared('python')  # the implementation contract\n"
        "java.start()\n"
        "print(JAVA.versions())"
    ),
    new_markdown_cell(
        "## 1. A key and an IV, generated as Khoros does\n"
        "`generateNewKey()` gives 32 random bytes, `generateNewIV()` 16, both in *standard* Base64 with padding."
    ),
    new_code_cell(
        "SKEP = java.jclass(khoros_java.SKEP)\n"
        "key = java.from_java_string(SKEP.generateNewKey().get())\n"
        "iv = java.from_java_string(SKEP.generateNewIV())\n"
        "print('key bytes:', len(decode_base64(key)), ' iv bytes:', len(decode_base64(iv)))\n"
        "# A fixed IV with '+' and '/' in it, so the pitfalls below are reproducible:\n"
        "iv = 'kAOZ+mZ/8hT0L1oQw9Xk2A=='"
    ),
    new_markdown_cell("## 2. Encrypt the document's example payload with the Java reference"),
    new_code_cell(
        "from conformance.vendors.khoros import DOCUMENT_PAYLOAD\n"
        "payload_json = json.dumps(DOCUMENT_PAYLOAD, separators=(',', ':'))\n"
        "java_provider = khoros_java.skep(key, iv, True)\n"
        "cipher_text = java.from_java_string(java_provider.encryptString(java.to_java_string(payload_json)))\n"
        "print(cipher_text[:80], '...', len(cipher_text), 'characters, no padding')"
    ),
    new_markdown_cell(
        "## 3. Build the transfer link, then parse it\n"
        "The IV is standard Base64, so the link must percent-encode its `+`, `/` and `=`."
    ),
    new_code_cell(
        "link = khoros.build_transfer_link('https://portal.example/secure', cipher_text, iv)\n"
        "print(link[:60], '...', link[-40:])\n"
        "parsed_payload, parsed_iv = khoros.parse_transfer_link(link)\n"
        "assert (parsed_payload, parsed_iv) == (cipher_text, iv)"
    ),
    new_markdown_cell("## 4. Decrypt in Python"),
    new_code_cell(
        "python_plain = khoros.decrypt_payload(parsed_iv, parsed_payload, key)\n"
        "python_plain['conversationDisplayId'], python_plain['agentUUID']"
    ),
    new_markdown_cell(
        "## 5. The bytes, side by side\n"
        "Java's `decryptString` and Python's `decrypt_string` on the same link (the op `khoros.skep.decrypt`, called "
        "through the contract); any difference would be marked `!!`."
    ),
    new_code_cell(
        "args = {'secretKey': key, 'ivKey': parsed_iv, 'base64Keys': True, 'cipherText': parsed_payload}\n"
        "(java_text,), (python_text,) = JAVA.call_many([('khoros.skep.decrypt', args)]), PYTHON.call_many([('khoros.skep.decrypt', args)])\n"
        "print(hex_diff(java_text.value[:64], python_text.value[:64], labels=('java', 'python')))\n"
        "assert judge.same(java_text, python_text)\n"
        "assert python_text.value == khoros.SymmetricKeyEncryptionProvider(key, parsed_iv, True).decrypt_string(parsed_payload)"
    ),
    new_code_cell(
        "args = {'secretKey': key, 'ivKey': iv, 'base64Keys': True, 'plainText': payload_json}\n"
        "(java_cipher,), (python_cipher,) = JAVA.call_many([('khoros.skep.encrypt', args)]), PYTHON.call_many([('khoros.skep.encrypt', args)])\n"
        "print(hex_diff(decode_base64(java_cipher.value)[:48], decode_base64(python_cipher.value)[:48], labels=('java ciphertext', 'python ciphertext')))\n"
        "assert judge.same(java_cipher, python_cipher) and python_cipher.value == cipher_text"
    ),
    new_markdown_cell(
        "## 6. Pitfalls\n### The `+` in the IV\nA link that passed through a form decoder "
        "(`application/x-www-form-urlencoded`) has had its `+` turned into a space. commons-codec **skips** the space, "
        "so the Java silently decodes a 15-byte IV and fails with `EncryptionException` caused by "
        "`InvalidAlgorithmParameterException`. `parse_transfer_link` restores the `+`."
    ),
    new_code_cell(
        "damaged_iv = iv.replace('+', ' ')\n"
        "print('IV bytes after form decoding:', len(decode_base64(damaged_iv)))\n"
        "call = ('khoros.skep.decrypt', {'secretKey': key, 'ivKey': damaged_iv, 'base64Keys': True, 'cipherText': cipher_text})\n"
        "(java_answer,), (python_answer,) = JAVA.call_many([call]), PYTHON.call_many([call])\n"
        "print('java:  ', java_answer.describe())\n"
        "print('python:', python_answer.describe())\n"
        "assert judge.same(java_answer, python_answer)\n"
        "form_link = f'https://portal.example/secure?payload={cipher_text}&iv={damaged_iv}'\n"
        "print('repaired by parse_transfer_link:', khoros.parse_transfer_link(form_link)[1] == iv)"
    ),
    new_markdown_cell(
        "### Lenient Base64\nThe decoder accepts both alphabets, skips anything outside them, stops at the first `=` "
        "and discards non-zero trailing bits. Different strings therefore decrypt to the same payload: never use the "
        "ciphertext *string* as a replay or cache key."
    ),
    new_code_cell(
        "variants = {\n"
        "    'canonical': cipher_text,\n"
        "    'standard alphabet': cipher_text.replace('-', '+').replace('_', '/'),\n"
        "    'with junk and newlines': '\\n'.join(cipher_text[i:i+10] for i in range(0, len(cipher_text), 10)) + ' !!',\n"
        "    'padding then garbage': cipher_text + '==garbage',\n"
        "}\n"
        "calls = [('khoros.skep.decrypt', {'secretKey': key, 'ivKey': iv, 'base64Keys': True, 'cipherText': text}) for text in variants.values()]\n"
        "for label, j, p in zip(variants, JAVA.call_many(calls), PYTHON.call_many(calls)):\n"
        "    print(f'{label:24} same plaintext as canonical: {j.value == payload_json}   java == python: {judge.same(j, p)}')\n"
        "    assert judge.same(j, p)"
    ),
    new_markdown_cell(
        "### A wrong key\nCBC has no integrity check: a wrong key usually fails the padding check, but about 1 time "
        "in 256 it does not, and garbage comes out."
    ),
    new_code_cell(
        "wrong_key = khoros.SymmetricKeyEncryptionProvider.generate_new_key()\n"
        "call = ('khoros.skep.decrypt', {'secretKey': wrong_key, 'ivKey': iv, 'base64Keys': True, 'cipherText': cipher_text})\n"
        "(java_answer,), (python_answer,) = JAVA.call_many([call]), PYTHON.call_many([call])\n"
        "print('java:  ', java_answer.describe()[:100])\n"
        "print('python:', python_answer.describe()[:100])\n"
        "assert judge.same(java_answer, python_answer)\n"
        "print('decrypt_payload with the wrong key:', khoros.decrypt_payload(iv, cipher_text, wrong_key))"
    ),
    new_markdown_cell(
        "## 7. Every vector, Python and Java\n"
        "`vectors/khoros_secure_transfer.json` records what the Java answered for every input the suite pins down "
        "(made by `vectors/generators/khoros.py`). `conformance.runner.run` sends each vector to both implementations "
        "through the contract, judges every answer (`conformance.judge`) and runs the round trip (each one encrypts, "
        "each one decrypts). The record shows itself: the headline, the verdicts per implementation and the interop "
        "matrix. Python's *deviations* are `acceptable` vectors answered differently, as `DEVIATIONS.md` explains "
        "(org.json leniencies of `decryptPayload`)."
    ),
    new_code_cell(VECTOR_FILE_CODE.format(flow="khoros_secure_transfer")),
]

CRYPTOR = [
    new_markdown_cell(
        "# Khoros `Cryptor`, byte by byte\n\n"
        "The Khoros document ships a second Java class beside `SymmetricKeyEncryptionProvider`: `Cryptor`, AES over "
        "**bytes** in two modes,\n\n"
        "* `encryptCBC` / `decryptCBC`: `AES/CBC/PKCS5PADDING` with a 16-byte IV, and no integrity check;\n"
        "* `encryptGCM` / `decryptGCM`: `AES/GCM/NoPadding`, the 128-bit tag appended to the ciphertext, optional "
        "AAD;\n\n"
        "with a key that is either raw bytes (`new Cryptor(byte[])`: 16, 24 or 32 bytes) or a string hashed by "
        "`aesHashBlock` (`new Cryptor(String)`: the first 16 bytes of SHA-256, so always AES-128).\n\n"
        "This is the flow `khoros_cryptor` (vectors `vectors/khoros_cryptor.json`, `conformance run --flow "
        'khoros_cryptor`). The document is `shared/seeds/001_143f91f2e6ef410a.txt` (Khoros, "Secure Transfer", '
        "Brand Messenger edition, `Cryptor.java`). The reference that checks it is the vendor's `Cryptor` itself, "
        "unmodified, in-process through JPype (`java_ref/`, registry name `java`); the Python port is "
        "`conformance.vendors.khoros.Cryptor`. Every comparison below calls both through the implementation contract "
        "(`registry.shared(name).call_many`) with the op vocabulary of `docs/adapter-protocol.md`: bytes as hex, the "
        "key as `keyText` (the String constructor) or `keyHex` (the byte[] constructor). The transfer link is the "
        "flow `khoros_secure_transfer` (`khoros_secure_transfer.ipynb`). Every key here is a test key."
    ),
    new_code_cell(
        "import hashlib\n"
        "from cryptography.hazmat.primitives.ciphers.aead import AESGCM\n"
        "from conformance import judge, registry\n"
        "from conformance.hexdiff import hex_diff\n"
        "from conformance.references import java\n"
        "JAVA, PYTHON = registry.shared('java'), registry.shared('python')  # the implementation contract\n"
        "java.start()\n"
        "print(JAVA.versions())\n"
        "\n"
        "\n"
        "def both(op, *arguments):\n"
        '    """Java\'s and Python\'s answers to calls of one op, as (java, python) pairs; asserts they are the same."""\n'
        "    calls = [(op, args) for args in arguments]\n"
        "    pairs = list(zip(JAVA.call_many(calls), PYTHON.call_many(calls)))\n"
        "    for java_answer, python_answer in pairs:\n"
        "        assert judge.same(java_answer, python_answer), (java_answer.describe(), python_answer.describe())\n"
        "    return pairs"
    ),
    new_markdown_cell(
        "## 1. The key from a string: `aesHashBlock`\n"
        "`new Cryptor(String)` hashes the string: SHA-256 over `s.getBytes(UTF_8)`, first 16 bytes. The key is "
        "therefore 128 bits whatever the string's length, and it is one unsalted hash: a guessable string is a "
        "guessable key. Java's encoder writes a lone surrogate as `?`, so `'a\\ud800b'` and `'a?b'` are the same key "
        "(Python's own `str.encode` would refuse the surrogate)."
    ),
    new_code_cell(
        "texts = ['test-cryptor-key', 'a?b', 'a\\ud800b', 'Jos\\u00e9 \\U0001f600', '']\n"
        "hashes = both('khoros.cryptor.aes_hash_block', *({'s': text} for text in texts))\n"
        "for text, (java_hash, python_hash) in zip(texts, hashes):\n"
        "    print(f'{text!r:22} java {java_hash.value}  python {python_hash.value}')\n"
        "assert hashes[0][0].value == hashlib.sha256(texts[0].encode()).digest()[:16].hex()\n"
        "assert hashes[1][0].value == hashes[2][0].value  # a lone surrogate is hashed as '?'"
    ),
    new_markdown_cell(
        "## 2. CBC: PKCS#5 padding, a 16-byte IV, no integrity\n"
        "The padding is 1 to 16 bytes, so a plaintext of exactly one block (16 bytes) gives two blocks of ciphertext: "
        "the second is all padding."
    ),
    new_code_cell(
        "KEY_TEXT = 'test-cryptor-key'  # a test key\n"
        "IV = bytes(range(16)).hex()\n"
        "plain = b'Secure Transfer!'.hex()  # exactly one block\n"
        "((java_cipher, python_cipher),) = both('khoros.cryptor.encrypt_cbc', {'keyText': KEY_TEXT, 'value': plain, 'iv': IV})\n"
        "print(hex_diff(bytes.fromhex(java_cipher.value), bytes.fromhex(python_cipher.value), labels=('java', 'python')))\n"
        "cipher = java_cipher.value\n"
        "print(len(plain) // 2, 'bytes of plaintext ->', len(cipher) // 2, 'bytes of ciphertext')\n"
        "((back, _),) = both('khoros.cryptor.decrypt_cbc', {'keyText': KEY_TEXT, 'value': cipher, 'iv': IV})\n"
        "print('decrypted:', bytes.fromhex(back.value))"
    ),
    new_markdown_cell(
        "### What CBC refuses, and what it lets through\n"
        "Each refusal has its Java exception and the same reason path in Python: an IV that is not 16 bytes "
        "(`InvalidAlgorithmParameter`), a raw key that is not 16, 24 or 32 bytes (`InvalidKey`), an empty raw key "
        "(`SecretKeySpec`'s `IllegalArgumentException`: `EmptyKey`), a ciphertext that is not whole blocks "
        "(`IllegalBlockSize`), padding that does not check out (`BadPadding`). An **empty** ciphertext is not refused: "
        "it decrypts to no bytes.\n\n"
        "Decryption checks nothing but the padding. Flipping a bit of ciphertext block 1 flips the same bit of "
        "plaintext block 2: here the last padding byte `10` becomes `11`, and `BadPadding` says so. A caller who "
        "tells `BadPadding` apart from its other failures is a padding oracle (finding ST-2, `audit.ipynb`)."
    ),
    new_code_cell(
        "flipped = cipher[:30] + f'{int(cipher[30:32], 16) ^ 1:02x}' + cipher[32:]  # byte 15 of block 1\n"
        "cases = {\n"
        "    'IV of 15 bytes': ('khoros.cryptor.encrypt_cbc', {'keyText': KEY_TEXT, 'value': plain, 'iv': IV[:30]}),\n"
        "    'raw key of 15 bytes': ('khoros.cryptor.encrypt_cbc', {'keyHex': '00' * 15, 'value': plain, 'iv': IV}),\n"
        "    'empty raw key': ('khoros.cryptor.encrypt_cbc', {'keyHex': '', 'value': plain, 'iv': IV}),\n"
        "    'not whole blocks': ('khoros.cryptor.decrypt_cbc', {'keyText': KEY_TEXT, 'value': cipher[:-2], 'iv': IV}),\n"
        "    'a bit of block 1 flipped': ('khoros.cryptor.decrypt_cbc', {'keyText': KEY_TEXT, 'value': flipped, 'iv': IV}),\n"
        "    'empty ciphertext': ('khoros.cryptor.decrypt_cbc', {'keyText': KEY_TEXT, 'value': '', 'iv': IV}),\n"
        "}\n"
        "calls = list(cases.values())\n"
        "for label, java_answer, python_answer in zip(cases, JAVA.call_many(calls), PYTHON.call_many(calls)):\n"
        "    assert judge.same(java_answer, python_answer)\n"
        "    print(f'{label:26} java {java_answer.describe()[:70]:72} python: the same')"
    ),
    new_markdown_cell(
        "## 3. GCM: ciphertext ‖ tag, with an IV of any length\n"
        "`encryptGCM` returns the ciphertext followed by the 16-byte tag. GCM is made for 96-bit IVs; for any other "
        "length the counter starts at `GHASH(IV)` (NIST SP 800-38D). Java accepts any non-empty length, 1 byte and "
        "200 bytes included, where common libraries refuse (`cryptography`'s `AESGCM` wants 8 to 128 bytes), so the "
        "port computes those itself.\n\n"
        "A 1-byte IV leaves 256 nonces: by the birthday bound a repeat is more likely than not by the 20th message "
        "under one key, and a repeated GCM nonce gives away the XOR of the two plaintexts and the means to forge tags."
    ),
    new_code_cell(
        "GCM_KEY = bytes(range(16)).hex()  # a raw test key: new Cryptor(byte[])\n"
        'message = b\'{"conversationDisplayId":"1234"}\'.hex()\n'
        "ivs = {'12 bytes (96 bits)': '00' * 11 + '01', '1 byte': '01', '200 bytes': 'ab' * 200}\n"
        "sealed = both('khoros.cryptor.encrypt_gcm', *({'keyHex': GCM_KEY, 'value': message, 'iv': iv, 'aad': None} for iv in ivs.values()))\n"
        "for label, (java_sealed, _) in zip(ivs, sealed):\n"
        "    data = bytes.fromhex(java_sealed.value)\n"
        "    print(f'{label:18} ciphertext {data[:-16].hex()[:32]}...  tag {data[-16:].hex()}   python: the same')\n"
        "try:\n"
        "    AESGCM(bytes.fromhex(GCM_KEY)).encrypt(b'\\x01', bytes.fromhex(message), None)\n"
        "except ValueError as exc:\n"
        "    print('cryptography AESGCM with a 1-byte IV:', exc)"
    ),
    new_markdown_cell(
        "### AAD, tags, and a JDK 17 quirk\n"
        "An `aad` of `null` (Java never calls `updateAAD`) and an empty one give the same tag. A changed ciphertext, "
        "tag or AAD fails with `AEADBadTagException` (`BadTag`), and an empty IV with "
        "`InvalidAlgorithmParameterException`. Input shorter than the tag is **not** a `BadTag` in JDK 17: SunJCE "
        "throws an unchecked `ProviderException` caused by `ShortBufferException`, which a caller catching "
        "`BadPaddingException` or `AEADBadTagException` does not catch. The port answers the same reason path."
    ),
    new_code_cell(
        "iv = ivs['12 bytes (96 bits)']\n"
        "genuine = sealed[0][0].value\n"
        "(null_aad, _), (empty_aad, _) = both(\n"
        "    'khoros.cryptor.encrypt_gcm',\n"
        "    {'keyHex': GCM_KEY, 'value': message, 'iv': iv, 'aad': None},\n"
        "    {'keyHex': GCM_KEY, 'value': message, 'iv': iv, 'aad': ''},\n"
        ")\n"
        "print('aad null and aad empty give the same tag:', null_aad.value == empty_aad.value)\n"
        "cases = {\n"
        "    'genuine': {'value': genuine, 'iv': iv, 'aad': None},\n"
        "    'a bit of the tag flipped': {'value': genuine[:-2] + f'{int(genuine[-2:], 16) ^ 1:02x}', 'iv': iv, 'aad': None},\n"
        "    'another AAD': {'value': genuine, 'iv': iv, 'aad': '00'},\n"
        "    'shorter than the tag': {'value': genuine[:30], 'iv': iv, 'aad': None},\n"
        "    'empty IV': {'value': genuine, 'iv': '', 'aad': None},\n"
        "}\n"
        "for label, (java_answer, _) in zip(cases, both('khoros.cryptor.decrypt_gcm', *({'keyHex': GCM_KEY, **args} for args in cases.values()))):\n"
        "    print(f'{label:26} java {java_answer.describe()[:80]:82} python: the same')"
    ),
    new_markdown_cell(
        "## 4. Every vector, Python and Java\n"
        "`vectors/khoros_cryptor.json` records what the Java answered for every input the suite pins down (made by "
        "`vectors/generators/khoros.py`; each flag is explained in the file's `notes`). `conformance.runner.run` sends "
        "each vector to both implementations through the contract, judges every answer and runs the CBC and GCM round "
        "trips (each one encrypts, each one decrypts). The record shows itself: the headline, the verdicts per "
        "implementation and the interop matrices."
    ),
    new_code_cell(VECTOR_FILE_CODE.format(flow="khoros_cryptor")),
]

#: file name -> (cells, the registry names of the references it needs)
NOTEBOOKS = {
    "khoros_secure_transfer.ipynb": (SECURE_TRANSFER, ["java"]),
    "khoros_cryptor.ipynb": (CRYPTOR, ["java"]),
}


def render(name: str) -> str:
    """The text of notebook ``name`` as it is committed (no outputs, cell ids ``"0"``, ``"1"``, ...)."""
    cells, references = NOTEBOOKS[name]
    notebook = new_notebook(cells=[nbformat.from_dict(dict(cell)) for cell in cells])
    for index, cell in enumerate(notebook.cells):
        cell["id"] = str(index)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata["handoff"] = {"references": references}
    nbformat.validate(notebook)
    return nbformat.writes(notebook) + "\n"


def main(argv: list[str]) -> int:
    """Write the notebooks (0), or with ``--check`` compare them with the committed files (1 when any differs)."""
    check = "--check" in argv
    stale = []
    for name in NOTEBOOKS:
        path = NOTEBOOK_DIR / name
        text = render(name)
        if check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
    for name in stale:
        print(f"notebooks/{name} differs from what tools/make_khoros_notebook.py writes", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
