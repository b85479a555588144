"""A model of BoldChat's server-side data validation, so a brand can test its launch code end to end.

The rules, from the document's parameter table and its "Troubleshooting and Error Messages" section, checked in
this order (the first failure wins; a ChatKey is consumed only by a launch that passes every other check):

1. blank SecureParameters -> :class:`ChatNotValidated` ("Chat Not Validated"), cause ``NoSecureParameters``;
2. a hash that is malformed or does not verify under any of the website's hashing keys, or verified data that does
   not decode -> :class:`ErrorValidatingChat` ("Error Validating Chat");
3. a validation-control field (Type, Expiration, ChatKey, Unsecured; friendly or original name) given twice ->
   ``ErrorValidatingChat/AmbiguousParameter`` (the document does not say; the model refuses to guess);
4. ``Type`` missing, or not exactly the request's type (``chat``, ``visit``, ``conversion``) ->
   :class:`ChatNotValidated` with cause ``TypeMissing`` / ``TypeMismatch``;
5. ``Expiration`` that is not ASCII digits -> ``ErrorValidatingChat/MalformedExpiration``; one that is not after
   the clock's "now" in milliseconds since the epoch -> :class:`ChatLaunchExpired`
   ("Validated chat launch has expired"); no Expiration means no expiry;
6. on a chat launch, a ``ChatKey`` already used on this website -> :class:`ChatLaunchAlreadyUsed`
   ("Validated chat launch has already been used"); the key is recorded in a durable store, atomically.

A request's query fields are accepted only when ``Unsecured`` (in the signed data) names them and the signed data
does not hold them; every other query field is ignored, as the document says the server ignores data outside
SecureParameters. The control fields are never taken from the query, even when named.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sqlite3
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from conformance import catalog
from conformance.arguments import (
    INT64_MAX,
    INT64_MIN,
    require_callable,
    require_int,
    require_number,
    require_path,
    require_str,
)
from conformance.errors import (
    AmbiguousParameter,
    ChatLaunchAlreadyUsed,
    ChatLaunchExpired,
    ChatNotValidated,
    ConformanceError,
    DataValidationError,
    ErrorValidatingChat,
    InvalidArgument,
    MalformedExpiration,
    ReplayStoreError,
    TypeMismatch,
    TypeMissing,
)
from conformance.vendors.boldchat import (
    Pairs,
    ParamsInput,
    _hashing_keys,
    checked_pairs,
    parameter_key,
    unsecured_names,
    verify_sha512,
)

log = logging.getLogger(__name__)

REQUEST_TYPES = ("chat", "visit", "conversion")
#: Fields the validator itself reads; never taken from the query string.
CONTROL_KEYS = frozenset({"type", "expires", "ck", "unsecured"})
_DIGITS = re.compile(r"[0-9]+")
REPLAY_DB_ENV = "HANDOFF_BOLDCHAT_REPLAY_DB"
#: The longest wait for a locked store, in seconds.
MAX_TIMEOUT = 3600
#: The most launches one scenario (one ``boldchat.validator.launch`` call) may hold.
MAX_LAUNCHES = 1000


def default_replay_path() -> Path:
    """``$HANDOFF_BOLDCHAT_REPLAY_DB``, else ``~/.cache/handoff-conformance/boldchat_chat_keys.sqlite3``."""
    configured = os.environ.get(REPLAY_DB_ENV)
    if configured:
        return Path(configured)
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return cache / "handoff-conformance" / "boldchat_chat_keys.sqlite3"


def now_ms() -> int:
    """Milliseconds since 1970-01-01 UTC, from the system clock."""
    return time.time_ns() // 1_000_000


class ReplayStore(Protocol):
    def consume(self, namespace: str, chat_key: str, at_ms: int) -> bool:
        """Record ``chat_key`` as used; ``True`` when this call was its first use, atomically."""
        ...


def _consume_args(namespace: Any, chat_key: Any, at_ms: Any) -> None:
    """Raise :class:`InvalidArgument` / :class:`NullArgument` unless the arguments of ``consume`` are usable."""
    require_str(namespace, "namespace")
    require_str(chat_key, "chat_key")
    require_int(at_ms, "at_ms", minimum=INT64_MIN, maximum=INT64_MAX)


class SqliteReplayStore:
    """Used ChatKeys in SQLite: a PRIMARY KEY makes "first use" atomic across threads and processes, and the file
    survives a restart. Keys are stored as SHA-256 digests, so the file holds no session IDs.

    Raises :class:`InvalidArgument` for a path that is not one (a NUL, an unencodable character) or a bad timeout,
    and :class:`ReplayStoreError` when the file cannot be opened as the store (not a regular file, not SQLite).
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, timeout: float = 30.0) -> None:
        self.path = require_path(path, "path") if path is not None else default_replay_path()
        if not 0 <= require_number(timeout, "timeout") <= MAX_TIMEOUT:
            raise InvalidArgument(f"timeout must be between 0 and {MAX_TIMEOUT} seconds")
        self.timeout = float(timeout)
        try:
            if self.path.exists() and not stat.S_ISREG(self.path.stat().st_mode):
                raise ReplayStoreError("cannot open the ChatKey store: the path is not a regular file")
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with closing(self._connect()) as connection:
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute(
                    "CREATE TABLE IF NOT EXISTS used_chat_keys ("
                    " key_digest TEXT PRIMARY KEY NOT NULL,"
                    " used_at_ms INTEGER NOT NULL)"
                )
        except (OSError, ValueError, sqlite3.Error) as exc:
            raise ReplayStoreError(f"cannot open the ChatKey store: {type(exc).__name__}") from None

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)

    @staticmethod
    def _digest(namespace: str, chat_key: str) -> str:
        return hashlib.sha256(f"{namespace}\0{chat_key}".encode("utf-8", "surrogatepass")).hexdigest()

    def consume(self, namespace: str, chat_key: str, at_ms: int) -> bool:
        """Record ``chat_key`` as used; ``True`` on its first use. Raises :class:`ReplayStoreError`."""
        _consume_args(namespace, chat_key, at_ms)
        try:
            with closing(self._connect()) as connection:
                try:
                    connection.execute(
                        "INSERT INTO used_chat_keys (key_digest, used_at_ms) VALUES (?, ?)",
                        (self._digest(namespace, chat_key), at_ms),
                    )
                except sqlite3.IntegrityError:
                    return False
                return True
        except (sqlite3.Error, OSError) as exc:
            raise ReplayStoreError(f"cannot record a ChatKey: {type(exc).__name__}") from None

    def __repr__(self) -> str:
        return f"SqliteReplayStore({str(self.path)!r})"


