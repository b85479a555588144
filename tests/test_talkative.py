"""Talkative signed interaction data: Python against live jose (one node process, batched) and the openssl CLI."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature
from hypothesis import given
from hypothesis import strategies as st

from conformance.codecs import encode_base64_url_safe
from conformance.errors import (
    AlgNone,
    AlgorithmNotAllowed,
    BadSignature,
    ConformanceError,
    InvalidArgument,
    InvalidInteractionData,
    InvalidKeyMaterial,
    MalformedToken,
    SignatureEncoding,
)
from conformance.vendors import talkative
from conformance.vendors.talkative import (
    UnsignedFieldPolicy,
    sign_interaction_data,
    signing_input,
    verify_interaction_data,
)
from tests.conftest import require_reference
from tests.strategies import assert_batch_matches

KEY = ec.derive_private_key(0x7A1C, ec.SECP256R1())
PRIVATE_PEM, PUBLIC_PEM = talkative.private_key_pem(KEY), talkative.public_key_pem(KEY)
OTHER_PUBLIC_PEM = talkative.public_key_pem(ec.derive_private_key(0x7A1D, ec.SECP256R1()))
TEXT = st.one_of(
    st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=16),
    st.lists(
        st.one_of(
            st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
            st.characters(min_codepoint=0x10000, max_codepoint=0x10FFFF),
            st.characters(min_codepoint=0, max_codepoint=0x7F),
        ),
        max_size=10,
    ).map("".join),
)
FIELD = st.fixed_dictionaries({"label": TEXT, "data": TEXT, "type": st.one_of(st.just("string"), TEXT)})
BAD_FIELD = st.one_of(
    st.fixed_dictionaries({"label": TEXT, "data": st.integers()}),
    st.fixed_dictionaries({"label": TEXT, "data": TEXT, "type": TEXT, "extra": TEXT}),
    st.none(),
    TEXT,
)
FIELDS = st.one_of(st.lists(FIELD, max_size=4), st.lists(st.one_of(FIELD, BAD_FIELD), min_size=1, max_size=3))


@pytest.fixture(scope="module")
def node_ref() -> Any:
    from conformance.references import node

    require_reference("node", node.available)
    return node


NONE_HEAD = encode_base64_url_safe(b'{"alg":"none"}')
HS256_HEAD = encode_base64_url_safe(b'{"alg":"HS256"}')
ES256_HEAD = encode_base64_url_safe(b'{"alg":"ES256"}')


def _compare(node_ref: Any, op: str, batch: list[dict[str, Any]]) -> None:
    assert_batch_matches("node", op, batch, "jose")


@given(st.lists(FIELDS, min_size=1, max_size=6))
def test_signing_input_is_byte_identical_to_jose(node_ref: Any, batch: list[Any]) -> None:
    _compare(node_ref, "talkative.signing_input", [{"fields": fields} for fields in batch])


@given(st.lists(st.lists(FIELD, max_size=3), min_size=1, max_size=3), st.data())
def test_tokens_cross_verify_and_verifiers_agree(node_ref: Any, batch: list[Any], data: st.DataObject) -> None:
    python_tokens = [sign_interaction_data(fields, PRIVATE_PEM) for fields in batch]
    jose_tokens = node_ref.call_many(
        [("talkative.sign_jose", {"fields": fields, "alg": "ES256", "keyPem": PRIVATE_PEM}) for fields in batch]
    )
    checks = []
    for token, jose_token in zip(python_tokens, jose_tokens, strict=True):
        assert jose_token.status == "value", jose_token.describe()
        for candidate in (token, jose_token.value):
            checks.append({"token": candidate, "publicKeyPem": PUBLIC_PEM})
            checks.append({"token": _mutate(candidate, data), "publicKeyPem": PUBLIC_PEM})
    answers = node_ref.call_many([("talkative.verify", args) for args in checks])
    for index, fields in enumerate(batch):  # every unmutated token verifies in both, to the same fields
        expected = [{"label": f["label"], "data": f["data"], "type": f["type"]} for f in fields]
        for offset in (0, 2):
            args, answer = checks[4 * index + offset], answers[4 * index + offset]
            assert answer.value == verify_interaction_data(args["token"], PUBLIC_PEM) == _json_round_trip(expected)
    _compare(node_ref, "talkative.verify", checks)


def _json_round_trip(value: Any) -> Any:
    import json

    return json.loads(json.dumps(value))


def _mutate(token: str, data: st.DataObject) -> str:  # noqa: PLR0911 - one return per mutation kind
    head, payload, signature = token.split(".")
    raw = base64.urlsafe_b64decode(signature + "==")
    choice = data.draw(st.integers(0, 8))
    if choice == 0:
        r, s = int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
        return f"{head}.{payload}.{encode_base64_url_safe(encode_dss_signature(r, s))}"
    if choice == 1:
        position = data.draw(st.integers(0, len(token) - 1))
        return token[:position] + data.draw(st.sampled_from("AQgw-_=+/. \t\u00e9")) + token[position + 1 :]
    if choice == 2:
        return token[: data.draw(st.integers(0, len(token)))]
    if choice == 3:
        alg = data.draw(st.sampled_from(["none", "HS256", "ES384", "", "ES256"]))
        header = encode_base64_url_safe(('{"alg":"' + alg + '"}').encode())
        return f"{header}.{payload}.{signature}"
    if choice == 4:
        return f"{head}.{payload}.{encode_base64_url_safe(data.draw(st.binary(min_size=60, max_size=72)))}"
    if choice == 5:
        header = data.draw(st.sampled_from(['{"alg":"ES256","crit":["b64"],"b64":true}', '{"alg":"ES256","crit":[]}']))
        return f"{encode_base64_url_safe(header.encode())}.{payload}.{signature}"
    if choice == 6:
        body = data.draw(st.binary(max_size=30))
        signing = f"{head}.{encode_base64_url_safe(body)}"
        der = KEY.sign(signing.encode(), ec.ECDSA(hashes.SHA256()))
        r, s = decode_dss_signature(der)
        return f"{signing}.{encode_base64_url_safe(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"
    if choice == 7:
        return f"{head}.{payload}.{signature}" + data.draw(st.sampled_from(["=", "==", ".", " ", "A"]))
    return data.draw(TEXT)


def test_rfc6979_known_answer() -> None:
    """RFC 6979 appendix A.2.5, P-256 with SHA-256, message "sample": deterministic_signing gives the RFC's r, s."""
    key = ec.derive_private_key(0xC9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721, ec.SECP256R1())
    der = key.sign(b"sample", ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
    assert decode_dss_signature(der) == (
        0xEFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716,
        0xF7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8,
    )


def test_deterministic_and_random_signing_share_the_signing_input() -> None:
    fields = [{"label": "name", "data": "Jos\u00e9", "type": "string"}]
    first = sign_interaction_data(fields, PRIVATE_PEM)
    assert first == sign_interaction_data(fields, PRIVATE_PEM)
    random_token = sign_interaction_data(fields, PRIVATE_PEM, deterministic=False)
    assert random_token.rsplit(".", 1)[0] == first.rsplit(".", 1)[0] == signing_input(fields)
    assert verify_interaction_data(random_token, PUBLIC_PEM) == fields


def _token(fields: list[dict[str, str]] | None = None) -> str:
    return sign_interaction_data(fields or [{"label": "a", "data": "b", "type": "string"}], PRIVATE_PEM)


def _der_token() -> str:
    head, payload, signature = _token().split(".")
    raw = base64.urlsafe_b64decode(signature + "==")
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    return f"{head}.{payload}.{encode_base64_url_safe(der)}"


def _hs256_confusion() -> str:
    import hashlib
    import hmac

    signing = f"{HS256_HEAD}.{_token().split('.')[1]}"
    return (
        f"{signing}.{encode_base64_url_safe(hmac.new(PUBLIC_PEM.encode(), signing.encode(), hashlib.sha256).digest())}"
    )


def _signed_payload(payload: bytes) -> str:
    signing = f"{ES256_HEAD}.{encode_base64_url_safe(payload)}"
    r, s = decode_dss_signature(KEY.sign(signing.encode(), ec.ECDSA(hashes.SHA256())))
    return f"{signing}.{encode_base64_url_safe(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"


def test_each_attack_has_its_own_reason() -> None:
    head, payload, signature = _token().split(".")
    cases = {
        AlgNone: lambda: verify_interaction_data(f"{NONE_HEAD}.{payload}.", PUBLIC_PEM),
        AlgorithmNotAllowed: lambda: verify_interaction_data(_hs256_confusion(), PUBLIC_PEM),
        SignatureEncoding: lambda: verify_interaction_data(_der_token(), PUBLIC_PEM),
        BadSignature: lambda: verify_interaction_data(_token(), OTHER_PUBLIC_PEM),
        MalformedToken: lambda: verify_interaction_data(f"{head}.{payload}", PUBLIC_PEM),
        InvalidInteractionData: lambda: verify_interaction_data(_signed_payload(b'{"label":"a"}'), PUBLIC_PEM),
        InvalidKeyMaterial: lambda: verify_interaction_data(_token(), PRIVATE_PEM),
    }
    reasons = set()
    for error, call in cases.items():
        with pytest.raises(error) as caught:
            call()
        assert type(caught.value) is error
        reasons.add(caught.value.reason_path())
        assert "PRIVATE KEY" not in str(caught.value) and PUBLIC_PEM not in str(caught.value)
    assert len(reasons) == len(cases)
    tampered = f"{head}.{encode_base64_url_safe(b'[]')}.{signature}"
    with pytest.raises(BadSignature):
        verify_interaction_data(tampered, PUBLIC_PEM)


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: sign_interaction_data(None, PRIVATE_PEM), InvalidInteractionData),  # type: ignore[arg-type]  (as jose)
        (lambda: sign_interaction_data({"label": "a"}, PRIVATE_PEM), InvalidInteractionData),  # type: ignore[arg-type]
        (lambda: sign_interaction_data([{"label": "a", "data": 1, "type": "n"}], PRIVATE_PEM), InvalidInteractionData),
        (lambda: sign_interaction_data([], "not a pem"), InvalidKeyMaterial),
        (lambda: sign_interaction_data([], PUBLIC_PEM), InvalidKeyMaterial),
        (lambda: sign_interaction_data([], 42), InvalidArgument),  # type: ignore[arg-type]
        (lambda: verify_interaction_data(42, PUBLIC_PEM), InvalidArgument),  # type: ignore[arg-type]
        (
            lambda: talkative.load_public_key("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"),
            InvalidKeyMaterial,
        ),
    ],
)
def test_bad_input_is_a_typed_error(call: Any, error: type[ConformanceError]) -> None:
    with pytest.raises(error) as caught:
        call()
    assert "PRIVATE KEY" not in str(caught.value)


