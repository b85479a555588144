# ---
# jupyter:
#   handoff:
#     references:
#     - node
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
# # Your implementation, against the suite
#
# You have written your own implementation of one of these flows, in any language, and want to know whether it does
# what the vendor's reference does: on every golden vector, and with the other implementations on the other end of
# each round trip. This notebook shows how: put it behind an **adapter**, run the harness against it, and read the
# verdicts. It uses two example adapters: a correct one in node (`examples/adapters/node/adapter.mjs`, a port of
# Khoros Secure Transfer, Cryptor and Thread on `node:crypto` alone), and a Python one that makes one realistic mistake
# per mode (`examples/adapters/python/mistakes.py`), so that each verdict class shows up once, on purpose. It needs
# node and this package, and runs in a few seconds.

# %% [markdown]
# ## 1. The adapter protocol, in short
#
# An adapter is one long-lived process that speaks JSON lines on stdin and stdout. The full specification, with the
# op vocabulary, timeouts and what happens when it crashes, is `docs/adapter-protocol.md`; in short:
#
# 1. it first prints a **hello**, `{"hello": {"name": ..., "ops": [...], "versions": {...}}}`. The `ops` it lists are
#    the only ones it is sent; every other op is *unsupported*, neither a pass nor a failure;
# 2. then it reads requests, `{"id": 1, "op": "thread.connection_key", "args": {...}}`, where `args` is exactly a
#    vector's `input` (bytes as hex, text as JSON strings, lone surrogates included);
# 3. and answers each one with a value, `{"id": 1, "ok": ...}`, or a typed error, `{"id": 1, "error": {"reason":
#    "EncryptionError/BadPadding", "message": "..."}}`. Errors are compared by their *reason path*, never by message.
#
# The harness reaches every implementation, built-in or yours, through one contract (`conformance.contract`):
# `call_many([(op, args), ...])` returns one `Outcome` per call. `conformance.contract.adapter("NAME=COMMAND")` is what
# `conformance run --adapter NAME=COMMAND` makes. Here is the node example, asked one question beside the Python port:

# %%
import base64
import io
import json
import shlex
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

from conformance import cli, judge, registry
from conformance.contract import adapter
from conformance.hexdiff import hex_diff
from conformance.judge import SECURITY_BUG_TYPES, Policy
from conformance.paths import REPO_ROOT, vectors_dir
from conformance.report.headline import headline
from conformance.results import RunRecord

NODE_ADAPTER = f"node {shlex.quote(str(REPO_ROOT / 'examples/adapters/node/adapter.mjs'))}"
MISTAKES = f"{shlex.quote(sys.executable)} {shlex.quote(str(REPO_ROOT / 'examples/adapters/python/mistakes.py'))}"

mine = adapter(f"mynode={NODE_ADAPTER}")
print("could not start:", mine.unavailable())  # None: it started and said hello
print("its hello lists", len(mine.ops()), "ops, e.g.", sorted(mine.ops())[:3])
print("versions:", mine.versions())
call = ("thread.connection_key", {"email": "foo@bar.com", "secret": "a-test-secret"})
(theirs,), (ours,) = mine.call_many([call]), registry.shared("python").call_many([call])
print("mynode:", theirs.describe())
print("python:", ours.describe())
print("the same answer:", judge.same(theirs, ours))
mine.close()

# %% [markdown]
# ## 2. Run the harness against it
#
# In CI you run the command line; its exit code is 0 when the gate passes and 1 when it fails:
#
# ```sh
# conformance run --impl python --adapter "mynode=node examples/adapters/node/adapter.mjs" \
#     --flow khoros_secure_transfer,khoros_cryptor,thread_messenger --json reports/mynode.json
# ```
#
# Here the same command runs in-process (`conformance.cli.main`), writes the full record as JSON (`--json`), and
# `RunRecord.from_json` loads it back. It selects the three flows whose ops the node adapter implements and runs the
# Python port beside it, so that each round trip has two producers and two consumers. (`conformance.runner.run` gives
# the same record without the command line.) Evaluating the record in a cell shows it:

# %%
from conformance.report.notebook import show
WORK = Path(tempfile.mkdtemp(prefix="your-implementation-"))


def conformance_run(name, command, *options):
    """`conformance run --impl python --adapter NAME=COMMAND OPTIONS --json ...`: exit code, record, printed text."""
    target = WORK / f"{name}.json"
    out = io.StringIO()
    argv = ["run", "--quiet", "--impl", "python", "--adapter", f"{name}={command}", *options, "--json", str(target)]
    exit_code = cli.main(argv, out=out)
    return exit_code, RunRecord.from_json(json.loads(target.read_text())), out.getvalue()


exit_code, record, printed = conformance_run(
    "mynode", NODE_ADAPTER, "--flow", "khoros_secure_transfer,khoros_cryptor,thread_messenger"
)
print("exit code", exit_code)
show(record)

# %% [markdown]
# ## 3. Reading a record
#
# A `RunRecord` shows itself in Jupyter: first the **headline**, green when the gate passes and red when it fails,
# with the counts that matter; then the verdicts per implementation; then one **interop matrix** per round trip of each
# flow, rows producing and columns consuming (here the adapter decrypts what Python encrypted and the other way round,
# for Secure Transfer, Cryptor CBC and GCM, and Thread's HMAC). The grey *unsupported* counts are vectors of ops the
# adapter does not list in its hello (the document's `decryptPayload`, `khoros.payload.decrypt`): not tested, not
# failed. Python's *deviations* are `acceptable` vectors that it answers differently from the Java, as
# `DEVIATIONS.md` explains.
#
# The command line prints the same thing as text, headline first and last; the record is also plain data:

# %%
print(printed)
print("headline(record):", headline(record))
print({name: {v: n for v, n in counts.items() if n} for name, counts in record.summary().items()})
print("gate passes:", record.gate_passes())

# %% [markdown]
# ## 4. The verdicts, in plain words
#
# One judge (`conformance.judge`) gives every (implementation, vector) pair one verdict; most severe first:
#
# | verdict | what happened | what it means for your integration | fails the gate by default |
# |---|---|---|---|
# | `unsafe` | it **accepts** what the reference refuses, on a vector flagged security-relevant (a wrong `kid`, a bad signature, MAC or tag, `alg: none`, an expired or replayed launch) | a security hole: an attacker's input gets through | yes |
# | `fail` | a different value; a refusal of what the reference accepts; an acceptance of a refused vector that is not security-relevant; an op declared in the hello and then answered "unsupported" | an interoperability bug: the customers whose input hits it get a wrong answer or an error | yes |
# | `io` | it crashed, hung or printed garbage on this call | a robustness bug in the adapter or in what it wraps | yes |
# | `unavailable` | its runtime is missing, or it could not start | nothing was tested. An adapter you named that cannot start always fails; a missing built-in reference fails only with `--strict` or `CI=true` | strict only |
# | `reason_mismatch` | both refuse, for differently named reasons | you refuse the right inputs, but error pages, logs or retries that branch on the reason will differ | no (yes for the built-in `python`) |
# | `equivalent` | a producing op (encrypt, sign, seal) gave other bytes, but every reference consumer of the flow accepts them and recovers the same content as from the reference's own output | harmless: whoever receives your output reads the same thing; just do not compare such outputs byte for byte | no |
# | `deviation` | an `acceptable` vector answered differently | a documented leniency either way (`DEVIATIONS.md`) | no |
# | `pass` | the same value, or a refusal with the same reason path | nothing to do | no |
# | `unsupported` | the op is not in its hello | not tested, not counted | no |

