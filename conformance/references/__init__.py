"""Bridges to the reference implementations, one module per foreign runtime."""
