"""GnuPG (the ``gpg`` CLI) as a BoldChat PGP reference.

Each distinct set of keys gets its own temporary ``GNUPGHOME`` (mode 0700, ``--batch``, ``--pinentry-mode loopback``
with an empty passphrase, trust model ``always``, no key retrieval), reused for the rest of the process; at exit
each home's ``gpg-agent`` is killed with ``gpgconf --kill`` and the home is deleted, so nothing is left behind.
Outcomes are read from ``--status-fd`` lines and mapped onto the reasons of :mod:`conformance.errors`.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import threading
import uuid
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from conformance.errors import (
    ConformanceError,
    InvalidArgument,
    PgpBadSignature,
    PgpDecryptionFailed,
    PgpIntegrityError,
    PgpKeyError,
    PgpMalformed,
    PgpNoIntegrityProtection,
    PgpNotEncrypted,
    PgpUnsigned,
    PgpUnsupported,
    PgpWrongRecipient,
    PgpWrongSigner,
    ReferenceFailure,
    ReferenceUnavailable,
)
from conformance.primitives.pgp_params import check_compression, decode_plaintext, encoded_params

TIMEOUT = 60.0
_COMPRESSION_OPTIONS = {"default": [], "on": ["--compress-algo", "zlib"], "off": ["--compress-algo", "none"]}

_lock = threading.Lock()
_homes: dict[str, tuple[Path, dict[str, str]]] = {}


def gpg_binary() -> str | None:
    return shutil.which(os.environ.get("HANDOFF_GPG", "gpg"))


def available() -> str | None:
    """``None`` when ``gpg`` (2.1 or newer) can run here, else the reason it cannot."""
    binary = gpg_binary()
    if binary is None:
        return "GnuPG (gpg) is not installed: apt-get install gnupg"
    version = versions().get("gnupg", "")
    if not re.match(r"2\.(1|2|3|4|5)", version):
        return f"GnuPG 2.1 or newer is needed, found {version or 'an unknown version'}"
    return None


@cache
def versions() -> dict[str, str]:
    """The exact GnuPG and libgcrypt versions, from ``gpg --version``."""
    binary = gpg_binary()
    if binary is None:
        return {}
    result = subprocess.run([binary, "--version"], capture_output=True, text=True, check=False)
    found = {}
    for line in result.stdout.splitlines():
        if match := re.match(r"gpg \(GnuPG\) (\S+)", line):
            found["gnupg"] = match.group(1)
        elif match := re.match(r"libgcrypt (\S+)", line):
            found["libgcrypt"] = match.group(1)
    return found


def _base_argv(home: Path) -> list[str]:
    binary = gpg_binary()
    if binary is None:
        raise ReferenceUnavailable("GnuPG (gpg) is not installed")
    return [
        binary,
        "--homedir",
        str(home),
        "--batch",
        "--no-tty",
        "--yes",
        "--pinentry-mode",
        "loopback",
        "--passphrase",
        "",
        "--trust-model",
        "always",
        "--no-auto-key-retrieve",
        "--status-fd",
        "1",
    ]


def _run(home: Path, argv: Sequence[str], stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "LC_ALL": "C", "LANGUAGE": "C", "GNUPGHOME": str(home)}
    try:
        return subprocess.run(
            [*_base_argv(home), *argv], input=stdin, capture_output=True, env=env, timeout=TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        raise ReferenceFailure(f"gpg did not answer within {TIMEOUT:g}s") from None
    except OSError as exc:
        raise ReferenceUnavailable(f"gpg could not start: {exc}") from None


def _status(result: subprocess.CompletedProcess[bytes]) -> list[list[str]]:
    lines = result.stdout.decode("utf-8", "replace").splitlines()
    return [line.split()[1:] for line in lines if line.startswith("[GNUPG:] ")]


def _home(keys: Mapping[str, str]) -> tuple[Path, dict[str, str]]:
    """A GNUPGHOME holding exactly ``keys`` (role -> armored key); returns it and role -> primary fingerprint."""
    for role, text in keys.items():
        if not isinstance(text, str):
            raise InvalidArgument(f"{role} must be an armored OpenPGP key (str)")
    digest = hashlib.sha256("\0".join(f"{r}\0{t}" for r, t in sorted(keys.items())).encode()).hexdigest()
    with _lock:
        if digest in _homes:
            return _homes[digest]
        home = Path(tempfile.mkdtemp(prefix="handoff-gpg-"))
        os.chmod(home, 0o700)
        _registered_homes.append(home)
        fingerprints = {}
        for role, text in keys.items():
            result = _run(home, ["--import"], text.encode("utf-8"))
            imported = [s[2] for s in _status(result) if s[:1] == ["IMPORT_OK"] and len(s) > 2]
            if not imported:
                raise PgpKeyError(f"{role} is not an OpenPGP key GnuPG can import")
            fingerprints[role] = imported[0]
        _homes[digest] = (home, fingerprints)
        return home, fingerprints


_registered_homes: list[Path] = []


@atexit.register
def cleanup() -> None:
    """Kill each home's agent and delete the homes (also called by tests that check for leftovers)."""
    gpgconf = shutil.which("gpgconf")
    with _lock:
        for home in _registered_homes:
            if gpgconf is not None and home.exists():
                subprocess.run(
                    [gpgconf, "--homedir", str(home), "--kill", "all"],
                    capture_output=True,
                    check=False,
                    timeout=30,
                )
            shutil.rmtree(home, ignore_errors=True)
        _registered_homes.clear()
        _homes.clear()


