"""Executable audit findings: each weakness shown by the vendor's own reference (``conformance audit``)."""
