"""Argument checks every public function shares: ``None`` is a :class:`NullArgument`, a wrong type or a value out of
range an :class:`InvalidArgument` (as Java's ``NullPointerException`` and a type error would be). Messages name the
argument, never its value: arguments may be keys, secrets or plaintexts."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Mapping
from enum import EnumType
from pathlib import Path
from typing import Any

from conformance.errors import InvalidArgument, NullArgument, UnencodableText

#: The signed 64-bit range: Java's ``long``, SQLite's INTEGER, a millisecond timestamp.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def _type_name(value: Any) -> str:
    return type(value).__name__


def require_str(value: Any, name: str) -> str:
    if value is None:
        raise NullArgument(f"{name} must not be None")
    if not isinstance(value, str):
        raise InvalidArgument(f"{name} must be str, got {_type_name(value)}")
    return value


def require_bytes(value: Any, name: str) -> bytes:
    if value is None:
        raise NullArgument(f"{name} must not be None")
    if not isinstance(value, (bytes, bytearray, memoryview)):
        raise InvalidArgument(f"{name} must be bytes, got {_type_name(value)}")
    return bytes(value)


def require_int(value: Any, name: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """``value`` when it is an ``int`` (not a ``bool``) within ``[minimum, maximum]``."""
    if value is None:
        raise NullArgument(f"{name} must not be None")
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgument(f"{name} must be int, got {_type_name(value)}")
    if minimum is not None and value < minimum:
        raise InvalidArgument(f"{name} must be at least {minimum}")
    if maximum is not None and value > maximum:
        raise InvalidArgument(f"{name} must be at most {maximum}")
    return value


def require_number(value: Any, name: str, *, finite: bool = True) -> int | float:
    """``value`` when it is an ``int`` or ``float`` (not a ``bool``); with ``finite``, not NaN or an infinity."""
    if value is None:
        raise NullArgument(f"{name} must not be None")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidArgument(f"{name} must be a number, got {_type_name(value)}")
    if finite and isinstance(value, float) and not math.isfinite(value):
        raise InvalidArgument(f"{name} must be a finite number")
    return value


def require_bool(value: Any, name: str) -> bool:
    if value is None:
        raise NullArgument(f"{name} must not be None")
    if not isinstance(value, bool):
        raise InvalidArgument(f"{name} must be bool, got {_type_name(value)}")
    return value


def require_callable(value: Any, name: str) -> Callable[..., Any]:
    if value is None:
        raise NullArgument(f"{name} must not be None")
    if not callable(value):
        raise InvalidArgument(f"{name} must be callable, got {_type_name(value)}")
    return value  # type: ignore[no-any-return]


def require_instance(
    value: Any, name: str, kinds: type | tuple[type, ...], *, error: type[InvalidArgument] = InvalidArgument
) -> Any:
    """``value`` when it is an instance of ``kinds``; ``None`` is a :class:`NullArgument`, anything else ``error``."""
    if value is None:
        raise NullArgument(f"{name} must not be None")
    if not isinstance(value, kinds):
        wanted = " or ".join(k.__name__ for k in (kinds if isinstance(kinds, tuple) else (kinds,)))
        raise error(f"{name} must be {wanted}, got {_type_name(value)}")
    return value


def require_items(value: Any, name: str, kinds: type | tuple[type, ...], *, limit: int = 100_000) -> list[Any]:
    """The items of a list or tuple of instances of ``kinds``, at most ``limit`` of them."""
    if value is None:
        raise NullArgument(f"{name} must not be None")
    if not isinstance(value, (list, tuple)):
        raise InvalidArgument(f"{name} must be a list, got {_type_name(value)}")
    if len(value) > limit:
        raise InvalidArgument(f"{name} holds more than {limit} items")
    for item in value:
        require_instance(item, f"an item of {name}", kinds)
    return list(value)


def require_mapping(value: Any, name: str) -> Mapping[Any, Any]:
    if value is None:
        raise NullArgument(f"{name} must not be None")
    if not isinstance(value, Mapping):
        raise InvalidArgument(f"{name} must be a mapping (a JSON object), got {_type_name(value)}")
    return value


def require_strings(value: Any, name: str, *, limit: int = 100_000) -> tuple[str, ...]:
    """The strings of an iterable of ``str`` (not one ``str`` itself), at most ``limit`` of them."""
    if value is None:
        raise NullArgument(f"{name} must not be None")
    if isinstance(value, (str, bytes, bytearray)) or not isinstance(value, Iterable):
        raise InvalidArgument(f"{name} must be an iterable of str, got {_type_name(value)}")
    items: list[str] = []
    for item in value:
        if len(items) == limit:
            raise InvalidArgument(f"{name} holds more than {limit} items")
        items.append(require_str(item, f"an item of {name}"))
    return tuple(items)


def encode_utf8(text: Any, name: str) -> bytes:
    """The strict UTF-8 bytes of ``text``. Raises :class:`UnencodableText` for a lone surrogate (no UTF-8 form)."""
    text = require_str(text, name)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise UnencodableText(f"{name} holds a lone surrogate at index {exc.start}: it has no UTF-8 encoding") from None


def require_path(value: Any, name: str) -> Path:
    """A ``str`` or ``os.PathLike`` as a :class:`Path` the operating system can be asked about.

    Raises :class:`InvalidArgument` for another type, an empty path, a NUL character or text the file system
    encoding cannot represent (a lone surrogate that is not a ``surrogateescape`` byte).
    """
    if value is None:
        raise NullArgument(f"{name} must not be None")
    if not isinstance(value, (str, os.PathLike)):
        raise InvalidArgument(f"{name} must be a path (str or os.PathLike), got {_type_name(value)}")
    try:
        raw = os.fsencode(value)
    except (TypeError, UnicodeError):
        raise InvalidArgument(f"{name} is not representable as a file system path") from None
    if not raw:
        raise InvalidArgument(f"{name} must not be empty")
    if b"\0" in raw:
        raise InvalidArgument(f"{name} holds a NUL character")
    return Path(os.fsdecode(raw))


def hex_bytes(value: Any, name: str) -> bytes:
    """Bytes from an op argument in lowercase or uppercase hex."""
    text = require_str(value, name)
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise InvalidArgument(f"{name} must be hex") from None


def optional_hex_bytes(value: Any, name: str) -> bytes | None:
    return None if value is None else hex_bytes(value, name)


class CheckedEnumType(EnumType):
    """The metaclass of an enum looked up by value only: ``Tag(value)`` raises :class:`InvalidArgument` (naming
    ``value``, never quoting it) for what is not one of its values, a ``bool`` included; no functional API."""

    def __call__(cls, value: Any) -> Any:  # type: ignore[override]
        if isinstance(value, bool) or not isinstance(value, int) or value not in cls._value2member_map_:
            raise InvalidArgument(f"value must be one of the {cls.__name__} ids (int)")
        return super().__call__(value)
