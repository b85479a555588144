"""Byte-level side-by-side comparison, for notebooks and reports."""

from __future__ import annotations


def _as_bytes(value: bytes | str) -> bytes:
    return value.encode("utf-8", "surrogatepass") if isinstance(value, str) else bytes(value)


def hex_diff(
    left: bytes | str, right: bytes | str, *, width: int = 16, labels: tuple[str, str] = ("left", "right")
) -> str:
    """Two hex dumps side by side; rows that differ are marked ``!!`` and differing bytes are bracketed."""
    a, b = _as_bytes(left), _as_bytes(right)
    rows = [f"offset  {labels[0]:<{width * 3}}  {labels[1]}"]
    differing = 0
    for offset in range(0, max(len(a), len(b), 1), width):
        chunk_a, chunk_b = a[offset : offset + width], b[offset : offset + width]
        cells_a, cells_b = [], []
        for i in range(width):
            x = chunk_a[i] if i < len(chunk_a) else None
            y = chunk_b[i] if i < len(chunk_b) else None
            mark = x != y
            cells_a.append("  " if x is None else (f"{x:02x}" if not mark else f"{x:02X}"))
            cells_b.append("  " if y is None else (f"{y:02x}" if not mark else f"{y:02X}"))
        same = chunk_a == chunk_b
        differing += not same
        rows.append(f"{offset:06x}  {' '.join(cells_a)}  {' '.join(cells_b)}  {'' if same else '!!'}")
    verdict = "identical" if a == b else f"DIFFERENT ({differing} row(s) differ; differing bytes in UPPER case)"
    rows.append(f"{len(a)} vs {len(b)} bytes: {verdict}")
    return "\n".join(rows)
