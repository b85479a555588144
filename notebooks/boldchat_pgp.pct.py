# ---
# jupyter:
#   handoff:
#     references:
#     - bc-current
#     - bc150
#     - gnupg
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
# # BoldChat SecureParameters, PGP method
#
# BoldChat (LogMeIn) validates chats, visits and conversions whose data comes in one `SecureParameters` value, made on
# the brand's server by one of two methods: SHA-512 (`boldchat_sha512.ipynb`) or **PGP**, this notebook. Source:
# BoldChat Help Center, "Validating Chats, Visits and Conversions (Data Validation)",
# `shared/seeds/002_716097936015a710.txt`.
#
# This is the flow `boldchat_pgp` (vectors `vectors/boldchat_pgp.json`, `conformance run --flow boldchat_pgp`). The
# references that check it: BouncyCastle 1.50 (`bc150`, the version that made the document's sample) and BouncyCastle
# current (`bc-current`), in-process through JPype (`java_ref/bcpg`), and GnuPG (`gnupg`). A sealed message is
# random (a fresh session key, a signature with its own time), so the vectors hold messages to *open*, and sealing is
# checked by the interop matrix: every implementation opens what every other one sealed. Python and the references
# are compared through the implementation contract (`registry.shared(name).call_many`).

# %% [markdown]
# ## The PGP method
#
# The brand URL-form encodes the chat parameters, encrypts them to BoldChat's server public key and signs them with its own private key (RSA-2048), ASCII-armored. The server decrypts, checks integrity and signature, and uses the parameters. The document's sample was made by **BCPG v1.50** (BouncyCastle).
#
# Everything below uses the **TEST keys** in `vectors/keys/pgp` (never real keys). The Python side is `conformance.vendors.boldchat_pgp`; the references are BouncyCastle 1.50, BouncyCastle current (JPype) and GnuPG.

# %%
from conformance.errors import PgpError
from conformance.openpgp import describe_message
from conformance.testkeys import pgp_test_keys as fixture_keys
from conformance.vendors import boldchat_pgp as pgp
import sys

from conformance.paths import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT))  # the vector generator holds the committed messages and the document's sample
from vectors.generators import boldchat_pgp as generator  # noqa: E402

keys = fixture_keys()
params = 'VisitName=Robert%20Smith&VisitEmail=r.smith%40gmail.com'

# %% [markdown]
# ## Sealing (what the brand does)

# %%
sealed = pgp.secure_parameters_pgp(
    params, server_public_key=keys['server.pub'], signing_private_key=keys['brand.sec']
)
print(sealed[:200], '...')
print(describe_message(sealed, keys['server.sec']))

# %% [markdown]
# ## Opening (what the server does)

# %%
opened = pgp.open_secure_parameters_pgp(
    sealed, server_private_key=keys['server.sec'], signer_public_key=keys['brand.pub']
)
assert opened == params
opened


# %% [markdown]
# ## Each rejection, with its typed error
#
# On the BoldChat side every one of these surfaces as *Error Validating Chat*; the typed errors say why.

# %%
def committed(kind):
    return next(m['message'] for m in generator.load_messages()['messages'] if m['kind'] == kind)


valid = committed('valid')
cases = {
    'unsigned': (committed('unsigned'), 'brand.pub'),
    'signed by another key': (committed('wrong-signer'), 'brand.pub'),
    'tampered (bit flipped, MDC fails)': (generator._flip(valid, 0.5), 'brand.pub'),
    'no MDC at all': (committed('no-mdc'), 'brand.pub'),
    'bad signature': (committed('bad-signature'), 'brand.pub'),
    'not encrypted': (committed('not-encrypted'), 'brand.pub'),
    'encrypted to another key': (committed('wrong-recipient'), 'brand.pub'),
    "the document's sample (BoldChat's real key)": (generator.DOCUMENT_SAMPLE, 'brand.pub'),
    'garbage': ('hello', 'brand.pub'),
}
rows = []
for label, (message, signer) in cases.items():
    try:
        pgp.open_secure_parameters_pgp(message, server_private_key=keys['server.sec'], signer_public_key=keys[signer])
        rows.append((label, 'OPENED (unexpected)', ''))
    except PgpError as exc:
        rows.append((label, type(exc).__name__, str(exc)))
