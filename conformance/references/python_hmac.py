"""The ``python-hmac`` reference: the vendors' Python snippet, ``hmac.new(secret, msg=field.encode('utf8'),
digestmod=hashlib.sha256).hexdigest()``, for every catalog op of the ``hmac_hex`` kinds.

It is written as the documentation writes it (Front's "Identify users", Chatwoot's "Identity validation"), with
the standard library alone, independently of the port (:mod:`conformance.primitives.hmac_hex`): only the secret is
encoded, where Front's snippet passes the ``str`` itself, which Python 3's ``hmac.new`` refuses with a
``TypeError`` (:func:`documented_snippet` keeps that line as published; the audit proves it). Failures are the
project's typed errors, in the order the other references check: the secret, the identity field, the hash.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Mapping
from typing import Any

from conformance import catalog
from conformance.errors import InvalidArgument, MissingIdentity, UnencodableText
from conformance.outcome import OpFunction

KINDS = ("hmac_hex.sign", "hmac_hex.verify")
_HEX = re.compile(r"(?:[0-9a-fA-F]{2})*")


def documented_snippet(verification_secret: Any, user_email: str) -> str:
    """Front's Python line exactly as published: the secret is passed as given (a ``str`` raises ``TypeError``)."""
    return hmac.new(verification_secret, msg=user_email.encode("utf8"), digestmod=hashlib.sha256).hexdigest()


def _utf8(args: Mapping[str, Any], name: str) -> bytes:
    try:
        return args[name].encode("utf8")
    except UnicodeEncodeError:
        raise UnencodableText(f"{name} has no UTF-8 encoding (a lone surrogate)") from None


def _hash(params: Mapping[str, Any], args: Mapping[str, Any]) -> str:
    secret = _utf8(args, "secret")
    if params.get("key", "text") == "hex":
        if _HEX.fullmatch(args["secret"]) is None:
            raise InvalidArgument("secret is not an even number of hex digits")
        secret = bytes.fromhex(args["secret"])
    field = params["message"]
    if field not in args:
        field = params.get("fallback") or ""
        if field not in args:
            raise MissingIdentity("no identity to MAC")
    return hmac.new(secret, msg=_utf8(args, field), digestmod=hashlib.sha256).hexdigest()


def _sign(params: Mapping[str, Any]) -> OpFunction:
    def sign(args: Mapping[str, Any]) -> str:
        digest = _hash(params, args)
        return digest.upper() if params.get("hexCase") == "upper" else digest

    return sign


def _verify(params: Mapping[str, Any]) -> OpFunction:
    presented = params.get("presented", "hash")
    unsigned = params.get("unsigned") == "accept"

    def verify(args: Mapping[str, Any]) -> bool:
        expected = _hash(params, args)
        if presented not in args:
            return unsigned
        given = _utf8(args, presented)
        if unsigned and not given:
            return True
        if params.get("accept") == "either-case":
            given = given.lower()
        if params.get("accept") == "upper":
            expected = expected.upper()
        return hmac.compare_digest(expected.encode("ascii"), given)

    return verify


_MAKERS: dict[str, Callable[[Mapping[str, Any]], OpFunction]] = {"hmac_hex.sign": _sign, "hmac_hex.verify": _verify}


def ops() -> dict[str, OpFunction]:
    """One function per catalog op of the ``hmac_hex`` kinds, made with that op's params."""
    return {
        op.name: _MAKERS[op.kind](op.params)
        for flow in catalog.FLOWS
        for op in flow.ops
        if getattr(op, "kind", None) in _MAKERS
    }


def versions() -> dict[str, str]:
    """Python and the OpenSSL its ``hashlib`` links."""
    import platform
    import ssl

    return {"python": platform.python_version(), "openssl": ssl.OPENSSL_VERSION}


__all__ = ["KINDS", "documented_snippet", "ops", "versions"]
