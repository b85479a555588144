"""Producer -> consumer flows: what one implementation makes, every other must accept (the N x N matrix).

Each :class:`RoundTrip` names the op that produces (an implementation uses the first of ``producer_ops`` it
supports: node signs Talkative data with ``talkative.sign_jose`` because jose cannot sign deterministically), the
op that consumes, how the consumer's arguments follow from the producer's, and what the consumer must answer.
Inputs come from the producer op's valid vectors, or from ``inputs()`` where no vector can hold them (PGP: the
messages are random, so the flow seals fresh ones with the test keys).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from conformance.codecs import java_utf8_decode, java_utf8_encode
from conformance.testkeys import pgp_test_keys

Args = Mapping[str, Any]


@dataclass(frozen=True)
class RoundTrip:
    flow: str
    producer_ops: tuple[str, ...]
    consumer_op: str
    consumer_args: Callable[[Args, Any], dict[str, Any]]
    expected: Callable[[Args], Any]
    accepts: Callable[[Args], bool] = lambda _args: True
    inputs: Callable[[], list[dict[str, Any]]] | None = None
    #: op -> how that producer op's arguments follow from the input (default: the input itself).
    adapters: Mapping[str, Callable[[Args], dict[str, Any]]] = field(default_factory=dict)

    @property
    def producer_op(self) -> str:
        return self.producer_ops[0]

    def producer_for(self, supported: set[str]) -> str:
        return next((op for op in self.producer_ops if op in supported), self.producer_ops[0])

    def producer_call(self, supported: set[str], args: Args) -> tuple[str, dict[str, Any]]:
        """The op a producer with these ops uses, and its arguments for ``args``."""
        op = self.producer_for(supported)
        adapt = self.adapters.get(op)
        plain = {k: v for k, v in args.items() if not k.startswith("_")}
        return op, adapt(plain) if adapt else plain


def _skep_consumer(args: Args, produced: Any) -> dict[str, Any]:
    consumer = {k: v for k, v in args.items() if k != "plainText"}
    consumer["cipherText"] = produced
    return consumer


_PLAIN = re.compile(r"[ -~]*")


def _plain_jwt_input(args: Args) -> bool:
    iat = args.get("iat")
    return all(_PLAIN.fullmatch(str(args.get(k, ""))) for k in ("keyId", "userId", "secret")) and (
        iat is None or (isinstance(iat, int) and 0 < iat < 2**31)
    )


def _talkative_public_key(args: Args, produced: Any) -> dict[str, Any]:
    from conformance.vendors.talkative import public_pem_from_private

    return {"token": produced, "publicKeyPem": public_pem_from_private(args["privateKeyPem"])}


def _pgp_inputs() -> list[dict[str, Any]]:
    """Fresh sealing inputs with the committed test keys."""
    key = pgp_test_keys()
    params = [
        "VisitName=Robert%20Smith&VisitEmail=r.smith%40gmail.com",
        "ChatKey=abc&Type=chat&Expiration=1767229200000",
    ]
    return [
        {
            "params": text,
            "serverPublicKey": key["server.pub"],
            "signingPrivateKey": key["brand.sec"],
            "compression": compression,
            "_open": {"serverPrivateKey": key["server.sec"], "signerPublicKey": key["brand.pub"]},
        }
        for text in params
        for compression in ("default", "on", "off")
    ]


def _decoded(args: Args) -> list[list[str]]:
    from conformance.vendors.boldchat import decode_parameters

    return [list(pair) for pair in decode_parameters(args["encoded"])]


ROUND_TRIPS: list[RoundTrip] = [
    RoundTrip(
        "khoros-secure-transfer",
        ("khoros.skep.encrypt",),
        "khoros.skep.decrypt",
        _skep_consumer,
        lambda args: java_utf8_decode(java_utf8_encode(args["plainText"])),
    ),
    RoundTrip(
        "khoros-cryptor-gcm",
        ("khoros.cryptor.encrypt_gcm",),
        "khoros.cryptor.decrypt_gcm",
        lambda args, produced: {**args, "value": produced},
        lambda args: args["value"],
    ),
    RoundTrip(
        "khoros-cryptor-cbc",
        ("khoros.cryptor.encrypt_cbc",),
        "khoros.cryptor.decrypt_cbc",
        lambda args, produced: {**args, "value": produced},
        lambda args: args["value"],
    ),
    RoundTrip(
        "khoros-widget-jwt",
        ("khoros.widget_jwt.sign",),
        "khoros.widget_jwt.verify",
        lambda args, produced: {
            "token": produced,
            "keyId": args["keyId"],
            "secret": args["secret"],
            "now": args["now"],
        },
        lambda args: {"scope": "appUser", "userId": args["userId"], "iat": args.get("iat") or args["now"]},
        accepts=_plain_jwt_input,
    ),
    RoundTrip(
        "talkative-signed-data",
        ("talkative.sign", "talkative.sign_jose"),
        "talkative.verify",
        _talkative_public_key,
        lambda args: [dict(entry) for entry in args["fields"]],
        adapters={
            "talkative.sign_jose": lambda args: {
                "fields": args["fields"],
                "alg": "ES256",
                "keyPem": args["privateKeyPem"],
            }
        },
    ),
    RoundTrip(
        "thread-messenger",
        ("thread.connection_key",),
        "thread.verify_connection_key",
        lambda args, produced: {**args, "key": produced},
        lambda _args: True,
    ),
    RoundTrip(
        "boldchat-sha512",
        ("boldchat.sha512.secure",),
        "boldchat.sha512.verify",
        lambda args, produced: {"secureParameters": produced, "hashingKeys": [args["hashingKey"]]},
        _decoded,
        accepts=lambda args: "encoded" in args,
    ),
    RoundTrip(
        "boldchat-pgp",
        ("boldchat.pgp.seal",),
        "boldchat.pgp.open",
        lambda args, produced: {"message": produced, **args["_open"]},
        lambda args: args["params"],
        inputs=_pgp_inputs,
    ),
]


def inputs_for(trip: RoundTrip, vector_inputs: Sequence[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    candidates = trip.inputs() if trip.inputs is not None else list(vector_inputs)
    return [args for args in candidates if trip.accepts(args)][:limit]
