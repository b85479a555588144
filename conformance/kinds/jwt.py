"""The HS256 JWT op kinds: ``hs256_jwt.sign`` (the brand's ``jwt.sign``) and ``hs256_jwt.verify`` (the vendor's
documented check).

The port follows node ``jsonwebtoken`` (:mod:`conformance.primitives.jwt`); the verifier's steps, in this order,
are the kind's definition and every reference implements them with its own JWT library:

1. decode (``MalformedToken``; a payload that is not a JSON object too);
2. ``alg`` must be ``HS256`` (``AlgNone`` for ``none``, else ``AlgorithmNotAllowed``); an empty signature is
   ``UnsignedToken``;
3. the ``header`` parameter's fields must hold their values (``InvalidHeader``);
4. ``kid: required``: the header's ``kid`` picks the secret among the ``keys`` argument (``MissingKid``,
   ``KidMismatch``); ``kid: ignored``: the ``secret`` argument;
5. the library verifies the signature (``BadSignature``), then ``nbf`` and ``exp`` when present
   (``InvalidClaims`` when not a number, ``TokenNotYetValid``, ``TokenExpired``); ``exp: ignored`` skips ``exp``,
   ``exp: required`` refuses a token without one (``MissingClaim``);
6. ``iatMaxAge``: ``iat`` must be a number (``MissingClaim``) and ``now < iat + iatMaxAge`` (``TokenTooOld``);
7. each claim rule in order: ``MissingClaim``, ``ClaimType``, ``ClaimValue``, ``ClaimTooLong``;
8. the identity: the first claim of ``identity`` that is present (none: ``MissingClaim``).

The value is ``{"claims": ..., "identity": {claim: value}}``.
"""

from __future__ import annotations

import random
import string
from abc import abstractmethod
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

from conformance import jsjson
from conformance.arguments import require_instance, require_mapping, require_str, require_strings
from conformance.codecs import encode_base64_url_safe
from conformance.errors import InvalidArgument
from conformance.kinds.base import (
    Allowance,
    Args,
    Generator,
    Kind,
    KindError,
    Mistake,
    Params,
    ProbeSet,
    Reducer,
    register,
)
from conformance.kinds.jwt_allowances import lenient_base64
from conformance.outcome import OpFunction
from conformance.primitives import jwt as prim

KID_MODES = ("required", "ignored")
SIGN_KID_MODES = ("required", "none")
EXP_MODES = ("honoured", "required", "ignored")
CLAIM_TYPES = ("string", "number", "integer", "boolean")
_RULE_KEYS = {"type", "required", "const", "maxLength"}
_RESERVED_HEADER = {"alg", "kid"}


def _check_header(header: Any, name: str) -> None:
    if not isinstance(header, Mapping) or not all(isinstance(v, str) for v in header.values()):
        raise KindError(f"{name}: header maps field names to string values")
    if _RESERVED_HEADER & set(header):
        raise KindError(f"{name}: header may not set alg or kid (they come from the kind)")


def _check_rules(claims: Any) -> None:
    if not isinstance(claims, Mapping):
        raise KindError("hs256_jwt.verify: claims maps a claim name to its rule")
    for rule in claims.values():  # the claim is not named: a careless caller's mapping may hold anything
        if not isinstance(rule, Mapping) or set(rule) - _RULE_KEYS or rule.get("type") not in CLAIM_TYPES:
            raise KindError("hs256_jwt.verify: a claim's rule is {type, required?, const?, maxLength?}")
        limit = rule.get("maxLength")
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or not 0 <= limit <= 10**6):
            raise KindError("hs256_jwt.verify: a claim's maxLength is a whole number from 0 to 1000000")


class _Hs256Jwt(Kind):
    """What both HS256 kinds share: the key arguments."""

    @staticmethod
    def key_properties(kid_mode: str, max_keys: int) -> dict[str, Any]:
        if kid_mode != "required":
            return {"secret": {"type": "string"}}
        key = {
            "type": "object",
            "required": ["kid", "secret"],
            "properties": {"kid": {"type": "string"}, "secret": {"type": "string"}},
            "additionalProperties": False,
        }
        return {"keys": {"type": "array", "items": key, "minItems": 1, "maxItems": max_keys}}


