"""Secrets in ``inspect``'s output: only their lengths and fingerprints, never their text.

Arguments are secret by name (:data:`SECRET_ARGS`, the names the catalog's ops use for keys and secrets). Every
text ``inspect`` writes passes through :func:`scrub`, which replaces any secret it still holds (a whole value, or a
line of a PEM key) as a last line of defence.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from typing import Any

#: Argument names whose values are secrets, across the catalog's ops.
SECRET_ARGS = frozenset(
    {
        "secret",
        "secretKey",
        "encryptionKey",
        "keyText",
        "keyHex",
        "secretHex",
        "hashingKey",
        "hashingKeys",
        "privateKeyPem",
        "keyPem",
        "serverPrivateKey",
        "signingPrivateKey",
        "keys",
    }
)
#: Secrets shorter than this are not searched for in output text (a one-letter secret would blank every word); they
#: still never enter it, since secret arguments are only ever shown by :func:`fingerprint`.
MIN_SCRUBBED = 6
HIDDEN = "[secret]"


def fingerprint(value: Any) -> dict[str, Any]:
    """A secret's length (characters and UTF-8 bytes) and the first 8 hex digits of SHA-256 of its UTF-8 bytes."""
    if isinstance(value, list):
        return {"count": len(value), "items": [fingerprint(item) for item in value]}
    if isinstance(value, Mapping):
        return {k: (fingerprint(v) if k == "secret" else v) for k, v in value.items()}
    text = value if isinstance(value, str) else str(value)
    raw = text.encode("utf-8", "surrogatepass")
    return {"chars": len(text), "bytes": len(raw), "sha256": hashlib.sha256(raw).hexdigest()[:8]}


def describe(value: Any) -> str:
    """A secret in words: ``32 bytes, sha256 1a2b3c4d``."""
    found = fingerprint(value)
    if "count" in found:
        return f"{found['count']} key(s): " + "; ".join(describe(v) for v in value)
    if "chars" not in found:
        return "a key set"
    return f"{found['bytes']} bytes, sha256 {found['sha256']}"


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
        for line in value.splitlines():
            if "-----" not in line:
                yield line.strip()
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def secrets_of(args: Mapping[str, Any]) -> tuple[str, ...]:
    """The secret strings in an op's arguments (whole values and PEM lines), longest first."""
    found = {text for name, value in args.items() if name in SECRET_ARGS for text in _strings(value)}
    return tuple(sorted((t for t in found if len(t) >= MIN_SCRUBBED), key=len, reverse=True))


def scrub(value: Any, secrets: tuple[str, ...]) -> Any:
    """``value`` (text or JSON) with every occurrence of a secret replaced by :data:`HIDDEN`."""
    if isinstance(value, str):
        for secret in secrets:
            if secret in value:
                value = value.replace(secret, HIDDEN)
        return value
    if isinstance(value, Mapping):
        return {scrub(k, secrets): scrub(v, secrets) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [scrub(item, secrets) for item in value]
    return value
