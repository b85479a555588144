"""The ``hmac_hex.verify`` ops (Intercom identity verification, the email-HMAC family): the layers of a user hash.

Their mistakes come from the kind (:mod:`conformance.kinds.hmac_hex`); this module shows what the verifier MACs
and compares, for every op of the kind, whichever flow declares it."""

from __future__ import annotations

from collections.abc import Callable

from conformance import catalog
from conformance.inspect.layers import secret_layer, text_layer
from conformance.inspect.model import Args, Layer, Segment
from conformance.inspect.registration import register_layers
from conformance.kinds import Params

KIND = "hmac_hex.verify"


def _hash_notes(value: str, accept: str) -> tuple[str, ...]:
    notes = [f"{len(value)} characters; the hex digest is 64 " + ("hex digits of either case" if accept ==
             "either-case" else f"{accept}case hex digits")]  # fmt: skip
    if value != value.strip():
        notes.append("surrounding whitespace")
    if accept == "lower" and value != value.lower():
        notes.append("upper-case hex digits")
    return tuple(notes)


def layers_for(params: Params) -> Callable[[Args], list[Layer]]:
    """The layers of one verifier: the identity it MACs (the field its params pick), its key, the hash compared."""
    fields = [params["message"], *([params["fallback"]] if params["fallback"] else [])]
    presented = params["presented"]

    def layers(args: Args) -> list[Layer]:
        found: list[Layer] = []
        field = next((f for f in fields if isinstance(args.get(f), str)), None)
        if field is not None:
            found.append(text_layer(f"HMAC message ({field})", args[field], "message"))
        found.append(secret_layer(f"HMAC key (secret, as {params['key']})", args.get("secret")))
        value = args.get(presented)
        if isinstance(value, str):
            raw = value.encode("utf-8", "surrogatepass")
            notes = _hash_notes(value, params["accept"])
            found.append(Layer(presented, raw, (Segment(0, len(raw), "hash", presented),), notes, text=value))
        return found

    return layers


for _part in catalog.kind_parts():
    if _part.kind.name == KIND:
        register_layers((_part.op,), layers_for(_part.params))
