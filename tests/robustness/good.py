"""Well-formed arguments and instances, so a hostile value in one parameter reaches the code behind the others.

Values are chosen by the parameter's name and annotation (``GOOD_BY_NAME``), overridden per callable where one name
means different things (``OVERRIDES``). A parameter with neither gets a value from its annotation, so a new function
is still covered. Instances for methods come from ``FACTORIES``: a class without one fails the test, so a new class
cannot go untested. Secrets hold :data:`~tests.robustness.hostile.MARK`.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from conformance import catalog, kinds, openpgp, paths, registry
from conformance.codecs import encode_base64
from conformance.contract import JsonLinesImplementation
from conformance.jsonlines import JsonLinesProcess
from conformance.judge import Judgement
from conformance.openpgp.reading import read_encrypted_list
from conformance.outcome import Outcome
from conformance.selection import CaseFilter
from conformance.vectors import iter_cases
from conformance.vendors import boldchat, boldchat_pgp, khoros, khoros_jwt, talkative
from conformance.vendors.boldchat_validator import BoldChatValidator, MemoryReplayStore, SqliteReplayStore
from tests.robustness.hostile import MARK, MARK_BYTES

_NONE = object()  # no kind-specific value
KEY16 = (MARK + "-key16")[:16]  # a raw AES-128 key that is also the planted secret
IV16 = (MARK + "-iv-16")[:16]
B64_KEY = encode_base64((MARK_BYTES * 4)[:32])
B64_IV = encode_base64((MARK_BYTES * 2)[:16])
CLOCK_MS = 1_767_225_600_000


def _tiny_vectors(root: Path) -> Path:
    """A vectors folder with one small valid file (two tests) and the project's schemas."""
    folder = root / "vectors"
    shutil.copytree(paths.schemas_dir(), folder / "schemas")
    document = json.loads((paths.data_dir() / "thread_messenger.json").read_text(encoding="utf-8"))
    group = document["testGroups"][0]
    group["tests"] = group["tests"][:2]
    document["testGroups"] = [group]
    document["numberOfTests"] = 2
    (folder / "thread_messenger.json").write_text(json.dumps(document), encoding="utf-8")
    return folder


def hostile_paths(root: Path) -> tuple[Any, ...]:
    """Paths that are not what a function wants: missing, a folder, a FIFO, garbage, a loop, too long, NUL."""
    base = root
    base.mkdir(parents=True)
    garbage = base / "garbage.json"
    garbage.write_bytes(b"\xff\xfe{" + MARK_BYTES + b"\0" * 64)
    deep = base / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="ascii")
    digits = base / "digits.json"
    digits.write_text('{"schema": ' + "9" * 5000 + "}", encoding="ascii")
    fifo = base / "fifo"
    os.mkfifo(fifo)
    loop = base / "loop"
    loop.symlink_to(loop)
    folder = base / "folder"
    folder.mkdir()
    (folder / "x.json").mkdir()  # a folder named like a vector file
    return (
        base / "missing",
        str(base / "missing" / "child"),
        folder,
        garbage,
        garbage / "child",
        deep,
        digits,
        fifo,
        loop,
        str(base / ("n" * 5000)),
        str(base) + "/\0",
        str(base) + "/\ud800",
        str(base) + "/\udc80",
    )


