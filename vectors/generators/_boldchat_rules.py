"""The BoldChat document's rules as data, and a small evaluator of them: the expected outputs of the vectors that
have no external reference (URL-form encoding, name translation, SHA-512 verification, the server validator).

This module deliberately shares no code with ``conformance/vendors/boldchat*.py``: the parameter table is parsed
from the document's own table text, the percent-encoding is a byte loop over the RFC 3986 unreserved set, every
SHA-512 is computed by OpenSSL (``conformance.references.openssl``), and the validator's checks, their order, reason
paths and messages are written out below as data. Where the document is silent, the choice is stated here and
flagged in the vector file's notes. The Python implementation must agree with this model on every scenario.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from conformance.errors import ConformanceError
from conformance.references import openssl_dgst as openssl

#: The document's parameter tables, verbatim ("Friendly Name  Original  Meaning"), first two words per row.
DOCUMENT_TABLE = """\
URL url The current page of the visitor (also the chat launch url when a chat is launched)
ReferrerURL referrer The referring page of the visitor
VisitName vn The name of the visitor
VisitRef vr A reference value for the visitor
VisitInfo vi An information value for the visitor
VisitEmail ve The email address of the visitor
VisitPhone vp The phone number of the visitor
CustomURL curl The custom URL for the chat
VisitorIcon vicon The chat icon for the visitor
OperatorIcon oicon The default chat icon for the operator
LastName ln The last name of the visitor
FirstName vn The first name of the visitor (synonymous with VisitName)
InitialQuestion iq The initial question for the visitor in chat
ConversionRef cr The conversion reference value for the conversion (must be unique per conversion code)
ConversionInfo ci An information value for the conversion
ConversionAmount ca The amount of the conversion
LanguageCode lc The language code for the chat
ChatButtonID cbdid The ID of the chat button used to launch the request
FloatingChatButtonID cbdid The ID of the floating chat button used to launch the request (synonymous with ChatButtonDefID)
ChatWindowID cwdid The ID of the chat window to show to the visitor in chat
DepartmentID rdid The ID of the department to which the chat should be assigned
OperatorID roid The ID of the operator to whom the chat should be assigned
ConversionCodeID ccid The ID of the conversion code
InvitationID idid The ID of the associated Auto-Invite Ruleset
Type type The type of the request to enforce. Chat, visit, or conversion. Recommended on all requests.
Expiration expires The time when the request should no longer be considered valid. Counted in milliseconds.
ChatKey ck A unique identifier for this chat request. Repeated chat launches with this key will fail.
VisitorKey vk A unique identifier for this visitor.
Unsecured unsecured An & separated list of parameter names.
APIKey APIKey The API key being used.
Data Data Pre-populated data passed into the chat.
"""

ROWS = [tuple(line.split(" ", 2)[:2]) for line in DOCUMENT_TABLE.splitlines()]
FRIENDLY_TO_ORIGINAL = dict(ROWS)
ORIGINAL_TO_FRIENDLY: dict[str, str] = {}
for _friendly, _original in ROWS:
    ORIGINAL_TO_FRIENDLY.setdefault(_original, _friendly)  # the first row wins: vn -> VisitName, cbdid -> ChatButtonID

#: The troubleshooting section's messages, verbatim.
MESSAGES = {
    "ChatNotValidated": "Chat Not Validated",
    "ErrorValidatingChat": "Error Validating Chat",
    "ChatLaunchExpired": "Validated chat launch has expired",
    "ChatLaunchAlreadyUsed": "Validated chat launch has already been used",
}

UNRESERVED = frozenset((string.ascii_letters + string.digits + "-._~").encode())
HEX = frozenset(string.hexdigits)


class ModelError(ConformanceError):
    """A failure the model predicts, carrying its reason path as data."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path

    def reason_path(self) -> str:
        return self.path


# --- names ----------------------------------------------------------------------------------------------------


def _custom(name: str) -> bool:
    return name.startswith("customField_") and name != "customField_"


def to_original(name: str) -> str:
    if name in FRIENDLY_TO_ORIGINAL:
        return FRIENDLY_TO_ORIGINAL[name]
    if name in ORIGINAL_TO_FRIENDLY or _custom(name):
        return name
    raise ModelError("UnknownParameter")


def to_friendly(name: str) -> str:
    if name in FRIENDLY_TO_ORIGINAL or _custom(name):
        return name
    if name in ORIGINAL_TO_FRIENDLY:
        return ORIGINAL_TO_FRIENDLY[name]
    raise ModelError("UnknownParameter")


def identity(name: str) -> str:
    """Which parameter a name denotes: its original name when the table lists it, else the name itself."""
    return FRIENDLY_TO_ORIGINAL.get(name, name)


# --- URL-form encoding ------------------------------------------------------------------------------------------


def _escape(text: str) -> str:
    out = []
    for byte in text.encode("utf-8"):
        out.append(chr(byte) if byte in UNRESERVED else "%" + format(byte, "02X"))
    return "".join(out)


def form_encode(pairs: Sequence[Sequence[str]]) -> str:
    if any(not name for name, _ in pairs):
        raise ModelError("ParameterError")
    return "&".join(_escape(name) + "=" + _escape(value) for name, value in pairs)


