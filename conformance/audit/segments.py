"""Reading a captured compact JWS in the audit helpers: its three segments and their base64url. Every failure is a
:class:`~conformance.errors.MalformedToken` naming the argument, never quoting the token (it holds signed data)."""

from __future__ import annotations

import json
from typing import Any

from conformance.arguments import require_str
from conformance.codecs import decode_base64_url
from conformance.errors import ConformanceError, MalformedToken


def token_parts(token: Any, name: str = "token") -> list[str]:
    """The three dot-separated segments of ``token``. Raises :class:`MalformedToken` for anything else."""
    parts = require_str(token, require_str(name, "name")).split(".", 3)
    if len(parts) != 3:
        raise MalformedToken(f"{name} is not a compact JWS (three parts)")
    return parts


def b64url_decode(segment: str, what: str) -> bytes:
    """The bytes of a base64url ``segment`` (:func:`conformance.codecs.decode_base64_url`). Raises
    :class:`MalformedToken` naming ``what`` when it does not decode, :class:`InvalidArgument` for what is not text."""
    require_str(segment, require_str(what, "what"))
    try:
        return decode_base64_url(segment)
    except ConformanceError:
        raise MalformedToken(f"{what} is not base64url") from None


def b64url_json(segment: str, what: str) -> Any:
    """The JSON value of a base64url ``segment``. Raises :class:`MalformedToken` when it is not base64url JSON."""
    raw = b64url_decode(segment, what)
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        raise MalformedToken(f"{what} is not base64url JSON") from None


__all__ = ["b64url_decode", "b64url_json", "token_parts"]
