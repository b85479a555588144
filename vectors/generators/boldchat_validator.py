"""Generate boldchat_validator.json: scenarios for the model of BoldChat's server-side validation (SHA-512 method).

There is no external reference for the server: BoldChat publishes no validator. The expected outcomes are the
document's rules stated as data in ``_boldchat_rules.py`` (the parameter table and the four error messages copied
verbatim, the checks listed in order) and evaluated by that small model, which shares no code with
``conformance/vendors/boldchat_validator.py``; every SecureParameters is built by the model's encoder and hashed by
OpenSSL. So each vector is a check that two independent readings of the document agree; the choices the document
leaves open are flagged and explained in the notes.

Run: ``python -m vectors.generators.boldchat_validator [OUT_DIR]``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from conformance.references import openssl_dgst as openssl
from conformance.vectorgen import VectorFileBuilder, write_files
from vectors.generators import _boldchat_rules as rules

#: Test hashing keys: never used outside vectors and tests.
KEY = "test-hashing-key-0001"
OTHER_KEY = "test-hashing-key-0002"
NOW = 1_767_225_600_000  # 2026-01-01T00:00:00Z in ms
LATER = NOW + 3_600_000
DOC = [["VisitName", "Robert Smith"], ["VisitEmail", "r.smith@gmail.com"]]

NOTES = {
    "Accepted": {"bugType": "BASIC", "description": "A launch that passes every rule."},
    "DocumentExample": {"bugType": "BASIC", "description": "The document's example parameters."},
    "OriginalNames": {
        "bugType": "FUNCTIONALITY",
        "description": "type/expires/ck/unsecured instead of the friendly names.",
    },
    "Blank": {
        "bugType": "MALFORMED",
        "description": "'there is no validation, that is the encrypted message is blank': Chat Not Validated.",
    },
    "TypeMissing": {
        "bugType": "MALFORMED",
        "description": "'the Type parameter is missing or incorrect': Chat Not Validated. The table calls Type "
        "'recommended'; the troubleshooting section makes it required, and the model follows that.",
    },
    "WrongType": {
        "bugType": "INTEGRITY_BYPASS",
        "description": "Type is another request type than the launch (e.g. visit data used to launch a chat): "
        "Chat Not Validated.",
    },
    "TypeCase": {
        "bugType": "EDGE_CASE",
        "description": "The document writes 'Chat, visit, or conversion' without saying whether case matters; the "
        "model is strict (lowercase only) so launch code never depends on a leniency the server may not have.",
    },
    "Tampered": {"bugType": "MAC_BYPASS", "description": "Hash or data changed: Error Validating Chat."},
    "WrongKey": {"bugType": "MAC_BYPASS", "description": "Hashed under a key the website does not hold."},
    "KeyRotation": {"bugType": "FUNCTIONALITY", "description": "A website with two hashing keys accepts either."},
    "MalformedHash": {"bugType": "MALFORMED", "description": "No 128-hex-digit hash in front: Error Validating Chat."},
    "Expired": {
        "bugType": "EXPIRY_BYPASS",
        "description": "Expiration (ms since the epoch) not after the clock: Validated chat launch has expired.",
    },
    "ExpirationBoundary": {
        "bugType": "EDGE_CASE",
        "description": "Expiration equal to now is expired ('the time when the request should no longer be "
        "considered valid'); one millisecond later is not.",
    },
    "NoExpiration": {"bugType": "WEAKNESS", "description": "Expiration is only recommended: without it, no expiry."},
    "MalformedExpiration": {
        "bugType": "MALFORMED",
        "description": "Expiration that is not ASCII digits (seconds with a fraction, a sign, text, empty). The "
        "document is silent; the model refuses with Error Validating Chat (cause MalformedExpiration).",
    },
    "Replay": {
        "bugType": "REPLAY_BYPASS",
        "description": "A ChatKey used by an earlier chat launch: Validated chat launch has already been used.",
    },
    "ReplayAfterRestart": {
        "bugType": "REPLAY_BYPASS",
        "description": "The server restarts between two launches with one ChatKey: the store is durable.",
    },
    "FailedLaunchKeepsKey": {
        "bugType": "EDGE_CASE",
        "description": "A launch refused for another reason does not consume its ChatKey.",
    },
    "ChatKeyOnlyForChats": {
        "bugType": "EDGE_CASE",
        "description": "'Repeated chat launches with this key will fail': visits and conversions do not consume "
        "ChatKeys (the document suggests a session ID as ChatKey).",
    },
    "NoChatKey": {
        "bugType": "WEAKNESS",
        "description": "ChatKey is only recommended: without it a captured SecureParameters launches any number "
        "of chats until it expires.",
    },
    "RuleOrder": {
        "bugType": "EDGE_CASE",
        "description": "Several rules fail; the first in the model's order wins (hash, ambiguity, Type, "
        "Expiration, ChatKey).",
    },
    "Ambiguous": {
        "bugType": "MALFORMED",
        "description": "Type, Expiration, ChatKey or Unsecured given twice in the signed data (also as friendly "
        "and original name). The document is silent; the model refuses rather than pick one.",
    },
    "UnsecuredAccepted": {
        "bugType": "FUNCTIONALITY",
        "description": "A query field named in Unsecured and absent from the signed data is accepted.",
    },
    "UnsecuredOverride": {
        "bugType": "INTEGRITY_BYPASS",
        "description": "A query field that tries to override a signed field is ignored, even when Unsecured names "
        "it ('when not present in the validated data').",
    },
    "NotUnsecured": {
        "bugType": "INTEGRITY_BYPASS",
        "description": "A query field not named in Unsecured is ignored ('will be ignored by the server').",
    },
    "ControlFieldNotOverridable": {
        "bugType": "EDGE_CASE",
        "description": "Type, Expiration, ChatKey and Unsecured are never taken from the query, even when "
        "Unsecured names them (the model's choice; the document is silent).",
    },
    "UnsecuredFromQuery": {
        "bugType": "INTEGRITY_BYPASS",
        "description": "An Unsecured list in the query string widens nothing.",
    },
    "SynonymIdentity": {
        "bugType": "EDGE_CASE",
        "description": "FirstName, VisitName and vn are one parameter: a signed VisitName blocks a query FirstName.",
    },
    "UnencodedUnsecuredAmpersand": {
        "bugType": "MALFORMED",
        "description": "The brand forgot to encode Unsecured's '&' as %26: only the first name is unsecured, the "
        "others become signed empty fields.",
    },
    "UndecodableData": {
        "bugType": "MALFORMED",
        "description": "The hash verifies but the data does not decode: Error Validating Chat.",
    },
}


def sp(pairs: list[list[str]], key: str = KEY) -> str:
    """SecureParameters built by the model's encoder, hashed by OpenSSL."""
    return rules.secure(rules.form_encode(pairs), key)


