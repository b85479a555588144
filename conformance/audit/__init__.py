"""Executable audit findings: each weakness shown by the vendor's own reference (``conformance audit``).

Importing any part of the package imports :mod:`conformance.audit.runner`, and with it every proof module, so
:data:`conformance.audit.model.PROOFS` is complete whichever module a caller imports first.
"""

from conformance.audit import runner as _runner  # noqa: F401 (registers every proof)