# %% [markdown]
# ## 5. Four mistakes, four verdicts
#
# `examples/adapters/python/mistakes.py` is an adapter whose implementation is this package's own port with one
# mistake, chosen by its argument (its docstring lists them all). Each run below selects the flow and op the mistake is
# in, and skips the interop matrix (`--no-interop`) so that the record is about the vectors.
#
# ### `header-order`: *equivalent*
#
# The adapter signs widget JWTs with the header fields in PyJWT's order, `{"typ","alg","kid"}`, where `jsonwebtoken`
# writes `{"alg","typ","kid"}`, so its tokens differ from the reference's in bytes. The judge does not stop there: it
# gives the token, and the reference's own token for the same vector, to every reference consumer of the flow (here
# node's `jsonwebtoken.verify`); when each accepts both and recovers the same claims, the verdict is *equivalent*.

# %%
exit_code, record, printed = conformance_run(
    "header-order", f"{MISTAKES} header-order", "--no-interop", "--flow", "khoros_widget_jwt", "--op", "khoros.widget_jwt.sign"
)
print("exit code", exit_code)
show(record)

# %%
mode_cases = [c for c in record.cases if c.implementation == "header-order"]
case = next(c for c in mode_cases if c.verdict == "equivalent")
print(case.case_id, "-", case.comment)
print("why:", case.why, "| checked by:", case.consumers)
expected, actual = case.expected.value, case.actual.value
for label, token in (("expected", expected), ("actual", actual)):
    print(f"{label:9} header {base64.urlsafe_b64decode(token.split('.')[0] + '==')}")
print("the same payload segment:", expected.split(".")[1] == actual.split(".")[1], "| the same bytes:", expected == actual)

# %% [markdown]
# The same run has no failure: every token that differs is answered by node as the reference's own is. The
# verdicts of the run:

# %%
Counter(c.verdict for c in mode_cases)

# %% [markdown]
# On key ids outside Latin-1 (or a PEM given as the secret) `jsonwebtoken` writes each character of the
# header as its low byte, so its own token names another key and node refuses it; this adapter's token, the same
# bytes in another order, is refused alike (`KidMismatch`, `MalformedToken`, `SecretIsAsymmetricKey`): *equivalent*
# too, and its `why` says it is the same refusal. A signer that wrote those kids correctly would earn *exceeds*
# (the `pyjwt` mode of the same example adapter).
#
# ### `kid-blind`: *unsafe*
#
# The adapter's verifier looks the key up by the `kid` that the token names, instead of checking that it is the key id
# it expects. A token with another `kid` passes where the reference (`jsonwebtoken.verify` plus the document's `kid`
# check) refuses it with `KidMismatch`.

# %%
exit_code, record, printed = conformance_run(
    "kid-blind", f"{MISTAKES} kid-blind", "--no-interop", "--flow", "khoros_widget_jwt"
)
print("exit code", exit_code)
show(record)

# %% [markdown]
# **Reading one failing vector.** `record.failing()` lists what fails the gate, most severe first: the
# implementation, the vector (`flow#tcId`), the verdict and why. The vector's `CaseResult` in `record.cases` has its
# input, its flags, what the reference answered (`expected`) and what the implementation did (`actual`):

# %%
first = next(record.failing())
print(first)
case = next(c for c in record.cases if c.case_id == first.what and c.implementation == first.implementation)
print("comment: ", case.comment)
print("flags:   ", case.flags)
print("why:     ", case.why)
print("expected:", case.expected.describe())
print("actual:  ", case.actual.describe())
print("the token names kid", json.loads(base64.urlsafe_b64decode(case.input["token"].split(".")[0] + "=="))["kid"],
      "but the verifier expects", case.input["keyId"])
notes = json.loads((vectors_dir() / "khoros_widget_jwt.json").read_text())["notes"]
for flag in case.flags:
    print(f"{flag}: bugType {notes[flag]['bugType']} (security-relevant: {notes[flag]['bugType'] in SECURITY_BUG_TYPES})")

# %% [markdown]
# The flag `WrongKid` has the bugType `KID_BYPASS`, one of the security-relevant classes
# (`conformance.judge.SECURITY_BUG_TYPES`), so this acceptance is *unsafe*. The same mistake also accepts a token
# whose header was mangled (`HeaderMangled`, not security-relevant): that one is a *fail*.
#
# ### `renamed-errors`: *reason mismatch*
#
# The adapter decrypts Cryptor CBC correctly, but reports a bad padding as `PaddingError` instead of `BadPadding`.
# Both refuse the same inputs, for reasons named differently. By default this does not fail the gate of an adapter:
# the exit code is 0, and the headline names the mismatches.

