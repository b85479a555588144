"""``conformance inspect``: take one failing artifact (a transfer link, a token, a key, a message), ask the live
references about it, show its layers, and say which known mistake made it.

>>> from conformance import inspect  # doctest: +SKIP
>>> inspect.inspect("thread.verify_connection_key", {"email": "a@b.c", "secret": "s3cr3t!", "key": "AB12..."})

The mistakes are the flows' own (``conformance/inspect/mistakes/<flow>.py``), named by their vector flags.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from conformance import catalog
from conformance.errors import ReferenceUnavailable
from conformance.inspect import engine
from conformance.inspect.model import Diagnosis, Invert, Layer, Mistake, Quirk, Reproduce, Segment
from conformance.inspect.registration import register, register_for_ops
from conformance.inspect.result import Inspection
from conformance.inspect.secrets import secrets_of

__all__ = [
    "Diagnosis",
    "Inspection",
    "Invert",
    "Layer",
    "Mistake",
    "Quirk",
    "Reproduce",
    "Segment",
    "inspect",
    "inspect_args",
    "register",
    "register_for_ops",
]


def inspect_args(op: str, args: Mapping[str, Any]) -> Inspection:
    """Inspect the artifact in ``args`` (the consumer op ``op``'s own arguments).

    Returns an :class:`Inspection`. Raises :class:`~conformance.errors.UsageError` for an op that does not consume,
    :class:`~conformance.errors.InvalidArgument` for arguments its schema refuses, and
    :class:`~conformance.errors.ReferenceUnavailable` when no reference can answer here.
    """
    engine.check_op(op)
    catalog.check_args(op, args)
    args = dict(args)
    verdict = engine.verdicts(op, [args])[0]
    accepted = verdict.accepts(op)
    if accepted is None:
        why = "; ".join(f"{name}: {outcome.message}" for name, outcome in verdict.answers) or "the flow has none"
        raise ReferenceUnavailable(f"no reference can answer {op} here ({why})")
    diagnoses: list[Diagnosis] = []
    tried: list[str] = []
    quirks: list[Diagnosis] = []
    if accepted:
        quirks = engine.quirks(op, args, verdict)
        refusing = [a for a in engine.answers_of(verdict, op) if a.accepted is False]
        quirks += [Diagnosis("", "", "", f"{a.reference} refuses it ({a.answer})", "", how="disagreement")
                   for a in refusing]  # fmt: skip
    else:
        diagnoses, tried = engine.diagnose(op, args)
    return Inspection(
        op=op,
        flow=catalog.flow_of(op).id,
        conforms=bool(accepted),
        references=tuple(engine.answers_of(verdict, op)),
        layers=tuple(engine.layers(op, args)),
        diagnoses=tuple(diagnoses),
        quirks=tuple(quirks),
        tried=tuple(tried),
        oracle=verdict.says,
        secrets=secrets_of(args),
    )


def inspect(op: str | None = None, args: Mapping[str, Any] | None = None, **forms: Any) -> Inspection:
    """Inspect an artifact given as an op's arguments, or in a friendly form (``link=..., key=...``;
    ``token=..., secret=..., key_id=...``; ``token=..., public_key=...``; ``key=..., email=..., secret=...``;
    ``params=..., hashing_key=...``; ``message=..., server_key=..., signer_key=...``).

    Returns an :class:`Inspection` (it shows itself in Jupyter). Raises as :func:`inspect_args`, and
    :class:`~conformance.errors.UsageError` for a friendly form that names no flow.
    """
    from conformance.inspect.forms import resolve

    op, args = resolve(op, args, forms)
    inspection = inspect_args(op, args)
    if forms.get("link") is not None:
        from dataclasses import replace

        from conformance.inspect.mistakes.khoros_secure_transfer import link_layer

        inspection = replace(inspection, layers=(link_layer(forms["link"]), *inspection.layers))
    return inspection
