"""The vector families of the ``hmac_hex`` kinds, for any flow whose ops are of those kinds.

A flow's generator gives only its parameters (:class:`Parameters`): the secret per round-trip variant (Intercom:
one per platform), the reference that answers each variant's group, the documents' own examples and the notes of
its vendor-specific flags. Everything else is read from the catalog: the sign and verify ops of each variant come
from the flow's round trips, a verifier outside them (Chatwoot's ``set_user``) joins the variant whose consumer
shares its name's prefix, and the fields MACed come from each op's params. No op name is written here.

Every expected output, and every hash a verify case presents, is what the variant's reference answered (through
the contract); every other reference of the flow is asked the same calls and must agree, or generation stops.
"""

from __future__ import annotations

import base64
import random
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from conformance import catalog
from conformance.catalog.model import Flow, Op
from conformance.catalog.round_trips import signer_of
from conformance.errors import ConformanceError
from conformance.judge import same
from conformance.kinds.hmac_hex import storable
from conformance.spec import built
from conformance.vectorgen import VectorFileBuilder

#: The notes of the kind's flags; a flow adds its own (:attr:`Parameters.notes`).
NOTES: dict[str, dict[str, str]] = {
    "DocumentExample": {"bugType": "BASIC", "description": "An example from the vendor's own documentation."},
    "Normal": {"bugType": "BASIC", "description": "An ordinary identity and secret."},
    "FallbackField": {
        "bugType": "FUNCTIONALITY",
        "description": "Only the fallback field is sent (Intercom: the email, when there is no user_id): it is MACed.",
    },
    "WrongField": {
        "bugType": "MAC_BYPASS",
        "description": "Both fields are present: the hash is over the primary field (Intercom: user_id takes"
        " preference). A hash over the fallback field (the email) must not verify a request that names a user id.",
        "effect": "Integrators who hash the email while also sending user_id are refused; a verifier that accepts"
        " it lets an email's hash authenticate any user id.",
    },
    "MissingIdentity": {
        "bugType": "MALFORMED",
        "description": "Neither identity field is present: there is nothing to MAC (MissingIdentity).",
    },
    "EmptyIdentity": {"bugType": "EDGE_CASE", "description": "An empty identity is a value: HMAC of no bytes."},
    "NumericUserId": {
        "bugType": "FUNCTIONALITY",
        "description": "A numeric user id is MACed as its decimal text, as the snippets' to_s / String() do.",
    },
    "CaseVariantEmail": {
        "bugType": "FUNCTIONALITY",
        "description": "HMAC does not normalize case: Foo@Bar.com and foo@bar.com give different hashes.",
    },
    "Whitespace": {
        "bugType": "FUNCTIONALITY",
        "description": "A trailing newline, space or NBSP in the identity is MACed as is.",
    },
    "UnicodeEmail": {"bugType": "ENCODING", "description": "A non-ASCII identity is MACed as its UTF-8 bytes."},
    "UnicodeNormalization": {
        "bugType": "ENCODING",
        "description": "NFC and NFD spellings of one visible identity are different bytes, different hashes.",
    },
    "IdnEmail": {
        "bugType": "ENCODING",
        "description": "An internationalized domain as U-label and as A-label (xn--) gives different hashes.",
    },
    "AstralCharacters": {"bugType": "ENCODING", "description": "Characters outside the BMP: 4-byte UTF-8."},
    "SecretTrailingNewline": {
        "bugType": "FUNCTIONALITY",
        "description": "A secret read from a file or an environment variable with its trailing newline is another"
        " key: its hashes do not verify.",
    },
    "SecretHexVsText": {
        "bugType": "FUNCTIONALITY",
        "description": "A secret that looks like hex is the key as text (its UTF-8 bytes), as every snippet uses it;"
        " the bytes its hex spells are another key.",
    },
    "EmptySecret": {
        "bugType": "WEAKNESS",
        "description": "HMAC accepts an empty key: an unset secret still signs, and anyone can compute its hashes.",
    },
    "BlockSizeSecret": {
        "bugType": "EDGE_CASE",
        "description": "Secrets around the 64-byte HMAC block: longer keys are hashed first, shorter ones padded.",
    },
    "LoneSurrogate": {
        "bugType": "MALFORMED",
        "description": "Text with a lone surrogate has no UTF-8 encoding: UnencodableText in every implementation"
        " (node's createHmac would hash U+FFFD instead: the node reference checks isWellFormed first).",
    },
    "RandomText": {"bugType": "BASIC", "description": "Seeded random identities and secrets."},
    "CorrectHash": {"bugType": "BASIC", "description": "The hash the reference made for this identity verifies."},
    "UppercaseHex": {
        "bugType": "FUNCTIONALITY",
        "description": "The hash in uppercase hex: accepted where the verifier ignores case (Intercom web),"
        " refused where it takes lowercase only (Intercom's iOS and Android SDKs, exact comparisons).",
    },
    "MixedCaseHex": {"bugType": "FUNCTIONALITY", "description": "The hash with some hex digits in uppercase."},
    "HashWhitespace": {
        "bugType": "FUNCTIONALITY",
        "description": "The hash with a trailing newline or surrounding spaces: exact comparisons refuse it.",
    },
    "TruncatedHash": {"bugType": "MAC_BYPASS", "description": "A prefix of the hash must not verify."},
    "ModifiedHash": {"bugType": "MAC_BYPASS", "description": "One hex digit changed."},
    "EmptyHash": {"bugType": "MAC_BYPASS", "description": "An empty hash must not verify."},
    "MissingHash": {
        "bugType": "MAC_BYPASS",
        "description": "No hash at all: where verification is optional (Chatwoot without hmac_mandatory) the"
        " identity is admitted unverified; where it is required the hash argument is mandatory.",
    },
    "NonHexHash": {"bugType": "MALFORMED", "description": "64 characters that are not hex."},
    "WrongSecret": {"bugType": "MAC_BYPASS", "description": "The hash was made with another secret."},
    "WrongPlatformSecret": {
        "bugType": "MAC_BYPASS",
        "description": "The hash was made with another platform's secret (Intercom has one per platform: web,"
        " iOS, Android; Intercom Android issues 358 and 391, intercom_flutter 210 and 13).",
    },
    "OtherIdentity": {"bugType": "MAC_BYPASS", "description": "The hash of another identity."},
    "SwappedKeyMessage": {
        "bugType": "INTEROP",
        "description": "HMAC(key = identity, message = secret): key and message swapped (Chatwoot's earlier Python"
        " sample did so); it does not verify.",
    },
    "RawDigestBase64": {
        "bugType": "INTEROP",
        "description": "The raw digest in Base64 (as older Intercom gists computed it) is not the hex hash.",
    },
}