@register
class Hs256JwtSign(_Hs256Jwt):
    """The brand's ``jwt.sign(claims, secret, {header: {kid, ...header}})`` (jsonwebtoken adds ``iat``)."""

    name = "hs256_jwt.sign"
    role = "produces"
    result = "text"
    parameters: ClassVar[Mapping[str, str]] = {
        "kid": "required: the header carries the keyId argument as kid; none: no kid",
        "header": "further header fields and their string values, written after alg, typ and kid",
    }
    defaults: ClassVar[Mapping[str, Any]] = {"kid": "none", "header": {}}

    def check_params(self, params: Params) -> None:
        self.require_params(params)
        if params["kid"] not in SIGN_KID_MODES:
            raise KindError("hs256_jwt.sign: kid is required or none")
        _check_header(params["header"], self.name)

    def schema(self, params: Params) -> dict[str, Any]:
        params = self.checked(params)
        properties: dict[str, Any] = {
            "claims": {"type": "object"},
            "secret": {"type": "string"},
            "now": {"type": "integer"},
        }
        if params["kid"] == "required":
            properties["keyId"] = {"type": "string"}
        return _object_schema(properties)

    def python(self, params: Params) -> OpFunction:
        params = self.checked(params)

        def sign(args: Args) -> str:
            return _sign_token(params, args).token

        return sign

    def generator(self, params: Params) -> Generator:
        params = self.checked(params)

        def generate(rnd: random.Random) -> dict[str, Any]:
            args: dict[str, Any] = {
                "claims": random_claims(rnd, {}),
                "secret": _random_secret(rnd),
                "now": NOW + rnd.randrange(-(10**6), 10**6),
            }
            if rnd.random() < 0.5:
                args["claims"]["iat"] = args["now"] - rnd.randrange(0, 3600)
            if rnd.random() < 0.3:
                args["claims"]["exp"] = args["now"] + rnd.randrange(-3600, 3600)
            if params["kid"] == "required":
                args["keyId"] = _random_kid(rnd)
            return args

        return generate

    def reducer(self, params: Params) -> Reducer:
        self.checked(params)
        return _reduce_claims


def _require_args(args: Any, names: tuple[str, ...]) -> Args:
    """``args`` when it is a mapping (an op's JSON arguments) holding each of ``names``, as the op's schema makes
    them: what a public function of a kind module taking ``args`` checks first. Raises ``NullArgument``,
    ``InvalidArgument`` naming the missing argument."""
    args = require_mapping(args, "args")
    for name in names:
        if name not in args:
            raise InvalidArgument(f"args lacks {name}")
    return args


def sign_token(params: Params, args: Args) -> prim.JwsParts:
    """The token ``jwt.sign`` makes for an op of kind ``hs256_jwt.sign``, with its intermediate values.

    Raises :class:`EmptyKey`, :class:`SecretIsAsymmetricKey`, :class:`InvalidArgument` (``iat``, ``exp`` or ``nbf``
    not a number, ``now`` not a positive integer, arguments the op's schema refuses), :class:`KindError` for params
    the kind refuses.
    """
    params = _SIGN.checked(params)
    args = _require_args(args, ("claims", "secret", "now", *(("keyId",) if params["kid"] == "required" else ())))
    require_mapping(args["claims"], "claims")
    return _sign_token(params, args)


def _sign_token(params: Params, args: Args) -> prim.JwsParts:
    key = prim.hmac_key(args["secret"], parses_as=prim.is_private_pem)
    claims = args["claims"]
    for name in ("iat", "exp", "nbf"):
        if name in claims and not prim.is_number(claims[name]):
            raise InvalidArgument(f'"{name}" should be a number of seconds')
    now = _now(args)
    kid = require_str(args["keyId"], "keyId") if params["kid"] == "required" else None
    header = prim.sign_header("HS256", kid, params["header"])
    return prim.compact_hs256(header, prim.with_iat(claims, float(now)), key)


#: The largest ``now`` taken: JavaScript's largest safe integer (``Number.MAX_SAFE_INTEGER``) seconds.
MAX_NOW = 2**53 - 1


