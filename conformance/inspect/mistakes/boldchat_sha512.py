"""BoldChat SecureParameters, SHA-512 method: ``HEX(SHA-512(key + data)) + data`` that does not verify.

No reference implements the consumer op: OpenSSL computes SHA-512(key + data) for every hashing key
(``boldchat.sha512.secure``), and the hash given must equal one of them (in either case); verified data is then
decoded by the port's URL-form decoder (held to the document's rules model by ``vectors/boldchat_sha512.json``).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from conformance.errors import ConformanceError
from conformance.inspect.layers import secret_layer, text_layer, utf8
from conformance.inspect.model import Args, Invert, Layer, Mistake, Quirk, Reproduce, Segment
from conformance.inspect.registration import Call, Oracle, register, register_layers, register_oracle, register_quirk
from conformance.outcome import Outcome

FLOW = "boldchat_sha512"
OP = "boldchat.sha512.verify"
SECURE = "boldchat.sha512.secure"
HEX128 = re.compile(r"[0-9A-Fa-f]{128}")


def hash_calls(secure_parameters: str, keys: list[str]) -> list[Call]:
    """OpenSSL's SHA-512 of (key + data) for each hashing key, as ``boldchat.sha512.secure`` calls."""
    data = secure_parameters[128:]
    return [("openssl", SECURE, {"encoded": data, "hashingKey": key}) for key in keys]


def hash_outcome(secure_parameters: str, outcomes: list[Outcome]) -> Outcome | None:
    """The refusal OpenSSL's hashes give (the document's error and its cause), or ``None`` when one matches."""
    if not secure_parameters.strip():
        return Outcome.of_error("ChatNotValidated/NoSecureParameters")
    if not HEX128.fullmatch(secure_parameters[:128]):
        return Outcome.of_error("ErrorValidatingChat/MalformedHash")
    unanswered = next((o for o in outcomes if o.status not in ("value", "error")), None)
    if unanswered is not None:
        return unanswered
    given = secure_parameters[:128].upper()
    if any(o.status == "value" and o.value[:128].upper() == given for o in outcomes):
        return None
    return Outcome.of_error("ErrorValidatingChat/HashMismatch")


def _decide(args: Args, outcomes: list[Outcome]) -> Outcome:
    from conformance.vendors.boldchat import decode_parameters

    refused = hash_outcome(args["secureParameters"], outcomes)
    if refused is not None:
        return refused
    try:
        return Outcome.of_value([list(pair) for pair in decode_parameters(args["secureParameters"][128:])])
    except ConformanceError as exc:
        return Outcome.of_error(f"ErrorValidatingChat/{exc.reason_path()}")


register_oracle(OP, Oracle(
    "openssl", lambda a: hash_calls(a["secureParameters"], list(a["hashingKeys"])), _decide,
    "openssl computes SHA-512(key + data) per hashing key; the port decodes the verified data"))  # fmt: skip


def _hash_last(args: Args) -> dict[str, Any] | None:
    given = args["secureParameters"]
    if HEX128.fullmatch(given[:128]) or not HEX128.fullmatch(given[-128:]):
        return None
    return {**args, "secureParameters": given[-128:] + given[:-128]}


def _decoded_once(args: Args) -> dict[str, Any] | None:
    """Percent-decoded once, where the data shows signs of a second encoding (an encoded '%', '=' or '&')."""
    given = args["secureParameters"]
    if not any(mark in given[128:].upper() for mark in ("%25", "%3D", "%26")):
        return None
    return {**args, "secureParameters": given[:128] + unquote(given[128:])}


def _plus_restored(args: Args) -> dict[str, Any] | None:
    given = args["secureParameters"]
    return {**args, "secureParameters": given[:128] + given[128:].replace(" ", "+")} if " " in given[128:] else None


def _key_variants(args: Args) -> list[dict[str, Any]] | None:
    found = []
    for key in args["hashingKeys"]:
        for variant in (key + "\n", key.rstrip("\r\n"), key.strip()):
            if variant != key and variant:
                found.append({"encoded": args["secureParameters"][128:], "hashingKey": variant})
    return found or None


