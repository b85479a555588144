"""The asymmetric JWS op kinds: ``asym_jws.sign`` (the brand's ``jwt.sign`` with an RSA private key) and
``asym_jws.verify`` (the vendor's documented check against a keyset of JWKs and its issuer).

The port follows node ``jsonwebtoken`` (:mod:`conformance.primitives.rsa_jws`). The verifier's steps, in this order,
are the kind's definition; every reference implements them with its own JWT library:

1. decode (``MalformedToken``; a payload that is not a JSON object too);
2. ``alg`` must be one of ``algorithms`` (``AlgNone`` for ``none``, else ``AlgorithmNotAllowed``: HS256 made with
   the public key is refused here); an empty signature is ``UnsignedToken``; the ``header`` fields must hold;
3. the header's ``kid`` names the JWK of the ``jwks`` argument (``MissingKid``, ``KidMismatch``);
4. that JWK must carry every ``jwkFields`` member (``InvalidJwk``), its ``alg`` must be the header's
   (``KeyAlgorithmMismatch``), it must be an RSA key (``InvalidKeyMaterial``) and, with ``x5c: match``, its first
   ``x5c`` certificate must hold the same key (``CertificateMismatch``);
5. the library verifies the signature (``BadSignature``), then ``nbf`` and ``exp`` when present (``InvalidClaims``,
   ``TokenNotYetValid``, ``TokenExpired``), then, with ``issuer: argument``, ``iss`` against the ``issuer`` argument
   (``MissingClaim``, ``IssuerMismatch``);
6. ``exp: required`` refuses a token without one (``MissingClaim``); each claim rule in order (``MissingClaim``,
   ``ClaimType``, ``ClaimValue``, ``ClaimTooLong``); the identity, the first claim of ``identity`` present.

The value is ``{"claims": ..., "identity": {claim: value}}``.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any, ClassVar

from conformance import jsjson
from conformance.arguments import require_instance, require_mapping, require_str
from conformance.codecs import encode_base64_url_safe
from conformance.errors import (
    CertificateMismatch,
    InvalidArgument,
    InvalidJwk,
    InvalidKeyMaterial,
    IssuerMismatch,
    KeyAlgorithmMismatch,
    KidMismatch,
    MissingClaim,
    MissingKid,
)
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
from conformance.kinds.jwt import (
    NOW,
    TokenVerifyKind,
    _check_header,
    _header_of,
    _now,
    _object_schema,
    _random_claims,
    _reduce_claims,
    _require_args,
)
from conformance.kinds.jwt_allowances import empty_pem, short_key
from conformance.outcome import OpFunction
from conformance.primitives import jwt as prim
from conformance.primitives import rsa_jws

ALGORITHMS = tuple(rsa_jws.HASHES)
JWK_MEMBERS = ("kty", "kid", "alg", "use", "n", "e", "x5c")


def _check_algorithms(params: Params, name: str) -> None:
    algorithms = params["algorithms"]
    if not isinstance(algorithms, (list, tuple)) or not algorithms or not all(a in ALGORITHMS for a in algorithms):
        raise KindError(f"{name}: algorithms is a non-empty list of {', '.join(ALGORITHMS)}")


@register
class AsymJwsSign(Kind):
    """The brand's ``jwt.sign(claims, privateKeyPem, {algorithm, keyid})`` (jsonwebtoken adds ``iat``)."""

    name = "asym_jws.sign"
    role = "produces"
    result = "text"
    parameters: ClassVar[Mapping[str, str]] = {
        "algorithms": "the algorithms the alg argument may name (RS256, RS384, RS512)",
        "kid": "required: the header carries the keyId argument as kid; none: no kid",
        "header": "further header fields and their string values, written after alg, typ and kid",
    }
    defaults: ClassVar[Mapping[str, Any]] = {"kid": "required", "header": {}}

    def check_params(self, params: Params) -> None:
        self.require_params(params)
        _check_algorithms(params, self.name)
        if params["kid"] not in ("required", "none"):
            raise KindError("asym_jws.sign: kid is required or none")
        _check_header(params["header"], self.name)

    def schema(self, params: Params) -> dict[str, Any]:
        params = self.checked(params)
        properties: dict[str, Any] = {
            "claims": {"type": "object"},
            "privateKeyPem": {"type": "string"},
            "alg": {"enum": list(params["algorithms"])},
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
            now = NOW + rnd.randrange(-(10**6), 10**6)
            claims = _random_claims(rnd, {"sub": {"type": "string", "required": True}, "iss": {"type": "string"}})
            if rnd.random() < 0.5:
                claims["exp"] = now + rnd.randrange(-3600, 3600)
            if rnd.random() < 0.3:
                claims["iat"] = now - rnd.randrange(0, 3600)
            if rnd.random() < 0.05:
                claims["exp"] = rnd.choice(("3600", None, [1]))
            name = rnd.choices(("brand-a", "brand-b", "short-1024", "", "not a key"), (45, 45, 4, 3, 3))[0]
            args: dict[str, Any] = {
                "claims": claims,
                "privateKeyPem": _test_keys().get(name, name),
                "alg": rnd.choice(list(params["algorithms"])),
                "now": now,
            }
            if params["kid"] == "required":
                args["keyId"] = rnd.choice(("key-1", "12345", _random_kid(rnd)))
            return args

        return generate

    def allowances(self, params: Params) -> tuple[tuple[str, Allowance], ...]:
        self.checked(params)
        return (("RubyShortKey", short_key), ("RubyEmptyPem", empty_pem))

    def reducer(self, params: Params) -> Reducer:
        self.checked(params)
        return _reduce_claims


def sign_token(params: Params, args: Args) -> prim.JwsParts:
    """The token ``jwt.sign`` makes for an op of kind ``asym_jws.sign``, with its intermediate values.

    Raises :class:`~conformance.errors.EmptyKey`, :class:`~conformance.errors.InvalidKeyMaterial` (not an RSA
    private key, under 2048 bits), :class:`InvalidArgument` (``alg`` not allowed, ``iat``/``exp``/``nbf`` not a
    number, ``now`` not a positive integer, arguments the op's schema refuses), :class:`KindError` for params the
    kind refuses.
    """
    params = AsymJwsSign().checked(params)
    names = ("claims", "privateKeyPem", "alg", "now", *(("keyId",) if params["kid"] == "required" else ()))
    args = _require_args(args, names)
    require_mapping(args["claims"], "claims")
    require_str(args["privateKeyPem"], "privateKeyPem")
    return _sign_token(params, args)


def _sign_token(params: Params, args: Args) -> prim.JwsParts:
    from conformance.errors import EmptyKey

    if args["alg"] not in params["algorithms"]:
        raise InvalidArgument(f"alg must be one of {', '.join(params['algorithms'])}")
    pem = args["privateKeyPem"]
    if not pem:
        raise EmptyKey("the private key must not be empty")
    key = rsa_jws.private_key(pem)
    if key.key_size < rsa_jws.MIN_SIGNING_BITS:
        raise InvalidKeyMaterial(f"the RSA key is under {rsa_jws.MIN_SIGNING_BITS} bits")
    claims = args["claims"]
    for name in ("iat", "exp", "nbf"):
        if name in claims and not prim.is_number(claims[name]):
            raise InvalidArgument(f'"{name}" should be a number of seconds')
    now = _now(args)
    kid = require_str(args["keyId"], "keyId") if params["kid"] == "required" else None
    header = prim.sign_header(args["alg"], kid, params["header"])
    return rsa_jws.compact_rsa(header, prim.with_iat(claims, float(now)), pem, args["alg"])


@register
class AsymJwsVerify(TokenVerifyKind):
    """The vendor's documented check of an RSA-signed JWT against a keyset (the steps in the module's docstring)."""

    name = "asym_jws.verify"
    role = "consumes"
    result = "json"
    parameters: ClassVar[Mapping[str, str]] = {
        "algorithms": "the header algorithms accepted (RS256, RS384, RS512)",
        "header": "header fields that must be present with these string values",
        "jwkFields": "the members every JWK of the keyset must carry (Salesforce: kty, kid, alg, x5c)",
        "x5c": "match: the JWK's first x5c certificate must hold the JWK's key; ignored: x5c is not read",
        "issuer": "argument: iss must equal the issuer argument (the keyset's issuer); none: iss is not read",
        "claims": "claim name -> rule {type: string|number|integer|boolean, required?, const?, maxLength?}",
        "identity": "claim names in precedence order: the first present is the identity (none present: refused)",
        "exp": "honoured: checked when present; required: must be present; ignored: never read",
        "maxKeys": "the most keys the jwks argument holds",
    }
    defaults: ClassVar[Mapping[str, Any]] = {
        "header": {},
        "jwkFields": ["kty", "kid"],
        "x5c": "ignored",
        "issuer": "none",
        "claims": {},
        "identity": [],
        "exp": "honoured",
        "maxKeys": 10,
    }

    def check_params(self, params: Params) -> None:
        self.require_params(params)
        _check_algorithms(params, self.name)
        _check_header(params["header"], self.name)
        fields = params["jwkFields"]
        if not isinstance(fields, (list, tuple)) or not all(f in JWK_MEMBERS for f in fields):
            raise KindError(f"asym_jws.verify: jwkFields lists members among {', '.join(JWK_MEMBERS)}")
        if params["x5c"] not in ("match", "ignored") or params["issuer"] not in ("argument", "none"):
            raise KindError("asym_jws.verify: x5c is match or ignored, issuer is argument or none")
        self.check_claim_params(params)

    def schema(self, params: Params) -> dict[str, Any]:
        params = self.checked(params)
        jwks = {
            "type": "object",
            "required": ["keys"],
            "properties": {"keys": {"type": "array", "items": {"type": "object"}, "maxItems": params["maxKeys"]}},
            "additionalProperties": False,
        }
        properties: dict[str, Any] = {"token": {"type": "string"}, "now": {"type": "integer"}, "jwks": jwks}
        if params["issuer"] == "argument":
            # jsonwebtoken skips its issuer check for an empty issuer option: the keyset's issuer is never empty
            properties["issuer"] = {"type": "string", "pattern": "[\\s\\S]"}
        return _object_schema(properties)

    def _steps(self, params: Params, args: Args) -> dict[str, Any]:
        return _verify_token(params, args)

    def _case(self, params: Params, rnd: random.Random) -> tuple[dict[str, Any], str]:
        return _verify_case(params, rnd)

    def reducer(self, params: Params) -> Reducer:
        self.checked(params)

        def reduce(args: Args) -> Iterator[dict[str, Any]]:
            keys = args["jwks"].get("keys", [])
            if len(keys) > 1:
                kid = prim.field(_header_of(args["token"]), "kid")
                keep = [k for k in keys if isinstance(k, dict) and k.get("kid") == kid][:1] or keys[:1]
                yield {**args, "jwks": {"keys": keep}}

        return reduce

    def probes(self, params: Params) -> ProbeSet:
        return verify_probes(params)

    def mistakes(self, params: Params) -> tuple[Mistake, ...]:
        return verify_mistakes(params)


_VERIFY = AsymJwsVerify()


def find_jwk(header: Any, jwks: Mapping[str, Any], params: Params) -> dict[str, Any]:
    """Step 3 and step 4's scheme rules: the JWK the header's ``kid`` names, with the members and ``alg`` the
    scheme requires. Raises :class:`MissingKid`, :class:`KidMismatch`, :class:`InvalidJwk`,
    :class:`KeyAlgorithmMismatch`; :class:`KindError` for params the kind refuses."""
    return _find_jwk(header, jwks, _VERIFY.checked(params))


def _find_jwk(header: Any, jwks: Mapping[str, Any], params: Params) -> dict[str, Any]:
    if not isinstance(header, dict) or "kid" not in header:
        raise MissingKid("the header has no kid")
    kid = header["kid"]
    keys = jwks.get("keys") if isinstance(jwks, Mapping) else None
    found = next(
        (k for k in keys or [] if isinstance(k, dict) and isinstance(kid, str) and k.get("kid") == kid),
        None,
    )
    if found is None:
        raise KidMismatch("the header's kid names no key of the keyset")
    missing = [name for name in params["jwkFields"] if name not in found]
    if missing:
        raise InvalidJwk(f"the JWK lacks {', '.join(missing)}")
    if "alg" in found and found["alg"] != header.get("alg"):
        raise KeyAlgorithmMismatch("the JWK is for another algorithm")
    return found


def select_key(header: Any, jwks: Mapping[str, Any], params: Params) -> Any:
    """Steps 3 and 4 as the port runs them: :func:`find_jwk`, then the JWK's RSA key (``InvalidKeyMaterial``) and
    its certificate (:class:`CertificateMismatch`). Returns the RSA public key. Raises :class:`KindError` for params
    the kind refuses."""
    return _select_key(header, jwks, _VERIFY.checked(params))


def _select_key(header: Any, jwks: Mapping[str, Any], params: Params) -> Any:
    jwk = _find_jwk(header, jwks, params)
    key = rsa_jws.jwk_public_key(jwk)
    if params["x5c"] == "match" and not rsa_jws.certificate_matches(jwk):
        raise CertificateMismatch("the JWK's x5c certificate holds another key")
    return key


def check_issuer(payload: Mapping[str, Any], params: Params, args: Args) -> None:
    """Step 5's ``iss`` check. Raises :class:`MissingClaim`, :class:`IssuerMismatch`; ``InvalidArgument`` for a
    payload or args that are not mappings (``args`` without ``issuer`` when the params read it),
    :class:`KindError` for params the kind refuses."""
    params = _VERIFY.checked(params)
    require_mapping(payload, "payload")
    _require_args(args, ("issuer",) if params["issuer"] == "argument" else ())
    _check_issuer(payload, params, args)


def _check_issuer(payload: Mapping[str, Any], params: Params, args: Args) -> None:
    if params["issuer"] != "argument":
        return
    if "iss" not in payload:
        raise MissingClaim("the token has no iss")
    if payload["iss"] != args["issuer"]:
        raise IssuerMismatch("the token's iss is not the keyset's issuer")


def verify_token(params: Params, args: Args) -> dict[str, Any]:
    """The port of an ``asym_jws.verify`` op: the steps of the module's docstring, as node runs them.

    Returns ``{"claims", "identity"}``; raises the step's :class:`~conformance.errors.TokenError` (or an
    :class:`InvalidArgument` for ``now``, the keyset and arguments the op's schema refuses), :class:`KindError`
    for params the kind refuses.
    """
    params = _VERIFY.checked(params)
    names = ("token", "now", "jwks", *(("issuer",) if params["issuer"] == "argument" else ()))
    return _verify_token(params, _require_args(args, names))


def _verify_token(params: Params, args: Args) -> dict[str, Any]:
    now = _now(args)
    decoded = prim.decode(args["token"])
    prim.check_jwt_header(decoded, tuple(params["algorithms"]), params["header"])
    key = _select_key(decoded.header, args["jwks"], params)
    rsa_jws.verify_rsa(decoded, key, decoded.header["alg"])
    prim.check_nbf_exp(decoded.payload, float(now), exp=params["exp"] != "ignored")
    _check_issuer(decoded.payload, params, args)
    return prim.check_claims(decoded.payload, now, {**params, "iatMaxAge": None}, times=False)


# --- campaign cases -----------------------------------------------------------------------------------------------


@cache
def _test_keys() -> dict[str, str]:
    from conformance.testkeys import rsa_test_keys

    return rsa_test_keys()


def _jwk(name: str, kid: str, alg: str, certificate: str | None = None) -> dict[str, Any]:
    from conformance.testkeys import rsa_test_jwk

    return rsa_test_jwk(name, kid, alg, certificate)


def _random_kid(rnd: random.Random) -> str:
    return "".join(rnd.choice("0123456789") for _ in range(rnd.choice((5, 6, 12))))


#: The campaign's mutations of a genuine token and keyset, each with its vector flag.
MUTATIONS = (
    "Normal",
    "WrongKey",
    "WrongKid",
    "MissingKid",
    "AlgNone",
    "OtherAlgorithm",
    "HsConfusion",
    "KeyAlgorithmMismatch",
    "JwkMissingField",
    "CertificateMismatch",
    "EmptySignature",
    "Tampered",
    "IssuerMismatch",
    "IssuerMissing",
    "Expired",
    "ExpBoundary",
    "NoExp",
    "NotYetValid",
    "MissingClaim",
    "ClaimAsNumber",
    "PayloadNotObject",
    "Malformed",
)


def _sign(header: Mapping[str, Any], payload: Any, name: str, alg: str) -> str:
    """A token over ``header`` and ``payload`` (any JSON value) signed with test key ``name`` (RS*)."""
    from cryptography.hazmat.primitives.asymmetric import padding

    head = encode_base64_url_safe(jsjson.latin1_low_bytes(jsjson.stringify(dict(header))))
    body = encode_base64_url_safe(jsjson.utf8(jsjson.stringify(payload)))
    signing_input = f"{head}.{body}"
    key = rsa_jws.private_key(_test_keys()[name])
    signature = key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), rsa_jws.HASHES[alg]())
    return f"{signing_input}.{encode_base64_url_safe(signature)}"


