"""The BoldChat server-side validator model: the document's exact messages, the injectable clock, Unsecured, and a
durable ChatKey store that holds under concurrent launches from threads and from processes."""

from __future__ import annotations

import logging
import multiprocessing
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conformance.errors import (
    ChatLaunchAlreadyUsed,
    ChatLaunchExpired,
    ChatNotValidated,
    ConformanceError,
    DataValidationError,
    EmptyKey,
    ErrorValidatingChat,
    InvalidArgument,
    NullArgument,
    ReplayStoreError,
)
from conformance.vendors.boldchat import encode_parameters, secure_parameters_sha512
from conformance.vendors.boldchat_validator import (
    REPLAY_DB_ENV,
    BoldChatValidator,
    MemoryReplayStore,
    SqliteReplayStore,
    default_replay_path,
)

KEY = "test-hashing-key-0001"  # a test key
NOW = 1_767_225_600_000
LATER = NOW + 3_600_000

#: The document's messages, verbatim from its "Troubleshooting and Error Messages" section.
DOCUMENT_MESSAGES = {
    ChatNotValidated: "Chat Not Validated",
    ErrorValidatingChat: "Error Validating Chat",
    ChatLaunchExpired: "Validated chat launch has expired",
    ChatLaunchAlreadyUsed: "Validated chat launch has already been used",
}


def chat_params(chat_key: str | None = "ck-1", *, kind: str = "chat", expires: int = LATER, **extra: str) -> str:
    pairs = [("VisitName", "Robert Smith"), ("Type", kind), ("Expiration", str(expires))]
    if chat_key is not None:
        pairs.append(("ChatKey", chat_key))
    return secure_parameters_sha512([*pairs, *extra.items()], KEY)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "keys.sqlite3"


@pytest.fixture
def validator(db: Path) -> BoldChatValidator:
    return BoldChatValidator(KEY, store=SqliteReplayStore(db), clock=lambda: NOW)


# --- every failure: the document's message and a typed error ---------------------------------------------------

FAILURES: list[tuple[str, Callable[[], tuple[str, str]], type[DataValidationError], str]] = [
    ("blank", lambda: ("chat", ""), ChatNotValidated, "ChatNotValidated/NoSecureParameters"),
    (
        "no Type",
        lambda: ("chat", secure_parameters_sha512("vn=a", KEY)),
        ChatNotValidated,
        "ChatNotValidated/TypeMissing",
    ),
    (
        "visit data, chat launch",
        lambda: ("chat", chat_params(kind="visit")),
        ChatNotValidated,
        "ChatNotValidated/TypeMismatch",
    ),
    (
        "wrong key",
        lambda: ("chat", secure_parameters_sha512("Type=chat", "other")),
        ErrorValidatingChat,
        "ErrorValidatingChat/HashMismatch",
    ),
    ("no hash", lambda: ("chat", "Type=chat"), ErrorValidatingChat, "ErrorValidatingChat/MalformedHash"),
    (
        "bad Expiration",
        lambda: ("chat", chat_params(expires="soon")),
        ErrorValidatingChat,
        "ErrorValidatingChat/MalformedExpiration",
    ),  # type: ignore[arg-type]
    ("expired", lambda: ("chat", chat_params(expires=NOW - 1)), ChatLaunchExpired, "ChatLaunchExpired"),
]


@pytest.mark.parametrize(("label", "request_of", "error", "path"), FAILURES, ids=[f[0] for f in FAILURES])
def test_each_failure_has_the_documents_message(
    validator: BoldChatValidator,
    label: str,
    request_of: Callable[[], tuple[str, str]],
    error: type[DataValidationError],
    path: str,
) -> None:
    request_type, secure = request_of()
    with pytest.raises(error) as caught:
        validator.launch(request_type, secure)
    assert str(caught.value) == DOCUMENT_MESSAGES[error]
    assert caught.value.reason_path() == path
    assert isinstance(caught.value, DataValidationError)


def test_replay_has_the_documents_message(validator: BoldChatValidator) -> None:
    secure = chat_params("once")
    assert validator.launch("chat", secure).type == "chat"
    with pytest.raises(ChatLaunchAlreadyUsed) as caught:
        validator.launch("chat", secure)
    assert str(caught.value) == "Validated chat launch has already been used"


def test_messages_are_fixed_whatever_the_constructor_gets() -> None:
    for error, message in DOCUMENT_MESSAGES.items():
        assert str(error()) == message


# --- the clock ----------------------------------------------------------------------------------------------------


