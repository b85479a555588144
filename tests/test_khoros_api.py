"""The Khoros port's public API: typed errors, secrets kept out of messages, links, generators."""

from __future__ import annotations

import pytest

from conformance.codecs import decode_base64
from conformance.errors import (
    BadPadding,
    BadTag,
    ConformanceError,
    EmptyKey,
    EncryptionError,
    IllegalBlockSize,
    InvalidArgument,
    InvalidIvLength,
    InvalidKeyLength,
    NullArgument,
    ProviderError,
    TransferLinkError,
)
from conformance.vendors.khoros import (
    Cryptor,
    SymmetricKeyEncryptionProvider,
    build_transfer_link,
    decrypt_payload,
    parse_transfer_link,
)

KEY = "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA="
IV = "kAOZ+mZ/8hT0L1oQw9Xk2A=="


def provider() -> SymmetricKeyEncryptionProvider:
    return SymmetricKeyEncryptionProvider(KEY, IV, True)


def test_round_trip_and_url_safe_unpadded_output() -> None:
    cipher_text = provider().encrypt_string('{"agentId":123}')
    assert set(cipher_text) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert provider().decrypt_string(cipher_text) == '{"agentId":123}'
    assert decrypt_payload(IV, cipher_text, KEY) == {"agentId": 123}


@pytest.mark.parametrize(
    ("cipher_text", "cause"),
    [("AAAA", IllegalBlockSize), ("A" * 22, BadPadding)],
)
def test_encryption_error_carries_typed_cause(cipher_text: str, cause: type[ConformanceError]) -> None:
    with pytest.raises(EncryptionError) as info:
        provider().decrypt_string(cipher_text)
    assert isinstance(info.value.__cause__, cause)
    assert info.value.reason_path() == f"EncryptionError/{cause.reason}"


def test_key_and_iv_length_errors_are_encryption_errors() -> None:
    with pytest.raises(EncryptionError) as info:
        SymmetricKeyEncryptionProvider("short", "0123456789abcdef").encrypt_string("x")
    assert isinstance(info.value.__cause__, InvalidKeyLength)
    with pytest.raises(EncryptionError) as info:
        SymmetricKeyEncryptionProvider("0123456789abcdef", "short").decrypt_string("x")
    assert isinstance(info.value.__cause__, InvalidIvLength)


@pytest.mark.parametrize(
    "call",
    [
        lambda: SymmetricKeyEncryptionProvider(None, IV),  # type: ignore[arg-type]
        lambda: SymmetricKeyEncryptionProvider(KEY, None),  # type: ignore[arg-type]
        lambda: provider().encrypt_string(None),  # type: ignore[arg-type]
        lambda: provider().decrypt_string(None),  # type: ignore[arg-type]
        lambda: decrypt_payload(None, "x", KEY),  # type: ignore[arg-type]
        lambda: Cryptor(None),  # type: ignore[arg-type]
        lambda: Cryptor("k").encrypt_cbc(None, bytes(16)),  # type: ignore[arg-type]
    ],
)
def test_none_is_a_null_argument(call) -> None:
    with pytest.raises(NullArgument):
        call()


@pytest.mark.parametrize(
    "call",
    [
        lambda: SymmetricKeyEncryptionProvider(b"k" * 16, IV),  # type: ignore[arg-type]
        lambda: provider().encrypt_string(42),  # type: ignore[arg-type]
        lambda: Cryptor(3.5),  # type: ignore[arg-type]
        lambda: Cryptor("k").encrypt_gcm("text", b"iv"),  # type: ignore[arg-type]
        lambda: Cryptor("k").random_base64(-1),
        lambda: Cryptor("k").random_base64("8"),  # type: ignore[arg-type]
        lambda: parse_transfer_link(7),  # type: ignore[arg-type]
    ],
)
def test_wrong_types_are_invalid_arguments(call) -> None:
    with pytest.raises(InvalidArgument):
        call()


