"""BoldChat server-side validation: a launch (its SecureParameters, type and time) that the rules refuse.

OpenSSL decides every launch's hash (as for :mod:`.boldchat_sha512`); the rules after it (Type, Expiration, ChatKey)
have no external reference: they come from the port, which ``vectors/boldchat_validator.json`` holds to the
document's rules model. Corrections that change signed data are hashed again by OpenSSL.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from conformance.inspect.mistakes.boldchat_sha512 import hash_calls, hash_outcome, secure_parameters_layers
from conformance.inspect.model import Args, Invert, Layer, Mistake
from conformance.inspect.registration import Oracle, register, register_layers, register_oracle
from conformance.outcome import Outcome
from conformance.spec import built

FLOW = "boldchat_validator"
OP = "boldchat.validator.launch"
_NAMES = {"type": ("Type", "type"), "expiration": ("Expiration", "expires"), "chatKey": ("ChatKey", "ck")}


def _calls(args: Args) -> list[Any]:
    calls: list[Any] = [("python", OP, args)]
    for launch in args["launches"]:
        calls += hash_calls(launch["secureParameters"], list(args["hashingKeys"]))
    return calls


def _decide(args: Args, outcomes: list[Outcome]) -> Outcome:
    rules, hashes = outcomes[0], outcomes[1:]
    if rules.status != "value":
        return rules
    results, per = [], len(args["hashingKeys"])
    for index, launch in enumerate(args["launches"]):
        refused = hash_outcome(launch["secureParameters"], hashes[index * per : (index + 1) * per])
        if refused is not None and refused.status == "error":
            results.append({"error": {"reason": refused.reason, "message": "the hash does not verify (openssl)"}})
        elif refused is not None:
            return refused
        else:
            results.append(rules.value[index])
    return Outcome.of_value(results)


register_oracle(OP, Oracle("openssl+rules", _calls, _decide, "openssl decides each launch's hash; the rules after "
                           "it (Type, Expiration, ChatKey) are the port's, held to the document's rules model"))  # fmt: skip


def signed(launch: Args, field: str) -> str | None:
    """The value of a control field in a launch's signed data (friendly or original name), as sent."""
    for segment in launch["secureParameters"][128:].split("&"):
        name, _, value = segment.partition("=")
        if name in _NAMES[field]:
            return value
    return None


def _resecured(args: Args, index: int, field: str, change: Callable[[str], str | None]) -> list[dict[str, Any]] | None:
    """The launch ``index`` with the field's signed value changed and SecureParameters hashed again by OpenSSL."""
    launch = args["launches"][index]
    segments = launch["secureParameters"][128:].split("&")
    changed = False
    for position, segment in enumerate(segments):
        name, eq, value = segment.partition("=")
        if name in _NAMES[field] and (new := change(value)) is not None and new != value:
            segments[position], changed = f"{name}{eq}{new}", True
    if not changed:
        return None
    data = "&".join(segments)
    outcomes = built("openssl").call_many(
        [("boldchat.sha512.secure", {"encoded": data, "hashingKey": key}) for key in args["hashingKeys"]]
    )
    found = []
    for outcome in outcomes:
        if outcome.status == "value":
            launches = [dict(item) for item in args["launches"]]
            launches[index] = {**launch, "secureParameters": outcome.value}
            found.append({**args, "launches": launches})
    return found or None


def _each_launch(attempt: Callable[[Args, int], Any]) -> Callable[[Args], Any]:
    def correct(args: Args) -> Any:
        found: list[dict[str, Any]] = []
        for index in range(len(args["launches"])):
            made = attempt(args, index)
            found += made if isinstance(made, list) else [made] if made else []
        return found or None

    return correct


def _seconds(args: Args, index: int) -> Any:
    expiration = signed(args["launches"][index], "expiration")
    if not expiration or not expiration.isdigit() or len(expiration) > 11:
        return None
    return _resecured(args, index, "expiration", lambda v: str(int(v) * 1000))


def _earlier(args: Args, index: int) -> Any:
    launch = args["launches"][index]
    expiration = signed(launch, "expiration")
    if not expiration or not expiration.isdigit() or int(expiration) > launch["atMs"]:
        return None
    launches = [dict(item) for item in args["launches"]]
    launches[index] = {**launch, "atMs": int(expiration) - 1}
    return {**args, "launches": launches}


def _signed_type(args: Args, index: int) -> Any:
    launch = args["launches"][index]
    kind = signed(launch, "type")
    if kind not in ("chat", "visit", "conversion") or kind == launch["type"]:
        return None
    launches = [dict(item) for item in args["launches"]]
    launches[index] = {**launch, "type": kind}
    return {**args, "launches": launches}


def _lowercase_type(args: Args, index: int) -> Any:
    kind = signed(args["launches"][index], "type")
    return None if not kind or kind == kind.lower() else _resecured(args, index, "type", str.lower)


def _without_earlier_uses(args: Args, index: int) -> Any:
    launch = args["launches"][index]
    key = signed(launch, "chatKey")
    if launch["type"] != "chat" or not key:
        return None
    earlier = [i for i in range(index) if args["launches"][i]["type"] == "chat"
               and signed(args["launches"][i], "chatKey") == key]  # fmt: skip
    if not earlier:
        return None
    return {**args, "launches": [item for i, item in enumerate(args["launches"]) if i not in earlier]}


for mistake in (
    Mistake(FLOW, OP, "Expired", Invert(_each_launch(_seconds), "Expiration read as seconds and written in "
                                        "milliseconds, hashed again by openssl"),
            "Expiration counts milliseconds since the epoch (Date.now() + lifetime, not seconds).",
            label="seconds, not milliseconds"),
    Mistake(FLOW, OP, "Expired", Invert(_each_launch(_earlier), "launched one millisecond before its Expiration"),
            "Make SecureParameters when the page is served, with an Expiration after the launch."),
    Mistake(FLOW, OP, "WrongType", Invert(_each_launch(_signed_type), "launched as the type its signed data names"),
            "Sign each request with the Type of the launch that uses it (chat, visit or conversion)."),
    Mistake(FLOW, OP, "TypeCase", Invert(_each_launch(_lowercase_type), "the signed Type in lowercase, hashed "
                                         "again by openssl"),
            "Write Type in lowercase: chat, visit or conversion."),
    Mistake(FLOW, OP, "Replay", Invert(_each_launch(_without_earlier_uses), "the launch alone, without the earlier "
                                       "chat launch that used its ChatKey"),
            "Make a new ChatKey for every chat launch (a ChatKey is single-use)."),
):  # fmt: skip
    register(mistake)


def layers(args: Args) -> list[Layer]:
    """Per launch: its type and clock, then its SecureParameters' layers."""
    found = []
    for index, launch in enumerate(args["launches"]):
        found.append(Layer(f"launch {index + 1}", text=f"type {launch['type']}, at {launch['atMs']} ms"))
        found += secure_parameters_layers(launch["secureParameters"], list(args["hashingKeys"]) if index == 0 else [])
    return found


register_layers((OP,), layers)