def chat(
    *extra: list[str], expires: int = LATER, chat_key: str | None = "ck-0001", kind: str = "chat"
) -> list[list[str]]:
    pairs = [*DOC, ["Type", kind], ["Expiration", str(expires)]]
    if chat_key is not None:
        pairs.append(["ChatKey", chat_key])
    return [*pairs, *[list(p) for p in extra]]


def launch(
    secure: str, kind: str = "chat", at: int = NOW, query: list[list[str]] | None = None, restart: bool = False
) -> dict[str, Any]:
    item: dict[str, Any] = {"type": kind, "secureParameters": secure, "atMs": at}
    if query:
        item["query"] = query
    if restart:
        item["restart"] = True
    return item


def build() -> VectorFileBuilder:
    model = {"boldchat.validator.launch": rules.run_scenario}
    b = VectorFileBuilder(
        "boldchat_validator",
        "boldchat_validator.schema.json",
        NOTES,
        header=[
            "BoldChat server-side validation (SHA-512 method), as scenarios of launches against one website.",
            "Expected outcomes: the document's rules stated as data and evaluated by an independent small model "
            "(vectors/generators/_boldchat_rules.py: the table and the four messages verbatim, the checks in order); "
            "hashes by OpenSSL. No BoldChat code exists to compare with; every open choice is a flag in notes.",
            "Clock values are ms since 1970-01-01 UTC. All hashing keys are test keys.",
        ],
    )
    src = {
        "name": "document-rules model (vectors/generators/_boldchat_rules.py), SHA-512 by OpenSSL",
        "implementation": "boldchat-rules-model",
        **openssl.versions(),
    }
    g = b.group("boldchat.validator.launch", src)

    def add(
        comment: str,
        flags: list[str],
        launches: list[dict[str, Any]],
        keys: list[str] | None = None,
        result: str | None = None,
    ) -> None:
        b.add(g, model, comment, flags, {"hashingKeys": keys or [KEY], "launches": launches}, result=result)

    add("chat launch with the document's data", ["Accepted", "DocumentExample"], [launch(sp(chat()))])
    add("visit", ["Accepted"], [launch(sp(chat(kind="visit", chat_key=None)), kind="visit")])
    add(
        "conversion",
        ["Accepted"],
        [launch(sp([["Type", "conversion"], ["cr", "order-17"], ["ca", "1000.15"]]), kind="conversion")],
    )
    add(
        "original names",
        ["Accepted", "OriginalNames"],
        [launch(sp([["vn", "Robert Smith"], ["type", "chat"], ["expires", str(LATER)], ["ck", "k-orig"]]))],
    )
    add("key rotation", ["Accepted", "KeyRotation"], [launch(sp(chat(), OTHER_KEY))], keys=[KEY, OTHER_KEY])
    add(
        "lowercase hash",
        ["Accepted"],
        [launch(sp(chat())[:128].lower() + sp(chat())[128:])],
        result="acceptable",
    )

    add("empty SecureParameters", ["Blank"], [launch("")])
    add("whitespace SecureParameters", ["Blank"], [launch("   ")])
    add("no Type", ["TypeMissing"], [launch(sp([*DOC, ["Expiration", str(LATER)], ["ChatKey", "k1"]]))])
    add("visit data launching a chat", ["WrongType"], [launch(sp(chat(kind="visit")))])
    add("chat data registering a visit", ["WrongType"], [launch(sp(chat()), kind="visit")])
    add("chat data as a conversion", ["WrongType"], [launch(sp(chat()), kind="conversion")])
    add("Type=Chat", ["TypeCase"], [launch(sp(chat(kind="Chat")))])
    add("Type= (empty)", ["WrongType"], [launch(sp(chat(kind="")))])

    good = sp(chat())
    add("wrong key", ["WrongKey"], [launch(good)], keys=[OTHER_KEY])
    add("data changed", ["Tampered"], [launch(good.replace("Robert", "Mallory"))])
    add(
        "Type changed after hashing",
        ["Tampered", "WrongType"],
        [launch(sp(chat(kind="visit")).replace("visit", "chat"))],
    )
    add("field appended", ["Tampered"], [launch(good + "&OperatorID=42")])
    add("hash changed", ["Tampered"], [launch(("1" if good[0] == "0" else "0") + good[1:])])
    add("data without hash", ["MalformedHash"], [launch(rules.form_encode(chat()))])
    add("hash truncated", ["MalformedHash"], [launch(good[:120] + good[128:])])

    add("expired a second ago", ["Expired"], [launch(sp(chat(expires=NOW - 1000)))])
    add("Expiration == now", ["Expired", "ExpirationBoundary"], [launch(sp(chat(expires=NOW)))])
    add("Expiration == now + 1 ms", ["Accepted", "ExpirationBoundary"], [launch(sp(chat(expires=NOW + 1)))])
    add("Expiration in seconds (1970)", ["Expired"], [launch(sp(chat(expires=NOW // 1000)))])
    add(
        "launch, then the clock passes Expiration",
        ["Expired"],
        [launch(sp(chat(chat_key=None))), launch(sp(chat(chat_key=None)), at=LATER)],
    )
    for label, value in [
        ("fraction", "1767225600000.5"),
        ("sign", "+1767229200000"),
        ("text", "tomorrow"),
        ("empty", ""),
        ("negative", "-1"),
    ]:
        pairs = [*DOC, ["Type", "chat"], ["Expiration", value]]
        add(f"Expiration with {label}", ["MalformedExpiration"], [launch(sp(pairs))])
    add(
        "no Expiration",
        ["Accepted", "NoExpiration"],
        [launch(sp([*DOC, ["Type", "chat"], ["ChatKey", "k-noexp"]]), at=NOW * 10)],
    )

    add("same ChatKey twice", ["Replay"], [launch(good), launch(good)])
    add("same ChatKey, other data", ["Replay"], [launch(good), launch(sp(chat(["InitialQuestion", "hi"])))])
    add("different ChatKeys", ["Accepted"], [launch(sp(chat(chat_key="a"))), launch(sp(chat(chat_key="b")))])
    add("replay after a restart", ["ReplayAfterRestart"], [launch(good), launch(good, restart=True), launch(good)])
    add(
        "a refused launch keeps the key",
        ["FailedLaunchKeepsKey", "WrongType"],
        [launch(good, kind="visit"), launch(good), launch(good)],
    )
    add(
        "expired and replayed: expiry wins and the key stays unused",
        ["RuleOrder", "Expired", "FailedLaunchKeepsKey"],
        [launch(good, at=LATER), launch(good)],
    )
    add("one ChatKey on two visits", ["ChatKeyOnlyForChats"], [launch(sp(chat(kind="visit")), kind="visit")] * 2)
    add(
        "one ChatKey on a visit, then a chat",
        ["ChatKeyOnlyForChats"],
        [launch(sp(chat(kind="visit")), kind="visit"), launch(good), launch(good)],
    )
    add("no ChatKey: replayable", ["NoChatKey"], [launch(sp(chat(chat_key=None)))] * 3)
    add("ChatKey= (empty) is a key", ["Replay"], [launch(sp(chat(chat_key=""))), launch(sp(chat(chat_key="")))])

    add("Type twice", ["Ambiguous"], [launch(sp([*chat(), ["Type", "chat"]]))])
    add("Type and type", ["Ambiguous", "OriginalNames"], [launch(sp([*chat(), ["type", "visit"]]))])
    add("ChatKey and ck", ["Ambiguous"], [launch(sp([*chat(), ["ck", "other"]]))])
    add("Expiration twice", ["Ambiguous"], [launch(sp([*chat(), ["expires", str(NOW * 2)]]))])
    add(
        "wrong key and ambiguous: hash first",
        ["RuleOrder", "WrongKey"],
        [launch(sp([*chat(), ["Type", "x"]], OTHER_KEY))],
    )
    add(
        "ambiguous and expired: ambiguity first",
        ["RuleOrder", "Ambiguous"],
        [launch(sp([*chat(expires=1), ["ck", "x"]]))],
    )
    add("wrong type and expired: Type first", ["RuleOrder", "WrongType"], [launch(sp(chat(expires=1, kind="visit")))])
    add("verified but undecodable", ["UndecodableData"], [launch(rules.secure("Type=chat&vn=%zz", KEY))])

    unsecured = chat(["Unsecured", "InitialQuestion&VisitPhone&VisitName"])
    add(
        "Unsecured fields from the query",
        ["UnsecuredAccepted"],
        [launch(sp(unsecured), query=[["InitialQuestion", "Where is my order?"], ["vp", "555-0100"]])],
    )
    add(
        "query overriding a signed field",
        ["UnsecuredOverride"],
        [launch(sp(unsecured), query=[["VisitName", "Mallory"], ["vn", "Mallory"]])],
    )
    add(
        "query fields not in Unsecured",
        ["NotUnsecured"],
        [launch(sp(chat()), query=[["InitialQuestion", "hi"], ["OperatorID", "42"], ["DepartmentID", "7"]])],
    )
    add(
        "query control fields named in Unsecured",
        ["ControlFieldNotOverridable"],
        [
            launch(
                sp([*DOC, ["Type", "chat"], ["Unsecured", "Expiration&ChatKey&Type&Unsecured"]]),
                query=[["Expiration", "1"], ["ChatKey", "x"], ["Type", "visit"], ["Unsecured", "OperatorID"]],
            )
        ],
    )
    add(
        "Unsecured in the query",
        ["UnsecuredFromQuery", "NotUnsecured"],
        [launch(sp(chat()), query=[["Unsecured", "OperatorID"], ["OperatorID", "42"]])],
    )
    add(
        "FirstName in the query, VisitName signed",
        ["SynonymIdentity", "UnsecuredOverride"],
        [
            launch(
                sp(chat(["Unsecured", "FirstName&LastName"])), query=[["FirstName", "Mallory"], ["LastName", "Smith"]]
            )
        ],
    )
    add(
        "Unsecured names in original form",
        ["UnsecuredAccepted", "OriginalNames"],
        [
            launch(
                sp(chat(["unsecured", "iq&customField_Order"])),
                query=[["InitialQuestion", "hi"], ["customField_Order", "9"]],
            )
        ],
    )
    add(
        "Unsecured '&' not encoded",
        ["UnencodedUnsecuredAmpersand"],
        [
            launch(
                rules.secure(rules.form_encode(chat()) + "&Unsecured=VisitPhone&InitialQuestion", KEY),
                query=[["VisitPhone", "555"], ["InitialQuestion", "hi"]],
            )
        ],
    )
    return b


def build_all() -> dict[str, str]:
    """Return ``{file name: text}``."""
    return {"boldchat_validator.json": build().render()}


def main(argv: list[str]) -> int:
    return write_files(build_all, argv, Path(__file__).resolve().parents[1])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
