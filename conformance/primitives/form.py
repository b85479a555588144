"""URL-form encoding of parameters as the BoldChat document shows it, shared by the port and the references.

Encoding: every byte of the UTF-8 form outside ``A-Z a-z 0-9 - . _ ~`` (RFC 3986 unreserved) becomes ``%XX`` with
uppercase hex, so a space is ``%20`` (never ``+``), ``@`` is ``%40`` and ``&`` inside a value is ``%26``. Decoding
is form decoding: ``+`` is a space, ``%XX`` escapes in either case, strict UTF-8.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from urllib.parse import quote, unquote_to_bytes

from conformance.arguments import require_str as _require_str
from conformance.errors import InvalidArgument, NullArgument, ParameterError

Pairs = list[tuple[str, str]]
ParamsInput = Mapping[str, str] | Iterable[tuple[str, str]]


def checked_pairs(params: ParamsInput) -> Pairs:
    """``params`` (a mapping or an iterable of ``(name, value)`` pairs) as a list of string pairs.

    Raises :class:`NullArgument` for ``None`` and :class:`InvalidArgument` for anything else that is not that.
    """
    if params is None:
        raise NullArgument("params must not be None")
    if isinstance(params, (str, bytes)):
        raise InvalidArgument("params must be a mapping or an iterable of (name, value) pairs")
    items = params.items() if isinstance(params, Mapping) else params
    pairs: Pairs = []
    try:
        for item in items:
            if isinstance(item, (str, bytes)) or len(item) != 2:
                raise InvalidArgument("each parameter must be a (name, value) pair")
            name, value = item
            pairs.append((_require_str(name, "parameter name"), _require_str(value, "parameter value")))
    except TypeError:
        raise InvalidArgument("params must be a mapping or an iterable of (name, value) pairs") from None
    return pairs


def _encode_component(text: str, what: str) -> str:
    try:
        return quote(text, safe="", encoding="utf-8", errors="strict")
    except UnicodeEncodeError:
        raise ParameterError(f"a parameter {what} is not encodable as UTF-8 (lone surrogate)") from None


def encode_parameters(params: ParamsInput) -> str:
    """URL-form encode ``params`` as the document shows: ``name=value`` joined by ``&``, ``%20`` for a space.

    Raises :class:`ParameterError` for an empty name or text that is not valid Unicode, and
    :class:`InvalidArgument` for anything that is not a mapping or an iterable of string pairs.
    """
    parts = []
    for name, value in checked_pairs(params):
        if not name:
            raise ParameterError("a parameter name must not be empty")
        parts.append(f"{_encode_component(name, 'name')}={_encode_component(value, 'value')}")
    return "&".join(parts)


_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _decode_component(text: str, what: str) -> str:
    if _BAD_ESCAPE.search(text):
        raise ParameterError(f"a parameter {what} holds a '%' that is not followed by two hex digits")
    try:
        raw = unquote_to_bytes(text.replace("+", " "))
        return raw.decode("utf-8", errors="strict")
    except UnicodeError:
        raise ParameterError(f"a parameter {what} does not decode to UTF-8") from None


def decode_parameters(s: str) -> Pairs:
    """Decode a URL-form encoded string into ``(name, value)`` pairs, keeping order and repeats.

    Empty segments (``a=1&&b=2``) are skipped; a segment without ``=`` is a name with an empty value. ``+`` is a
    space. An ``Unsecured`` value's ``%26`` decodes to ``&`` (split it with :func:`unsecured_names`).
    Raises :class:`ParameterError` for a bad ``%``-escape, bytes that are not UTF-8, or an empty name.
    """
    s = _require_str(s, "s")
    pairs: Pairs = []
    for segment in s.split("&"):
        if not segment:
            continue
        name, _, value = segment.partition("=")
        decoded_name = _decode_component(name, "name")
        if not decoded_name:
            raise ParameterError("a parameter name must not be empty")
        pairs.append((decoded_name, _decode_component(value, "value")))
    return pairs
