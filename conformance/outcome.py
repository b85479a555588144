"""What one implementation answered for one call: a value, a typed error, unsupported, unavailable or an IO error."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from conformance.errors import ConformanceError, ReferenceFailure, ReferenceUnavailable, UnsupportedOperation

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
        return cls("value", value=value)

    @classmethod
    def of_error(cls, reason: str, message: str = "") -> Outcome:
        return cls("error", reason=reason, message=message)

    def comparable(self) -> tuple[Any, ...]:
        """What two outcomes must share to count as the same: the value, or the error's reason path."""
        return (self.status, self.value if self.status == "value" else self.reason)

    def describe(self) -> str:
        if self.status == "value":
            return f"value {self.value!r}"
        if self.status == "error":
            return f"error {self.reason}: {self.message}"
        return f"{self.status}: {self.message or ''}".rstrip(": ")


def capture(function: OpFunction, args: Mapping[str, Any]) -> Outcome:
    """Run an op function and fold what it did into an :class:`Outcome`."""
    try:
        return Outcome.of_value(function(args))
    except ReferenceUnavailable as exc:
        return Outcome("unavailable", message=str(exc))
    except ReferenceFailure as exc:
        return Outcome("io", message=str(exc))
    except UnsupportedOperation as exc:
        return Outcome("unsupported", message=str(exc))
    except ConformanceError as exc:
        return Outcome.of_error(exc.reason_path(), str(exc))
    except Exception as exc:
        return Outcome.of_error(f"Unexpected:{type(exc).__name__}", str(exc)[:200])


def run_op(ops: Mapping[str, OpFunction], op: str, args: Mapping[str, Any]) -> Outcome:
    """Dispatch ``op`` to its function in ``ops``; an op the table lacks is *unsupported*."""
    function = ops.get(op)
    if function is None:
        return Outcome("unsupported", message=f"{op} is not implemented here")
    return capture(function, args)
