"""The checked registry of what ``inspect`` knows per consumer op: mistakes, quirks, layer decoders and oracles.

Each flow brings one module, ``conformance/inspect/mistakes/<flow>.py`` (listed in :data:`MODULES`), that registers
its entries at import. :func:`register` refuses an op the catalog does not declare for the flow (or that does not
consume), a flag the flow's vector notes do not have, and a mistake registered twice. Op kinds
(:mod:`conformance.kinds`) contribute generic mistakes for every op of their kind: :func:`load` adds them, checked
the same way. Everything is keyed by op.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from conformance import catalog
from conformance.errors import UsageError
from conformance.inspect.model import Args, Invert, Layer, Mistake, Quirk
from conformance.outcome import Outcome

#: The flow modules, each registering its op's entries on import.
MODULES: tuple[str, ...] = (
    "conformance.inspect.mistakes.khoros_secure_transfer",
    "conformance.inspect.mistakes.khoros_cryptor",
    "conformance.inspect.mistakes.khoros_widget_jwt",
    "conformance.inspect.mistakes.talkative_signed_data",
    "conformance.inspect.mistakes.thread_messenger",
    "conformance.inspect.mistakes.boldchat_sha512",
    "conformance.inspect.mistakes.boldchat_validator",
    "conformance.inspect.mistakes.boldchat_pgp",
    "conformance.inspect.mistakes.hmac_hex",
    "conformance.inspect.mistakes.stream_chat_token",
    "conformance.inspect.mistakes.twilio_access_token",
)

Call = tuple[str, str, Mapping[str, Any]]  # (reference, op, args)


@dataclass(frozen=True)
class Oracle:
    """How the references decide the consumer op where none implements it directly: ``calls(args)`` are the
    reference calls to make (reference, op, args); ``decide(args, outcomes)`` folds their answers into the
    consumer's answer, as the reference named ``reference`` gives it; ``says`` explains the oracle in one line."""

    reference: str
    calls: Callable[[Args], list[Call]]
    decide: Callable[[Args, list[Outcome]], Outcome]
    says: str


_MISTAKES: dict[str, dict[tuple[str, str, str], Mistake]] = {}
_QUIRKS: dict[str, list[Quirk]] = {}
_LAYERS: dict[str, Callable[[Args], list[Layer]]] = {}
_ORACLES: dict[str, Oracle] = {}


@cache
def notes(flow_id: str) -> Mapping[str, Mapping[str, str]]:
    """The ``notes`` of the flow's vector file (flag -> {bugType, description}), read by the vector loader."""
    from conformance.paths import vectors_dir
    from conformance.vectors import load_file

    return load_file(vectors_dir() / catalog.flow(flow_id).vector_file)["notes"]


def _check_op(flow_id: str, op_name: str) -> None:
    try:
        declared = catalog.flow_of(op_name).id
    except UsageError:
        raise ValueError(f"inspect: the catalog declares no op {op_name!r}") from None
    if declared != flow_id:
        raise ValueError(f"inspect: op {op_name} belongs to flow {declared}, not {flow_id}")
    if not catalog.op(op_name).consumes:
        raise ValueError(f"inspect: op {op_name} does not consume; mistakes are tried on consumer ops")


def _check_flag(flow_id: str, flag: str) -> None:
    if flag not in notes(flow_id):
        raise ValueError(f"inspect: flag {flag!r} is not in the notes of vectors/{flow_id}.json")


def register(mistake: Mistake) -> Mistake:
    """Add a mistake. Raises ``ValueError`` (an import-time catalog mistake) for an op the catalog does not declare
    for the flow or that does not consume, a flag the flow's vector notes lack, or a mistake already registered."""
    _check_op(mistake.flow, mistake.op)
    _check_flag(mistake.flow, mistake.flag)
    if isinstance(mistake.try_, Invert) and mistake.try_.op is not None:
        _check_op(mistake.flow, mistake.try_.op)
    table = _MISTAKES.setdefault(mistake.op, {})
    if mistake.key in table:
        raise ValueError(f"inspect: mistake {mistake.flag}{'/' + mistake.label if mistake.label else ''} of "
                         f"{mistake.op} is registered twice")  # fmt: skip
    table[mistake.key] = mistake
    return mistake


def register_for_ops(ops: Iterable[str], flag: str, try_: Any, fix: str, label: str = "") -> list[Mistake]:
    """One mistake for each of ``ops`` (all of one flow): what a kind, or a flow with sibling ops, contributes."""
    return [register(Mistake(catalog.flow_of(op).id, op, flag, try_, fix, label)) for op in ops]


def register_quirk(quirk: Quirk) -> Quirk:
    """Add a quirk, checked as :func:`register` checks a mistake."""
    _check_op(quirk.flow, quirk.op)
    _check_flag(quirk.flow, quirk.flag)
    _QUIRKS.setdefault(quirk.op, []).append(quirk)
    return quirk


def register_layers(ops: Sequence[str], decode: Callable[[Args], list[Layer]]) -> None:
    """The layer decoder of ``ops`` (one per op)."""
    for op in ops:
        catalog.op(op)
        if op in _LAYERS:
            raise ValueError(f"inspect: op {op} has two layer decoders")
        _LAYERS[op] = decode


def register_oracle(op: str, oracle: Oracle) -> None:
    """How the references decide ``op`` when none implements it (one per op)."""
    catalog.op(op)
    if op in _ORACLES:
        raise ValueError(f"inspect: op {op} has two oracles")
    _ORACLES[op] = oracle


def _kind_mistakes() -> None:
    """Register the mistakes op kinds contribute for their consumer ops (those confirmed by an acceptance; kinds'
    mistakes that call the op with other kind parameters cannot be asked through the contract and are left out)."""
    for part in catalog.kind_parts():
        if not catalog.op(part.op).consumes:
            continue
        flow_id = catalog.flow_of(part.op).id
        for found in part.mistakes():
            if found.confirm != "accepted" or found.extra.get("params"):
                continue
            mistake = Mistake(flow_id, part.op, found.flag, Invert(found.attempt, found.fix), found.fix)
            if mistake.key not in _MISTAKES.get(part.op, {}):
                register(mistake)


@cache
def load() -> None:
    """Import every flow module and add the kinds' mistakes (once). Raises ``ValueError`` as :func:`register`."""
    for module in MODULES:
        importlib.import_module(module)
    _kind_mistakes()


def mistakes(op: str) -> tuple[Mistake, ...]:
    load()
    return tuple(_MISTAKES.get(op, {}).values())


def quirks(op: str) -> tuple[Quirk, ...]:
    load()
    return tuple(_QUIRKS.get(op, ()))


def layers_of(op: str) -> Callable[[Args], list[Layer]] | None:
    load()
    return _LAYERS.get(op)


def oracle(op: str) -> Oracle | None:
    load()
    return _ORACLES.get(op)


def inspectable_ops() -> tuple[str, ...]:
    """The consumer ops ``inspect`` has mistakes or a layer decoder for, in catalog order."""
    load()
    return tuple(name for name in catalog.op_names() if name in _MISTAKES or name in _LAYERS)
