"""Write notebooks/khoros_secure_transfer.ipynb (source cells only; outputs are never committed)."""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

cells = [
    new_markdown_cell(
        "# Khoros Secure Transfer, byte by byte\n\n"
        "Khoros sends the customer to the brand's portal with a link `https://portal?payload=...&iv=...`. The payload "
        "is AES-CBC ciphertext in URL-safe Base64; the brand decrypts it with Khoros's Java class "
        "`SymmetricKeyEncryptionProvider`. This notebook runs that **Java** (the vendor's own classes, through JPype) "
        "next to the **Python port** and compares the bytes."
    ),
    new_code_cell(
        "import json\n"
        "from conformance.hexdiff import hex_diff\n"
        "from conformance.codecs import decode_base64\n"
        "from conformance.references import java, khoros_java\n"
        "from conformance.vendors import khoros\n"
        "java.start()\n"
        "print(java.versions())"
    ),
    new_markdown_cell(
        "## 1. A key and an IV, generated as Khoros does\n`generateNewKey()` gives 32 random bytes, `generateNewIV()` 16, both in *standard* Base64 with padding."
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
        "## 3. Build the transfer link, then parse it\nThe IV is standard Base64, so the link must percent-encode its `+`, `/` and `=`."
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
        "## 5. The bytes, side by side\nJava's `decryptString` and Python's `decrypt_string` on the same link; any difference would be marked `!!`."
    ),
    new_code_cell(
        "java_text = java.from_java_string(java_provider.decryptString(java.to_java_string(parsed_payload)))\n"
        "python_text = khoros.SymmetricKeyEncryptionProvider(key, parsed_iv, True).decrypt_string(parsed_payload)\n"
        "print(hex_diff(java_text[:64], python_text[:64], labels=('java', 'python')))\n"
        "assert java_text == python_text"
    ),
    new_code_cell(
        "python_cipher = khoros.SymmetricKeyEncryptionProvider(key, iv, True).encrypt_string(payload_json)\n"
        "print(hex_diff(decode_base64(cipher_text)[:48], decode_base64(python_cipher)[:48], labels=('java ciphertext', 'python ciphertext')))\n"
        "assert python_cipher == cipher_text"
    ),
    new_markdown_cell(
        "## 6. Pitfalls\n### The `+` in the IV\nA link that passed through a form decoder (`application/x-www-form-urlencoded`) "
        "has had its `+` turned into a space. commons-codec **skips** the space, so the Java silently decodes a 15-byte IV "
        "and fails with `EncryptionException` caused by `InvalidAlgorithmParameterException`. `parse_transfer_link` restores the `+`."
    ),
    new_code_cell(
        "from conformance.outcome import run_op\n"
        "damaged_iv = iv.replace('+', ' ')\n"
        "print('IV bytes after form decoding:', len(decode_base64(damaged_iv)))\n"
        "args = {'secretKey': key, 'ivKey': damaged_iv, 'base64Keys': True, 'cipherText': cipher_text}\n"
        "print('java:  ', run_op(khoros_java.OPS, 'khoros.skep.decrypt', args).describe())\n"
        "print('python:', run_op(khoros.OPS, 'khoros.skep.decrypt', args).describe())\n"
        "form_link = f'https://portal.example/secure?payload={cipher_text}&iv={damaged_iv}'\n"
        "print('repaired by parse_transfer_link:', khoros.parse_transfer_link(form_link)[1] == iv)"
    ),
    new_markdown_cell(
        "### Lenient Base64\nThe decoder accepts both alphabets, skips anything outside them, stops at the first `=` and "
        "discards non-zero trailing bits. Different strings therefore decrypt to the same payload: never use the "
        "ciphertext *string* as a replay or cache key."
    ),
    new_code_cell(
        "variants = {\n"
        "    'canonical': cipher_text,\n"
        "    'standard alphabet': cipher_text.replace('-', '+').replace('_', '/'),\n"
        "    'with junk and newlines': '\\n'.join(cipher_text[i:i+10] for i in range(0, len(cipher_text), 10)) + ' !!',\n"
        "    'padding then garbage': cipher_text + '==garbage',\n"
        "}\n"
        "for label, text in variants.items():\n"
        "    args = {'secretKey': key, 'ivKey': iv, 'base64Keys': True, 'cipherText': text}\n"
        "    j = run_op(khoros_java.OPS, 'khoros.skep.decrypt', args)\n"
        "    p = run_op(khoros.OPS, 'khoros.skep.decrypt', args)\n"
        "    print(f'{label:24} same plaintext as canonical: {j.value == payload_json}   java == python: {j.comparable() == p.comparable()}')"
    ),
    new_markdown_cell(
        "### A wrong key\nCBC has no integrity check: a wrong key usually fails the padding check, but about 1 time in 256 it does not, and garbage comes out."
    ),
    new_code_cell(
        "wrong_key = khoros.SymmetricKeyEncryptionProvider.generate_new_key()\n"
        "args = {'secretKey': wrong_key, 'ivKey': iv, 'base64Keys': True, 'cipherText': cipher_text}\n"
        "print('java:  ', run_op(khoros_java.OPS, 'khoros.skep.decrypt', args).describe()[:100])\n"
        "print('python:', run_op(khoros.OPS, 'khoros.skep.decrypt', args).describe()[:100])\n"
        "print('decrypt_payload with the wrong key:', khoros.decrypt_payload(iv, cipher_text, wrong_key))"
    ),
]

notebook = new_notebook(cells=cells)
notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
notebook.metadata["handoff"] = {"references": ["java"]}
nbformat.write(notebook, Path(__file__).resolve().parents[1] / "notebooks" / "khoros_secure_transfer.ipynb")