for row in rows:
    print(f'{row[0]:45} {row[1]:26} {row[2]}')
assert all(not r[1].startswith('OPENED') for r in rows)

# %% [markdown]
# ### The same messages, opened by each reference
#
# Every reference refuses every one of them too, and here all four name each refusal alike. The vectors hold the few
# messages on which the references themselves disagree (for example, GnuPG rejects an armor checksum that BouncyCastle
# ignores, and one malformed message gets three names); those are `acceptable` vectors, explained in `DEVIATIONS.md`.

# %%
from conformance import judge, registry

names = ("python", "bc150", "bc-current", "gnupg")
calls = [
    ("boldchat.pgp.open", {"message": message, "serverPrivateKey": keys["server.sec"], "signerPublicKey": keys[signer]})
    for message, signer in cases.values()
]
answers = {name: registry.shared(name).call_many(calls) for name in names}
print(f"{'':45} " + " ".join(f"{name:26}" for name in names))
for index, label in enumerate(cases):
    print(f"{label:45} " + " ".join(f"{answers[name][index].reason or answers[name][index].status:26}" for name in names))
assert all(answer.status == "error" for outcomes in answers.values() for answer in outcomes)
same = sum(judge.same(answers["python"][i], answers[name][i]) for name in names[1:] for i in range(len(calls)))
print(f"python names the refusal as the reference does in {same} of {3 * len(calls)} answers")
assert same == 3 * len(calls)

# %% [markdown]
# ## The interop matrix
#
# Python, BouncyCastle 1.50, BouncyCastle current and GnuPG each seal the document's parameters (rows) and each opens every message (columns), under compression `default`, `on` and `off`. A red cell would be a finding, shown with its reason.

# %%
from conformance import catalog, matrix, registry
from conformance.report.matrices import interop_markdown
from IPython.display import Markdown

implementations = [registry.shared(name) for name in ("python", "bc150", "bc-current", "gnupg")]
cells = matrix.run_interop([], implementations, progress=False, flows=[catalog.flow("boldchat_pgp")])
Markdown(interop_markdown([c for c in cells if c.variant.startswith("gnupg-sha512/")]))

# %%
failing = [c for c in cells if c.verdict != "pass"]
print(f"{len(cells) - len(failing)} of {len(cells)} cells pass (3 key sets x 3 compression settings)")
for cell in failing:
    print(cell.variant, cell.producer, "->", cell.consumer, cell.detail)

# %% [markdown]
# ## Every vector, Python and the three references
#
# `vectors/boldchat_pgp.json` (made by `vectors/generators/boldchat_pgp.py` with the test keys) holds messages to open:
# sealed by BouncyCastle 1.50, BouncyCastle current and GnuPG (`vectors/inputs/boldchat_pgp_messages.json`), the ways
# of failing above derived from them, and what a live reference answered for each. `conformance.runner.run` sends each to Python and to
# the three references through the contract and judges every answer (the interop matrix ran above, so it is skipped
# here). The references' *deviations* are the `acceptable` vectors on which they disagree among themselves
# (`DEVIATIONS.md`). The record shows itself.

# %%
from conformance import catalog, runner
from conformance.paths import vectors_dir
from conformance.vectors import iter_cases
from conformance.report.notebook import show

flow = catalog.flow('boldchat_pgp')
path = vectors_dir() / flow.vector_file
record = runner.run(list(iter_cases(path)), [registry.shared(name) for name in ("python", "bc150", "bc-current", "gnupg")], vector_files=[path], progress=False, interop=False)
assert record.gate_passes(), list(record.failing())[:5]
show(record)
