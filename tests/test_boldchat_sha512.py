"""BoldChat SHA-512 SecureParameters: differential against OpenSSL, encoding properties, constant-time verification,
typed errors that never carry key material."""

from __future__ import annotations

import hmac
import logging
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance.errors import (
    ChatNotValidated,
    ConformanceError,
    EmptyKey,
    ErrorValidatingChat,
    InvalidArgument,
    NullArgument,
    ParameterError,
    UnknownParameter,
)
from conformance.references import openssl_dgst
from conformance.vendors import boldchat
from conformance.vendors.boldchat import (
    PARAMETERS,
    decode_parameters,
    encode_parameters,
    secure_parameters_sha512,
    to_friendly,
    to_original,
    translate_to_original,
    unsecured_names,
    unsecured_value,
    verify_sha512,
)
from tests.conftest import answer, require_reference

KEY = "test-hashing-key-0001"  # a test key
DOCUMENT_ENCODED = "VisitName=Robert%20Smith&VisitEmail=r.smith%40gmail.com"

text = st.text(st.characters(codec="utf-8"), max_size=20)
names = st.text(st.characters(codec="utf-8"), min_size=1, max_size=12)
pairs = st.lists(st.tuples(names, text), max_size=6)
keys = st.text(st.characters(codec="utf-8"), min_size=1, max_size=40)