def _now(args: Args) -> int:
    now = args["now"]
    whole = isinstance(now, int) or (isinstance(now, float) and now.is_integer())
    if not (prim.is_number(now) and whole and 0 < now <= MAX_NOW):
        raise InvalidArgument(f"now must be a whole number of seconds from 1 to {MAX_NOW}")
    return int(now)


def _object_schema(properties: dict[str, Any]) -> dict[str, Any]:
    """An op's argument schema: an object of exactly ``properties``, every one required."""
    return {"type": "object", "required": sorted(properties), "properties": properties, "additionalProperties": False}


class TokenVerifyKind(Kind):
    """What the verify kinds of the JWT family share (``hs256_jwt.verify``, ``asym_jws.verify``): the claim and
    identity parameters' checks, the object schema, the port, the campaign generator and the documented allowance.
    A subclass gives its port's steps and its campaign case (:meth:`_steps`, :meth:`_case`)."""

    @abstractmethod
    def _steps(self, params: Params, args: Args) -> dict[str, Any]:
        """The port's ``{"claims", "identity"}`` for resolved ``params`` and schema-checked ``args``; raises the
        step's :class:`~conformance.errors.TokenError`."""

    @abstractmethod
    def _case(self, params: Params, rnd: random.Random) -> tuple[dict[str, Any], str]:
        """One campaign case for resolved ``params``: its arguments and the mutation it carries."""

    def check_claim_params(self, params: Params) -> None:
        """Raise :class:`KindError` unless ``exp``, ``claims``, ``identity`` and ``maxKeys`` are the kind's."""
        if params["exp"] not in EXP_MODES:
            raise KindError(f"{self.name}: exp is one of {', '.join(EXP_MODES)}")
        _check_rules(params["claims"])
        identity = params["identity"]
        if not isinstance(identity, (list, tuple)) or not all(isinstance(c, str) for c in identity):
            raise KindError(f"{self.name}: identity is a list of claim names")
        if not (isinstance(params["maxKeys"], int) and params["maxKeys"] >= 1):
            raise KindError(f"{self.name}: maxKeys is a positive integer")

    def python(self, params: Params) -> OpFunction:
        params = self.checked(params)

        def verify(args: Args) -> dict[str, Any]:
            return self._steps(params, args)

        return verify

    def generator(self, params: Params) -> Generator:
        params = self.checked(params)

        def generate(rnd: random.Random) -> dict[str, Any]:
            return self._case(params, rnd)[0]

        return generate

    def allowances(self, params: Params) -> tuple[tuple[str, Allowance], ...]:
        self.checked(params)
        return (("RubyLenientBase64", lenient_base64),)


@register
class Hs256JwtVerify(_Hs256Jwt, TokenVerifyKind):
    """The vendor's documented check of an HS256 JWT (the steps in the module's docstring)."""

    name = "hs256_jwt.verify"
    role = "consumes"
    result = "json"
    parameters: ClassVar[Mapping[str, str]] = {
        "kid": "required: the header's kid picks the secret among the keys argument; ignored: one secret argument",
        "header": "header fields that must be present with these string values (e.g. typ: JWT)",
        "claims": "claim name -> rule {type: string|number|integer|boolean, required?, const?, maxLength?}",
        "identity": "claim names in precedence order: the first present is the identity (none present: refused)",
        "exp": "honoured: checked when present; required: must be present; ignored: never read",
        "iatMaxAge": "seconds: iat must be a number and now < iat + iatMaxAge; null: no iat rule",
        "maxKeys": "the most keys the keys argument holds (Zendesk: 10)",
    }
    defaults: ClassVar[Mapping[str, Any]] = {
        "kid": "ignored",
        "header": {},
        "claims": {},
        "identity": [],
        "exp": "honoured",
        "iatMaxAge": None,
        "maxKeys": 10,
    }

    def check_params(self, params: Params) -> None:
        self.require_params(params)
        if params["kid"] not in KID_MODES:
            raise KindError("hs256_jwt.verify: kid is required or ignored")
        _check_header(params["header"], self.name)
        self.check_claim_params(params)
        age = params["iatMaxAge"]
        if age is not None and not (isinstance(age, int) and age > 0):
            raise KindError("hs256_jwt.verify: iatMaxAge is a positive number of seconds or null")

    def schema(self, params: Params) -> dict[str, Any]:
        params = self.checked(params)
        return _object_schema(
            {
                "token": {"type": "string"},
                "now": {"type": "integer"},
                **self.key_properties(params["kid"], params["maxKeys"]),
            }
        )

    def _steps(self, params: Params, args: Args) -> dict[str, Any]:
        return _verify_token(params, args)

    def _case(self, params: Params, rnd: random.Random) -> tuple[dict[str, Any], str]:
        return _verify_case(params, rnd)

    def reducer(self, params: Params) -> Reducer:
        self.checked(params)

        def reduce(args: Args) -> Iterator[dict[str, Any]]:
            if "keys" in args and len(args["keys"]) > 1:
                kid = prim.field(_header_of(args["token"]), "kid")
                keep = [k for k in args["keys"] if k["kid"] == kid][:1] or args["keys"][:1]
                yield {**args, "keys": keep}

        return reduce

    def probes(self, params: Params) -> ProbeSet:
        return verify_probes(params)

    def mistakes(self, params: Params) -> tuple[Mistake, ...]:
        return _verify_mistakes(self.checked(params))


