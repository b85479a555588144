"""What one implementation answered for one call: a value, a typed error, unsupported, unavailable or an IO error."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from conformance.errors import (
    ConformanceError,
    InvalidArgument,
    ReferenceFailure,
    ReferenceUnavailable,
    UnsupportedOperation,
)

Status = Literal["value", "error", "unsupported", "unavailable", "io"]

#: An op implementation: takes the op's JSON arguments, returns a JSON value or raises a ConformanceError.
OpFunction = Callable[[Mapping[str, Any]], Any]


@dataclass(frozen=True)
class Outcome:
    status: Status
    value: Any = None
    reason: str | None = None
    message: str | None = None

    @classmethod
    def of_value(cls, value: Any) -> Outcome:
        return _made(cls, "value", value, None, None)

    @classmethod
    def of_error(cls, reason: str, message: str = "") -> Outcome:
        return _made(cls, "error", None, reason, message)

    def record(self) -> dict[str, Any]:
        """The outcome as run records and reports hold it."""
        if self.status == "value":
            return {"status": "value", "value": self.value}
        if self.status == "error":
            return {"status": "error", "reason": self.reason, "message": self.message or ""}
        return {"status": self.status, "message": self.message or ""}

    @classmethod
    def from_record(cls, data: Mapping[str, Any]) -> Outcome:
        """The inverse of :meth:`record`. Raises :class:`InvalidArgument` for what is not a record (a mapping)."""
        if not isinstance(data, Mapping):
            raise InvalidArgument(f"an outcome record must be a mapping, got {type(data).__name__}")
        status = data.get("status", "io")
        if status == "value":
            return cls.of_value(data.get("value"))
        if status == "error":
            return cls.of_error(str(data.get("reason")), str(data.get("message", "")))
        return cls(status, message=str(data.get("message", "")))

    def describe(self) -> str:
        if self.status == "value":
            return f"value {self.value!r}"
        if self.status == "error":
            return f"error {self.reason}: {self.message}"
        return f"{self.status}: {self.message or ''}".rstrip(": ")


def _made(cls: type[Outcome], status: Status, value: Any, reason: str | None, message: str | None) -> Outcome:
    """The outcome with these fields, made without the frozen dataclass's ``__init__`` (a third of its cost: a
    campaign makes two a case). The same object: equality, hash and repr are the dataclass's."""
    made = object.__new__(cls)
    fields = made.__dict__
    fields["status"], fields["value"], fields["reason"], fields["message"] = status, value, reason, message
    return made


def reason_path_of(exc: BaseException) -> str:
    """The reason path of any exception.

    A :class:`ConformanceError` (or anything with ``reason_path()``) gives its own; otherwise the ``reason``
    attribute or class name of the exception and of each ``__cause__``, joined by ``/`` (so a user's
    ``raise EncryptionError() from BadPadding()`` gives ``EncryptionError/BadPadding``). Python's own exception
    classes (``TypeError``, ``KeyError``, ...) are marked ``Unexpected:``: they are bugs, never typed answers.
    """
    if not isinstance(exc, BaseException):
        raise InvalidArgument(f"exc must be an exception, got {type(exc).__name__}")
    method = getattr(exc, "reason_path", None)
    if callable(method):
        return str(method())
    parts = []
    current: BaseException | None = exc
    while current is not None and len(parts) < 8:
        reason = getattr(current, "reason", None)
        if isinstance(reason, str) and reason:
            parts.append(reason)
        elif type(current).__module__ == "builtins":
            parts.append(f"Unexpected:{type(current).__name__}")
        else:
            parts.append(type(current).__name__)
        current = current.__cause__
    return "/".join(parts)


def capture(function: OpFunction, args: Mapping[str, Any]) -> Outcome:  # noqa: PLR0911 (one return per kind)
    """Run an op function and fold what it did into an :class:`Outcome`.

    The message of an exception that is not a :class:`ConformanceError` is dropped (it may quote an argument: a
    ``UnicodeEncodeError`` carries the whole text); its class names it.
    """
    try:
        value = function(args)
    except ReferenceUnavailable as exc:
        return Outcome("unavailable", message=str(exc))
    except ReferenceFailure as exc:
        return Outcome("io", message=str(exc))
    except UnsupportedOperation as exc:
        return Outcome("unsupported", message=str(exc))
    except ConformanceError as exc:
        return Outcome.of_error(exc.reason_path(), str(exc))
    except Exception as exc:
        return Outcome.of_error(reason_path_of(exc), f"{type(exc).__name__} raised")
    if not is_json(value):
        return Outcome(
            "io", message=f"answered a {type(value).__name__} that is not RFC 8259 JSON (NaN, Infinity, bytes...)"
        )
    return Outcome.of_value(value)


def is_json(value: Any) -> bool:
    """Whether ``value`` is representable as RFC 8259 JSON (no NaN, no Infinity, only JSON types)."""
    kind = type(value)
    if kind is str or kind is bool or kind is int or value is None:  # an op's usual answer, decided at once
        return True
    if kind is float:
        return math.isfinite(value)
    try:
        json.dumps(value, allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        return False
    return True
