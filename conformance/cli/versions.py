"""``conformance versions``: which vectors change answer across versions of a reference's dependency."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from conformance.cli.common import EXIT_OK, EXIT_USAGE, csv
from conformance.cli.outputs import writable
from conformance.errors import ReferenceUnavailable

NAME = "versions"
HELP = "the reference-version matrix (commons-codec, BouncyCastle): which inputs change between versions"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--reference", default="commons-codec", help="commons-codec (default) or bouncycastle")
    parser.add_argument("--versions", type=csv, default=(), help="comma-separated versions (default: the reference's)")
    parser.add_argument("--latest", action="store_true", help="add the newest commons-codec on Maven Central")
    parser.add_argument("--vectors", type=Path, help="vectors directory (default: the project's)")
    parser.add_argument("--json", type=Path, help="write the version_matrix entry as JSON")
    parser.add_argument("--markdown", action="store_true", help="print Markdown instead of text")
    parser.add_argument("--write-doc", action="store_true", help="refresh docs/reference-versions.md's table")


def command(args: argparse.Namespace, out: TextIO) -> int:
    from conformance import versions
    from conformance.report.versions import format_markdown, format_text, update_doc
    from conformance.vectors import load_cases
    from conformance.versions import codec

    writable(args.json, "--json")
    if args.reference not in versions.VERSIONED:
        from conformance.errors import UsageError

        raise UsageError(f"--reference {args.reference!r}: known: {', '.join(versions.VERSIONED)}")
    reference = versions.VERSIONED[args.reference]
    chosen = list(args.versions or reference.versions)
    if args.latest and args.reference == "commons-codec":
        latest = codec.latest_codec_version()
        if latest not in chosen:
            chosen.append(latest)
    try:
        matrix = versions.run_version_matrix(load_cases(args.vectors), {reference.name: chosen}, (reference.name,))
    except ReferenceUnavailable as exc:
        sys.stderr.write(f"conformance versions: unavailable: {' '.join(str(exc).split())}\n")
        return EXIT_USAGE
    if args.json:
        args.json.write_text(json.dumps(matrix, indent=2, ensure_ascii=True) + "\n", encoding="utf-8")
    if args.write_doc:
        out.write(f"wrote {update_doc(matrix)}\n")
    out.write(format_markdown(matrix) if args.markdown else format_text(matrix))
    return EXIT_OK