_SIGN, _VERIFY = Hs256JwtSign(), Hs256JwtVerify()


def verify_token(params: Params, args: Args) -> dict[str, Any]:
    """The port of an ``hs256_jwt.verify`` op: the steps of the module's docstring, as node runs them.

    Returns ``{"claims", "identity"}``; raises the step's :class:`~conformance.errors.TokenError` (or
    :class:`InvalidArgument` for ``now`` and arguments the op's schema refuses), :class:`KindError` for params the
    kind refuses.
    """
    return _verify_token(_VERIFY.checked(params), _require_args(args, ("token", "now")))


def _verify_token(params: Params, args: Args) -> dict[str, Any]:
    now = _now(args)
    decoded = prim.decode(args["token"])
    prim.check_jwt_header(decoded, "HS256", params["header"])
    secret = prim.select_secret(decoded.header, params["kid"], args)
    prim.verify_hs256(decoded, prim.hmac_key(secret, parses_as=prim.is_any_pem_key, allow_empty=True))
    return prim.check_claims(decoded.payload, now, params)


def _header_of(token: str) -> Any:
    """The token's header as :func:`conformance.primitives.jwt.decode` reads it, ``None`` where it cannot."""
    try:
        return prim.decode(token).header
    except Exception:
        return None


# --- campaign cases -----------------------------------------------------------------------------------------------

NOW = 1_767_225_600  # 2026-01-01T00:00:00Z
_ASCII = string.ascii_letters + string.digits + "-_.@+ "


def _random_text(rnd: random.Random, length: int, unicode: bool = True) -> str:
    def char() -> str:
        pick = rnd.random()
        if not unicode or pick < 0.8:
            return rnd.choice(_ASCII)
        if pick < 0.9:
            return chr(rnd.randrange(0xA0, 0xD800))
        if pick < 0.95:
            return chr(rnd.randrange(0xE000, 0xFFFE))
        return chr(rnd.randrange(0x10000, 0x110000))

    return "".join(char() for _ in range(length))


def _random_kid(rnd: random.Random) -> str:
    return "app_" + "".join(rnd.choice("0123456789abcdef") for _ in range(rnd.choice((8, 24))))


def _random_secret(rnd: random.Random) -> str:
    return "".join(rnd.choice(string.ascii_letters + string.digits + "-_") for _ in range(rnd.randrange(1, 48)))


def _value_of(rule: Mapping[str, Any], rnd: random.Random) -> Any:
    if "const" in rule:
        return rule["const"]
    kind = rule["type"]
    if kind == "string":
        limit = rule.get("maxLength")
        length = limit if limit is not None and rnd.random() < 0.1 else rnd.randrange(0, 24)
        return _random_text(rnd, length)
    if kind == "boolean":
        return rnd.random() < 0.5
    if kind == "integer":
        return rnd.randrange(-(10**6), 10**9)
    return rnd.choice((rnd.randrange(-(10**6), 10**9), round(rnd.uniform(-1000, 1000), 3)))


