"""One picklable description of an implementation, and the one place that builds it.

An :class:`ImplementationSpec` names a built-in implementation (``python``, ``java``, ...), a user's adapter
(``NAME=COMMAND`` with its timeout) or one version of a versioned reference (``commons-codec@1.15``). It is plain
data: a campaign sends it to worker processes and Dask workers, each of which builds the implementation itself,
once per process (:func:`build`, cached by spec; adapters' processes end when the process exits).
"""

from __future__ import annotations

import atexit
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from conformance.contract import Implementation
from conformance.errors import UsageError

SpecKind = Literal["builtin", "adapter", "version"]
DEFAULT_TIMEOUT = 30.0


@dataclass(frozen=True)
class ImplementationSpec:
    """How to make one implementation in any process.

    ``kind`` is ``builtin`` (``name`` is a registry name), ``adapter`` (``command`` is run; ``timeout`` bounds each
    answer) or ``version`` (``name`` is a versioned reference of :mod:`conformance.versions`, ``version`` one of its
    versions).
    """

    kind: SpecKind
    name: str
    command: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    version: str | None = None

    @classmethod
    def builtin(cls, name: str) -> ImplementationSpec:
        """A built-in implementation by its registry name. Raises :class:`UsageError` for an unknown name."""
        from conformance import registry

        if not isinstance(name, str) or name not in registry.names():
            raise UsageError(f"unknown implementation {name!r}; known: {', '.join(registry.names())}")
        return cls("builtin", name)

    @classmethod
    def adapter(cls, text: str, timeout: float = DEFAULT_TIMEOUT) -> ImplementationSpec:
        """A user's adapter from ``NAME=COMMAND`` (nothing is started). Raises :class:`UsageError` for a malformed
        spec, a command that cannot be split into words, or the name of a built-in implementation."""
        from conformance import registry
        from conformance.contract import split_adapter

        name, command, _argv = split_adapter(text)
        if name in registry.names():
            raise UsageError(f"implementation name {name!r} is used twice: it is a built-in implementation's name")
        return cls("adapter", name, command=command, timeout=timeout)

    @classmethod
    def versioned(cls, reference: str, version: str) -> ImplementationSpec:
        """Version ``version`` of the versioned reference ``reference``. Raises :class:`UsageError` for either
        unknown."""
        from conformance import versions

        found = versions.VERSIONED.get(reference)
        if found is None:
            raise UsageError(f"unknown versioned reference {reference!r}; known: {', '.join(versions.VERSIONED)}")
        if version not in found.versions:
            raise UsageError(f"{reference} has no version {version!r}; known: {', '.join(found.versions)}")
        return cls("version", reference, version=version)

    @classmethod
    def parse(cls, text: str, timeout: float = DEFAULT_TIMEOUT) -> ImplementationSpec:
        """``NAME`` (built-in), ``NAME=COMMAND`` (adapter) or ``REFERENCE@VERSION``. Raises :class:`UsageError`."""
        if not isinstance(text, str) or not text.strip():
            raise UsageError("an implementation is NAME, NAME=COMMAND or REFERENCE@VERSION")
        if "=" in text:
            return cls.adapter(text, timeout)
        name, at, version = text.strip().partition("@")
        return cls.versioned(name, version) if at else cls.builtin(name)

    @property
    def label(self) -> str:
        """The name reports use: the implementation's name, or ``REFERENCE@VERSION``."""
        return f"{self.name}@{self.version}" if self.kind == "version" else self.name

    def build(self) -> Implementation:
        """The implementation, built once in this process (see :func:`build`)."""
        return build(self)

    def __str__(self) -> str:
        return f"{self.name}={self.command}" if self.kind == "adapter" else self.label


def specs_of(impl: str, adapters: Sequence[str] = (), timeout: float = DEFAULT_TIMEOUT) -> list[ImplementationSpec]:
    """The specs of ``--impl`` (a comma list, or ``all``) and ``--adapter NAME=COMMAND`` options; nothing is built.

    Raises :class:`UsageError` for an unknown name, a malformed adapter spec or a name used twice.
    """
    from conformance import registry

    chosen = [ImplementationSpec("builtin", name) for name in registry.selection(impl)]
    for text in adapters:
        made = ImplementationSpec.adapter(text, timeout)
        if made.name in {spec.name for spec in chosen}:
            raise UsageError(f"implementation name {made.name!r} is used twice")
        chosen.append(made)
    return chosen


def build_all(impl: str, adapters: Sequence[str] = (), timeout: float = DEFAULT_TIMEOUT) -> list[Implementation]:
    """The implementations of ``--impl`` and ``--adapter`` options (:func:`specs_of`), each built once here."""
    return [build(spec) for spec in specs_of(impl, adapters, timeout)]


_built: dict[ImplementationSpec, Implementation] = {}
_lock = threading.Lock()


def build(spec: ImplementationSpec) -> Implementation:
    """The implementation ``spec`` describes, made on the first call in this process and shared after. Raises
    :class:`UsageError` for a spec that names nothing known."""
    with _lock:
        made = _built.get(spec)
        if made is None:
            made = _built[spec] = _make(spec)
        return made


def _make(spec: ImplementationSpec) -> Implementation:
    from conformance import registry

    if spec.kind == "builtin":
        return registry.shared(spec.name)
    if spec.kind == "adapter":
        from conformance.contract import adapter

        return adapter(f"{spec.name}={spec.command}", timeout=spec.timeout)
    if spec.kind == "version":
        from conformance import versions

        reference = versions.VERSIONED.get(spec.name)
        if reference is None or spec.version not in reference.versions:
            raise UsageError(f"unknown versioned reference {spec.label!r}")
        return reference.make(spec.version)
    raise UsageError(f"unknown implementation spec kind {spec.kind!r}")


@atexit.register
def close_all() -> None:
    """End the processes of every implementation built here (adapters, JSON-lines references)."""
    with _lock:
        built = list(_built.values())
    for implementation in built:
        try:
            implementation.close()
        except Exception:
            continue
