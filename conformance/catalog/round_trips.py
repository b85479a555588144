"""Round trips a catalog entry builds from its ops: a producer's value presented to a consumer in one field."""

from __future__ import annotations

from conformance.arguments import require_instance, require_str
from conformance.catalog.model import Flow, RoundTrip
from conformance.errors import UsageError


def presented_round_trip(variant: str, sign_op: str, verify_op: str, presented: str) -> RoundTrip:
    """The interop variant ``sign_op`` -> ``verify_op``: every producer's value, given to the consumer as its
    ``presented`` argument beside the producer's arguments, must verify in every consumer (the hmac_hex kinds)."""
    return RoundTrip(
        variant,
        (sign_op,),
        verify_op,
        lambda args, produced: {**args, presented: produced},
        lambda _args: True,
    )


def signer_of(flow: Flow, verify_op: str) -> str:
    """The sign op whose hashes ``verify_op`` checks: its round trip's producer, else (a verifier outside the round
    trips, as Chatwoot's ``set_user``) the producer of the round trip whose consumer shares its name's prefix.
    Raises :class:`UsageError` when there is none, :class:`InvalidArgument` for a flow that is not a Flow or an op that is
    not a str."""
    require_instance(flow, "flow", Flow)
    prefix = require_str(verify_op, "verify_op").rsplit(".", 1)[0]
    for trip in flow.round_trips:
        if trip.consumer_op == verify_op:
            return trip.producer_op
    for trip in flow.round_trips:
        if trip.consumer_op.rsplit(".", 1)[0] == prefix:
            return trip.producer_op
    raise UsageError(f"no round trip of flow {flow.id} signs what {verify_op} verifies")
