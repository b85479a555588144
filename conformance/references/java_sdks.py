"""The vendors' own Java SDKs in the one JVM: Maven's ``com.twilio.sdk:twilio`` and ``io.getstream:stream-chat-java``.

``java_ref/sdks/pom.xml`` pins them and copies their runtime classpath into ``java_ref/sdks/target/lib``; the jars
are added to the JVM's classpath when it starts (:func:`conformance.references.java.classpath`), after the Khoros
reference's own, and an artifact the Khoros reference already ships (commons-codec, slf4j, org.json) is not added a
second time, so the vendor's Khoros Java keeps its pinned libraries. When the SDK build fails the JVM starts without
them and these references are *unavailable* with the build's reason.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from typing import Any

from conformance.outcome import OpFunction
from conformance.references.java_sdk_jars import ARTIFACT, artifact_of, lib_dir

#: the classes each reference needs, and the artifact whose version it reports
SDK_CLASSES = {
    "stream-java": ("io.getstream.chat.java.models.User", "stream-chat-java"),
    "twilio-java": ("com.twilio.jwt.accesstoken.AccessToken", "twilio"),
}


def _version(artifact: str) -> str:
    for jar in lib_dir().glob(f"{artifact}-*.jar"):
        if artifact_of(jar) == artifact:
            return ARTIFACT.match(jar.name).group("version")  # type: ignore[union-attr]
    return "unknown"


def make_available(name: str) -> Any:
    def available() -> str | None:
        from conformance.references import java

        problem = java.available()
        if problem is not None:
            return problem
        if java.sdk_problem() is not None:
            return java.sdk_problem()
        try:
            java.jclass(SDK_CLASSES[name][0])
        except Exception as exc:  # a class missing from the classpath
            return f"{name}: {type(exc).__name__}: {str(exc)[:160]}"
        return None

    return available


def versions(name: str) -> Any:
    def read() -> dict[str, str]:
        from conformance.references import java

        system = java.jclass("java.lang.System")
        return {
            "jdk": str(system.getProperty("java.version")),
            SDK_CLASSES[name][1]: _version(SDK_CLASSES[name][1]),
            "jjwt": _version("jjwt-impl"),
            "jackson": _version("jackson-databind"),
        }

    return read


# --- Stream Chat: User.createToken(apiSecret, userId, expiresAt, issuedAt) ------------------------------------------


def _date(seconds: int | None) -> Any:
    from conformance.references import java

    return None if seconds is None else java.jclass("java.util.Date")(seconds * 1000)


def _stream_create(args: Mapping[str, Any]) -> str:
    from conformance.references import java

    user = java.jclass("io.getstream.chat.java.models.User")
    token = user.createToken(
        java.to_java_string(args["secret"]),
        java.to_java_string(args["userId"]),
        _date(args.get("exp")),
        _date(args["iat"]),
    )
    return str(java.from_java_string(token))


#: SDK exception classes -> reasons (beside the JDK's, which :func:`conformance.references.java.reason_path` names)
_SDK_REASONS = {"io.jsonwebtoken.security.WeakKeyException": "WeakKey"}


def _caller(function: Any) -> OpFunction:
    """``function`` (which calls an SDK) as an op: SDK exceptions named by :data:`_SDK_REASONS`, others as the
    JDK bridge names them."""
    from conformance.references import java

    def run(args: Mapping[str, Any]) -> Any:
        import jpype

        try:
            return function(args)
        except jpype.JException as exc:
            reason, cause = None, exc
            while cause is not None and reason is None:  # an SDK exception, or one it wraps
                reason = _SDK_REASONS.get(str(cause.getClass().getName()))
                cause = cause.getCause()
            raise java.JavaError(reason or java.reason_path(exc), str(exc.getMessage() or "")[:200]) from None

    return run


def stream_ops() -> dict[str, OpFunction]:
    return {"stream.token.create_java": _caller(_stream_create)}


def ops(name: str) -> dict[str, OpFunction]:
    """The op table of the Java SDK reference ``name``."""
    return {"stream-java": stream_ops, "twilio-java": twilio_ops}[name]()


# --- Twilio: new AccessToken.Builder(accountSid, keySid, secret).identity(...)...build().toJwt() ---------------------

_TWILIO_GRANTS = {
    "chat": (
        "ChatGrant",
        {
            "serviceSid": "setServiceSid",
            "endpointId": "setEndpointId",
            "deploymentRoleSid": "setDeploymentRoleSid",
            "pushCredentialSid": "setPushCredentialSid",
        },
    ),
    "video": ("VideoGrant", {"room": "setRoom"}),
    "sync": ("SyncGrant", {"serviceSid": "setServiceSid", "endpointId": "setEndpointId"}),
    "voice": (
        "VoiceGrant",
        {
            "incomingAllow": "setIncomingAllow",
            "outgoingApplicationSid": "setOutgoingApplicationSid",
            "pushCredentialSid": "setPushCredentialSid",
            "endpointId": "setEndpointId",
        },
    ),
}
#: attempts at a call during which the JVM's clock stays on one millisecond
_CLOCK_ATTEMPTS = 50


def _twilio_builder(args: Mapping[str, Any]) -> Any:
    from conformance.references import java

    package = "com.twilio.jwt.accesstoken."
    utf8 = java.jclass("java.nio.charset.StandardCharsets").UTF_8
    secret = java.to_java_string(args["secret"]).getBytes(utf8)
    builder = java.jclass(package + "AccessToken$Builder")(
        java.to_java_string(args["accountSid"]), java.to_java_string(args["keySid"]), secret
    )
    if args.get("identity") is not None:
        builder.identity(java.to_java_string(args["identity"]))
    if args.get("region") is not None:
        builder.region(java.to_java_string(args["region"]))
    if args.get("ttl") is not None:
        builder.ttl(int(args["ttl"]))
    if args.get("nbf") is not None:
        builder.nbf(java.jclass("java.util.Date")(int(args["nbf"]) * 1000))
    for grant in args.get("grants") or []:
        class_name, setters = _TWILIO_GRANTS[grant["type"]]
        made = java.jclass(package + class_name)()
        for name, value in grant.items():
            if name != "type" and value is not None:
                argument = (
                    java.jclass("java.lang.Boolean")(value) if isinstance(value, bool) else java.to_java_string(value)
                )
                getattr(made, setters[name])(argument)
        builder.grant(made)
    return builder


def twilio_token(args: Mapping[str, Any]) -> tuple[str, int]:
    """The SDK's token for ``args`` and the JVM clock (ms) it read: the call is repeated until the clock stays on
    one millisecond across it. Raises :class:`ReferenceFailure` when it never does."""
    from conformance.errors import ReferenceFailure
    from conformance.references import java

    builder = _twilio_builder(args)
    system = java.jclass("java.lang.System")
    for _ in range(_CLOCK_ATTEMPTS):
        before = int(system.currentTimeMillis())
        token = str(builder.build().toJwt())
        if int(system.currentTimeMillis()) == before:
            return token, before
    raise ReferenceFailure("the JVM clock moved during every attempt")


def _twilio_layout(args: Mapping[str, Any]) -> dict[str, str]:
    """The token's header and claims JSON with the clock fields abstracted (``exp`` as ``"CLOCK+<seconds after the
    clock>"``, the ``jti`` timestamp as ``CLOCK``), as :func:`conformance.vendors.twilio_access_token.java_layout`.

    Raises :class:`IntOverflow` for a TTL whose milliseconds overflow an ``int``: the SDK's ``exp`` then depends on
    the clock's milliseconds, so no clock-free layout exists (``twilio.access_token.token_java`` shows the wrap)."""
    from conformance.errors import IntOverflow

    if args.get("ttl") is not None and not -(2**31) <= args["ttl"] * 1000 < 2**31:
        raise IntOverflow("ttl * 1000 overflows the SDK's int: the layout depends on the clock's milliseconds")
    token, now_ms = twilio_token(args)
    header, claims = (_segment_text(part) for part in token.split(".")[:2])
    exp = re.search(r'"exp":(-?\d+)', claims)
    if exp is not None:
        offset = -(-(int(exp.group(1)) * 1000 - now_ms) // 1000)  # ceil: exp = floor((now + ttl * 1000) / 1000)
        claims = claims.replace(exp.group(0), f'"exp":"CLOCK+{offset}"', 1)
    claims = re.sub(r'("jti":"(?:[^"\\]|\\.)*-)-?\d+"', r'\1CLOCK"', claims, count=1)
    return {"header": header, "claims": claims}


def _segment_text(segment: str) -> str:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)).decode("utf-8")


def _twilio_raw(args: Mapping[str, Any]) -> str:
    return twilio_token(args)[0]


def twilio_ops() -> dict[str, OpFunction]:
    return {
        "twilio.access_token.create_java": _caller(_twilio_layout),
        "twilio.access_token.token_java": _caller(_twilio_raw),
    }
