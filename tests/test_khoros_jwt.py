"""Khoros widget JWT: the Python port against live node jsonwebtoken (one node process, batched), plus unit tests."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import jwt as pyjwt
import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance.codecs import encode_base64_url_safe
from conformance.errors import (
    AlgorithmNotAllowed,
    BadSignature,
    ConformanceError,
    EmptyKey,
    InvalidArgument,
    KidMismatch,
    MalformedToken,
    NullArgument,
    SecretIsAsymmetricKey,
    UnsignedToken,
)
from conformance.vectors import load_cases
from conformance.vendors.khoros_jwt import verify_widget_jwt, widget_jwt, widget_jwt_parts
from tests.conftest import require_reference
from tests.strategies import assert_batch_matches, tricky_text_of

NOW = 1763683200
SECRET = "S3cr3t-never-in-messages"
ANY_TEXT = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=24)
TRICKY_TEXT = tricky_text_of(max_size=16, bmp_max=0x2FFF)
TEXT = st.one_of(ANY_TEXT, TRICKY_TEXT)
IAT = st.one_of(
    st.none(),
    st.integers(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([0, -0.0, 1, 2**53 + 1, 10**21, 1e-7, 10**400]),
)
SIGN_ARGS = st.fixed_dictionaries(
    {"userId": TEXT, "keyId": TEXT, "secret": TEXT, "now": st.integers(1, 2**40)}, optional={"iat": IAT}
)


@pytest.fixture(scope="module")
def node_ref() -> Any:
    from conformance.references import node

    require_reference("node", node.available)
    return node


def _compare(node_ref: Any, op: str, batch: list[dict[str, Any]]) -> None:
    assert_batch_matches("node", op, batch, "node")


@given(st.lists(SIGN_ARGS, min_size=1, max_size=6))
def test_sign_is_byte_identical_to_jsonwebtoken(node_ref: Any, batch: list[dict[str, Any]]) -> None:
    _compare(node_ref, "khoros.widget_jwt.sign", batch)


def _mutations(token: str, data: st.DataObject) -> str:  # noqa: PLR0911 - one return per mutation kind
    head, payload, signature = token.split(".")
    choice = data.draw(st.integers(0, 7))
    if choice == 0:
        return token
    if choice == 1:  # arbitrary header and payload bytes, HMAC-signed with the right secret or not
        header = data.draw(st.sampled_from([b'{"alg":"HS256","typ":"JWT","kid":"k"}', b'{"alg":"HS256","kid":"k"}']))
        header = data.draw(st.one_of(st.just(header), st.binary(max_size=40)))
        body = data.draw(
            st.one_of(
                st.binary(max_size=40),
                st.sampled_from([b"null", b"[]", b"1", b'"x"', b'{"exp":5}', b'{"nbf":1e30}', b'{"a":1e400}']),
            )
        )
        signing_input = f"{encode_base64_url_safe(header)}.{encode_base64_url_safe(body)}"
        key = data.draw(st.sampled_from([b"s", b"other"]))
        return (
            f"{signing_input}.{encode_base64_url_safe(hmac.new(key, signing_input.encode(), hashlib.sha256).digest())}"
        )
    if choice == 2:
        position = data.draw(st.integers(0, max(len(token) - 1, 0)))
        char = data.draw(st.sampled_from("AQgw-_=+/. \n\u00e9"))
        return token[:position] + char + token[position + 1 :]
    if choice == 3:
        return token[: data.draw(st.integers(0, len(token)))]
    if choice == 4:
        return f"{head}.{payload}."
    if choice == 5:
        return f"{head}.{payload}.{signature}" + data.draw(st.sampled_from(["=", ".", "A", ""]))
    if choice == 6:
        alg = data.draw(st.sampled_from(["none", "HS384", "RS256", "ES256", "hs256"]))
        return f"{encode_base64_url_safe(json.dumps({'alg': alg, 'typ': 'JWT', 'kid': 'k'}).encode())}.{payload}.{signature}"
    return data.draw(ANY_TEXT)


@given(st.lists(SIGN_ARGS, min_size=1, max_size=4), st.data())
def test_verify_agrees_with_jsonwebtoken(node_ref: Any, batch: list[dict[str, Any]], data: st.DataObject) -> None:
    for args in batch:
        args["secret"] = args["secret"] or "s"
    tokens = node_ref.call_many([("khoros.widget_jwt.sign", args) for args in batch])
    checks = []
    for args, token in zip(batch, tokens, strict=True):
        assert token.status == "value", token.describe()
        for _ in range(3):
            checks.append(
                {
                    "token": _mutations(token.value, data),
                    "keyId": data.draw(st.sampled_from([args["keyId"], "k", args["keyId"] + "x"])),
                    "secret": data.draw(st.sampled_from([args["secret"], "s", ""])),
                    "now": data.draw(st.sampled_from([args["now"], 5, 1e30])),
                }
            )
    _compare(node_ref, "khoros.widget_jwt.verify", checks)


def test_python_tokens_verify_in_jsonwebtoken_and_back(node_ref: Any) -> None:
    users = ["user-123", "Jos\u00e9", "\U0001f600", "\ud800", ""]
    tokens = [widget_jwt(u, key_id="app_k\u00e9", secret=SECRET, iat=NOW) for u in users]
    answers = node_ref.call_many(
        [
            ("khoros.widget_jwt.verify", {"token": t, "keyId": "app_k\u00e9", "secret": SECRET, "now": NOW})
            for t in tokens
        ]
    )
    assert [a.value["userId"] for a in answers] == [u if u != "\ud800" else "\ud800" for u in users]
    node_tokens = node_ref.call_many(
        [("khoros.widget_jwt.sign", {"userId": u, "keyId": "app_k", "secret": SECRET, "now": NOW}) for u in users]
    )
    for user, token in zip(users, node_tokens, strict=True):
        assert verify_widget_jwt(token.value, key_id="app_k", secret=SECRET, now=NOW)["userId"] == user


@pytest.mark.filterwarnings("ignore:The HMAC key is:UserWarning")
def test_document_example_header_order_and_claims() -> None:
    parts = widget_jwt_parts("user-123", key_id="app_5deaa3example0010cc4ba4", secret="BFJJ88naxexampleKpBNTR", iat=NOW)
    assert parts.header_json == '{"alg":"HS256","typ":"JWT","kid":"app_5deaa3example0010cc4ba4"}'
    assert parts.payload_json == f'{{"scope":"appUser","userId":"user-123","iat":{NOW}}}'
    # PyJWT verifies the ASCII token, but its own encoding puts typ first: not byte-identical.
    claims = pyjwt.decode(parts.token, "BFJJ88naxexampleKpBNTR", algorithms=["HS256"])
    assert claims == {"scope": "appUser", "userId": "user-123", "iat": NOW}
    pyjwt_token = pyjwt.encode(
        {"scope": "appUser", "userId": "user-123", "iat": NOW},
        "BFJJ88naxexampleKpBNTR",
        headers={"kid": "app_5deaa3example0010cc4ba4"},
    )
    assert pyjwt_token != parts.token


def test_falsy_iat_means_now_and_number_formatting() -> None:
    def clock() -> float:
        return 1234.9

    assert json.loads(widget_jwt_parts("u", key_id="k", secret="s", iat=0, clock=clock).payload_json)["iat"] == 1234
    assert widget_jwt_parts("u", key_id="k", secret="s", iat=10**21).payload_json.endswith('"iat":1e+21}')
    assert widget_jwt_parts("u", key_id="k", secret="s", iat=2**53 + 1).payload_json.endswith('"iat":9007199254740992}')
    assert widget_jwt_parts("u", key_id="k", secret="s", iat=10**400).payload_json.endswith('"iat":null}')
    assert widget_jwt_parts("u", key_id="\u00e9\u4e2d", secret="s", iat=1).header_bytes.endswith(b'"\xe9-"}')


def test_intermediate_values_match_the_vectors() -> None:
    from conformance.paths import vectors_dir

    document = json.loads((vectors_dir() / "khoros_widget_jwt.json").read_text())
    checked = 0
    for group in document["testGroups"]:
        for test in group["tests"]:
            if "intermediate" not in test:
                continue
            args = test["input"]
            parts = widget_jwt_parts(
                args["userId"],
                key_id=args["keyId"],
                secret=args["secret"],
                iat=args.get("iat"),
                clock=lambda now=args["now"]: float(now),
            )
            expected = test["intermediate"]
            assert parts.header_bytes.hex() == expected["headerBytes"]
            assert parts.payload_bytes.hex() == expected["payloadBytes"]
            assert parts.signing_input == expected["signingInput"]
            assert parts.signature == expected["signature"]
            checked += 1
    assert checked >= 40


def test_every_vector_case_is_loaded() -> None:
    cases = [c for c in load_cases() if c.flow == "khoros_widget_jwt"]
    assert len(cases) >= 100
    assert {c.error for c in cases if c.error} >= {
        "AlgorithmNotAllowed",
        "BadSignature",
        "KidMismatch",
        "MalformedToken",
        "UnsignedToken",
        "SecretIsAsymmetricKey",
        "EmptyKey",
    }


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: widget_jwt(None, key_id="k", secret=SECRET), NullArgument),  # type: ignore[arg-type]
        (lambda: widget_jwt(5, key_id="k", secret=SECRET), InvalidArgument),  # type: ignore[arg-type]
        (lambda: widget_jwt("u", key_id=b"k", secret=SECRET), InvalidArgument),  # type: ignore[arg-type]
        (lambda: widget_jwt("u", key_id="k", secret=SECRET, iat="1"), InvalidArgument),  # type: ignore[arg-type]
        (lambda: widget_jwt("u", key_id="k", secret=SECRET, iat=True), InvalidArgument),
        (lambda: widget_jwt("u", key_id="k", secret=""), EmptyKey),
        (lambda: verify_widget_jwt(None, key_id="k", secret=SECRET), NullArgument),  # type: ignore[arg-type]
        (lambda: verify_widget_jwt("a.b.c", key_id="k", secret=SECRET, now="x"), InvalidArgument),  # type: ignore[arg-type]
        (lambda: verify_widget_jwt("a.b", key_id="k", secret=SECRET), MalformedToken),
        (
            lambda: verify_widget_jwt(widget_jwt("u", key_id="k", secret=SECRET), key_id="k", secret=SECRET + "!"),
            BadSignature,
        ),
        (lambda: verify_widget_jwt(widget_jwt("u", key_id="k", secret=SECRET), key_id="K", secret=SECRET), KidMismatch),
        (lambda: verify_widget_jwt("eyJhbGciOiJub25lIn0.e30.", key_id="k", secret=SECRET), UnsignedToken),
        (lambda: verify_widget_jwt("eyJhbGciOiJub25lIn0.e30.eA", key_id="k", secret=SECRET), AlgorithmNotAllowed),
    ],
)
def test_bad_input_is_a_typed_error_without_the_secret(call: Any, error: type[ConformanceError]) -> None:
    with pytest.raises(error) as caught:
        call()
    assert type(caught.value) is error
    assert SECRET not in str(caught.value)


def test_pem_private_key_as_secret_is_refused() -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    pem = (
        ec.generate_private_key(ec.SECP256R1())
        .private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        .decode()
    )
    with pytest.raises(SecretIsAsymmetricKey) as caught:
        widget_jwt("u", key_id="k", secret=pem)
    assert pem not in str(caught.value)
