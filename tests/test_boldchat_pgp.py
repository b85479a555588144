"""BoldChat PGP SecureParameters: Python against BouncyCastle 1.50, BouncyCastle current and GnuPG, both directions,
every rejection with its typed error, no key material in errors or logs; keys certified with SHA-1 (issue 12), the
signature hash policies, and the public API boundary of :mod:`conformance.openpgp`."""

from __future__ import annotations

import ast
import logging
import re
import time
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance import catalog, errors, openpgp, registry
from conformance.contract import Implementation
from conformance.judge import same
from conformance.openpgp import HashAlgorithm, Tag
from conformance.outcome import Outcome
from conformance.paths import REPO_ROOT
from conformance.references import gnupg
from conformance.testkeys import pgp_key_sets
from conformance.testkeys import pgp_test_keys as fixture_keys
from conformance.vendors import boldchat_pgp as pgp
from tests.conftest import require
from vectors.generators import boldchat_pgp as generator

KEYS = fixture_keys()
PARAMS = generator.PARAMS[0][1]
REFERENCES = catalog.flow("boldchat_pgp").references
PY = registry.shared("python")
KEY_SETS = pgp_key_sets()
SHA1_KEY_SETS = generator.SHA1_KEY_SETS


def _reference(name: str) -> Implementation:
    """The reference, through the implementation contract; skips (fails in CI) when it is absent."""
    require(name)
    return registry.shared(name)


def call(implementation: Implementation, op: str, args: dict[str, object]) -> Outcome:
    return implementation.call_many([(op, args)])[0]


def _seal_args(params: str, compression: str = "default", signer: str = "brand.sec", server: str = "server.pub"):
    return {
        "params": params,
        "serverPublicKey": KEYS[server],
        "signingPrivateKey": KEYS[signer],
        "compression": compression,
    }


def _open_args(message: str, signer: str = "brand.pub", server: str = "server.sec"):
    return {"message": message, "serverPrivateKey": KEYS[server], "signerPublicKey": KEYS[signer]}


def _python_open(message: str, **kw: str) -> str:
    return pgp.open_secure_parameters_pgp(
        message,
        server_private_key=KEYS[kw.get("server", "server.sec")],
        signer_public_key=KEYS[kw.get("signer", "brand.pub")],
    )


# --- Python alone ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("compression", pgp.COMPRESSIONS)
def test_python_round_trip(compression: str) -> None:
    sealed = pgp.secure_parameters_pgp(
        PARAMS, server_public_key=KEYS["server.pub"], signing_private_key=KEYS["brand.sec"], compression=compression
    )
    assert sealed.startswith("-----BEGIN PGP MESSAGE-----\n")
    assert _python_open(sealed) == PARAMS


def test_mapping_params_are_url_form_encoded() -> None:
    pytest.importorskip("conformance.vendors.boldchat")
    sealed = pgp.secure_parameters_pgp(
        {"VisitName": "Robert Smith", "VisitEmail": "r.smith@gmail.com"},
        server_public_key=KEYS["server.pub"],
        signing_private_key=KEYS["brand.sec"],
    )
    assert _python_open(sealed) == PARAMS


def test_each_seal_is_fresh() -> None:
    first, second = (
        pgp.secure_parameters_pgp(PARAMS, server_public_key=KEYS["server.pub"], signing_private_key=KEYS["brand.sec"])
        for _ in range(2)
    )
    assert first != second


# --- differential: the references' messages open in Python, Python's open in the references ----------------------


@pytest.mark.parametrize("compression", pgp.COMPRESSIONS)
@pytest.mark.parametrize("reference", REFERENCES)
def test_reference_message_opens_in_python(reference: str, compression: str) -> None:
    ops = _reference(reference)
    sealed = call(ops, "boldchat.pgp.seal", _seal_args(PARAMS, compression))
    assert sealed.status == "value", sealed.describe()
    assert _python_open(sealed.value) == PARAMS


@pytest.mark.parametrize("compression", pgp.COMPRESSIONS)
@pytest.mark.parametrize("reference", REFERENCES)
def test_python_message_opens_in_reference(reference: str, compression: str) -> None:
    ops = _reference(reference)
    sealed = call(PY, "boldchat.pgp.seal", _seal_args(PARAMS, compression))
    opened = call(ops, "boldchat.pgp.open", _open_args(sealed.value))
    assert opened.record() == {"status": "value", "value": PARAMS}, opened.describe()


#: Parameter text as a brand might pass it: anything, not only URL-form encoded ASCII.
PARAM_TEXT = st.text(max_size=200)


