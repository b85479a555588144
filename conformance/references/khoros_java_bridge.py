"""The vendor's Khoros Java beyond the contract's ops, as the audit and the benchmark ask it
(``registry.bridge("java")``): the link Khoros would send, what the portal's ``decryptPayload`` makes of a link, the
padding oracle it gives away, the time its two failure paths take, ``Cryptor``'s GCM, and the JVM's decrypt speed.

Everything here calls the vendor's classes through JPype (:mod:`conformance.references.java`); the oracle's batch
and the timing loop are the project's own ``dev.handoff.ref.PaddingOracleProbe``, which calls those classes and
nothing else. Raises :class:`~conformance.errors.ReferenceUnavailable` when the JVM cannot start.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from conformance.codecs import encode_base64, encode_base64_url_safe
from conformance.outcome import Outcome
from conformance.references import java, khoros_java

PROBE = "dev.handoff.ref.PaddingOracleProbe"
#: PaddingOracleProbe's answers, by index.
OUTCOMES = ("accepted", "json_failure", "padding_failure", "other_failure")


def link_parameters(iv: bytes, ciphertext: bytes) -> tuple[str, str]:
    """``(ivKey, encryptedPayload)`` as a Khoros link carries them: standard Base64, URL-safe unpadded Base64."""
    return encode_base64(iv), encode_base64_url_safe(ciphertext)


def encrypt_link_payload(encryption_key: str, iv_key: str, plain_text: str) -> str:
    """What Khoros puts in the link's ``payload``: the vendor's ``SymmetricKeyEncryptionProvider(key, iv, true)
    .encryptString(plainText)``."""
    provider = khoros_java.skep(encryption_key, iv_key, True)
    return str(java.from_java_string(provider.encryptString(java.to_java_string(plain_text))))


def encrypt_with_one_provider(encryption_key: str, iv_key: str, plain_texts: Sequence[str]) -> list[str]:
    """Each text through one provider built once, with ``encryptString(plainText)`` (the IV set at construction)."""
    provider = khoros_java.skep(encryption_key, iv_key, True)
    return [str(java.from_java_string(provider.encryptString(java.to_java_string(t)))) for t in plain_texts]


def decrypt_payload(iv_key: str, encrypted_payload: str, encryption_key: str) -> str | None:
    """The document's ``decryptPayload`` (``dev.handoff.ref.PayloadDecryption``): the JSON text it accepts, with
    org.json's key order, or ``None`` where it returns an empty Optional."""
    result = java.jclass(khoros_java.PAYLOAD).decryptPayload(
        java.to_java_string(iv_key), java.to_java_string(encrypted_payload), java.to_java_string(encryption_key)
    )
    return java.from_java_string(result)


class VendorJavaOracle:
    """The padding oracle of a portal that tells ``decryptPayload``'s two failures apart (error, log, status, time).

    ``oracle(iv, ciphertext)`` is ``True`` unless the vendor's ``decryptString`` failed with an
    ``EncryptionException`` caused by ``BadPaddingException``; :meth:`first_valid` asks many values in one bridge
    call (same queries, same order). :attr:`queries` counts every query asked.
    """

    def __init__(self, encryption_key: str) -> None:
        self._key = java.to_java_string(encryption_key)
        self._probe = java.jclass(PROBE)
        self.queries = 0

    def __repr__(self) -> str:
        return f"VendorJavaOracle(queries={self.queries})"

    def classify(self, iv: bytes, ciphertext: bytes) -> str:
        """Which path ``decryptPayload`` takes: one of :data:`OUTCOMES`."""
        self.queries += 1
        answer = self._probe.classifyBytes(self._key, java.to_java_bytes(iv), java.to_java_bytes(ciphertext))
        return OUTCOMES[int(answer)]

    def __call__(self, iv: bytes, ciphertext: bytes) -> bool:
        return self.classify(iv, ciphertext) != "padding_failure"

    def first_valid(self, iv: bytes, ciphertext: bytes, position: int, start: int) -> tuple[int | None, int]:
        """Try ``start..255`` for byte ``position`` of ``iv``; return the first value that passes (or ``None``) and
        the queries asked."""
        value, queries = self._probe.firstValidByte(
            self._key, java.to_java_bytes(iv), java.to_java_bytes(ciphertext), position, start
        )
        self.queries += int(queries)
        return (None if int(value) < 0 else int(value)), int(queries)


