"""The records of ``conformance inspect``: how a mistake is tried, the decoded layers of an artifact, a diagnosis.

A :class:`Mistake` names a vector flag of its flow (its note and bugType are read from ``vectors/<flow>.json``,
never restated) and says how it is tried:

* :class:`Invert`: undo the mistake on the artifact (or reread the inputs as the mistaken party did); the mistake
  is confirmed when a live reference *accepts* the corrected call;
* :class:`Reproduce`: make the artifact again from the inputs with the mistake made, by a reference's producer op;
  confirmed when the reference's answer equals the given artifact byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Args = Mapping[str, Any]
#: A correction or a mistaken producer call: the arguments (or a list of candidates, any of which may confirm it),
#: or ``None`` where the mistake cannot apply.
Attempt = Callable[[Args], "dict[str, Any] | list[dict[str, Any]] | None"]
Role = Literal[
    "iv", "key", "ciphertext", "padding", "header", "payload", "signature", "hash", "data", "message", "secret",
    "tag", "plaintext", "separator", "junk", "armor", "text",
]  # fmt: skip


@dataclass(frozen=True)
class Invert:
    """Correct the consumer call: ``correct(args)`` gives the arguments of the call a reference should accept
    (of ``op``, by default the mistake's own consumer op). ``says`` describes the correction (no secret)."""

    correct: Attempt
    says: str
    op: str | None = None
    #: a further condition on the accepting answer's value (a decryption under a wrong key unpads by chance once in
    #: 256: text that must read as text rules that out)
    confirms: Callable[[Any], bool] | None = None
    how: str = "inverted"


@dataclass(frozen=True)
class Reproduce:
    """Make the artifact with the mistake: ``make(args)`` gives the arguments of ``producer_op``; the reference's
    answer, passed through ``shape(answer, args)``, must equal ``artifact(args)`` byte for byte."""

    producer_op: str
    make: Attempt
    artifact: Callable[[Args], Any]
    says: str
    shape: Callable[[Any, Args], Any] = lambda answer, _args: answer
    how: str = "reproduced"


@dataclass(frozen=True)
class Mistake:
    """A known mistake of one consumer op, named by a vector flag of its flow; ``label`` tells apart two ways the
    same flag arises. Registered through :func:`conformance.inspect.registration.register`, which checks it."""

    flow: str
    op: str
    flag: str
    try_: Invert | Reproduce
    fix: str
    label: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.op, self.flag, self.label)


@dataclass(frozen=True)
class Quirk:
    """Something an accepted artifact still carries (an upper-case hex the verifier tolerates): ``detect(args)``
    gives the evidence, or ``None``. Named by a vector flag of its flow."""

    flow: str
    op: str
    flag: str
    detect: Callable[[Args], str | None]


@dataclass(frozen=True)
class Segment:
    """Bytes ``start:end`` of a layer, with the role that colours them."""

    start: int
    end: int
    role: str
    label: str = ""


@dataclass(frozen=True)
class Layer:
    """One decoded layer: its name, its bytes (``None`` for a secret: ``secret`` holds its length and fingerprint
    instead), the segments that colour them, and notes on how it was read."""

    name: str
    data: bytes | None = None
    segments: tuple[Segment, ...] = ()
    notes: tuple[str, ...] = ()
    secret: Mapping[str, Any] | None = None
    text: str | None = None

    def to_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {"name": self.name}
        if self.secret is not None:
            found["secret"] = dict(self.secret)
        if self.data is not None:
            found["length"] = len(self.data)
            found["hex"] = self.data.hex()
            found["segments"] = [
                {"start": s.start, "end": s.end, "role": s.role, "label": s.label} for s in self.segments
            ]
        if self.text is not None:
            found["text"] = self.text
        if self.notes:
            found["notes"] = list(self.notes)
        return found


@dataclass(frozen=True)
class Diagnosis:
    """A confirmed mistake: its flag, the flag's note and bugType, the evidence (which references confirmed it and
    how), the fix."""

    flag: str
    note: str
    bug_type: str
    evidence: str
    fix: str
    label: str = ""
    confirmed_by: tuple[str, ...] = ()
    how: str = "inverted"

    def to_json(self) -> dict[str, Any]:
        return {
            "flag": self.flag,
            "note": self.note,
            "bugType": self.bug_type,
            "evidence": self.evidence,
            "fix": self.fix,
            "label": self.label,
            "confirmedBy": list(self.confirmed_by),
            "how": self.how,
        }


@dataclass(frozen=True)
class Answer:
    """What one reference answered for the artifact as given: accepted or not, and its answer in words."""

    reference: str
    accepted: bool | None  # None: it could not answer (unavailable, io, unsupported)
    answer: str
    versions: Mapping[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"accepted": self.accepted, "answer": self.answer, "versions": dict(self.versions)}
