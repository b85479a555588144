"""The SDK x SDK matrix: a vendor's own SDKs sign the same inputs, and every pair is compared input by input.

A flow declares its SDKs, its labelled inputs and its documented verifier (:class:`conformance.catalog.SdkMatrix`).
Each SDK (a live reference) answers every input; each token it makes is judged by the verifier. A cell (row SDK,
column SDK) counts the inputs where both answered the same bytes (or refused for the same reason) and those where
the verifier's verdicts agree, and explains every other input: which header fields, claims, claim order or JSON
escapes differ, or which SDK refuses and why. The diagonal compares an SDK with itself (its answers are
deterministic, so it reads identical). ``python -m conformance.sdk_matrix [OUT.md]`` writes ``docs/sdk-matrix.md``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from conformance import catalog
from conformance.contract import Implementation
from conformance.outcome import Outcome
from conformance.primitives.jwt import b64_lenient
from conformance.spec import built

#: The documented verifier that judges every token: jsonwebtoken with the vendor's rules (node_ref), a live reference,
#: never the port under test (which answers the same: tests/test_sdk_verify_references.py).
VERIFIER = "node"


def _answer(outcome: Outcome) -> str:
    return str(outcome.value) if outcome.status == "value" else f"refused: {outcome.reason or outcome.status}"


def _json_part(token: str, index: int) -> tuple[str, Any]:
    """The text of the token's ``index``-th segment and its JSON value (``None`` when it is not JSON)."""
    try:
        text = b64_lenient(token.split(".")[index]).decode("utf-8", "replace")
        return text, json.loads(text)
    except (IndexError, ValueError):
        return "", None


def _dict_differences(what: str, a: dict[str, Any], b: dict[str, Any], names: tuple[str, str]) -> list[str]:
    found = []
    for only, other, name in ((set(a) - set(b), a, names[0]), (set(b) - set(a), b, names[1])):
        found += [f"{what} {k}={json.dumps(other[k])[:40]} only in {name}" for k in sorted(only)]
    changed = sorted(k for k in set(a) & set(b) if a[k] != b[k])
    if changed:
        found.append(f"{what} values differ: " + ", ".join(changed))
    common = [k for k in a if k in b]
    if not found and common != [k for k in b if k in a]:
        found.append(f"{what} order: {', '.join(a)} vs {', '.join(b)}")
    return found


def explain(a: Outcome, b: Outcome, names: tuple[str, str]) -> str:
    """Why two SDKs' answers to one input differ, in one line (``""`` when they are the same)."""
    if a.status != "value" or b.status != "value":
        if a.status == b.status and a.reason == b.reason:
            return ""
        said = ["signs" if o.status == "value" else _answer(o) for o in (a, b)]
        return f"{names[0]} {said[0]}, {names[1]} {said[1]}"
    if a.value == b.value:
        return ""
    found: list[str] = []
    for index, what in ((0, "header"), (1, "claims")):
        text_a, value_a = _json_part(str(a.value), index)
        text_b, value_b = _json_part(str(b.value), index)
        if text_a == text_b:
            continue
        if isinstance(value_a, dict) and isinstance(value_b, dict):
            differences = _dict_differences(what, value_a, value_b, names)
            found += differences or [f"{what} JSON written differently (escapes): {text_a[:48]!r} vs {text_b[:48]!r}"]
        else:
            found.append(f"{what} not JSON in one of them")
    return "; ".join(found) or "same header and claims, other signature"


def _factored(explained: list[str], signed: list[str]) -> list[str]:
    """``explained`` with each difference that most inputs both SDKs sign share said once, first, naming the inputs
    it does not hold for; the per-input lines keep the rest (a line left with nothing and the same verdict goes)."""
    parsed = []
    for line in explained:
        label, tail = line.split(": ", 1)
        body, verdict = tail.rsplit(" (", 1)
        parsed.append((label, body.split("; "), verdict))
    signing = [(label, items) for label, items, _ in parsed if label in signed]
    counts: dict[str, list[str]] = {}
    for label, items in signing:
        for item in items:
            counts.setdefault(item, []).append(label)
    shared = [item for item, labels in counts.items() if len(labels) >= 2 and 2 * len(labels) > len(signed)]
    lines = []
    for item in shared:
        missing = [label for label in signed if label not in counts[item]]
        where = (
            f"in all {len(signed)} inputs both sign"
            if not missing
            else (f"in {len(counts[item])} of the {len(signed)} inputs both sign (not: {', '.join(missing)})")
        )
        lines.append(f"{item}: {where}")
    for label, items, verdict in parsed:
        kept = [item for item in items if item not in shared]
        if kept or not verdict.startswith("same verdict"):
            lines.append(f"{label}: {'; '.join(kept) or 'only the differences above'} ({verdict}")
    return lines


def _fitted(op: str, args: Mapping[str, Any]) -> dict[str, Any]:
    """``args`` without the arguments ``op`` does not take (an SDK that reads its own clock takes no ``now``)."""
    known = catalog.op_schema(op).get("properties", {})
    return {name: value for name, value in args.items() if name in known}


def _verdict(verifier: Implementation, op: str, args: Mapping[str, Any] | None) -> str:
    if args is None:
        return "no token"
    outcome = verifier.call_many([(op, dict(args))])[0]
    return "accepted" if outcome.status == "value" else str(outcome.reason or outcome.status)


