"""The openssl CLI as a reference for Talkative signing keys: the two commands of the Talkative document, verbatim.

``openssl ecparam -genkey -name prime256v1 -noout -out ec_private.pem`` and
``openssl ec -in ec_private.pem -pubout -out ec_public.pem``, run in a temporary directory.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from conformance.errors import InvalidArgument, InvalidKeyMaterial, ReferenceFailure, ReferenceUnavailable

GENERATE = ("openssl", "ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", "ec_private.pem")
PUBLIC = ("openssl", "ec", "-in", "ec_private.pem", "-pubout", "-out", "ec_public.pem")
TIMEOUT = 30


def available() -> str | None:
    return None if shutil.which("openssl") else "openssl is not on PATH"


def _run(argv: tuple[str, ...], directory: Path) -> subprocess.CompletedProcess[bytes]:
    if shutil.which(argv[0]) is None:
        raise ReferenceUnavailable("openssl is not on PATH")
    try:
        return subprocess.run(argv, cwd=directory, capture_output=True, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ReferenceFailure(f"openssl did not run: {type(exc).__name__}") from None


def version() -> str:
    result = _run(("openssl", "version"), Path(tempfile.gettempdir()))
    return result.stdout.decode("ascii", "replace").strip()


def generate_key_files(directory: Path) -> tuple[str, str]:
    """Run both commands of the document in ``directory``; return (ec_private.pem, ec_public.pem) as text."""
    directory = Path(directory)
    for argv in (GENERATE, PUBLIC):
        result = _run(argv, directory)
        if result.returncode != 0:
            raise ReferenceFailure(f"{' '.join(argv[:2])} failed with exit code {result.returncode}")
    return (directory / "ec_private.pem").read_text("ascii"), (directory / "ec_public.pem").read_text("ascii")


def public_pem(private_key_pem: str) -> str:
    """The document's second command on ``private_key_pem``. Raises :class:`InvalidKeyMaterial` where openssl fails
    and for text no file can hold."""
    if not isinstance(private_key_pem, str):
        raise InvalidArgument("privateKeyPem must be a string")
    with tempfile.TemporaryDirectory(prefix="handoff-openssl-") as tmp:
        directory = Path(tmp)
        try:
            (directory / "ec_private.pem").write_text(private_key_pem, encoding="utf-8", errors="surrogateescape")
        except UnicodeEncodeError:  # a lone surrogate: no file holds it, so openssl never sees this key
            raise InvalidKeyMaterial("the private key is not text a file can hold (a lone surrogate)") from None
        result = _run(PUBLIC, directory)
        if result.returncode != 0:
            raise InvalidKeyMaterial("openssl ec could not read the private key")
        return (directory / "ec_public.pem").read_text("ascii")


OPS = {"talkative.key.public_pem": lambda args: public_pem(args["privateKeyPem"])}

__all__ = ["GENERATE", "OPS", "PUBLIC", "available", "generate_key_files", "public_pem", "version"]
