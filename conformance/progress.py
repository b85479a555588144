"""Progress for long runs: a bar on a terminal, plain lines otherwise (CI logs)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, total: int, label: str, stream: TextIO | None = None, enabled: bool = True) -> None:
        self.total = max(total, 1)
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.done = 0
        self.started = time.monotonic()
        self.tty = self.enabled and self.stream.isatty()
        self._next_line_at = 0.0

    def advance(self, count: int = 1, note: str = "") -> None:
        self.done += count
        if not self.enabled:
            return
        fraction = min(self.done / self.total, 1.0)
        if self.tty:
            width = 30
            filled = int(width * fraction)
            bar = "#" * filled + "-" * (width - filled)
            self.stream.write(f"\r{self.label} [{bar}] {self.done}/{self.total} {note[:30]:<30}")
            self.stream.flush()
        elif fraction >= self._next_line_at or self.done == self.total:
            elapsed = time.monotonic() - self.started
            self.stream.write(f"{self.label}: {self.done}/{self.total} ({fraction:.0%}, {elapsed:.1f}s) {note}\n")
            self.stream.flush()
            self._next_line_at = fraction + 0.25

    def finish(self) -> None:
        if self.enabled and self.tty:
            self.stream.write("\n")
            self.stream.flush()
