"""What Stream's and Twilio's documentation fixes for their tokens, shared by the port and the documented verifiers'
references (``conformance.references.pyjwt_sdk_tokens``, ``node_ref/server.mjs`` writes the same values)."""

from __future__ import annotations

#: The signature part of Stream's development token (node SDK ``devToken``), accepted where auth checks are off.
DEV_SIGNATURE = "devtoken"
#: The header ``cty`` of every Twilio Access Token.
TWILIO_CTY = "twilio-fpa;v=1"
#: The longest lifetime Twilio accepts, in seconds (24 hours).
TWILIO_MAX_TTL = 86_400

__all__ = ["DEV_SIGNATURE", "TWILIO_CTY", "TWILIO_MAX_TTL"]