def random_claims(rnd: random.Random, rules: Mapping[str, Any], identity: tuple[str, ...] = ()) -> dict[str, Any]:
    """Claims that satisfy ``rules`` (required claims always, optional ones half the time) and name an identity.

    Raises ``InvalidArgument`` when ``rnd`` is not a ``random.Random`` or ``identity`` not claim names,
    :class:`KindError` for rules that are not the ``claims`` parameter's (claim name -> rule)."""
    require_instance(rnd, "rnd", random.Random)
    _check_rules(rules)
    identity = require_strings(identity, "identity")
    return _random_claims(rnd, rules, identity)


def _random_claims(rnd: random.Random, rules: Mapping[str, Any], identity: tuple[str, ...] = ()) -> dict[str, Any]:
    claims: dict[str, Any] = {}
    for name, rule in rules.items():
        if rule.get("required") or rnd.random() < 0.5:
            claims[name] = _value_of(rule, rnd)
    if identity and not any(name in claims for name in identity):
        chosen = rnd.choice(identity)
        claims[chosen] = _value_of(rules.get(chosen, {"type": "string"}), rnd)
    for _ in range(rnd.choice((0, 0, 1, 2))):
        extra = "x_" + _random_text(rnd, rnd.randrange(1, 6), unicode=False).replace(" ", "_")
        claims.setdefault(extra, rnd.choice((_random_text(rnd, 5), rnd.randrange(0, 1000), None, True, [1, "a"])))
    return claims


def _reduce_claims(args: Args) -> Iterator[dict[str, Any]]:
    claims = args.get("claims")
    if isinstance(claims, dict):
        for name in list(claims):
            yield {**args, "claims": {k: v for k, v in claims.items() if k != name}}


#: The campaign's mutations of a genuine token, each with its vector flag.
MUTATIONS = (
    "Normal",
    "WrongSecret",
    "WrongKid",
    "MissingKid",
    "AlgNone",
    "OtherAlgorithm",
    "EmptySignature",
    "Tampered",
    "MissingTyp",
    "WrongTyp",
    "MissingClaim",
    "ClaimAsNumber",
    "ClaimTooLong",
    "WrongConst",
    "Expired",
    "ExpBoundary",
    "NoExp",
    "NotYetValid",
    "IatTooOld",
    "IatBoundary",
    "IatMissing",
    "NoIdentity",
    "PayloadNotObject",
    "Malformed",
)


def _genuine_header(params: Params, kid: str | None) -> dict[str, Any]:
    header: dict[str, Any] = {"alg": "HS256", "typ": "JWT"}
    if kid is not None:
        header["kid"] = kid
    header.update(params["header"])
    return header


def _encode(header: Mapping[str, Any], payload: Any, secret: str, alg: str = "HS256") -> str:
    """A token over ``header`` and ``payload`` (any JSON value) signed with ``secret`` (HS256/384/512 or none)."""
    import hashlib
    import hmac as _hmac

    head = encode_base64_url_safe(jsjson.latin1_low_bytes(jsjson.stringify(dict(header))))
    body = encode_base64_url_safe(jsjson.utf8(jsjson.stringify(payload)))
    signing_input = f"{head}.{body}"
    digest = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}.get(alg)
    if digest is None:
        return signing_input + "."
    return (
        signing_input
        + "."
        + encode_base64_url_safe(_hmac.new(jsjson.utf8(secret), signing_input.encode(), digest).digest())
    )


def verify_case(params: Params, rnd: random.Random, mutation: str | None = None) -> tuple[dict[str, Any], str]:
    """One campaign case of an ``hs256_jwt.verify`` op: its arguments and the mutation (a vector flag) it tries
    (one of :data:`MUTATIONS`; ``None``: one drawn with ``rnd``).

    Raises :class:`KindError` for params the kind refuses, ``InvalidArgument`` for ``rnd`` that is not a
    ``random.Random`` or a ``mutation`` that is not a ``str``."""
    params = _VERIFY.checked(params)
    require_instance(rnd, "rnd", random.Random)
    if mutation is not None:
        require_str(mutation, "mutation")
    return _verify_case(params, rnd, mutation)


