"""Reports of a :class:`~conformance.results.RunRecord`: JUnit XML, JSON, one self-contained HTML file, and the
baseline diff (regressions and improvements between two JSON records)."""

from __future__ import annotations

from conformance.report.diff import Change, RecordDiff, diff_exit_code, diff_records, format_diff, load_record
from conformance.report.html import write_html
from conformance.report.jsonreport import dumps_record, write_json
from conformance.report.junit import write_junit

__all__ = [
    "Change",
    "RecordDiff",
    "diff_exit_code",
    "diff_records",
    "dumps_record",
    "format_diff",
    "load_record",
    "write_html",
    "write_json",
    "write_junit",
]
