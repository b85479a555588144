"""The text BoldChat's PGP method seals and opens, as the port and the PGP references (GnuPG, BouncyCastle) share it:
the parameter text, the compression choice, and the opened literal data decoded.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from conformance.arguments import require_bytes
from conformance.errors import InvalidArgument, NullArgument, PgpMalformed
from conformance.primitives.form import encode_parameters

Compression = Literal["default", "on", "off"]
COMPRESSIONS: tuple[str, ...] = ("default", "on", "off")


def encoded_params(params: Any) -> str:
    """The parameter text to seal: a ``str`` as it is (taken as already URL-form encoded), a mapping or pairs
    URL-form encoded as the BoldChat document asks.

    Raises :class:`NullArgument` for ``None`` and :class:`InvalidArgument` for other types.
    """
    if params is None:
        raise NullArgument("params must not be None")
    if isinstance(params, str):
        return params
    if isinstance(params, (Mapping, list, tuple)):
        return encode_parameters(params)
    raise InvalidArgument(f"params must be str, a mapping or pairs, got {type(params).__name__}")


def check_compression(compression: Any) -> Compression:
    """Return ``compression`` when it is ``default``, ``on`` or ``off``; else raise :class:`InvalidArgument`."""
    if compression not in COMPRESSIONS:
        raise InvalidArgument("compression must be default, on or off")
    return compression  # type: ignore[no-any-return]


def decode_plaintext(plain: bytes) -> str:
    """The opened literal data as text (strict UTF-8), as the port and the references decode it.

    Raises :class:`PgpMalformed` when it is not UTF-8, :class:`InvalidArgument` when ``plain`` is not bytes.
    """
    plain = require_bytes(plain, "plain")
    try:
        return plain.decode("utf-8")
    except UnicodeDecodeError:
        raise PgpMalformed("the signed data is not UTF-8 text") from None
