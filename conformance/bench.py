"""Benchmarks: the Python port against its reference, timed in the same run. Prints figures; asserts nothing.

``python -m conformance.bench [--iterations N] [--skip-campaigns]`` (``nox -s bench``):

* ``decrypt_string`` against the vendor's ``decryptString`` in a warmed loop inside the JVM (the speed of the port);
* the BoldChat PGP campaign with 2 jobs (cases a minute, and on free cores from its CPU time) beside the RSA-2048
  private-key operations a CPU-second of one core of each side (OpenSSL for the port, BouncyCastle for the
  reference), the limit they put on it, and whether 100,000 cases a minute is met or that limit is the bound;
* campaigns (``conformance fuzz``): a million ``khoros.skep.decrypt`` cases, Python against the vendor's Java, with
  the legacy engine and then the bulk engine (``--engine``) in turn, ``--skep-rounds`` times (default 2), with the CPU a
  case of each run, the ratio of their best rates and the load average beside them; then the same case taken apart (drawing it, the raw cost
  of each side, the campaign's cost over theirs) and the same comparison as a Hypothesis property; and
  each flow against each of its references in turn for up to ``--campaign-cases`` cases or ``--campaign-seconds``,
  whichever comes first (the speed of a whole differential campaign, generation, both sides and judging included;
  the differences DEVIATIONS.md names are counted apart).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import sys
import time
import timeit
from collections.abc import Callable, Sequence
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


def campaign(
    flow: str,
    ops: tuple[str, ...],
    cases: int,
    seconds: float | None,
    jobs: int,
    engine_name: str = "bulk",
    progress: Callable[[int, int], None] | None = None,
    reference: str | None = None,
):
    """Run one campaign of the Python port against ``reference`` (default: the flow's first) with the engine
    ``engine_name`` (``progress``: told the cases and divergences of each batch as it is judged); return its record,
    or why not."""
    from conformance.errors import ConformanceError
    from conformance.fuzz import engine
    from conformance.fuzz.plan import Plan, check, default_reference, select_ops
    from conformance.spec import ImplementationSpec

    try:
        reference = reference or default_reference(flow)
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
        return engine.run(plan, jobs=jobs, progress=progress)
    except ConformanceError as exc:
        return str(exc)


#: The PGP campaign's target, cases a minute with 2 jobs (issue 20).
PGP_TARGET = 100_000
#: How many of the campaign's cases are opened to count the RSA operations a case costs.
RSA_SAMPLE = 2_000


def rsa_key() -> tuple[Any, bytes]:
    """A fresh RSA-2048 private key (``cryptography``) and a PKCS#1 v1.5 block encrypted to it."""
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key, key.public_key().encrypt(b"k" * 32, padding.PKCS1v15())


def rsa_private_operations_per_second(seconds: float = 2.0, key: Any = None, sealed: bytes = b"") -> float:
    """RSA-2048 private-key operations (PKCS#1 v1.5 decryptions, OpenSSL through ``cryptography``, as the port
    does them) a CPU-second of one core (the thread's CPU time over about ``seconds``, so other work on the machine
    does not count), with ``key`` and ``sealed`` (:func:`rsa_key`; a new key when ``key`` is None)."""
    from cryptography.hazmat.primitives.asymmetric import padding

    if key is None:
        key, sealed = rsa_key()
    decrypt, count = key.decrypt, 0
    started, cpu = time.perf_counter(), time.thread_time()
    while time.perf_counter() - started < seconds:
        for _ in range(20):
            decrypt(sealed, padding.PKCS1v15())
        count += 20
    return count / max(time.thread_time() - cpu, 1e-9)


def rsa_operations_per_case(cases: int = RSA_SAMPLE) -> tuple[float, float]:
    """Over the first ``cases`` cases the PGP generator draws from seed 1: the cases a second that reach the session
    key (each would cost one RSA private-key operation on each side without a memo), and the RSA operations the port
    does with its memo of decrypted session keys (``openpgp.encryption._rsa_decrypt``; the BouncyCastle helper
    remembers likewise). Both as a share of the cases."""
    import random
    from unittest import mock

    from conformance.fuzz.generators.pgp import pgp_open
    from conformance.openpgp import encryption, messages
    from conformance.vendors.boldchat_pgp import OPS

    rnd, reached = random.Random(1), 0
    recover = messages.recover_session_key

    def counted(*args: Any) -> Any:
        nonlocal reached
        reached += 1
        return recover(*args)

    encryption._rsa_decrypt.cache_clear()
    with mock.patch.object(messages, "recover_session_key", counted):
        for _ in range(cases):
            with contextlib.suppress(Exception):
                OPS["boldchat.pgp.open"](pgp_open(rnd))
    operations = encryption._rsa_decrypt.cache_info().misses
    encryption._rsa_decrypt.cache_clear()
    return reached / cases, operations / cases


def _cpu_seconds() -> float:
    """CPU time of this process and of its ended children (the campaign's worker processes, their JVMs included)."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def pgp_bench(seconds: float, jobs: int = 2) -> None:
    """The BoldChat PGP campaign with ``jobs`` processes for ``seconds``, beside the limit the RSA-2048 private-key
    operations of both sides, measured here on one core, put on it; says whether the target is met.

    The machine may be shared, so rates are also given per CPU-second: the RSA operations per CPU-second of one
    core, and the campaign's cases per CPU-second of its processes (start-up included) times the cores it has."""
    from conformance.errors import ConformanceError
    from conformance.fuzz.plan import default_reference

    reference, cores = default_reference("boldchat_pgp"), min(jobs, os.cpu_count() or 1)
    key, sealed = rsa_key()
    openssl = rsa_private_operations_per_second(key=key, sealed=sealed)
    try:
        theirs: float | None = registry.bridge(reference).rsa_private_operations_per_second(reference, key, sealed)
    except (ConformanceError, ImportError) as exc:
        theirs, why = None, str(exc)
    share, remembered = rsa_operations_per_case()
    marks: list[tuple[float, int]] = []

    def mark(cases: int, _found: int) -> None:
        marks.append((time.monotonic(), (marks[-1][1] if marks else 0) + cases))

    cpu = _cpu_seconds()
    record = campaign("boldchat_pgp", (), 10_000_000, seconds, jobs, progress=mark)
    cpu = _cpu_seconds() - cpu
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"\nboldchat_pgp with --jobs {jobs} against {reference}, {seconds:.0f} s ({cores} cores, load average {load})"
    )
    print(f"  RSA-2048 private-key operations a CPU-second of one core: {openssl:,.0f} OpenSSL (the port)", end="")
    print(f", {theirs:,.0f} BouncyCastle (the reference)" if theirs else f"; BouncyCastle not measured: {why}")
    print(
        f"  cases reaching the session key: {share:.2f} (the first {RSA_SAMPLE:,} cases of seed 1); RSA operations "
        f"a case with the memo of decrypted session keys: {remembered:.3f} on each side"
    )
    limit = None
    if theirs:
        # every case that reaches the session key costs one operation on each side; nothing else is counted
        unremembered = 60 * cores / (share * (1 / openssl + 1 / theirs))
        print(f"  the RSA limit on {cores} cores without the memo (one operation a case reaching the session key): "
              f"{unremembered:,.0f} cases/min")  # fmt: skip
        limit = 60 * cores / (max(remembered, 1e-9) * (1 / openssl + 1 / theirs))
        print(f"  the RSA limit on {cores} cores with it: {limit:,.0f} cases/min")
    if isinstance(record, str):
        print(f"  campaign not run: {record}")
        return
    free = record.cases / cpu * 60 * cores if cpu > 0 else 0.0
    steady = second_half_rate(marks) * 60
    print(
        f"  campaign: {record.cases:,} cases in {record.seconds:.1f} s = {record.cases_per_second * 60:,.0f} cases/min "
        f"(worker start-up and JIT warm-up included), {record.divergence_count} divergences"
    )
    print(f"  in its second half (warm): {steady:,.0f} cases/min")
    print(
        f"  its processes used {cpu:.1f} CPU-seconds (start-up included): {free:,.0f} cases/min on {cores} free cores"
    )
    print(f"  {pgp_verdict(steady, free, limit)}")


