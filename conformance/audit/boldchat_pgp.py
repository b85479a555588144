"""BoldChat SecureParameters, PGP method, audited against GnuPG, BouncyCastle 1.50 and current, and the Python port:
PGP-1 (sign-then-encrypt binds neither the recipient nor a time) and PGP-2 (what the references accept that a
careful server should not: SHA-1 signatures, a bad armor checksum).

The attack steps are public for the notebook: :func:`unwrap` (GnuPG ``--unwrap``: the signed inner message, still
signed by the brand), :func:`rewrap` (encrypt those packets as they are to another key: ``--no-literal``),
:func:`seal_with_gpg` (a brand message with a chosen digest), :func:`break_armor_checksum`, and
:func:`open_everywhere`. Keys are the committed TEST keys (:func:`conformance.testkeys.pgp_test_keys`). GnuPG runs in
a temporary home of its own that is deleted, agent included, when each step ends.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from conformance import catalog
from conformance.arguments import encode_utf8, require_bytes, require_str
from conformance.audit.evidence import PORT, Details, Stopwatch, accepted, answer, answers, call, reference_versions
from conformance.audit.model import Finding, proof
from conformance.errors import InvalidArgument, ReferenceFailure, ReferenceUnavailable, UnsupportedOperation
from conformance.outcome import Outcome, capture
from conformance.paths import inputs_dir
from conformance.testkeys import pgp_test_keys
from conformance.vendors.boldchat_pgp import open_secure_parameters_pgp, secure_parameters_pgp

FLOW = "boldchat_pgp"
CONSUMERS = (PORT, "gnupg", "bc150", "bc-current")
REFERENCES = catalog.flow(FLOW).references
PARAMS = "Type=chat&VisitName=Robert%20Smith&VisitEmail=r.smith%40gmail.com"
TIMEOUT = 60.0
#: The digests :func:`seal_with_gpg` asks GnuPG for (its ``--digest-algo`` names).
DIGESTS = ("MD5", "SHA1", "RIPEMD160", "SHA224", "SHA256", "SHA384", "SHA512")


def _key(role: Any, name: str, part: str) -> str:
    """The armored TEST key ``<role>.<part>`` (``part``: ``pub`` or ``sec``). Raises :class:`InvalidArgument`
    naming ``name`` (never the value) for a role that is not a TEST key's."""
    keys = pgp_test_keys()
    key = keys.get(f"{require_str(role, name)}.{part}")
    if key is None:
        roles = sorted({known.split(".")[0] for known in keys if known.endswith(f".{part}")})
        raise InvalidArgument(f"{name} must name a TEST key with a .{part} file: one of {', '.join(roles)}")
    return key