def compare(flow_id: str, implementations: Sequence[Implementation] | None = None) -> dict[str, Any] | None:
    """The flow's SDK x SDK matrix over the SDKs among ``implementations`` (default: all of the flow's SDKs that
    are available), or ``None`` when fewer than two can run or the documented verifier cannot. Raises :class:`UsageError` for an unknown flow."""
    entry = catalog.flow(flow_id)
    spec = entry.sdk_matrix
    if spec is None:
        return None
    given = {i.name: i for i in implementations} if implementations is not None else None
    sdks: list[tuple[Implementation, str]] = []
    for name, op in spec.sdks:
        implementation = given.get(name) if given is not None else built(name)
        if implementation is not None and not implementation.unavailable() and op in implementation.ops():
            sdks.append((implementation, op))
    if len(sdks) < 2:
        return None
    verifier = built(VERIFIER)
    if verifier.unavailable():
        return None
    inputs = spec.inputs()
    answers = {i.name: i.call_many([(op, _fitted(op, args)) for _, args in inputs]) for i, op in sdks}
    verdicts = {
        name: [
            _verdict(verifier, spec.verifier, verify_args(args, o.value) if o.status == "value" else None)
            for (_, args), o in zip(inputs, outcomes, strict=True)
        ]
        for name, outcomes in answers.items()
        for verify_args in [spec.verify_overrides.get(name, spec.verify_args)]
    }
    names = list(answers)
    cells = []
    for row in names:
        for column in names:
            explained = []
            identical = agree = 0
            for index, (label, _) in enumerate(inputs):
                why = explain(answers[row][index], answers[column][index], (row, column))
                identical += not why
                same_verdict = verdicts[row][index] == verdicts[column][index]
                agree += same_verdict
                if why:
                    verdict = "same verdict" if same_verdict else f"{verdicts[row][index]} vs {verdicts[column][index]}"
                    explained.append(f"{label}: {why} ({verdict})")
            signed = [
                label
                for index, (label, _) in enumerate(inputs)
                if answers[row][index].status == answers[column][index].status == "value"
            ]
            explained = _factored(explained, signed)
            cells.append(
                {
                    "row": row,
                    "column": column,
                    "identical": identical,
                    "sameVerdict": agree,
                    "total": len(inputs),
                    "explained": explained,
                }
            )
    return {
        "flow": flow_id,
        "sdks": names,
        "versions": {i.name: i.versions() for i, _ in sdks},
        "inputs": [label for label, _ in inputs],
        "answers": {name: [_answer(o)[:80] for o in outcomes] for name, outcomes in answers.items()},
        "verdicts": verdicts,
        "cells": cells,
    }


def run_all(implementations: Sequence[Implementation]) -> dict[str, Any]:
    """``{flow: matrix}`` for every flow whose SDKs (at least two) are among ``implementations``."""
    found = {}
    for entry in catalog.FLOWS:
        if entry.sdk_matrix is not None:
            matrix = compare(entry.id, implementations)
            if matrix is not None:
                found[entry.id] = matrix
    return found


def markdown(matrices: Mapping[str, Any]) -> str:
    """The matrices as the Markdown of ``docs/sdk-matrix.md``."""
    lines = [
        "# The vendors' own SDKs side by side",
        "",
        "Written by `python -m conformance.sdk_matrix docs/sdk-matrix.md` from the live SDKs (`conformance.sdk_matrix`;",
        "the inputs are the flow's `sdk_matrix` in `conformance/catalog/flows.py`); `conformance run --html` shows the",
        "same matrix. A cell (row, column) gives the inputs on which both SDKs answered the same bytes (or refused for",
        "the same reason), then those on which the documented verifier gives both tokens the same verdict (the",
        "vendor's documented rules on jsonwebtoken, `node_ref`, a live reference: never the port under test); every",
        "other input is explained below the table, with the verdicts when they differ. An SDK that reads its own clock",
        "(Twilio's Java SDK) is compared by its token at that clock: its `exp` and `jti` differ from the others' on",
        "every input, and a fixed `nbf` (2025-12-02) is then far before its `exp`.",
    ]
    for flow_id, matrix in matrices.items():
        lines += ["", f"## `{flow_id}`", "", "Versions: "]
        lines[-1] += "; ".join(
            f"{name} " + ", ".join(f"{k} {v}" for k, v in versions.items())
            for name, versions in matrix["versions"].items()
        )
        names = matrix["sdks"]
        lines += ["", "| row \\ column | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
        cells = {(c["row"], c["column"]): c for c in matrix["cells"]}
        for row in names:
            shown = [
                f"{cells[row, c]['identical']}/{cells[row, c]['total']} identical, "
                f"{cells[row, c]['sameVerdict']} same verdict"
                for c in names
            ]
            lines.append(f"| {row} | " + " | ".join(shown) + " |")
        for cell in matrix["cells"]:
            if names.index(cell["row"]) < names.index(cell["column"]) and cell["explained"]:
                lines += ["", f"**{cell['row']} vs {cell['column']}**", ""]
                lines += [f"- {text}" for text in cell["explained"]]
        lines += ["", "Verdicts of the documented verifier, per input:", ""]
        lines += ["| input | " + " | ".join(names) + " |", "|---" * (len(names) + 1) + "|"]
        for index, label in enumerate(matrix["inputs"]):
            lines.append(f"| {label} | " + " | ".join(matrix["verdicts"][n][index] for n in names) + " |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    matrices = {e.id: m for e in catalog.FLOWS if e.sdk_matrix is not None and (m := compare(e.id)) is not None}
    text = markdown(matrices)
    if args:
        Path(args[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