@pytest.mark.parametrize("reference", REFERENCES)
def test_random_params_both_directions(reference: str) -> None:
    ops = _reference(reference)

    @settings(max_examples=12, deadline=None, database=None)
    @given(params=PARAM_TEXT, compression=st.sampled_from(pgp.COMPRESSIONS))
    def check(params: str, compression: str) -> None:
        ours = call(PY, "boldchat.pgp.seal", _seal_args(params, compression))
        theirs = call(ops, "boldchat.pgp.seal", _seal_args(params, compression))
        assert theirs.status == "value", theirs.describe()
        assert call(ops, "boldchat.pgp.open", _open_args(ours.value)).record() == {"status": "value", "value": params}
        assert _python_open(theirs.value) == params

    check()


# --- rejections: one typed error per case, the same reason from every implementation ------------------------------


def _committed(kind: str, producer: str = "gnupg") -> str:
    return next(
        m["message"]
        for m in generator.load_messages()["messages"]
        if m["kind"] == kind and m["producer"] in (producer, "python-crafted")
    )


def _valid() -> str:
    return _committed("valid")


REJECTIONS = {
    "unsigned": (lambda: (_committed("unsigned"), {}), errors.PgpUnsigned),
    "signed by another key": (lambda: (_committed("wrong-signer"), {}), errors.PgpWrongSigner),
    "opened with another signer key": (lambda: (_valid(), {"signer": "other.pub"}), errors.PgpWrongSigner),
    "tampered: bit flipped in the middle": (lambda: (generator._flip(_valid(), 0.5), {}), errors.PgpIntegrityError),
    "tampered: MDC bit flipped": (lambda: (generator._flip(_valid(), 1.0), {}), errors.PgpIntegrityError),
    "tampered: truncated": (lambda: (generator._truncate(_valid(), 5), {}), errors.PgpIntegrityError),
    "no MDC": (lambda: (_committed("no-mdc"), {}), errors.PgpNoIntegrityProtection),
    "bad signature": (lambda: (_committed("bad-signature"), {}), errors.PgpBadSignature),
    "not encrypted": (lambda: (_committed("not-encrypted"), {}), errors.PgpNotEncrypted),
    "wrong recipient": (lambda: (_committed("wrong-recipient"), {}), errors.PgpWrongRecipient),
    "garbage text": (lambda: ("VisitName=Robert%20Smith", {}), errors.PgpMalformed),
    "garbage in armor": (lambda: (openpgp.armor(bytes(range(40))), {}), errors.PgpMalformed),
    "the document's sample (BoldChat's real key)": (
        lambda: (generator.DOCUMENT_SAMPLE, {}),
        errors.PgpWrongRecipient,
    ),
}


@pytest.mark.parametrize("case", sorted(REJECTIONS))
def test_python_rejects_with_a_typed_error(case: str) -> None:
    make, expected = REJECTIONS[case]
    message, keys = make()
    with pytest.raises(expected) as caught:
        _python_open(message, **keys)
    assert type(caught.value) is expected
    assert caught.value.reason_path() == expected.reason


def test_rejection_reasons_are_distinct() -> None:
    reasons = [expected.reason for _, expected in REJECTIONS.values()]
    assert len(set(reasons)) == 8


@pytest.mark.parametrize("reference", REFERENCES)
def test_references_reject_alike(reference: str) -> None:
    ops = _reference(reference)
    mismatches = []
    for case, (make, expected) in sorted(REJECTIONS.items()):
        message, keys = make()
        args = _open_args(message, **{k: v for k, v in keys.items()})
        outcome = call(ops, "boldchat.pgp.open", args)
        if not same(outcome, Outcome.of_error(expected.reason)):
            mismatches.append(f"{case}: {outcome.describe()}")
    assert not mismatches, "\n".join(mismatches)


def _with_comment(armored: str, comment: str) -> str:
    """The same key in other armor text: a comment header after the BEGIN line."""
    begin, rest = armored.split("\n", 1)
    return f"{begin}\nComment: {comment}\n{rest}"


