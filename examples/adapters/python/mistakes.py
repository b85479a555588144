"""An example adapter in Python that makes one realistic integration mistake per mode, to see each verdict earned.

It speaks the JSON-lines protocol of ``docs/adapter-protocol.md``. Its "own implementation" is this project's Python
port (``registry.shared("python")``), so every answer is right except for the one mistake its mode makes; run it
like any adapter (``notebooks/your_implementation.ipynb`` runs four of them):

    conformance run --impl python --flow khoros_widget_jwt \\
        --adapter "mine=python examples/adapters/python/mistakes.py kid-blind"

One op per mode, one mistake per op, and the verdict it earns:

* ``kid-blind`` (``khoros.widget_jwt.verify``): takes the key id from the token instead of checking it -> unsafe;
* ``signature-blind`` (``talkative.verify``): decodes the payload without checking the signature -> unsafe;
* ``header-order`` (``khoros.widget_jwt.sign``): writes the reference's header fields in another order,
  {"typ","alg","kid"} (smooch-core's jsonwebtoken does) -> equivalent, also where the vendor's verifier refuses both
  tokens alike (a kid jsonwebtoken mangles);
* ``pyjwt`` (``khoros.widget_jwt.sign``): writes the header as PyJWT does (sorted keys, the kid as JSON escapes), so
  a kid above U+00FF survives where jsonwebtoken mangles it -> exceeds (the vendor's verifier accepts its token and
  refuses the reference's own);
* ``random-ecdsa`` (``talkative.sign``): signs with randomized ECDSA, as jose's CompactSign does -> equivalent;
* ``renamed-errors`` (``khoros.cryptor.decrypt_cbc``): calls a bad padding PaddingError, not BadPadding
  -> reason_mismatch;
* ``wrong-decrypt`` (``khoros.skep.decrypt``): appends a character to the plaintext -> fail.

The two *equivalent* modes are harmless differences: the bytes differ from the reference's, but every reference
consumer answers them as it answers the reference's own output (the same content, or the same refusal). ``tests/test_verdicts.py`` runs every mode through the real CLI.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import sys
from collections.abc import Callable
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

from conformance import registry
from conformance.vendors import talkative

PORT = registry.shared("python")


class Refused(Exception):
    """A typed refusal: answered as ``{"error": {"reason": ...}}``, compared with the vector by its reason path."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def port(op: str, args: dict[str, Any]) -> Any:
    """The port's value for one call; its refusal is raised as :class:`Refused` with the same reason path."""
    (outcome,) = PORT.call_many([(op, args)])
    if outcome.status != "value":
        raise Refused(outcome.reason or outcome.status)
    return outcome.value


# --- the mistakes, one per mode ---------------------------------------------------------------------------------------


def kid_blind(args: dict[str, Any]) -> Any:
    """Verifies with the kid the token names (as a verifier that looks the key up by the token's kid would), so a
    token whose kid is not the expected one is accepted."""
    try:
        header = json.loads(b64url_decode(args["token"].split(".")[0]))
        kid = header["kid"] if isinstance(header, dict) and isinstance(header.get("kid"), str) else args["keyId"]
    except (ValueError, IndexError):
        kid = args["keyId"]
    return port("khoros.widget_jwt.verify", {**args, "keyId": kid})


def signature_blind(args: dict[str, Any]) -> Any:
    """Reads the interaction data out of the token without verifying the signature at all."""
    try:
        return json.loads(b64url_decode(args["token"].split(".")[1]))
    except (ValueError, IndexError) as exc:
        raise Refused("MalformedToken") from exc


def header_order(args: dict[str, Any]) -> Any:
    """Signs the same claims with the header fields in another order, {"typ","alg","kid"}: the reference's header
    bytes with its first two members swapped (the kid's bytes untouched, mangled or not), re-signed."""
    token = port("khoros.widget_jwt.sign", args)
    header, payload, _ = token.split(".")
    raw, first = b64url_decode(header), b'{"alg":"HS256","typ":"JWT",'
    if not raw.startswith(first):
        raise Refused("Adapter:UnexpectedHeader")
    reordered = b'{"typ":"JWT","alg":"HS256",' + raw[len(first) :]
    signing_input = f"{b64url(reordered)}.{payload}"
    secret = re.sub("[\ud800-\udfff]", "\ufffd", args["secret"]).encode("utf-8")
    mac = hmac.new(secret, signing_input.encode("ascii"), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(mac)}"


