"""Tiny inline SVG plots for the audit report: no dependencies, no scripts, no external resources.

* :func:`histogram`: two (or more) distributions overlaid, e.g. the time of two failure paths;
* :func:`columns`: one value per position, e.g. oracle queries per byte, with an optional reference line;
* :func:`bars`: labelled horizontal bars on a linear or log scale, e.g. guessing rates or time to exhaust.

Each returns one ``<svg>`` element as text, safe to paste into HTML (every label is escaped).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from conformance.arguments import (
    require_bool,
    require_int,
    require_mapping,
    require_number,
    require_str,
    require_strings,
)
from conformance.audit.stats import MAX_SAMPLES, quantile, require_sample
from conformance.errors import InvalidArgument

COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd")
WIDTH = 760
#: The bounds of a plot: the most bins of a histogram, series overlaid, columns, bars; the largest magnitude of a
#: value (so scaled values and ticks stay finite floats).
MAX_BINS, MAX_SERIES, MAX_COLUMNS, MAX_BARS = 1000, 16, 4096, 256
MAX_MAGNITUDE = 1e300
_FONT = 'font-family="system-ui,sans-serif" font-size="11"'


def _number(value: float) -> str:
    """A compact tick label: 1200 -> 1.2k, 0.5 -> 0.5."""
    magnitude = abs(value)
    for limit, suffix in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")):
        if magnitude >= limit:
            return f"{value / limit:.3g}{suffix}"
    return f"{value:.3g}"


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    if high <= low:
        return [low]
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step) * step
    return [first + i * step for i in range(int((high - first) / step) + 1)]


def _plotted(values: Any, name: str, limit: int = MAX_SAMPLES) -> list[float]:
    """The values of a sample to plot: finite numbers of magnitude at most :data:`MAX_MAGNITUDE`, at most ``limit``."""
    found = require_sample(values, name)
    if len(found) > limit:
        raise InvalidArgument(f"{name} holds more than {limit} values")
    if any(abs(value) > MAX_MAGNITUDE for value in found):
        raise InvalidArgument(f"{name} holds a value past {MAX_MAGNITUDE:g} in magnitude")
    return found


def _frame(title: str, height: int, body: list[str]) -> str:
    label = escape(title, quote=True)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="plot" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" role="img" aria-label="{label}"><title>{label}</title>'
        f'<rect width="{WIDTH}" height="{height}" fill="#fff"/>'
        f'<text x="{WIDTH / 2}" y="16" text-anchor="middle" {_FONT} font-weight="bold">{escape(title)}</text>'
        + "".join(body)
        + "</svg>"
    )


def histogram(
    series: Mapping[str, Sequence[float]],
    *,
    title: str,
    unit: str,
    bins: int = 60,
    clip: tuple[float, float] = (0.01, 0.95),
) -> str:
    """Overlaid histograms of each named sample (each bar: the share of that sample in the bin), on one axis that
    spans the pooled ``clip`` quantiles; values beyond it are counted in the end bins, as the axis label says.
    Raises :class:`InvalidArgument` for no series or more than :data:`MAX_SERIES`, a name that is not text, an empty
    sample or one :func:`_plotted` refuses, ``bins`` outside 1 to :data:`MAX_BINS`, or a ``clip`` that is not two
    quantiles ``0 <= low < high <= 1``; for a ``title`` or ``unit`` that is not text."""
    series = require_mapping(series, "series")
    if not series or len(series) > MAX_SERIES:
        raise InvalidArgument(f"series must hold 1 to {MAX_SERIES} samples")
    series = {
        require_str(name, "a name of series"): _plotted(values, "a sample of series") for name, values in series.items()
    }
    if sum(len(values) for values in series.values()) > MAX_SAMPLES:
        raise InvalidArgument(f"series must hold at most {MAX_SAMPLES} values together")
    title, unit = require_str(title, "title"), require_str(unit, "unit")
    bins = require_int(bins, "bins", minimum=1, maximum=MAX_BINS)
    if not isinstance(clip, (tuple, list)) or len(clip) != 2:
        raise InvalidArgument("clip must be a (low, high) pair of quantiles")
    clip = (require_number(clip[0], "clip's low quantile"), require_number(clip[1], "clip's high quantile"))
    if not 0 <= clip[0] < clip[1] <= 1:
        raise InvalidArgument("clip must be two quantiles with 0 <= low < high <= 1")
    pooled = [v for values in series.values() for v in values]
    low, high = quantile(pooled, clip[0]), quantile(pooled, clip[1])
    if high <= low:
        high = low + 1
    width = (high - low) / bins
    shares: dict[str, list[float]] = {}
    for name, values in series.items():
        counts = [0] * bins
        for value in values:
            counts[min(max(int((value - low) / width), 0), bins - 1)] += 1
        shares[name] = [count / len(values) for count in counts]
    top = max(max(row) for row in shares.values()) or 1
    left, right = 56, WIDTH - 16
    plot_top = 30 + 16 * len(series)
    plot_bottom = plot_top + 200
    x = lambda v: left + (v - low) / (high - low) * (right - left)  # noqa: E731
    y = lambda s: plot_bottom - s / top * (plot_bottom - plot_top)  # noqa: E731
    body = [_axes(left, right, plot_top, plot_bottom)]
    for tick in _ticks(low, high):
        body.append(_x_tick(x(tick), plot_bottom, _number(tick)))
    for tick in _ticks(0, top * 100, 4):
        body.append(_y_tick(left, y(tick / 100), f"{tick:g}%"))
    bar = max(x(low + width) - left - 0.5, 0.5)
    for index, (name, row) in enumerate(shares.items()):
        colour = COLOURS[index % len(COLOURS)]
        for b, share in enumerate(row):
            if share:
                body.append(
                    f'<rect x="{x(low + b * width):.1f}" y="{y(share):.1f}" width="{bar:.1f}" '
                    f'height="{plot_bottom - y(share):.1f}" fill="{colour}" fill-opacity="0.5"/>'
                )
        median = quantile(series[name], 0.5)
        if low <= median <= high:
            body.append(
                f'<line x1="{x(median):.1f}" x2="{x(median):.1f}" y1="{plot_top}" y2="{plot_bottom}" '
                f'stroke="{colour}" stroke-dasharray="4 3"/>'
            )
        legend = f"{name}: median {_number(median)} {unit} (dashed), n = {len(series[name])}"
        body.append(_legend(left, 26 + 16 * index, colour, legend))
    axis = f"{unit} (axis: {clip[0]:.0%} to {clip[1]:.0%} quantiles; values beyond it in the end bins)"
    body.append(
        f'<text x="{(left + right) / 2}" y="{plot_bottom + 32}" text-anchor="middle" {_FONT}>{escape(axis)}</text>'
    )
    return _frame(title, plot_bottom + 42, body)


def columns(
    values: Sequence[float],
    *,
    title: str,
    x_label: str,
    y_label: str,
    reference: tuple[float, str] | None = None,
) -> str:
    """One column per value (position 0 on the left), with an optional horizontal ``(value, label)`` line.
    Raises :class:`InvalidArgument` for no values or more than :data:`MAX_COLUMNS` (or as :func:`_plotted`), labels
    that are not text, or a ``reference`` that is not a ``(value, label)`` pair."""
    values = _plotted(values, "values", MAX_COLUMNS)
    title, x_label, y_label = (
        require_str(title, "title"),
        require_str(x_label, "x_label"),
        require_str(y_label, "y_label"),
    )
    if reference is not None:
        if not isinstance(reference, (tuple, list)) or len(reference) != 2:
            raise InvalidArgument("reference must be a (value, label) pair")
        reference = (_plotted([reference[0]], "reference's value")[0], require_str(reference[1], "reference's label"))
    top = max([*values, reference[0] if reference else 0]) * 1.05 or 1
    left, right = 56, WIDTH - 16
    plot_top = 46 if reference else 28
    plot_bottom = plot_top + 184
    step = (right - left) / len(values)
    y = lambda v: plot_bottom - v / top * (plot_bottom - plot_top)  # noqa: E731
    body = [_axes(left, right, plot_top, plot_bottom)]
    for tick in _ticks(0, top, 4):
        body.append(_y_tick(left, y(tick), _number(tick)))
    for tick in _ticks(0, len(values), 8):
        body.append(_x_tick(left + tick * step, plot_bottom, _number(tick)))
    bar = max(step - (0.3 if step > 2 else 0), 0.4)
    for index, value in enumerate(values):
        body.append(
            f'<rect x="{left + index * step:.2f}" y="{y(value):.1f}" width="{bar:.2f}" '
            f'height="{plot_bottom - y(value):.1f}" fill="{COLOURS[0]}"/>'
        )
    if reference:
        body.append(
            f'<line x1="{left}" x2="{right}" y1="{y(reference[0]):.1f}" y2="{y(reference[0]):.1f}" '
            f'stroke="{COLOURS[1]}" stroke-dasharray="5 3"/>'
        )
        body.append(_legend(left, 26, COLOURS[1], reference[1]))
    body.append(
        f'<text x="{(left + right) / 2}" y="{plot_bottom + 32}" text-anchor="middle" {_FONT}>{escape(x_label)}</text>'
    )
    body.append(
        f'<text x="14" y="{(plot_top + plot_bottom) / 2}" text-anchor="middle" {_FONT} '
        f'transform="rotate(-90 14 {(plot_top + plot_bottom) / 2})">{escape(y_label)}</text>'
    )
    return _frame(title, plot_bottom + 42, body)


def bars(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str,
    unit: str,
    log: bool = False,
    notes: Sequence[str] | None = None,
) -> str:
    """Labelled horizontal bars; ``log`` for values spanning decades (each must then be > 0); ``notes`` are
    written at the bar ends instead of the values. Raises :class:`InvalidArgument` for mismatched or bad input (more
    than :data:`MAX_BARS` bars, labels or notes that are not text, values :func:`_plotted` refuses)."""
    labels = require_strings(labels, "labels", limit=MAX_BARS)
    values = _plotted(values, "values", MAX_BARS)
    notes = None if notes is None else require_strings(notes, "notes", limit=MAX_BARS)
    title, unit, log = require_str(title, "title"), require_str(unit, "unit"), require_bool(log, "log")
    if not labels or len(labels) != len(values) or (notes is not None and len(notes) != len(values)):
        raise InvalidArgument("one value (and note) per label")
    if log and min(values) <= 0:
        raise InvalidArgument("a log scale needs positive values")
    left, right, row, plot_top = 250, WIDTH - 150, 22, 28
    if log:
        low = math.floor(math.log10(min(values)))
        high = max(math.ceil(math.log10(max(values))), low + 1)
        position = lambda v: left + (math.log10(v) - low) / (high - low) * (right - left)  # noqa: E731
        ticks = [(left + (d - low) / (high - low) * (right - left), f"1e{d}") for d in _decades(low, high)]
    else:
        high = max(values) * 1.05 or 1
        position = lambda v: left + v / high * (right - left)  # noqa: E731
        ticks = [(position(t), _number(t)) for t in _ticks(0, high)]
    plot_bottom = plot_top + row * len(values) + 6
    body = [_axes(left, right, plot_top, plot_bottom)]
    for x_position, text in ticks:
        body.append(_x_tick(x_position, plot_bottom, text))
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        top = plot_top + 4 + row * index
        end = max(position(value), left + 1)
        body.append(
            f'<rect x="{left}" y="{top}" width="{end - left:.1f}" height="{row - 6}" fill="{COLOURS[index % 4]}"/>'
        )
        body.append(f'<text x="{left - 6}" y="{top + row - 10}" text-anchor="end" {_FONT}>{escape(label)}</text>')
        note = notes[index] if notes is not None else f"{_number(value)} {unit}"
        body.append(f'<text x="{end + 4:.1f}" y="{top + row - 10}" {_FONT}>{escape(note)}</text>')
    axis = f"{unit} (log scale)" if log else unit
    body.append(
        f'<text x="{(left + right) / 2}" y="{plot_bottom + 32}" text-anchor="middle" {_FONT}>{escape(axis)}</text>'
    )
    return _frame(title, plot_bottom + 42, body)


def _decades(low: int, high: int) -> list[int]:
    step = max(1, math.ceil((high - low) / 8))
    return list(range(low, high + 1, step))


def _axes(left: float, right: float, top: float, bottom: float) -> str:
    return (
        f'<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}" stroke="#444"/>'
        f'<line x1="{left}" x2="{left}" y1="{top}" y2="{bottom}" stroke="#444"/>'
    )


def _x_tick(x: float, bottom: float, text: str) -> str:
    return (
        f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{bottom}" y2="{bottom + 4}" stroke="#444"/>'
        f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle" {_FONT}>{escape(text)}</text>'
    )


def _y_tick(left: float, y: float, text: str) -> str:
    return (
        f'<line x1="{left - 4}" x2="{left}" y1="{y:.1f}" y2="{y:.1f}" stroke="#444"/>'
        f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" {_FONT}>{escape(text)}</text>'
    )


def _legend(x: float, y: float, colour: str, text: str) -> str:
    return (
        f'<rect x="{x}" y="{y}" width="10" height="10" fill="{colour}" fill-opacity="0.7"/>'
        f'<text x="{x + 14}" y="{y + 9}" {_FONT}>{escape(text)}</text>'
    )


__all__ = ["bars", "columns", "histogram"]