@dataclass(frozen=True)
class Example:
    """A document's example: the op's arguments (by field role: ``secret``, ``message``, ``fallback``)."""

    comment: str
    secret: str
    message: str | None = None
    fallback: str | None = None
    variants: tuple[str, ...] = ()  # the variants it belongs to (all when empty)


@dataclass(frozen=True)
class Parameters:
    """What a flow of the ``hmac_hex`` kinds gives its generator."""

    flow: str
    secrets: Mapping[str, str]  # round-trip variant -> its TEST secret
    sources: Mapping[str, str]  # round-trip variant -> the registry name of the reference that answers it
    header: tuple[str, ...]
    seed: int
    examples: tuple[Example, ...] = ()
    notes: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    identity: str = "alice@example.com"
    user_id: str = "1024"


@dataclass
class _Variant:
    name: str
    sign: Op
    verifiers: list[Op]
    secret: str


def _variants(flow: Flow, params: Parameters) -> list[_Variant]:
    ops = {op.name: op for op in flow.ops}
    found = {
        trip.producer_op: _Variant(trip.variant, ops[trip.producer_op], [], params.secrets[trip.variant])
        for trip in flow.round_trips
    }
    for op in flow.ops:
        if op.kind == "hmac_hex.verify":
            found[signer_of(flow, op.name)].verifiers.append(op)
    return list(found.values())


def _is_email(name: str) -> bool:
    return "mail" in name.lower()


class _Builder:
    def __init__(self, params: Parameters) -> None:
        self.params = params
        self.flow = catalog.flow(params.flow)
        self.b = VectorFileBuilder(
            params.flow, self.flow.schema_file, {**NOTES, **params.notes}, header=list(params.header)
        )
        self.rnd = random.Random(params.seed)
        self.others = [built(name) for name in self.flow.references]

    def source(self, variant: _Variant) -> dict[str, str]:
        name = self.params.sources[variant.name]
        implementation = built(name)
        return {
            "name": f"{name} (the vendor's documented snippet)",
            "implementation": name,
            **implementation.versions(),
        }

    def agreed(self, reference: str, op: str, args: dict[str, Any]) -> None:
        """Every reference of the flow answers ``op(args)`` as ``reference`` does; raise otherwise."""
        outcomes = {i.name: i.call_many([(op, args)])[0] for i in self.others}
        first = outcomes[reference]
        differ = [name for name, outcome in outcomes.items() if not same(first, outcome)]
        if differ:
            raise ConformanceError(f"{op}: {', '.join(differ)} disagree with {reference} on a vector")

    def add(
        self, variant: _Variant, group: dict[str, Any], comment: str, flags: list[str], args: dict[str, Any]
    ) -> None:
        reference = self.params.sources[variant.name]
        self.agreed(reference, group["op"], args)
        self.b.add(group, built(reference), comment, flags, args)

    def made(self, variant: _Variant, args: dict[str, Any]) -> str:
        """The hash the variant's reference makes for ``args`` (its sign op)."""
        (outcome,) = built(self.params.sources[variant.name]).call_many([(variant.sign.name, args)])
        if outcome.status != "value":
            raise ConformanceError(f"the reference made no hash: {outcome.describe()}")
        return str(outcome.value)


