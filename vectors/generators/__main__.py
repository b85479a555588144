"""``python -m vectors.generators``: regenerate every flow's vector files, with the generators the catalog names."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from conformance import catalog
from conformance.vectorgen import write_files

VECTORS = Path(__file__).resolve().parents[1]


def main() -> int:
    for name in dict.fromkeys(entry.generator for entry in catalog.FLOWS):
        module = importlib.import_module(f"vectors.generators.{name}")
        write_files(module.build_all, [name], VECTORS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
