"""The explicit registry of built-in implementations: the Python port and every reference runtime.

Everything else names an implementation by a :class:`conformance.spec.ImplementationSpec`.

Each name maps to a factory of one :class:`~conformance.contract.Implementation`. A user's adapter is made by
:func:`conformance.contract.adapter` and is the same kind of thing. Nothing is discovered: a new reference adds one
line here and one module in ``conformance/references/``.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import platform
from collections.abc import Callable
from functools import cache
from types import ModuleType
from typing import Any

from conformance import catalog
from conformance.arguments import require_instance, require_str
from conformance.contract import Implementation, JsonLinesImplementation, OpTableImplementation
from conformance.errors import UsageError
from conformance.outcome import OpFunction


@cache
def python_ops() -> dict[str, OpFunction]:
    """The built-in Python implementation's op table: the ``OPS`` of every flow's module in the catalog, and the
    port of every op of a kind (:meth:`conformance.kinds.Kind.python`)."""
    table: catalog.OpTable[OpFunction] = catalog.OpTable("the python implementation's ops")
    for module_name in dict.fromkeys(entry.python_module for entry in catalog.FLOWS if entry.python_module):
        table.add_all(importlib.import_module(module_name).OPS)
    for found in catalog.kind_parts():
        table.add(found.op, found.python())
    return dict(table)


def _package_version() -> str:
    try:
        return importlib.metadata.version("handoff-conformance")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _python() -> Implementation:
    return OpTableImplementation(
        "python",
        python_ops,
        read_versions=lambda: {"python": platform.python_version(), "handoff-conformance": _package_version()},
    )


def _java() -> Implementation:
    from conformance.references import java, khoros_java

    return OpTableImplementation(
        "java",
        lambda: khoros_java.OPS,
        kind="jvm",
        probe=java.available,
        read_versions=java.versions,
        batches=khoros_java.batches,
    )


def _bouncycastle(flavor: str) -> Callable[[], Implementation]:
    def make() -> Implementation:
        from conformance.references import bouncycastle

        return OpTableImplementation(
            flavor,
            lambda: bouncycastle.make_ops(flavor),
            kind="jvm",
            probe=bouncycastle.make_available(flavor),
            read_versions=lambda: bouncycastle.versions(flavor),
        )

    return make


def _node() -> Implementation:
    from conformance.references import node

    return JsonLinesImplementation("node", node.process, probe=node.available)


def _php() -> Implementation:
    from conformance.references import php

    return JsonLinesImplementation("php", php.process, probe=php.available, encode_args=php.wire_args)


def _ruby() -> Implementation:
    from conformance.references import ruby

    return JsonLinesImplementation("ruby", ruby.process, probe=ruby.available, encode_args=ruby.wire_args)


def _python_hmac() -> Implementation:
    from conformance.references import python_hmac

    return OpTableImplementation("python-hmac", python_hmac.ops, read_versions=python_hmac.versions)


def _openssl() -> Implementation:
    from conformance.references import openssl, openssl_dgst

    return OpTableImplementation(
        "openssl",
        lambda: dict(catalog.OpTable("openssl's ops", openssl.OPS, openssl_dgst.OPS)),
        probe=lambda: openssl.available() or openssl_dgst.available(),
        read_versions=openssl_dgst.versions,
        batches=lambda: {"boldchat.sha512.secure": openssl_dgst.secure_batch},
    )


def _gnupg() -> Implementation:
    from conformance.references import gnupg

    return OpTableImplementation("gnupg", lambda: gnupg.OPS, probe=gnupg.available, read_versions=gnupg.versions)


def _pyjwt() -> Implementation:
    from conformance.references import pyjwt

    return OpTableImplementation("pyjwt", pyjwt.ops, read_versions=pyjwt.versions)


def _sdk_node(name: str, sdk: str) -> Callable[[], Implementation]:
    def make() -> Implementation:
        from conformance.references import node_sdk

        return JsonLinesImplementation(name, node_sdk.process_factory(sdk), probe=node_sdk.available)

    return make


def _sdk_python(name: str) -> Callable[[], Implementation]:
    def make() -> Implementation:
        from conformance.references import sdk_python

        return OpTableImplementation(
            name,
            lambda: sdk_python.ops(name),
            probe=sdk_python.available(name),
            read_versions=sdk_python.versions(name),
        )

    return make


def _sdk_java(name: str) -> Callable[[], Implementation]:
    def make() -> Implementation:
        from conformance.references import java_sdks

        return OpTableImplementation(
            name,
            lambda: java_sdks.ops(name),
            kind="jvm",
            probe=java_sdks.make_available(name),
            read_versions=java_sdks.versions(name),
        )

    return make


def _named(*entries: tuple[str, Callable[[], Implementation]]) -> dict[str, Callable[[], Implementation]]:
    """The factories by name; raises ``ValueError`` at import for a name registered twice."""
    table: dict[str, Callable[[], Implementation]] = {}
    for name, factory in entries:
        if name in table:
            raise ValueError(f"implementation {name!r} is registered twice")
        table[name] = factory
    return table


#: name -> factory, in the order reports list them.
FACTORIES: dict[str, Callable[[], Implementation]] = _named(
    ("python", _python),
    ("java", _java),
    ("node", _node),
    ("php", _php),
    ("ruby", _ruby),
    ("python-hmac", _python_hmac),
    ("openssl", _openssl),
    ("gnupg", _gnupg),
    ("pyjwt", _pyjwt),
    ("bc150", _bouncycastle("bc150")),
    ("bc-current", _bouncycastle("bc-current")),
    ("stream-node", _sdk_node("stream-node", "stream")),
    ("stream-python", _sdk_python("stream-python")),
    ("stream-java", _sdk_java("stream-java")),
    ("twilio-node", _sdk_node("twilio-node", "twilio")),
    ("twilio-python", _sdk_python("twilio-python")),
    ("twilio-java", _sdk_java("twilio-java")),
    ("stream-node-8", _sdk_node("stream-node-8", "stream-8")),
    ("twilio-node-5", _sdk_node("twilio-node-5", "twilio-5")),
)


#: A reference's questions beyond the contract's ops (what the audit's proofs and the benchmark ask): name -> its
#: bridge module.
BRIDGES: dict[str, str] = {
    "bc-current": "conformance.references.bouncycastle",
    "bc150": "conformance.references.bouncycastle",
    "java": "conformance.references.khoros_java_bridge",
    "openssl": "conformance.references.openssl_dgst",
    "pyjwt": "conformance.references.pyjwt",
    "python-hmac": "conformance.references.python_hmac",
}


def bridge(name: str) -> ModuleType:
    """The module through which the audit asks built-in reference ``name`` what the contract has no op for (the
    vendor's Khoros classes beyond the ops, raw OpenSSL digests). Raises :class:`UsageError` for a name without one.
    """
    module = BRIDGES.get(require_str(name, "name"))
    if module is None:
        raise UsageError(f"implementation {name!r} has no bridge; bridges: {', '.join(BRIDGES)}")
    return importlib.import_module(module)


def names() -> tuple[str, ...]:
    return tuple(FACTORIES)


def reference_names() -> tuple[str, ...]:
    """Every built-in implementation but the Python port."""
    return tuple(name for name in FACTORIES if name != "python")


def shared(name: str) -> Implementation:
    """The one instance of a built-in implementation in this process. Raises :class:`UsageError` for an unknown
    name, :class:`InvalidArgument` for what is not a str."""
    return _shared(require_str(name, "name"))


@cache
def _shared(name: str) -> Implementation:
    factory = FACTORIES.get(name)
    if factory is None:
        raise UsageError(f"unknown implementation {name!r}; known: {', '.join(FACTORIES)}")
    return factory()


def selection(text: str) -> tuple[str, ...]:
    """The names in an ``--impl`` value (a comma list, or ``all``). Raises :class:`UsageError` naming any unknown."""
    if not isinstance(text, str):
        raise UsageError("--impl takes a comma-separated list of implementation names")
    chosen = names() if text.strip() == "all" else tuple(n.strip() for n in text.split(",") if n.strip())
    unknown = [name for name in chosen if name not in FACTORIES]
    if unknown:
        raise UsageError(f"unknown implementation(s) {', '.join(unknown)}; known: {', '.join(FACTORIES)}")
    return tuple(dict.fromkeys(chosen))


def describe(implementation: Implementation) -> dict[str, Any]:
    """What a run record says about an implementation: kind, availability, versions, ops, restarts. Raises
    :class:`InvalidArgument` for what is not an implementation of the contract."""
    require_instance(implementation, "implementation", Implementation)
    problem = implementation.unavailable()
    return {
        "kind": implementation.kind,
        "builtin": implementation.builtin,
        "available": problem,
        "versions": implementation.versions(),
        "ops": sorted(implementation.ops()),
        "restarts": implementation.restarts(),
    }