# %%
exit_code, record, printed = conformance_run(
    "renamed-errors", f"{MISTAKES} renamed-errors", "--no-interop", "--flow", "khoros_cryptor", "--op", "khoros.cryptor.decrypt_cbc"
)
print("exit code", exit_code)
case = next(c for c in record.cases if c.implementation == "renamed-errors" and c.verdict == "reason_mismatch")
print(case.case_id, "-", case.comment, "|", case.why)
print("expected", case.expected.reason, " actual", case.actual.reason)
show(record)

# %% [markdown]
# ### `wrong-decrypt`: *fail*
#
# The adapter's Secure Transfer decryption appends a character to every plaintext (think of a stray newline). Every
# vector with a plaintext fails with "a different value"; the record lists the first ones, and `hex_diff` shows where
# the bytes part.

# %%
exit_code, record, printed = conformance_run(
    "wrong-decrypt", f"{MISTAKES} wrong-decrypt", "--no-interop", "--flow", "khoros_secure_transfer", "--op", "khoros.skep.decrypt"
)
print("exit code", exit_code)
first = next(record.failing())
case = next(c for c in record.cases if c.case_id == first.what and c.implementation == first.implementation)
print(first.what, "-", case.comment, "|", case.why)
expected, actual = case.expected.value, case.actual.value
tail = len(expected) - 16  # the last 16 characters of the expected plaintext, and the same place in the actual one
print(hex_diff(expected[tail:], actual[tail:], labels=("expected (the Java)", "actual")))
show(record)

# %% [markdown]
# ## 6. The gate policy
#
# Which verdicts fail the gate is a policy (`conformance.judge.Policy`), not a property of the verdicts. `conformance
# run --fail-on LIST` sets it (default `unsafe,fail,io`); `--strict`, or `CI=true` in the environment, adds
# `unavailable`. Two additions are fixed: an adapter you named that cannot start always fails, and the built-in
# `python` port also fails on `reason_mismatch` (typed errors that match the reference's are what it promises). The
# policy travels in the record (`record.policy`), so the command line, JUnit XML, HTML and JSON reports all fail the
# same results.
#
# Choose it by what your integration relies on: a verifier gates on `unsafe` and `fail` at least; a team whose error
# handling branches on the reason adds `reason_mismatch`. The same two adapters under three policies:

# %%
print("default:", sorted(Policy.from_options(strict=False).fail_on))
print("strict: ", sorted(Policy.from_options(strict=True).fail_on))
print("python: ", sorted(Policy.from_options(strict=False).for_implementation("python", "in-process")))
print()
for mode, flow in (("renamed-errors", "khoros_cryptor"), ("wrong-decrypt", "khoros_secure_transfer")):
    for fail_on in ("unsafe,fail,io", "unsafe", "unsafe,fail,io,reason_mismatch"):
        exit_code, record, _ = conformance_run(mode, f"{MISTAKES} {mode}", "--no-interop", "--flow", flow, "--fail-on", fail_on)
        print(f"{mode:15} --fail-on {fail_on:31} exit {exit_code}   {headline(record)}")

# %% [markdown]
# ## 7. Your own adapter
#
# Copy one of `examples/adapters/node/adapter.mjs`, `examples/adapters/java/Adapter.java` or the protocol loop at the
# end of `examples/adapters/python/mistakes.py`: keep the hello line, the request loop and the error mapping, and put
# your implementation behind them. Run it with `--op 'vendor.*'` until every vector of the ops you list passes, then
# gate CI on it; `--baseline old.json` fails only on regressions against an earlier record, and `--html` writes a
# report in which a click on a cell shows both answers and a byte-level diff. An implementation in Python can also be
# tested from pytest, without an adapter (`docs/pytest-plugin.md`).

# %%
shutil.rmtree(WORK)  # the notebook's own records
