"""HMAC-SHA256 as hex over one text field: the pure primitive of the ``hmac_hex`` op kinds.

Every scheme of the family (Intercom's ``user_hash``, Front's ``userHash``, Help Scout's ``signature``, Crisp's
``user:email`` signature, tawk.to's ``hash``, Chatwoot's ``identifier_hash``) computes
``HMAC-SHA256(key = the secret, message = one field)`` and sends it as 64 hex digits. The variations are parameters:

* which field is MACed, and the field used when it is absent (Intercom: ``userId``, else ``email``);
* how the secret becomes key bytes: its UTF-8 text (every vendor's snippet) or the bytes its hex spells;
* the hex case emitted, and the hex case a verifier accepts (Intercom's web messenger takes either case, its iOS
  and Android SDKs only lowercase).

Text is UTF-8 encoded and never normalized (case, whitespace, NFC/NFD all change the hash); text with a lone
surrogate has no UTF-8 encoding and raises :class:`~conformance.errors.UnencodableText`. Comparisons are constant
time (:func:`hmac.compare_digest`). Messages of errors never contain a secret, a field or a hash.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from typing import Any, Literal

from conformance.arguments import encode_utf8, require_bytes, require_mapping, require_str
from conformance.errors import InvalidArgument, MissingIdentity

KeyEncoding = Literal["text", "hex"]
HexCase = Literal["lower", "upper"]
Accept = Literal["lower", "upper", "either-case"]
KEY_ENCODINGS: tuple[KeyEncoding, ...] = ("text", "hex")
HEX_CASES: tuple[HexCase, ...] = ("lower", "upper")
ACCEPTS: tuple[Accept, ...] = ("lower", "upper", "either-case")

_HEX_KEY = re.compile(r"(?:[0-9a-fA-F]{2})*")


def _choice(value: Any, allowed: tuple[str, ...], name: str) -> str:
    """``value`` when it is one of ``allowed``. Raises :class:`InvalidArgument` naming ``name``, not the value."""
    if not isinstance(value, str) or value not in allowed:
        raise InvalidArgument(f"{name} must be one of {', '.join(allowed)}")
    return value


def _name(value: Any, what: str) -> str:
    """An argument's name (what messages say). Raises :class:`InvalidArgument` when it is not a short ``str``."""
    if not isinstance(value, str) or not 0 < len(value) <= 200:
        raise InvalidArgument(f"{what} must be an argument's name (a str of 1 to 200 characters)")
    return value


def key_bytes(secret: Any, encoding: KeyEncoding = "text", name: str = "secret") -> bytes:
    """The HMAC key of ``secret``: its UTF-8 bytes (``text``) or the bytes its hex digits spell (``hex``).

    Raises :class:`NullArgument`, :class:`InvalidArgument` (not a ``str``; ``hex`` and not an even number of hex
    digits), :class:`UnencodableText`.
    """
    name = _name(name, "name")
    text = require_str(secret, name)
    if _choice(encoding, KEY_ENCODINGS, "encoding") == "text":
        return encode_utf8(text, name)
    if encoding == "hex":
        if _HEX_KEY.fullmatch(text) is None:
            raise InvalidArgument(f"{name} is not an even number of hex digits")
        return bytes.fromhex(text)
    raise InvalidArgument("encoding must be one of text, hex")


def mac_hex(key: bytes, message: bytes, hex_case: HexCase = "lower") -> str:
    """``HMAC-SHA256(key, message)`` as 64 hex digits in ``hex_case``. Raises :class:`InvalidArgument` for a key or
    message that is not bytes, or another case."""
    _choice(hex_case, HEX_CASES, "hex_case")
    digest = hmac.new(require_bytes(key, "key"), require_bytes(message, "message"), hashlib.sha256).hexdigest()
    return digest.upper() if hex_case == "upper" else digest


def message_field(args: Mapping[str, Any], field: str, fallback: str | None = None) -> str:
    """The name of the argument that is MACed: ``field`` when ``args`` holds it, else ``fallback``.

    A field is absent when its key is missing (an empty string is a value and is MACed). Raises
    :class:`MissingIdentity` when neither is there.
    """
    args = require_mapping(args, "args")
    field = _name(field, "field")
    if fallback is not None:
        fallback = _name(fallback, "fallback")
    if field in args:
        return field
    if fallback is not None and fallback in args:
        return fallback
    wanted = f"{field!r} or {fallback!r}" if fallback else repr(field)
    raise MissingIdentity(f"no identity to MAC: the arguments hold neither {wanted}")


def sign(
    args: Mapping[str, Any],
    *,
    field: str,
    fallback: str | None = None,
    key: KeyEncoding = "text",
    hex_case: HexCase = "lower",
) -> str:
    """The hash of ``args``: ``HMAC-SHA256(secret, args[field or fallback])`` as hex. Raises as the parts do."""
    args = require_mapping(args, "args")
    secret = key_bytes(args.get("secret"), key)
    name = message_field(args, field, fallback)
    return mac_hex(secret, encode_utf8(require_str(args[name], name), name), hex_case)


def accepts(expected: str, presented: Any, accept: Accept = "lower", name: str = "hash") -> bool:
    """Whether ``presented`` is the lowercase hex ``expected`` as a verifier with rule ``accept`` sees it.

    ``lower`` / ``upper``: exactly that spelling; ``either-case``: ASCII case ignored. Constant time in the value.
    Raises :class:`NullArgument`, :class:`InvalidArgument`, :class:`UnencodableText` for a ``presented`` that is
    not encodable text.
    """
    name = _name(name, "name")
    expected = require_str(expected, "expected")
    _choice(accept, ACCEPTS, "accept")
    given = encode_utf8(require_str(presented, name), name)
    if accept == "either-case":
        given = given.lower()  # bytes.lower(): ASCII letters only, as Ruby's downcase(:ascii) and PHP's strtolower
    wanted = expected.upper() if accept == "upper" else expected
    return hmac.compare_digest(given, wanted.encode("ascii"))


def verify(
    args: Mapping[str, Any],
    *,
    field: str,
    fallback: str | None = None,
    presented: str = "hash",
    key: KeyEncoding = "text",
    accept: Accept = "lower",
    unsigned: Literal["refuse", "accept"] = "refuse",
) -> bool:
    """Whether ``args[presented]`` is the hash of ``args`` (the fields as :func:`sign` takes them).

    With ``unsigned="accept"`` (Chatwoot without ``hmac_mandatory``) a missing or empty hash admits the identity
    unverified: ``True``. Otherwise a missing hash is refused: ``False``. Raises as :func:`sign` does.
    """
    expected = sign(args, field=field, fallback=fallback, key=key)
    presented = _name(presented, "presented")
    _choice(unsigned, ("refuse", "accept"), "unsigned")
    if presented not in args or (unsigned == "accept" and args[presented] == ""):
        return unsigned == "accept"
    return accepts(expected, args[presented], accept, presented)


__all__ = [
    "ACCEPTS",
    "HEX_CASES",
    "KEY_ENCODINGS",
    "Accept",
    "HexCase",
    "KeyEncoding",
    "accepts",
    "key_bytes",
    "mac_hex",
    "message_field",
    "sign",
    "verify",
]
