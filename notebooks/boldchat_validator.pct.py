# ---
# jupyter:
#   handoff:
#     references:
#     - openssl
#   jupytext:
#     notebook_metadata_filter: handoff,-jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # BoldChat server-side validation (SHA-512 method)
#
# BoldChat (LogMeIn) validates chats, visits and conversions whose data comes in one `SecureParameters` value. When
# the brand's server made it by the SHA-512 method (`boldchat_sha512.ipynb`), BoldChat's server checks the hash and
# then the parameters that control the launch: `Type` (which kind of request the data may launch), `Expiration` (in
# ms), `ChatKey` (one chat per key) and `Unsecured` (which fields the visitor may add). Source: BoldChat Help Center,
# "Validating Chats, Visits and Conversions (Data Validation)", `shared/seeds/002_716097936015a710.txt`, whose
# troubleshooting section gives the four error messages.
#
# This notebook covers the server's checks, with each error message exactly as the document gives it. It is the flow
# `boldchat_validator` (vectors `vectors/boldchat_validator.json`, `conformance run --flow boldchat_validator`); the
# Python side is `conformance.vendors.boldchat_validator`. There is **no live reference**: BoldChat publishes no
# validator. What checks the port instead is an independent model of the document's rules,
# `vectors/generators/_boldchat_rules.py`: the parameter table and the four messages copied verbatim, the checks
# written out as data in their order, every SHA-512 computed by OpenSSL, and no code shared with the port. The vectors
# are that model's answers; the last two sections put the port and the model side by side, through the
# implementation contract. Every key here is a **test key**.

# %%
import shutil
import sys
import tempfile
import threading
from pathlib import Path

from conformance import judge, registry
from conformance.errors import DataValidationError
from conformance.outcome import Outcome
from conformance.paths import REPO_ROOT
from conformance.vendors.boldchat import secure_parameters_sha512
from conformance.vendors.boldchat_validator import BoldChatValidator, SqliteReplayStore

sys.path.insert(0, str(REPO_ROOT))  # the rules model lives beside the vector generators
from vectors.generators import _boldchat_rules as rules  # noqa: E402

PYTHON = registry.shared("python")  # the port, through the implementation contract
HASHING_KEY = "test-hashing-key-0001"  # a test key, as configured on the New/Edit Website window
NOW = 1_767_225_600_000  # the validator's clock: ms since 1970-01-01 UTC (2026-01-01T00:00:00Z)
LATER = NOW + 3_600_000
params = [
    ("VisitName", "Robert Smith"),
    ("VisitEmail", "r.smith@gmail.com"),
    ("Type", "chat"),
    ("Expiration", str(LATER)),
    ("ChatKey", "session-0001"),
]
secure = secure_parameters_sha512(params, HASHING_KEY)  # what the brand's server sends (boldchat_sha512.ipynb)
print(secure[:32], "...", secure[128:])

# %% [markdown]
# ## The server's checks, and each error's exact message
#
# `BoldChatValidator` models the server for one website definition: its hashing keys, a clock, and a durable
# SQLite store of used ChatKeys. The messages are the document's, verbatim; the typed error's reason path says which
# rule failed.

# %%
workdir = Path(tempfile.mkdtemp(prefix="boldchat-notebook-"))
store_path = workdir / "chat_keys.sqlite3"
validator = BoldChatValidator(HASHING_KEY, store=SqliteReplayStore(store_path), clock=lambda: NOW)


def attempt(label, request_type, secure_parameters, query=()):
    try:
        result = validator.launch(request_type, secure_parameters, query)
        print(f"{label:45} accepted: {result.parameters}")
    except DataValidationError as exc:
        print(f"{label:45} {str(exc)!r:50} {exc.reason_path()}")


def make(*pairs):
    return secure_parameters_sha512(list(pairs), HASHING_KEY)