#: Each example of a differential test is a batch hashed by one openssl process: a tenth of the profile's examples.
BATCHED = settings(max_examples=max(10, settings.default.max_examples // 10))


@pytest.fixture(scope="module")
def openssl() -> None:
    require_reference("openssl", openssl_dgst.available)


# --- the document's example -------------------------------------------------------------------------------------


def test_document_example_encodes_exactly() -> None:
    params = {"VisitName": "Robert Smith", "VisitEmail": "r.smith@gmail.com"}
    assert encode_parameters(params) == DOCUMENT_ENCODED
    assert encode_parameters(list(params.items())) == DOCUMENT_ENCODED


def test_document_example_secure_parameters_shape() -> None:
    secure = secure_parameters_sha512({"VisitName": "Robert Smith", "VisitEmail": "r.smith@gmail.com"}, KEY)
    assert re.fullmatch(r"[0-9A-F]{128}" + re.escape(DOCUMENT_ENCODED), secure)
    assert secure_parameters_sha512(DOCUMENT_ENCODED, KEY) == secure


def test_unsecured_list_ampersand_is_percent_26() -> None:
    value = unsecured_value(["VisitName", "InitialQuestion", "VisitPhone"])
    encoded = encode_parameters([("Unsecured", value)])
    assert encoded == "Unsecured=VisitName%26InitialQuestion%26VisitPhone"
    ((name, decoded),) = decode_parameters(encoded)
    assert (name, unsecured_names(decoded)) == ("Unsecured", ["VisitName", "InitialQuestion", "VisitPhone"])


# --- differential against OpenSSL (batched: one openssl per example) ---------------------------------------------


@BATCHED
@given(st.lists(st.tuples(pairs, keys), min_size=1, max_size=40))
def test_secure_parameters_match_openssl(openssl: None, batch: list[tuple[list[tuple[str, str]], str]]) -> None:
    encoded = [(encode_parameters(p), key) for p, key in batch]
    expected = openssl_dgst.secure_many(encoded)
    assert [secure_parameters_sha512(p, key) for p, key in batch] == expected
    assert [secure_parameters_sha512(e, key) for e, key in encoded] == expected


@BATCHED
@given(st.lists(st.tuples(st.text(st.characters(codec="utf-8"), max_size=300), keys), min_size=1, max_size=40))
def test_already_encoded_strings_match_openssl(openssl: None, batch: list[tuple[str, str]]) -> None:
    assert [secure_parameters_sha512(e, key) for e, key in batch] == openssl_dgst.secure_many(batch)


def test_openssl_batch_agrees_with_single_calls(openssl: None) -> None:
    items = [(f"vr={i}", KEY) for i in range(5)]
    singles = [answer("openssl", "boldchat.sha512.secure", {"encoded": e, "hashingKey": k}).value for e, k in items]
    assert openssl_dgst.secure_many(items) == singles
    batch = openssl_dgst.secure_batch([{"encoded": e, "hashingKey": k} for e, k in items])
    assert [outcome.value for outcome in batch] == singles


def test_openssl_batch_reads_the_same_from_memory_and_from_files(
    openssl: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batch's in-memory files (Linux memfd) and its temporary-folder files give openssl the same bytes."""
    messages = [b"", b"abc", "\u00e9\U0001f600".encode(), bytes(range(256)) * 300]
    in_memory = openssl_dgst.sha512_hex_many(messages)
    monkeypatch.setattr(openssl_dgst, "_memfd_works", lambda: False)
    assert openssl_dgst.sha512_hex_many(messages) == in_memory
    assert in_memory[1].startswith("ddaf35a193617aba") and len(set(in_memory)) == len(messages)


# --- encoding properties ------------------------------------------------------------------------------------------


@given(pairs)
def test_decode_inverts_encode(p: list[tuple[str, str]]) -> None:
    encoded = encode_parameters(p)
    assert decode_parameters(encoded) == p
    assert re.fullmatch(r"[A-Za-z0-9._~%=&-]*", encoded)
    assert "+" not in encoded and " " not in encoded


@given(pairs)
def test_escapes_are_uppercase_and_only_where_needed(p: list[tuple[str, str]]) -> None:
    encoded = encode_parameters(p)
    for escape in re.findall(r"%(..)", encoded):
        assert escape == escape.upper()
        assert not re.fullmatch(r"[A-Za-z0-9._~-]", bytes.fromhex(escape).decode("latin-1"))


@given(pairs, keys)
def test_verify_returns_what_was_secured(p: list[tuple[str, str]], key: str) -> None:
    assert verify_sha512(secure_parameters_sha512(p, key), key) == p
    assert verify_sha512(secure_parameters_sha512(p, key), ["other", key]) == p


@given(pairs, keys, st.data())
def test_any_change_to_the_data_fails(p: list[tuple[str, str]], key: str, data: st.DataObject) -> None:
    secure = secure_parameters_sha512(p, key) + "&vr=x"
    index = data.draw(st.integers(128, len(secure) - 1))
    replacement = data.draw(st.sampled_from("aZ0%&=+~").filter(lambda c: c != secure[index]))
    tampered = secure[:index] + replacement + secure[index + 1 :]
    with pytest.raises(ErrorValidatingChat) as caught:
        verify_sha512(tampered, key)
    assert caught.value.reason_path() == "ErrorValidatingChat/HashMismatch"


@given(pairs, keys, st.integers(0, 127))
def test_any_change_to_the_hash_fails(p: list[tuple[str, str]], key: str, index: int) -> None:
    secure = secure_parameters_sha512(p, key)
    digit = "0" if secure[index] != "0" else "1"
    with pytest.raises(ErrorValidatingChat):
        verify_sha512(secure[:index] + digit + secure[index + 1 :], key)


def test_lowercase_hash_is_accepted() -> None:
    secure = secure_parameters_sha512(DOCUMENT_ENCODED, KEY)
    assert verify_sha512(secure[:128].lower() + secure[128:], KEY) == decode_parameters(DOCUMENT_ENCODED)


# --- constant time ------------------------------------------------------------------------------------------------


def test_verify_compares_full_digests_with_compare_digest_under_every_key(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(boldchat.hmac, "compare_digest", spy)
    secure = secure_parameters_sha512(DOCUMENT_ENCODED, KEY)
    verify_sha512(secure, [KEY, "k2", "k3"])  # matches the first key: the others are compared all the same
    assert len(calls) == 3
    assert all(len(a) == len(b) == 64 for a, b in calls)
    calls.clear()
    with pytest.raises(ErrorValidatingChat):
        verify_sha512(("0" if secure[0] != "0" else "1") + secure[1:], KEY)  # differs in the first byte
    assert len(calls) == 1 and len(calls[0][0]) == 64


# --- parameter names --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("row", PARAMETERS, ids=[p.friendly for p in PARAMETERS])
def test_table_translates_both_ways(row: boldchat.Parameter) -> None:
    assert to_original(row.friendly) == row.original
    assert to_original(row.original) == row.original
    assert to_original(to_friendly(row.original)) == row.original
    assert to_friendly(row.friendly) == row.friendly


def test_synonyms_and_custom_fields() -> None:
    assert to_friendly("vn") == "VisitName"
    assert to_original("FirstName") == "vn"
    assert to_friendly("cbdid") == "ChatButtonID"
    assert to_original("customField_Order ID") == "customField_Order ID"
    assert translate_to_original([("VisitName", "a"), ("Expiration", "1"), ("ck", "k")]) == [
        ("vn", "a"),
        ("expires", "1"),
        ("ck", "k"),
    ]
    with pytest.raises(UnknownParameter):
        to_original("visitname")
    with pytest.raises(UnknownParameter):
        to_friendly("customField_")


# --- typed errors, and no key material in them --------------------------------------------------------------------

BAD_CALLS = [
    ("encode None", lambda: encode_parameters(None), NullArgument),  # type: ignore[arg-type]
    ("encode a string", lambda: encode_parameters("a=b"), InvalidArgument),  # type: ignore[arg-type]
    ("encode an int value", lambda: encode_parameters({"a": 1}), InvalidArgument),  # type: ignore[dict-item]
    ("encode a triple", lambda: encode_parameters([("a", "b", "c")]), InvalidArgument),  # type: ignore[list-item]
    ("encode an int", lambda: encode_parameters(5), InvalidArgument),  # type: ignore[arg-type]
    ("encode an empty name", lambda: encode_parameters({"": "x"}), ParameterError),
    ("encode a lone surrogate", lambda: encode_parameters({"a": "\ud800"}), ParameterError),
    ("decode bytes", lambda: decode_parameters(b"a=b"), InvalidArgument),  # type: ignore[arg-type]
    ("decode a bad escape", lambda: decode_parameters("a=%g0"), ParameterError),
    ("decode bad UTF-8", lambda: decode_parameters("a=%FF"), ParameterError),
    ("secure with an empty key", lambda: secure_parameters_sha512("a=b", ""), EmptyKey),
    ("secure with no key", lambda: secure_parameters_sha512("a=b", None), NullArgument),  # type: ignore[arg-type]
    ("secure with bytes key", lambda: secure_parameters_sha512("a=b", b"k"), InvalidArgument),  # type: ignore[arg-type]
    ("secure with a surrogate key", lambda: secure_parameters_sha512("a=b", "\udfff"), InvalidArgument),
    ("secure surrogate data", lambda: secure_parameters_sha512("a=\ud800", KEY), ParameterError),
    ("verify None", lambda: verify_sha512(None, KEY), NullArgument),  # type: ignore[arg-type]
    ("verify with no keys", lambda: verify_sha512("x", []), EmptyKey),
    ("verify blank", lambda: verify_sha512("", KEY), ChatNotValidated),
    ("verify short", lambda: verify_sha512("ABC", KEY), ErrorValidatingChat),
    ("unsecured_value of a string", lambda: unsecured_value("VisitName"), InvalidArgument),
    ("unsecured_value with '&'", lambda: unsecured_value(["a&b"]), ParameterError),
]


@pytest.mark.parametrize(("label", "call", "error"), BAD_CALLS, ids=[c[0] for c in BAD_CALLS])
def test_bad_input_is_a_typed_error(label: str, call: Any, error: type[ConformanceError]) -> None:
    with pytest.raises(error) as caught:
        call()
    assert isinstance(caught.value, ConformanceError)


def test_errors_and_logs_hold_no_key_material(caplog: pytest.LogCaptureFixture) -> None:
    secret = "s3cr3t-Hashing-KEY-\u00e9"
    secure = secure_parameters_sha512([("VisitEmail", "visitor@example.org")], secret)
    attempts = [
        lambda: verify_sha512(secure, "wrong-key"),
        lambda: verify_sha512(secure.replace("visitor", "mallory"), secret),
        lambda: verify_sha512(secure[:100], secret),
        lambda: verify_sha512(secure_parameters_sha512("a=%zz", secret), secret),
        lambda: secure_parameters_sha512("\ud800", secret),
    ]
    with caplog.at_level(logging.DEBUG):
        for attempt in attempts:
            with pytest.raises(ConformanceError) as caught:
                attempt()
            chain = [caught.value, caught.value.__cause__]
            rendered = " ".join(f"{e!s} {e!r}" for e in chain if e is not None)
            for material in (secret, "visitor", secure[:128], secure[:128].lower()):
                assert material not in rendered
    assert secret not in caplog.text