@pytest.mark.parametrize("reference", [name for name in REFERENCES if name.startswith("bc")])
def test_reference_answers_each_key_text_as_a_fresh_parse(reference: str) -> None:
    """The BouncyCastle helper keeps parsed key rings by their armored text: another key, a damaged key and more
    key texts than it keeps (64) are each answered as a first parse would answer them."""
    ops = _reference(reference)
    message = pgp.secure_parameters_pgp(
        PARAMS, server_public_key=KEYS["server.pub"], signing_private_key=KEYS["brand.sec"]
    )
    opened = Outcome.of_value(PARAMS)
    damaged = KEYS["server.sec"].replace("\n\n", "\n\n!!!!", 1)
    answers = [call(ops, "boldchat.pgp.open", _open_args(message))]
    answers.append(call(ops, "boldchat.pgp.open", _open_args(message, server="other.sec")))
    answers.append(call(ops, "boldchat.pgp.open", {**_open_args(message), "serverPrivateKey": damaged}))
    answers.append(call(ops, "boldchat.pgp.open", {**_open_args(message), "serverPrivateKey": damaged}))
    for index in range(70):  # more texts than are kept: the first ones are dropped
        args = _open_args(message)
        args["serverPrivateKey"] = _with_comment(KEYS["other.sec" if index % 2 else "server.sec"], str(index))
        answer = call(ops, "boldchat.pgp.open", args)
        assert same(answer, opened if index % 2 == 0 else Outcome.of_error("PgpWrongRecipient")), (index, answer)
    answers.append(call(ops, "boldchat.pgp.open", _open_args(message)))
    answers.append(call(ops, "boldchat.pgp.open", _open_args(message, server="other.sec")))
    expected = [opened, Outcome.of_error("PgpWrongRecipient"), Outcome.of_error("PgpKey"), Outcome.of_error("PgpKey")]
    expected += [opened, Outcome.of_error("PgpWrongRecipient")]
    assert [same(a, e) for a, e in zip(answers, expected, strict=True)] == [True] * len(expected), [
        a.describe() for a in answers
    ]


def test_bad_armor_checksum_is_ignored_like_bouncycastle_but_gnupg_rejects_it() -> None:
    """A finding (docs/boldchat-pgp-matrix.md): the CRC-24 is checked by GnuPG only."""
    message = generator._bad_crc(_valid())
    assert _python_open(message) == PARAMS
    for name in ("bc150", "bc-current"):
        assert same(call(_reference(name), "boldchat.pgp.open", _open_args(message)), Outcome.of_value(PARAMS))
    assert same(call(_reference("gnupg"), "boldchat.pgp.open", _open_args(message)), Outcome.of_error("PgpMalformed"))


# --- armor and damage read as BouncyCastle reads them (the server side), against both versions live ------------

BEGIN, END = "-----BEGIN PGP MESSAGE-----", "-----END PGP MESSAGE-----"


def _armor_parts() -> tuple[list[str], str]:
    """The Base64 lines and the checksum line of the committed valid message."""
    lines = _valid().partition("\n\n")[2].splitlines()
    return [line for line in lines if line and not line.startswith(("=", "-"))], next(
        line for line in lines if line.startswith("=")
    )


def _armored(begin: str = BEGIN, headers: str = "", lines: list[str] | None = None, crc: str | None = None) -> str:
    body, checksum = _armor_parts()
    crc = checksum if crc is None else crc
    return (
        "\n".join([begin, *([headers] if headers else []), "", *(lines or body), *([crc] if crc else []), END]) + "\n"
    )


def _cut_encrypted_data(keep: int) -> str:
    """The valid message with its encrypted data packet cut to ``keep`` body bytes (its header still promising all)."""
    _, data = openpgp.dearmor(_valid())
    last = openpgp.parse_packets(data)[-1]
    return openpgp.armor(data[: len(data) - len(last.body) + keep])


def _packet_after_the_encrypted_data() -> str:
    _, data = openpgp.dearmor(_valid())
    return openpgp.armor(data + openpgp.encode_packet(Tag.LITERAL, b"b\x00\x00\x00\x00\x00junk"))