def test_openssl_commands_and_python_keys_have_the_same_shape(tmp_path: Path) -> None:
    from conformance.references import openssl

    require_reference("openssl", openssl.available)
    private_pem, public_pem = openssl.generate_key_files(tmp_path)
    assert talkative.public_pem_from_private(private_pem) == public_pem
    assert talkative.private_key_pem(talkative.load_private_key(private_pem)) == private_pem
    ours_private, ours_public = talkative.generate_signing_key()
    assert openssl.public_pem(ours_private) == ours_public

    def shape(pem: str) -> bytes:
        der = base64.b64decode("".join(pem.strip().splitlines()[1:-1]))
        key = talkative.load_private_key(pem)
        scalar = key.private_numbers().private_value.to_bytes(32, "big")
        point = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        return der.replace(scalar, b"\0" * 32).replace(point, b"\0" * 65)

    assert shape(ours_private) == shape(private_pem)
    token = sign_interaction_data([{"label": "a", "data": "b", "type": "string"}], private_pem)
    assert verify_interaction_data(token, public_pem) == [{"label": "a", "data": "b", "type": "string"}]


def test_write_signing_key(tmp_path: Path) -> None:
    private_path, public_path = talkative.write_signing_key(tmp_path)
    assert private_path.name == "ec_private.pem" and public_path.name == "ec_public.pem"
    assert private_path.stat().st_mode & 0o077 == 0
    assert talkative.public_pem_from_private(private_path.read_text()) == public_path.read_text()


