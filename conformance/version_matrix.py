"""The reference-version matrix: the same vectors against one reference under several versions of a dependency.

Auditors ask "if the vendor upgrades X, which inputs change?". For the Khoros flow, X is commons-codec: the vendor
decodes keys, IVs and ciphertext with its ``Base64``, whose policy changed over time (PROVENANCE.md). Each version
runs in its own JVM subprocess (``dev.handoff.ref.KhorosJsonLines`` over JSON lines) whose classpath holds exactly
that commons-codec jar, so versions never mix; the hello line's runtime-read version is checked against the request.

Other versioned references plug in through :data:`VERSIONED_REFERENCES` (see :func:`register` and
:func:`op_table_reference`, e.g. BouncyCastle 1.50 vs current through the ``bc150`` / ``bc-current`` op tables).

Run ``python -m conformance.version_matrix`` for the text report, ``--markdown`` for the table in
``docs/reference-versions.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol
from xml.etree import ElementTree

from conformance.errors import ReferenceFailure, ReferenceUnavailable
from conformance.outcome import OpFunction, Outcome, run_op
from conformance.paths import java_ref_dir
from conformance.references import java
from conformance.references.jsonlines import JsonLinesProcess
from conformance.results import VersionFinding
from conformance.runner import actual_of, expected_of
from conformance.vectors import VectorCase
from conformance.vendors import khoros as _khoros

CODEC = "commons-codec"
#: The versions issue 5 asks for: before the strict decoder, the strict one, the pinned one, the latest release.
CODEC_VERSIONS: tuple[str, ...] = ("1.10", "1.13", "1.14", "1.22.1", "1.23.0")
CODEC_METADATA_URL = "https://repo.maven.apache.org/maven2/commons-codec/commons-codec/maven-metadata.xml"
#: The pinned Maven plugin that copies one artifact (the same version java_ref/pom.xml uses).
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
KHOROS_MAIN_CLASS = "dev.handoff.ref.KhorosJsonLines"
#: The ops the Khoros JSON-lines program answers: every op of the Khoros port.
KHOROS_OPS = frozenset(_khoros.OPS)
#: Outcomes longer than this are shortened in the text and Markdown renderings (never in the JSON).
SHOWN_CHARS = 48


# --- the hook: versioned references ---------------------------------------------------------------------------------


class BatchCaller(Protocol):
    """One isolated runtime of one version: answers a batch of calls, then is closed."""

    def call_many(self, calls: Iterable[tuple[str, Mapping[str, Any]]]) -> list[Outcome]: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class VersionedReference:
    """A reference that can run under several versions of one dependency, each isolated from the others.

    ``open(version)`` starts the runtime for one version (a subprocess, or a class loader behind an op table);
    ``prepare(version)`` fetches what it needs first and raises :class:`ReferenceUnavailable` with the reason;
    ``runtime_versions(caller)`` reports the exact versions the running runtime read (for the record).
    """

    name: str
    versions: tuple[str, ...]
    pinned: str
    ops: frozenset[str]
    open: Callable[[str], BatchCaller]
    prepare: Callable[[str], None] = lambda version: None
    available: Callable[[], str | None] = lambda: None
    runtime_versions: Callable[[BatchCaller], dict[str, Any]] = lambda caller: {}
    description: str = ""

    def accepts(self, case: VectorCase) -> bool:
        return case.op in self.ops


class OpTableCaller:
    """A :class:`BatchCaller` over an op table (for references that isolate versions in class loaders)."""

    def __init__(self, ops: Mapping[str, OpFunction], versions: Mapping[str, Any] | None = None) -> None:
        self.ops = ops
        self.versions = dict(versions or {})

    def call_many(self, calls: Iterable[tuple[str, Mapping[str, Any]]]) -> list[Outcome]:
        return [run_op(self.ops, op, args) for op, args in calls]

    def close(self) -> None:
        return None


def op_table_reference(
    name: str,
    implementations: Mapping[str, str],
    *,
    pinned: str,
    ops: Iterable[str],
    description: str = "",
) -> VersionedReference:
    """A versioned reference whose versions are registry references, e.g. ``{"1.50": "bc150", "current": ...}``."""
    from conformance.registry import references

    def spec(version: str) -> Any:
        return references()[implementations[version]]

    def prepare(version: str) -> None:
        problem = spec(version).available()
        if problem:
            raise ReferenceUnavailable(f"{implementations[version]}: {problem}")

    def open_version(version: str) -> BatchCaller:
        module_versions: dict[str, Any] = {}
        for module in spec(version).modules:
            probe = getattr(module, "versions", None)
            if callable(probe):
                module_versions.update(probe())
        return OpTableCaller(spec(version).ops(), module_versions)

    return VersionedReference(
        name=name,
        versions=tuple(implementations),
        pinned=pinned,
        ops=frozenset(ops),
        open=open_version,
        prepare=prepare,
        runtime_versions=lambda caller: dict(getattr(caller, "versions", {})),
        description=description,
    )


#: name -> versioned reference. The lead adds BouncyCastle with ``register(op_table_reference("bouncycastle", ...))``.
VERSIONED_REFERENCES: dict[str, VersionedReference] = {}


def register(reference: VersionedReference) -> VersionedReference:
    VERSIONED_REFERENCES[reference.name] = reference
    return reference


# --- commons-codec: fetching the jars ---------------------------------------------------------------------------------


def pinned_codec_version() -> str:
    """The commons-codec version java_ref/pom.xml pins (the one the vectors were made with)."""
    pom = (java_ref_dir() / "pom.xml").read_text(encoding="utf-8")
    match = re.search(r"<commons-codec\.version>([^<]+)</commons-codec\.version>", pom)
    if match is None:
        raise ReferenceUnavailable("java_ref/pom.xml pins no commons-codec.version")
    return match.group(1).strip()


def codec_dir(version: str) -> Path:
    return java_ref_dir() / "target" / f"codec-{version}"


def codec_jar(version: str) -> Path:
    return codec_dir(version) / f"commons-codec-{version}.jar"


def fetch_codec(version: str) -> Path:
    """Copy ``commons-codec:commons-codec:<version>`` into ``java_ref/target/codec-<version>/`` with Maven.

    Returns the jar's path (at once when it is already there). Raises :class:`ReferenceUnavailable` when Maven is
    missing or cannot resolve the artifact.
    """
    if not re.fullmatch(r"[0-9][0-9A-Za-z.\-]*", version):
        raise ValueError(f"not a Maven version: {version!r}")
    jar = codec_jar(version)
    if jar.is_file():
        return jar
    mvn = shutil.which("mvn")
    if mvn is None:
        raise ReferenceUnavailable(
            f"Maven (mvn) is not installed: the reference-version matrix fetches commons-codec {version} into "
            f"{codec_dir(version)} (install Maven, or put commons-codec-{version}.jar there by hand)"
        )
    codec_dir(version).mkdir(parents=True, exist_ok=True)
    command = [
        mvn,
        "-q",
        "-B",
        f"{DEPENDENCY_PLUGIN}:copy",
        f"-Dartifact=commons-codec:commons-codec:{version}:jar",
        f"-DoutputDirectory={codec_dir(version)}",
    ]
    result = subprocess.run(command, cwd=codec_dir(version), capture_output=True, text=True, check=False)
    if result.returncode != 0 or not jar.is_file():
        raise ReferenceUnavailable(
            f"Maven could not fetch commons-codec {version} ({' '.join(command[3:])}):\n"
            f"{result.stdout[-1500:]}{result.stderr[-1500:]}".strip()
        )
    return jar


def latest_codec_version(metadata_xml: str | None = None) -> str:
    """The newest commons-codec release on Maven Central, from its ``maven-metadata.xml``.

    The metadata's own ``<latest>``/``<release>`` name ``20041127.091804``, an ancient date-stamped upload, so the
    newest is computed from the ``<version>`` list instead (plain ``major.minor[.patch]`` versions only).
    """
    if metadata_xml is None:
        with urllib.request.urlopen(CODEC_METADATA_URL, timeout=30) as response:
            metadata_xml = response.read().decode("utf-8")
    root = ElementTree.fromstring(metadata_xml)
    versions = [
        text
        for text in (node.text or "" for node in root.iter("version"))
        if re.fullmatch(r"\d{1,3}\.\d+(\.\d+)?", text)
    ]
    if not versions:
        raise ValueError("maven-metadata.xml lists no release versions")
    return max(versions, key=_version_key)


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else -1 for part in re.split(r"[.\-]", version))


# --- commons-codec: one JVM per version -------------------------------------------------------------------------------


def java_executable() -> str:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").is_file():
        return str(Path(home) / "bin" / "java")
    found = shutil.which("java")
    if found is None:
        raise ReferenceUnavailable("no Java runtime: install a JDK 17")
    return found


def codec_classpath(version: str) -> list[str]:
    """The vendor classes and their libraries, with java_ref's pinned commons-codec swapped for ``version``'s."""
    main_jar = java.ensure_built()
    libraries = sorted(p for p in (main_jar.parent / "lib").glob("*.jar") if not p.name.startswith("commons-codec-"))
    jar = codec_jar(version)
    if not jar.is_file():
        raise ReferenceUnavailable(f"commons-codec {version} has not been fetched (see fetch_codec)")
    return [str(main_jar), str(jar), *(str(p) for p in libraries)]


class CodecProcess(JsonLinesProcess):
    """The Khoros JSON-lines program in a JVM whose classpath holds commons-codec ``version`` and no other."""

    def __init__(self, version: str, timeout: float = 60.0, classpath: Sequence[str] | None = None) -> None:
        argv = [
            java_executable(),
            *java.JVM_OPTIONS,
            "-cp",
            os.pathsep.join(classpath if classpath is not None else codec_classpath(version)),
            KHOROS_MAIN_CLASS,
        ]
        super().__init__(argv, timeout=timeout, name=f"java-khoros[commons-codec {version}]")
        self.version = version

    def _spawn(self) -> dict[str, Any]:
        hello = super()._spawn()
        found = hello.get("versions", {})
        expected_jar = f"commons-codec-{self.version}.jar"
        if found.get("commonsCodec") != self.version or found.get("commonsCodecJar") != expected_jar:
            self._release()
            raise ReferenceFailure(
                f"{self.name}: the JVM loaded commons-codec {found.get('commonsCodec')} from "
                f"{found.get('commonsCodecJar')}, not {self.version}: the classpath mixes versions"
            )
        return hello


def codec_available() -> str | None:
    """``None`` when the commons-codec matrix can run here (a JDK, and Maven or the jars already fetched)."""
    try:
        java_executable()
        java.ensure_built()
    except ReferenceUnavailable as exc:
        return str(exc)
    missing = [v for v in CODEC_VERSIONS if not codec_jar(v).is_file()]
    if missing and shutil.which("mvn") is None:
        return f"Maven (mvn) is not installed, and commons-codec {', '.join(missing)} are not in java_ref/target/"
    return None


def _prepare_codec(version: str) -> None:
    java.ensure_built()
    fetch_codec(version)


def _pinned_or_default() -> str:
    try:
        return pinned_codec_version()
    except (OSError, ReferenceUnavailable):
        return "1.22.1"


def _codec_runtime_versions(caller: BatchCaller) -> dict[str, Any]:
    return dict(caller.hello.get("versions", {})) if isinstance(caller, JsonLinesProcess) else {}


COMMONS_CODEC = register(
    VersionedReference(
        name=CODEC,
        versions=CODEC_VERSIONS,
        pinned=_pinned_or_default(),
        ops=KHOROS_OPS,
        open=CodecProcess,
        prepare=_prepare_codec,
        available=codec_available,
        runtime_versions=_codec_runtime_versions,
        description="the vendor's Khoros Java (java_ref), one JVM per commons-codec version",
    )
)

BOUNCYCASTLE = register(
    op_table_reference(
        "bouncycastle",
        {"1.50": "bc150", "1.86": "bc-current"},
        pinned="1.86",
        ops=("boldchat.pgp.open", "boldchat.pgp.seal"),
        description="the project's BoldChat PGP helper (java_ref/bcpg) on bcpg/bcprov 1.50, the version the"
        " document's sample names, and the current release; one class loader per version",
    )
)


def references_for(cases: Iterable[VectorCase]) -> tuple[str, ...]:
    """The versioned references that answer at least one of these cases' ops."""
    ops = {case.op for case in cases}
    return tuple(name for name, reference in VERSIONED_REFERENCES.items() if ops & reference.ops)