def _unescape(text: str) -> str:
    raw = bytearray()
    i = 0
    while i < len(text):
        char = text[i]
        if char == "%":
            pair = text[i + 1 : i + 3]
            if len(pair) != 2 or not set(pair) <= HEX:
                raise ModelError("ParameterError")
            raw.append(int(pair, 16))
            i += 3
            continue
        if char == "+":
            raw.append(0x20)
        else:
            try:
                raw.extend(char.encode("utf-8"))
            except UnicodeEncodeError:
                raise ModelError("ParameterError") from None
        i += 1
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ModelError("ParameterError") from None


def form_decode(text: str) -> list[list[str]]:
    pairs = []
    for segment in text.split("&"):
        if segment == "":
            continue
        if "=" in segment:
            index = segment.index("=")
            name, value = segment[:index], segment[index + 1 :]
        else:
            name, value = segment, ""
        name = _unescape(name)
        if name == "":
            raise ModelError("ParameterError")
        pairs.append([name, _unescape(value)])
    return pairs


# --- SHA-512 (OpenSSL) -------------------------------------------------------------------------------------------


def secure(encoded: str, key: str) -> str:
    return openssl.secure_many([(encoded, key)])[0]


def verify(secure_parameters: str, keys: Sequence[str]) -> list[list[str]]:
    """The document: "The server will parse out and verify the hash" (128 hex digits in front of the data)."""
    if secure_parameters.strip() == "":
        raise ModelError("ChatNotValidated/NoSecureParameters")
    received, data = secure_parameters[:128], secure_parameters[128:]
    if len(received) != 128 or not set(received) <= HEX:
        raise ModelError("ErrorValidatingChat/MalformedHash")
    try:
        messages = [(key + data).encode("utf-8") for key in keys]
    except UnicodeEncodeError:
        raise ModelError("ErrorValidatingChat/ParameterError") from None
    if received.lower() not in openssl.sha512_hex_many(messages):
        raise ModelError("ErrorValidatingChat/HashMismatch")
    try:
        return form_decode(data)
    except ModelError as exc:
        raise ModelError("ErrorValidatingChat/" + exc.path) from None


# --- the validator, rule by rule ---------------------------------------------------------------------------------

CONTROL = ("type", "expires", "ck", "unsecured")


def _rule_verified(state: dict[str, Any]) -> str | None:
    try:
        state["signed"] = verify(state["launch"]["secureParameters"], state["keys"])
    except ModelError as exc:
        return exc.path
    return None


def _rule_control_fields_unique(state: dict[str, Any]) -> str | None:
    fields: dict[str, list[str]] = {}
    for name, value in state["signed"]:
        fields.setdefault(identity(name), []).append(value)
    if any(len(fields.get(key, [])) > 1 for key in CONTROL):
        return "ErrorValidatingChat/AmbiguousParameter"
    state["fields"] = {key: values[0] for key, values in fields.items()}
    return None


def _rule_type(state: dict[str, Any]) -> str | None:
    if "type" not in state["fields"]:
        return "ChatNotValidated/TypeMissing"
    if state["fields"]["type"] != state["launch"]["type"]:
        return "ChatNotValidated/TypeMismatch"
    return None


def _rule_expiration(state: dict[str, Any]) -> str | None:
    expires = state["fields"].get("expires")
    if expires is None:
        return None
    if expires == "" or not all(c in "0123456789" for c in expires):
        return "ErrorValidatingChat/MalformedExpiration"
    return "ChatLaunchExpired" if state["launch"]["atMs"] >= int(expires) else None


def _rule_chat_key(state: dict[str, Any]) -> str | None:
    chat_key = state["fields"].get("ck")
    if state["launch"]["type"] != "chat" or chat_key is None:
        return None
    if chat_key in state["used"]:
        return "ChatLaunchAlreadyUsed"
    state["used"].add(chat_key)
    return None


#: The checks in the order the model applies them; the first failure is the launch's outcome.
RULES: tuple[tuple[str, Callable[[dict[str, Any]], str | None]], ...] = (
    ("blank -> Chat Not Validated; hash/decoding -> Error Validating Chat", _rule_verified),
    ("Type, Expiration, ChatKey, Unsecured at most once (model's choice)", _rule_control_fields_unique),
    ("Type present and equal to the request type, exactly", _rule_type),
    ("Expiration digits only; expired when now >= Expiration", _rule_expiration),
    ("ChatKey unused on chat launches, recorded only by a launch that passes", _rule_chat_key),
)


def _accepted(state: dict[str, Any]) -> dict[str, Any]:
    named = state["fields"].get("unsecured", "")
    allowed = {identity(n) for n in named.split("&") if n} - set(CONTROL)
    signed_ids = {identity(name) for name, _ in state["signed"]}
    parameters = [list(pair) for pair in state["signed"]]
    ignored = []
    for name, value in state["launch"].get("query", []):
        if identity(name) in allowed and identity(name) not in signed_ids:
            parameters.append([name, value])
        else:
            ignored.append(name)
    return {"type": state["launch"]["type"], "parameters": parameters, "ignored": ignored}


def run_scenario(args: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every launch of the scenario, in order; the ChatKey memory is durable (a restart changes nothing)."""
    used: set[str] = set()
    outcomes = []
    for launch in args["launches"]:
        state: dict[str, Any] = {"launch": launch, "keys": args["hashingKeys"], "used": used}
        failure = next((path for _, rule in RULES if (path := rule(state)) is not None), None)
        if failure is None:
            outcomes.append({"ok": _accepted(state)})
        else:
            outcomes.append({"error": {"reason": failure, "message": MESSAGES[failure.split("/")[0]]}})
    return outcomes
