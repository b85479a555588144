"""BoldChat data validation: the parameter table, URL-form encoding, and the SHA-512 SecureParameters method.

The source is BoldChat's help-center page "Validating Chats, Visits and Conversions (Data Validation)". The brand
URL-form encodes its parameters into one string, prepends the private hashing key, hashes with SHA-512, and sends
``HEX(SHA-512(key + encoded)) + encoded`` (uppercase hex, no separator) as ``SecureParameters``. The server's side,
with its error messages, is modelled in :mod:`conformance.vendors.boldchat_validator`; the PGP method is in
:mod:`conformance.vendors.boldchat_pgp`.

Encoding: every byte of the UTF-8 form outside ``A-Z a-z 0-9 - . _ ~`` (RFC 3986 unreserved) becomes ``%XX`` with
uppercase hex, so a space is ``%20`` (never ``+``), ``@`` is ``%40`` and ``&`` inside a value (the ``Unsecured``
list) is ``%26``. Decoding is form decoding: ``+`` is a space, ``%XX`` escapes in either case, strict UTF-8.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from conformance.arguments import require_str as _require_str
from conformance.arguments import require_strings
from conformance.errors import (
    ChatNotValidated,
    EmptyKey,
    ErrorValidatingChat,
    HashMismatch,
    InvalidArgument,
    MalformedHash,
    NoSecureParameters,
    NullArgument,
    ParameterError,
    UnknownParameter,
)
from conformance.primitives.form import (
    Pairs,
    ParamsInput,
    checked_pairs,
    decode_parameters,
    encode_parameters,
)

#: Length of the hex-encoded SHA-512 hash at the front of SecureParameters.
HASH_HEX_LENGTH = 128
CUSTOM_FIELD_PREFIX = "customField_"
#: A website has a few hashing keys (one, two while rotating); more is a mistake, and each costs a hash per launch.
MAX_HASHING_KEYS = 100


@dataclass(frozen=True)
class Parameter:
    """One row of the document's parameter tables."""

    friendly: str
    original: str
    meaning: str
    section: str


_VISIT = "visit, chat and conversion data"
_REQUIRED = "additional fields that require validation"
_CONTROL = "validation-related fields"
_API = "chat API parameters"

#: The document's tables, in its order. Two friendly names share an original name: FirstName/VisitName (``vn``)
#: and ChatButtonID/FloatingChatButtonID (``cbdid``); the first listed is the canonical friendly name.
PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        "URL", "url", "The current page of the visitor (also the chat launch url when a chat is launched)", _VISIT
    ),
    Parameter("ReferrerURL", "referrer", "The referring page of the visitor", _VISIT),
    Parameter("VisitName", "vn", "The name of the visitor", _VISIT),
    Parameter("VisitRef", "vr", "A reference value for the visitor", _VISIT),
    Parameter("VisitInfo", "vi", "An information value for the visitor", _VISIT),
    Parameter("VisitEmail", "ve", "The email address of the visitor", _VISIT),
    Parameter("VisitPhone", "vp", "The phone number of the visitor", _VISIT),
    Parameter("CustomURL", "curl", "The custom URL for the chat", _VISIT),
    Parameter("VisitorIcon", "vicon", "The chat icon for the visitor", _VISIT),
    Parameter("OperatorIcon", "oicon", "The default chat icon for the operator", _VISIT),
    Parameter("LastName", "ln", "The last name of the visitor", _VISIT),
    Parameter("FirstName", "vn", "The first name of the visitor (synonymous with VisitName)", _VISIT),
    Parameter("InitialQuestion", "iq", "The initial question for the visitor in chat", _VISIT),
    Parameter("ConversionRef", "cr", "The conversion reference value (must be unique per conversion code)", _VISIT),
    Parameter("ConversionInfo", "ci", "An information value for the conversion", _VISIT),
    Parameter("ConversionAmount", "ca", "The amount of the conversion (a number such as 1000.15)", _VISIT),
    Parameter("LanguageCode", "lc", "The language code for the chat", _VISIT),
    Parameter("ChatButtonID", "cbdid", "The ID of the chat button used to launch the request", _REQUIRED),
    Parameter(
        "FloatingChatButtonID", "cbdid", "The ID of the floating chat button used to launch the request", _REQUIRED
    ),
    Parameter("ChatWindowID", "cwdid", "The ID of the chat window to show to the visitor in chat", _REQUIRED),
    Parameter("DepartmentID", "rdid", "The ID of the department to which the chat should be assigned", _REQUIRED),
    Parameter("OperatorID", "roid", "The ID of the operator to whom the chat should be assigned", _REQUIRED),
    Parameter("ConversionCodeID", "ccid", "The ID of the conversion code", _REQUIRED),
    Parameter("InvitationID", "idid", "The ID of the associated Auto-Invite Ruleset", _REQUIRED),
    Parameter("Type", "type", "The type of the request to enforce: chat, visit or conversion", _CONTROL),
    Parameter("Expiration", "expires", "When the request stops being valid, in ms since 1970-01-01 UTC", _CONTROL),
    Parameter("ChatKey", "ck", "A unique identifier for this chat request; repeated launches fail", _CONTROL),
    Parameter("VisitorKey", "vk", "A unique identifier for this visitor (operator blocks apply to it)", _CONTROL),
    Parameter("Unsecured", "unsecured", "An &-separated list of names that may come unvalidated", _CONTROL),
    Parameter("APIKey", "APIKey", "The API key being used (must match the authentication header)", _API),
    Parameter("Data", "Data", "Pre-populated data passed into the chat", _API),
)

