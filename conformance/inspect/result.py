"""What :func:`conformance.inspect.inspect` returns: the references' answers, the layers, the diagnoses.

It shows itself in Jupyter (``_repr_html_``), as text (:meth:`Inspection.text`) and as JSON
(:meth:`Inspection.to_json`); all three pass through :func:`conformance.inspect.secrets.scrub`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from conformance.inspect.engine import UNEXPLAINED
from conformance.inspect.model import Answer, Diagnosis, Layer
from conformance.inspect.secrets import scrub


@dataclass(frozen=True)
class Inspection:
    """One artifact inspected for the consumer op ``op`` of ``flow``."""

    op: str
    flow: str
    conforms: bool
    references: tuple[Answer, ...]
    layers: tuple[Layer, ...]
    diagnoses: tuple[Diagnosis, ...]
    quirks: tuple[Diagnosis, ...]
    tried: tuple[str, ...]
    oracle: str = ""
    secrets: tuple[str, ...] = ()

    @property
    def explained(self) -> bool:
        return self.conforms or bool(self.diagnoses)

    @property
    def summary(self) -> str:
        """One line: conforms, or the first diagnosis, or that no known mistake explains it."""
        deciding = next((a.reference for a in self.references if a.accepted is not None), "the references")
        if self.conforms:
            extra = f"; quirks: {', '.join(q.flag for q in self.quirks)}" if self.quirks else ""
            return f"CONFORMS: {deciding} accepts it{extra}"
        if self.diagnoses:
            return f"DOES NOT CONFORM: {deciding} refuses it; most likely {self.diagnoses[0].flag}"
        return f"DOES NOT CONFORM: {deciding} refuses it; {UNEXPLAINED}"

    def to_json(self) -> dict[str, Any]:
        document = {
            "conforms": self.conforms,
            "op": self.op,
            "flow": self.flow,
            "summary": self.summary,
            "references": {a.reference: a.to_json() for a in self.references},
            "oracle": self.oracle,
            "layers": [layer.to_json() for layer in self.layers],
            "diagnoses": [d.to_json() for d in self.diagnoses],
            "quirks": [q.to_json() for q in self.quirks],
            "tried": list(self.tried),
            "explanation": None if self.explained else UNEXPLAINED,
        }
        return scrub(document, self.secrets)  # type: ignore[no-any-return]

    def text(self) -> str:
        """The inspection for a terminal."""
        lines = [self.summary, f"op {self.op} (flow {self.flow})", "", "references:"]
        lines += [f"  {a.reference}: {'accepts' if a.accepted else 'refuses' if a.accepted is False else 'cannot answer'}"
                  f" ({a.answer})" for a in self.references]  # fmt: skip
        if self.oracle:
            lines.append(f"  ({self.oracle})")
        lines += ["", "layers:"]
        for layer in self.layers:
            lines.append(f"  {layer.name}: {_layer_line(layer)}")
            lines += [f"      {note}" for note in layer.notes]
        if self.quirks:
            lines += ["", "quirks (accepted, but worth knowing):"]
            lines += [f"  {q.flag} ({q.bug_type}): {q.note}\n      {q.evidence}" for q in self.quirks]
        if not self.conforms:
            lines += ["", "diagnosis:"]
            if not self.diagnoses:
                lines.append(f"  {UNEXPLAINED} (tried: {', '.join(self.tried) or 'none applies'})")
            for rank, d in enumerate(self.diagnoses, 1):
                label = f" [{d.label}]" if d.label else ""
                lines += [f"  {rank}. {d.flag}{label} ({d.bug_type}): {d.note}", f"     evidence: {d.evidence}",
                          f"     fix: {d.fix}"]  # fmt: skip
        return scrub("\n".join(lines), self.secrets)  # type: ignore[no-any-return]

    def _repr_html_(self) -> str:
        from conformance.inspect.display import html

        return html(self)


def _layer_line(layer: Layer) -> str:
    if layer.secret is not None:
        found = layer.secret
        return f"secret, {found.get('bytes', '?')} bytes, sha256 {found.get('sha256', '?')}"
    if layer.data is not None:
        parts = [f"{s.label or s.role} {s.end - s.start}" for s in layer.segments]
        if layer.text is not None:
            shown = repr(layer.text[:96] + ("..." if len(layer.text) > 96 else ""))
        else:
            shown = layer.data[:48].hex() + ("..." if len(layer.data) > 48 else "")
        return f"{len(layer.data)} bytes [{', '.join(parts)}] {shown}"
    return layer.text if layer.text is not None else ""
