"""The ``hmac_hex`` kinds: a user hash, HMAC-SHA256 as hex over one identity field, and the vendor's check of it.

``hmac_hex.sign`` (a producer) and ``hmac_hex.verify`` (a consumer) are written once here and reused by every flow
of the family (Intercom identity verification, Front, Help Scout, Crisp, tawk.to, Chatwoot). An op of these kinds
is one :func:`conformance.catalog.kind_op` line with its parameters:

========== ====================================================================================== ==============
parameter  meaning                                                                                default
========== ====================================================================================== ==============
message    the argument MACed (``userId``, ``email``, ``identifier``)                             (required)
fallback   the argument MACed when ``message`` is absent (Intercom: ``email``); ``""`` for none   ``""``
key        how the ``secret`` argument becomes the HMAC key: ``text`` (its UTF-8 bytes) or        ``text``
           ``hex`` (the bytes its hex digits spell)
hexCase    (sign) the case of the hex emitted                                                     ``lower``
presented  (verify) the argument holding the hash to check (``userHash``, ``signature``, ...)     ``hash``
accept     (verify) the hex spelling accepted: ``lower``, ``upper`` or ``either-case``            ``lower``
unsigned   (verify) a missing or empty hash: ``refuse``, or ``accept`` it as an unverified        ``refuse``
           identity (Chatwoot without ``hmac_mandatory``)
========== ====================================================================================== ==============

The Python port is :mod:`conformance.primitives.hmac_hex`; the live references implement the kinds once each
(``ruby_ref/server.rb``, the PHP script, ``node_ref/server.mjs``, :mod:`conformance.references.python_hmac`).
Errors, in the order every implementation checks: the secret (``UnencodableText``, ``InvalidArgument`` for a
``hex`` key that is not hex), the identity (``MissingIdentity``, ``UnencodableText``), the presented hash.
"""

from __future__ import annotations

import base64
import binascii
import random
import re
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

from conformance import mutations as m
from conformance.arguments import require_str
from conformance.errors import ConformanceError
from conformance.kinds.base import Args, Generator, Kind, KindError, Mistake, Params, ProbeSet, Reducer, register
from conformance.outcome import OpFunction
from conformance.primitives import hmac_hex as primitive

_SHARED = {
    "message": "the argument MACed (userId, email, identifier)",
    "fallback": "the argument MACed when `message` is absent ('' for none)",
    "key": "how the secret becomes the HMAC key: text (its UTF-8 bytes) or hex (the bytes its hex digits spell)",
}
_JOINED_PAIR = re.compile("([\ud800-\udbff])(?=[\udc00-\udfff])")
#: TEST values only (probes, examples).
PROBE_SECRET = "hmac_hex probe TEST secret"
PROBE_IDENTITY, OTHER_IDENTITY = "alice@example.com", "bob@example.com"


def _check_shared(params: Params) -> None:
    if not isinstance(params["message"], str) or not params["message"]:
        raise KindError("message names the argument MACed")
    if not isinstance(params["fallback"], str):
        raise KindError("fallback names an argument, or is '' for none")
    if params["fallback"] == params["message"] or "secret" in (params["message"], params["fallback"]):
        raise KindError("message, fallback and secret are three different arguments")
    if params["key"] not in primitive.KEY_ENCODINGS:
        raise KindError(f"key must be one of {', '.join(primitive.KEY_ENCODINGS)}")


def _fields(params: Params) -> tuple[str, ...]:
    return (params["message"], params["fallback"]) if params["fallback"] else (params["message"],)


def _schema(params: Params, extra: dict[str, bool]) -> dict[str, Any]:
    """``secret``, the identity field(s) and ``extra`` (name -> required), all strings, nothing else."""
    names = ["secret", *_fields(params), *extra]
    required = ["secret"] + ([] if params["fallback"] else [params["message"]])
    required += [name for name, needed in extra.items() if needed]
    return {
        "type": "object",
        "required": required,
        "properties": {name: {"type": "string"} for name in names},
        "additionalProperties": False,
    }


def storable(text: str) -> str:
    """``text`` with an ``x`` between a lone high and a lone low surrogate: JSON would join them into one astral
    character, so such text cannot cross to node (or live in a vector file) as itself. Raises ``InvalidArgument``
    for what is not a ``str``."""
    return _JOINED_PAIR.sub(r"\1x", require_str(text, "text"))


# --- campaign inputs ---------------------------------------------------------------------------------------------