def _verify_case(  # noqa: C901, PLR0915 - one branch per mutation
    params: Params, rnd: random.Random, mutation: str | None = None
) -> tuple[dict[str, Any], str]:
    mutation = mutation or rnd.choice(MUTATIONS)
    rules, identity = params["claims"], tuple(params["identity"])
    now = NOW + rnd.randrange(-(10**6), 10**6)
    claims = _random_claims(rnd, rules, identity)
    if params["iatMaxAge"] is not None or rnd.random() < 0.5:
        claims["iat"] = now - rnd.randrange(0, params["iatMaxAge"] or 3600)
    if params["exp"] == "required" or rnd.random() < 0.5:
        claims["exp"] = now + rnd.randrange(1, 7200)
    secrets = [_random_secret(rnd) for _ in range(rnd.randrange(1, params["maxKeys"] + 1))]
    kids = list(dict.fromkeys(_random_kid(rnd) for _ in secrets))
    secrets = secrets[: len(kids)]
    index = rnd.randrange(len(kids))
    kid: str | None = kids[index] if params["kid"] == "required" else (None if rnd.random() < 0.5 else kids[index])
    secret, alg = secrets[index], "HS256"
    header = _genuine_header(params, kid)
    payload: Any = claims
    if mutation == "WrongSecret":
        secret = secret + "x"
    elif mutation == "WrongKid" and kid is not None:
        header["kid"] = kid + "0" if rnd.random() < 0.5 or len(kids) == 1 else kids[(index + 1) % len(kids)]
    elif mutation == "MissingKid":
        header.pop("kid", None)
    elif mutation == "AlgNone":
        header["alg"], alg = rnd.choice(("none", "None", "NONE")), "none"
    elif mutation == "OtherAlgorithm":
        header["alg"] = alg = rnd.choice(("HS384", "HS512", "RS256", "ES256"))
    elif mutation == "MissingTyp":
        header.pop("typ", None)
    elif mutation == "WrongTyp":
        header["typ"] = rnd.choice(("jwt", "JWS", "at+jwt"))
    elif mutation == "MissingClaim" and claims:
        claims.pop(rnd.choice(list(claims)))
    elif mutation == "ClaimAsNumber":
        strings = [n for n, v in claims.items() if isinstance(v, str)]
        if strings:
            claims[rnd.choice(strings)] = rnd.randrange(0, 10**6)
    elif mutation == "ClaimTooLong":
        limited = [(n, r["maxLength"]) for n, r in rules.items() if "maxLength" in r]
        if limited:
            name, limit = rnd.choice(limited)
            claims[name] = _random_text(rnd, limit + rnd.choice((1, 1, 2, 100)))
    elif mutation == "WrongConst":
        consts = [n for n, r in rules.items() if "const" in r]
        if consts:
            claims[rnd.choice(consts)] = rnd.choice(("admin", "", "User", None))
    elif mutation == "Expired":
        claims["exp"] = now - rnd.randrange(0, 10**6)
    elif mutation == "ExpBoundary":
        claims["exp"] = now + rnd.choice((-1, 0, 1))
    elif mutation == "NoExp":
        claims.pop("exp", None)
    elif mutation == "NotYetValid":
        claims["nbf"] = now + rnd.choice((1, 60, 10**6))
    elif mutation == "IatTooOld":
        claims["iat"] = now - (params["iatMaxAge"] or 900) - rnd.randrange(0, 10**6)
    elif mutation == "IatBoundary":
        claims["iat"] = now - (params["iatMaxAge"] or 900) + rnd.choice((-1, 0, 1))
    elif mutation == "IatMissing":
        claims.pop("iat", None)
    elif mutation == "NoIdentity":
        for name in identity:
            claims.pop(name, None)
    elif mutation == "PayloadNotObject":
        payload = rnd.choice(([1, 2], "text", 7, None, True))
    token = _encode(header, payload, secret, alg)
    if mutation == "EmptySignature":
        token = token.rsplit(".", 1)[0] + "."
    elif mutation == "Tampered":
        head, _body, signature = token.split(".")
        token = (
            f"{head}.{encode_base64_url_safe(jsjson.utf8(jsjson.stringify({**claims, 'x_admin': True})))}.{signature}"
        )
    elif mutation == "Malformed":
        token = rnd.choice((token.replace(".", "", 1), token + ".x", "", token.replace(".", ".!", 1), "a.b.c"))
    args: dict[str, Any] = {"token": token, "now": now}
    if params["kid"] == "required":
        args["keys"] = [{"kid": k, "secret": s} for k, s in zip(kids, secrets, strict=True)]
    else:
        args["secret"] = secrets[index]
    return args, mutation


