"""Neutral primitives: what the Python port (:mod:`conformance.vendors`, the op kinds' ports) and the references share.

Nothing here imports the port, a reference, the catalog or the contract; the port and the references import it.
"""