def pyjwt_header(args: dict[str, Any]) -> Any:
    """Signs the reference's claims with PyJWT's header: ``json.dumps(sort_keys=True)``, ASCII with ``\\u``
    escapes, so the kid is the one asked for (jsonwebtoken writes a character above U+00FF as its low byte)."""
    token = port("khoros.widget_jwt.sign", args)
    _, payload, _ = token.split(".")
    header = json.dumps({"alg": "HS256", "typ": "JWT", "kid": args["keyId"]}, separators=(",", ":"), sort_keys=True)
    signing_input = f"{b64url(header.encode('ascii'))}.{payload}"
    secret = re.sub("[\ud800-\udfff]", "\ufffd", args["secret"]).encode("utf-8")
    mac = hmac.new(secret, signing_input.encode("ascii"), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(mac)}"


def random_ecdsa(args: dict[str, Any]) -> Any:
    """Signs with ordinary randomized ECDSA instead of RFC 6979's deterministic nonces: valid, never the same bytes."""
    signing_input = port("talkative.signing_input", {"fields": args["fields"]})
    key = talkative.load_private_key(args["privateKeyPem"])
    r, s = decode_dss_signature(key.sign(signing_input.encode("ascii"), ec.ECDSA(hashes.SHA256())))
    return f"{signing_input}.{b64url(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"


def renamed_errors(args: dict[str, Any]) -> Any:
    """Decrypts correctly but reports a bad padding under a name of its own."""
    try:
        return port("khoros.cryptor.decrypt_cbc", args)
    except Refused as exc:
        raise Refused(exc.reason.replace("BadPadding", "PaddingError")) from None


def wrong_decrypt(args: dict[str, Any]) -> Any:
    """Returns the plaintext with a character appended (think of a stray newline)."""
    value = port("khoros.skep.decrypt", args)
    return value + "!" if isinstance(value, str) else value


#: mode -> (the one op the adapter declares, its handler)
MODES: dict[str, tuple[str, Callable[[dict[str, Any]], Any]]] = {
    "kid-blind": ("khoros.widget_jwt.verify", kid_blind),
    "signature-blind": ("talkative.verify", signature_blind),
    "header-order": ("khoros.widget_jwt.sign", header_order),
    "pyjwt": ("khoros.widget_jwt.sign", pyjwt_header),
    "random-ecdsa": ("talkative.sign", random_ecdsa),
    "renamed-errors": ("khoros.cryptor.decrypt_cbc", renamed_errors),
    "wrong-decrypt": ("khoros.skep.decrypt", wrong_decrypt),
}


# --- the protocol -----------------------------------------------------------------------------------------------------


def answer(request: dict[str, Any], op: str, handler: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
    """The answer line for one request: a value, a typed error, or "unsupported" for an op not in the hello."""
    if request.get("op") != op:
        return {"id": request["id"], "error": "unsupported", "message": f"{request.get('op')} is not implemented here"}
    try:
        return {"id": request["id"], "ok": handler(request["args"])}
    except Refused as exc:
        return {"id": request["id"], "error": {"reason": exc.reason, "message": "refused"}}
    except Exception as exc:  # a bug of this adapter: say so, as any adapter should (never quote the arguments)
        name = type(exc).__name__
        return {"id": request["id"], "error": {"reason": f"Adapter:{name}", "message": f"{name} in the adapter"}}


def main(argv: list[str]) -> int:
    """Print the hello, then answer one JSON line per request until stdin ends (exit 0); a bad mode exits 2."""
    if len(argv) != 1 or argv[0] not in MODES:
        print(f"usage: mistakes.py MODE, one of: {', '.join(MODES)}", file=sys.stderr)
        return 2
    mode = argv[0]
    op, handler = MODES[mode]
    hello = {"name": mode, "ops": [op], "versions": {"protocol": "1", "mode": mode}}
    print(json.dumps({"hello": hello}), flush=True)
    for line in sys.stdin:
        if line.strip():
            print(json.dumps(answer(json.loads(line), op, handler)), flush=True)  # ASCII only: \u escapes
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