#: Each armor behaviour of PGPUtil.getDecoderStream / ArmoredInputStream / the object factory the port follows.
ARMOR_BEHAVIOURS = {
    "Base64 alone, no armor lines (sniffed as headerless armor)": lambda: "\n".join(_armor_parts()[0]) + "\n",
    "a BEGIN line with four dashes": lambda: _armored(begin=BEGIN[:-1]),
    "a BEGIN line naming another block": lambda: _armored(begin="-----BEGIN PGP SIGNATURE-----"),
    "any line starting with a dash begins the armor": lambda: _armored(begin="- anything"),
    "text before the BEGIN line": lambda: "junk\n" + _valid(),
    "text before BEGIN on its line (no dash starts a line)": lambda: "junk" + _valid(),
    "a space before BEGIN": lambda: " " + _valid(),
    "a header line ': B'": lambda: _armored(headers=": B"),
    "a header line without a colon": lambda: _armored(headers="Version BCPG"),
    "no blank line after the headers": lambda: _armored().replace(BEGIN + "\n\n", BEGIN + "\n"),
    "CRLF headers ended by a bare LF": lambda: _armored(headers="Version: x").replace(
        "\nVersion: x\n", "\r\nVersion: x\r\n"
    ),
    "CRLF line ends": lambda: _valid().replace("\n", "\r\n"),
    "no checksum line": lambda: _armored(crc=""),
    "a malformed checksum (never read)": lambda: _armored(crc="=AA"),
    "junk where the checksum goes (never read)": lambda: _armored(crc="@@@@"),
    "junk after END": lambda: _valid() + "junk\n",
    "no END line": lambda: _valid().replace(END + "\n", ""),
    "spaces and tabs inside Base64 lines": lambda: _armored(
        lines=[ln[:8] + " \t" + ln[8:] for ln in _armor_parts()[0]]
    ),
    "a Base64 line a character short": lambda: _armored(lines=[_armor_parts()[0][0][:-1], *_armor_parts()[0][1:]]),
    "U+00A0 starting a Base64 line": lambda: _armored(lines=[_armor_parts()[0][0], "\u00a0" + _armor_parts()[0][1]]),
    "U+00A0 before BEGIN (read as binary: a signature packet)": lambda: "\u00a0" + _valid(),
    "U+2003 before BEGIN (read as binary: an unknown packet)": lambda: "\u2003" + _valid(),
    "a packet after the encrypted data (never read)": _packet_after_the_encrypted_data,
    "encrypted data cut to 30 bytes (the decryption cannot start)": lambda: _cut_encrypted_data(30),
    "encrypted data cut to 100 bytes (the MDC cannot be read)": lambda: _cut_encrypted_data(100),
}
#: Where BouncyCastle 1.50 and 1.86 answer differently; the port answers as 1.86 (DEVIATIONS.md, BoldChat PGP).
VERSION_DIFFERENCES = {
    "a header line without a colon": "1.86 refuses a header line without ':'; 1.50 skips it",
    "a Base64 line a character short": "1.86 refuses the line end inside a group; 1.50 decodes it as 'A'",
    "U+00A0 before BEGIN (read as binary: a signature packet)": "1.86 skips a signature of unknown version",
}


@pytest.mark.parametrize("behaviour", sorted(ARMOR_BEHAVIOURS))
def test_armor_is_read_as_bouncycastle_reads_it(behaviour: str) -> None:
    args = _open_args(ARMOR_BEHAVIOURS[behaviour]())
    ours, old, current = (
        call(i, "boldchat.pgp.open", args) for i in (PY, _reference("bc150"), _reference("bc-current"))
    )
    assert same(ours, current), (ours.describe(), current.describe())
    assert same(old, current) is (behaviour not in VERSION_DIFFERENCES), (old.describe(), current.describe())


def _chunk_reads(message: str, sizes: list[int], bulk: bool) -> list[object]:
    """Each read of ``sizes`` (cycled) from ``message``'s armor until the data ends or fails: its bytes or its
    failure, and what is left; ``bulk`` reads with ``read``, otherwise with ``read_byte`` one at a time."""
    from conformance.openpgp.armor import ArmorDecoder, ReadFailure

    try:
        decoder = ArmorDecoder(message)
    except ReadFailure as exc:
        return [(type(exc).__name__, str(exc))]
    seen: list[object] = []
    for size in sizes * 400:
        try:
            if bulk:
                data = decoder.read(size)
            else:
                out = bytearray()
                while len(out) < size and (byte := decoder.read_byte()) >= 0:
                    out.append(byte)
                data = bytes(out)
        except ReadFailure as exc:
            return [*seen, (type(exc).__name__, str(exc), decoder.available())]
        seen.append((data, decoder.available()))
        if not data:
            break
    return seen


def test_armor_bulk_reads_give_what_byte_reads_give() -> None:
    """``ArmorDecoder.read`` decodes runs of Base64 at once: on the campaign's damaged messages it gives the bytes,
    the failure and the position reading a byte at a time gives, whatever the read sizes."""
    import random

    from conformance.fuzz.generators.pgp import pgp_open

    rnd = random.Random(20)
    messages = [pgp_open(rnd)["message"] for _ in range(300)] + [f() for f in ARMOR_BEHAVIOURS.values()]
    for index, message in enumerate(messages):
        sizes = rnd.choice([[1], [2, 5], [3, 64, 7], [8192], [100, 1, 2048]])
        expected = _chunk_reads(message, sizes, bulk=False)
        assert _chunk_reads(message, sizes, bulk=True) == expected, (index, sizes)


# --- bad input: typed errors, never key material --------------------------------------------------------------


