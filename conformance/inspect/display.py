"""The inline display of an :class:`~conformance.inspect.result.Inspection` (Jupyter ``_repr_html_``, and the HTML
page a test screenshots): a verdict banner, the references' answers, each layer's bytes coloured by role (IV, key,
ciphertext, padding, header, payload, signature, ...) with a legend, and the diagnoses. Self-contained, no script."""

from __future__ import annotations

import html as _html
from typing import TYPE_CHECKING

from conformance.inspect.model import Layer

if TYPE_CHECKING:
    from conformance.inspect.result import Inspection

#: Byte role -> background colour (the legend shows the roles a page uses, with these colours).
COLOURS = {
    "iv": "#f4a261",
    "key": "#e76f51",
    "ciphertext": "#8ecae6",
    "padding": "#ffb703",
    "header": "#90be6d",
    "payload": "#b8b8ff",
    "signature": "#f28482",
    "hash": "#cdb4db",
    "data": "#a8dadc",
    "message": "#bde0fe",
    "tag": "#ff8fab",
    "plaintext": "#caffbf",
    "junk": "#adb5bd",
    "armor": "#dee2e6",
    "text": "#e9ecef",
    "secret": "#6c757d",
}
CONFORMS_COLOUR, REFUSED_COLOUR, DIAGNOSIS_COLOUR = "#2a9d8f", "#d62828", "#fde2e4"
SHOWN_BYTES = 192

_STYLE = """
.hc-inspect{font-family:system-ui,sans-serif;font-size:13px;max-width:1100px}
.hc-inspect .banner{color:#fff;padding:6px 10px;font-weight:600;font-size:15px}
.hc-inspect table{border-collapse:collapse;margin:6px 0}
.hc-inspect table td,.hc-inspect table th{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
.hc-inspect .bytes{font-family:ui-monospace,monospace;font-size:12px;line-height:20px;word-break:break-all}
.hc-inspect .bytes span{padding:2px 0}
.hc-inspect .swatch{display:inline-block;width:40px;height:16px;margin:0 4px 0 10px;vertical-align:middle}
.hc-inspect .diagnosis{background:%s;padding:6px 10px;margin:6px 0;border-left:6px solid %s}
.hc-inspect .note{color:#555}
""" % (DIAGNOSIS_COLOUR, REFUSED_COLOUR)  # noqa: UP031 (CSS braces)


def _e(text: object) -> str:
    return _html.escape(str(text), quote=True)


def _bytes(layer: Layer) -> str:
    data = layer.data or b""
    roles = ["text"] * len(data)
    for segment in layer.segments:
        for index in range(max(0, segment.start), min(segment.end, len(data))):
            roles[index] = segment.role
    parts, start = [], 0
    limit = min(len(data), SHOWN_BYTES)
    while start < limit:
        end = start
        while end < limit and roles[end] == roles[start]:
            end += 1
        colour = COLOURS.get(roles[start], COLOURS["text"])
        parts.append(f'<span class="role-{_e(roles[start])}" style="background:{colour}">{data[start:end].hex(" ")}'
                     "</span> ")  # fmt: skip
        start = end
    more = f' <span class="note">... {len(data) - limit} more bytes</span>' if len(data) > limit else ""
    return "".join(parts) + more


def _layer_row(layer: Layer) -> str:
    if layer.secret is not None:
        found = layer.secret
        shown = (f'<span class="role-secret" style="background:{COLOURS["secret"]};color:#fff">&nbsp;secret: '
                 f"{_e(found.get('bytes', '?'))} bytes, sha256 {_e(found.get('sha256', '?'))}&nbsp;</span>")  # fmt: skip
    elif layer.data is not None:
        shown = f'<div class="bytes">{_bytes(layer)}</div>'
        if layer.text is not None:
            shown += f'<div class="note">{_e(layer.text[:300])}</div>'
    else:
        shown = _e(layer.text or "")
    labels = ", ".join(f"{s.label or s.role} ({s.end - s.start} B)" for s in layer.segments)
    notes = "".join(f'<div class="note">{_e(note)}</div>' for note in layer.notes)
    size = f"{len(layer.data)} B" if layer.data is not None else ""
    return f"<tr><th>{_e(layer.name)}<div class='note'>{_e(size)}</div></th><td>{shown}<div class='note'>" \
           f"{_e(labels)}</div>{notes}</td></tr>"  # fmt: skip