def seal(args: Mapping[str, Any]) -> str:
    """``gpg --sign --encrypt --armor`` with the brand's key as signer and the server's as recipient."""
    compression = check_compression(args.get("compression", "default"))
    plain = encoded_params(args["params"]).encode("utf-8")
    home, fingerprints = _home(
        {"serverPublicKey": args["serverPublicKey"], "signingPrivateKey": args["signingPrivateKey"]}
    )
    out = home / f"seal-{uuid.uuid4().hex}.asc"
    try:
        result = _run(
            home,
            [
                "--armor",
                "--sign",
                "--encrypt",
                "--recipient",
                fingerprints["serverPublicKey"],
                "--local-user",
                fingerprints["signingPrivateKey"],
                *_COMPRESSION_OPTIONS[compression],
                "--output",
                str(out),
            ],
            plain,
        )
        if result.returncode != 0 or not out.exists():
            status = " ".join(s[0] for s in _status(result) if s)
            raise PgpKeyError(f"gpg could not sign and encrypt (status: {status})")
        return out.read_text(encoding="ascii")
    finally:
        out.unlink(missing_ok=True)


def gpg_message(keys: Mapping[str, str], argv: Sequence[str], data: bytes) -> str:
    """Run ``gpg --armor argv`` on ``data`` in a home holding ``keys`` (role -> armored key) and return the armored
    message it writes. ``{role}`` in an argument becomes that key's fingerprint. For crafting test input, such as
    ``["--sign", "--encrypt", "--recipient", "{server}", "--local-user", "{brand}", "--digest-algo", "SHA1"]``.

    Raises :class:`PgpKeyError` when a key does not import or gpg makes no message (the status keywords say why),
    :class:`InvalidArgument` for a key that is not text.
    """
    home, fingerprints = _home(keys)
    out = home / f"message-{uuid.uuid4().hex}.asc"
    try:
        result = _run(home, ["--armor", "--output", str(out), *(a.format(**fingerprints) for a in argv)], data)
        if result.returncode != 0 or not out.exists():
            status = " ".join(s[0] for s in _status(result) if s)
            raise PgpKeyError(f"gpg made no message (status: {status})")
        return out.read_text(encoding="ascii")
    finally:
        out.unlink(missing_ok=True)