class MemoryReplayStore:
    """Used ChatKeys in memory: for one process, lost on restart (tests and notebooks only)."""

    def __init__(self) -> None:
        self._used: set[tuple[str, str]] = set()
        self._lock = threading.Lock()

    def consume(self, namespace: str, chat_key: str, at_ms: int) -> bool:
        """Record ``chat_key`` as used; ``True`` on its first use."""
        _consume_args(namespace, chat_key, at_ms)
        with self._lock:
            if (namespace, chat_key) in self._used:
                return False
            self._used.add((namespace, chat_key))
            return True


@dataclass(frozen=True)
class ValidatedLaunch:
    """What the server accepts: the signed parameters, then the query fields ``Unsecured`` let in."""

    type: str
    parameters: Pairs
    from_query: Pairs = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)


def _single(signed: Pairs, key: str) -> str | None:
    values = [value for name, value in signed if parameter_key(name) == key]
    if len(values) > 1:
        raise ErrorValidatingChat() from AmbiguousParameter(f"the signed data holds {key!r} more than once")
    return values[0] if values else None


class BoldChatValidator:
    """The server side of the SHA-512 method for one website definition.

    ``hashing_keys``: the website's private hashing key(s). ``store``: where used ChatKeys go (durable SQLite at
    :func:`default_replay_path` unless given). ``clock``: milliseconds since the epoch (injectable for tests).
    ``namespace`` separates websites sharing one store.
    """

    def __init__(
        self,
        hashing_keys: str | Sequence[str],
        *,
        store: ReplayStore | None = None,
        clock: Callable[[], int] = now_ms,
        namespace: str = "default",
    ) -> None:
        _hashing_keys(hashing_keys)  # typed errors for None, non-strings, empty keys
        self._keys = (hashing_keys,) if isinstance(hashing_keys, str) else tuple(hashing_keys)
        if store is not None and not callable(getattr(store, "consume", None)):
            raise InvalidArgument(
                f"store must have a consume(namespace, chat_key, at_ms) method, got {type(store).__name__}"
            )
        self._clock = require_callable(clock, "clock")
        self._namespace = require_str(namespace, "namespace")
        self._store = store if store is not None else SqliteReplayStore()

    def __repr__(self) -> str:
        return f"BoldChatValidator(<{len(self._keys)} hashing key(s) hidden>, store={self._store!r})"

    def launch(self, request_type: str, secure_parameters: str, query: ParamsInput = ()) -> ValidatedLaunch:
        """Validate one chat, visit or conversion request. Returns what the server would accept, or raises a
        :class:`DataValidationError` whose message is the document's; :class:`InvalidArgument` for bad input."""
        if request_type not in REQUEST_TYPES:
            raise InvalidArgument(f"request_type must be one of {', '.join(REQUEST_TYPES)}")
        query_pairs = checked_pairs(query)
        try:
            result = self._check(request_type, secure_parameters, query_pairs)
        except DataValidationError as exc:
            log.info("BoldChat %s launch refused: %s", request_type, exc.reason_path())
            raise
        log.debug("BoldChat %s launch accepted", request_type)
        return result

    def _check(self, request_type: str, secure_parameters: str, query: Pairs) -> ValidatedLaunch:
        signed = verify_sha512(secure_parameters, self._keys)
        type_value = _single(signed, "type")
        expires = _single(signed, "expires")
        chat_key = _single(signed, "ck")
        unsecured = _single(signed, "unsecured")
        if type_value is None:
            raise ChatNotValidated() from TypeMissing("the signed data has no Type")
        if type_value != request_type:
            raise ChatNotValidated() from TypeMismatch("Type does not match the request")
        now = self._clock()
        if isinstance(now, bool) or not isinstance(now, int) or not INT64_MIN <= now <= INT64_MAX:
            raise InvalidArgument("the clock must return milliseconds since the epoch as a 64-bit int")
        if expires is not None:
            if not _DIGITS.fullmatch(expires):
                raise ErrorValidatingChat() from MalformedExpiration("Expiration is not a whole number of ms")
            if not _after(expires, now):
                raise ChatLaunchExpired()
        allowed = {parameter_key(name) for name in unsecured_names(unsecured or "")} - CONTROL_KEYS
        signed_keys = {parameter_key(name) for name, _ in signed}
        from_query: Pairs = []
        ignored: list[str] = []
        for name, value in query:
            key = parameter_key(name)
            if key in allowed and key not in signed_keys:
                from_query.append((name, value))
            else:
                ignored.append(name)
        if request_type == "chat" and chat_key is not None and not self._store.consume(self._namespace, chat_key, now):
            raise ChatLaunchAlreadyUsed()
        return ValidatedLaunch(request_type, signed + from_query, from_query, ignored)


