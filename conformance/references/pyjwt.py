"""The PyJWT reference: the ``hs256_jwt.verify`` kind as a Python integrator writes it with PyJWT, in process.

``jwt.decode(token, secret, algorithms=["HS256"])`` checks the signature, then ``nbf`` and ``exp`` (PyJWT's own
rules); the scheme's steps before and after (:mod:`conformance.kinds.jwt`) use PyJWT's unverified reads. PyJWT's
future-``iat`` refusal is turned off (``verify_iat: False``): no vendor documents it, and jsonwebtoken has none
(``tests/test_hs256_jwt_flows.py`` shows the difference as a finding). The verification time is the op's ``now``:
PyJWT reads ``datetime.now``, which is pinned under a lock for the call. PyJWT refuses a ``sub`` that is not a
string itself (after ``exp``); the kinds' claim rules give the same answer where the flow types ``sub`` as a string.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import jwt
from jwt import api_jwt
from jwt.warnings import InsecureKeyLengthWarning

from conformance import catalog
from conformance.errors import (
    AlgorithmNotAllowed,
    BadSignature,
    ClaimType,
    ConformanceError,
    InvalidArgument,
    InvalidClaims,
    MalformedToken,
    ReferenceFailure,
    SecretIsAsymmetricKey,
    TokenExpired,
    TokenNotYetValid,
)
from conformance.outcome import OpFunction
from conformance.primitives import jwt as prim

KINDS = ("hs256_jwt.verify",)
_clock_lock = threading.Lock()


class _PinnedDatetime(datetime):
    pinned: float = 0.0

    @classmethod
    def now(cls, tz: Any = None) -> _PinnedDatetime:  # type: ignore[override]
        return cls.fromtimestamp(cls.pinned, tz or UTC)


@contextmanager
def _clock(now: int) -> Iterator[None]:
    with _clock_lock:
        saved = api_jwt.datetime
        _PinnedDatetime.pinned = float(now)
        api_jwt.datetime = _PinnedDatetime  # type: ignore[misc]
        try:
            yield
        finally:
            api_jwt.datetime = saved  # type: ignore[misc]


def _unverified(token: str) -> prim.Decoded:
    """PyJWT's unverified read of header and payload. Raises :class:`MalformedToken`."""
    try:
        complete = jwt.api_jwt.decode_complete(token, options={"verify_signature": False})
    except jwt.DecodeError as exc:
        raise MalformedToken("the token is not a JWT PyJWT can read") from exc
    segments = token.split(".")
    return prim.Decoded(complete["header"], complete["payload"], (segments[0], segments[1], segments[2]))


_ERRORS: tuple[tuple[type[Exception], Callable[[str], ConformanceError]], ...] = (
    (jwt.InvalidSignatureError, BadSignature),
    (jwt.ExpiredSignatureError, TokenExpired),
    (jwt.ImmatureSignatureError, TokenNotYetValid),
    (jwt.InvalidAlgorithmError, AlgorithmNotAllowed),
    (jwt.InvalidKeyError, SecretIsAsymmetricKey),
    (jwt.exceptions.InvalidSubjectError, ClaimType),  # PyJWT (2.10+) refuses a sub that is not a string, after exp
    (jwt.DecodeError, InvalidClaims),  # PyJWT's "exp/nbf must be an integer"
)


def _verified(token: str, secret: str, now: int, params: Mapping[str, Any]) -> dict[str, Any]:
    options = {"verify_iat": False, "verify_exp": params["exp"] != "ignored"}
    try:
        with _clock(now), warnings.catch_warnings():
            # PyJWT warns about HMAC keys under 32 bytes; the vendors' secrets are whatever they issue.
            warnings.simplefilter("ignore", InsecureKeyLengthWarning)
            return dict(jwt.decode(token, secret, algorithms=["HS256"], options=options))  # type: ignore[arg-type]
    except jwt.PyJWTError as exc:
        for kind, error in _ERRORS:
            if isinstance(exc, kind):
                raise error("PyJWT refused the token") from None
        raise ReferenceFailure(f"PyJWT raised {type(exc).__name__}") from None


def verify(params: Mapping[str, Any], args: Mapping[str, Any]) -> dict[str, Any]:
    """``hs256_jwt.verify`` with PyJWT. Returns ``{"claims", "identity"}``; raises the step's typed error."""
    if not (prim.is_number(args["now"]) and args["now"] > 0 and float(args["now"]).is_integer()):
        raise InvalidArgument("now must be a positive whole number of seconds")
    now = int(args["now"])
    decoded = _unverified(args["token"])
    prim.check_jwt_header(decoded, "HS256", params["header"])
    secret = prim.select_secret(decoded.header, params["kid"], args)
    claims = _verified(args["token"], secret, now, params)
    return prim.check_claims(claims, now, params, times=False)


def ops() -> dict[str, OpFunction]:
    """One function per catalog op of the kinds PyJWT implements."""
    table: dict[str, OpFunction] = {}
    for found in catalog.kind_parts():
        if found.kind.name == "hs256_jwt.verify":
            params = dict(found.params)
            table[found.op] = lambda args, params=params: verify(params, args)  # type: ignore[misc]
    return table


def default_decode(token: str, secret: str, now: int) -> str:
    """What ``jwt.decode(token, secret, algorithms=["HS256"])`` with PyJWT's default options answers at ``now``:
    ``accepted`` or the name of the ``PyJWTError`` it raises (the audit asks it through ``registry.bridge``)."""
    with _clock(now), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            jwt.decode(token, secret, algorithms=["HS256"])
        except jwt.PyJWTError as exc:
            return type(exc).__name__
    return "accepted"


def versions() -> dict[str, str]:
    return {"PyJWT": jwt.__version__}


__all__ = ["KINDS", "ops", "verify", "versions"]
