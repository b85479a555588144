"""Generators for the hash-based flows: Thread's HMAC-SHA256 connection key and BoldChat's SHA-512
SecureParameters (parameters in URL form, name translation, verification and the validator's launch scenarios).

Correct keys and hashes are computed here with the standard library, then varied: case, truncation, whitespace,
another secret, flipped digits.
"""

from __future__ import annotations

#: Nothing here is called directly: each generator is reached through
#: :func:`conformance.fuzz.generators.generator` (or ``fast_generator``), which checks the op; the helpers serve the
#: generators and reducers alone.
__all__: tuple[str, ...] = ()

import hashlib
import hmac
import random
from typing import Any
from urllib.parse import quote

from conformance import mutations as m

# --- Thread ----------------------------------------------------------------------------------------------------


def _email(rnd: random.Random) -> str:
    pick = rnd.random()
    if pick < 0.5:
        return f"{m.ascii_text(rnd, 1, 12)}@{m.ascii_text(rnd, 1, 10)}.com"
    if pick < 0.9:
        return m.tricky_text(rnd, 30)
    return m.one_of(rnd, ("", " ", "Foo@Bar.com ", "f\u00f6\u00f6@b\u00e4r.de", "fo\u0308o@bar.com", "\ud83d@x"))


def _secret(rnd: random.Random) -> str:
    return m.ascii_text(rnd, 1, 40) if rnd.random() < 0.7 else m.tricky_text(rnd, 30)


def text_bytes(rnd: random.Random) -> dict[str, Any]:
    return {"text": m.tricky_text(rnd, 40)}


def connection_key(rnd: random.Random) -> dict[str, Any]:
    return {"email": _email(rnd), "secret": _secret(rnd) if rnd.random() < 0.97 else ""}


def connection_key_bytes(rnd: random.Random) -> dict[str, Any]:
    secret = rnd.randbytes(m.one_of(rnd, (0, 1, 32, 63, 64, 65, 100)) if rnd.random() < 0.5 else m.between(rnd, 0, 140))
    return {"emailHex": m.hex_of(m.random_bytes(rnd, 80), rnd), "secretHex": m.hex_of(secret, rnd)}


def _hmac_hex(email: str, secret: str) -> str:
    return hmac.new(secret.encode("utf-8", "replace"), email.encode("utf-8", "replace"), hashlib.sha256).hexdigest()


def verify_connection_key(rnd: random.Random) -> dict[str, Any]:
    email, secret = _email(rnd), _secret(rnd)
    key = _hmac_hex(email, secret)
    pick = rnd.random()
    if pick < 0.1:
        key = key.upper()
    elif pick < 0.2:
        key = key[: m.below(rnd, len(key))]
    elif pick < 0.3:
        key = m.one_of(rnd, m.WHITESPACE) + key if rnd.random() < 0.5 else key + m.one_of(rnd, m.WHITESPACE)
    elif pick < 0.4:
        key = _hmac_hex(email, secret + "x")
    elif pick < 0.5:
        i = m.below(rnd, len(key))
        key = key[:i] + m.one_of(rnd, "0123456789abcdef") + key[i + 1 :]
    elif pick < 0.55:
        key = m.tricky_text(rnd, 70)
    return {"email": email, "secret": secret, "key": key}


def messenger_params(rnd: random.Random) -> dict[str, Any]:
    return {
        "appId": m.ascii_text(rnd, 0, 16) if rnd.random() < 0.7 else m.tricky_text(rnd, 16),
        "email": _email(rnd),
        "secret": _secret(rnd) if rnd.random() < 0.95 else "",
    }


# --- BoldChat SHA-512 --------------------------------------------------------------------------------------------

NAMES = (
    "URL", "url", "VisitName", "vn", "FirstName", "VisitEmail", "ve", "InitialQuestion", "iq", "ChatButtonID",
    "cbdid", "FloatingChatButtonID", "DepartmentID", "Type", "type", "Expiration", "expires", "ChatKey", "ck",
    "Unsecured", "unsecured", "APIKey", "Data", "VisitorKey", "vk", "custom_field", "custom_", "Custom_x",
)  # fmt: skip


def _name(rnd: random.Random) -> str:
    pick = rnd.random()
    if pick < 0.6:
        return m.one_of(rnd, NAMES)
    if pick < 0.7:
        return m.one_of(rnd, NAMES).swapcase()
    if pick < 0.8:
        return "custom_" + m.ascii_text(rnd, 0, 8)
    return m.tricky_text(rnd, 12)


def _pairs(rnd: random.Random) -> list[list[str]]:
    return [
        [_name(rnd), m.tricky_text(rnd, 20) if rnd.random() < 0.5 else m.ascii_text(rnd, 0, 20)]
        for _ in range(m.between(rnd, 0, 5))
    ]


def _form(pairs: list[list[str]]) -> str:
    return "&".join(
        f"{quote(n.encode('utf-8', 'replace'), safe='')}={quote(v.encode('utf-8', 'replace'), safe='')}"
        for n, v in pairs
    )


