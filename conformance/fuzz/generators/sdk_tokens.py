"""Generators for the vendors' SDK token flows (Stream Chat user tokens, Twilio Access Tokens): the same draws for
every SDK's op.

User ids and secrets are tricky text (controls, astral characters, lone surrogates, very long), mostly with secrets
long enough for the Java SDK's jjwt; ``exp`` and ``iat`` are absent, falsy, negative, near the clock or as large as
the port accepts (2**53 - 1). The Java SDK reads the clock when ``iat`` is null, so its cases always carry one.
Verifier cases are tokens made by the port in a random SDK's layout, development tokens, and mutations of both.
"""

from __future__ import annotations

#: Nothing here is called directly: each generator is reached through
#: :func:`conformance.fuzz.generators.generator` (or ``fast_generator``), which checks the op; the helpers serve the
#: generators and reducers alone.
__all__: tuple[str, ...] = ()

import json
import random
from typing import Any

from conformance import mutations as m
from conformance.errors import InvalidArgument
from conformance.vendors import stream_chat, twilio_access_token

NOW = 1_764_633_600  # 2025-12-02, the Stream and Twilio vectors' clock
_LIMIT = 2**53 - 1


def _text(rnd: random.Random, limit: int = 40) -> str:
    pick = rnd.random()
    if pick < 0.5:
        return m.ascii_text(rnd, 0, limit)
    if pick < 0.98:
        return m.tricky_text(rnd, limit)
    return "u" * rnd.randint(1000, 12_000)


def _secret(rnd: random.Random) -> str:
    pick = rnd.random()
    if pick < 0.75:
        return m.ascii_text(rnd, 32, 64)
    if pick < 0.8:
        return ""
    return _text(rnd, 48)


def _claim(rnd: random.Random) -> int | None:
    pick = rnd.random()
    if pick < 0.3:
        return None
    if pick < 0.75:
        return NOW + m.between(rnd, -86_400, 86_400 * 30)
    return m.one_of(rnd, (0, -1, 1, -(2**31), 2**31, 2**32 + 7, _LIMIT, -_LIMIT, 10**15))


def create(rnd: random.Random) -> dict[str, Any]:
    return {"secret": _secret(rnd), "userId": _text(rnd), "exp": _claim(rnd), "iat": _claim(rnd)}


def create_java(rnd: random.Random) -> dict[str, Any]:
    args = create(rnd)
    if args["iat"] is None:
        args["iat"] = NOW + m.between(rnd, -3600, 3600)
    return args


def _as_sent(text: str | None) -> str | None:
    """``text`` as a verifier receives it over JSON: a surrogate pair drawn as two code units is one code point (as
    in every UTF-16 runtime), a lone surrogate stays one."""
    return None if text is None else json.loads(json.dumps(text))


def dev_token(rnd: random.Random) -> dict[str, Any]:
    return {"userId": _text(rnd)}


def verify(rnd: random.Random) -> dict[str, Any]:
    args = create_java(rnd)
    secret = m.ascii_text(rnd, 32, 48)
    user_id = args["userId"]
    if rnd.random() < 0.15:
        token = stream_chat.dev_token(user_id)
    else:
        sdk = m.one_of(rnd, stream_chat.SDKS)
        token = stream_chat.create_token(secret, user_id, exp=args["exp"], iat=args["iat"], sdk=sdk)
    if rnd.random() < 0.3:
        token = m.mutate_token(rnd, token)
    return {
        "token": token,
        "secret": secret if rnd.random() < 0.9 else _as_sent(_secret(rnd)),
        "now": NOW + m.between(rnd, -86_400, 86_400 * 60),
        "userId": _as_sent(user_id) if rnd.random() < 0.8 else None,
        "authChecks": rnd.random() < 0.7,
    }


# --- Twilio Access Tokens -------------------------------------------------------------------------------------------

_GRANT_OPTIONS = {
    "chat": ("serviceSid", "endpointId", "deploymentRoleSid", "pushCredentialSid"),
    "video": ("room",),
    "sync": ("serviceSid", "endpointId"),
    "voice": ("outgoingApplicationSid", "pushCredentialSid", "endpointId"),
}


