"""The BoldChat PGP interop matrix: every producer's sealed message opened by every consumer.

Producers and consumers are Python (:mod:`conformance.vendors.boldchat_pgp`), BouncyCastle 1.50, BouncyCastle current
and GnuPG, under each compression setting (``default``, ``on``, ``off``). A failing cell is a finding and carries its
reason; an implementation that cannot run here is shown as unavailable, never as a pass.

``build_matrix()`` returns a :class:`Matrix`; ``Matrix.markdown()`` renders it as tables. Run
``python -m conformance.pgp_matrix`` to print it.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from conformance.errors import ConformanceError
from conformance.outcome import OpFunction, Outcome, run_op
from conformance.paths import pgp_keys_dir
from conformance.registry import python_ops, references
from conformance.vendors import boldchat_pgp as pgp

IMPLEMENTATIONS = ("python", "bc150", "bc-current", "gnupg")
DOCUMENT_PARAMS = "VisitName=Robert%20Smith&VisitEmail=r.smith%40gmail.com"
FIXTURES = pgp_keys_dir()


def fixture_keys(directory: Path = FIXTURES) -> dict[str, str]:
    """The committed TEST keys (never real ones): ``{"server.pub", "server.sec", "brand.pub", ...}``."""
    return {path.name.removesuffix(".asc"): path.read_text(encoding="ascii") for path in directory.glob("*.asc")}


def implementation_ops() -> dict[str, tuple[dict[str, OpFunction] | None, str | None]]:
    """name -> (op table, None) when it can run here, or (None, why not)."""
    found: dict[str, tuple[dict[str, OpFunction] | None, str | None]] = {"python": (python_ops(), None)}
    specs = references()
    for name in IMPLEMENTATIONS[1:]:
        spec = specs.get(name)
        if spec is None:
            found[name] = (None, "no reference module")
            continue
        problem = spec.available()
        found[name] = (None, problem) if problem else (spec.ops(), None)
    return found


@dataclass(frozen=True)
class Cell:
    producer: str
    consumer: str
    compression: str
    status: str  # "ok", "fail" or "unavailable"
    detail: str = ""

    @property
    def red(self) -> bool:
        return self.status == "fail"


@dataclass
class Matrix:
    params: str
    cells: list[Cell] = field(default_factory=list)
    layouts: dict[tuple[str, str], str] = field(default_factory=dict)

    def cell(self, producer: str, consumer: str, compression: str) -> Cell:
        return next(
            c for c in self.cells if (c.producer, c.consumer, c.compression) == (producer, consumer, compression)
        )

    def red_cells(self) -> list[Cell]:
        return [c for c in self.cells if c.red]

    def as_rows(self) -> list[dict[str, str]]:
        """One row per cell, for a DataFrame or JSON."""
        return [
            {
                "producer": c.producer,
                "consumer": c.consumer,
                "compression": c.compression,
                "status": c.status,
                "detail": c.detail,
            }
            for c in self.cells
        ]

    def markdown(self) -> str:
        """One producer x consumer table per compression setting, then each producer's message layout."""
        symbols = {"ok": "ok", "fail": "**FAIL**", "unavailable": "n/a"}
        out = []
        for compression in pgp.COMPRESSIONS:
            out.append(f"compression `{compression}` (rows: producer, columns: consumer)\n")
            out.append("| producer \\ consumer | " + " | ".join(IMPLEMENTATIONS) + " |")
            out.append("|---" * (len(IMPLEMENTATIONS) + 1) + "|")
            for producer in IMPLEMENTATIONS:
                marks = []
                for consumer in IMPLEMENTATIONS:
                    cell = self.cell(producer, consumer, compression)
                    mark = symbols[cell.status]
                    marks.append(f"{mark} ({cell.detail})" if cell.status == "fail" else mark)
                out.append(f"| {producer} | " + " | ".join(marks) + " |")
            out.append("")
        out.append("message layout per producer (what the server key sees after decryption)\n")
        out.append("| producer | compression | layout |")
        out.append("|---|---|---|")
        for (producer, compression), layout in sorted(self.layouts.items()):
            out.append(f"| {producer} | {compression} | {layout} |")
        return "\n".join(out) + "\n"

    def text(self) -> str:
        """A compact plain-text rendering (one grid per compression setting)."""
        lines = []
        width = max(len(n) for n in IMPLEMENTATIONS) + 2
        for compression in pgp.COMPRESSIONS:
            lines.append(f"[compression={compression}] producer -> consumer")
            lines.append(" " * width + "".join(n.ljust(width) for n in IMPLEMENTATIONS))
            for producer in IMPLEMENTATIONS:
                row = [self.cell(producer, c, compression).status.upper() for c in IMPLEMENTATIONS]
                lines.append(producer.ljust(width) + "".join(r.ljust(width) for r in row))
            lines.append("")
        for cell in self.red_cells():
            lines.append(f"RED {cell.producer} -> {cell.consumer} [{cell.compression}]: {cell.detail}")
        return "\n".join(lines)


