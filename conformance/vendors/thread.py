"""Thread Messenger portal auto-authentication: the ``connectionKey`` and the ``chatgenieParams`` around it.

Thread's document (``shared/seeds/004``) says the key "must be generated from the following format
``hash_hmac('sha256', <email>, <secret>)``", i.e. PHP: HMAC-SHA-256 with the portal secret as the *key* and the
email as the *message*, as lowercase hex. :func:`connection_key` equals that PHP call on every input; the live
reference is :mod:`conformance.references.php`.

From text to bytes
    PHP strings are bytes. A Python ``str`` is encoded as UTF-8 (what a PHP server receives from a UTF-8 form, a
    JSON body or a ``utf8mb4`` column). Text that has no UTF-8 encoding, i.e. holds a lone surrogate (also the
    ``\\udcXX`` escapes of ``surrogateescape``), raises :class:`~conformance.errors.UnencodableText`; PHP's
    ``json_decode`` refuses such text too (``JSON_ERROR_UTF16``). Nothing is normalized: not case, not whitespace,
    not Unicode (NFC/NFD), not IDN (U-label vs. ``xn--`` A-label). ``Foo@Bar.com`` and ``foo@bar.com`` give
    different keys. Callers holding bytes (a Latin-1 database, say) use :func:`connection_key_bytes`.

The parameter name
    The document's ``<script>`` snippet spells the email parameter ``conenctionEmail`` (and its prose says
    ``connectoinEmail``), while its parameter table and its programmatic example both say ``connectionEmail``.
    :func:`messenger_params` emits ``connectionEmail`` only: it is the documented name, the two misspellings
    disagree with each other, and a key that the widget ignores would silently turn auto-authentication off.

The secret stays on the server: these functions belong in the portal's backend, which renders only the result of
:func:`messenger_params` into the page. Error messages never contain the secret, the email or the key.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Mapping
from typing import Any

from conformance.arguments import encode_utf8
from conformance.arguments import require_bytes as _require_bytes
from conformance.arguments import require_str as _require_str
from conformance.errors import EmptySecret, InvalidArgument

#: The only ``connectionType`` the document supports today.
CONNECTION_TYPE = "messenger_auth"
#: The name :func:`messenger_params` gives the email (the document's snippet misspells it ``conenctionEmail``).
EMAIL_PARAM = "connectionEmail"

_HEX = re.compile(r"(?:[0-9a-fA-F]{2})*")


def encode_text(text: str, name: str = "text") -> bytes:
    """The UTF-8 bytes PHP would hash for ``text``. Raises NullArgument, InvalidArgument, UnencodableText."""
    return encode_utf8(text, name if isinstance(name, str) else "text")


def connection_key_bytes(email: bytes, secret: bytes) -> str:
    """``hash_hmac('sha256', email, secret)`` over raw bytes: 64 lowercase hex characters."""
    message = _require_bytes(email, "email")
    key = _require_bytes(secret, "secret")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def connection_key(email: str, secret: str) -> str:
    """``hash_hmac('sha256', email, secret)`` with both strings UTF-8 encoded: 64 lowercase hex characters.

    Raises :class:`NullArgument` for ``None``, :class:`InvalidArgument` for a non-``str`` and
    :class:`UnencodableText` for a lone surrogate.
    """
    return connection_key_bytes(encode_text(email, "email"), encode_text(secret, "secret"))


def verify_connection_key(email: str, secret: str, key: str) -> bool:
    """Whether ``key`` is the connection key of ``email``, compared in constant time (``hmac.compare_digest``).

    Exact, like PHP's ``hash_equals``: uppercase hex, surrounding whitespace or a truncated key do not verify.
    Raises as :func:`connection_key` does, for ``key`` too.
    """
    expected = connection_key(email, secret).encode("ascii")
    return hmac.compare_digest(expected, encode_text(key, "key"))


def messenger_params(app_id: str, email: str, secret: str) -> dict[str, str]:
    """The ``chatgenieParams`` for an authenticated user: ``appId``, ``connectionType``, ``connectionEmail``, ``connectionKey``.

    The email is passed through exactly as it was hashed. Raises as :func:`connection_key` does, and
    :class:`EmptySecret` for an empty secret (an unset setting, with which anyone could compute the key).
    """
    encode_text(app_id, "app_id")
    message = encode_text(email, "email")
    key = encode_text(secret, "secret")
    if not key:
        raise EmptySecret("the portal secret is empty: is the setting missing?")
    return {
        "appId": app_id,
        "connectionType": CONNECTION_TYPE,
        EMAIL_PARAM: email,
        "connectionKey": connection_key_bytes(message, key),
    }


# --- the op vocabulary ---------------------------------------------------------------------------------------------


def _arg(args: Mapping[str, Any], name: str) -> Any:
    if not isinstance(args, Mapping):
        raise InvalidArgument("op arguments must be a JSON object")
    if name not in args:
        raise InvalidArgument(f"missing argument {name!r}")
    return args[name]


def _hex_arg(args: Mapping[str, Any], name: str) -> bytes:
    value = _require_str(_arg(args, name), name)
    if _HEX.fullmatch(value) is None:
        raise InvalidArgument(f"{name} is not hex")
    return bytes.fromhex(value)


OPS: dict[str, Callable[[Mapping[str, Any]], Any]] = {
    "thread.text_bytes": lambda a: encode_text(_arg(a, "text")).hex(),
    "thread.connection_key": lambda a: connection_key(_arg(a, "email"), _arg(a, "secret")),
    "thread.connection_key_bytes": lambda a: connection_key_bytes(_hex_arg(a, "emailHex"), _hex_arg(a, "secretHex")),
    "thread.verify_connection_key": lambda a: verify_connection_key(
        _arg(a, "email"), _arg(a, "secret"), _arg(a, "key")
    ),
    "thread.messenger_params": lambda a: messenger_params(_arg(a, "appId"), _arg(a, "email"), _arg(a, "secret")),
}

__all__ = [
    "CONNECTION_TYPE",
    "EMAIL_PARAM",
    "OPS",
    "connection_key",
    "connection_key_bytes",
    "encode_text",
    "messenger_params",
    "verify_connection_key",
]
