"""The PyJWT reference: the ``hs256_jwt.verify`` and ``asym_jws.verify`` kinds as a Python integrator writes them
with PyJWT, in process.

``jwt.decode(token, secret, algorithms=["HS256"])`` checks the signature, then ``nbf`` and ``exp`` (PyJWT's own
rules); the scheme's steps before and after (:mod:`conformance.kinds.jwt`) use PyJWT's unverified reads. PyJWT's
future-``iat`` refusal is turned off (``verify_iat: False``): no vendor documents it, and jsonwebtoken has none
(``tests/test_hs256_jwt_flows.py`` shows the difference as a finding). The verification time is the op's ``now``:
PyJWT reads ``datetime.now``, which is pinned under a lock for the call. ``asym_jws.verify``: the JWK is read by
``jwt.PyJWK``, its ``x5c`` certificate by pyca/cryptography's X.509 loader, and ``jwt.decode`` checks the RSA
signature, ``nbf``, ``exp`` and ``iss``; PyJWT's own ``sub`` rule is left to the kind's claim rules (which come after
the ``exp: required`` step). PyJWT refuses a ``sub`` that is not a
string itself (after ``exp``); the kinds' claim rules give the same answer where the flow types ``sub`` as a string.
"""

from __future__ import annotations

import base64
import binascii
import threading
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import jwt
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt import api_jwt
from jwt.warnings import InsecureKeyLengthWarning

from conformance import catalog
from conformance.errors import (
    AlgorithmNotAllowed,
    BadSignature,
    CertificateMismatch,
    ClaimType,
    ConformanceError,
    InvalidArgument,
    InvalidClaims,
    InvalidKeyMaterial,
    IssuerMismatch,
    MalformedToken,
    MissingClaim,
    ReferenceFailure,
    SecretIsAsymmetricKey,
    TokenExpired,
    TokenNotYetValid,
)
from conformance.outcome import OpFunction
from conformance.primitives import jwt as prim

KINDS = ("hs256_jwt.verify", "asym_jws.verify")
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


_ISSUER_ERRORS: tuple[tuple[type[Exception], Callable[[str], ConformanceError]], ...] = (
    (jwt.MissingRequiredClaimError, MissingClaim),
    (jwt.InvalidIssuerError, IssuerMismatch),
)


def _pyjwk(jwk: Mapping[str, Any], alg: str) -> jwt.PyJWK:
    """``jwt.PyJWK`` of the keyset's JWK, and (``x5c: match``) its certificate compared by pyca/cryptography."""
    try:
        key = jwt.PyJWK(dict(jwk), algorithm=alg)
    except (jwt.PyJWKError, jwt.InvalidKeyError):
        raise InvalidKeyMaterial("PyJWK cannot read the JWK") from None
    if not isinstance(key.key, rsa.RSAPublicKey):
        raise InvalidKeyMaterial("the JWK is not an RSA public key")
    return key


def _certificate_holds(jwk: Mapping[str, Any], key: rsa.RSAPublicKey) -> bool:
    chain = jwk.get("x5c")
    if not isinstance(chain, list) or not chain or not isinstance(chain[0], str):
        raise InvalidKeyMaterial("the JWK's x5c is not a list of certificates")
    try:
        held = x509.load_der_x509_certificate(base64.b64decode(chain[0], validate=True)).public_key()
    except (ValueError, binascii.Error):
        raise InvalidKeyMaterial("the JWK's x5c[0] is not a base64 DER certificate") from None
    return isinstance(held, rsa.RSAPublicKey) and held.public_numbers() == key.public_numbers()


def verify_asym(params: Mapping[str, Any], args: Mapping[str, Any]) -> dict[str, Any]:
    """``asym_jws.verify`` with PyJWT. Returns ``{"claims", "identity"}``; raises the step's typed error."""
    from conformance.kinds.jws import find_jwk

    if not (prim.is_number(args["now"]) and args["now"] > 0 and float(args["now"]).is_integer()):
        raise InvalidArgument("now must be a positive whole number of seconds")
    now = int(args["now"])
    decoded = _unverified(args["token"])
    prim.check_jwt_header(decoded, tuple(params["algorithms"]), params["header"])
    jwk = find_jwk(decoded.header, args["jwks"], params)
    key = _pyjwk(jwk, decoded.header["alg"])
    if params["x5c"] == "match" and not _certificate_holds(jwk, key.key):
        raise CertificateMismatch("the JWK's x5c certificate holds another key")
    options = {
        "verify_iat": False,
        "verify_sub": False,
        "verify_jti": False,
        "verify_aud": False,  # the kind has no audience rule (PyJWT's default refuses any aud without one)
        "verify_iss": params["issuer"] == "argument",
        "verify_exp": params["exp"] != "ignored",
    }
    issuer = args["issuer"] if params["issuer"] == "argument" else None
    try:
        with _clock(now):
            claims = dict(
                jwt.decode(args["token"], key, algorithms=list(params["algorithms"]), issuer=issuer, options=options)  # type: ignore[arg-type]
            )
    except jwt.PyJWTError as exc:
        for kind, error in (*_ISSUER_ERRORS, *_ERRORS):
            if isinstance(exc, kind):
                raise error("PyJWT refused the token") from None
        raise ReferenceFailure(f"PyJWT raised {type(exc).__name__}") from None
    return prim.check_claims(claims, now, {**params, "iatMaxAge": None}, times=False)


_VERIFIERS: dict[str, Callable[[Mapping[str, Any], Mapping[str, Any]], dict[str, Any]]] = {
    "hs256_jwt.verify": verify,
    "asym_jws.verify": verify_asym,
}


def ops() -> dict[str, OpFunction]:
    """One function per catalog op of the kinds PyJWT implements, and the SDK token flows' documented verifiers
    (:mod:`conformance.references.pyjwt_sdk_tokens`)."""
    from conformance.references import pyjwt_sdk_tokens

    table: dict[str, OpFunction] = dict(pyjwt_sdk_tokens.OPS)
    for found in catalog.kind_parts():
        verifier = _VERIFIERS.get(found.kind.name)
        if verifier is not None:
            params = dict(found.params)
            table[found.op] = lambda args, params=params, verifier=verifier: verifier(params, args)  # type: ignore[misc]
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


def default_decode_jwk(token: str, jwk: Mapping[str, Any], now: int, issuer: str) -> str:
    """What ``jwt.decode(token, PyJWK(jwk), algorithms=[jwk alg], issuer=issuer)`` with PyJWT's other options at
    their defaults answers at ``now``: ``accepted`` or the name of the ``PyJWTError`` it raises."""
    with _clock(now), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            jwt.decode(token, jwt.PyJWK(dict(jwk)), algorithms=[str(jwk.get("alg", "RS256"))], issuer=issuer)
        except jwt.PyJWTError as exc:
            return type(exc).__name__
    return "accepted"


def versions() -> dict[str, str]:
    return {"PyJWT": jwt.__version__}


__all__ = ["KINDS", "default_decode", "default_decode_jwk", "ops", "verify", "verify_asym", "versions"]