# --- running the matrix -----------------------------------------------------------------------------------------------


@dataclass
class _VersionRun:
    version: str
    outcomes: list[Outcome] = field(default_factory=list)
    runtime: dict[str, Any] = field(default_factory=dict)


def _run_version(reference: VersionedReference, version: str, cases: Sequence[VectorCase]) -> _VersionRun:
    caller = reference.open(version)
    try:
        outcomes = caller.call_many([(case.op, case.input) for case in cases])
        runtime = reference.runtime_versions(caller)
    finally:
        caller.close()
    unavailable = [o for o in outcomes if o.status == "unavailable"]
    if unavailable:
        raise ReferenceUnavailable(f"{reference.name} {version}: {unavailable[0].message}")
    return _VersionRun(version, outcomes, runtime)


def run_reference(
    reference: VersionedReference, cases: Iterable[VectorCase], versions: Sequence[str] | None = None
) -> dict[str, Any]:
    """One reference's entry of ``RunRecord.version_matrix``: its versions, findings and summary.

    Raises :class:`ReferenceUnavailable` when a version cannot be prepared (Maven missing, no network, ...).
    """
    versions = tuple(versions or reference.versions)
    selected = [case for case in cases if reference.accepts(case)]
    for version in versions:
        reference.prepare(version)
    with ThreadPoolExecutor(max_workers=max(1, len(versions))) as pool:
        runs = list(pool.map(lambda v: _run_version(reference, v, selected), versions))
    by_version = {run.version: run for run in runs}

    findings: list[VersionFinding] = []
    details: dict[str, dict[str, Any]] = {}
    for index, case in enumerate(selected):
        answers = {v: by_version[v].outcomes[index] for v in versions}
        if len({_key(outcome.comparable()) for outcome in answers.values()}) > 1:
            findings.append(VersionFinding(reference.name, case.case_id, {v: actual_of(o) for v, o in answers.items()}))
            details[case.case_id] = {
                "op": case.op,
                "comment": case.comment,
                "flags": list(case.flags),
                "expected": expected_of(case),
            }

    per_version: dict[str, dict[str, Any]] = {}
    for version in versions:
        outcomes = by_version[version].outcomes
        differing = [c.case_id for c, o in zip(selected, outcomes, strict=True) if o.comparable() != _expected(c)]
        statuses: dict[str, int] = {}
        for outcome in outcomes:
            statuses[outcome.status] = statuses.get(outcome.status, 0) + 1
        per_version[version] = {
            "runtime": by_version[version].runtime,
            "matchesVectors": len(selected) - len(differing),
            "differsFromVectors": differing,
            "statuses": statuses,
        }

    return {
        "versions": list(versions),
        "findings": [asdict(finding) for finding in findings],
        "summary": {
            "description": reference.description,
            "pinned": reference.pinned,
            "cases": len(selected),
            "changed": len(findings),
            "date": dt.date.today().isoformat(),
            "byVersion": per_version,
            "transitions": _transitions(versions, reference.pinned, findings),
        },
        "details": details,
    }