class World:
    """Every well-formed value and instance the harness needs, made once per test session in ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.vectors = _tiny_vectors(root)
        self.cases = list(iter_cases(self.vectors / "thread_messenger.json"))
        self.paths = hostile_paths(root / "hostile")
        keys = paths.pgp_keys_dir()
        self.pgp = {name: (keys / f"{name}.asc").read_text(encoding="ascii") for name in ("server.pub", "server.sec")}
        self.pgp |= {name: (keys / f"{name}.asc").read_text(encoding="ascii") for name in ("brand.pub", "brand.sec")}
        self.ec_private_pem, self.ec_public_pem = talkative.generate_signing_key()
        self.fields = [{"label": MARK, "data": f"{MARK} data", "type": "string"}]
        self.pairs = [("VisitName", f"{MARK} Smith"), ("Type", "chat"), ("ChatKey", f"{MARK}-ck")]
        self.secure = boldchat.secure_parameters_sha512(self.pairs, KEY16)
        self.provider = khoros.SymmetricKeyEncryptionProvider(KEY16, IV16)
        self.payload = khoros.SymmetricKeyEncryptionProvider(B64_KEY, B64_IV, True).encrypt_string('{"a":"Pl4nt"}')
        self.pgp_message = boldchat_pgp.secure_parameters_pgp(
            self.pairs, server_public_key=self.pgp["server.pub"], signing_private_key=self.pgp["brand.sec"]
        )
        self._openpgp()
        self.jwt = khoros_jwt.widget_jwt(MARK, key_id="kid-1", secret=f"{MARK}-jwt-secret", iat=1_700_000_000)
        self.token = talkative.sign_interaction_data(self.fields, self.ec_private_pem)
        scenario = next(c for c in iter_cases(paths.data_dir() / "boldchat_validator.json"))
        self.scenario = scenario.input
        self.key_dir = root / "keys"
        self.key_dir.mkdir()
        self.calls = [(self.cases[0].op, self.cases[0].input)]
        # One adapter process for every JSON-lines implementation made here (it declares the calls' op).
        adapter = Path(__file__).parents[1] / "fixtures" / "adapters" / "minimal.py"
        self.process = JsonLinesProcess([sys.executable, "-I", str(adapter), self.cases[0].op], timeout=10)
        self.json_lines = JsonLinesImplementation("minimal", lambda: self.process, builtin=False)
        self._reports()
        self._audit()

    def close(self) -> None:
        self.process.close()

    def _reports(self) -> None:
        """A run record (the python port on the tiny vectors, one answer made to fail, an interop cell and a
        reference-version matrix), its diff from the passing run, and a record file and a versions doc to rewrite."""
        from dataclasses import replace

        from conformance import report, runner
        from conformance.results import InteropCell

        self.old_record = runner.run(
            self.cases, [registry.shared("python")], vector_files=[self.vectors / "thread_messenger.json"],
            progress=False, interop=False,
        )  # fmt: skip
        self.record = runner.run(
            self.cases, [registry.shared("python")], vector_files=[self.vectors / "thread_messenger.json"],
            progress=False, interop=False,
        )  # fmt: skip
        failed = replace(self.record.cases[0], verdict="fail", why=f"{MARK} differs")
        self.record.cases[0] = failed
        self.record.interop = [InteropCell("thread_messenger", "python", "python", "fail", 1, 2, f"{MARK} detail")]
        case = self.cases[0]
        answers = {"1.0": {"status": "value", "value": "00"}, "2.0": {"status": "error", "reason": "InvalidArgument"}}
        by_version = {v: {"runtime": {"jdk": "17"}, "matchesVectors": 0, "differsFromVectors": [case.case_id]}
                      for v in answers}  # fmt: skip
        summary = {"description": "a reference", "pinned": "2.0", "cases": 1, "changed": 1, "date": "2026-12-03"}
        summary |= {"byVersion": by_version, "transitions": [{"from": "1.0", "to": "2.0", "changed": [case.case_id]}]}
        detail = {"op": case.op, "comment": case.comment, "flags": list(case.flags), "expected": {"output": "00"}}
        self.matrix = {
            "commons-codec": {
                "versions": list(answers),
                "findings": [{"reference": "commons-codec", "case_id": case.case_id, "answers": answers}],
                "summary": summary,
                "details": {case.case_id: detail},
            }
        }
        self.record.version_matrix = self.matrix
        self.diff = report.diff_records(self.old_record, self.record)
        self.record_file = self.root / "record.json"
        report.write_json(self.record, self.record_file)
        self.reports = self.root / "reports"
        self.reports.mkdir()
        self.versions_doc = self.root / "reference-versions.md"
        from conformance.report import versions

        shutil.copyfile(versions.doc_path(), self.versions_doc)

    def _report_overrides(self) -> dict[tuple[str, str], Any]:
        written = {name: self.reports / f"report.{ext}" for name, ext in
                   (("write_html", "html"), ("write_json", "json"), ("write_junit", "xml"))}  # fmt: skip
        return {
            **{(name, "path"): path for name, path in written.items()},
            ("load_record", "path"): self.record_file,
            ("update_doc", "path"): self.versions_doc,
            ("diff_records", "old"): self.old_record,
            ("diff_records", "new"): self.record,
            ("short_answer", "op"): self.cases[0].op,
            ("script_json", "data"): {"a": MARK, "b": [1, None]},
            ("xml_text", "text"): f"{MARK} <text> \x01",
        }

    def _openpgp(self) -> None:
        """The OpenPGP layer's well-formed keys, packets and session-key candidates, from the sealed launch."""
        self.server_public = openpgp.load_keys(self.pgp["server.pub"], secret=False, role="server")
        self.server_secret = openpgp.load_keys(self.pgp["server.sec"], secret=True, role="server")
        self.recipient = openpgp.encryption_key(self.server_public)
        self.signer = openpgp.signing_key(openpgp.load_keys(self.pgp["brand.sec"], secret=True, role="brand"))
        self.packets = openpgp.parse_packets(openpgp.dearmor(self.pgp_message)[1])
        self.candidates = openpgp.session_packets_for(self.packets, self.server_secret)
        self.session = read_encrypted_list(self.pgp_message).sessions[0]
        self.session_key = openpgp.decrypt_session_key(self.candidates)

    def _openpgp_overrides(self) -> dict[tuple[str, str], Any]:
        algorithm, session_key = self.session_key
        return {
            ("load_keys", "armored"): self.pgp["server.pub"],
            ("load_keys", "role"): "server_public_key",
            ("session_packets_for", "packets"): self.packets,
            ("session_packets_for", "keys"): self.server_secret,
            ("encrypt_session_key", "algorithm"): algorithm,
            ("encrypt_session_key", "session_key"): session_key,
            ("recover_session_key", "key"): self.candidates[0][1],
            ("recover_session_key", "public_algorithm"): self.session.algorithm,
            ("recover_session_key", "values"): self.session.values,
            ("decrypt_seipd_body", "algorithm"): algorithm,
            ("decrypt_seipd_body", "session_key"): session_key,
            # a body is read once: the first call reads it whole, later ones find it at its end
            ("decrypt_seipd_body", "body"): read_encrypted_list(self.pgp_message).data,
            ("build_message", "hash_algorithm"): 8,
            ("Key", "public_body"): self.recipient.public_body,
            ("Key", "public"): self.recipient.public,
            ("Key", "is_primary"): False,
            ("Key", "private"): None,
            ("Key", "flags"): None,
        }

    def _contract_overrides(self) -> dict[tuple[str, str], Any]:
        """The contract's implementations: the python port's table, the minimal adapter's process."""
        table = {"name": "python", "table": registry.python_ops, "kind": "in-process", "probe": lambda: None}
        table |= {"read_versions": dict, "batches": dict, "builtin": True, "validate": True}
        lines = {"name": "minimal", "process": lambda: self.process, "kind": "json-lines", "builtin": False}
        lines |= {"probe": lambda: None, "encode_args": lambda _op, args: args}
        return {("OpTableImplementation", k): v for k, v in table.items()} | {
            ("JsonLinesImplementation", k): v for k, v in lines.items()
        }

    # --- values ------------------------------------------------------------------------------------------------

    def by_name(self) -> dict[str, Any]:
        return {
            "s": f"VisitName={MARK}%20Smith&ve=a%40b.c",
            "params": self.pairs,
            "name": "VisitName",
            "encoded": f"VisitName={MARK}",
            "hashing_key": KEY16,
            "hashing_keys": [KEY16],
            "names": ["VisitName", "InitialQuestion"],
            "secure_parameters": self.secure,
            "compression": "default",
            "message": self.pgp_message,
            "server_public_key": self.pgp["server.pub"],
            "signing_private_key": self.pgp["brand.sec"],
            "server_private_key": self.pgp["server.sec"],
            "signer_public_key": self.pgp["brand.pub"],
            "strict_hashes": False,
            "request_type": "chat",
            "query": [("VisitInfo", MARK)],
            "clock": lambda: CLOCK_MS,
            "namespace": "site-1",
            "chat_key": f"{MARK}-ck",
            "at_ms": CLOCK_MS,
            "timeout": 5.0,
            "args": self.scenario,
            "secret_key": KEY16,
            "iv_key": IV16,
            "should_base64_decode_keys": False,
            "plain_text": f"{MARK} plain text",
            "cipher_text": self.provider.encrypt_string(f"{MARK} plain text"),
            "encryption_key": KEY16,
            "encrypted_payload": self.payload,
            "portal_url": "https://portal.example/handoff",
            "url": khoros.build_transfer_link("https://portal.example/handoff", self.payload, B64_IV),
            "payload": self.payload,
            "size": 16,
            "aad": b"aad",
            "user_id": f"{MARK}-user",
            "key_id": "kid-1",
            "iat": 1_700_000_000,
            "now": 1_700_000_100,
            "token": self.jwt,
            "fields": self.fields,
            "pem": self.ec_private_pem,
            "private_key_pem": self.ec_private_pem,
            "public_key_pem": self.ec_public_pem,
            "private_pem": self.ec_private_pem,
            "curve": ec.SECP256R1,
            "deterministic": True,
            "directory": self.key_dir,
            "labels": ["a", "b"],
            "allowed_labels": frozenset({"a"}),
            "signed": self.fields,
            "unsigned": [{"label": "a", "data": MARK, "type": "string"}],
            "email": f"{MARK}@example.com",
            "app_id": "app-1",
            "text": f"{MARK} text",
            "path": self.vectors / "thread_messenger.json",
            "schema_dir": self.vectors / "schemas",
            "what": "vector file",
            "flows": ("thread_messenger",),
            "ops": (),
            "flags": (),
            "tc_ids": (),
            "results": (),
            "case": self.cases[0],
            "cases": self.cases,
            "selection": CaseFilter(flows=("thread_messenger",)),
            "impl": "conformance.vendors.thread",
            "fail_on": frozenset({"fail", "unsafe"}),
            "outcome": Outcome.of_value("x"),
            "verdict": Judgement("pass"),
            "spec": "conformance.vendors.thread",
            "search_path": (),
            "recipient": self.recipient,
            "signer": self.signer,
            "candidates": self.candidates,
            "calls": self.calls,
            "rnd": random.Random(7),
            "label": "my-port",
            "record": self.record,
            "diff": self.diff,
            "cells": self.record.interop,
            "matrix": self.matrix,
            "counts": {"pass": 1, "fail": 1},
            "actual": {"status": "value", "value": "00"},
        }

    def overrides(self) -> dict[tuple[str, str], Any]:
        """(callable name, parameter) -> value, where one name means different things."""
        thread_key = "0" * 64
        return {
            ("connection_key_bytes", "email"): MARK_BYTES,
            ("connection_key_bytes", "secret"): MARK_BYTES + b"-secret",
            ("connection_key", "secret"): f"{MARK}-thread-secret",
            ("messenger_params", "secret"): f"{MARK}-thread-secret",
            ("verify_connection_key", "secret"): f"{MARK}-thread-secret",
            ("verify_connection_key", "key"): thread_key,
            ("widget_jwt", "secret"): f"{MARK}-jwt-secret",
            ("widget_jwt_parts", "secret"): f"{MARK}-jwt-secret",
            ("verify_widget_jwt", "secret"): f"{MARK}-jwt-secret",
            ("verify_interaction_data", "token"): self.token,
            ("load_public_key", "pem"): self.ec_public_pem,
            ("private_key_pem", "key"): talkative.load_private_key(self.ec_private_pem),
            ("public_key_pem", "key"): talkative.load_public_key(self.ec_public_pem),
            ("unsecured_names", "value"): "VisitName&InitialQuestion",
            ("encode_text", "name"): "text",
            ("encrypt_cbc", "value"): MARK_BYTES * 3,
            ("encrypt_gcm", "value"): MARK_BYTES * 3,
            ("decrypt_cbc", "value"): khoros.Cryptor(KEY16).encrypt_cbc(MARK_BYTES * 3, b"\0" * 16),
            ("decrypt_gcm", "value"): khoros.Cryptor(KEY16).encrypt_gcm(MARK_BYTES * 3, b"\0" * 12),
            ("encrypt_cbc", "iv"): b"\0" * 16,
            ("decrypt_cbc", "iv"): b"\0" * 16,
            ("encrypt_gcm", "iv"): b"\0" * 12,
            ("decrypt_gcm", "iv"): b"\0" * 12,
            ("build_transfer_link", "iv"): B64_IV,
            ("decrypt_payload", "iv_key"): B64_IV,
            ("decrypt_payload", "encryption_key"): B64_KEY,
            ("decode_base64", "data"): encode_base64(MARK_BYTES),
            ("encode_base64", "data"): MARK_BYTES,
            ("encode_base64_url_safe", "data"): MARK_BYTES,
            ("java_utf8_decode", "data"): MARK_BYTES + b"\xed\xa0\x80",
            ("decode_plaintext", "plain"): MARK_BYTES,
            ("seal_bytes", "plain"): MARK_BYTES,
            ("SqliteReplayStore", "path"): self.root / "replay" / "keys.sqlite3",
            ("vector_files", "directory"): self.vectors,
            ("load_cases", "directory"): self.vectors,
            ("select_cases", "path"): self.vectors,
            ("run_vector", "impl"): registry.shared("python"),
            ("check_vector", "impl"): registry.shared("python"),
            ("Parameter", "friendly"): "VisitName",
            ("ValidatedLaunch", "type"): "chat",
            **self._openpgp_overrides(),
            **self._contract_overrides(),
            **self._report_overrides(),
            **self._kind_overrides(),
        }

    def _audit(self) -> None:
        """The audit's well-formed values: a record, a proof that answers at once, a padding oracle, samples."""
        from conformance.audit import sha512_extension
        from conformance.audit.boldchat_sha512 import forge
        from conformance.audit.model import Finding, Proof
        from conformance.audit.runner import AuditRecord

        def quick() -> Finding:
            return Finding.not_reproduced("ROBUST-1", "thread_messenger", f"{MARK} why", {"title": "t"})

        #: The only proof registered while the robustness test runs (``tests/test_robustness.py::world``).
        self.proof = Proof("ROBUST-1", "thread_messenger", quick, ("python",), {"title": "t"})
        about = {"command": "python3 x.py", "available": None, "ops": ["thread.verify_connection_key"]}
        about |= {"probed": [], "unprobed": ["thread.verify_connection_key"]}
        metadata = {"flows": ["thread_messenger"], "flowsWithoutProofs": ["talkative_signed_data"], "seconds": 1.5}
        self.audit_record = AuditRecord([quick()], metadata | {"adapters": {"mine": about}})
        self.forgery = forge(self.secure, "&VisitName=x", 16)
        self.oracle_key = (MARK_BYTES * 2)[:16]
        self.sha512_hex = sha512_extension.sha512(MARK_BYTES).hex()

    def padding_oracle(self, iv: bytes, block: bytes) -> bool:
        """Whether ``block`` under :attr:`oracle_key` with ``iv`` ends in valid PKCS#7 padding."""
        from conformance import aes
        from conformance.errors import BadPadding

        try:
            aes.cbc_decrypt(self.oracle_key, iv, block)
        except BadPadding:
            return False
        return True

    def _audit_value(self, function: Any, parameter: str) -> Any:
        """For a function of ``conformance.audit``: its well-formed value (one name means different things across
        the audit's modules, and ``record`` is an audit record there); :data:`_NONE` for anything else."""
        module = getattr(function, "__module__", "") or ""
        if not module.startswith("conformance.audit"):
            return _NONE
        return self._audit_overrides().get((getattr(function, "__name__", ""), parameter), _NONE)

    def _audit_overrides(self) -> dict[tuple[str, str], Any]:
        from conformance import aes
        from conformance.audit import guessing, sha512_extension

        sign, _ = self._kind_parts()["hs256_jwt.sign"]
        verify, verify_args = self._kind_parts()["hs256_jwt.verify"]
        record = self.audit_record
        outcomes = {"python": Outcome.of_value("x"), "node": Outcome("error", reason="InvalidArgument")}
        block = bytes(range(16))
        samples = {"first": [1.0, 2.0, 3.0, 2.5], "second": [2.0, 0.5, 1.5]}
        found: dict[tuple[str, Any], Any] = {
            ("coverage", "ops"): ["thread.verify_connection_key", "thread.connection_key"],
            ("probe", "implementation"): self.json_lines,
            ("open_everywhere", "recipient"): "server",
            ("open_everywhere", "signer"): "brand",
            ("unwrap", "recipient"): "server",
            ("rewrap", "recipient"): "other",
            ("seal_with_gpg", "params"): f"VisitName={MARK}",
            ("seal_with_gpg", "digest"): "SHA256",
            ("text", "encoding"): "latin-1",
            ("secure_parameters", "encoding"): "latin-1",
            ("model_launch", "encoding"): "utf-8",
            ("search_key_length", "encoding"): "latin-1",
            ("nearest_utf8_texts", "forgery"): self.forgery,
            ("finding", "status"): "refuted",
            ("finding", "references"): {"python": {"python": "3"}},
            ("finding", "figures"): {"queries": 1},
            ("unavailable", "names"): ["python"],
            ("missing", "names"): ["python"],
            ("reference_versions", "names"): ["python"],
            ("call", "name"): "python",
            ("call", "op"): self.cases[0].op,
            ("call", "args"): dict(self.cases[0].input),
            ("call_many", "name"): "python",
            ("answers", "outcomes"): outcomes,
            ("describe", "outcomes"): outcomes,
            ("rate", "count"): 10,
            ("block_to_int", "block"): block,
            ("forge_tag", "mask"): block,
            ("tag_mask", "tag"): block,
            ("recover_hash_key", "c1"): block,
            ("recover_hash_key", "t1"): bytes(16),
            ("recover_hash_key", "c2"): bytes(reversed(block)),
            ("recover_hash_key", "t2"): block,
            ("search", "candidates"): [b"a", MARK_BYTES, b"b"],
            ("search", "check"): guessing.hs256_check(self.jwt),
            ("cryptor_gcm_check", "iv"): bytes(12),
            ("cryptor_gcm_check", "sealed"): bytes(32),
            ("exhaustion_table", "rate"): 1000.0,
            ("exhaustion_table", "spaces"): list(guessing.SPACES),
            ("verifiers", "flow"): catalog.flow("intercom_identity"),
            ("signed", "sign_op"): sign.op,
            ("signed", "claims"): {"sub": f"{MARK}-user", "iss": "https://brand.example", "exp": 1_767_229_200},
            ("verdicts", "verify_op"): verify.op,
            ("verdicts", "token"): verify_args["token"],
            ("verdicts", "times"): [1_767_225_600],
            ("verdicts", "tokens"): {"genuine": self.jwt},
            ("enabled_mode", "accepted_identity"): {"sub": f"{MARK}-user"},
            ("enabled_mode", "unsigned_user_id"): "visitor-1",
            ("exhaustion_plot", "rate"): 1000.0,
            ("exhaustion_plot", "tested"): ("6 digits", 10**6),
            ("payload_text", "payload"): {"agentId": 1, "name": MARK},
            ("not_reproduced", "details"): {"title": "t", "severity": "low"},
            ("proof", "references"): ("python",),
            ("proof", "details"): {"title": "t"},
            ("run_proof", "entry"): self.proof,
            ("run_one", "entry"): self.proof,
            ("Proof", "run"): self.proof.run,
            ("Proof", "references"): ("python",),
            ("decrypt", "oracle"): self.padding_oracle,
            ("decrypt", "iv"): block,
            ("decrypt", "ciphertext"): aes.cbc_encrypt(self.oracle_key, block, MARK_BYTES),
            ("forge", "oracle"): self.padding_oracle,
            ("forge", "last_block"): block,
            ("intermediate", "oracle"): self.padding_oracle,
            ("intermediate", "block"): block,
            ("unpad", "data"): MARK_BYTES + bytes([5]) * 5,
            ("compact_json", "value"): {"a": [1, 2], "b": {"c": MARK, "d": [{"e": None}]}},
            ("shortened", "value"): {"a": list(range(40)), "b": [{"c": MARK}]},
            ("notes", "meta"): record.metadata,
            ("write_json", "path"): self.reports / "audit.json",
            ("write_markdown", "path"): self.reports / "audit.md",
            ("check_adapters", "specs"): [f"mine={sys.executable} -c pass"],
            ("run_audit", "flows"): ("thread_messenger",),
            ("run_audit", "progress"): lambda _line: None,
            ("unprobed_note", "name"): "mine",
            ("unprobed_note", "about"): record.metadata["adapters"]["mine"],
            ("Sha512", "state"): sha512_extension.INITIAL_STATE,
            ("resume", "digest_hex"): self.sha512_hex,
            ("resume", "processed"): 128,
            ("compress", "state"): sha512_extension.INITIAL_STATE,
            ("compress", "block"): bytes(128),
            ("extend", "digest_hex"): self.sha512_hex,
            ("extend", "secret_length"): 16,
            ("quantile", "values"): samples["first"],
            ("summary", "values"): samples["first"],
            ("require_sample", "values"): samples["first"],
            ("auc_z", "value"): 0.7,
            ("auc_z", "n1"): 4,
            ("auc_z", "n2"): 3,
            ("bars", "values"): [1.0, 10.0],
            ("bars", "notes"): ["one", f"{MARK} ten"],
            ("columns", "values"): [1.0, 2.0, 3.0],
            ("columns", "reference"): (2.0, "two"),
            ("histogram", "series"): {"a": samples["first"], "b": samples["second"]},
            ("histogram", "bins"): 10,
            ("histogram", "clip"): (0.01, 0.95),
            ("jose_verify_many", "tokens"): [self.token],
            ("php_keys", "pairs"): [(b"alice@example.com", MARK_BYTES)],
            ("b64url_decode", "segment"): "YWJj",
            ("b64url_json", "segment"): "eyJhIjoxfQ",
        }
        for name in ("dumps_json", "headline_text", "render_markdown", "render_html", "write_json", "write_markdown"):
            found[(name, "record")] = record
        for name in ("auc", "best_threshold_accuracy", "separation"):
            found |= {(name, side): values for side, values in samples.items()}
        return found

    def _kind_parts(self) -> dict[str, Any]:
        """Kind name -> the catalog's first op of that kind (its resolved params and a valid vector input)."""
        if not hasattr(self, "_parts"):
            from conformance import catalog, vectors

            inputs = {c.op: c.input for c in reversed(vectors.load_cases()) if c.result == "valid"}
            parts = {}
            for found in catalog.kind_parts():
                if found.kind.name not in parts and found.op in inputs:
                    parts[found.kind.name] = (found, inputs[found.op])
            self._parts = parts
        return self._parts

    def _kind_value(self, owner: type | None, function: Any, parameter: str) -> Any:
        """For a kind's method or a kinds module's function: its kind's real ``params`` (or a vector's ``args``, or
        the ``Part`` of that op), so each kind is reached past its params check; :data:`_NONE` for anything else."""
        module = getattr(function, "__module__", "") or ""
        if not module.startswith("conformance.kinds") or parameter not in {"params", "args", "op", "kind"}:
            return _NONE
        name = getattr(owner, "name", None) if owner is not None else None
        if not isinstance(name, str) or not name:
            family = {"conformance.kinds.jws": "asym_jws", "conformance.kinds.hmac_hex": "hmac_hex"}
            which = "sign" if "sign" in getattr(function, "__name__", "") else "verify"
            name = f"{family.get(module, 'hs256_jwt')}.{which}"
        if name not in self._kind_parts():
            return _NONE
        found, args = self._kind_parts()[name]
        return {"params": found.params, "args": args, "op": found.op, "kind": found.kind}[parameter]

    def _kind_overrides(self) -> dict[tuple[str, str], Any]:
        """The kinds modules' helpers past their first check: a key set and the header naming its key, a payload
        from the issuer the arguments name, the claim rules and identity of an op."""
        _, jws_args = self._kind_parts()["asym_jws.verify"]
        jwt_verify, _ = self._kind_parts()["hs256_jwt.verify"]
        key = jws_args["jwks"]["keys"][0]
        header = {"alg": key["alg"], "kid": key["kid"], "typ": "JWT"}
        return {
            ("kind", "name"): "hs256_jwt.verify",
            ("signer_of", "flow"): catalog.flow("intercom_identity"),
            ("signer_of", "verify_op"): "intercom.identity.verify_web",
            ("producer_call", "supported"): frozenset(catalog.flow("intercom_identity").op_names),
            ("producer_call", "args"): {"secret": f"{MARK}-secret", "userId": "u-1", "_note": "dropped"},
            ("find_jwk", "header"): header,
            ("find_jwk", "jwks"): jws_args["jwks"],
            ("select_key", "header"): header,
            ("select_key", "jwks"): jws_args["jwks"],
            ("check_issuer", "payload"): {"iss": jws_args["issuer"], "sub": MARK},
            ("random_claims", "rules"): dict(jwt_verify.params["claims"]),
            ("random_claims", "identity"): list(jwt_verify.params["identity"]),
        }

    def value(
        self, function_name: str, parameter: str, annotation: str, owner: type | None = None, function: Any = None
    ) -> Any:
        """The well-formed value of ``parameter`` of ``function_name`` (a method of ``owner``, or ``function``)."""
        kind_value = self._kind_value(owner, function, parameter)
        if kind_value is not _NONE:
            return kind_value
        audit_value = self._audit_value(function, parameter)
        if audit_value is not _NONE:
            return audit_value
        special = self.overrides()
        if (function_name, parameter) in special:
            return special[(function_name, parameter)]
        known = self.by_name()
        if parameter in known:
            return known[parameter]
        return _from_annotation(annotation)

    def every_value(self) -> tuple[Any, ...]:
        """All well-formed values (to cross them: a PEM where an OpenPGP key goes, and so on)."""
        values = [*self.by_name().values(), *self.overrides().values()]
        return tuple(v for v in values if not callable(v) or isinstance(v, type))

    # --- instances ---------------------------------------------------------------------------------------------

    def factories(self) -> dict[str, Callable[[], Any]]:
        """Class name -> a well-formed instance (for calling its methods)."""
        return {
            "BoldChatValidator": lambda: BoldChatValidator([KEY16], store=MemoryReplayStore(), clock=lambda: CLOCK_MS),
            "MemoryReplayStore": MemoryReplayStore,
            "SqliteReplayStore": lambda: SqliteReplayStore(self.root / "replay" / "keys.sqlite3"),
            "Cryptor": lambda: khoros.Cryptor(KEY16),
            "SymmetricKeyEncryptionProvider": lambda: khoros.SymmetricKeyEncryptionProvider(KEY16, IV16),
            "WidgetJwtParts": lambda: khoros_jwt.widget_jwt_parts(MARK, key_id="k", secret=f"{MARK}-s", iat=1),
            "UnsignedFieldPolicy": lambda: talkative.UnsignedFieldPolicy.allowing(["a"]),
            "CaseFilter": lambda: CaseFilter(flows=("thread_messenger",)),
            "VectorCase": lambda: self.cases[0],
            "Kind": lambda: kinds.kind("hs256_jwt.verify"),
            "RoundTrip": lambda: catalog.flow("intercom_identity").round_trips[0],
            "OpTableImplementation": lambda: registry.shared("python"),
            "JsonLinesImplementation": lambda: self.json_lines,  # the abstract base's methods, on a registered kind
            **self._audit_factories(),
            **_fuzz_factories(),
        }

    def _audit_factories(self) -> dict[str, Callable[[], Any]]:
        from conformance.audit import sha512_extension
        from conformance.audit.guessing import SearchResult
        from conformance.audit.talkative import TALK_1

        return {
            "Details": lambda: TALK_1,
            "Forgery": lambda: self.forgery,
            "Finding": lambda: self.audit_record.findings[0],
            "AuditRecord": lambda: self.audit_record,
            "Sha512": lambda: sha512_extension.Sha512().update(MARK_BYTES),
            "SearchResult": lambda: SearchResult(3, 0.5, []),
        }


