"""Thread Messenger auto-authentication: Python against the live PHP reference, and the Python surface itself.

The differential properties draw a *list* of inputs per example and send it to PHP as one batch, so one PHP
process answers the whole test run (``php.process()``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance.contract import from_python_object
from conformance.errors import (
    ConformanceError,
    EmptySecret,
    InvalidArgument,
    NullArgument,
    UnencodableText,
)
from conformance.judge import same
from conformance.outcome import Outcome
from conformance.references import php
from conformance.vendors import thread
from tests.conftest import answer, require_reference

CANARY = "Canary-Secret-9f3b\u00e9"  # must never appear in an error message


@pytest.fixture(scope="module")
def reference() -> None:
    require_reference("php", php.available)


# --- strategies ----------------------------------------------------------------------------------------------------

_CASE_AND_SPACE: list[Callable[[str], str]] = [
    lambda s: s,
    str.upper,
    str.title,
    lambda s: f" {s}",
    lambda s: f"{s}\n",
    lambda s: f"{s}\u00a0",
]
#: Text PHP must hash as UTF-8: any scalar value, including NUL, combining marks and astral characters.
unicode_text = st.text(st.characters(codec="utf-8"), max_size=40)
#: Text with lone surrogates (never encodable): both sides must answer UnencodableText.
surrogate_text = st.builds(
    lambda head, surrogates, tail: head + surrogates + tail,
    st.text(st.characters(codec="utf-8"), max_size=6),
    st.lists(st.integers(0xD800, 0xDFFF).map(chr), min_size=1, max_size=3).map("".join),
    st.text(st.characters(codec="utf-8"), max_size=6),
)
_LOCAL = st.text(st.sampled_from("abcXYZ019._+-\u00e9\u00fc\u7528"), min_size=1, max_size=10)
_DOMAIN = st.sampled_from(
    ["bar.com", "Bar.COM", "b\u00fccher.de", "xn--bcher-kva.de", "\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444"]
)
#: Email-shaped text: ASCII and EAI local parts, IDN domains as U-label and A-label, case and whitespace variants.
emails = st.builds(
    lambda local, domain, vary: vary(f"{local}@{domain}"), _LOCAL, _DOMAIN, st.sampled_from(_CASE_AND_SPACE)
)
#: Secrets around and beyond the 64-byte HMAC block (counted in bytes, so multi-byte characters push past it).
long_text = st.text(st.characters(codec="utf-8"), min_size=60, max_size=120)
texts = st.one_of(unicode_text, emails, long_text, st.just(""), surrogate_text)
BATCH = st.integers(min_value=1, max_value=6)


def _same(calls: list[tuple[str, dict[str, Any]]]) -> None:
    """Every call answered by PHP and by Python must be the same value or the same reason path."""
    remote = php.call_many(calls)
    for (op, args), theirs in zip(calls, remote, strict=True):
        assert theirs.status in {"value", "error"}, theirs.describe()
        ours = answer("python", op, args)
        assert same(ours, theirs), f"{op}: python {ours.describe()} / php {theirs.describe()}"


# --- differential properties against the live PHP ----------------------------------------------------------------


@given(st.lists(st.tuples(texts, texts), min_size=1, max_size=6))
def test_connection_key_matches_php(reference: None, pairs: list[tuple[str, str]]) -> None:
    _same([("thread.connection_key", {"email": e, "secret": s}) for e, s in pairs])


@given(st.lists(st.tuples(st.binary(max_size=80), st.binary(max_size=200)), min_size=1, max_size=6))
def test_connection_key_bytes_matches_php(reference: None, pairs: list[tuple[bytes, bytes]]) -> None:
    _same([("thread.connection_key_bytes", {"emailHex": e.hex(), "secretHex": s.hex()}) for e, s in pairs])


@given(st.lists(texts, min_size=1, max_size=6))
def test_text_bytes_match_php(reference: None, values: list[str]) -> None:
    _same([("thread.text_bytes", {"text": v}) for v in values])


_KEY_EDITS: list[Callable[[str], str]] = [
    lambda k: k,
    str.upper,
    lambda k: k[:-1],
    lambda k: k + "\n",
    lambda k: f" {k}",
    lambda k: k[::-1],
    lambda k: k[:5] + ("0" if k[5:6] != "0" else "1") + k[6:],
]


@given(
    st.lists(
        st.tuples(texts, texts, st.sampled_from(_KEY_EDITS), st.one_of(st.none(), unicode_text)),
        min_size=1,
        max_size=6,
    )
)
def test_verify_matches_php(reference: None, cases: list[tuple[str, str, Callable[[str], str], str | None]]) -> None:
    keys = php.call_many([("thread.connection_key", {"email": e, "secret": s}) for e, s, _, _ in cases])
    calls = []
    for (email, secret, edit, other), made in zip(cases, keys, strict=True):
        # PHP's own key, kept or edited; or another text when drawn (or when PHP made no key)
        key = edit(made.value) if other is None and made.status == "value" else other or ""
        calls.append(("thread.verify_connection_key", {"email": email, "secret": secret, "key": key}))
    _same(calls)


@given(st.lists(st.tuples(unicode_text, texts, texts), min_size=1, max_size=6))
def test_messenger_params_match_php(reference: None, triples: list[tuple[str, str, str]]) -> None:
    _same([("thread.messenger_params", {"appId": a, "email": e, "secret": s}) for a, e, s in triples])


def test_php_keys_verify_in_python_and_python_keys_verify_in_php(reference: None) -> None:
    pairs = [("foo@bar.com", "s"), ("Jos\u00e9@b\u00fccher.de", "\U0001f511" * 30), ("", "x" * 100)]
    php_keys = php.call_many([("thread.connection_key", {"email": e, "secret": s}) for e, s in pairs])
    assert all(thread.verify_connection_key(e, s, k.value) for (e, s), k in zip(pairs, php_keys, strict=True))
    verdicts = php.call_many(
        [
            ("thread.verify_connection_key", {"email": e, "secret": s, "key": thread.connection_key(e, s)})
            for e, s in pairs
        ]
    )
    assert all(same(v, Outcome.of_value(True)) for v in verdicts), [v.describe() for v in verdicts]


def test_differential_check_can_fail(reference: None) -> None:
    """The comparison is not vacuous: an implementation with key and message swapped is caught."""
    args = {"email": "foo@bar.com", "secret": "s3cret"}
    swapped = from_python_object({"thread.connection_key": lambda a: thread.connection_key(a["secret"], a["email"])})
    (theirs,) = php.call_many([("thread.connection_key", args)])
    assert not same(swapped.call_many([("thread.connection_key", args)])[0], theirs)


def test_one_php_process_for_the_run(reference: None) -> None:
    proc = php.process()
    assert proc is php.process()
    assert proc.restarts == 0, "the PHP process died and was restarted during the run"
    assert proc.hello["versions"]["php"].count(".") == 2


def test_php_errors_never_echo_the_secret(reference: None) -> None:
    bad = [
        ("thread.connection_key", {"email": "\ud800", "secret": CANARY}),
        ("thread.connection_key", {"email": "a", "secret": CANARY + "\udfff"}),
        ("thread.messenger_params", {"appId": "x", "email": None, "secret": CANARY}),
        ("thread.verify_connection_key", {"email": "a", "secret": CANARY, "key": 5}),
    ]
    for outcome in php.call_many(bad):
        assert outcome.status == "error"
        assert "Canary" not in (outcome.message or "")


def test_missing_php_is_unavailable(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.setenv("HANDOFF_PHP", "")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert "not installed" in (php.available() or "")


# --- the Python surface ----------------------------------------------------------------------------------------------


def test_rfc4231_case_2() -> None:
    """An independent known answer: RFC 4231 test case 2 (key 'Jefe')."""
    expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    assert thread.connection_key("what do ya want for nothing?", "Jefe") == expected


def test_no_normalization() -> None:
    keys = {thread.connection_key(e, "s") for e in ["Foo@Bar.com", "foo@bar.com", " foo@bar.com", "foo@bar.com\n"]}
    assert len(keys) == 4


def test_text_is_utf8() -> None:
    assert thread.encode_text("b\u00fccher") == b"b\xc3\xbccher"
    assert thread.connection_key("\u00e9", "k") == thread.connection_key_bytes(b"\xc3\xa9", b"k")
    assert thread.connection_key("\u00e9", "k") != thread.connection_key_bytes(b"\xe9", b"k")


def test_verify_uses_compare_digest(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[Any, Any]] = []
    real = thread.hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        seen.append((a, b))
        return real(a, b)

    monkeypatch.setattr(thread.hmac, "compare_digest", spy)
    key = thread.connection_key("foo@bar.com", "s")
    assert thread.verify_connection_key("foo@bar.com", "s", key) is True
    assert thread.verify_connection_key("foo@bar.com", "s", key.upper()) is False
    assert thread.verify_connection_key("foo@bar.com", "s", "\u00e9" * 64) is False
    assert len(seen) == 3


@pytest.mark.parametrize(
    "key_edit", [str.upper, lambda k: k[:-1], lambda k: k + " ", lambda k: "", lambda k: k.replace(k[0], "g", 1)]
)
def test_verify_rejects_near_misses(key_edit: Callable[[str], str]) -> None:
    key = thread.connection_key("foo@bar.com", "s")
    assert thread.verify_connection_key("foo@bar.com", "s", key) is True
    assert thread.verify_connection_key("foo@bar.com", "s", key_edit(key)) is False
    assert thread.verify_connection_key("Foo@Bar.com", "s", key) is False


def test_messenger_params_shape() -> None:
    params = thread.messenger_params("app-1", "Foo@Bar.com ", "s")
    assert list(params) == ["appId", "connectionType", "connectionEmail", "connectionKey"]
    assert "conenctionEmail" not in params
    assert params["connectionType"] == "messenger_auth"
    assert params["connectionEmail"] == "Foo@Bar.com "
    assert params["connectionKey"] == thread.connection_key("Foo@Bar.com ", "s")
    assert thread.verify_connection_key(params["connectionEmail"], "s", params["connectionKey"])
    assert "s" not in params.values()


def test_messenger_params_refuses_an_empty_secret() -> None:
    with pytest.raises(EmptySecret):
        thread.messenger_params("app", "foo@bar.com", "")
    assert thread.connection_key("foo@bar.com", "") == thread.connection_key_bytes(b"foo@bar.com", b"")


#: Each public function with good arguments (the secret is the canary); one argument at a time is replaced.
_GOOD: dict[str, tuple[Callable[..., Any], list[Any]]] = {
    "connection_key": (thread.connection_key, ["foo@bar.com", CANARY]),
    "verify_connection_key": (thread.verify_connection_key, ["foo@bar.com", CANARY, "0" * 64]),
    "messenger_params": (thread.messenger_params, ["app", "foo@bar.com", CANARY]),
}


@pytest.mark.parametrize("function", sorted(_GOOD))
@pytest.mark.parametrize(
    ("bad", "error"),
    [
        (None, NullArgument),
        (42, InvalidArgument),
        (b"foo@bar.com", InvalidArgument),
        (["x"], InvalidArgument),
        ("\ud800", UnencodableText),
        ("foo\udcfc@bar.com", UnencodableText),
        (CANARY + "\udfff", UnencodableText),
    ],
)
def test_bad_input_is_a_typed_error_without_the_secret(function: str, bad: Any, error: type[ConformanceError]) -> None:
    call, good = _GOOD[function]
    call(*good)
    for index in range(len(good)):
        args = list(good)
        args[index] = bad
        with pytest.raises(error) as caught:
            call(*args)
        assert not isinstance(caught.value, (ValueError, TypeError))
        text = f"{caught.value} {caught.value!r} {caught.value.args}"
        assert "Canary" not in text and "foo@bar" not in text


def test_bytes_function_rejects_text() -> None:
    with pytest.raises(InvalidArgument):
        thread.connection_key_bytes("foo", b"k")  # type: ignore[arg-type]
    with pytest.raises(NullArgument):
        thread.connection_key_bytes(b"foo", None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "args",
    [{}, {"emailHex": "0", "secretHex": ""}, {"emailHex": "zz", "secretHex": ""}, {"emailHex": " 00", "secretHex": ""}],
)
def test_op_arguments_are_checked(args: dict[str, Any]) -> None:
    outcome = answer("python", "thread.connection_key_bytes", args)
    assert (outcome.status, outcome.reason) == ("error", "InvalidArgument")