def run_version_matrix(
    cases: Iterable[VectorCase],
    versions: Sequence[str] | Mapping[str, Sequence[str]] | None = None,
    references: Sequence[str] = (CODEC,),
) -> dict[str, Any]:
    """``RunRecord.version_matrix``: reference name -> :func:`run_reference`'s entry.

    ``versions`` is one list (when one reference is asked for) or a mapping reference -> versions; each reference's
    own defaults otherwise (commons-codec: :data:`CODEC_VERSIONS`).
    """
    cases = list(cases)
    if versions is not None and not isinstance(versions, Mapping):
        if len(references) != 1:
            raise ValueError("give versions as a mapping reference -> versions when asking for several references")
        versions = {references[0]: versions}
    chosen: Mapping[str, Sequence[str]] = versions or {}
    return {name: run_reference(VERSIONED_REFERENCES[name], cases, chosen.get(name)) for name in references}


def _key(comparable: tuple[Any, ...]) -> str:
    """A hashable form of an outcome's comparable part (values may be JSON objects)."""
    return json.dumps(comparable, sort_keys=True, ensure_ascii=True)


def _expected(case: VectorCase) -> tuple[Any, ...]:
    return ("error", case.error) if case.expects_error else ("value", case.output)


def _transitions(versions: Sequence[str], pinned: str, findings: Sequence[VersionFinding]) -> list[dict[str, Any]]:
    """The version pairs an auditor asks about: each step up, and the pinned version to and from every other."""
    ordered = sorted(versions, key=_version_key)
    pairs = list(itertools.pairwise(ordered))
    if pinned in ordered:
        for version in ordered:
            pair = (version, pinned) if _version_key(version) < _version_key(pinned) else (pinned, version)
            if version != pinned and pair not in pairs:
                pairs.append(pair)
    rows = []
    for old, new in pairs:
        changed = [f.case_id for f in findings if _comparable(f.answers[old]) != _comparable(f.answers[new])]
        rows.append({"from": old, "to": new, "changed": changed})
    return rows


