"""One picklable description of an implementation, and the one place that builds it.

An :class:`ImplementationSpec` names a built-in implementation (``python``, ``java``, ...), a user's adapter
(``NAME=COMMAND`` with its timeout), one version of a versioned reference (``commons-codec@1.15``) or a user's
Python op table (``module:attr``, the pytest plugin's ``--handoff-impl``). It is plain
data: a campaign sends it to worker processes and Dask workers, each of which builds the implementation itself,
once per process (:func:`build`, cached by spec; adapters' processes end when the process exits).
"""

from __future__ import annotations

import atexit
import importlib
import inspect
import sys
import threading
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from conformance.arguments import require_path, require_str
from conformance.contract import Implementation
from conformance.errors import ConformanceError, InvalidArgument, UsageError

SpecKind = Literal["builtin", "adapter", "version", "object"]
DEFAULT_TIMEOUT = 30.0
MAX_SEARCH_PATH = 64
"""At most this many extra import folders: each is added to ``sys.path`` for the whole process."""


@dataclass(frozen=True)
class ImplementationSpec:
    """How to make one implementation in any process.

    ``kind`` is ``builtin`` (``name`` is a registry name), ``adapter`` (``command`` is run; ``timeout`` bounds each
    answer), ``version`` (``name`` is a versioned reference of :mod:`conformance.versions`, ``version`` one of its
    versions) or ``object`` (``command`` is ``module[:attr]``, imported with ``search`` as extra import folders).
    """

    kind: SpecKind
    name: str
    command: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    version: str | None = None
    search: tuple[str, ...] = ()

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
    def python_object(cls, target: str, search_path: Collection[Path | str] = ()) -> ImplementationSpec:
        """A user's Python op table, ``module[:attr]`` (see :func:`load_object`; nothing is imported yet). Raises
        :class:`UsageError` for a malformed target, :class:`InvalidArgument` for arguments of the wrong type."""
        target = require_str(target, "target")
        module_name = target.partition(":")[0]
        if not module_name.strip() or "\0" in target:
            raise UsageError(f"{target!r}: give module[:attr], e.g. mypkg.adapter:Impl")
        search = tuple(str(p) for p in _search_folders(search_path))
        return cls("object", target, command=target, search=search)

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


def built(name: str) -> Implementation:
    """The implementation ``name`` names (a built-in, or ``REFERENCE@VERSION``), built once in this process: how the
    vector generators, the audit, inspect and the matrices reach a reference. Raises :class:`UsageError`."""
    return build(ImplementationSpec.parse(name))


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
    if spec.kind == "object":
        from conformance.contract import from_python_object

        loaded = load_object(spec.command or "", [Path(p) for p in spec.search])
        return loaded if isinstance(loaded, Implementation) else from_python_object(loaded)
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


# --- a user's Python op table, by module name ------------------------------------------------------------------


def _one_line(exc: BaseException, limit: int = 300) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[:limit] + "..."


def _search_folders(search_path: object) -> list[Path]:
    """Returns the extra import folders, in order and without repeats.

    Raises :class:`InvalidArgument` when ``search_path`` is not a collection of paths or names more than
    :data:`MAX_SEARCH_PATH` of them.
    """
    if isinstance(search_path, (str, bytes)) or not isinstance(search_path, Iterable):
        raise InvalidArgument("search_path must be a collection of directories")
    folders: dict[Path, None] = {}
    for entry in search_path:
        folders[require_path(entry, "search_path entry")] = None
        if len(folders) > MAX_SEARCH_PATH:
            raise InvalidArgument(f"search_path names more than {MAX_SEARCH_PATH} directories")
    return list(folders)


def _import(module_name: str, search_path: Collection[Path]) -> Any:
    try:
        return importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        extra = [str(p) for p in search_path if str(p) not in sys.path]
        if exc.name != module_name.split(".", maxsplit=1)[0] or not extra:
            raise
        sys.path.extend(extra)
        return importlib.import_module(module_name)


def load_object(spec: str, search_path: Collection[Path] = ()) -> Any:
    """Import ``module[:attr[.attr]]``; a class is instantiated without arguments. Returns the object.

    ``search_path`` directories are tried when the module is not importable as it stands (for ``pytest`` run
    from a project directory that is not on ``sys.path``). Raises :class:`UsageError` (one line) when the module
    cannot be imported, an attribute is missing or a class cannot be instantiated without arguments.
    """
    spec = require_str(spec, "spec")
    search = _search_folders(search_path)
    module_name, _, attribute = spec.partition(":")
    if not module_name.strip() or "\0" in spec:
        raise UsageError(f"{spec!r}: give module[:attr], e.g. mypkg.adapter:Impl")
    try:
        target: Any = _import(module_name, search)
    except ConformanceError:
        raise
    except Exception as exc:  # the module is missing, or raised while it was imported (the user's code)
        raise UsageError(f"{spec}: cannot import {module_name} ({type(exc).__name__}: {_one_line(exc)})") from None
    for part in filter(None, attribute.split(".")):
        if not hasattr(target, part):
            raise UsageError(f"{spec}: {module_name} has no attribute {part!r}")
        target = getattr(target, part)
    if not inspect.isclass(target):
        return target
    try:
        return target()
    except ConformanceError:
        raise
    except Exception as exc:
        raise UsageError(f"{spec}: {target.__name__}() failed ({type(exc).__name__}: {_one_line(exc)})") from None