class Gpg:
    """A GnuPG home holding some TEST keys; :meth:`run` runs ``gpg`` in it (status lines on stdout)."""

    def __init__(self, home: str) -> None:
        self.home = home
        self.fingerprints: dict[str, str] = {}

    def run(self, argv: Sequence[str], stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
        binary = shutil.which("gpg")
        if binary is None:
            raise ReferenceUnavailable("GnuPG (gpg) is not installed")
        base = [binary, "--homedir", self.home, "--batch", "--no-tty", "--yes", "--pinentry-mode", "loopback"]
        base += ["--passphrase", "", "--trust-model", "always", "--no-auto-key-retrieve", "--status-fd", "1"]
        env = {**os.environ, "LC_ALL": "C", "GNUPGHOME": self.home}
        try:
            return subprocess.run(
                [*base, *argv], input=stdin, capture_output=True, env=env, timeout=TIMEOUT, check=False
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise ReferenceFailure(f"gpg failed to run: {type(exc).__name__}") from None

    def output(self, argv: Sequence[str], stdin: bytes = b"") -> bytes:
        """``gpg --output FILE argv``; the file's bytes. Raises :class:`ReferenceFailure` on a non-zero exit."""
        path = os.path.join(self.home, "out.bin")
        result = self.run(["--output", path, *argv], stdin)
        if result.returncode != 0 or not os.path.exists(path):
            raise ReferenceFailure(f"gpg {argv[-1]} failed with status {result.returncode}")
        with open(path, "rb") as handle:
            data = handle.read()
        os.unlink(path)
        return data


@contextmanager
def gpg_home(*key_names: str) -> Iterator[Gpg]:
    """A fresh GnuPG home with the named TEST keys (``"brand.sec"``, ``"other.pub"``, ...) imported.

    Raises :class:`InvalidArgument` for a name that is not a TEST key."""
    keys = pgp_test_keys()
    for name in key_names:
        if not isinstance(name, str) or name not in keys:
            raise InvalidArgument(f"key_names must name TEST keys: {', '.join(sorted(keys))}")
    home = tempfile.mkdtemp(prefix="handoff-audit-gpg-")
    os.chmod(home, 0o700)
    gpg = Gpg(home)
    try:
        for name in key_names:
            result = gpg.run(["--import"], keys[name].encode("ascii"))
            found = re.search(rb"IMPORT_OK \d+ ([0-9A-F]{40})", result.stdout)
            if found is None:
                raise ReferenceFailure(f"gpg could not import the TEST key {name}")
            gpg.fingerprints[name.split(".")[0]] = found.group(1).decode("ascii")
        yield gpg
    finally:
        if (gpgconf := shutil.which("gpgconf")) is not None:
            subprocess.run([gpgconf, "--homedir", home, "--kill", "all"], capture_output=True, check=False, timeout=30)
        shutil.rmtree(home, ignore_errors=True)


def seal_with_gpg(params: str, *, digest: str = "SHA256") -> str:
    """``gpg --sign --encrypt --armor``: ``params`` signed by the brand TEST key with ``digest``, to the server key.
    Raises :class:`InvalidArgument` for ``params`` that are not text (or have no UTF-8 form), a ``digest`` not in
    :data:`DIGESTS`; :class:`ReferenceFailure` when gpg fails."""
    data = encode_utf8(params, "params")
    if require_str(digest, "digest") not in DIGESTS:
        raise InvalidArgument(f"digest must be one of {', '.join(DIGESTS)}")
    with gpg_home("brand.sec", "server.pub") as gpg:
        argv = ["--armor", "--sign", "--encrypt", "--digest-algo", digest, "--local-user", gpg.fingerprints["brand"]]
        return gpg.output([*argv, "--recipient", gpg.fingerprints["server"]], data).decode("ascii")


def unwrap(message: str, recipient: str = "server") -> bytes:
    """``gpg --unwrap`` with ``recipient``'s TEST secret key: the decrypted inner packets, signature untouched.
    Raises :class:`InvalidArgument` for a ``message`` that is not text (or has no UTF-8 form) or a ``recipient``
    that names no TEST secret key; :class:`ReferenceFailure` when gpg fails."""
    data = encode_utf8(message, "message")
    _key(recipient, "recipient", "sec")
    with gpg_home(f"{recipient}.sec") as gpg:
        return gpg.output(["--unwrap"], data)


def rewrap(inner: bytes, recipient: str = "other") -> str:
    """Encrypt already-signed packets *as they are* to ``recipient``'s TEST public key (``--no-literal``).
    Raises :class:`InvalidArgument` for ``inner`` that is not bytes or a ``recipient`` that names no TEST public key;
    :class:`ReferenceFailure` when gpg fails."""
    inner = require_bytes(inner, "inner")
    _key(recipient, "recipient", "pub")
    with gpg_home(f"{recipient}.pub") as gpg:
        argv = ["--armor", "--no-literal", "--compress-algo", "none", "--encrypt"]
        return gpg.output([*argv, "--recipient", gpg.fingerprints[recipient]], inner).decode("ascii")


def _signature_created(message: str, recipient: str = "server") -> int | None:
    """The signature creation time (Unix seconds) inside an encrypted message, read with ``gpg --list-packets``."""
    with gpg_home(f"{recipient}.sec") as gpg:
        listing = gpg.run(["--list-packets"], message.encode("ascii")).stdout.decode("utf-8", "replace")
    found = re.search(r":signature packet:.*?\n\s+version 4, created (\d+)", listing, re.S)
    return int(found.group(1)) if found else None


def break_armor_checksum(message: str) -> str:
    """The armored message with its CRC-24 line (``=XXXX``) changed; the packets are untouched.

    Raises :class:`InvalidArgument` when the message has no CRC-24 line."""
    lines = require_str(message, "message").splitlines()
    index = next((i for i, line in enumerate(lines) if re.fullmatch(r"=[A-Za-z0-9+/]{4}", line)), None)
    if index is None:
        raise InvalidArgument("the message has no armor checksum line")
    lines[index] = "=AAAA" if lines[index] != "=AAAA" else "=BBBB"
    return "\n".join(lines) + "\n"


def open_everywhere(message: str, recipient: str = "server", signer: str = "brand") -> dict[str, Outcome]:
    """``boldchat.pgp.open`` on every consumer, with ``recipient``'s secret key and ``signer``'s public key.
    Raises :class:`InvalidArgument` for a ``message`` that is not text, or a role that names no TEST key."""
    message = require_str(message, "message")
    args = {"message": message, "serverPrivateKey": _key(recipient, "recipient", "sec"),
            "signerPublicKey": _key(signer, "signer", "pub")}  # fmt: skip
    return {name: call(name, "boldchat.pgp.open", args) for name in CONSUMERS}


def _open_strict(message: str, recipient: str = "server", signer: str = "brand") -> Outcome:
    """The port's careful mode: ``open_secure_parameters_pgp(..., strict_hashes=True)`` (refuses MD5/SHA-1);
    *unsupported* when this version of the port has no such mode."""
    keys = pgp_test_keys()

    def run(_: Mapping[str, Any]) -> str:
        try:
            return open_secure_parameters_pgp(
                message,
                server_private_key=keys[f"{recipient}.sec"],
                signer_public_key=keys[f"{signer}.pub"],
                strict_hashes=True,
            )
        except TypeError:
            raise UnsupportedOperation("this version of the port has no strict_hashes mode") from None

    return capture(run, {})


def _frozen_message() -> tuple[str, str]:
    """A message BouncyCastle 1.50 sealed when the vectors' inputs were generated: ``(id, armored text)``."""
    import json

    inputs = json.loads((inputs_dir() / "boldchat_pgp_messages.json").read_text(encoding="utf-8"))
    entry = next(m for m in inputs["messages"] if m["kind"] == "valid")
    return entry["id"], entry["message"]


PGP_1 = Details(
    id="PGP-1",
    flow=FLOW,
    title="Sign-then-encrypt binds neither the recipient nor a time: forwarded and old messages open as the brand's",
    severity="medium",
    severity_reasoning=(
        "Nothing signed names BoldChat's key or a time, so any holder of a message opens it again years later, and "
        "whoever can decrypt one message (a second website's or another vendor's key, an insider) can re-encrypt "
        "the brand-signed packets to a different server key. Both need a captured message; forwarding also needs "
        "a brand signing key reused for two recipients."
    ),
    cwe="CWE-294",
    attacker_model=(
        "Forwarding: the holder of one recipient's private key (another website definition or vendor the brand "
        "signs for with the same key). Replay: anyone who captured an armored SecureParameters string."
    ),
    preconditions=[
        "The brand signs with one key for more than one recipient key (forwarding).",
        "The parameters carry no ChatKey/Expiration (replay); the PGP layer itself checks no time.",
    ],
    mitigation=(
        "Put the recipient (website ID) and an Expiration and ChatKey inside the signed parameters and check them on "
        "open; use one signing key per recipient; servers should refuse signatures older than a few minutes."
    ),
)

PGP_2 = Details(
    id="PGP-2",
    flow=FLOW,
    title="What the references accept that a careful server should not: SHA-1 signatures, a bad armor checksum",
    severity="low",
    severity_reasoning=(
        "SHA-1 is broken for collisions (chosen-prefix, 2020): a server that accepts SHA-1 signatures trusts a "
        "hash that can be collided, though a forgery here would also need the brand to sign attacker-chosen data. "
        "The CRC-24 armor checksum carries no security (the MDC and the signature do), and RFC 9580 even requires "
        "ignoring it; it matters as a divergence: GnuPG refuses what BouncyCastle opens."
    ),
    cwe="CWE-328",
    attacker_model="A brand (or its library) producing SHA-1 signatures; anyone able to alter the armor text.",
    preconditions=["The server uses BouncyCastle or GnuPG defaults to open SecureParameters."],
    mitigation=(
        "Refuse signatures whose hash is MD5 or SHA-1 (the Python port does); treat a CRC mismatch consistently "
        "(log it); sign with SHA-256 or better."
    ),
)


@proof("PGP-1", FLOW, REFERENCES, PGP_1)
def _prove_forwarding_and_replay() -> Finding:
    """Seal to the server key, unwrap, rewrap to ``other``; open everywhere as ``other``. Open a frozen message."""
    if (skipped := PGP_1.unavailable(REFERENCES)) is not None:
        return skipped
    keys = pgp_test_keys()
    with Stopwatch() as watch:
        original = secure_parameters_pgp(
            PARAMS, server_public_key=keys["server.pub"], signing_private_key=keys["brand.sec"]
        )
        inner = unwrap(original, "server")
        forwarded = rewrap(inner, "other")
        opened = open_everywhere(forwarded, recipient="other")
        frozen_id, frozen = _frozen_message()
        replayed = open_everywhere(frozen)
        created = _signature_created(frozen)
        again = open_everywhere(original)
    signed_by_brand = [n for n, o in opened.items() if accepted(o) and o.value == PARAMS]
    replay_ok = [n for n, o in replayed.items() if accepted(o)]
    proved = bool(signed_by_brand) and bool(replay_ok)
    why = (
        f"A message the port sealed for the server key was unwrapped with that key and re-encrypted, brand "
        f"signature untouched, to the 'other' key; opened as 'other' with the brand's public key: "
        f"{answers(opened)}. The message {frozen_id}, signed at Unix time {created} when the inputs were "
        f"generated, opens today: {answers(replayed)}; the original opens again: {answers(again)}."
    )
    return PGP_1.finding(
        "proved" if proved else "refuted",
        why,
        ran=[
            "secure_parameters_pgp(PARAMS, server.pub, brand.sec) (the Python port)",
            "gpg --unwrap with server.sec -> the compressed, brand-signed packets",
            "gpg --no-literal --compress-algo none --encrypt -r other -> a message for the 'other' key",
            "boldchat.pgp.open (other.sec, brand.pub) on python, gnupg, bc150, bc-current",
            f"boldchat.pgp.open (server.sec, brand.pub) on the frozen input {frozen_id}, and on the original again",
        ],
        references=reference_versions([*REFERENCES, PORT]),
        figures={
            "queries": 3 * len(CONSUMERS),
            "seconds": watch.seconds,
            "forwarded_accepted_by": signed_by_brand,
            "frozen_accepted_by": replay_ok,
            "frozen_signature_created": created,
        },
        artifacts={"original": original, "forwarded": forwarded, "inner_hex": inner.hex(), "frozen_input": frozen_id},
    )


@proof("PGP-2", FLOW, REFERENCES, PGP_2)
def _prove_lenient_consumers() -> Finding:
    """A SHA-1-signed message from GnuPG and a message with a broken armor CRC, opened by every consumer."""
    if (skipped := PGP_2.unavailable(REFERENCES)) is not None:
        return skipped
    keys = pgp_test_keys()
    with Stopwatch() as watch:
        sha1 = seal_with_gpg(PARAMS, digest="SHA1")
        sha256 = seal_with_gpg(PARAMS, digest="SHA256")
        good = secure_parameters_pgp(
            PARAMS, server_public_key=keys["server.pub"], signing_private_key=keys["brand.sec"]
        )
        bad_crc = break_armor_checksum(good)
        messages = {
            "sha1-signature": sha1,
            "sha256-signature (control)": sha256,
            "bad-armor-checksum": bad_crc,
            "good-armor-checksum (control)": good,
        }
        seen: dict[str, dict[str, str]] = {
            case: {**answers(open_everywhere(m)), "python-strict": answer(_open_strict(m))}
            for case, m in messages.items()
        }
    lenient = {
        case: sorted(n for n, a in by.items() if a == "accepted") for case, by in seen.items() if "control" not in case
    }
    proved = any(name in REFERENCES for names in lenient.values() for name in names)
    strict = seen["sha1-signature"]["python-strict"]
    why = "; ".join(f"{case}: {by}" for case, by in seen.items())
    return PGP_2.finding(
        "proved" if proved else "refuted",
        f"Accepted: {lenient}. The port's careful mode (strict_hashes=True) on the SHA-1 message: {strict}. "
        f"In detail: {why}.",
        ran=[
            "gpg --sign --encrypt --digest-algo SHA1 (and SHA256 as a control), brand.sec -> server.pub",
            "secure_parameters_pgp, then the armor's CRC-24 line replaced",
            "boldchat.pgp.open (server.sec, brand.pub) on python, gnupg, bc150, bc-current",
            "open_secure_parameters_pgp(..., strict_hashes=True) (the port's careful mode)",
        ],
        references=reference_versions([*REFERENCES, PORT]),
        figures={
            "queries": 4 * (len(CONSUMERS) + 1),
            "seconds": watch.seconds,
            "answers": seen,
            "accepted_by": lenient,
        },
        artifacts={"sha1_signed": sha1, "bad_armor_checksum": bad_crc},
    )


def describe(outcomes: Mapping[str, Outcome]) -> dict[str, Any]:
    """``{consumer: "accepted" | reason}`` (for display). Raises :class:`InvalidArgument` as
    :func:`~conformance.audit.evidence.answers` does."""
    return answers(outcomes)


__all__ = [
    "CONSUMERS",
    "DIGESTS",
    "PARAMS",
    "break_armor_checksum",
    "describe",
    "gpg_home",
    "open_everywhere",
    "rewrap",
    "seal_with_gpg",
    "unwrap",
]