BAD_CALLS = [
    ("message None", lambda: _python_open(None), errors.NullArgument),  # type: ignore[arg-type]
    ("message bytes", lambda: _python_open(b"x"), errors.InvalidArgument),  # type: ignore[arg-type]
    ("public key as the server private key", lambda: _python_open(_valid(), server="server.pub"), errors.PgpKeyError),
    ("private key as the signer key", lambda: _python_open(_valid(), signer="brand.sec"), errors.PgpKeyError),
    (
        "garbage key",
        lambda: pgp.secure_parameters_pgp(PARAMS, server_public_key="nope", signing_private_key=KEYS["brand.sec"]),
        errors.PgpKeyError,
    ),
    (
        "truncated key",
        lambda: pgp.secure_parameters_pgp(
            PARAMS,
            server_public_key=openpgp.armor(b"\x99\x01\x0d\x04", "PUBLIC KEY BLOCK"),
            signing_private_key=KEYS["brand.sec"],
        ),
        errors.PgpKeyError,
    ),
    (
        "unknown compression",
        lambda: pgp.secure_parameters_pgp(
            PARAMS,
            server_public_key=KEYS["server.pub"],
            signing_private_key=KEYS["brand.sec"],
            compression="max",  # type: ignore[arg-type]
        ),
        errors.InvalidArgument,
    ),
    (
        "params of another type",
        lambda: pgp.secure_parameters_pgp(
            42, server_public_key=KEYS["server.pub"], signing_private_key=KEYS["brand.sec"]
        ),  # type: ignore[arg-type]
        errors.InvalidArgument,
    ),
]


def _key_fragments() -> set[str]:
    """Every Base64 line of every TEST key: none may appear in an error message or a log."""
    return {line for text in KEYS.values() for line in text.splitlines() if re.fullmatch(r"[A-Za-z0-9+/=]{40,}", line)}