attempt("a valid chat launch", "chat", secure)
attempt("blank SecureParameters", "chat", "")
attempt("Type missing", "chat", make(("VisitName", "Robert Smith")))
attempt("Type=visit used to launch a chat", "chat", make(("Type", "visit")))
attempt("hashed with another key", "chat", secure_parameters_sha512(params, "some-other-key"))
attempt("data changed after hashing", "chat", secure.replace("Robert", "Mallory"))
attempt("Expiration in the past", "chat", make(("Type", "chat"), ("Expiration", str(NOW - 1))))
attempt("Expiration in seconds, not ms", "chat", make(("Type", "chat"), ("Expiration", str(LATER // 1000))))
attempt("the same ChatKey again", "chat", secure)

# %% [markdown]
# ### Unsecured fields
#
# A field that is not in the signed data is taken from the request only when `Unsecured` (itself signed) names it;
# a signed field is never overridden, and Type, Expiration, ChatKey and Unsecured never come from the request.

# %%
open_question = make(("Type", "chat"), ("VisitName", "Robert Smith"), ("Unsecured", "InitialQuestion&VisitName"))
attempt(
    "Unsecured lets InitialQuestion in",
    "chat",
    open_question,
    [("InitialQuestion", "Where is my order?"), ("VisitName", "Mallory"), ("OperatorID", "42")],
)
print(validator.launch("chat", open_question, [("VisitName", "Mallory"), ("OperatorID", "42")]).ignored)

# %% [markdown]
# ### ChatKey: single use, across restarts and concurrent launches
#
# The store is a SQLite file whose primary key makes the first use atomic. A new validator on the same file (a
# restarted server) still refuses a used key, and of twelve simultaneous launches with one key exactly one succeeds.

# %%
restarted = BoldChatValidator(HASHING_KEY, store=SqliteReplayStore(store_path), clock=lambda: NOW)
try:
    restarted.launch("chat", secure)
except DataValidationError as exc:
    print("after a restart:", exc)

race = make(("Type", "chat"), ("ChatKey", "raced-key"))
barrier, outcomes = threading.Barrier(12), []


def launch_once():
    server = BoldChatValidator(HASHING_KEY, store=SqliteReplayStore(store_path), clock=lambda: NOW)
    barrier.wait()
    try:
        server.launch("chat", race)
        outcomes.append("ok")
    except DataValidationError as exc:
        outcomes.append(str(exc))


threads = [threading.Thread(target=launch_once) for _ in range(12)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print({outcome: outcomes.count(outcome) for outcome in set(outcomes)})
assert outcomes.count("ok") == 1
shutil.rmtree(workdir)  # the notebook's own temporary store


# %% [markdown]
# ## The same launches, through the rules model
#
# The model takes a *scenario*: the website's hashing keys and a list of launches, each with its request type, its
# `SecureParameters`, the clock (`atMs`) and the visitor's query; a ChatKey used by one launch stays used for the rest
# of the scenario. The port answers the same scenario through the contract (the op `boldchat.validator.launch`), and
# `judge.same` compares the two answers: every launch's admitted data, or its error's reason path and message.

# %%
def launch(secure_parameters, query=(), at=NOW, request_type="chat"):
    item = {"type": request_type, "secureParameters": secure_parameters, "atMs": at}
    return {**item, "query": [list(pair) for pair in query]} if query else item


launches = {
    "a valid chat launch": launch(secure),
    "blank SecureParameters": launch(""),
    "Type missing": launch(make(("VisitName", "Robert Smith"))),
    "Type=visit used to launch a chat": launch(make(("Type", "visit"))),
    "hashed with another key": launch(secure_parameters_sha512(params, "some-other-key")),
    "data changed after hashing": launch(secure.replace("Robert", "Mallory")),
    "Expiration in the past": launch(make(("Type", "chat"), ("Expiration", str(NOW - 1)))),
    "Expiration in seconds, not ms": launch(make(("Type", "chat"), ("Expiration", str(LATER // 1000)))),
    "the same ChatKey again": launch(secure),
    "Unsecured lets InitialQuestion in": launch(
        open_question, [("InitialQuestion", "Where is my order?"), ("VisitName", "Mallory"), ("OperatorID", "42")]
    ),
}
scenario = {"hashingKeys": [HASHING_KEY], "launches": list(launches.values())}
model = Outcome.of_value(rules.run_scenario(scenario))
(port,) = PYTHON.call_many([("boldchat.validator.launch", scenario)])
for label, theirs, ours in zip(launches, model.value, port.value):
    said = theirs["error"]["reason"] if "error" in theirs else f"accepted, ignored {theirs['ok']['ignored']}"
    print(f"{label:36} model: {said:45} port: {'the same' if ours == theirs else ours}")
assert judge.same(model, port)

# %% [markdown]
# ## Every vector, the port against the model
#
# `vectors/boldchat_validator.json` holds the model's answers to many such scenarios (made by
# `vectors/generators/boldchat_validator.py`), each flag explained in the file's notes, including every choice the
# document leaves open (the case of `Type`, a control parameter given twice, ...). `conformance.runner.run` sends them
# all to the port through the contract and judges every answer against the model's; the record shows itself.

# %%
from conformance import catalog, runner
from conformance.paths import vectors_dir
from conformance.vectors import iter_cases
from conformance.report.notebook import show

flow = catalog.flow('boldchat_validator')
path = vectors_dir() / flow.vector_file
record = runner.run(list(iter_cases(path)), [PYTHON], vector_files=[path], progress=False)
assert record.gate_passes(), list(record.failing())[:5]
show(record)
