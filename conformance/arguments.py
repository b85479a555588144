"""Argument checks every public function shares: ``None`` is a :class:`NullArgument`, a wrong type an
:class:`InvalidArgument` (as Java's ``NullPointerException`` and a type error would be). Messages name the argument,
never its value."""

from __future__ import annotations

from typing import Any

from conformance.errors import InvalidArgument, NullArgument


def require_str(value: Any, name: str) -> str:
    if value is None:
        raise NullArgument(f"{name} must not be None")
    if not isinstance(value, str):
        raise InvalidArgument(f"{name} must be str, got {type(value).__name__}")
    return value


def require_bytes(value: Any, name: str) -> bytes:
    if value is None:
        raise NullArgument(f"{name} must not be None")
    if not isinstance(value, (bytes, bytearray, memoryview)):
        raise InvalidArgument(f"{name} must be bytes, got {type(value).__name__}")
    return bytes(value)


def hex_bytes(value: Any, name: str) -> bytes:
    """Bytes from an op argument in lowercase or uppercase hex."""
    text = require_str(value, name)
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise InvalidArgument(f"{name} must be hex") from None


def optional_hex_bytes(value: Any, name: str) -> bytes | None:
    return None if value is None else hex_bytes(value, name)
