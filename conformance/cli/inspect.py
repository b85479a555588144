"""``conformance inspect``: one failing artifact, the live references' verdict on it, its layers, and the known
mistake that made it.

Exit codes: 0 the artifact conforms, 1 it does not, 3 a usage error (one line on stderr).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any, TextIO

from conformance.cli.common import EXIT_FAILURES, EXIT_OK
from conformance.cli.outputs import writable
from conformance.errors import UsageError

NAME = "inspect"
HELP = "paste a failing link, token, key or message: the references' verdict, its layers, and which mistake made it"
#: The largest file an option reads (a PGP message or key is a few kB).
MAX_FILE_BYTES = 1024 * 1024
_FILE_OPTIONS = ("public_key", "server_key", "signer_key")
_TEXT_OPTIONS = ("artifact", "link", "key", "token", "secret", "key_id", "account_sid", "email", "params", "message",
                 "user_id", "identifier")  # fmt: skip


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("artifact", nargs="?", help="the artifact alone (its flow is detected); @FILE reads a file")
    parser.add_argument(
        "--op",
        help="a consumer op, with --args; or a user-hash verifier, with --key, --secret and --user-id/--email/--identifier",
    )
    parser.add_argument("--args", help="the op's arguments as a JSON object, or @FILE.json")
    parser.add_argument("--link", help="a Khoros Secure Transfer link (with --key)")
    parser.add_argument(
        "--key", help="the Khoros encryption key (Base64), the Thread connectionKey, or a user hash (with --op)"
    )
    parser.add_argument(
        "--token",
        help="a Khoros widget JWT (with --secret and --key-id), a Talkative JWS (--public-key), or a Stream Chat or"
        " Twilio token (detected; with --secret)",
    )
    parser.add_argument(
        "--secret",
        help="the HMAC secret (Khoros widget, Thread, a user hash, Stream's API secret, Twilio's API key secret);"
        " @FILE reads it as stored",
    )
    parser.add_argument(
        "--key-id", help="the key id the widget JWT verifier expects, or the Twilio API key SID (SK...) for iss"
    )
    parser.add_argument("--account-sid", help="the Twilio account SID (AC...) a token's sub must be")
    parser.add_argument("--public-key", type=Path, help="the Talkative public key PEM file")
    parser.add_argument("--email", help="the email a Thread connectionKey (or a user hash) was made for")
    parser.add_argument(
        "--user-id", help="the user id a user hash was made for (with --op), or the user connecting with a Stream token"
    )
    parser.add_argument("--identifier", help="the identifier a Chatwoot identifier_hash was made for (with --op)")
    parser.add_argument("--params", help="BoldChat SHA-512 SecureParameters (with --hashing-key)")
    parser.add_argument("--hashing-key", action="append", help="a BoldChat hashing key (repeat for several)")
    parser.add_argument("--message", help="a BoldChat PGP message, or @FILE (with --server-key and --signer-key)")
    parser.add_argument("--server-key", type=Path, help="the server's private key file (armored)")
    parser.add_argument("--signer-key", type=Path, help="the brand's public key file (armored)")
    parser.add_argument("--now", type=int, help="the verification time, seconds since the epoch (JWTs; default: now)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the inspection as JSON")


def _read(path: Path, option: str) -> str:
    """The text of a file an option names. Raises :class:`UsageError` (one line) when it cannot be read."""
    try:
        if not path.is_file():
            raise UsageError(f"{option} {path}: no such file")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise UsageError(f"{option} {path}: larger than {MAX_FILE_BYTES} bytes")
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{option} {path}: not UTF-8 text") from None
    except OSError as exc:
        raise UsageError(f"{option} {path}: cannot be read ({exc.strerror or type(exc).__name__})") from None


def _text(value: str | None, option: str) -> str | None:
    """An option's text; ``@FILE`` reads the file, exactly (a trailing newline included)."""
    if value is None or not value.startswith("@"):
        return value
    return _read(Path(value[1:]), option)


def forms_of(args: argparse.Namespace) -> dict[str, Any]:
    """The friendly forms given on the command line, files read."""
    forms: dict[str, Any] = {name: _text(getattr(args, name), "--" + name.replace("_", "-")) for name in _TEXT_OPTIONS}
    for name in _FILE_OPTIONS:
        path = getattr(args, name)
        forms[name] = None if path is None else _read(path, "--" + name.replace("_", "-"))
    keys = args.hashing_key
    forms["hashing_key"] = None if keys is None else [_text(k, "--hashing-key") for k in keys]
    forms["now"] = args.now
    return forms


def command(args: argparse.Namespace, out: TextIO) -> int:
    from conformance.inspect import inspect

    json_path = writable(args.json, "--json")
    op_args = _text(args.args, "--args")
    inspection = inspect(args.op, op_args, **forms_of(args))
    out.write(inspection.text() + "\n")
    if json_path is not None:
        json_path.write_text(json.dumps(inspection.to_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return EXIT_OK if inspection.conforms else EXIT_FAILURES