def open_(args: Mapping[str, Any]) -> str:
    """``gpg --decrypt`` with only the server's secret key and the brand's public key, judged by status lines."""
    message = args["message"]
    if not isinstance(message, str):
        raise InvalidArgument("message must be an armored OpenPGP message (str)")
    home, fingerprints = _home(
        {"serverPrivateKey": args["serverPrivateKey"], "signerPublicKey": args["signerPublicKey"]}
    )
    out = home / f"open-{uuid.uuid4().hex}.out"
    try:
        result = _run(home, ["--output", str(out), "--decrypt"], message.encode("utf-8", "surrogateescape"))
        plain = out.read_bytes() if out.exists() else b""
    finally:
        out.unlink(missing_ok=True)
    status = _status(result)
    if any(s[:1] == ["BADSIG"] for s in status):
        # gpg checks the signature before the MDC and stops at a bad one, so a tampered message would read as a bad
        # signature. Decrypt again without verifying to learn the MDC's verdict first, as the server model does.
        unverified = _run(home, ["--skip-verify", "--output", "/dev/null", "--decrypt"], message.encode("utf-8"))
        _classify_decryption(_status(unverified), {s[0] for s in _status(unverified) if s})
    classify(status, result.returncode, fingerprints["signerPublicKey"])
    return decode_plaintext(plain)


def classify(status: list[list[str]], returncode: int, signer_fingerprint: str) -> None:
    """Map gpg's status lines onto the project's reasons; return only for a good, signed, intact message."""
    keywords = {s[0] for s in status if s}
    _classify_decryption(status, keywords)
    _classify_signature(status, keywords, signer_fingerprint)
    if returncode != 0:
        raise ReferenceFailure(f"gpg exited with {returncode} on a message it reports as good")


def _classify_decryption(status: list[list[str]], keywords: set[str]) -> None:
    if not keywords & {"ENC_TO", "BEGIN_DECRYPTION", "NO_SECKEY"}:
        if keywords & {"PLAINTEXT", "NEWSIG", "GOODSIG", "ERRSIG", "BADSIG"}:
            raise PgpNotEncrypted("the message is not encrypted")
        raise PgpMalformed("not an OpenPGP message")
    if "NO_SECKEY" in keywords and "DECRYPTION_KEY" not in keywords:
        raise PgpWrongRecipient("the message is not encrypted to the server key")
    if any(s[:2] == ["ERROR", "pkdecrypt_failed"] for s in status) or "BEGIN_DECRYPTION" not in keywords:
        raise PgpDecryptionFailed("the session key could not be decrypted")
    info = [s for s in status if s[:1] == ["DECRYPTION_INFO"]]
    if info and len(info[0]) > 1 and info[0][1] == "0":
        raise PgpNoIntegrityProtection("the message has no integrity protection (no MDC)")
    if "BADMDC" in keywords or "DECRYPTION_FAILED" in keywords:
        raise PgpIntegrityError("gpg reports the encrypted data as modified or corrupt")
    if "BADSIG" in keywords:
        return  # gpg stops at a bad signature before the MDC; open_ has asked for the MDC's verdict separately
    if not {"DECRYPTION_OKAY", "GOODMDC"} <= keywords:
        raise PgpIntegrityError("gpg did not confirm the modification detection code")


def _classify_signature(status: list[list[str]], keywords: set[str], signer_fingerprint: str) -> None:
    if "BADSIG" in keywords:
        raise PgpBadSignature("the signature does not verify")
    errsig = [s for s in status if s[:1] == ["ERRSIG"]]
    if errsig:
        code = errsig[0][6] if len(errsig[0]) > 6 else ""
        if code == "9":
            raise PgpWrongSigner("the message is signed by another key")
        raise PgpUnsupported(f"gpg cannot check the signature (ERRSIG code {code})")
    valid = [s for s in status if s[:1] == ["VALIDSIG"]]
    if "NEWSIG" not in keywords and not valid:
        raise PgpUnsigned("the message is not signed")
    if not valid or "GOODSIG" not in keywords:
        raise PgpBadSignature("gpg did not report a good signature")
    if not any(s[-1] == signer_fingerprint for s in valid):
        raise PgpWrongSigner("the message is signed by another key")


def _op(function: Any) -> Any:
    def run(args: Mapping[str, Any]) -> Any:
        problem = available()
        if problem is not None:
            raise ReferenceUnavailable(problem)
        try:
            return function(args)
        except ConformanceError:
            raise
        except (KeyError, TypeError) as exc:
            raise InvalidArgument(f"bad arguments: {type(exc).__name__}") from None

    return run


OPS = {"boldchat.pgp.seal": _op(seal), "boldchat.pgp.open": _op(open_)}
