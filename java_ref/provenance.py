"""Extract the vendor's Java from the seed document and record its provenance.

Usage: ``python java_ref/provenance.py extract SEED`` writes the four vendor classes with only a package line
added; ``python java_ref/provenance.py hashes`` prints the normalized SHA-256 of each committed file.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent / "src/main/java/com/lithium/bandolier/encryption"

#: class name -> (package, first line of the class's text in the seed, heading that follows it)
VENDOR_FILES: dict[str, tuple[str, str, str]] = {
    "EncryptionProvider": (
        "com.lithium.bandolier.encryption",
        "import com.lithium.bandolier.encryption.errors.EncryptionException;\n\npublic interface EncryptionProvider",
        "SymmetricKeyEncryptionProvider.java\n",
    ),
    "SymmetricKeyEncryptionProvider": (
        "com.lithium.bandolier.encryption",
        "import com.google.common.annotations.VisibleForTesting;",
        "Cryptor.java\n",
    ),
    "Cryptor": (
        "com.lithium.bandolier.encryption",
        "import com.google.common.io.BaseEncoding;",
        "EncryptionException.java\n",
    ),
    "EncryptionException": (
        "com.lithium.bandolier.encryption.errors",
        "public class EncryptionException",
        "Did this page help you?",
    ),
}


def vendor_path(name: str) -> Path:
    package = VENDOR_FILES[name][0]
    sub = "errors/" if package.endswith(".errors") else ""
    return ROOT / f"{sub}{name}.java"


def normalized_sha256(java_source: str) -> str:
    """SHA-256 of the source with its package line removed and all whitespace runs folded to one space."""
    without_package = re.sub(r"^package [\w.]+;\s*$", "", java_source, count=1, flags=re.MULTILINE)
    folded = " ".join(without_package.split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def extract(seed_text: str, name: str) -> str:
    package, start, end = VENDOR_FILES[name]
    begin = seed_text.index(start)
    body = seed_text[begin : seed_text.index(end, begin)].rstrip() + "\n"
    return f"package {package};\n\n{body}"


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[1] == "extract":
        seed = Path(argv[2]).read_text(encoding="utf-8")
        for name in VENDOR_FILES:
            path = vendor_path(name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(extract(seed, name), encoding="utf-8")
        return 0
    if len(argv) == 2 and argv[1] == "hashes":
        for name in VENDOR_FILES:
            print(
                f"| `{vendor_path(name).relative_to(Path(__file__).resolve().parent)}` | `{normalized_sha256(vendor_path(name).read_text())}` |"
            )
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