def _email(rnd: random.Random) -> str:
    pick = rnd.random()
    if pick < 0.45:
        local, domain = m.ascii_text(rnd, 1, 12), m.ascii_text(rnd, 1, 10)
        email = f"{local}@{domain}.com"
        return m.one_of(rnd, (email, email.upper(), email.capitalize(), email + "\n", " " + email))
    if pick < 0.85:
        return storable(m.tricky_text(rnd, 30))
    return m.one_of(rnd, ("", "Foo@Bar.com", "f\u00f6\u00f6@b\u00e4r.de", "fo\u0308o@bar.com", "user@xn--bcher-kva.de"))


def _identity(rnd: random.Random, name: str) -> str:
    if "mail" in name.lower():
        return _email(rnd)
    pick = rnd.random()
    if pick < 0.4:
        return str(m.between(rnd, 0, 10**12))
    if pick < 0.6:
        return m.ascii_text(rnd, 0, 36)
    return _email(rnd) if pick < 0.75 else storable(m.tricky_text(rnd, 24))


def _secret(rnd: random.Random, key: str) -> str:
    pick = rnd.random()
    if key == "hex":
        if pick < 0.85:
            digits = rnd.randbytes(m.one_of(rnd, (0, 1, 16, 32, 64, 65, 100))).hex()
            return digits.upper() if rnd.random() < 0.2 else digits
        return storable(m.one_of(rnd, ("abc", "zz", "0x00", " 00", m.tricky_text(rnd, 12))))
    if pick < 0.6:
        secret = m.ascii_text(rnd, 1, 70)
        return secret + "\n" if rnd.random() < 0.1 else secret
    if pick < 0.95:
        return storable(m.tricky_text(rnd, 40))
    return ""


def _identity_args(rnd: random.Random, params: Params) -> dict[str, Any]:
    args: dict[str, Any] = {"secret": _secret(rnd, params["key"])}
    message, fallback = params["message"], params["fallback"]
    if not fallback:
        args[message] = _identity(rnd, message)
        return args
    pick = rnd.random()
    if pick < 0.85:
        args[message] = _identity(rnd, message)
    if pick < 0.4 or (pick >= 0.85 and rnd.random() < 0.9):
        args[fallback] = _identity(rnd, fallback)
    return args


def _honest_hash(args: Args, params: Params) -> str | None:
    try:
        return primitive.sign(args, field=params["message"], fallback=params["fallback"] or None, key=params["key"])
    except ConformanceError:  # a case whose fields have no hash gets a random one
        return None


def _presented(rnd: random.Random, args: dict[str, Any], params: Params) -> str | None:  # noqa: PLR0911
    """The hash a campaign presents: the honest one, often edited as integrators and attackers edit it."""
    honest = _honest_hash(args, params) or rnd.randbytes(32).hex()
    pick = rnd.random()
    if pick < 0.25:
        return honest
    if pick < 0.35:
        return honest.upper()
    if pick < 0.4:
        return honest[:10] + honest[10:].upper()
    if pick < 0.47:
        return honest[: m.below(rnd, 64)]
    if pick < 0.54:
        space = m.one_of(rnd, m.WHITESPACE)
        return space + honest if rnd.random() < 0.5 else honest + space
    if pick < 0.62:
        i = m.below(rnd, 64)
        return honest[:i] + m.one_of(rnd, "0123456789abcdefABCDEF") + honest[i + 1 :]
    if pick < 0.7:
        other = {**args, "secret": str(args.get("secret", "")) + "x"}
        return _honest_hash(other, params) or honest
    if pick < 0.75:
        return ""
    if pick < 0.8:
        return None
    if pick < 0.88:
        return storable(m.tricky_text(rnd, 70))
    return rnd.randbytes(32).hex()