def _fields(op: Op) -> tuple[str, str]:
    return op.params["message"], op.params["fallback"]


def _email_field(op: Op) -> str:
    message, fallback = _fields(op)
    return fallback if fallback and _is_email(fallback) and not _is_email(message) else message


def _random_text(rnd: random.Random, length: int) -> str:
    pools = [(0x21, 0x7F), (0xA0, 0x800), (0x800, 0xD800), (0xE000, 0x10000), (0x10000, 0x110000)]
    return "".join(chr(rnd.randrange(*rnd.choice(pools))) for _ in range(length))


def _sign_group(f: _Builder, v: _Variant) -> None:
    op, secret, p = v.sign, v.secret, f.params
    message, fallback = _fields(op)
    email = _email_field(op)
    g = f.b.group(op.name, f.source(v), f"{op.summary}: HMAC-SHA256(secret, {message}) as hex")

    def add(comment: str, flags: list[str], **fields: str) -> None:
        f.add(v, g, comment, flags, {"secret": fields.pop("secret", secret), **fields})

    for example in p.examples:
        if not example.variants or v.name in example.variants:
            fields = {message: example.message} if example.message is not None else {}
            if example.fallback is not None and fallback:
                fields[fallback] = example.fallback
            f.add(v, g, example.comment, ["DocumentExample"], {"secret": example.secret, **fields})
    primary = p.identity if _is_email(message) else p.user_id
    add("an ordinary identity", ["Normal"], **{message: primary})
    if fallback:
        add(f"only {fallback}", ["FallbackField"], **{fallback: p.identity})
        add(f"{message} and {fallback}: {message} is MACed", ["WrongField"], **{message: primary, fallback: p.identity})
        f.add(v, g, "no identity field", ["MissingIdentity"], {"secret": secret})
    add(f"empty {message}", ["EmptyIdentity"], **{message: ""})
    if not _is_email(message):
        for user_id in ("0", "42", "007", "18446744073709551616", "-1", "1e3"):
            add(f"user id {user_id}", ["NumericUserId"], **{message: user_id})
    for variant in ("Foo@Bar.com", "FOO@BAR.COM", "foo@Bar.com", "foo@bar.com"):
        add(f"case variant {variant}", ["CaseVariantEmail"], **{email: variant})
    for label, text in (
        ("trailing LF", "foo@bar.com\n"),
        ("leading space", " foo@bar.com"),
        ("NBSP", "foo@bar.com\u00a0"),
    ):
        add(label, ["Whitespace"], **{email: text})
    nfc = unicodedata.normalize("NFC", "jos\u00e9@example.com")
    add("é precomposed (NFC)", ["UnicodeEmail", "UnicodeNormalization"], **{email: nfc})
    add(
        "e + combining acute (NFD)",
        ["UnicodeEmail", "UnicodeNormalization"],
        **{email: unicodedata.normalize("NFD", nfc)},
    )
    add("IDN U-label", ["IdnEmail", "UnicodeEmail"], **{email: "user@b\u00fccher.de"})
    add("IDN A-label", ["IdnEmail"], **{email: "user@xn--bcher-kva.de"})
    add("German sharp s", ["UnicodeEmail"], **{email: "stra\u00dfe@example.de"})
    add("astral identity", ["AstralCharacters", "UnicodeEmail"], **{email: "\U0001f600@\U0001d54f.com"})
    add("secret with trailing LF", ["SecretTrailingNewline"], secret=secret + "\n", **{message: primary})
    add("secret with trailing CRLF", ["SecretTrailingNewline"], secret=secret + "\r\n", **{message: primary})
    hex_secret = secret.encode("utf-8").hex()
    add("a secret of hex digits, used as text", ["SecretHexVsText"], secret=hex_secret, **{message: primary})
    add("the same digits in uppercase", ["SecretHexVsText"], secret=hex_secret.upper(), **{message: primary})
    add("empty secret", ["EmptySecret"], secret="", **{message: primary})
    for n in (63, 64, 65, 100):
        add(f"{n}-byte secret", ["BlockSizeSecret"], secret="s" * n, **{message: primary})
    add("astral secret", ["AstralCharacters"], secret="\U0001f511" * 3, **{message: primary})
    add("lone surrogate in the identity", ["LoneSurrogate"], **{message: "\ud800" + primary})
    add("lone surrogate in the secret", ["LoneSurrogate"], secret="se\udc00cret", **{message: primary})
    for i in range(8):
        fields = {message: storable(_random_text(f.rnd, f.rnd.randrange(0, 24)))}
        add(f"random text {i}", ["RandomText"], secret=storable(_random_text(f.rnd, f.rnd.randrange(1, 40))), **fields)