def _fuzz_factories() -> dict[str, Callable[[], Any]]:
    """A campaign's records: one divergence, in one class, in a record of two cases."""
    from conformance.fuzz.classes import DivergenceClass, signature
    from conformance.fuzz.record import CampaignRecord, Divergence, PartResult

    def divergence() -> Divergence:
        return Divergence(0, "thread.text_bytes", {"text": MARK}, Outcome.of_value("a"), Outcome.of_value("b"))

    def one_class() -> DivergenceClass:
        found = divergence()
        return DivergenceClass(signature(found.op, found.reference, found.actual), 1, found)

    def record() -> CampaignRecord:
        entry = one_class()
        return CampaignRecord(
            "thread_messenger", ["thread.text_bytes"], 1, 2, 1, [1], {"name": "python"}, {"name": "php"},
            cases=2, seconds=0.5, divergence_count=1, divergences=[entry.example], classes={entry.signature: entry},
        )  # fmt: skip

    return {
        "Divergence": divergence,
        "DivergenceClass": one_class,
        "CampaignRecord": record,
        "PartResult": lambda: PartResult(cases=2, divergences=[divergence()]),
    }


def _from_annotation(annotation: str) -> Any:  # noqa: PLR0911 (a lookup table)
    text = str(annotation)
    if text.startswith("bytes"):
        return MARK_BYTES
    if text.startswith("str"):
        return MARK
    if text.startswith("int"):
        return 1
    if text.startswith(("float", "int | float")):
        return 1.0
    if text.startswith("bool"):
        return False
    if text.startswith(("list", "Sequence", "Iterable")):
        return []
    if text.startswith(("dict", "Mapping")):
        return {}
    return None