def _option(rnd: random.Random) -> str | None:
    pick = rnd.random()
    if pick < 0.3:
        return None
    if pick < 0.4:
        return ""
    return _text(rnd, 24)


def _twilio_grants(rnd: random.Random) -> list[dict[str, Any]]:
    chosen = [t for t in _GRANT_OPTIONS if rnd.random() < 0.5]
    rnd.shuffle(chosen)
    grants = []
    for kind in chosen:
        grant: dict[str, Any] = {"type": kind}
        for name in _GRANT_OPTIONS[kind]:
            if rnd.random() < 0.7:
                grant[name] = _option(rnd)
        if kind == "voice" and rnd.random() < 0.7:
            grant["incomingAllow"] = m.one_of(rnd, (True, False, None))
        grants.append(grant)
    return grants


def _ttl(rnd: random.Random) -> int | None:
    pick = rnd.random()
    if pick < 0.25:
        return None
    if pick < 0.8:
        return m.between(rnd, 1, 86_400)
    return m.one_of(rnd, (0, -1, -3600, 86_401, 90_000, 2_147_483, 2_147_484, 2_592_000, 2**31 - 1, -(2**31)))


def twilio_create_java(rnd: random.Random) -> dict[str, Any]:
    sid = m.one_of(rnd, ("AC" + "0" * 32, "AC" + m.ascii_text(rnd, 32, 32), _text(rnd, 40)))
    key = m.one_of(rnd, ("SK" + "f" * 32, "SK" + m.ascii_text(rnd, 32, 32), _text(rnd, 40)))
    return {
        "accountSid": sid,
        "keySid": key,
        "secret": _secret(rnd),
        "identity": None if rnd.random() < 0.1 else _text(rnd),
        "ttl": _ttl(rnd),
        "nbf": None if rnd.random() < 0.6 else NOW + m.between(rnd, -86_400, 86_400),
        "region": m.one_of(rnd, (None, None, "us1", "ie1", "", _text(rnd, 12))),
        "grants": _twilio_grants(rnd),
    }


def twilio_create(rnd: random.Random) -> dict[str, Any]:
    return {**twilio_create_java(rnd), "now": NOW + m.between(rnd, -(10**6), 10**6)}


def twilio_verify(rnd: random.Random) -> dict[str, Any]:
    args = twilio_create(rnd)
    args["secret"] = m.ascii_text(rnd, 32, 48)
    args["identity"] = args["identity"] or "alice"
    sdk = m.one_of(rnd, twilio_access_token.SDKS)
    clock = {"now_ms": args["now"] * 1000 + m.below(rnd, 1000)} if sdk == "java" else {"now": args["now"]}
    try:
        token = twilio_access_token.create_token({k: v for k, v in args.items() if k != "now"}, sdk=sdk, **clock)
    except InvalidArgument:
        token = m.ascii_text(rnd, 0, 40)
    if rnd.random() < 0.3:
        token = m.mutate_token(rnd, token)
    return {
        "token": token,
        "secret": args["secret"] if rnd.random() < 0.9 else _as_sent(_secret(rnd)),
        "now": args["now"] + m.between(rnd, -7200, 90_000),
        "keySid": _as_sent(args["keySid"]) if rnd.random() < 0.8 else None,
        "accountSid": _as_sent(args["accountSid"]) if rnd.random() < 0.8 else m.one_of(rnd, (None, "AC" + "9" * 32)),
    }


GENERATORS = {
    "stream.token.create_node": create,
    "stream.token.create_python": create,
    "stream.token.create_java": create_java,
    "stream.token.dev_node": dev_token,
    "stream.token.verify": verify,
    "twilio.access_token.create_node": twilio_create,
    "twilio.access_token.create_python": twilio_create,
    "twilio.access_token.create_java": twilio_create_java,
    "twilio.access_token.verify": twilio_verify,
}
EXCLUDED: dict[str, str] = {
    "twilio.access_token.token_java": "the Java SDK reads the JVM clock: its campaign op is create_java (the layout)",
}