def build_matrix(params: str = DOCUMENT_PARAMS, keys: Mapping[str, str] | None = None) -> Matrix:
    """Seal ``params`` with every producer under every compression setting and open it with every consumer."""
    keys = dict(keys or fixture_keys())
    impls = implementation_ops()
    matrix = Matrix(params)
    for compression in pgp.COMPRESSIONS:
        for producer in IMPLEMENTATIONS:
            ops, problem = impls[producer]
            sealed = (
                Outcome("unavailable", message=problem)
                if ops is None
                else run_op(
                    ops,
                    "boldchat.pgp.seal",
                    {
                        "params": params,
                        "serverPublicKey": keys["server.pub"],
                        "signingPrivateKey": keys["brand.sec"],
                        "compression": compression,
                    },
                )
            )
            if sealed.status == "value":
                matrix.layouts[(producer, compression)] = describe_message(sealed.value, keys["server.sec"])
            for consumer in IMPLEMENTATIONS:
                matrix.cells.append(_cell(producer, consumer, compression, sealed, impls[consumer], keys, params))
    return matrix


def _cell(
    producer: str,
    consumer: str,
    compression: str,
    sealed: Outcome,
    consumer_impl: tuple[dict[str, OpFunction] | None, str | None],
    keys: Mapping[str, str],
    params: str,
) -> Cell:
    if sealed.status == "unavailable":
        return Cell(producer, consumer, compression, "unavailable", f"producer: {sealed.message}")
    if sealed.status != "value":
        return Cell(producer, consumer, compression, "fail", f"seal failed: {sealed.describe()}")
    ops, problem = consumer_impl
    if ops is None:
        return Cell(producer, consumer, compression, "unavailable", f"consumer: {problem}")
    opened = run_op(
        ops,
        "boldchat.pgp.open",
        {"message": sealed.value, "serverPrivateKey": keys["server.sec"], "signerPublicKey": keys["brand.pub"]},
    )
    if opened.status == "value" and opened.value == params:
        return Cell(producer, consumer, compression, "ok")
    if opened.status == "value":
        return Cell(producer, consumer, compression, "fail", "opened to different text")
    return Cell(producer, consumer, compression, "fail", opened.describe())


_TAG_NAMES = {
    pgp.PKESK: "PKESK",
    pgp.SKESK: "SKESK",
    pgp.SEIPD: "SEIPD",
    pgp.SED: "SED",
    pgp.COMPRESSED: "compressed",
    pgp.ONE_PASS: "one-pass-sig",
    pgp.LITERAL: "literal",
    pgp.SIGNATURE: "signature",
    pgp.MARKER: "marker",
}
_COMPRESSION_NAMES = {0: "uncompressed", 1: "ZIP", 2: "ZLIB", 3: "BZip2"}
_CIPHER_NAMES = {2: "3DES", 3: "CAST5", 7: "AES-128", 8: "AES-192", 9: "AES-256"}
_HASH_NAMES = {2: "SHA-1", 8: "SHA-256", 9: "SHA-384", 10: "SHA-512", 11: "SHA-224"}


def describe_message(armored: str, server_private_key: str) -> str:
    """The packet layout of a sealed message, decrypted with the server key (never the plaintext)."""
    try:
        return _describe(armored, server_private_key)
    except ConformanceError as exc:
        return f"cannot describe: {exc.reason_path()}"


def _describe(armored: str, server_private_key: str) -> str:
    _, data = pgp.dearmor(armored)
    outer = pgp.parse_packets(data)
    parts = [_TAG_NAMES.get(p.tag, f"tag{p.tag}") for p in outer]
    keys = pgp.load_keys(server_private_key, secret=True, role="server_private_key")
    candidates = pgp._our_session_packets([p for p in outer if p.tag == pgp.PKESK], keys)
    encrypted = next(p for p in outer if p.tag in (pgp.SEIPD, pgp.SED, pgp.AEAD))
    algorithm, session_key = pgp._decrypt_session_key(candidates)
    inner = pgp.parse_packets(pgp._decrypt_seipd(algorithm, session_key, encrypted.body[1:]))
    described = [f"{'+'.join(parts)} v{encrypted.body[0]} {_CIPHER_NAMES.get(algorithm, algorithm)}"]
    if len(inner) == 1 and inner[0].tag == pgp.COMPRESSED:
        described.append(_COMPRESSION_NAMES.get(inner[0].body[0], str(inner[0].body[0])))
        inner = pgp.parse_packets(pgp._decompress(inner[0].body))
    names = [_TAG_NAMES.get(p.tag, f"tag{p.tag}") for p in inner]
    signatures = [pgp.parse_signature(p.body) for p in inner if p.tag == pgp.SIGNATURE]
    hashes = ",".join(_HASH_NAMES.get(s.hash_algorithm, str(s.hash_algorithm)) for s in signatures)
    described.append("+".join(names) + (f" ({hashes})" if hashes else ""))
    return " → ".join(described)


def main(argv: list[str]) -> int:
    matrix = build_matrix()
    print(matrix.markdown() if "--markdown" in argv else matrix.text())
    return 1 if matrix.red_cells() else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