def _legend(layers: tuple[Layer, ...]) -> str:
    used = []
    for layer in layers:
        roles = ["secret"] if layer.secret is not None else [s.role for s in layer.segments]
        used += [role for role in dict.fromkeys(roles) if role not in used]
    return '<div id="legend">' + "".join(
        f'<span id="legend-{_e(r)}" class="swatch" style="background:{COLOURS.get(r, COLOURS["text"])}"></span>{_e(r)}'
        for r in used
    ) + "</div>"  # fmt: skip


def body(inspection: Inspection) -> str:
    """The inspection as an HTML fragment (what Jupyter shows)."""
    from conformance.inspect.engine import UNEXPLAINED

    colour = CONFORMS_COLOUR if inspection.conforms else REFUSED_COLOUR
    parts = [f'<div class="hc-inspect"><style>{_STYLE}</style>',
             f'<div id="verdict" class="banner" style="background:{colour}">{_e(inspection.summary)}</div>',
             f"<div class='note'>op {_e(inspection.op)} · flow {_e(inspection.flow)}</div>",
             "<h4>The references</h4><table id='references'><tr><th>reference</th><th>verdict</th><th>answer</th></tr>"]  # fmt: skip
    for answer in inspection.references:
        word = "accepts" if answer.accepted else "refuses" if answer.accepted is False else "cannot answer"
        parts.append(f"<tr><td>{_e(answer.reference)}</td><td>{word}</td><td>{_e(answer.answer)}</td></tr>")
    parts.append("</table>")
    if inspection.oracle:
        parts.append(f"<div class='note'>{_e(inspection.oracle)}</div>")
    parts += ["<h4>Layers</h4>", _legend(inspection.layers), "<table id='layers'>"]
    parts += [_layer_row(layer) for layer in inspection.layers]
    parts.append("</table>")
    if inspection.quirks:
        parts.append("<h4>Quirks (accepted, but worth knowing)</h4><ul id='quirks'>")
        parts += [f"<li><b>{_e(q.flag)}</b> {_e(q.note)} <span class='note'>{_e(q.evidence)}</span></li>"
                  for q in inspection.quirks]  # fmt: skip
        parts.append("</ul>")
    if not inspection.conforms:
        parts.append("<h4>Diagnosis</h4><div id='diagnoses'>")
        if not inspection.diagnoses:
            tried = ", ".join(inspection.tried) or "none applies"
            parts.append(f"<div class='diagnosis'><b>{UNEXPLAINED}</b> <span class='note'>(tried: {_e(tried)})"
                         "</span></div>")  # fmt: skip
        for rank, d in enumerate(inspection.diagnoses, 1):
            label = f" [{_e(d.label)}]" if d.label else ""
            parts.append(f"<div class='diagnosis' id='diagnosis-{rank}'><b>{rank}. {_e(d.flag)}</b>{label} "
                         f"<span class='note'>{_e(d.bug_type)}</span><div>{_e(d.note)}</div>"
                         f"<div><i>evidence</i>: {_e(d.evidence)}</div><div><i>fix</i>: {_e(d.fix)}</div></div>")  # fmt: skip
        parts.append("</div>")
    parts.append("</div>")
    return "".join(parts)


def html(inspection: Inspection) -> str:
    """The fragment with every secret scrubbed (:func:`conformance.inspect.secrets.scrub`)."""
    from conformance.inspect.secrets import scrub

    return scrub(body(inspection), inspection.secrets)  # type: ignore[no-any-return]


def page(inspections: list[Inspection], title: str = "conformance inspect") -> str:
    """A standalone HTML page of several inspections (what the notebook test screenshots)."""
    sections = "".join(f'<section id="inspection-{i}">{html(x)}</section>' for i, x in enumerate(inspections))
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{_e(title)}</title></head>"
            f"<body style='margin:8px;background:#fff'>{sections}</body></html>")  # fmt: skip