def test_empty_key_fails_in_the_constructor_like_java() -> None:
    with pytest.raises(EmptyKey):
        SymmetricKeyEncryptionProvider("", IV)
    with pytest.raises(EmptyKey):
        Cryptor(b"")


def test_cryptor_errors() -> None:
    cryptor = Cryptor(bytes(range(16)))
    with pytest.raises(InvalidIvLength):
        cryptor.encrypt_cbc(b"x", b"short")
    with pytest.raises(InvalidIvLength):
        cryptor.encrypt_gcm(b"x", b"")
    with pytest.raises(InvalidKeyLength):
        Cryptor(bytes(17)).encrypt_gcm(b"x", bytes(12))
    with pytest.raises(BadTag):
        cryptor.decrypt_gcm(bytes(32), bytes(12))
    with pytest.raises(ProviderError):
        cryptor.decrypt_gcm(bytes(15), bytes(12))
    sealed = cryptor.encrypt_gcm(b"hello", b"\x01", aad=b"")
    assert cryptor.decrypt_gcm(sealed, b"\x01") == b"hello"  # AAD b"" and None authenticate the same
    assert cryptor.decrypt_cbc(b"", bytes(16)) == b""


def test_secrets_never_appear_in_messages() -> None:
    secret = "my-very-secret-key-material-0001"
    iv = "iv-material-zz-1"
    failures: list[ConformanceError] = []
    for call in (
        lambda: SymmetricKeyEncryptionProvider(secret, iv).decrypt_string("AAAA"),
        lambda: SymmetricKeyEncryptionProvider(secret[:20], iv).encrypt_string("plaintext-secret"),
        lambda: SymmetricKeyEncryptionProvider(secret, iv + "x").encrypt_string("plaintext-secret"),
        lambda: Cryptor(secret).decrypt_gcm(b"\0" * 40, iv.encode()),
    ):
        with pytest.raises(ConformanceError) as info:
            call()
        failures.append(info.value)
    for failure in failures:
        text = f"{failure} {failure.__cause__} {failure!r}"
        for material in (secret, secret[:20], iv, "plaintext-secret"):
            assert material not in text
    assert secret not in repr(Cryptor(secret))
    assert secret not in repr(SymmetricKeyEncryptionProvider(secret, iv))


def test_generators_have_the_java_shapes() -> None:
    assert len(decode_base64(SymmetricKeyEncryptionProvider.generate_new_iv())) == 16
    assert SymmetricKeyEncryptionProvider.generate_new_iv().endswith("==")
    assert len(decode_base64(SymmetricKeyEncryptionProvider.generate_new_key())) == 32
    assert len(decode_base64(Cryptor("k").random_base64(10))) == 10
    assert SymmetricKeyEncryptionProvider.generate_new_key() != SymmetricKeyEncryptionProvider.generate_new_key()


def test_transfer_link_round_trip_keeps_the_plus() -> None:
    link = build_transfer_link("https://portal.example/secure", "QReebTFORdgX-_", IV)
    assert "%2B" in link
    assert parse_transfer_link(link) == ("QReebTFORdgX-_", IV)


def test_transfer_link_with_raw_plus_and_form_decoded_space() -> None:
    raw = f"https://portal.example/?payload=abc&iv={IV}"
    assert parse_transfer_link(raw) == ("abc", IV)
    form_decoded = f"https://portal.example/?payload=abc&iv={IV.replace('+', '%20')}"
    assert parse_transfer_link(form_decoded) == ("abc", IV)
    # what the Java gets without the repair: the space is skipped and the IV has 15 bytes
    assert len(decode_base64(IV.replace("+", " "))) == 15


@pytest.mark.parametrize(
    "url",
    ["https://portal.example/?payload=abc", "https://portal.example/?iv=abc", "https://p/?payload=a&payload=b&iv=c"],
)
def test_transfer_link_without_its_parameters(url: str) -> None:
    with pytest.raises(TransferLinkError):
        parse_transfer_link(url)