@given(st.integers(0, 2**50), st.integers(-5, 5))
def test_expired_exactly_when_now_reaches_expiration(expires: int, offset: int) -> None:
    now = expires + offset
    validator = BoldChatValidator(KEY, store=MemoryReplayStore(), clock=lambda: now)
    secure = chat_params(None, expires=expires)
    if now >= expires:
        with pytest.raises(ChatLaunchExpired):
            validator.launch("chat", secure)
    else:
        assert validator.launch("chat", secure).type == "chat"


def test_clock_is_read_per_launch(db: Path) -> None:
    now = [NOW]
    validator = BoldChatValidator(KEY, store=SqliteReplayStore(db), clock=lambda: now[0])
    secure = chat_params(None)
    validator.launch("chat", secure)
    now[0] = LATER
    with pytest.raises(ChatLaunchExpired):
        validator.launch("chat", secure)


# --- Unsecured ----------------------------------------------------------------------------------------------------


def test_query_fields_only_when_unsecured_and_unsigned(validator: BoldChatValidator) -> None:
    secure = chat_params(Unsecured="InitialQuestion&VisitName&ChatKey")
    result = validator.launch(
        "chat",
        secure,
        [("iq", "hello"), ("VisitName", "Mallory"), ("OperatorID", "1"), ("ChatKey", "x"), ("Unsecured", "roid")],
    )
    assert result.from_query == [("iq", "hello")]
    assert result.ignored == ["VisitName", "OperatorID", "ChatKey", "Unsecured"]
    assert ("VisitName", "Robert Smith") in result.parameters and ("VisitName", "Mallory") not in result.parameters


# --- the replay store ---------------------------------------------------------------------------------------------


def test_chat_key_survives_a_restart(db: Path) -> None:
    secure = chat_params("restart-key")
    BoldChatValidator(KEY, store=SqliteReplayStore(db), clock=lambda: NOW).launch("chat", secure)
    restarted = BoldChatValidator(KEY, store=SqliteReplayStore(db), clock=lambda: NOW)
    with pytest.raises(ChatLaunchAlreadyUsed):
        restarted.launch("chat", secure)