@pytest.mark.parametrize("label", [label for label, _, _ in BAD_CALLS])
def test_bad_input_gives_a_typed_error_without_key_material(label: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    _, call, expected = next(c for c in BAD_CALLS if c[0] == label)
    with pytest.raises(expected) as caught:
        call()
    text = f"{caught.value} {caught.value!r} {caplog.text}"
    assert not any(fragment in text for fragment in _key_fragments())
    assert PARAMS not in text


@pytest.mark.parametrize("reference", REFERENCES)
def test_reference_errors_hold_no_key_material(reference: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    ops = _reference(reference)
    outcomes = [
        call(ops, "boldchat.pgp.open", _open_args(generator._flip(_valid(), 0.5))),
        call(ops, "boldchat.pgp.open", _open_args(_valid(), signer="other.pub")),
        call(ops, "boldchat.pgp.seal", {**_seal_args(PARAMS), "serverPublicKey": "garbage"}),
    ]
    assert all(o.status == "error" for o in outcomes), [o.describe() for o in outcomes]
    text = " ".join(o.describe() for o in outcomes) + caplog.text
    assert not any(fragment in text for fragment in _key_fragments())


def test_key_repr_hides_key_material() -> None:
    key = openpgp.load_keys(KEYS["brand.sec"], secret=True, role="k")[0]
    assert repr(key) == "Key(id=E8181725F428788F, primary=True, secret=True)"


# --- GnuPG leaves nothing behind; the matrix is all green ---------------------------------------------------------


def test_gnupg_homes_are_removed_at_cleanup() -> None:
    _reference("gnupg")
    call(registry.shared("gnupg"), "boldchat.pgp.open", _open_args(_valid()))
    homes = list(gnupg._registered_homes)
    assert homes and all(Path(h).exists() for h in homes)
    gnupg.cleanup()
    assert not any(Path(h).exists() for h in homes)


def test_interop_matrix_has_no_red_cell() -> None:
    """Every producer's sealed message opens in every consumer: 4 x 4 cells for each of the 3 key sets (SHA-1
    certified ones included) and 3 compression settings, through the one matrix engine."""
    from conformance import catalog, matrix, registry
    from conformance.report.matrices import interop_markdown

    for name in REFERENCES:
        _reference(name)
    implementations = [registry.shared(name) for name in ("python", *REFERENCES)]
    cells = matrix.run_interop([], implementations, progress=False, flows=[catalog.flow("boldchat_pgp")])
    assert len(cells) == 4 * 4 * 3 * 3
    assert {c.variant.split("/")[0] for c in cells} == {"gnupg-sha512", "bc150-sha1", "gnupg-sha1"}
    assert all(c.verdict == "pass" and c.passed == c.total == 2 for c in cells), interop_markdown(cells)
    doc = (REPO_ROOT / "docs" / "boldchat-pgp-matrix.md").read_text(encoding="utf-8")
    assert f"{len(cells)} of {len(cells)} cells pass" in doc


# --- keys certified with SHA-1 (issue 12): every key set works everywhere ------------------------------------------


def _signature_hashes(armored: str) -> set[int]:
    _, data = openpgp.dearmor(armored)
    packets = openpgp.parse_packets(data)
    return {openpgp.parse_signature(p.body).hash_algorithm for p in packets if p.tag == Tag.SIGNATURE}


def _recipient_key_id(message: str) -> bytes:
    _, data = openpgp.dearmor(message)
    return next(p.body[1:9] for p in openpgp.parse_packets(data) if p.tag == Tag.PKESK)


def test_key_sets_are_named_after_their_certification_hash() -> None:
    assert list(KEY_SETS) == ["gnupg-sha512", "bc150-sha1", "gnupg-sha1"]
    assert KEY_SETS["gnupg-sha512"] == {
        role: KEYS[role] for role in ("server.pub", "server.sec", "brand.pub", "brand.sec")
    }
    expected = {
        "gnupg-sha512": {HashAlgorithm.SHA512},
        "bc150-sha1": {HashAlgorithm.SHA1},
        "gnupg-sha1": {HashAlgorithm.SHA1},
    }
    for name, keys in KEY_SETS.items():
        assert sorted(keys) == ["brand.pub", "brand.sec", "server.pub", "server.sec"]
        assert {role: _signature_hashes(text) for role, text in keys.items()} == dict.fromkeys(keys, expected[name])
    assert "BCPG v1.50" in KEY_SETS["bc150-sha1"]["server.pub"]


@pytest.mark.parametrize("key_set", list(KEY_SETS))
def test_every_key_set_loads_with_its_encryption_subkey(key_set: str) -> None:
    for role in ("server.pub", "server.sec", "brand.pub", "brand.sec"):
        loaded = openpgp.load_keys(KEY_SETS[key_set][role], secret=role.endswith(".sec"), role=role)
        assert [key.is_primary for key in loaded] == [True, False], role
        assert openpgp.encryption_key(loaded) is loaded[1]
        assert openpgp.signing_key(loaded) is loaded[0]


@pytest.mark.parametrize("compression", pgp.COMPRESSIONS)
@pytest.mark.parametrize("reference", REFERENCES)
@pytest.mark.parametrize("key_set", SHA1_KEY_SETS)
def test_sha1_certified_keys_interoperate(key_set: str, reference: str, compression: str) -> None:
    """Python seals to the key set and the reference opens it; the reference seals and Python opens it."""
    ops = _reference(reference)
    keys = KEY_SETS[key_set]
    seal = {
        "params": PARAMS,
        "serverPublicKey": keys["server.pub"],
        "signingPrivateKey": keys["brand.sec"],
        "compression": compression,
    }
    opening = {"serverPrivateKey": keys["server.sec"], "signerPublicKey": keys["brand.pub"]}
    ours = call(PY, "boldchat.pgp.seal", seal)
    assert ours.status == "value", ours.describe()
    subkey = openpgp.load_keys(keys["server.pub"], secret=False, role="server")[1]
    assert _recipient_key_id(ours.value) == subkey.key_id  # the encryption subkey, as the references choose it
    assert call(ops, "boldchat.pgp.open", {**opening, "message": ours.value}).record() == {
        "status": "value",
        "value": PARAMS,
    }
    theirs = call(ops, "boldchat.pgp.seal", seal)
    assert theirs.status == "value", theirs.describe()
    assert _recipient_key_id(theirs.value) == subkey.key_id
    assert call(PY, "boldchat.pgp.open", {**opening, "message": theirs.value}).record() == {
        "status": "value",
        "value": PARAMS,
    }


def _rebound(secret_armored: str, hash_algorithm: int) -> tuple[str, str]:
    """``(public, secret)`` copies of a key whose subkey binding is made again with ``hash_algorithm``."""
    _, data = openpgp.dearmor(secret_armored)
    packets = openpgp.parse_packets(data)
    body, public, private = openpgp.parse_key_packet(packets[0].body, True)
    primary = openpgp.Key(body, public, True, private)
    assert private is not None
    secret_out, public_out, subkey = [], [], None
    for packet in packets:
        body = packet.body
        if packet.tag == Tag.SECRET_SUBKEY:
            sub_body, sub_public, _ = openpgp.parse_key_packet(body, True)
            subkey = openpgp.Key(sub_body, sub_public, False)
        if packet.tag == Tag.SIGNATURE and openpgp.parse_signature(body).sig_type == 0x18:
            assert subkey is not None
            covered = primary.hash_prefix() + subkey.hash_prefix()
            body = openpgp.sign(
                private,
                primary.fingerprint,
                covered,
                created=int(time.time()),
                sig_type=0x18,
                hash_algorithm=hash_algorithm,
            )
        secret_out.append(openpgp.encode_packet(packet.tag, body))
        public_tag = {Tag.SECRET_KEY: Tag.PUBLIC_KEY, Tag.SECRET_SUBKEY: Tag.PUBLIC_SUBKEY}.get(Tag(packet.tag))
        public_body = openpgp.parse_key_packet(body, True)[0] if public_tag else body
        public_out.append(openpgp.encode_packet(public_tag or packet.tag, public_body))
    return openpgp.armor(b"".join(public_out), "PUBLIC KEY BLOCK"), openpgp.armor(
        b"".join(secret_out), "PRIVATE KEY BLOCK"
    )


@pytest.mark.parametrize("algorithm", [HashAlgorithm.SHA256, HashAlgorithm.SHA1, HashAlgorithm.MD5])
def test_subkey_binding_hashes_are_judged_as_gnupg_judges_them(algorithm: int) -> None:
    """GnuPG checks bindings and refuses MD5 ones, as Python does; BouncyCastle does not check bindings at all."""
    public, _ = _rebound(KEYS["server.sec"], algorithm)
    args = {"params": PARAMS, "serverPublicKey": public, "signingPrivateKey": KEYS["brand.sec"]}
    ours = call(PY, "boldchat.pgp.seal", args)
    theirs = call(_reference("gnupg"), "boldchat.pgp.seal", args)
    assert ours.status == theirs.status
    assert (ours.status == "value") == (algorithm != HashAlgorithm.MD5), ours.describe()
    assert call(_reference("bc150"), "boldchat.pgp.seal", args).status == "value"


# --- signature hashes: BouncyCastle's by default, strict on request ------------------------------------------------


WEAK_DIGESTS = {"SHA1": HashAlgorithm.SHA1, "MD5": HashAlgorithm.MD5, "RIPEMD160": HashAlgorithm.RIPEMD160}


@cache
def _gpg_signed(digest: str) -> str:
    """The document's parameters signed by GnuPG with ``digest`` (``--digest-algo``), to the server key."""
    argv = ["--sign", "--encrypt", "--recipient", "{server}", "--local-user", "{brand}", "--digest-algo", digest]
    argv += ["--allow-weak-digest-algos"] if digest == "MD5" else []
    return gnupg.gpg_message({"server": KEYS["server.pub"], "brand": KEYS["brand.sec"]}, argv, PARAMS.encode())


def _crafted(hash_algorithm: int, signed_data: bytes | None = None) -> str:
    recipient = openpgp.encryption_key(openpgp.load_keys(KEYS["server.pub"], secret=False, role="server"))
    signer = openpgp.signing_key(openpgp.load_keys(KEYS["brand.sec"], secret=True, role="brand"))
    message = openpgp.build_message(
        PARAMS.encode(), recipient, signer, compress=True, hash_algorithm=hash_algorithm, signed_data=signed_data
    )
    return openpgp.armor(message)


@pytest.mark.parametrize("digest", WEAK_DIGESTS)
def test_weak_message_hashes_open_as_bouncycastle_opens_them(digest: str) -> None:
    _reference("gnupg")
    message = _gpg_signed(digest)
    assert openpgp.describe_message(message, KEYS["server.sec"]).endswith(
        f"({openpgp.hash_name(WEAK_DIGESTS[digest])})"
    )
    ours = call(PY, "boldchat.pgp.open", _open_args(message))
    for name in ("bc150", "bc-current"):
        assert call(_reference(name), "boldchat.pgp.open", _open_args(message)).record() == ours.record()
    assert ours.record() == {"status": "value", "value": PARAMS}


def test_gnupg_refuses_md5_signatures_but_not_sha1() -> None:
    """The one place the references disagree on hashes (DEVIATIONS.md): GnuPG 2.2 refuses MD5."""
    ops = _reference("gnupg")
    answers = {digest: call(ops, "boldchat.pgp.open", _open_args(_gpg_signed(digest))) for digest in WEAK_DIGESTS}
    assert answers["SHA1"].record() == answers["RIPEMD160"].record() == {"status": "value", "value": PARAMS}
    assert same(answers["MD5"], Outcome.of_error("PgpUnsupported"))


@pytest.mark.parametrize("algorithm", [HashAlgorithm.MD5, HashAlgorithm.SHA1])
def test_python_made_weak_signatures_are_judged_like_bouncycastle(algorithm: int) -> None:
    good, bad = _crafted(algorithm), _crafted(algorithm, signed_data=b"VisitName=Mallory")
    for message in (good, bad):
        ours = call(PY, "boldchat.pgp.open", _open_args(message))
        for name in ("bc150", "bc-current"):
            assert call(_reference(name), "boldchat.pgp.open", _open_args(message)).record() == ours.record()
    assert call(PY, "boldchat.pgp.open", _open_args(good)).record() == {"status": "value", "value": PARAMS}
    assert same(call(PY, "boldchat.pgp.open", _open_args(bad)), Outcome.of_error("PgpBadSignature"))


def _strict_open(message: str, keys: dict[str, str] = KEYS) -> str:
    return pgp.open_secure_parameters_pgp(
        message, server_private_key=keys["server.sec"], signer_public_key=keys["brand.pub"], strict_hashes=True
    )


@pytest.mark.parametrize("digest", WEAK_DIGESTS)
def test_strict_hashes_refuses_what_the_references_accept(digest: str) -> None:
    message = _gpg_signed(digest)
    assert call(_reference("bc150"), "boldchat.pgp.open", _open_args(message)).record() == {
        "status": "value",
        "value": PARAMS,
    }
    with pytest.raises(errors.PgpWeakHash) as caught:
        _strict_open(message)
    assert isinstance(caught.value, errors.PgpUnsupported)
    assert caught.value.reason_path() == "PgpWeakHash"
    text = str(caught.value)
    assert openpgp.hash_name(WEAK_DIGESTS[digest]) in text
    assert "collision" in text
    assert "RFC 9580" in text
    assert PARAMS not in text
    assert not any(fragment in text for fragment in _key_fragments())


def test_strict_hashes_judges_the_hash_before_the_signature() -> None:
    bad = _crafted(HashAlgorithm.SHA1, signed_data=b"VisitName=Mallory")
    assert same(call(_reference("bc150"), "boldchat.pgp.open", _open_args(bad)), Outcome.of_error("PgpBadSignature"))
    with pytest.raises(errors.PgpWeakHash):
        _strict_open(bad)


@pytest.mark.parametrize("reference", REFERENCES)
@pytest.mark.parametrize("key_set", list(KEY_SETS))
def test_strict_hashes_opens_strong_signatures_even_to_sha1_certified_keys(key_set: str, reference: str) -> None:
    """Strictness is about the message signature; key certifications with SHA-1 stay accepted."""
    ops = _reference(reference)
    keys = KEY_SETS[key_set]
    args = {"params": PARAMS, "serverPublicKey": keys["server.pub"], "signingPrivateKey": keys["brand.sec"]}
    sealed = call(ops, "boldchat.pgp.seal", args)
    assert sealed.status == "value", sealed.describe()
    opened = call(
        ops,
        "boldchat.pgp.open",
        {"message": sealed.value, "serverPrivateKey": keys["server.sec"], "signerPublicKey": keys["brand.pub"]},
    )
    assert opened.status == "value"
    assert _strict_open(sealed.value, keys) == opened.value


def test_hash_policies() -> None:
    openpgp.BOUNCYCASTLE_HASHES.check(HashAlgorithm.MD5)
    openpgp.CERTIFICATION_HASHES.check(HashAlgorithm.SHA1)
    for policy, algorithm in [(openpgp.STRICT_HASHES, HashAlgorithm.SHA1), (openpgp.CERTIFICATION_HASHES, 1)]:
        with pytest.raises(errors.PgpWeakHash):
            policy.check(algorithm)
    with pytest.raises(errors.PgpUnsupported) as caught:
        openpgp.BOUNCYCASTLE_HASHES.check(99)
    assert type(caught.value) is errors.PgpUnsupported


# --- the public API: describe_message, and no reference reaching into private names ---------------------------------


def test_describe_message_shows_the_layout_and_never_raises() -> None:
    sealed = pgp.secure_parameters_pgp(
        PARAMS, server_public_key=KEYS["server.pub"], signing_private_key=KEYS["brand.sec"]
    )
    layout = openpgp.describe_message(sealed, KEYS["server.sec"])
    assert layout == "PKESK+SEIPD v1 AES-256 → ZLIB → one-pass-sig+literal+signature (SHA-256)"
    assert PARAMS not in layout
    assert openpgp.describe_message("VisitName=x", KEYS["server.sec"]) == "cannot describe: PgpMalformed"
    assert openpgp.describe_message(sealed, KEYS["other.sec"]) == "cannot describe: PgpDecryptionFailed"


def _private_uses(path: Path) -> list[str]:
    """``_names`` a module imports from, or reads off, ``conformance.vendors.*`` and ``conformance.openpgp.*``."""
    watched = ("conformance.vendors", "conformance.openpgp")
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases, found = set(), []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(watched):
            found += [f"{node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
            aliases |= {a.asname or a.name for a in node.names}
        elif isinstance(node, ast.Import):
            aliases |= {a.asname or a.name for a in node.names if a.name.startswith(watched)}
    for node in ast.walk(tree):
        private = isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
        if private and isinstance(node.value, ast.Name) and node.value.id in aliases:
            found.append(f"{node.value.id}.{node.attr}")
    return found


def test_references_use_only_public_openpgp_and_vendor_names() -> None:
    paths = sorted((REPO_ROOT / "conformance" / "references").glob("*.py"))
    assert {path: _private_uses(path) for path in paths} == {path: [] for path in paths}
    assert set(openpgp.__all__) <= set(dir(openpgp))
    assert not [name for name in openpgp.__all__ if name.startswith("_")]
