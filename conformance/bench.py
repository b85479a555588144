"""Benchmarks: the Python port against its reference, timed in the same run. Prints ratios; asserts nothing.

``python -m conformance.bench [--iterations N]`` (``nox -s bench``).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import timeit

from conformance.vendors.khoros import DOCUMENT_PAYLOAD, SymmetricKeyEncryptionProvider

KEY = "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA="
IV = "kAOZ+mZ/8hT0L1oQw9Xk2A=="


def payload_of_about(size: int) -> str:
    """A JSON payload of about ``size`` bytes, built from the document's example."""
    text = json.dumps(DOCUMENT_PAYLOAD, separators=(",", ":"))
    return text[: size - 2].rsplit(",", 1)[0] + "}"


def python_nanos_per_decrypt(cipher_text: str, iterations: int, repeats: int = 7) -> float:
    provider = SymmetricKeyEncryptionProvider(KEY, IV, True)
    decrypt = provider.decrypt_string
    for _ in range(iterations // 10 + 1):
        decrypt(cipher_text)
    best = min(timeit.repeat(lambda: decrypt(cipher_text), number=iterations, repeat=repeats))
    return best / iterations * 1e9


def java_nanos_per_decrypt(cipher_text: str, iterations: int, repeats: int = 7) -> float:
    from conformance.references import java, khoros_java

    provider = khoros_java.skep(KEY, IV, True)
    bench = java.jclass("dev.handoff.ref.DecryptBench")
    text = java.to_java_string(cipher_text)
    bench.nanosPerDecrypt(provider, text, 200_000, 10)  # let the JIT compile the path first
    return min(float(bench.nanosPerDecrypt(provider, text, iterations // 10, iterations)) for _ in range(repeats))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iterations", type=int, default=100_000)
    parser.add_argument("--size", type=int, default=300, help="plaintext size in bytes")
    args = parser.parse_args(argv)
    plain = payload_of_about(args.size)
    cipher_text = SymmetricKeyEncryptionProvider(KEY, IV, True).encrypt_string(plain)
    python_ns = python_nanos_per_decrypt(cipher_text, args.iterations)
    java_ns = java_nanos_per_decrypt(cipher_text, args.iterations)
    print(f"decrypt_string, {len(plain.encode())}-byte plaintext, {len(cipher_text)}-character ciphertext")
    print(f"  machine: {platform.machine()} {platform.python_implementation()} {platform.python_version()}")
    print(f"  java   decryptString (warmed loop inside the JVM): {java_ns / 1000:8.2f} us/op")
    print(f"  python decrypt_string:                             {python_ns / 1000:8.2f} us/op")
    print(f"  ratio python/java: {python_ns / java_ns:.2f}x  (target <= 1.00x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