def test_unsigned_fields_pass_only_when_allow_listed_and_never_override_signed() -> None:
    signed = verify_interaction_data(_token([{"label": "email", "data": "a@b.c", "type": "string"}]), PUBLIC_PEM)
    policy = UnsignedFieldPolicy.allowing(["pre_chat_question", "email"])
    admitted = policy.admit(
        signed,
        [
            {"label": "pre_chat_question", "data": "hi", "type": "string"},
            {"label": "email", "data": "evil@x.y", "type": "string"},
            {"label": "account_id", "data": "42", "type": "string"},
        ],
    )
    assert admitted.fields == [
        {"label": "email", "data": "a@b.c", "type": "string"},
        {"label": "pre_chat_question", "data": "hi", "type": "string"},
    ]
    assert admitted.dropped_labels == ["email", "account_id"]
    with pytest.raises(InvalidArgument):
        UnsignedFieldPolicy.allowing([1])  # type: ignore[list-item]


def test_the_openssl_bridge_answers_a_lone_surrogate_as_the_port_does() -> None:
    """No file holds a lone surrogate, so the key never reaches openssl: the bridge says so as the port does (a
    campaign against openssl found the bridge's UnicodeEncodeError as an untyped answer)."""
    from conformance.errors import InvalidKeyMaterial
    from conformance.references import openssl

    require_reference("openssl", openssl.available)
    ours_private, _ = talkative.generate_signing_key()
    broken = ours_private[:40] + "\ud800" + ours_private[40:]
    with pytest.raises(InvalidKeyMaterial):
        openssl.public_pem(broken)
    with pytest.raises(InvalidKeyMaterial):
        talkative.public_pem_from_private(broken)