# --- adapter probes and inspect's mistakes ------------------------------------------------------------------------

PROBE_KID, PROBE_SECRET = "probe-kid", "ADAPTER probe TEST secret"


def _probe_args(params: Params, token: str) -> dict[str, Any]:
    args: dict[str, Any] = {"token": token, "now": NOW}
    if params["kid"] == "required":
        args["keys"] = [{"kid": PROBE_KID, "secret": PROBE_SECRET}, {"kid": "other-kid", "secret": "another secret"}]
    else:
        args["secret"] = PROBE_SECRET
    return args


_PROBE_META: dict[str, tuple[str, str, str, str, str]] = {
    "alg-none": (
        "Accepts an unsigned token (alg: none)",
        "critical",
        "CWE-347",
        "Anyone can mint a token for any user without a key.",
        "Pin the algorithm to HS256 and refuse every other alg, none first.",
    ),
    "forged-signature": (
        "Accepts a token signed with another secret",
        "critical",
        "CWE-347",
        "The signature is not checked against the vendor's secret: anyone can sign.",
        "Verify the HMAC over header.payload with the secret the kid names, in constant time.",
    ),
    "tampered-token": (
        "Accepts a token whose payload was changed after signing",
        "critical",
        "CWE-347",
        "The signature is not checked: any claim can be changed.",
        "Verify the signature over header.payload before reading either.",
    ),
    "expired-token": (
        "Accepts a token whose exp has passed",
        "high",
        "CWE-613",
        "A stolen token stays usable forever.",
        "Refuse a token at or after its exp.",
    ),
    "wrong-kid": (
        "Accepts a token whose kid names another key",
        "medium",
        "CWE-345",
        "A token minted for another key (another app, a retired key) is taken for this one.",
        "Pick the secret by the header's kid and refuse an unknown kid.",
    ),
    "too-old-iat": (
        "Accepts a token whose iat is older than the documented window",
        "medium",
        "CWE-613",
        "Without exp the iat window is the only freshness rule: a token replays for ever.",
        "Refuse a token once now reaches iat + the window.",
    ),
}


def verify_probes(params: Params) -> ProbeSet:
    """A genuine token (every rule satisfied) and the attacks an HS256 verifier must refuse. Raises
    :class:`KindError` for params the kind refuses."""
    params = _VERIFY.checked(params)
    rnd = random.Random(16)
    claims = _random_claims(rnd, {n: {**r, "required": True} for n, r in params["claims"].items()}, ())
    claims.update({"iat": NOW - 60, "exp": NOW + 3600})
    for name in params["identity"][:1]:
        claims.setdefault(name, "user-1")
    kid = PROBE_KID if params["kid"] == "required" else None
    header = _genuine_header(params, kid)
    genuine = _encode(header, claims, PROBE_SECRET)
    head, _body, signature = genuine.split(".")
    tokens = {
        "alg-none": _encode({**header, "alg": "none"}, claims, "", "none"),
        "forged-signature": _encode(header, claims, "attacker's secret"),
        "tampered-token": f"{head}.{encode_base64_url_safe(jsjson.utf8(jsjson.stringify({**claims, 'x_admin': True})))}.{signature}",
        "expired-token": _encode(header, {**claims, "exp": NOW - 1}, PROBE_SECRET),
    }
    if params["kid"] == "required":
        tokens["wrong-kid"] = _encode({**header, "kid": "other-kid"}, claims, PROBE_SECRET)
    if params["iatMaxAge"] is not None:
        tokens["too-old-iat"] = _encode(header, {**claims, "iat": NOW - params["iatMaxAge"]}, PROBE_SECRET)
    return ProbeSet(
        genuine=_probe_args(params, genuine),
        attacks={name: _probe_args(params, token) for name, token in tokens.items()},
        meta={name: _PROBE_META[name] for name in tokens},
    )


