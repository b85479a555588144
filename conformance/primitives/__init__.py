"""Neutral primitives: pure functions the op kinds' Python ports and in-process references share."""
