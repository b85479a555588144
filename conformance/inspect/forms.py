"""The friendly forms of ``inspect``: an artifact as people hold it (a transfer link, a token, a connection key,
BoldChat parameters, a PGP message) with its keys, turned into the consumer op's own arguments; and the flow of an
artifact given alone."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote, urlsplit

from conformance import catalog
from conformance.errors import UsageError
from conformance.primitives.sdk_tokens import DEV_SIGNATURE as STREAM_DEV_SIGNATURE
from conformance.primitives.sdk_tokens import TWILIO_CTY

FORMS = ("artifact", "link", "key", "token", "secret", "key_id", "account_sid", "public_key", "email", "params",
         "hashing_key", "message", "server_key", "signer_key", "now", "user_id", "identifier")  # fmt: skip
#: The identity forms of a user hash (``hmac_hex.verify`` ops), by the op argument each fills.
_IDENTITY_FORMS = {"userId": "user_id", "email": "email", "identifier": "identifier"}
_HEX64 = re.compile(r"\s*[0-9A-Fa-f]{64}\s*")
_HEX128 = re.compile(r"[0-9A-Fa-f]{128}")
#: a compact JWS (a Stream development token's payload is standard Base64: '+' and '/' allowed there)
_JWS = re.compile(r"\s*[A-Za-z0-9_=-]+\.[A-Za-z0-9_=+/-]*\.[A-Za-z0-9_=\s-]*\s*")


def detect(artifact: str) -> str:
    """Which form an artifact given alone has: ``link``, ``token``, ``message``, ``params`` or ``key`` (a Thread
    connection key). Raises :class:`UsageError` when it looks like none of them."""
    text = artifact.strip()
    if "BEGIN PGP MESSAGE" in text:
        return "message"
    if re.match(r"https?://", text) and "payload=" in text and "iv=" in text:
        return "link"
    if _JWS.fullmatch(text):
        return "token"
    if _HEX128.match(text):
        return "params"
    if _HEX64.fullmatch(artifact):
        return "key"
    raise UsageError("the artifact is not a transfer link, a JWT/JWS, BoldChat SecureParameters, a PGP message or "
                     "a Thread connection key")  # fmt: skip


def link_parts(link: str) -> tuple[str, str]:
    """The ``payload`` and ``iv`` of a transfer link as a server reads them: percent-decoded, a raw '+' kept as
    '+'. Raises :class:`UsageError` for a link without exactly one of each."""
    try:
        query = urlsplit(link.strip()).query
    except ValueError:
        raise UsageError("the transfer link is not a URL") from None
    found: dict[str, list[str]] = {}
    for part in query.split("&"):
        name, _, value = part.partition("=")
        found.setdefault(unquote(name), []).append(unquote(value))
    values = []
    for name in ("payload", "iv"):
        if len(found.get(name, [])) != 1:
            raise UsageError(f"the transfer link has {len(found.get(name, []))} {name!r} parameters, not one")
        values.append(found[name][0])
    return values[0], values[1]


def _alg(token: str) -> str:
    """The ``alg`` of a compact JWS. Raises :class:`UsageError` (one line) for text that is not one."""
    from conformance.inspect.layers import jws_header

    parts = token.strip().split(".")
    if len(parts) != 3:
        raise UsageError(f"not a JWT/JWS: {len(parts)} part(s) separated by '.', not 3")
    try:
        return str(jws_header(token.strip()).get("alg", ""))
    except (ValueError, UnicodeDecodeError):
        raise UsageError("not a JWT/JWS: its header is not base64url JSON") from None


def sdk_token_op(token: str) -> str | None:
    """The verify op of a token made by a vendor's SDK: ``twilio.access_token.verify`` for a header with ``cty:
    twilio-fpa;v=1``, ``stream.token.verify`` for a development token or a payload with ``user_id`` and no
    ``kid`` in the header; ``None`` otherwise."""
    from conformance.inspect.layers import jws_header, jws_payload

    parts = token.strip().split(".")
    try:
        header = jws_header(token.strip())
    except ValueError:
        return None
    if header.get("cty") == TWILIO_CTY:
        return "twilio.access_token.verify"
    if len(parts) == 3 and parts[2] == STREAM_DEV_SIGNATURE:
        return "stream.token.verify"
    try:
        payload = jws_payload(token.strip())
    except ValueError:
        return None
    if isinstance(payload, dict) and "user_id" in payload and "kid" not in header:
        return "stream.token.verify"
    return None


def _token_form(forms: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """The verify op and its arguments for ``--token``: a vendor SDK's token (detected), a Talkative JWS (with
    ``--public-key``, or ES256 without ``--secret``), else a Khoros widget JWT."""
    token = forms["token"]
    alg = _alg(token)
    sdk = None if "public_key" in forms else sdk_token_op(token)
    if sdk is not None:
        return sdk, _sdk_token_args(sdk, forms)
    if "public_key" in forms or ("secret" not in forms and alg == "ES256"):
        _need(forms, "an ES256 JWS (Talkative)", "public_key")
        return "talkative.verify", {"token": token, "publicKeyPem": forms["public_key"]}
    _need(forms, "an HS256 widget JWT (Khoros)", "secret", "key_id")
    now = forms.get("now", int(time.time()))
    return "khoros.widget_jwt.verify", {"token": token, "keyId": forms["key_id"], "secret": forms["secret"],
                                        "now": now}  # fmt: skip


def _sdk_token_args(op: str, forms: Mapping[str, Any]) -> dict[str, Any]:
    """The verify op's arguments for an SDK's token: ``--secret`` (a development token needs none), ``--now``, and
    the user id (Stream, ``--user-id``) or the API key SID and account SID (Twilio, ``--key-id``, ``--account-sid``)."""
    token, now = forms["token"], forms.get("now", int(time.time()))
    if op == "stream.token.verify":
        if token.strip().split(".")[-1] != STREAM_DEV_SIGNATURE:
            _need(forms, "a Stream Chat user token", "secret")
        return {"token": token, "secret": forms.get("secret", ""), "now": now, "userId": forms.get("user_id")}
    _need(forms, "a Twilio Access Token", "secret")
    return {
        "token": token,
        "secret": forms["secret"],
        "now": now,
        "keySid": forms.get("key_id"),
        "accountSid": forms.get("account_sid"),
    }


def _aes_key(key: str) -> str:
    """A Khoros encryption key (Base64). Raises :class:`UsageError` for one that is not an AES key's size."""
    from conformance.codecs import decode_base64

    size = len(decode_base64(key))
    if size not in (16, 24, 32):
        raise UsageError(f"--key decodes to {size} bytes; an AES key has 16, 24 or 32")
    return key