def second_half_rate(marks: Sequence[tuple[float, int]]) -> float:
    """Cases a second over the second half of a campaign, from its ``(time, cases judged so far)`` marks (0.0 with
    fewer than two marks in that half)."""
    if len(marks) < 2:
        return 0.0
    half = (marks[0][0] + marks[-1][0]) / 2
    start = next(mark for mark in marks if mark[0] >= half)
    end = marks[-1]
    return (end[1] - start[1]) / (end[0] - start[0]) if end[0] > start[0] else 0.0


def pgp_verdict(per_minute: float, free: float, limit: float | None) -> str:
    """Whether the PGP campaign (``per_minute``, warm; ``free``: on free cores) meets the target, or what bounds it."""
    target = f"target {PGP_TARGET:,} cases/min"
    if per_minute >= PGP_TARGET:
        return f"{target}: met"
    if limit is None:
        return f"{target}: not met (the RSA limit was not measured)"
    reached = f"the campaign reaches {per_minute / limit:.0%} of the RSA limit warm, {free / limit:.0%} on free cores"
    if limit < PGP_TARGET:
        return f"{target}: above the RSA limit on this machine, so the RSA limit is the bound; {reached}"
    return f"{target}: not met, although the RSA limit allows it; {reached}"


def skep_bench(cases: int, jobs: int, rounds: int = 1) -> float | None:
    """``cases`` of ``khoros.skep.decrypt`` with each engine in turn (legacy first), ``rounds`` times, the same
    cases each time: cases/s and CPU per case of each run, and the ratio of each engine's best rate. Returns the
    bulk engine's best rate (``None`` when the campaign could not run)."""
    from conformance.fuzz.plan import ENGINES

    warm = min(cases, 20_000)
    campaign("khoros_secure_transfer", ("khoros.skep.decrypt",), warm, None, jobs, "legacy")  # JIT warmed for both
    print(f"  (after {warm:,} cases to warm the JVM's JIT, not counted)")
    rates: dict[str, float] = {}
    for _ in range(max(1, rounds)):
        for name in sorted(ENGINES, key=lambda engine_name: engine_name != "legacy"):
            spent = _cpu_seconds()
            record = campaign("khoros_secure_transfer", ("khoros.skep.decrypt",), cases, None, jobs, name)
            if isinstance(record, str):
                print(f"  khoros.skep.decrypt, --engine {name}: not run: {record}")
                return None
            cpu = (_cpu_seconds() - spent) / max(1, record.cases) * 1e6
            rates[name] = max(rates.get(name, 0.0), record.cases_per_second)
            print(
                f"  khoros.skep.decrypt, --engine {name:6}: {record.cases:,} cases in {record.seconds:.1f} s, "
                f"{record.cases_per_second:,.0f} cases/s, {cpu:.1f} us CPU a case, {record.divergence_count} divergences"
            )
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"  ratio bulk/legacy (best of each): {rates['bulk'] / rates['legacy']:.2f}x  (target >= 2.5x; "
        f"load average {load}; {os.cpu_count()} cores)"
    )
    return rates.get("bulk")


