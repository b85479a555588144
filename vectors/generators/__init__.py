"""Generators for the golden vector files. Each is deterministic and asks a live reference for every output."""
