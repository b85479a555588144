"""``conformance versions``: which vectors change answer across versions of a reference's dependency."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from conformance.cli.common import EXIT_OK, EXIT_USAGE, csv
from conformance.cli.outputs import readable_dir, writable
from conformance.errors import ReferenceUnavailable, UsageError
from conformance.versions import codec

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


def _check_versions(reference: str, chosen: list[str], known: tuple[str, ...]) -> None:
    """Raise :class:`UsageError` before anything is built or fetched: BouncyCastle runs only its built flavours,
    commons-codec any Maven version."""
    if reference == "commons-codec":
        bad = [v for v in chosen if not codec.MAVEN_VERSION.fullmatch(v)]
        if bad:
            raise UsageError(f"--versions: not a Maven version: {', '.join(map(repr, bad))}")
        return
    unknown = [v for v in chosen if v not in known]
    if unknown:
        raise UsageError(f"--versions: {reference} runs {', '.join(known)}, not {', '.join(map(repr, unknown))}")


def command(args: argparse.Namespace, out: TextIO) -> int:
    from conformance import versions
    from conformance.report.versions import format_markdown, format_text, update_doc
    from conformance.vectors import load_cases

    writable(args.json, "--json")
    if args.reference not in versions.VERSIONED:
        raise UsageError(f"--reference {args.reference!r}: known: {', '.join(versions.VERSIONED)}")
    reference = versions.VERSIONED[args.reference]
    chosen = list(args.versions or reference.versions)
    _check_versions(args.reference, chosen, reference.versions)
    cases = load_cases(readable_dir(args.vectors, "--vectors"))
    if args.latest and args.reference == "commons-codec":
        latest = codec.latest_codec_version()
        if latest not in chosen:
            chosen.append(latest)
    try:
        matrix = versions.run_version_matrix(cases, {reference.name: chosen}, (reference.name,))
    except ReferenceUnavailable as exc:
        sys.stderr.write(f"conformance versions: unavailable: {' '.join(str(exc).split())}\n")
        return EXIT_USAGE
    if args.json:
        args.json.write_text(json.dumps(matrix, indent=2, ensure_ascii=True) + "\n", encoding="utf-8")
    if args.write_doc:
        out.write(f"wrote {update_doc(matrix)}\n")
    out.write(format_markdown(matrix) if args.markdown else format_text(matrix))
    return EXIT_OK