def _hs_confusion(header: Mapping[str, Any], claims: Any, jwk: Mapping[str, Any]) -> str:
    """HS256 keyed with the public key as a verifier that takes 'the key' for a secret would hold it."""
    from conformance.kinds.jwt import _encode

    return _encode({**header, "alg": "HS256"}, claims, jsjson.stringify(dict(jwk)))


def verify_case(params: Params, rnd: random.Random, mutation: str | None = None) -> tuple[dict[str, Any], str]:
    """One campaign case of an ``asym_jws.verify`` op: its arguments and the mutation (a vector flag) it tries
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
    now = NOW + rnd.randrange(-(10**6), 10**6)
    issuer = rnd.choice(("testIssuer", "https://brand.example", "brand-" + _random_kid(rnd)))
    claims = _random_claims(rnd, params["claims"], tuple(params["identity"]))
    if params["issuer"] == "argument":
        claims["iss"] = issuer
    if rnd.random() < 0.5:
        claims["iat"] = now - rnd.randrange(0, 3600)
    if params["exp"] == "required" or rnd.random() < 0.5:
        claims["exp"] = now + rnd.randrange(1, 7200)
    algorithms = list(params["algorithms"])
    alg = rnd.choice(algorithms)
    count = rnd.randrange(1, min(params["maxKeys"], 4) + 1)
    kids = list(dict.fromkeys(_random_kid(rnd) for _ in range(count)))
    index = rnd.randrange(len(kids))
    names = [rnd.choice(("brand-a", "brand-b")) for _ in kids]
    keys = [_jwk(names[i], kid, alg if i == index else rnd.choice(algorithms)) for i, kid in enumerate(kids)]
    signer, kid = names[index], kids[index]
    header: dict[str, Any] = {"alg": alg, "typ": "JWT", "kid": kid, **params["header"]}
    payload: Any = claims
    token: str | None = None
    if mutation == "WrongKey":
        signer = "brand-b" if signer == "brand-a" else "brand-a"
    elif mutation == "WrongKid":
        header["kid"] = kid + rnd.choice(("0", " ", "\n")) if rnd.random() < 0.7 else kid.upper() + "x"
    elif mutation == "MissingKid":
        header.pop("kid")
    elif mutation == "AlgNone":
        from conformance.kinds.jwt import _encode

        token = _encode({**header, "alg": rnd.choice(("none", "None"))}, claims, "", "none")
    elif mutation == "OtherAlgorithm":
        other = rnd.choice([a for a in (*ALGORITHMS, "PS256", "ES256", "HS512") if a not in algorithms])
        header["alg"] = other
        if other in rsa_jws.HASHES:
            token = _sign(header, claims, signer, other)
    elif mutation == "HsConfusion":
        token = _hs_confusion(header, claims, keys[index])
    elif mutation == "KeyAlgorithmMismatch":
        keys[index] = {**keys[index], "alg": rnd.choice([a for a in (*ALGORITHMS, "ES256") if a != alg])}
    elif mutation == "JwkMissingField":
        dropped = rnd.choice([f for f in params["jwkFields"] if f != "kid"] or ["n"])
        keys[index] = {k: v for k, v in keys[index].items() if k != dropped}
    elif mutation == "CertificateMismatch":
        other = "brand-b" if signer == "brand-a" else "brand-a"
        keys[index] = {**keys[index], "x5c": _jwk(other, kid, alg)["x5c"]}
    elif mutation == "IssuerMismatch":
        claims["iss"] = rnd.choice((issuer + "/", issuer.upper(), "", "attacker"))
    elif mutation == "IssuerMissing":
        claims.pop("iss", None)
    elif mutation == "Expired":
        claims["exp"] = now - rnd.randrange(0, 10**6)
    elif mutation == "ExpBoundary":
        claims["exp"] = now + rnd.choice((-1, 0, 1))
    elif mutation == "NoExp":
        claims.pop("exp", None)
    elif mutation == "NotYetValid":
        claims["nbf"] = now + rnd.choice((1, 60, 10**6))
    elif mutation == "MissingClaim" and claims:
        claims.pop(rnd.choice(list(claims)))
    elif mutation == "ClaimAsNumber":
        strings = [n for n, v in claims.items() if isinstance(v, str)]
        if strings:
            claims[rnd.choice(strings)] = rnd.randrange(0, 10**6)
    elif mutation == "PayloadNotObject":
        payload = rnd.choice(([1, 2], "text", 7, None, True))
    if token is None:
        token = _sign(header, payload, signer, header["alg"] if header["alg"] in rsa_jws.HASHES else alg)
    if mutation == "EmptySignature":
        token = token.rsplit(".", 1)[0] + "."
    elif mutation == "Tampered":
        head, _body, signature = token.split(".")
        token = (
            f"{head}.{encode_base64_url_safe(jsjson.utf8(jsjson.stringify({**claims, 'sub': 'admin'})))}.{signature}"
        )
    elif mutation == "Malformed":
        token = rnd.choice((token.replace(".", "", 1), token + ".x", "", token.replace(".", ".!", 1), "a.b.c"))
    args: dict[str, Any] = {"token": token, "now": now, "jwks": {"keys": keys}}
    if params["issuer"] == "argument":
        args["issuer"] = issuer
    return args, mutation


# --- adapter probes and inspect's mistakes ------------------------------------------------------------------------

PROBE_KID, PROBE_ISSUER = "probe-kid", "https://brand.example/probe"

_PROBE_META: dict[str, tuple[str, str, str, str, str]] = {
    "alg-none": (
        "Accepts an unsigned token (alg: none)",
        "critical",
        "CWE-347",
        "Anyone can mint a token for any user without a key.",
        "Pin the algorithms to the keyset's (RS256, RS512) and refuse every other alg, none first.",
    ),
    "forged-signature": (
        "Accepts a token signed with a key that is not in the keyset",
        "critical",
        "CWE-347",
        "The signature is not checked against the keyset: anyone with an RSA key can sign.",
        "Verify the RSA signature with the JWK the kid names.",
    ),
    "hs256-public-key": (
        "Accepts HS256 keyed with the keyset's public key (algorithm confusion)",
        "critical",
        "CWE-327",
        "The keyset is public: anyone can compute the HMAC and log in as any user.",
        "Never let the token's alg choose the key type; accept only the keyset's RSA algorithms.",
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
    "wrong-issuer": (
        "Accepts a token whose iss is not the keyset's issuer",
        "medium",
        "CWE-345",
        "A token issued by another party with a key of the set (or the same key elsewhere) is taken for this one.",
        "Compare iss with the keyset's issuer.",
    ),
}


def verify_probes(params: Params) -> ProbeSet:
    """A genuine token (every rule satisfied) and the attacks an RSA JWS verifier must refuse. Raises
    :class:`KindError` for params the kind refuses."""
    params = _VERIFY.checked(params)
    alg = params["algorithms"][0]
    jwk = _jwk("brand-a", PROBE_KID, alg)
    claims: dict[str, Any] = {"iat": NOW - 60, "exp": NOW + 3600}
    for name, rule in params["claims"].items():
        if rule.get("required"):
            claims[name] = rule.get("const", "user-1" if rule["type"] == "string" else 1)
    for name in params["identity"][:1]:
        claims.setdefault(name, "user-1")
    if params["issuer"] == "argument":
        claims["iss"] = PROBE_ISSUER
    header = {"alg": alg, "typ": "JWT", "kid": PROBE_KID, **params["header"]}
    genuine = _sign(header, claims, "brand-a", alg)
    head, _body, signature = genuine.split(".")
    from conformance.kinds.jwt import _encode

    tokens = {
        "alg-none": _encode({**header, "alg": "none"}, claims, "", "none"),
        "forged-signature": _sign(header, claims, "brand-b", alg),
        "hs256-public-key": _hs_confusion(header, claims, jwk),
        "tampered-token": f"{head}.{encode_base64_url_safe(jsjson.utf8(jsjson.stringify({**claims, 'sub': 'admin'})))}.{signature}",
        "expired-token": _sign(header, {**claims, "exp": NOW - 1}, "brand-a", alg),
    }
    if params["issuer"] == "argument":
        tokens["wrong-issuer"] = _sign(header, {**claims, "iss": "https://attacker.example"}, "brand-a", alg)

    def call(token: str) -> dict[str, Any]:
        args: dict[str, Any] = {"token": token, "now": NOW, "jwks": {"keys": [jwk]}}
        if params["issuer"] == "argument":
            args["issuer"] = PROBE_ISSUER
        return args

    return ProbeSet(
        genuine=call(genuine),
        attacks={name: call(token) for name, token in tokens.items()},
        meta={name: _PROBE_META[name] for name in tokens},
    )


def _keys(args: Args) -> list[Any]:
    jwks = args.get("jwks")
    keys = jwks.get("keys") if isinstance(jwks, Mapping) else None
    return list(keys) if isinstance(keys, list) else []


def _token_parts(args: Args) -> tuple[Any, Any]:
    try:
        decoded = prim.decode(args["token"])
    except Exception:
        return None, None
    return decoded.header, decoded.payload


def _issuer_of_token(args: Args) -> dict[str, Any] | None:
    _header, payload = _token_parts(args)
    iss = prim.field(payload, "iss")
    if not isinstance(iss, str) or iss == args.get("issuer"):
        return None
    return {**args, "issuer": iss}


def _key_alg_of_header(args: Args) -> dict[str, Any] | None:
    header, _payload = _token_parts(args)
    kid, alg = prim.field(header, "kid"), prim.field(header, "alg")
    keys = _keys(args)
    changed = [
        {**k, "alg": alg} if isinstance(k, dict) and k.get("kid") == kid and k.get("alg") != alg else k for k in keys
    ]
    return None if changed == keys else {**args, "jwks": {"keys": changed}}


def _kid_of_header(args: Args) -> dict[str, Any] | None:
    header, _payload = _token_parts(args)
    kid, keys = prim.field(header, "kid"), _keys(args)
    if not isinstance(kid, str) or len(keys) != 1 or not isinstance(keys[0], dict) or keys[0].get("kid") == kid:
        return None
    return {**args, "jwks": {"keys": [{**keys[0], "kid": kid}]}}


def _before_exp(args: Args) -> dict[str, Any] | None:
    _header, payload = _token_parts(args)
    exp = prim.field(payload, "exp")
    if not prim.is_number(exp) or exp - 1 >= args.get("now", 0) or exp - 1 < 1:
        return None
    return {**args, "now": int(exp) - 1}


def verify_mistakes(params: Params) -> tuple[Mistake, ...]:
    """Integrator mistakes on a token and its keyset: each attempt fixes one thing; the references accepting it
    confirms it (the private key is not in a consumer's arguments, so nothing is re-signed). Raises
    :class:`KindError` for params the kind refuses."""
    params = _VERIFY.checked(params)
    mistakes = [
        Mistake(
            "KeyAlgorithmMismatch",
            _key_alg_of_header,
            "Sign with the algorithm the JWK declares (alg), or upload the key again with the token's algorithm.",
        ),
        Mistake("WrongKid", _kid_of_header, "Write the uploaded key's kid in the token's header."),
        Mistake("Expired", _before_exp, "Sign a fresh token; the one given has expired."),
    ]
    if params["issuer"] == "argument":
        mistakes.append(
            Mistake(
                "IssuerMismatch",
                _issuer_of_token,
                "Make the keyset's JSON web key issuer and the token's iss the same string, byte for byte.",
            )
        )
    return tuple(mistakes)


__all__ = [
    "ALGORITHMS",
    "MUTATIONS",
    "AsymJwsSign",
    "AsymJwsVerify",
    "check_issuer",
    "find_jwk",
    "select_key",
    "sign_token",
    "verify_case",
    "verify_probes",
    "verify_token",
]