def time_two_links(
    encryption_key: str,
    first: tuple[str, str],
    second: tuple[str, str],
    *,
    warmup: int,
    rounds: int,
    seed: int,
) -> tuple[list[int], list[int]]:
    """Nanoseconds per ``decryptPayload`` call on two ``(ivKey, encryptedPayload)`` links, measured inside the
    JVM in a seeded random interleaving after ``warmup`` untimed calls of each; ``rounds`` of each."""
    times = java.jclass(PROBE).timeTwoLinks(
        java.to_java_string(encryption_key),
        java.to_java_string(first[0]),
        java.to_java_string(first[1]),
        java.to_java_string(second[0]),
        java.to_java_string(second[1]),
        warmup,
        rounds,
        seed,
    )
    return [int(t) for t in times[0]], [int(t) for t in times[1]]


def nanos_per_decrypt(encryption_key: str, iv_key: str, cipher_text: str, iterations: int, repeats: int = 7) -> float:
    """The best of ``repeats`` warmed loops inside the JVM: nanoseconds per ``decryptString(cipher_text)`` of a
    ``SymmetricKeyEncryptionProvider(key, iv, true)`` (the project's ``dev.handoff.ref.DecryptBench``)."""
    provider = khoros_java.skep(encryption_key, iv_key, True)
    bench = java.jclass("dev.handoff.ref.DecryptBench")
    text = java.to_java_string(cipher_text)
    bench.nanosPerDecrypt(provider, text, 200_000, 10)  # let the JIT compile the path first
    return min(float(bench.nanosPerDecrypt(provider, text, iterations // 10, iterations)) for _ in range(repeats))


def _cryptor(key: str | bytes) -> object:
    return khoros_java.cryptor({"keyText": key} if isinstance(key, str) else {"keyHex": key.hex()})


def cryptor_encrypt_gcm(key: str | bytes, value: bytes, iv: bytes, aad: bytes | None = None) -> bytes:
    """The vendor's ``new Cryptor(key).encryptGCM(value, iv, aad)`` (a ``str`` key is a password, hashed by
    ``aesHashBlock``; bytes are the raw AES key): ciphertext || 16-byte tag. A Java exception is raised as
    :class:`~conformance.references.java.JavaError`."""
    target: Any = _cryptor(key)
    return _unwrap(
        java.call(
            lambda: java.from_java_bytes(
                target.encryptGCM(java.to_java_bytes(value), java.to_java_bytes(iv), java.to_java_bytes(aad))
            )
        )
    )


def cryptor_decrypt_gcm(key: str | bytes, sealed: bytes, iv: bytes, aad: bytes | None = None) -> Outcome:
    """The vendor's ``new Cryptor(key).decryptGCM(sealed, iv, aad)`` as an :class:`Outcome`: the plaintext bytes,
    or the Java exception's reason path (``BadTag`` when the tag does not verify)."""
    target: Any = _cryptor(key)
    return java.call(
        lambda: java.from_java_bytes(
            target.decryptGCM(java.to_java_bytes(sealed), java.to_java_bytes(iv), java.to_java_bytes(aad))
        )
    )


def aes_hash_block(password: str) -> bytes:
    """The vendor's ``Cryptor.aesHashBlock(password)``: the AES key a password becomes."""
    target: Any = _cryptor("")
    return bytes(target.aesHashBlock(java.to_java_string(password)))


def _unwrap(outcome: Outcome) -> Any:
    if outcome.status == "value":
        return outcome.value
    raise java.JavaError(outcome.reason or outcome.status, outcome.message or "")


__all__ = [
    "OUTCOMES",
    "VendorJavaOracle",
    "aes_hash_block",
    "cryptor_decrypt_gcm",
    "cryptor_encrypt_gcm",
    "decrypt_payload",
    "encrypt_link_payload",
    "encrypt_with_one_provider",
    "link_parameters",
    "nanos_per_decrypt",
    "time_two_links",
]