def _verify_group(f: _Builder, v: _Variant, op: Op, variants: list[_Variant]) -> None:
    p, secret = f.params, v.secret
    message, fallback = _fields(op)
    presented = op.params["presented"]
    accept, unsigned = op.params["accept"], op.params["unsigned"]
    rule = {"lower": "lowercase hex only", "upper": "uppercase hex only", "either-case": "either hex case"}[accept]
    g = f.b.group(op.name, f.source(v), f"{op.summary}: {rule}; a missing hash is {unsigned}d")
    primary = p.identity if _is_email(message) else p.user_id
    identities = [{message: primary}, {message: "Jos\u00e9@b\u00fccher.de"}]
    if fallback:
        identities.append({message: primary, fallback: p.identity})
    for fields in identities:
        base = {"secret": secret, **fields}
        honest = f.made(v, base)

        def add(comment: str, flags: list[str], hash_value: str | None, args: dict[str, Any] = base) -> None:
            call = dict(args)
            if hash_value is not None:
                call[presented] = hash_value
            f.add(v, g, comment, flags, call)

        add("the reference's hash", ["CorrectHash"], honest)
        add("in uppercase", ["UppercaseHex"], honest.upper())
        add("mixed case", ["MixedCaseHex"], honest[:32] + honest[32:].upper())
        add("trailing LF", ["HashWhitespace"], honest + "\n")
        add("surrounding spaces", ["HashWhitespace"], f" {honest} ")
        add("63 digits", ["TruncatedHash"], honest[:-1])
        add("32 digits", ["TruncatedHash"], honest[:32])
        add("one digit changed", ["ModifiedHash"], honest[:10] + format(int(honest[10], 16) ^ 1, "x") + honest[11:])
        add("empty", ["EmptyHash"], "")
        if unsigned == "accept":  # where the hash is required, its absence is a schema error, not a vector
            add("no hash", ["MissingHash"], None)
        add("64 'z'", ["NonHexHash"], "z" * 64)
        add("another secret's hash", ["WrongSecret"], f.made(v, {**base, "secret": secret + "x"}))
        add("the secret's trailing newline", ["SecretTrailingNewline"], f.made(v, {**base, "secret": secret + "\n"}))
        other = {**base, message: "mallory@example.com" if _is_email(message) else "1025"}
        add("another identity's hash", ["OtherIdentity"], f.made(v, other))
        swapped = {"secret": fields[message], message: secret}
        add("key and message swapped", ["SwappedKeyMessage"], f.made(v, swapped))
        add("raw digest in Base64", ["RawDigestBase64"], base64.b64encode(bytes.fromhex(honest)).decode("ascii"))
        for other_variant in variants:
            if other_variant is not v and other_variant.secret != secret:
                made = f.made(v, {**base, "secret": other_variant.secret})
                add(f"made with the {other_variant.name} secret", ["WrongPlatformSecret"], made)
        if fallback and fallback in fields:
            over_fallback = {"secret": secret, fallback: fields[fallback]}
            add(f"the hash of {fallback} while {message} is sent", ["WrongField"], f.made(v, over_fallback))
    hex_secret = secret.encode("utf-8").hex()
    text_key = {"secret": hex_secret, message: primary}
    decoded = {"secret": secret, message: primary}  # the bytes hex_secret spells are secret's UTF-8
    add_args = {**text_key, presented: f.made(v, decoded)}
    f.add(v, g, "a hex-text secret's hash made with its hex-decoded bytes", ["SecretHexVsText"], add_args)
    lone = {"secret": secret, message: primary, presented: "\ud800" + "0" * 63}
    f.add(v, g, "lone surrogate in the hash", ["LoneSurrogate"], lone)
    case_key = {
        "secret": secret,
        message: "Foo@Bar.com",
        presented: f.made(v, {"secret": secret, message: "foo@bar.com"}),
    }
    f.add(v, g, "the hash of foo@bar.com for Foo@Bar.com", ["CaseVariantEmail", "OtherIdentity"], case_key)


def build(params: Parameters) -> VectorFileBuilder:
    """The flow's vector file, every output asked from its references."""
    f = _Builder(params)
    variants = _variants(f.flow, params)
    for variant in variants:
        _sign_group(f, variant)
    for variant in variants:
        for op in variant.verifiers:
            _verify_group(f, variant, op, variants)
    return f.b


__all__ = ["NOTES", "Example", "Parameters", "build"]
