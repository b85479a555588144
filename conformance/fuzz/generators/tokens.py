"""Generators for the token flows: the Khoros widget JWT (HS256 with ``kid``) and Talkative's ES256 compact JWS.

Tokens are made here, with the case's own ``random.Random``: HMAC with the standard library, ECDSA deterministically
(RFC 6979) with ``cryptography`` and a few fixed test keys; then their headers, claims, signatures and text are
varied and mutated.
"""

from __future__ import annotations

#: Nothing here is called directly: each generator is reached through
#: :func:`conformance.fuzz.generators.generator` (or ``fast_generator``), which checks the op; the helpers serve the
#: generators and reducers alone.
__all__: tuple[str, ...] = ()

import hashlib
import hmac
import json
import random
from functools import cache
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from conformance import mutations as m
from conformance.codecs import encode_base64_url_safe

NOW = 1_763_683_200  # 2025-11-21, the vectors' clock; cases vary around it


# --- Khoros widget JWT ------------------------------------------------------------------------------------------


def _number(rnd: random.Random) -> Any:
    """An ``iat`` or clock: seconds around NOW mostly; zero, negative, fractional, huge or null sometimes."""
    pick = rnd.random()
    if pick < 0.6:
        return NOW + m.between(rnd, -86_400, 86_400)
    return m.one_of(rnd, (None, 0, -1, 1.5, NOW + 0.25, 2**31, 2**53, 1e21, 1e-7, -(2**40), 123456789.125))


def _widget_text(rnd: random.Random) -> str:
    return m.ascii_text(rnd, 1, 24) if rnd.random() < 0.6 else m.tricky_text(rnd, 24)


def widget_sign(rnd: random.Random) -> dict[str, Any]:
    args: dict[str, Any] = {"userId": _widget_text(rnd), "keyId": _widget_text(rnd), "secret": _widget_text(rnd)}
    if rnd.random() < 0.05:
        args["secret"] = ""
    if rnd.random() < 0.7:
        args["iat"] = _number(rnd)
    args["now"] = NOW + m.between(rnd, -1000, 1000) if rnd.random() < 0.9 else m.one_of(rnd, (0, 1.5, NOW + 0.999))
    return args


def _segment(data: bytes | str) -> str:
    return encode_base64_url_safe(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data)


def _widget_header(rnd: random.Random, key_id: str) -> str:
    header: dict[str, Any] = {"alg": "HS256", "typ": "JWT", "kid": key_id}
    pick = rnd.random()
    if pick < 0.05:
        del header["kid"]
    elif pick < 0.10:
        header["kid"] = m.one_of(rnd, (key_id + "x", key_id.upper(), 123, None, [key_id]))
    elif pick < 0.15:
        header["alg"] = m.one_of(rnd, ("none", "HS512", "hs256", "RS256", "ES256", "", None))
    elif pick < 0.18:
        del header["typ"]
    elif pick < 0.20:
        return m.one_of(rnd, ("{", "null", "[]", '"HS256"', "{}", "\ud800"))
    return json.dumps(header, separators=(",", ":") if rnd.random() < 0.9 else (", ", ": "))


def _widget_claims(rnd: random.Random, now: int) -> str:
    claims: dict[str, Any] = {"scope": "appUser", "userId": _widget_text(rnd), "iat": now - m.between(rnd, 0, 600)}
    pick = rnd.random()
    if pick < 0.15:
        claims["exp"] = now + m.between(rnd, -120, 120)
    elif pick < 0.25:
        claims["nbf"] = now + m.between(rnd, -120, 120)
    elif pick < 0.30:
        claims[m.one_of(rnd, ("exp", "nbf", "iat"))] = m.one_of(rnd, ("soon", None, 1.5, True, [1], now + 0.5))
    elif pick < 0.35:
        return m.one_of(rnd, ("null", "[]", "1", '"x"', "{", "", "\udc00"))
    elif pick < 0.40:
        del claims["scope"]
    return json.dumps(claims, ensure_ascii=rnd.random() < 0.5)


def widget_verify(rnd: random.Random) -> dict[str, Any]:
    key_id, secret = _widget_text(rnd), _widget_text(rnd)
    now = NOW + m.between(rnd, -1000, 1000)
    signing_input = f"{_segment(_widget_header(rnd, key_id))}.{_segment(_widget_claims(rnd, now))}"
    signing_secret = secret if rnd.random() < 0.85 else secret + "x"
    digest = hashlib.sha512 if '"HS512"' in signing_input else hashlib.sha256
    signature = hmac.new(signing_secret.encode("utf-8", "replace"), signing_input.encode("ascii"), digest).digest()
    token = f"{signing_input}.{encode_base64_url_safe(signature) if rnd.random() < 0.95 else ''}"
    if rnd.random() < 0.25:
        token = m.mutate_token(rnd, token)
    args = {"token": token, "keyId": key_id if rnd.random() < 0.9 else key_id + "2", "secret": secret, "now": now}
    if rnd.random() < 0.03:
        args["secret"] = ""
    return args


# --- Talkative --------------------------------------------------------------------------------------------------


@cache
def _keys() -> tuple[ec.EllipticCurvePrivateKey, ...]:
    """Four fixed P-256 test keys (never real ones), the same in every process."""
    seeds = random.Random(20261121)
    return tuple(ec.derive_private_key(seeds.randrange(1, 2**255), ec.SECP256R1()) for _ in range(4))


