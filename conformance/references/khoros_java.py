"""The Khoros ops, answered by the vendor's own Java classes through the JPype bridge."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from conformance.arguments import hex_bytes, optional_hex_bytes
from conformance.references import java

SKEP = "com.lithium.bandolier.encryption.SymmetricKeyEncryptionProvider"
CRYPTOR = "com.lithium.bandolier.encryption.Cryptor"
PAYLOAD = "dev.handoff.ref.PayloadDecryption"


def skep(secret_key: str, iv_key: str, base64_keys: bool) -> Any:
    """A vendor ``SymmetricKeyEncryptionProvider`` (the three-argument constructor)."""
    return java.jclass(SKEP)(java.to_java_string(secret_key), java.to_java_string(iv_key), base64_keys)


def cryptor(args: Mapping[str, Any]) -> Any:
    """A vendor ``Cryptor`` from ``keyText`` (String constructor) or ``keyHex`` (byte[] constructor)."""
    if "keyText" in args:
        return java.jclass(CRYPTOR)(java.to_java_string(args["keyText"]))
    return java.jclass(CRYPTOR)(java.to_java_bytes(hex_bytes(args["keyHex"], "keyHex")))


def _skep_encrypt(args: Mapping[str, Any]) -> str | None:
    provider = skep(args["secretKey"], args["ivKey"], args["base64Keys"])
    plain = java.to_java_string(args["plainText"])
    if "ivOverride" in args:
        return java.from_java_string(provider.encryptString(plain, java.to_java_string(args["ivOverride"])))
    return java.from_java_string(provider.encryptString(plain))


def _skep_decrypt(args: Mapping[str, Any]) -> str | None:
    provider = skep(args["secretKey"], args["ivKey"], args["base64Keys"])
    text = java.to_java_string(args["cipherText"])
    if "ivOverride" in args:
        return java.from_java_string(provider.decryptString(text, java.to_java_string(args["ivOverride"])))
    return java.from_java_string(provider.decryptString(text))


def _bytes_op(method: str, with_aad: bool):
    def run(args: Mapping[str, Any]) -> str | None:
        target = cryptor(args)
        call_args = [
            java.to_java_bytes(hex_bytes(args["value"], "value")),
            java.to_java_bytes(hex_bytes(args["iv"], "iv")),
        ]
        if with_aad:
            aad = args.get("aad")
            call_args.append(java.to_java_bytes(optional_hex_bytes(aad, "aad")))
        result = java.from_java_bytes(getattr(target, method)(*call_args))
        return None if result is None else result.hex()

    return run


def _aes_hash_block(args: Mapping[str, Any]) -> str:
    target = java.jclass(CRYPTOR)(java.to_java_string(""))
    return bytes(target.aesHashBlock(java.to_java_string(args["s"]))).hex()


def _decrypt_payload(args: Mapping[str, Any]) -> dict[str, Any] | None:
    text = java.jclass(PAYLOAD).decryptPayload(
        java.to_java_string(args["ivKey"]),
        java.to_java_string(args["encryptedPayload"]),
        java.to_java_string(args["encryptionKey"]),
    )
    decoded = java.from_java_string(text)
    return None if decoded is None else json.loads(decoded)


OPS = {
    name: java.op_caller(function)
    for name, function in {
        "khoros.skep.encrypt": _skep_encrypt,
        "khoros.skep.decrypt": _skep_decrypt,
        "khoros.cryptor.aes_hash_block": _aes_hash_block,
        "khoros.cryptor.encrypt_cbc": _bytes_op("encryptCBC", False),
        "khoros.cryptor.decrypt_cbc": _bytes_op("decryptCBC", False),
        "khoros.cryptor.encrypt_gcm": _bytes_op("encryptGCM", True),
        "khoros.cryptor.decrypt_gcm": _bytes_op("decryptGCM", True),
        "khoros.payload.decrypt": _decrypt_payload,
    }.items()
}


def batches() -> dict[str, Any]:
    """Batch functions by op: a whole list of one op's calls answered in one JPype call by the project's
    ``dev.handoff.ref.KhorosBatch`` (:mod:`conformance.references.khoros_java_batch`), exactly as the per-call ops."""
    from conformance.references import khoros_java_batch

    return khoros_java_batch.batch_functions()