_TO_ORIGINAL: dict[str, str] = {p.friendly: p.original for p in PARAMETERS}
_TO_FRIENDLY: dict[str, str] = {}
for _p in PARAMETERS:
    _TO_FRIENDLY.setdefault(_p.original, _p.friendly)


def _is_custom_field(name: str) -> bool:
    return name.startswith(CUSTOM_FIELD_PREFIX) and len(name) > len(CUSTOM_FIELD_PREFIX)


def to_original(name: str) -> str:
    """The original short name for a friendly or original name (``VisitName`` -> ``vn``); ``customField_x`` stays.

    Raises :class:`UnknownParameter` for a name the document does not list. Names are case-sensitive.
    """
    name = _require_str(name, "name")
    if name in _TO_ORIGINAL:
        return _TO_ORIGINAL[name]
    if name in _TO_FRIENDLY or _is_custom_field(name):
        return name
    raise UnknownParameter("not a BoldChat parameter name")


def to_friendly(name: str) -> str:
    """The canonical friendly name for an original or friendly name (``vn`` -> ``VisitName``, ``FirstName`` stays).

    Raises :class:`UnknownParameter` for a name the document does not list.
    """
    name = _require_str(name, "name")
    if name in _TO_ORIGINAL or _is_custom_field(name):
        return name
    if name in _TO_FRIENDLY:
        return _TO_FRIENDLY[name]
    raise UnknownParameter("not a BoldChat parameter name")


def parameter_key(name: str) -> str:
    """The identity of a parameter, whichever of its names is used: its original name, or the name itself when
    the document does not list it. ``VisitName``, ``FirstName`` and ``vn`` all give ``vn``."""
    name = _require_str(name, "name")
    try:
        return to_original(name)
    except UnknownParameter:
        return name


def translate_to_original(params: ParamsInput) -> Pairs:
    """The pairs with every name replaced by its original short name (order and repeats kept)."""
    return [(to_original(name), value) for name, value in checked_pairs(params)]


def translate_to_friendly(params: ParamsInput) -> Pairs:
    """The pairs with every name replaced by its canonical friendly name (order and repeats kept)."""
    return [(to_friendly(name), value) for name, value in checked_pairs(params)]


def unsecured_value(names: Iterable[str]) -> str:
    """The ``Unsecured`` parameter's value: the names joined by ``&`` (encoded as ``%26`` in the data).

    Raises :class:`NullArgument` / :class:`InvalidArgument` unless ``names`` is an iterable of ``str`` (not one
    ``str``), and :class:`ParameterError` for an empty name or one holding ``&``.
    """
    checked = require_strings(names, "names")
    if any(not name or "&" in name for name in checked):
        raise ParameterError("an Unsecured name must be non-empty and hold no '&'")
    return "&".join(checked)


def unsecured_names(value: str) -> list[str]:
    """The names in a decoded ``Unsecured`` value (``VisitName&InitialQuestion`` -> two names); empties skipped."""
    return [name for name in _require_str(value, "value").split("&") if name]


# --- the SHA-512 method ----------------------------------------------------------------------------------------


def _hashing_keys(hashing_key: str | Sequence[str]) -> list[bytes]:
    keys = [hashing_key] if isinstance(hashing_key, str) else hashing_key
    if keys is None:
        raise NullArgument("hashing_key must not be None")
    if isinstance(keys, (bytes, bytearray)) or not isinstance(keys, Sequence):
        raise InvalidArgument("hashing_key must be str or a sequence of str")
    if len(keys) > MAX_HASHING_KEYS:
        raise InvalidArgument(f"at most {MAX_HASHING_KEYS} hashing keys are compared")
    result = []
    for candidate in keys:
        key = _require_str(candidate, "hashing_key")
        if not key:
            raise EmptyKey("the hashing key must not be empty")
        try:
            result.append(key.encode("utf-8"))
        except UnicodeEncodeError:
            raise InvalidArgument("the hashing key is not encodable as UTF-8") from None
    if not result:
        raise EmptyKey("at least one hashing key is needed")
    return result


