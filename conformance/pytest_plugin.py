"""pytest plugin: run the golden vectors against a user's own implementation (work in progress)."""

from __future__ import annotations
