"""The documented verifiers of the SDK token flows as live references: jsonwebtoken (``node``) and PyJWT (``pyjwt``),
each with the vendor's documented rules (``node_ref/server.mjs``, :mod:`conformance.references.pyjwt_sdk_tokens`).

A verify vector is recorded only when both answer it the same way (the same value, or the same reason): the vector
holds the agreed answer, and a disagreement stops the generator (a finding, not a vector).
"""

from __future__ import annotations

from typing import Any

from conformance import judge
from conformance.errors import ConformanceError
from conformance.spec import built
from conformance.vectorgen import VectorFileBuilder

REFERENCES = ("node", "pyjwt")


def source(rules: str) -> dict[str, str]:
    """The verify group's source: both references (through the contract) and their versions."""
    versions: dict[str, str] = {}
    for name in REFERENCES:
        versions.update(built(name).versions())
    return {
        "name": f"{rules}, on jsonwebtoken (node) and on PyJWT, agreeing (through the contract)",
        "implementation": "node",
        "agreedBy": ", ".join(REFERENCES),
        **versions,
    }


def add(
    builder: VectorFileBuilder, group: dict[str, Any], comment: str, flags: list[str], args: dict[str, Any]
) -> None:
    """Record the answer both references give ``args``. Raises :class:`ConformanceError` when they differ."""
    answers = [built(name).call_many([(group["op"], args)])[0] for name in REFERENCES]
    if not judge.same(answers[0], answers[1]):
        raise ConformanceError(
            f"{group['op']} ({comment}): node answers {answers[0].describe()[:80]}, pyjwt {answers[1].describe()[:80]}"
        )
    builder.add(group, built(REFERENCES[0]), comment, flags, args)


__all__ = ["REFERENCES", "add", "source"]