def _answer(function: Any, text: str) -> str:
    try:
        return function(text)
    except InvalidKeyMaterial:
        return "InvalidKeyMaterial"


def test_the_port_reads_key_pem_as_the_openssl_cli_does() -> None:
    """A campaign against ``openssl ec -pubout`` found the port reading PEM with cryptography's reader (a one-line
    key accepted) and refusing a SEC1 key whose scalar no longer matches its stored point (openssl writes the stored
    point unchecked). On a new key, every text of the vector generator's PEM-reading cases, and the forms OpenSSL's
    reader treats apart, get the live openssl's answer."""
    from conformance.references import openssl
    from vectors.generators.talkative import _pem_reading_cases

    require_reference("openssl", openssl.available)
    private_pem, public_pem = talkative.generate_signing_key()
    begin, *body, end = private_pem.splitlines()
    texts = [text for _, text, _ in _pem_reading_cases(private_pem)]
    texts += [
        "\ufeff" + private_pem,
        private_pem.replace("\n", "\r\n"),
        private_pem.replace("\n", "\r"),
        f"{begin}\nFoo: bar\n\n" + "\n".join([*body, end]) + "\n",
        f"{begin}\nProc-Type: 4,ENCRYPTED\n\n" + "\n".join([*body, end]) + "\n",
        "\n".join([begin, body[0][:10] + " \t" + body[0][10:], *body[1:], end]) + "\n",
        "\n".join([begin, body[0][:10] + "\x0b" + body[0][10:], *body[1:], end]) + "\n",
        "\n".join([begin, *body, end + "\xa0"]) + "\n",
        private_pem.replace("EC PRIVATE KEY", "RSA PRIVATE KEY"),
        private_pem.replace("END EC", "END RSA"),
        private_pem + private_pem,
    ]
    answers = [(_answer(openssl.public_pem, text), _answer(talkative.public_pem_from_private, text)) for text in texts]
    assert [theirs == ours for theirs, ours in answers] == [True] * len(texts), answers
    assert {theirs for theirs, _ in answers} >= {"InvalidKeyMaterial", public_pem}  # both kinds of answer occur
    changed = next(text for comment, text, _ in _pem_reading_cases(private_pem) if "scalar" in comment)
    assert openssl.public_pem(changed) == public_pem == talkative.public_pem_from_private(changed)
