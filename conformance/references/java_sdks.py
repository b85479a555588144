"""The vendors' own Java SDKs in the one JVM: Maven's ``com.twilio.sdk:twilio`` and ``io.getstream:stream-chat-java``.

``java_ref/sdks/pom.xml`` pins them and copies their runtime classpath into ``java_ref/sdks/target/lib``; the jars
are added to the JVM's classpath when it starts (:func:`conformance.references.java.classpath`), after the Khoros
reference's own, and an artifact the Khoros reference already ships (commons-codec, slf4j, org.json) is not added a
second time, so the vendor's Khoros Java keeps its pinned libraries. When the SDK build fails the JVM starts without
them and these references are *unavailable* with the build's reason.
"""

from __future__ import annotations

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
            reason = _SDK_REASONS.get(str(exc.getClass().getName())) or java.reason_path(exc)
            raise java.JavaError(reason, str(exc.getMessage() or "")[:200]) from None

    return run


def stream_ops() -> dict[str, OpFunction]:
    return {"stream.token.create_java": _caller(_stream_create)}


def ops(name: str) -> dict[str, OpFunction]:
    """The op table of the Java SDK reference ``name``."""
    return {"stream-java": stream_ops, "twilio-java": twilio_ops}[name]()


def twilio_ops() -> dict[str, OpFunction]:
    return {}
