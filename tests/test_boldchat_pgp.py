"""BoldChat PGP SecureParameters: Python against BouncyCastle 1.50, BouncyCastle current and GnuPG, both directions,
every rejection with its typed error, and no key material in errors or logs."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance import errors
from conformance.outcome import run_op
from conformance.pgp_matrix import build_matrix
from conformance.registry import python_ops, references
from conformance.testkeys import pgp_test_keys as fixture_keys
from conformance.vendors import boldchat_pgp as pgp
from tests.conftest import require_reference
from vectors.generators import boldchat_pgp as generator

KEYS = fixture_keys()
PARAMS = generator.PARAMS[0][1]
REFERENCES = ("bc150", "bc-current", "gnupg")
PY = python_ops()


def _reference(name: str) -> dict:
    spec = references()[name]
    require_reference(name, spec.available)
    return spec.ops()


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
    sealed = run_op(ops, "boldchat.pgp.seal", _seal_args(PARAMS, compression))
    assert sealed.status == "value", sealed.describe()
    assert _python_open(sealed.value) == PARAMS


@pytest.mark.parametrize("compression", pgp.COMPRESSIONS)
@pytest.mark.parametrize("reference", REFERENCES)
def test_python_message_opens_in_reference(reference: str, compression: str) -> None:
    ops = _reference(reference)
    sealed = run_op(PY, "boldchat.pgp.seal", _seal_args(PARAMS, compression))
    opened = run_op(ops, "boldchat.pgp.open", _open_args(sealed.value))
    assert opened.comparable() == ("value", PARAMS), opened.describe()


#: Parameter text as a brand might pass it: anything, not only URL-form encoded ASCII.
PARAM_TEXT = st.text(max_size=200)


@pytest.mark.parametrize("reference", REFERENCES)
def test_random_params_both_directions(reference: str) -> None:
    ops = _reference(reference)

    @settings(max_examples=12, deadline=None, database=None)
    @given(params=PARAM_TEXT, compression=st.sampled_from(pgp.COMPRESSIONS))
    def check(params: str, compression: str) -> None:
        ours = run_op(PY, "boldchat.pgp.seal", _seal_args(params, compression))
        theirs = run_op(ops, "boldchat.pgp.seal", _seal_args(params, compression))
        assert theirs.status == "value", theirs.describe()
        assert run_op(ops, "boldchat.pgp.open", _open_args(ours.value)).comparable() == ("value", params)
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
    "garbage in armor": (lambda: (pgp.armor(bytes(range(40))), {}), errors.PgpMalformed),
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
        outcome = run_op(ops, "boldchat.pgp.open", args)
        if outcome.comparable() != ("error", expected.reason):
            mismatches.append(f"{case}: {outcome.describe()}")
    assert not mismatches, "\n".join(mismatches)


def test_bad_armor_checksum_is_ignored_like_bouncycastle_but_gnupg_rejects_it() -> None:
    """A finding (docs/boldchat-pgp-matrix.md): the CRC-24 is checked by GnuPG only."""
    message = generator._bad_crc(_valid())
    assert _python_open(message) == PARAMS
    for name, expected in [("bc150", ("value", PARAMS)), ("bc-current", ("value", PARAMS))]:
        assert run_op(_reference(name), "boldchat.pgp.open", _open_args(message)).comparable() == expected
    assert run_op(_reference("gnupg"), "boldchat.pgp.open", _open_args(message)).comparable() == (
        "error",
        "PgpMalformed",
    )


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
            server_public_key=pgp.armor(b"\x99\x01\x0d\x04", "PUBLIC KEY BLOCK"),
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
        run_op(ops, "boldchat.pgp.open", _open_args(generator._flip(_valid(), 0.5))),
        run_op(ops, "boldchat.pgp.open", _open_args(_valid(), signer="other.pub")),
        run_op(ops, "boldchat.pgp.seal", {**_seal_args(PARAMS), "serverPublicKey": "garbage"}),
    ]
    assert all(o.status == "error" for o in outcomes), [o.describe() for o in outcomes]
    text = " ".join(o.describe() for o in outcomes) + caplog.text
    assert not any(fragment in text for fragment in _key_fragments())


def test_key_repr_hides_key_material() -> None:
    key = pgp.load_keys(KEYS["brand.sec"], secret=True, role="k")[0]
    assert repr(key) == "Key(id=E8181725F428788F, primary=True, secret=True)"


# --- GnuPG leaves nothing behind; the matrix is all green ---------------------------------------------------------


def test_gnupg_homes_are_removed_at_cleanup() -> None:
    _reference("gnupg")
    from conformance.references import gnupg

    run_op(gnupg.OPS, "boldchat.pgp.open", _open_args(_valid()))
    homes = list(gnupg._registered_homes)
    assert homes and all(Path(h).exists() for h in homes)
    gnupg.cleanup()
    assert not any(Path(h).exists() for h in homes)


def test_interop_matrix_has_no_red_cell() -> None:
    for name in REFERENCES:
        _reference(name)
    matrix = build_matrix()
    assert len(matrix.cells) == 4 * 4 * 3
    assert not matrix.red_cells(), matrix.text()
    assert all(cell.status == "ok" for cell in matrix.cells), matrix.text()