def _hashed_decoded(args: Args) -> list[dict[str, Any]] | None:
    data = args["secureParameters"][128:]
    plain = unquote(data)
    return [{"encoded": plain, "hashingKey": key} for key in args["hashingKeys"]] if plain != data else None


def _artifact(args: Args) -> str:
    return args["secureParameters"][:128].upper()


def _hash_of(answer: Any, _args: Args) -> str:
    return str(answer)[:128].upper()


for mistake in (
    Mistake(FLOW, OP, "MalformedHash", Invert(_hash_last, "the 128 hex digits moved from the end to the front"),
            "Put the hash first: SecureParameters = HEX(SHA-512(key + data)) followed by the data."),
    Mistake(FLOW, OP, "Tampered", Invert(_decoded_once, "the data percent-decoded once"),
            "Percent-encode the parameters once, hash that string, and send the result as it is (it was encoded "
            "again after hashing).", label="encoded again after hashing"),
    Mistake(FLOW, OP, "PlusInData", Invert(_plus_restored, "the data's spaces read as '+'"),
            "Encode spaces as %20 (a form decoder on the way turned the data's '+' into spaces)."),
    Mistake(FLOW, OP, "WrongKey", Reproduce(SECURE, _key_variants, _artifact, "SHA-512 under the hashing key with "
                                            "a newline or surrounding whitespace added or removed", _hash_of),
            "Use the hashing key exactly as the website shows it: no trailing newline or spaces.",
            label="key whitespace"),
    Mistake(FLOW, OP, "PercentEncoding", Reproduce(SECURE, _hashed_decoded, _artifact, "SHA-512 over the data "
                                                   "before its percent-encoding", _hash_of),
            "Hash the encoded string that is sent (HEX(SHA-512(key + encoded)) + encoded), not the raw text."),
):  # fmt: skip
    register(mistake)


def _lowercase(args: Args) -> str | None:
    digest = args["secureParameters"][:128]
    return "the hash is lowercase hex (the document's example is uppercase)" if digest != digest.upper() else None


def _unencoded_ampersand(args: Args) -> str | None:
    segments = args["secureParameters"][128:].split("&")
    for index, segment in enumerate(segments[:-1]):
        name = segment.split("=", 1)[0]
        if name in ("Unsecured", "unsecured") and "=" not in segments[index + 1]:
            return f"the segment after {name} has no '=': its '&' list was not encoded as %26"
    return None


def _plus(args: Args) -> str | None:
    return "the data uses '+' for a space" if "+" in args["secureParameters"][128:] else None


for quirk in (
    Quirk(FLOW, OP, "LowercaseHash", _lowercase),
    Quirk(FLOW, OP, "UnencodedUnsecuredAmpersand", _unencoded_ampersand),
    Quirk(FLOW, OP, "PlusInData", _plus),
):
    register_quirk(quirk)


def secure_parameters_layers(secure_parameters: str, keys: list[str]) -> list[Layer]:
    """The hash (64 bytes from its 128 hex digits), the data's bytes and parameters, the keys (fingerprints)."""
    digest = secure_parameters[:128]
    found = []
    if HEX128.fullmatch(digest):
        raw = bytes.fromhex(digest)
        case = "upper" if digest == digest.upper() else "lower" if digest == digest.lower() else "mixed"
        found.append(Layer("hash", raw, (Segment(0, 64, "hash", "SHA-512"),), (f"128 hex digits, {case} case",)))
    else:
        found.append(text_layer("hash", digest, "junk", ("not 128 hex digits",)))
    data = secure_parameters[128:]
    message = utf8(data)
    found.append(Layer("data (hashed after the key)", message, (Segment(0, len(message), "data", "data"),),
                       text=data))  # fmt: skip
    try:
        from conformance.vendors.boldchat import decode_parameters

        pairs = "; ".join(f"{name} = {value!r}" for name, value in decode_parameters(data))
        found.append(Layer("parameters", text=pairs or "(none)"))
    except ConformanceError as exc:
        found.append(Layer("parameters", notes=(f"do not decode: {exc.reason_path()}",)))
    found += [secret_layer(f"hashing key {i + 1}", key) for i, key in enumerate(keys)]
    return found


register_layers((OP,), lambda a: secure_parameters_layers(a["secureParameters"], list(a["hashingKeys"])))