@cache
def _pems() -> tuple[tuple[str, str, str], ...]:
    """(SEC1 private PEM, PKCS#8 private PEM, SPKI public PEM) of each fixed key."""
    out = []
    for key in _keys():
        sec1 = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
        )
        pkcs8 = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        spki = key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        out.append((sec1.decode(), pkcs8.decode(), spki.decode()))
    return tuple(out)


@cache
def _p384_pem() -> str:
    key = ec.derive_private_key(7, ec.SECP384R1())
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    ).decode()


def _entry(rnd: random.Random) -> Any:
    entry: dict[str, Any] = {}
    names = ["label", "data", "type"]
    if rnd.random() < 0.3:
        rnd.shuffle(names)
    for name in names:
        entry[name] = m.ascii_text(rnd, 0, 16) if rnd.random() < 0.5 else m.tricky_text(rnd, 16)
    pick = rnd.random()
    if pick < 0.03:
        del entry[m.one_of(rnd, names)]
    elif pick < 0.06:
        entry["extra"] = "x"
    elif pick < 0.09:
        entry[m.one_of(rnd, names)] = m.one_of(rnd, (None, 1, True, [], {}))
    elif pick < 0.10:
        return m.one_of(rnd, (None, "x", 1, []))
    return entry


def fields(rnd: random.Random) -> Any:
    """Interaction data: a list of entries mostly, sometimes not a list at all."""
    if rnd.random() < 0.03:
        return m.one_of(rnd, ({}, "x", None, 1, {"label": "a", "data": "b", "type": "c"}))
    return [_entry(rnd) for _ in range(m.between(rnd, 0, 5))]


def signing_input(rnd: random.Random) -> dict[str, Any]:
    return {"fields": fields(rnd)}


def _private_pem(rnd: random.Random, index: int) -> str:
    sec1, pkcs8, _ = _pems()[index]
    pick = rnd.random()
    if pick < 0.6:
        return sec1
    if pick < 0.9:
        return pkcs8
    if pick < 0.95:
        return _p384_pem()
    return m.mutate_base64(rnd, sec1, 1)


def sign(rnd: random.Random) -> dict[str, Any]:
    return {"fields": fields(rnd), "privateKeyPem": _private_pem(rnd, m.below(rnd, 4))}


def public_pem(rnd: random.Random) -> dict[str, Any]:
    return {"privateKeyPem": _private_pem(rnd, m.below(rnd, 4))}


def _es256(key: ec.EllipticCurvePrivateKey, data: bytes) -> bytes:
    r, s = decode_dss_signature(key.sign(data, ec.ECDSA(hashes.SHA256(), deterministic_signing=True)))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def _talkative_header(rnd: random.Random) -> tuple[str, bool]:
    """A protected header and whether its payload is Base64url-encoded (RFC 7797 ``b64: false`` makes it raw)."""
    pick = rnd.random()
    if pick < 0.8:
        return '{"alg":"ES256"}', True
    if pick < 0.85:
        return '{"alg":"ES256","b64":false,"crit":["b64"]}', False
    if pick < 0.90:
        return json.dumps({"alg": "ES256", "crit": [m.one_of(rnd, ("exp", "b64", ""))]}), True
    return json.dumps({"alg": m.one_of(rnd, ("none", "HS256", "ES384", "es256", None)), "typ": "JWT"}), True


def talkative_verify(rnd: random.Random) -> dict[str, Any]:
    index = m.below(rnd, 4)
    key = _keys()[index]
    header, encoded = _talkative_header(rnd)
    payload = json.dumps(fields(rnd), ensure_ascii=rnd.random() < 0.5, separators=(",", ":")).encode(
        "utf-8", "surrogatepass"
    )
    body = _segment(payload) if encoded else payload.decode("utf-8", "replace")
    signing = f"{_segment(header)}.{body}"
    if '"HS256"' in header:  # the key confusion: the public PEM as an HMAC secret
        signature = hmac.new(
            _pems()[index][2].encode(), signing.encode("utf-8", "surrogatepass"), hashlib.sha256
        ).digest()
    elif '"none"' in header:
        signature = b""
    else:
        signature = _es256(key, signing.encode("utf-8", "surrogatepass"))
        pick = rnd.random()
        if pick < 0.05:  # DER instead of R || S
            signature = key.sign(
                signing.encode("utf-8", "surrogatepass"), ec.ECDSA(hashes.SHA256(), deterministic_signing=True)
            )
        elif pick < 0.1:
            signature = m.mutate_bytes(rnd, signature)
    token = f"{signing}.{encode_base64_url_safe(signature)}"
    if rnd.random() < 0.2:
        token = m.mutate_token(rnd, token)
    public = _pems()[index if rnd.random() < 0.9 else (index + 1) % 4][2]
    if rnd.random() < 0.03:
        public = m.mutate_base64(rnd, public, 1)
    return {"token": token, "publicKeyPem": public}


GENERATORS = {
    "khoros.widget_jwt.sign": widget_sign,
    "khoros.widget_jwt.verify": widget_verify,
    "talkative.signing_input": signing_input,
    "talkative.sign": sign,
    "talkative.verify": talkative_verify,
    "talkative.key.public_pem": public_pem,
}
EXCLUDED = {
    "talkative.sign_jose": "jose signs with randomized ECDSA: two correct answers differ, so no answer can be "
    "compared byte for byte (its tokens are checked by the round trip through talkative.verify instead)",
}