def _launch_in_child(db: str, secure: str, results: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    validator = BoldChatValidator(KEY, store=SqliteReplayStore(db), clock=lambda: NOW)
    try:
        validator.launch("chat", secure)
        results.put("ok")
    except DataValidationError as exc:
        results.put(exc.reason_path())


def test_chat_key_used_by_another_process_is_refused_here(db: Path) -> None:
    secure = chat_params("cross-process")
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    child = context.Process(target=_launch_in_child, args=(str(db), secure, results))
    child.start()
    child.join(60)
    assert child.exitcode == 0 and results.get(timeout=5) == "ok"
    with pytest.raises(ChatLaunchAlreadyUsed):
        BoldChatValidator(KEY, store=SqliteReplayStore(db), clock=lambda: NOW).launch("chat", secure)


def test_memory_store_forgets_on_restart() -> None:
    secure = chat_params("mem")
    BoldChatValidator(KEY, store=MemoryReplayStore(), clock=lambda: NOW).launch("chat", secure)
    BoldChatValidator(KEY, store=MemoryReplayStore(), clock=lambda: NOW).launch("chat", secure)


def test_concurrent_threads_one_key_exactly_one_success(db: Path) -> None:
    threads, rounds = 12, 8
    store = SqliteReplayStore(db)
    validator = BoldChatValidator(KEY, store=store, clock=lambda: NOW)
    for round_number in range(rounds):
        secure = chat_params(f"thread-race-{round_number}")
        barrier = threading.Barrier(threads)
        outcomes: list[str] = []
        lock = threading.Lock()

        def race(
            secure: str = secure,
            barrier: threading.Barrier = barrier,
            outcomes: list[str] = outcomes,
            lock: threading.Lock = lock,
        ) -> None:
            own = BoldChatValidator(KEY, store=SqliteReplayStore(db), clock=lambda: NOW)
            target = own if threading.get_ident() % 2 else validator  # shared and per-thread validators alike
            barrier.wait()
            try:
                target.launch("chat", secure)
                outcome = "ok"
            except ChatLaunchAlreadyUsed:
                outcome = "used"
            with lock:
                outcomes.append(outcome)

        workers = [threading.Thread(target=race) for _ in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
        assert sorted(outcomes) == ["ok"] + ["used"] * (threads - 1), (round_number, outcomes)


def _race_in_process(db: str, secures: list[str], barrier: object, results: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    validator = BoldChatValidator(KEY, store=SqliteReplayStore(db), clock=lambda: NOW)
    barrier.wait()  # type: ignore[attr-defined]
    for index, secure in enumerate(secures):
        try:
            validator.launch("chat", secure)
            results.put((index, "ok"))
        except ChatLaunchAlreadyUsed:
            results.put((index, "used"))


def test_concurrent_processes_one_key_exactly_one_success(db: Path) -> None:
    processes, keys = 4, 30
    SqliteReplayStore(db)
    secures = [chat_params(f"process-race-{i}") for i in range(keys)]
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(processes)
    results = context.Queue()
    children = [
        context.Process(target=_race_in_process, args=(str(db), secures, barrier, results)) for _ in range(processes)
    ]
    for child in children:
        child.start()
    outcomes = [results.get(timeout=120) for _ in range(processes * keys)]
    for child in children:
        child.join(60)
        assert child.exitcode == 0
    for index in range(keys):
        per_key = sorted(outcome for i, outcome in outcomes if i == index)
        assert per_key == ["ok"] + ["used"] * (processes - 1), (index, per_key)


def test_store_holds_neither_chat_keys_nor_hashing_keys(db: Path, validator: BoldChatValidator) -> None:
    validator.launch("chat", chat_params("session-abc123"))
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT * FROM used_chat_keys").fetchall()
    assert len(rows) == 1
    dumped = repr(rows) + db.read_bytes().decode("latin-1")
    assert "session-abc123" not in dumped and KEY not in dumped


def test_default_path_is_configurable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(REPLAY_DB_ENV, str(tmp_path / "configured.sqlite3"))
    assert default_replay_path() == tmp_path / "configured.sqlite3"
    assert SqliteReplayStore().path == tmp_path / "configured.sqlite3"
    assert (tmp_path / "configured.sqlite3").exists()


def test_unusable_store_path_is_a_typed_error(tmp_path: Path) -> None:
    with pytest.raises(ReplayStoreError):
        SqliteReplayStore(tmp_path)  # a directory


# --- bad input and key hygiene -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda v: v.launch("webinar", chat_params()), InvalidArgument),
        (lambda v: v.launch("Chat", chat_params()), InvalidArgument),
        (lambda v: v.launch("chat", None), NullArgument),
        (lambda v: v.launch("chat", chat_params(), "a=b"), InvalidArgument),
        (lambda v: v.launch("chat", chat_params(), [("a",)]), InvalidArgument),
        (lambda v: BoldChatValidator([], store=MemoryReplayStore()), EmptyKey),
        (lambda v: BoldChatValidator("", store=MemoryReplayStore()), EmptyKey),
    ],
)
def test_bad_input_is_a_typed_error(validator: BoldChatValidator, call: Callable, error: type) -> None:
    with pytest.raises(error) as caught:
        call(validator)
    assert isinstance(caught.value, ConformanceError)


def test_no_key_material_in_errors_logs_or_repr(db: Path, caplog: pytest.LogCaptureFixture) -> None:
    secret = "s3cr3t-Hashing-KEY"
    validator = BoldChatValidator([secret, "second-secret"], store=SqliteReplayStore(db), clock=lambda: NOW)
    good = secure_parameters_sha512([("Type", "chat"), ("ChatKey", "sess-42"), ("ve", "v@example.org")], secret)
    requests = [
        ("chat", good),
        ("chat", good),
        ("visit", good),
        ("chat", secure_parameters_sha512("Type=chat", "nope")),
        ("chat", good.replace("sess", "hack")),
        ("chat", ""),
    ]
    with caplog.at_level(logging.DEBUG, logger="conformance"):
        for request_type, secure in requests:
            try:
                validator.launch(request_type, secure)
            except DataValidationError as exc:
                rendered = f"{exc} {exc!r} {exc.__cause__!s} {exc.__cause__!r}"
                for material in (secret, "second-secret", "sess-42", "v@example.org", good[:128]):
                    assert material not in rendered
    assert "launch refused: ChatLaunchAlreadyUsed" in caplog.text  # the log is there, and says why
    for material in (secret, "second-secret", "sess-42", "v@example.org", good[:128]):
        assert material not in caplog.text
    assert secret not in repr(validator)


def test_encoded_form_of_the_launch(validator: BoldChatValidator) -> None:
    data = encode_parameters([("Type", "conversion"), ("ConversionRef", "order 17"), ("ca", "1000.15")])
    result = validator.launch("conversion", secure_parameters_sha512(data, KEY))
    assert result.parameters == [("Type", "conversion"), ("ConversionRef", "order 17"), ("ca", "1000.15")]