def _comparable(actual: Mapping[str, Any]) -> tuple[Any, ...]:
    status = actual.get("status")
    return (status, actual.get("value") if status == "value" else actual.get("reason"))


# --- renderings -------------------------------------------------------------------------------------------------------


def _shorten(text: str, limit: int = SHOWN_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe_actual(actual: Mapping[str, Any], limit: int = SHOWN_CHARS) -> str:
    """``value '…'`` or ``error Reason`` (values are shortened; the JSON keeps them whole)."""
    status = actual.get("status")
    if status == "value":
        value = actual.get("value")
        shown = value if isinstance(value, str) else repr(value)
        return "value " + _shorten(ascii(shown) if isinstance(value, str) else shown, limit)
    if status == "error":
        return f"error {actual.get('reason')}"
    return f"{status}: {_shorten(str(actual.get('message', '')), limit)}"


def _header(name: str, entry: Mapping[str, Any]) -> list[str]:
    summary = entry["summary"]
    versions = ", ".join(f"{v} (pinned)" if v == summary["pinned"] else v for v in entry["versions"])
    runtimes = {v: info.get("runtime", {}) for v, info in summary["byVersion"].items()}
    jdks = sorted({f"{r.get('jdk', '?')} ({r.get('jdkVendor', '?')})" for r in runtimes.values() if r})
    lines = [
        f"Reference-version matrix: {name} — {summary['description']}",
        f"{summary['cases']} vectors, versions {versions}; run {summary['date']}"
        + (f", JDK {', '.join(jdks)}" if jdks else ""),
    ]
    for version, info in summary["byVersion"].items():
        lines.append(
            f"  {name} {version}: reproduces {info['matchesVectors']} of {summary['cases']} vectors"
            + (f", differs on {len(info['differsFromVectors'])}" if info["differsFromVectors"] else "")
        )
    return lines


def format_text(matrix: Mapping[str, Any]) -> str:
    """The auditor's view: "if the vendor upgrades X from A to B, these N inputs change: ..."."""
    out: list[str] = []
    for name, entry in matrix.items():
        out.extend(_header(name, entry))
        findings = {f["case_id"]: f for f in entry["findings"]}
        for step in entry["summary"]["transitions"]:
            changed = step["changed"]
            count = len(changed)
            said = {0: "0 inputs change.", 1: "this 1 input changes:"}.get(count, f"these {count} inputs change:")
            out.append("")
            out.append(f"If the vendor upgrades {name} from {step['from']} to {step['to']}, {said}")
            for case_id in changed:
                detail = entry["details"][case_id]
                answers = findings[case_id]["answers"]
                out.append(f"  {case_id} {detail['op']} [{', '.join(detail['flags'])}] {detail['comment']}")
                out.append(f"      {step['from']}: {describe_actual(answers[step['from']])}")
                out.append(f"      {step['to']}: {describe_actual(answers[step['to']])}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def format_markdown(matrix: Mapping[str, Any]) -> str:
    """The findings as Markdown: the per-version summary, the transitions, and one row per changed vector."""
    out: list[str] = []
    for name, entry in matrix.items():
        summary = entry["summary"]
        versions = entry["versions"]
        out.extend(["", f"### {name}", "", "```", *_header(name, entry), "```", ""])
        out.append("| from | to | inputs that change |")
        out.append("|---|---|---|")
        for step in summary["transitions"]:
            shown = ", ".join(f"`{c}`" for c in step["changed"]) or "none"
            out.append(f"| {step['from']} | {step['to']} | {len(step['changed'])}: {shown} |")
        out.append("")
        if not entry["findings"]:
            out.append("No vector's answer differs between these versions.")
            continue
        marked = [f"{v} (pinned)" if v == summary["pinned"] else v for v in versions]
        out.append("| vector | op | flags | " + " | ".join(marked) + " |")
        out.append("|---|---|---|" + "---|" * len(versions))
        for finding in entry["findings"]:
            detail = entry["details"][finding["case_id"]]
            cells = [describe_actual(finding["answers"][v], 28).replace("|", "\\|") for v in versions]
            out.append(
                f"| `{finding['case_id']}` | `{detail['op']}` | {', '.join(detail['flags'])} | "
                + " | ".join(cells)
                + " |"
            )
    return "\n".join(out).strip() + "\n"


DOC_BEGIN = "<!-- version-matrix:begin (generated by python -m conformance.version_matrix --write-doc) -->"
DOC_END = "<!-- version-matrix:end -->"


def doc_path() -> Path:
    return java_ref_dir().parent / "docs" / "reference-versions.md"


def update_doc(matrix: Mapping[str, Any], path: Path | None = None) -> Path:
    """Replace the generated block of ``docs/reference-versions.md`` with :func:`format_markdown`'s rendering."""
    path = path or doc_path()
    text = path.read_text(encoding="utf-8")
    start, end = text.find(DOC_BEGIN), text.find(DOC_END)
    if start < 0 or end < start:
        raise ValueError(f"{path}: no generated block ({DOC_BEGIN} ... {DOC_END})")
    block = f"{DOC_BEGIN}\n{format_markdown(matrix)}{DOC_END}"
    path.write_text(text[:start] + block + text[end + len(DOC_END) :], encoding="utf-8")
    return path


# --- command line -----------------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m conformance.version_matrix [--versions 1.10,1.14,...] [--latest] [--json F] [--markdown]``.

    Exit codes as the ``conformance`` CLI: 0 on success, 3 when a version cannot be prepared (no JDK, no Maven).
    """
    from conformance.vectors import load_cases

    parser = argparse.ArgumentParser(prog="python -m conformance.version_matrix", description=__doc__)
    parser.add_argument("--reference", default=CODEC, choices=sorted(VERSIONED_REFERENCES))
    parser.add_argument("--versions", help="comma-separated versions (default: the reference's own list)")
    parser.add_argument("--latest", action="store_true", help="add the newest commons-codec on Maven Central")
    parser.add_argument("--vectors", type=Path, help="vectors directory (default: the project's)")
    parser.add_argument("--json", type=Path, help="write the version_matrix entry as JSON")
    parser.add_argument("--markdown", action="store_true", help="print Markdown instead of text")
    parser.add_argument("--write-doc", action="store_true", help="refresh docs/reference-versions.md's table")
    options = parser.parse_args(argv)

    reference = VERSIONED_REFERENCES[options.reference]
    versions = list(options.versions.split(",") if options.versions else reference.versions)
    if options.latest and options.reference == CODEC:
        latest = latest_codec_version()
        if latest not in versions:
            versions.append(latest)
    try:
        matrix = run_version_matrix(load_cases(options.vectors), {reference.name: versions}, (reference.name,))
    except ReferenceUnavailable as exc:
        print(f"version matrix unavailable: {exc}", file=sys.stderr)
        return 3
    if options.json:
        options.json.write_text(json.dumps(matrix, indent=2, ensure_ascii=True) + "\n", encoding="utf-8")
    if options.write_doc:
        print(f"wrote {update_doc(matrix)}", file=sys.stderr)
    print(format_markdown(matrix) if options.markdown else format_text(matrix), end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