def _encoded(rnd: random.Random) -> str:
    """URL-form text: well-formed mostly, else edited (stray ``%``, ``%zz``, ``+``, ``&&``, raw non-ASCII)."""
    text = _form(_pairs(rnd))
    if rnd.random() < 0.3:
        i = m.below(rnd, len(text) + 1)
        text = (
            text[:i]
            + m.one_of(rnd, ("%", "%zz", "%4", "+", "&&", "=", "==", "&", "%C3", "%ED%A0%80", "\u00e9", "\ud800", " "))
            + text[i:]
        )
    return text


def encode(rnd: random.Random) -> dict[str, Any]:
    return {"params": _pairs(rnd)}


def decode(rnd: random.Random) -> dict[str, Any]:
    return {"s": _encoded(rnd)}


def to_original(rnd: random.Random) -> dict[str, Any]:
    return {"name": _name(rnd)}


def to_friendly(rnd: random.Random) -> dict[str, Any]:
    return {"name": _name(rnd)}


def _hashing_key(rnd: random.Random) -> str:
    return m.ascii_text(rnd, 1, 32) if rnd.random() < 0.8 else m.tricky_text(rnd, 20)


def secure(rnd: random.Random) -> dict[str, Any]:
    key = _hashing_key(rnd) if rnd.random() < 0.97 else ""
    if rnd.random() < 0.1:
        return {"params": _pairs(rnd), "hashingKey": key}
    return {"encoded": _encoded(rnd) if rnd.random() < 0.8 else m.tricky_text(rnd, 40), "hashingKey": key}


def _sealed(rnd: random.Random, encoded: str, key: str) -> str:
    digest = hashlib.sha512((key + encoded).encode("utf-8", "replace")).hexdigest()
    return (digest.upper() if rnd.random() < 0.8 else digest) + encoded


def verify(rnd: random.Random) -> dict[str, Any]:
    keys = [_hashing_key(rnd) for _ in range(m.between(rnd, 1, 4))]
    encoded = _encoded(rnd)
    sealed = _sealed(rnd, encoded, m.one_of(rnd, keys) if rnd.random() < 0.8 else "other")
    pick = rnd.random()
    if pick < 0.1:
        i = m.below(rnd, 128)
        sealed = sealed[:i] + m.one_of(rnd, "0123456789ABCDEFg") + sealed[i + 1 :]
    elif pick < 0.2:
        sealed = sealed[: m.below(rnd, len(sealed) + 1)]
    elif pick < 0.25:
        sealed = m.one_of(rnd, ("", " ", "\t\n", m.tricky_text(rnd, 10)))
    elif pick < 0.3:
        sealed = m.one_of(rnd, m.WHITESPACE) + sealed
    if rnd.random() < 0.03:
        keys.append("")
    return {"secureParameters": sealed, "hashingKeys": keys}


def launch(rnd: random.Random) -> dict[str, Any]:
    """A validator scenario: one to four launches at increasing times, ChatKeys reused, restarts in between."""
    keys = [_hashing_key(rnd) for _ in range(m.between(rnd, 1, 3))]
    at = 1_767_225_600_000 + m.between(rnd, 0, 10**6)
    chat_keys = [m.ascii_text(rnd, 1, 8) for _ in range(2)]
    launches = []
    for _ in range(m.between(rnd, 1, 5)):
        kind = m.one_of(rnd, ("chat", "visit", "conversion"))
        pairs = _pairs(rnd)
        if rnd.random() < 0.9:
            pairs.append(["Type", kind if rnd.random() < 0.85 else m.one_of(rnd, ("chat", "Chat", "", "visit"))])
        if rnd.random() < 0.6:
            pairs.append(
                [
                    "Expiration",
                    str(at + m.between(rnd, -5000, 60000))
                    if rnd.random() < 0.9
                    else m.one_of(rnd, ("soon", "-1", "1e3", " 1")),
                ]
            )
        if rnd.random() < 0.7:
            pairs.append([m.one_of(rnd, ("ChatKey", "ck")), m.one_of(rnd, chat_keys)])
        if rnd.random() < 0.3:
            pairs.append(["Unsecured", "&".join(m.one_of(rnd, NAMES) for _ in range(m.between(rnd, 1, 3)))])
        rnd.shuffle(pairs)
        sealed = _sealed(rnd, _form(pairs), m.one_of(rnd, keys) if rnd.random() < 0.9 else "x")
        if rnd.random() < 0.05:
            sealed = m.one_of(rnd, ("", " ", sealed[:100]))
        entry: dict[str, Any] = {"type": kind, "secureParameters": sealed, "atMs": at}
        if rnd.random() < 0.3:
            entry["query"] = _pairs(rnd)
        if rnd.random() < 0.1:
            entry["restart"] = True
        launches.append(entry)
        at += m.between(rnd, 0, 20000)
    return {"hashingKeys": keys, "launches": launches}


GENERATORS = {
    "thread.text_bytes": text_bytes,
    "thread.connection_key": connection_key,
    "thread.connection_key_bytes": connection_key_bytes,
    "thread.verify_connection_key": verify_connection_key,
    "thread.messenger_params": messenger_params,
    "boldchat.params.encode": encode,
    "boldchat.params.decode": decode,
    "boldchat.params.to_original": to_original,
    "boldchat.params.to_friendly": to_friendly,
    "boldchat.sha512.secure": secure,
    "boldchat.sha512.verify": verify,
    "boldchat.validator.launch": launch,
}
