"""Benchmarks: the Python port against its reference, timed in the same run. Prints figures; asserts nothing.

``python -m conformance.bench [--iterations N] [--skip-campaigns]`` (``nox -s bench``):

* ``decrypt_string`` against the vendor's ``decryptString`` in a warmed loop inside the JVM (the speed of the port);
* the BoldChat PGP campaign with 2 jobs beside RSA-2048 private-key operations a second on one core, its bound;
* campaigns (``conformance fuzz``): a million ``khoros.skep.decrypt`` cases, Python against the vendor's Java, with
  the legacy engine and then the bulk engine (``--engine``), their ratio and the load average beside them, and
  each flow with a reference for up to ``--campaign-cases`` cases or ``--campaign-seconds``, whichever comes first
  (the speed of a whole differential campaign, generation, both sides and judging included).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import platform
import sys
import time
import timeit
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from conformance import registry
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
    return float(registry.bridge("java").nanos_per_decrypt(KEY, IV, cipher_text, iterations, repeats))


def decrypt_bench(iterations: int, size: int) -> None:
    plain = payload_of_about(size)
    cipher_text = SymmetricKeyEncryptionProvider(KEY, IV, True).encrypt_string(plain)
    python_ns = python_nanos_per_decrypt(cipher_text, iterations)
    java_ns = java_nanos_per_decrypt(cipher_text, iterations)
    print(f"decrypt_string, {len(plain.encode())}-byte plaintext, {len(cipher_text)}-character ciphertext")
    print(f"  machine: {platform.machine()} {platform.python_implementation()} {platform.python_version()}")
    print(f"  java   decryptString (warmed loop inside the JVM): {java_ns / 1000:8.2f} us/op")
    print(f"  python decrypt_string:                             {python_ns / 1000:8.2f} us/op")
    print(f"  ratio python/java: {python_ns / java_ns:.2f}x  (target <= 1.00x)")


# --- campaigns -----------------------------------------------------------------------------------------------------


def campaign(flow: str, ops: tuple[str, ...], cases: int, seconds: float | None, jobs: int, engine_name: str = "bulk"):
    """Run one campaign of the Python port against the flow's first reference with the engine ``engine_name``;
    return its record, or why not."""
    from conformance.errors import ConformanceError
    from conformance.fuzz import engine
    from conformance.fuzz.plan import Plan, check, default_reference, select_ops
    from conformance.spec import ImplementationSpec

    try:
        reference = default_reference(flow)
        plan = Plan(
            flow,
            ops or select_ops(flow),
            ImplementationSpec.builtin("python"),
            ImplementationSpec.builtin(reference),
            cases,
            seed=1,
            time_limit=seconds,
            keep=3,
            minimize=0,
            engine=engine_name,
        )
        plan, _ = check(plan)
        return engine.run(plan, jobs=jobs, produce=True)
    except ConformanceError as exc:
        return str(exc)


def rsa_private_operations_per_second(seconds: float = 2.0) -> float:
    """RSA-2048 private-key operations (PKCS#1 v1.5 decryptions, OpenSSL through ``cryptography``) a second on one
    core: the bound of a PGP campaign, whose every opened message costs one."""
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    sealed = key.public_key().encrypt(b"k" * 32, padding.PKCS1v15())
    decrypt, count = key.decrypt, 0
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        for _ in range(20):
            decrypt(sealed, padding.PKCS1v15())
        count += 20
    return count / (time.perf_counter() - started)


def pgp_bench(seconds: float, jobs: int = 2) -> None:
    """The BoldChat PGP campaign with ``jobs`` processes for ``seconds``, beside the RSA-2048 limit measured here."""
    rate = rsa_private_operations_per_second()
    record = campaign("boldchat_pgp", (), 10_000_000, seconds, jobs)
    print(f"\nboldchat_pgp with --jobs {jobs} against its first reference, {seconds:.0f} s")
    limit = rate * 60 * jobs / 2  # a case opened on both sides costs two: the port's and the reference's
    print(f"  RSA-2048 private-key operations (OpenSSL), one core: {rate:,.0f}/s")
    print(f"  the limit: two per opened case on {jobs} cores = {limit:,.0f} cases/min (BouncyCastle's RSA is slower)")
    if isinstance(record, str):
        print(f"  not run: {record}")
        return
    per_minute = record.cases_per_second * 60
    print(
        f"  campaign: {record.cases:,} cases in {record.seconds:.1f} s = {per_minute:,.0f} cases/min, "
        f"{record.divergence_count} divergences  (target >= 100,000/min or the RSA limit)"
    )


def skep_bench(cases: int, jobs: int) -> None:
    """``cases`` of ``khoros.skep.decrypt`` with each engine in turn (legacy first), the same cases, and the ratio."""
    import os

    from conformance.fuzz.plan import ENGINES

    warm = min(cases, 20_000)
    campaign("khoros_secure_transfer", ("khoros.skep.decrypt",), warm, None, jobs, "legacy")  # JIT warmed for both
    print(f"  (after {warm:,} cases to warm the JVM's JIT, not counted)")
    rates: dict[str, float] = {}
    for name in sorted(ENGINES, key=lambda engine_name: engine_name != "legacy"):
        record = campaign("khoros_secure_transfer", ("khoros.skep.decrypt",), cases, None, jobs, name)
        if isinstance(record, str):
            print(f"  khoros.skep.decrypt, --engine {name}: not run: {record}")
            return
        rates[name] = record.cases_per_second
        print(
            f"  khoros.skep.decrypt, --engine {name:6}: {record.cases:,} cases in {record.seconds:.1f} s, "
            f"{record.cases_per_second:,.0f} cases/s, {record.divergence_count} divergences"
        )
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"  ratio bulk/legacy: {rates['bulk'] / rates['legacy']:.2f}x  (target >= 2.5x; load average {load})")


def campaign_bench(flows: list[str], cases: int, seconds: float, skep_cases: int, jobs: int) -> None:
    print(f"\ncampaigns: the Python port against each flow's reference, seed 1, {jobs} process(es); JVM and node")
    print("warm-up included; cases/s over the whole campaign")
    if skep_cases:
        skep_bench(skep_cases, jobs)
    print(
        f"\n  {'flow':24} {'reference':10} {'cases':>9} {'seconds':>8} {'cases/s':>9} {'cases/min':>10} {'divergences':>11}"
    )
    for flow in flows:
        record = campaign(flow, (), cases, seconds, jobs)
        if isinstance(record, str):
            print(f"  {flow:24} not run: {record}")
            continue
        print(
            f"  {flow:24} {record.reference['name']:10} {record.cases:>9,} {record.seconds:>8.1f} "
            f"{record.cases_per_second:>9,.0f} {record.cases_per_second * 60:>10,.0f} {record.divergence_count:>11,}"
        )
    print("  (target: >= 200,000 cases/min per flow; divergences: see README, Campaigns)")


def main(argv: list[str] | None = None) -> int:
    from conformance import catalog

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iterations", type=int, default=100_000)
    parser.add_argument("--size", type=int, default=300, help="plaintext size in bytes")
    parser.add_argument("--skip-campaigns", action="store_true", help="only the decrypt_string benchmark")
    parser.add_argument("--skip-decrypt", action="store_true", help="only the campaigns")
    parser.add_argument("--campaign-cases", type=int, default=200_000, help="cases per flow at most (default 200,000)")
    parser.add_argument("--campaign-seconds", type=float, default=60.0, help="seconds per flow at most (default 60)")
    parser.add_argument("--skep-cases", type=int, default=1_000_000, help="khoros.skep.decrypt cases (0: skip)")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes per campaign")
    parser.add_argument("--flow", action="append", default=[], help="only these flows (repeatable)")
    parser.add_argument("--pgp-seconds", type=float, default=30.0, help="the PGP campaign with 2 jobs (0: skip)")
    parser.add_argument("--report", type=Path, help="also write the printed figures to this file")
    args = parser.parse_args(argv)
    if args.report is None:
        _measure(args, catalog.FLOWS)
        return 0
    copy = io.StringIO()
    with contextlib.redirect_stdout(_Tee(sys.stdout, copy)):
        _measure(args, catalog.FLOWS)
    try:
        args.report.write_text(copy.getvalue(), encoding="utf-8")
    except OSError as exc:
        print(
            f"bench: --report {args.report}: cannot be written ({exc.strerror or type(exc).__name__})", file=sys.stderr
        )
        return 3
    return 0


class _Tee(io.TextIOBase):
    """A text stream writing to two others (what is printed, and its copy)."""

    def __init__(self, *streams: TextIO) -> None:
        self.streams = streams

    def write(self, text: str) -> int:
        for stream in self.streams:
            stream.write(text)
            stream.flush()
        return len(text)


def _measure(args: argparse.Namespace, all_flows: Sequence[Any]) -> None:
    """Run the benchmarks ``args`` asks for, printing their figures."""
    if not args.skip_decrypt:
        decrypt_bench(args.iterations, args.size)
    if not args.skip_campaigns:
        flows = args.flow or [flow.id for flow in all_flows]
        campaign_bench(flows, args.campaign_cases, args.campaign_seconds, args.skep_cases, args.jobs)
    if args.pgp_seconds > 0:
        pgp_bench(args.pgp_seconds)


if __name__ == "__main__":
    sys.exit(main())
