"""Generators for the vendors' SDK token flows (Stream Chat user tokens): the same draws for every SDK's op.

User ids and secrets are tricky text (controls, astral characters, lone surrogates, very long), mostly with secrets
long enough for the Java SDK's jjwt; ``exp`` and ``iat`` are absent, falsy, negative, near the clock or as large as
the port accepts (2**53 - 1). The Java SDK reads the clock when ``iat`` is null, so its cases always carry one.
Verifier cases are tokens made by the port in a random SDK's layout, development tokens, and mutations of both.
"""

from __future__ import annotations

import random
from typing import Any

from conformance import mutations as m
from conformance.vendors import stream_chat

NOW = 1_764_633_600  # 2026-12-02, the Stream vectors' clock
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
        "secret": secret if rnd.random() < 0.9 else _secret(rnd),
        "now": NOW + m.between(rnd, -86_400, 86_400 * 60),
        "userId": user_id if rnd.random() < 0.8 else None,
        "authChecks": rnd.random() < 0.7,
    }


GENERATORS = {
    "stream.token.create_node": create,
    "stream.token.create_python": create,
    "stream.token.create_java": create_java,
    "stream.token.dev_node": dev_token,
    "stream.token.verify": verify,
}
EXCLUDED: dict[str, str] = {}