def _after(digits: str, now: int) -> bool:
    """Whether the decimal ``digits`` (any length) are a number greater than ``now``, without ``int()`` (which
    refuses more than 4300 digits): compared by length, then digit by digit."""
    if now < 0:
        return True
    significant, current = digits.lstrip("0") or "0", str(now)
    return (len(significant), significant) > (len(current), current)


# --- the op vocabulary: a whole scenario per call ---------------------------------------------------------------


def _launch_outcome(validator: BoldChatValidator, launch: Mapping[str, Any]) -> dict[str, Any]:
    query = [tuple(pair) for pair in launch.get("query", [])]
    try:
        result = validator.launch(launch["type"], launch["secureParameters"], query)
    except DataValidationError as exc:
        return {"error": {"reason": exc.reason_path(), "message": str(exc)}}
    return {
        "ok": {
            "type": result.type,
            "parameters": [[name, value] for name, value in result.parameters],
            "ignored": result.ignored,
        }
    }


def run_scenario(args: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Run a validator scenario: ``hashingKeys``, and ``launches`` (each ``type``, ``secureParameters``, optional
    ``query`` pairs, ``atMs`` for the clock, ``restart`` to start a fresh validator on the same SQLite file).

    Returns one ``{"ok": ...}`` or ``{"error": {"reason", "message"}}`` per launch. Raises :class:`InvalidArgument`
    for arguments that do not fit the op's schema or more than :data:`MAX_LAUNCHES` launches.
    """
    catalog.check_args("boldchat.validator.launch", args)
    launches = args["launches"]
    if len(launches) > MAX_LAUNCHES:
        raise InvalidArgument(f"a scenario holds at most {MAX_LAUNCHES} launches")
    clock = {"now": 0}
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="boldchat-replay-") as directory:
        path = Path(directory) / "chat_keys.sqlite3"

        def fresh() -> BoldChatValidator:
            return BoldChatValidator(args["hashingKeys"], store=SqliteReplayStore(path), clock=lambda: clock["now"])

        validator = fresh()
        for launch in launches:
            if launch.get("restart"):
                validator = fresh()
            clock["now"] = int(launch["atMs"])
            outcomes.append(_launch_outcome(validator, launch))
    return outcomes


OPS = {"boldchat.validator.launch": run_scenario}

__all__ = [
    "OPS",
    "BoldChatValidator",
    "ConformanceError",
    "MemoryReplayStore",
    "ReplayStore",
    "SqliteReplayStore",
    "ValidatedLaunch",
    "default_replay_path",
    "run_scenario",
]
