"""The benchmark's PGP figures: the RSA limit and the verdict it prints (the figures themselves: ``nox -s bench``)."""

from __future__ import annotations

import pytest

from conformance import bench


def test_pgp_verdict_says_met_only_at_the_target() -> None:
    assert bench.pgp_verdict(bench.PGP_TARGET, 200_000, 300_000).endswith(": met")
    assert not bench.pgp_verdict(bench.PGP_TARGET - 1, 200_000, 300_000).endswith(": met")


@pytest.mark.parametrize(
    ("limit", "bound"),
    [(60_000.0, "so the RSA limit is the bound"), (150_000.0, "although the RSA limit allows it")],
)
def test_pgp_verdict_names_the_rsa_limit_as_the_bound_only_below_the_target(limit: float, bound: str) -> None:
    verdict = bench.pgp_verdict(limit / 4, limit / 2, limit)
    assert bound in verdict
    assert "reaches 25% of the RSA limit warm, 50% on free cores" in verdict


def test_rsa_operations_per_case_counts_the_ports_session_key_decryptions() -> None:
    """About two thirds of the generated cases reach the session key (the rest are refused before it); with the memo
    of decrypted session keys, far fewer cases cost an RSA operation, but some do (the corpus's own keys, mutations)."""
    share, remembered = bench.rsa_operations_per_case(300)
    assert 0.4 < share < 0.9
    assert 0 < remembered < share / 2


def test_openssl_rsa_rate_is_per_cpu_second() -> None:
    key, sealed = bench.rsa_key()
    assert 100 < bench.rsa_private_operations_per_second(0.2, key, sealed) < 100_000


def test_bouncycastle_rsa_rate_is_per_cpu_second() -> None:
    from conformance import registry
    from tests.conftest import require

    require("bc-current")
    key, sealed = bench.rsa_key()
    rate = registry.bridge("bc-current").rsa_private_operations_per_second("bc-current", key, sealed, 0.3)
    assert 10 < rate < 100_000


def test_second_half_rate_leaves_the_start_out() -> None:
    # a slow start (10 cases in 5 s), then 100 cases a second
    marks = [(0.0, 0), (5.0, 10), (6.0, 110), (8.0, 310), (10.0, 510)]
    assert bench.second_half_rate(marks) == 100.0
    assert bench.second_half_rate(marks[:1]) == 0.0


def test_skep_costs_takes_the_campaign_case_apart_and_runs_the_hypothesis_property(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tests.conftest import require

    require("java")
    bench.skep_costs(cases=300, examples=25, campaign_rate=1_000.0)
    shown = capsys.readouterr().out
    for part in ("drawing a case:", "raw cost, the port", "raw cost, the vendor's Java", "the raw cost of both sides"):
        assert part in shown, shown
    # every example compared the two sides and agreed (a disagreement fails the property, and the bench with it)
    assert "Hypothesis property: 25 examples in" in shown and "the campaign is" in shown
