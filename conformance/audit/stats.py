"""Small statistics for measured figures: quantiles, and how well two timing distributions can be told apart."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from conformance.arguments import require_int, require_items, require_number, require_str
from conformance.errors import InvalidArgument

#: The most values one sample holds (a timing proof measures a few thousand).
MAX_SAMPLES = 100_000


def require_sample(values: Any, name: str) -> list[float]:
    """The finite numbers of a non-empty list or tuple of at most :data:`MAX_SAMPLES`. Raises
    :class:`InvalidArgument` (:class:`NullArgument` for ``None``) naming ``name`` otherwise."""
    found = require_items(values, require_str(name, "name"), (int, float), limit=MAX_SAMPLES)
    if not found:
        raise InvalidArgument(f"{name} must not be empty")
    for value in found:
        require_number(value, f"an item of {name}")
    return found


def quantile(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile (0..1, clamped) with linear interpolation. Raises :class:`InvalidArgument` for no values,
    more than :data:`MAX_SAMPLES`, a value or ``q`` that is not a finite number."""
    ordered = sorted(require_sample(values, "values"))
    position = (len(ordered) - 1) * min(max(require_number(q, "q"), 0.0), 1.0)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary(values: Sequence[float]) -> dict[str, float]:
    """``{n, median, p10, p25, p75, p90}`` of ``values``. Raises :class:`InvalidArgument` as :func:`quantile`."""
    values = require_sample(values, "values")
    return {
        "n": len(values),
        "median": quantile(values, 0.5),
        "p10": quantile(values, 0.1),
        "p25": quantile(values, 0.25),
        "p75": quantile(values, 0.75),
        "p90": quantile(values, 0.9),
    }


def auc(first: Sequence[float], second: Sequence[float]) -> float:
    """P(a value of ``first`` > a value of ``second``), ties counted half (the Mann-Whitney statistic, scaled).

    0.5 means one measurement tells nothing about which distribution it came from. Raises
    :class:`InvalidArgument` for an empty sample, one over :data:`MAX_SAMPLES`, or a value that is not a finite number.
    """
    first, second = require_sample(first, "first"), require_sample(second, "second")
    labelled = sorted([(v, 0) for v in first] + [(v, 1) for v in second])
    rank_sum = 0.0
    index = 0
    while index < len(labelled):
        end = index
        while end + 1 < len(labelled) and labelled[end + 1][0] == labelled[index][0]:
            end += 1
        average_rank = (index + end) / 2 + 1
        rank_sum += average_rank * sum(1 for k in range(index, end + 1) if labelled[k][1] == 0)
        index = end + 1
    n1, n2 = len(first), len(second)
    return (rank_sum - n1 * (n1 + 1) / 2) / (n1 * n2)


def auc_z(value: float, n1: int, n2: int) -> float:
    """How many standard errors ``value`` (an :func:`auc` of samples of sizes ``n1``, ``n2``) lies from 0.5, under
    the hypothesis that both samples come from one distribution (normal approximation, no tie correction)."""
    if not 0 <= require_number(value, "value") <= 1:
        raise InvalidArgument("value must be an AUC, from 0 to 1")
    n1, n2 = (
        require_int(n1, "n1", minimum=1, maximum=MAX_SAMPLES),
        require_int(n2, "n2", minimum=1, maximum=MAX_SAMPLES),
    )
    return (value - 0.5) / math.sqrt((n1 + n2 + 1) / (12 * n1 * n2))


def best_threshold_accuracy(first: Sequence[float], second: Sequence[float]) -> float:
    """The accuracy of the best single-threshold rule that labels one measurement as ``first`` or ``second``,
    on equal numbers of each (0.5 = chance). Raises :class:`InvalidArgument` as :func:`auc` does."""
    first, second = require_sample(first, "first"), require_sample(second, "second")
    labelled = sorted([(v, 0) for v in first] + [(v, 1) for v in second])
    n1, n2 = len(first), len(second)
    below_first = below_second = 0
    best = 0.5
    for index, (value, label) in enumerate(labelled):
        if label == 0:
            below_first += 1
        else:
            below_second += 1
        if index + 1 < len(labelled) and labelled[index + 1][0] == value:
            continue
        # "first" below the threshold, or "second" below it; balanced accuracy so sample sizes do not matter.
        one_way = (below_first / n1 + (n2 - below_second) / n2) / 2
        best = max(best, one_way, 1 - one_way)
    return best


def separation(first: Sequence[float], second: Sequence[float]) -> dict[str, Any]:
    """How far apart two samples are: both summaries, the median difference, the AUC and the best threshold
    accuracy (``first`` minus ``second`` for the difference). Raises :class:`InvalidArgument` as :func:`auc` does."""
    first, second = require_sample(first, "first"), require_sample(second, "second")
    one, two = summary(first), summary(second)
    return {
        "first": one,
        "second": two,
        "median_difference": one["median"] - two["median"],
        "auc": round(auc(first, second), 4),
        "threshold_accuracy": round(best_threshold_accuracy(first, second), 4),
    }


__all__ = [
    "MAX_SAMPLES",
    "auc",
    "auc_z",
    "best_threshold_accuracy",
    "quantile",
    "require_sample",
    "separation",
    "summary",
]