def _encoded(params: str | ParamsInput) -> str:
    return params if isinstance(params, str) else encode_parameters(params)


def _utf8(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        raise ParameterError("the encoded parameters are not encodable as UTF-8") from None


def sha512_hash_hex(encoded: str, hashing_key: str) -> str:
    """Uppercase hex of SHA-512 over the UTF-8 bytes of ``hashing_key + encoded``.

    Raises :class:`EmptyKey` for an empty key, :class:`InvalidArgument` for a key that is not one ``str`` or text
    with no UTF-8 form.
    """
    (key,) = _hashing_keys(_require_str(hashing_key, "hashing_key"))
    return hashlib.sha512(key + _utf8(_require_str(encoded, "encoded"))).hexdigest().upper()


def secure_parameters_sha512(params: str | ParamsInput, hashing_key: str) -> str:
    """``SecureParameters`` for the SHA-512 method: the 128 uppercase hex digits of SHA-512(key + encoded),
    immediately followed by the encoded data. A ``str`` ``params`` is taken as already encoded.

    Raises :class:`EmptyKey` for an empty key, :class:`ParameterError` / :class:`InvalidArgument` for bad params.
    """
    encoded = _encoded(params)
    return sha512_hash_hex(encoded, hashing_key) + encoded


_HEX128 = re.compile(r"[0-9A-Fa-f]{128}")


def verify_sha512(secure_parameters: str, hashing_key: str | Sequence[str]) -> Pairs:
    """Check a SHA-512 ``SecureParameters`` string and return its decoded parameters.

    ``hashing_key`` may be one key or the website's list of keys (every key is compared, in constant time).
    The hash may be upper- or lowercase hex. Raises :class:`ChatNotValidated` (cause ``NoSecureParameters``) for
    a blank string, and :class:`ErrorValidatingChat` with cause ``MalformedHash``, ``HashMismatch`` or
    ``ParameterError`` when the hash does not verify or the verified data does not decode.
    """
    secure_parameters = _require_str(secure_parameters, "secure_parameters")
    keys = _hashing_keys(hashing_key)
    if not secure_parameters.strip():
        raise ChatNotValidated() from NoSecureParameters("SecureParameters is blank")
    received_hex, data = secure_parameters[:HASH_HEX_LENGTH], secure_parameters[HASH_HEX_LENGTH:]
    if not _HEX128.fullmatch(received_hex):
        raise ErrorValidatingChat() from MalformedHash("SecureParameters does not start with 128 hex digits")
    received = bytes.fromhex(received_hex)
    try:
        data_bytes = _utf8(data)
    except ParameterError as exc:
        raise ErrorValidatingChat() from exc
    matched = 0
    for key in keys:
        matched |= hmac.compare_digest(hashlib.sha512(key + data_bytes).digest(), received)
    if not matched:
        raise ErrorValidatingChat() from HashMismatch("the hash does not match the data under any hashing key")
    try:
        return decode_parameters(data)
    except ParameterError as exc:
        raise ErrorValidatingChat() from exc


# --- the op vocabulary -----------------------------------------------------------------------------------------


def _args_pairs(value: Any) -> Pairs:
    if not isinstance(value, list):
        raise InvalidArgument("params must be a JSON array of [name, value] pairs")
    return checked_pairs(tuple(item) if isinstance(item, list) else item for item in value)


def _as_json(pairs: Pairs) -> list[list[str]]:
    return [[name, value] for name, value in pairs]


def _secure_op(args: Mapping[str, Any]) -> str:
    params = args["encoded"] if "encoded" in args else _args_pairs(args["params"])
    return secure_parameters_sha512(params, args["hashingKey"])


def _verify_op(args: Mapping[str, Any]) -> list[list[str]]:
    keys = args["hashingKeys"] if "hashingKeys" in args else args["hashingKey"]
    return _as_json(verify_sha512(args["secureParameters"], keys))


OPS = {
    "boldchat.params.encode": lambda a: encode_parameters(_args_pairs(a["params"])),
    "boldchat.params.decode": lambda a: _as_json(decode_parameters(a["s"])),
    "boldchat.params.to_original": lambda a: to_original(a["name"]),
    "boldchat.params.to_friendly": lambda a: to_friendly(a["name"]),
    "boldchat.sha512.secure": _secure_op,
    "boldchat.sha512.verify": _verify_op,
}

__all__ = [
    "OPS",
    "PARAMETERS",
    "Parameter",
    "decode_parameters",
    "encode_parameters",
    "parameter_key",
    "secure_parameters_sha512",
    "sha512_hash_hex",
    "to_friendly",
    "to_original",
    "translate_to_friendly",
    "translate_to_original",
    "unsecured_names",
    "unsecured_value",
    "verify_sha512",
]