def _smaller(args: Args) -> Iterator[dict[str, Any]]:
    """Candidates with one argument dropped (when the schema allows it), halved, emptied or made ASCII."""
    for name, value in args.items():
        if not isinstance(value, str):
            continue
        if name != "secret":
            yield {k: v for k, v in args.items() if k != name}
        for smaller in ("", value[: len(value) // 2], value[len(value) // 2 :], value[1:], value[:-1]):
            if smaller != value:
                yield {**args, name: smaller}
        for i, char in enumerate(value):
            if char != "a":
                yield {**args, name: value[:i] + "a" + value[i + 1 :]}


def _reducer(schema: dict[str, Any]) -> Reducer:
    required = set(schema["required"])

    def reduce(args: Args) -> Iterator[dict[str, Any]]:
        for candidate in _smaller(args):
            if required <= set(candidate):
                yield candidate

    return reduce


# --- inspect's mistakes ------------------------------------------------------------------------------------------


def _swapped(params: Params) -> Mistake:
    def attempt(args: Args) -> dict[str, Any] | None:
        field = next((f for f in _fields(params) if f in args), None)
        if field is None:
            return None
        return {**args, "secret": args[field], field: args["secret"]}

    return Mistake("SwappedKeyMessage", attempt, "HMAC(key = the secret, message = the identity): swap them back.")


def _trailing_newline(_params: Params) -> Mistake:
    """One side keyed with the newline the secret was read with: the signer (add it to the secret given), or the
    secret given was read with it and the signer stripped it (remove it)."""

    def attempt(args: Args) -> dict[str, Any] | None:
        secret = args.get("secret")
        if not isinstance(secret, str):
            return None
        return {**args, "secret": secret[:-1] if secret.endswith("\n") else secret + "\n"}

    return Mistake("SecretTrailingNewline", attempt, "Strip the newline the secret was read with (file, env var).")


def _hex_decoded(params: Params) -> Mistake:
    """The secret's hex was decoded where its text is the key (or the text used where the hex is meant)."""

    def attempt(args: Args) -> dict[str, Any] | None:
        secret = args.get("secret")
        if not isinstance(secret, str):
            return None
        if params["key"] == "text":
            if re.fullmatch(r"(?:[0-9a-fA-F]{2})+", secret) is None:
                return None
            try:
                return {**args, "secret": bytes.fromhex(secret).decode("utf-8")}
            except UnicodeDecodeError:
                return None
        return {**args, "secret": secret.encode("utf-8", "surrogatepass").hex()}

    fix = "Use the secret exactly as the vendor's snippet does: " + (
        "its text, not the bytes its hex spells." if params["key"] == "text" else "the bytes its hex spells."
    )
    return Mistake(
        "SecretHexVsText", attempt, fix, extra={"params": {"key": "hex" if params["key"] == "text" else "text"}}
    )


def _wrong_field(params: Params) -> Mistake | None:
    if not params["fallback"]:
        return None
    message, fallback = params["message"], params["fallback"]

    def attempt(args: Args) -> dict[str, Any] | None:
        if message not in args or fallback not in args:
            return None
        return {k: v for k, v in args.items() if k != message}

    fix = f"When {message} is sent, the hash is over {message}, not {fallback}."
    return Mistake("WrongField", attempt, fix)


def _other_normal_form(text: str) -> str | None:
    for form in ("NFC", "NFD"):
        other = unicodedata.normalize(form, text)
        if other != text:
            return other
    return None


def _raw_digest_hex(text: str) -> str | None:
    """The hex of a Base64 text that decodes to 32 bytes (a raw SHA-256 digest), else ``None``."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw.hex() if len(raw) == 32 else None


def _on_hash(params: Params, flag: str, change: Callable[[str], str | None], fix: str) -> Mistake:
    """A mistake in the presented hash: the verifier accepts ``change(hash)`` (``None``: it does not apply)."""
    presented = params["presented"]

    def attempt(args: Args) -> dict[str, Any] | None:
        value = args.get(presented)
        changed = change(value) if isinstance(value, str) else None
        return {**args, presented: changed} if changed is not None and changed != value else None

    return Mistake(flag, attempt, fix)


def _on_identity(params: Params, flag: str, change: Callable[[str], str | None], fix: str) -> Mistake:
    """A mistake in the identity hashed: the hash was made over ``change(identity)``, not the identity sent."""

    def attempt(args: Args) -> dict[str, Any] | None:
        field = next((f for f in _fields(params) if isinstance(args.get(f), str)), None)
        changed = change(args[field]) if field is not None else None
        return (
            {**args, field: changed} if field is not None and changed is not None and changed != args[field] else None
        )

    return Mistake(flag, attempt, fix)


def _presented_mistakes(params: Params) -> list[Mistake]:
    """What inspect tries on a refused hash: its spelling (case, whitespace, Base64) and the identity it was made
    over (case, whitespace, Unicode normal form)."""
    found = [
        _on_hash(params, "HashWhitespace", str.strip, "Strip the whitespace or newline around the hash."),
        _on_hash(params, "RawDigestBase64", _raw_digest_hex, "Send the hex digest, not the Base64 of the raw one."),
        _on_identity(params, "CaseVariantEmail", str.lower,
                     "Hash the identity exactly as it is sent (or normalize its case in both places)."),
        _on_identity(params, "Whitespace", str.strip,
                     "Hash the identity exactly as it is sent: trim it before hashing and sending, or in neither."),
        _on_identity(params, "UnicodeNormalization", _other_normal_form,
                     "Normalize the identity to one form (NFC) where it is hashed and where it is sent."),
    ]  # fmt: skip
    if params["accept"] != "either-case":
        found.insert(
            0, _on_hash(params, "UppercaseHex", str.lower, "Send the hex digest in lowercase, as hexdigest() emits it.")
        )
    return found


def _mistakes(params: Params, *, consumer: bool) -> tuple[Mistake, ...]:
    made = [_swapped(params), _trailing_newline(params), _hex_decoded(params), _wrong_field(params)]
    confirm = "accepted" if consumer else "equals"
    found = [Mistake(x.flag, x.attempt, x.fix, confirm, x.extra) for x in made if x is not None]
    return tuple(found + _presented_mistakes(params)) if consumer else tuple(found)


# --- the kinds -----------------------------------------------------------------------------------------------------


@register
class HmacHexSign(Kind):
    """``HMAC-SHA256(secret, field)`` as 64 hex digits: what the brand's server computes."""

    name = "hmac_hex.sign"
    role = "produces"
    result = "text"
    parameters: ClassVar[dict[str, str]] = {**_SHARED, "hexCase": "the case of the hex emitted: lower or upper"}
    defaults: ClassVar[dict[str, Any]] = {"fallback": "", "key": "text", "hexCase": "lower"}

    def check_params(self, params: Params) -> None:
        self.require_params(params)
        _check_shared(params)
        if params["hexCase"] not in primitive.HEX_CASES:
            raise KindError(f"hexCase must be one of {', '.join(primitive.HEX_CASES)}")

    def schema(self, params: Params) -> dict[str, Any]:
        params = self.checked(params)
        return _schema(params, {})

    def output_schema(self, params: Params) -> dict[str, Any]:
        params = self.checked(params)
        return {"type": "string", "pattern": "^[0-9a-f]{64}$" if params["hexCase"] == "lower" else "^[0-9A-F]{64}$"}

    def python(self, params: Params) -> OpFunction:
        params = self.checked(params)
        field, fallback, key, case = params["message"], params["fallback"] or None, params["key"], params["hexCase"]
        return lambda args: primitive.sign(args, field=field, fallback=fallback, key=key, hex_case=case)

    def generator(self, params: Params) -> Generator:
        params = self.checked(params)
        return lambda rnd: _identity_args(rnd, params)

    def reducer(self, params: Params) -> Reducer:
        params = self.checked(params)
        return _reducer(self.schema(params))

    def mistakes(self, params: Params) -> tuple[Mistake, ...]:
        params = self.checked(params)
        return _mistakes(params, consumer=False)


@register
class HmacHexVerify(Kind):
    """Whether a presented hash is the identity's: the vendor's check, as its documentation describes it."""

    name = "hmac_hex.verify"
    role = "consumes"
    result = "boolean"
    parameters: ClassVar[dict[str, str]] = {
        **_SHARED,
        "presented": "the argument holding the hash to check (userHash, signature, identifierHash, hash)",
        "accept": "the hex spelling accepted: lower, upper or either-case",
        "unsigned": "a missing or empty hash: refuse, or accept it as an unverified identity",
    }
    defaults: ClassVar[dict[str, Any]] = {
        "fallback": "",
        "key": "text",
        "presented": "hash",
        "accept": "lower",
        "unsigned": "refuse",
    }

    def check_params(self, params: Params) -> None:
        self.require_params(params)
        _check_shared(params)
        if not isinstance(params["presented"], str):
            raise KindError("presented names an argument")
        if params["presented"] in ("secret", *_fields(params)):
            raise KindError("presented names its own argument")
        if params["accept"] not in primitive.ACCEPTS:
            raise KindError(f"accept must be one of {', '.join(primitive.ACCEPTS)}")
        if params["unsigned"] not in ("refuse", "accept"):
            raise KindError("unsigned must be refuse or accept")

    def schema(self, params: Params) -> dict[str, Any]:
        params = self.checked(params)
        return _schema(params, {params["presented"]: params["unsigned"] == "refuse"})

    def python(self, params: Params) -> OpFunction:
        params = self.checked(params)
        options = {
            "field": params["message"],
            "fallback": params["fallback"] or None,
            "presented": params["presented"],
            "key": params["key"],
            "accept": params["accept"],
            "unsigned": params["unsigned"],
        }
        return lambda args: primitive.verify(args, **options)

    def decisions(self, params: Params, value: Any) -> tuple[bool, ...]:
        self.require_params(params)
        return (value is True,)

    def generator(self, params: Params) -> Generator:
        params = self.checked(params)
        required = params["unsigned"] == "refuse"

        def make(rnd: random.Random) -> dict[str, Any]:
            args = _identity_args(rnd, params)
            presented = _presented(rnd, args, params)
            if presented is not None:
                args[params["presented"]] = presented
            elif required:
                args[params["presented"]] = ""
            return args

        return make

    def reducer(self, params: Params) -> Reducer:
        params = self.checked(params)
        return _reducer(self.schema(params))

    def probes(self, params: Params) -> ProbeSet:
        params = self.checked(params)
        return probe_set(params)

    def mistakes(self, params: Params) -> tuple[Mistake, ...]:
        params = self.checked(params)
        return _mistakes(params, consumer=True)


# --- adapter probes ------------------------------------------------------------------------------------------------

_PROBE_META = {
    "forged-hash": (
        "Accepts a hash that no secret made (64 random hex digits)",
        "critical",
        "CWE-345",
        "Anyone can claim any identity: the hash is not checked at all.",
        "Recompute HMAC-SHA256(secret, identity) on the server and compare it in constant time.",
    ),
    "other-identity": (
        "Accepts one identity's hash for another identity",
        "critical",
        "CWE-639",
        "A user presents their own valid hash with a victim's identity and is taken for the victim.",
        "Recompute the hash over the identity presented, never over a value from elsewhere.",
    ),
    "other-secret": (
        "Accepts a hash made with another secret (another app, platform or workspace)",
        "high",
        "CWE-345",
        "A hash minted for another secret (a test workspace, another platform) is taken for this one.",
        "Compute the expected hash with this verifier's own secret.",
    ),
    "truncated-hash": (
        "Accepts a prefix of the hash",
        "high",
        "CWE-1023",
        "A comparison that stops at the shorter input lets 32 or fewer guessed hex digits pass.",
        "Compare the whole 64-digit value (hmac.compare_digest, hash_equals, OpenSSL.secure_compare).",
    ),
    "empty-hash": (
        "Accepts an empty hash",
        "critical",
        "CWE-287",
        "An empty value should mean 'not verified', never 'verified'.",
        "Refuse a missing or empty hash wherever verification is required.",
    ),
    "missing-hash": (
        "Accepts an identity without any hash",
        "critical",
        "CWE-306",
        "Identity verification is off: any visitor can claim any identity.",
        "Require the hash (Chatwoot: hmac_mandatory; Intercom: enforce identity verification).",
    ),
    "other-field": (
        "Accepts the hash of the fallback field while the primary field is present",
        "medium",
        "CWE-345",
        "A hash over the email authenticates a request that also names a user id the email does not own.",
        "Hash the field the vendor's rule picks (Intercom: user_id whenever it is sent).",
    ),
}


def probe_set(params: Params) -> ProbeSet:
    """The genuine input of a verifier with ``params`` and the attacks it must refuse (TEST secret only). Raises
    :class:`KindError` for params the kind refuses."""
    params = HmacHexVerify().checked(params)
    message, fallback, presented = params["message"], params["fallback"], params["presented"]
    secret = PROBE_SECRET.encode().hex() if params["key"] == "hex" else PROBE_SECRET
    identity = {"secret": secret, message: PROBE_IDENTITY}
    if fallback:
        identity[fallback] = "fallback-" + PROBE_IDENTITY

    def hashed(args: Args) -> str:
        return primitive.sign(args, field=message, fallback=fallback or None, key=params["key"])

    honest = hashed(identity)
    if params["accept"] == "upper":
        honest = honest.upper()
    other_secret = {**identity, "secret": secret + ("00" if params["key"] == "hex" else "x")}
    attacks = {
        "forged-hash": {**identity, presented: "5e" * 32},
        "other-identity": {**identity, presented: hashed({**identity, message: OTHER_IDENTITY})},
        "other-secret": {**identity, presented: hashed(other_secret)},
        "truncated-hash": {**identity, presented: honest[:32]},
    }
    if params["unsigned"] == "refuse":
        attacks["empty-hash"] = {**identity, presented: ""}
    if fallback:
        over_fallback = {k: v for k, v in identity.items() if k != message}
        attacks["other-field"] = {**identity, presented: hashed(over_fallback)}
    return ProbeSet({**identity, presented: honest}, attacks, {name: _PROBE_META[name] for name in attacks})


__all__ = ["PROBE_SECRET", "HmacHexSign", "HmacHexVerify", "probe_set", "storable"]