#: The op whose campaign :func:`skep_costs` takes apart.
SKEP_OP = "khoros.skep.decrypt"


def _timed(work: Callable[[], Any]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def skep_costs(cases: int = 20_000, examples: int = 2_000, campaign_rate: float | None = None) -> None:
    """A ``khoros.skep.decrypt`` campaign case taken apart, in this process: drawing ``cases`` cases with each
    engine's generator, the port answering them (through the contract, one batch) and the vendor's Java answering
    them (one JPype call), then the same comparison as a Hypothesis property (``examples`` examples, one call per
    side each); with ``campaign_rate`` (the campaign's cases/s), the ratio of its cost a case to the raw cost of both
    sides. Prints the figures."""
    import random

    from conformance import judge
    from conformance.fuzz.generators import GENERATORS, fast_generator
    from conformance.spec import built

    draw, quick = GENERATORS[SKEP_OP], fast_generator(SKEP_OP)
    python, java = built("python"), built("java")
    if java.unavailable():
        print(f"  {SKEP_OP} costs: not run: the vendor's Java is unavailable ({java.unavailable()})")
        return
    rnd, quick_rnd = random.Random(1), random.Random(1)
    readable: list[tuple[str, Any]] = []
    readable_drawing = _timed(lambda: readable.extend((SKEP_OP, draw(rnd)) for _ in range(cases)))
    quick(random.Random(0))  # the fast generator's soups are drawn once per process, before the timing
    calls: list[tuple[str, Any]] = []  # the bulk engine's cases: what the campaign below answers
    drawing = _timed(lambda: calls.extend((SKEP_OP, quick(quick_rnd)) for _ in range(cases)))
    for _ in range(2):  # the JVM's JIT warmed on the whole batch, then timed: the best of three runs
        java.call_many(calls, checked=True)
    port = min(_timed(lambda: python.call_many(calls, checked=True)) for _ in range(3)) / cases * 1e6
    vendor = min(_timed(lambda: java.call_many(calls, checked=True)) for _ in range(3)) / cases * 1e6
    print(f"\n  {SKEP_OP}, its parts ({cases:,} generated cases, one process):")
    print(
        f"    drawing a case: {drawing / cases * 1e6:.1f} us with the bulk engine's fast generator, "
        f"{readable_drawing / cases * 1e6:.1f} us with the readable one (legacy)"
    )
    print(f"    raw cost, the port (one batch through the contract, arguments not checked again): {port:.1f} us a case")
    print(f"    raw cost, the vendor's Java (the batch in one JPype call): {vendor:.1f} us a case")
    if campaign_rate:
        spent = 1e6 / campaign_rate
        print(
            f"    campaign (bulk engine): {spent:.1f} us a case = {spent / (port + vendor):.2f}x the raw cost of both "
            f"sides ({spent / (port + vendor + drawing / cases * 1e6):.2f}x with the drawing)"
        )
    try:
        from hypothesis import HealthCheck, given, settings
        from hypothesis import strategies as st
    except ImportError:
        print("    the same comparison as a Hypothesis property: not run (hypothesis is not installed)")
        return
    agreed = [0]

    @settings(max_examples=examples, database=None, deadline=None, derandomize=True,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(st.randoms(use_true_random=False))
    def same_answer(random_source: random.Random) -> None:
        args = draw(random_source)
        mine, theirs = python.call_many([(SKEP_OP, args)])[0], java.call_many([(SKEP_OP, args)])[0]
        assert judge.same(mine, theirs)
        agreed[0] += 1

    seconds = _timed(same_answer)
    rate = agreed[0] / seconds
    shown = f"{rate:,.0f} examples/s"
    if campaign_rate:
        shown += f"; the campaign is {campaign_rate / rate:.0f}x faster"
    print(f"    the same comparison as a Hypothesis property: {agreed[0]:,} examples in {seconds:.1f} s, {shown}")


def campaign_bench(
    flows: list[str], cases: int, seconds: float, skep_cases: int, jobs: int, skep_rounds: int = 1
) -> None:
    from conformance import catalog

    print(f"\ncampaigns: the Python port against each of a flow's references, seed 1, {jobs} process(es); JVM and node")
    print("warm-up included; cases/s over the whole campaign")
    if skep_cases:
        skep_costs(campaign_rate=skep_bench(skep_cases, jobs, skep_rounds))
    print(
        f"\n  {'flow':24} {'reference':13} {'cases':>9} {'seconds':>8} {'cases/s':>9} {'cases/min':>10} "
        f"{'divergences':>11} {'documented':>10}"
    )
    for flow, reference in ((f, r) for f in flows for r in catalog.flow(f).references):
        record = campaign(flow, (), cases, seconds, jobs, reference=reference)
        if isinstance(record, str):
            print(f"  {flow:24} {reference:13} not run: {record}")
            continue
        print(
            f"  {flow:24} {record.reference['name']:13} {record.cases:>9,} {record.seconds:>8.1f} "
            f"{record.cases_per_second:>9,.0f} {record.cases_per_second * 60:>10,.0f} {record.divergence_count:>11,} "
            f"{sum(record.deviations.values()):>10,}"
        )
    print("  (target: >= 200,000 cases/min per flow; documented: differences DEVIATIONS.md names, counted apart;")
    print("  divergences: see README, Campaigns)")


def main(argv: list[str] | None = None) -> int:
    from conformance import catalog

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iterations", type=int, default=100_000)
    parser.add_argument("--size", type=int, default=300, help="plaintext size in bytes")
    parser.add_argument("--skip-campaigns", action="store_true", help="only the decrypt_string benchmark")
    parser.add_argument("--skip-decrypt", action="store_true", help="only the campaigns")
    parser.add_argument(
        "--campaign-cases", type=int, default=200_000, help="cases per flow and reference at most (default 200,000)"
    )
    parser.add_argument(
        "--campaign-seconds", type=float, default=20.0, help="seconds per flow and reference at most (default 20)"
    )
    parser.add_argument("--skep-cases", type=int, default=1_000_000, help="khoros.skep.decrypt cases (0: skip)")
    parser.add_argument("--skep-rounds", type=int, default=2, help="runs of each engine on those cases (default 2)")
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
        campaign_bench(flows, args.campaign_cases, args.campaign_seconds, args.skep_cases, args.jobs, args.skep_rounds)
    if args.pgp_seconds > 0:
        pgp_bench(args.pgp_seconds)


if __name__ == "__main__":
    sys.exit(main())