def _need(forms: Mapping[str, Any], what: str, *names: str) -> None:
    missing = [name for name in names if forms.get(name) is None]
    if missing:
        options = ", ".join("--" + name.replace("_", "-") for name in missing)
        raise UsageError(f"{what}: give {options}")


def _keys(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def from_forms(forms: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """The consumer op and its arguments for a friendly form. Raises :class:`UsageError` naming what is missing."""
    forms = {k: v for k, v in forms.items() if v is not None}
    unknown = sorted(set(forms) - set(FORMS))
    if unknown:
        raise UsageError(f"unknown form(s) {', '.join(unknown)}; forms: {', '.join(FORMS)}")
    if "artifact" in forms:
        kind = detect(forms["artifact"])
        if kind in forms:
            raise UsageError(f"the artifact is a {kind}, and --{kind} is given too")
        forms = {**{k: v for k, v in forms.items() if k != "artifact"}, kind: forms["artifact"]}
        if kind == "key" and "email" not in forms:
            raise UsageError("this looks like a Thread connection key: give --email and --secret")
    if "link" in forms:
        _need(forms, "a Khoros transfer link", "key")
        payload, iv = link_parts(forms["link"])
        key = _aes_key(forms["key"])
        return "khoros.payload.decrypt", {"ivKey": iv, "encryptedPayload": payload, "encryptionKey": key}
    if "token" in forms:
        return _token_form(forms)
    if "user_id" in forms or "identifier" in forms:
        raise UsageError("a user hash: name its verifier with --op (an hmac_hex.verify op: conformance list)")
    if "email" in forms:
        _need(forms, "a Thread connection key", "key", "secret")
        return "thread.verify_connection_key", {"email": forms["email"], "secret": forms["secret"], "key": forms["key"]}
    if "params" in forms:
        _need(forms, "BoldChat SecureParameters (SHA-512)", "hashing_key")
        return "boldchat.sha512.verify", {
            "secureParameters": forms["params"],
            "hashingKeys": _keys(forms["hashing_key"]),
        }
    if "message" in forms:
        _need(forms, "a BoldChat PGP message", "server_key", "signer_key")
        return "boldchat.pgp.open", {"message": forms["message"], "serverPrivateKey": forms["server_key"],
                                     "signerPublicKey": forms["signer_key"]}  # fmt: skip
    raise UsageError("nothing to inspect: give --op and --args, an artifact, or a friendly form (--link, --token, "
                     "--email, --params, --message)")  # fmt: skip


def user_hash_args(op: str, forms: Mapping[str, Any]) -> dict[str, Any]:
    """The arguments of ``op`` (an ``hmac_hex.verify`` op) for a user hash given as ``key`` (the hash), ``secret``
    and the identity (``user_id``, ``email`` or ``identifier``, as the op's params name the field MACed). Raises
    :class:`UsageError` for another op, a form the op does not take, or a missing one."""
    found = catalog.part(op)
    if found is None or found.kind.name != "hmac_hex.verify":
        raise UsageError(f"friendly forms with --op name a user-hash verifier (an hmac_hex.verify op), not {op!r}")
    params = found.params
    fields = [params["message"], *([params["fallback"]] if params["fallback"] else [])]
    given = {k: v for k, v in forms.items() if v is not None}
    wanted = {"key", "secret", *(_IDENTITY_FORMS[f] for f in fields if f in _IDENTITY_FORMS)}
    extra = sorted(set(given) - wanted)
    if extra:
        raise UsageError(
            f"{op} takes --key, --secret and its identity; not {', '.join('--' + e.replace('_', '-') for e in extra)}"
        )
    _need(given, f"a user hash for {op}", "key", "secret")
    args = {"secret": given["secret"], params["presented"]: given["key"]}
    for field in fields:
        if _IDENTITY_FORMS.get(field) in given:
            args[field] = given[_IDENTITY_FORMS[field]]
    if not set(fields) & set(args):
        options = " or ".join("--" + _IDENTITY_FORMS[f].replace("_", "-") for f in fields if f in _IDENTITY_FORMS)
        raise UsageError(f"a user hash for {op}: give {options}")
    return args


def resolve(
    op: str | None, args: Mapping[str, Any] | str | None, forms: Mapping[str, Any]
) -> tuple[str, dict[str, Any]]:
    """``(op, args)`` from an op and its arguments (a mapping or JSON text), or from the friendly forms.

    Raises :class:`UsageError` when both or neither are given, or the arguments are not a JSON object."""
    given = {k: v for k, v in forms.items() if v is not None}
    if op is None and args is None:
        return from_forms(given)
    if given and args is None and op is not None:
        return op, user_hash_args(op, given)
    if given:
        raise UsageError(f"give --op/--args or a friendly form, not both ({', '.join(sorted(given))})")
    if op is None or args is None:
        raise UsageError("--op and --args go together")
    if isinstance(args, str):
        try:
            args = json.loads(args)
        except ValueError as exc:
            raise UsageError(f"--args is not JSON ({type(exc).__name__})") from None
    if not isinstance(args, Mapping):
        raise UsageError("--args must be a JSON object of the op's arguments")
    return op, dict(args)
