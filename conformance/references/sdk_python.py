"""The vendors' own Python SDKs as in-process references: PyPI ``stream-chat`` and ``twilio``.

Pinned in ``pyproject.toml``'s ``test`` extra. Each op calls the SDK's public API (``StreamChat.create_token``,
``twilio.jwt.access_token.AccessToken.to_jwt``); where the SDK reads the clock (Twilio's ``time.time()``), the
``time`` its modules imported is replaced, for the call and under a lock, by a clock frozen at the call's ``now``:
the SDK's code runs unchanged. An SDK's exception becomes a reason path of :mod:`conformance.errors`' vocabulary.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import threading
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from types import SimpleNamespace
from typing import Any

from conformance.errors import ConformanceError, ReferenceUnavailable
from conformance.outcome import OpFunction

_lock = threading.Lock()
#: The distributions behind each reference, reported in the record.
DISTRIBUTIONS = {"stream-python": ("stream-chat", "PyJWT"), "twilio-python": ("twilio", "PyJWT")}
_MODULES = {"stream-python": "stream_chat", "twilio-python": "twilio.jwt.access_token"}


class SdkError(ConformanceError):
    """An exception the SDK raised, carried as its reason path."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path

    def reason_path(self) -> str:
        return self.path


def available(name: str) -> Callable[[], str | None]:
    def probe() -> str | None:
        try:
            importlib.import_module(_MODULES[name])
        except ImportError as exc:
            distribution = DISTRIBUTIONS[name][0]
            return f"the {distribution} SDK is not installed (pip install '.[test]'): {exc}"
        return None

    return probe


def versions(name: str) -> Callable[[], dict[str, str]]:
    def read() -> dict[str, str]:
        import platform

        found = {"python": platform.python_version()}
        for distribution in DISTRIBUTIONS[name]:
            try:
                found[distribution] = importlib.metadata.version(distribution)
            except importlib.metadata.PackageNotFoundError:
                found[distribution] = "missing"
        return found

    return read


def _reason(exc: Exception) -> str:
    """The reason path of an SDK (or PyJWT) exception."""
    import jwt

    if isinstance(exc, jwt.exceptions.InvalidKeyError):
        return "EmptyKey" if "must not be empty" in str(exc) else "SecretIsAsymmetricKey"
    if isinstance(exc, UnicodeEncodeError):
        return "InvalidArgument"
    if isinstance(exc, ValueError) and "signing key" in str(exc):
        return "EmptySecret"
    return f"Python:{type(exc).__name__}"


def _guarded(function: Callable[[Mapping[str, Any]], Any]) -> OpFunction:
    def run(args: Mapping[str, Any]) -> Any:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return function(args)
        except ConformanceError:
            raise
        except ImportError as exc:
            raise ReferenceUnavailable(str(exc)) from None
        except Exception as exc:
            raise SdkError(_reason(exc), str(exc)[:200]) from None

    return run


# --- Stream Chat: StreamChat(api_key, api_secret).create_token(user_id, exp, iat) -------------------------------------


@cache
def _stream_client(secret: str) -> Any:
    from stream_chat import StreamChat

    return StreamChat(api_key="handoff-conformance", api_secret=secret)


def _stream_create(args: Mapping[str, Any]) -> str:
    client = _stream_client_for(args["secret"])
    return client.create_token(args["userId"], exp=args.get("exp"), iat=args.get("iat"))


def _stream_client_for(secret: str) -> Any:
    if _stream_client.cache_info().currsize > 256:
        _stream_client.cache_clear()
    return _stream_client(secret)


STREAM_OPS: dict[str, OpFunction] = {"stream.token.create_python": _guarded(_stream_create)}


# --- Twilio: AccessToken(account_sid, signing_key_sid, secret, grants, identity, nbf, ttl, region).to_jwt() ---------


@contextmanager
def frozen_clock(modules: tuple[str, ...], now: int) -> Iterator[None]:
    """Within the block, ``time.time()`` as the named modules call it returns ``now`` (the modules' ``time`` global
    is swapped for a frozen namespace; nothing else in the process sees it)."""
    import time as real_time

    loaded = [importlib.import_module(name) for name in modules]
    frozen = SimpleNamespace(time=lambda: float(now), **{k: getattr(real_time, k) for k in ("sleep", "monotonic")})
    with _lock:
        for module in loaded:
            module.time = frozen  # type: ignore[attr-defined]
        try:
            yield
        finally:
            for module in loaded:
                module.time = real_time  # type: ignore[attr-defined]


_TWILIO_GRANTS = {
    "chat": (
        "ChatGrant",
        {
            "serviceSid": "service_sid",
            "endpointId": "endpoint_id",
            "deploymentRoleSid": "deployment_role_sid",
            "pushCredentialSid": "push_credential_sid",
        },
    ),
    "video": ("VideoGrant", {"room": "room"}),
    "sync": ("SyncGrant", {"serviceSid": "service_sid", "endpointId": "endpoint_id"}),
    "voice": (
        "VoiceGrant",
        {
            "incomingAllow": "incoming_allow",
            "outgoingApplicationSid": "outgoing_application_sid",
            "pushCredentialSid": "push_credential_sid",
            "endpointId": "endpoint_id",
        },
    ),
}


def _twilio_create(args: Mapping[str, Any]) -> str:
    from twilio.jwt.access_token import AccessToken, grants

    made = []
    for grant in args.get("grants") or []:
        class_name, names = _TWILIO_GRANTS[grant["type"]]
        options = {names[k]: v for k, v in grant.items() if k != "type"}
        made.append(getattr(grants, class_name)(**options))
    options = {"identity": args.get("identity"), "region": args.get("region")}
    options.update({name: args[name] for name in ("ttl", "nbf") if args.get(name) is not None})
    token = AccessToken(args["accountSid"], args["keySid"], args["secret"], grants=made, **options)
    with frozen_clock(("twilio.jwt", "twilio.jwt.access_token"), args["now"]):
        return str(token.to_jwt())


TWILIO_OPS: dict[str, OpFunction] = {"twilio.access_token.create_python": _guarded(_twilio_create)}


def ops(name: str) -> dict[str, OpFunction]:
    """The op table of the Python SDK reference ``name``."""
    return {"stream-python": STREAM_OPS, "twilio-python": TWILIO_OPS}[name]