def _resigned(params: Params, args: Args, change: Any) -> dict[str, Any] | None:
    """The call that re-signs the token of ``args`` after ``change(header, claims)``; ``None`` when it cannot."""
    try:
        decoded = prim.decode(args["token"])
    except Exception:
        return None
    if not isinstance(decoded.header, dict) or not isinstance(decoded.payload, dict):
        return None
    header, claims = dict(decoded.header), dict(decoded.payload)
    if change(header, claims) is False:
        return None
    keys = args.get("keys") or [{"kid": header.get("kid", ""), "secret": args.get("secret", "")}]
    secret = next((k["secret"] for k in keys if k["kid"] == header.get("kid")), keys[0]["secret"])
    return {**args, "token": _encode(header, claims, secret)}


def _verify_mistakes(params: Params) -> tuple[Mistake, ...]:
    """Integrator mistakes on a token: each attempt fixes one thing; the references accepting it confirms it."""
    rules = params["claims"]

    def numbers_to_text(_header: dict[str, Any], claims: dict[str, Any]) -> bool:
        fixed = [n for n, r in rules.items() if r["type"] == "string" and prim.is_number(claims.get(n))]
        for name in fixed:
            claims[name] = jsjson.number_to_string(float(claims[name]))
        return bool(fixed)

    def truncate(_header: dict[str, Any], claims: dict[str, Any]) -> bool:
        cut = [n for n, r in rules.items() if "maxLength" in r and len(str(claims.get(n, ""))) > r["maxLength"]]
        for name in cut:
            claims[name] = str(claims[name])[: rules[name]["maxLength"]]
        return bool(cut)

    def add_header(header: dict[str, Any], _claims: dict[str, Any]) -> bool:
        missing = {n: v for n, v in params["header"].items() if header.get(n) != v}
        header.update(missing)
        return bool(missing)

    mistakes = [
        Mistake(
            "ClaimAsNumber",
            lambda args: _resigned(params, args, numbers_to_text),
            "Send string claims (external_id, user_id) as JSON strings, not numbers.",
        ),
        Mistake(
            "ClaimTooLong",
            lambda args: _resigned(params, args, truncate),
            "Keep the identity claim within the documented length.",
        ),
        Mistake(
            "SecretTrailingNewline",
            lambda args: _with_secrets(args, lambda s: s + "\n"),
            "Strip the newline from the secret read from a file or an environment variable.",
        ),
        Mistake(
            "Expired",
            _earlier,
            "Sign a fresh token for each page load; the one given has expired.",
        ),
    ]
    if params["header"]:
        mistakes.append(
            Mistake(
                "MissingTyp",
                lambda args: _resigned(params, args, add_header),
                "Write the documented header fields (typ: JWT).",
            )
        )
    if params["kid"] == "required":
        mistakes.append(
            Mistake(
                "MissingKid",
                lambda args: _with_kid(params, args),
                "Put the signing key's id in the header as kid.",
            )
        )
    return tuple(mistakes)


def _with_secrets(args: Args, change: Any) -> dict[str, Any]:
    if "keys" in args:
        return {**args, "keys": [{**k, "secret": change(k["secret"])} for k in args["keys"]]}
    return {**args, "secret": change(args.get("secret", ""))}


def _earlier(args: Args) -> dict[str, Any] | None:
    try:
        exp = prim.field(prim.decode(args["token"]).payload, "exp")
    except Exception:
        return None
    if not prim.is_number(exp) or exp - 1 >= args.get("now", 0) or exp - 1 < 1:
        return None
    return {**args, "now": int(exp) - 1}


def _with_kid(params: Params, args: Args) -> dict[str, Any] | None:
    keys = args.get("keys") or []
    if len(keys) != 1:
        return None

    def add(header: dict[str, Any], _claims: dict[str, Any]) -> bool:
        if "kid" in header:
            return False
        header["kid"] = keys[0]["kid"]
        return True

    return _resigned(params, args, add)


__all__ = [
    "MUTATIONS",
    "NOW",
    "Hs256JwtSign",
    "Hs256JwtVerify",
    "random_claims",
    "sign_token",
    "verify_case",
    "verify_probes",
    "verify_token",
]
