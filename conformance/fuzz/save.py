"""``--save DIR``: one candidate vector per class of divergence (:mod:`conformance.fuzz.classes`), in the flow's
vector format, each expected answer asked of the reference again (through
:class:`conformance.vectorgen.VectorFileBuilder`), never typed or edited.

A candidate is the class example's minimized input where there is one, else the input as found. The file goes to
``DIR/<flow>.candidates.json``; a maintainer who keeps a candidate moves it into the flow's generator.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from conformance import catalog
from conformance.arguments import require_instance, require_path
from conformance.contract import Implementation
from conformance.errors import UsageError
from conformance.files import os_reason, user_path
from conformance.fuzz.classes import ranked
from conformance.fuzz.record import CampaignRecord
from conformance.paths import kind_of
from conformance.vectorgen import VectorFileBuilder

FLAG = "CampaignDivergence"


def candidate_path(directory: Path, flow_id: str) -> Path:
    """Returns ``DIR/<flow>.candidates.json``. Raises :class:`InvalidArgument` for a path that is not one or a
    ``flow_id`` that is not a catalog flow's."""
    return require_path(directory, "directory") / f"{catalog.flow(flow_id).id}.candidates.json"


def writable_dir(directory: Path | None, option: str = "--save") -> Path | None:
    """``directory``, made if missing, when files can be written in it. Raises :class:`UsageError`."""
    if directory is None:
        return None
    path = user_path(directory, option)
    kind = kind_of(path)
    if kind == "file":
        raise UsageError(f"{option} {path}: is a file; give a folder")
    if kind == "other":
        raise UsageError(f"{option} {path}: cannot be used as a folder (too long a name, a loop, not a folder)")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"{option} {path}: the folder cannot be made ({os_reason(exc)})") from None
    if not os.access(path, os.W_OK):
        raise UsageError(f"{option} {path}: the folder is not writable")
    return path


def save(record: CampaignRecord, reference: Implementation, directory: Path) -> Path | None:
    """Write one candidate vector per class of the record's divergences (a record without classes: each kept
    divergence); return the file, or ``None`` when there are none. Raises :class:`InvalidArgument` for arguments of
    the wrong type, :class:`UsageError` for a folder that cannot be written."""
    record = require_instance(record, "record", CampaignRecord)
    reference = require_instance(reference, "reference", Implementation)
    folder = writable_dir(require_path(directory, "directory"), "directory")
    assert folder is not None  # a path was given
    examples = [entry.example for entry in ranked(record.classes)] or record.divergences
    if not examples:
        return None
    flow = catalog.flow(record.flow)
    builder = VectorFileBuilder(
        scheme=flow.id,
        schema=flow.schema_file,
        notes={
            FLAG: {
                "bugType": "EDGE_CASE",
                "description": (
                    f"Found by a differential campaign (conformance fuzz, seed {record.seed}): "
                    f"{record.implementation.get('name')} answered differently from {reference.name}. "
                    "The expected answer is the reference's."
                ),
            }
        },
        header=[f"Candidate vectors from conformance fuzz --flow {flow.id} --seed {record.seed}; review before use."],
    )
    source = {"name": f"{reference.name} (asked by conformance fuzz)", "implementation": reference.name}
    source.update({k: str(v) for k, v in reference.versions().items()})
    groups: dict[str, dict[str, Any]] = {}
    seen: set[str] = set()
    for divergence in examples:
        args = (divergence.minimized or {}).get("args") or divergence.args
        key = json.dumps([divergence.op, args], sort_keys=True)
        if key in seen:
            continue
        seen.add(key)
        if divergence.op not in groups:
            groups[divergence.op] = builder.group(divergence.op, source)
        group = groups[divergence.op]
        comment = f"campaign case {divergence.case}" + (" (minimized)" if divergence.minimized else "")
        builder.add(group, reference, comment, [FLAG], dict(args))
    path = candidate_path(folder, flow.id)
    builder.write(path)
    return path
