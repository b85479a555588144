"""``conformance inspect``: for every seed flow, artifacts broken with known mistakes by the LIVE references are
diagnosed with the right flag first; correct artifacts conform with no diagnosis; an artifact no known mistake
explains says so; secrets never reach the output; the registry refuses what the catalog and the vectors do not
declare; the CLI's forms, JSON and exit codes."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from conformance import catalog
from conformance.cli import main
from conformance.errors import UsageError
from conformance.inspect import Invert, Mistake, inspect, inspect_args, registration
from conformance.inspect.engine import UNEXPLAINED
from conformance.inspect.forms import detect
from tests.conftest import require
from tests.fixtures.inspect_cases import CASES, MARK

SEED_FLOWS = tuple(CASES)


def _cases(flow: str) -> list:
    for name in catalog.flow(flow).references:
        require(name)
    if flow == "boldchat_validator":
        require("python")
    return CASES[flow]()


@pytest.fixture(scope="module", params=SEED_FLOWS)
def inspected(request: pytest.FixtureRequest) -> tuple[str, list]:
    flow = request.param
    return flow, [(name, expected, inspect_args(op, args)) for name, op, args, expected in _cases(flow)]


def test_each_mistake_is_named_first(inspected: tuple[str, list]) -> None:
    flow, found = inspected
    mistakes = {expected for _, expected, _ in found if isinstance(expected, tuple)}
    assert len(mistakes) >= 4, f"{flow}: at least 4 known mistakes are tried"
    for name, expected, inspection in found:
        if not isinstance(expected, tuple):
            continue
        assert not inspection.conforms, name
        assert inspection.diagnoses, f"{flow} {name}: nothing confirmed (tried {inspection.tried})"
        first = inspection.diagnoses[0]
        assert (first.flag, first.label) == expected, (
            f"{flow} {name}: {[(d.flag, d.label) for d in inspection.diagnoses]}"
        )
        assert first.confirmed_by, name
        assert first.note == registration.notes(flow)[first.flag]["description"], "the note is the vector file's"
        assert first.bug_type == registration.notes(flow)[first.flag]["bugType"]


def test_correct_artifacts_conform_without_diagnosis(inspected: tuple[str, list]) -> None:
    flow, found = inspected
    correct = [(name, i) for name, expected, i in found if expected == "conforms"]
    assert correct, flow
    for name, inspection in correct:
        assert inspection.conforms, f"{flow} {name}: {inspection.summary}"
        assert inspection.diagnoses == () and inspection.to_json()["diagnoses"] == []
        assert inspection.to_json()["conforms"] is True


def test_unexplained_artifacts_say_so(inspected: tuple[str, list]) -> None:
    flow, found = inspected
    unexplained = [(name, i) for name, expected, i in found if expected is None]
    assert unexplained, flow
    for name, inspection in unexplained:
        assert not inspection.conforms and inspection.diagnoses == (), f"{flow} {name}"
        assert inspection.to_json()["explanation"] == UNEXPLAINED
        assert UNEXPLAINED in inspection.text() and UNEXPLAINED in inspection._repr_html_()


def test_no_planted_secret_in_any_output(inspected: tuple[str, list]) -> None:
    flow, found = inspected
    for name, _, inspection in found:
        for shown in (inspection.text(), json.dumps(inspection.to_json()), inspection._repr_html_()):
            assert MARK not in shown, f"{flow} {name}: the secret is in the output"


def test_layers_are_decoded(inspected: tuple[str, list]) -> None:
    flow, found = inspected
    wanted = {
        "khoros_secure_transfer": {"iv", "ciphertext", "padding", "plaintext"},
        "khoros_cryptor": {"iv", "ciphertext", "tag"},
        "khoros_widget_jwt": {"header", "payload", "signature"},
        "talkative_signed_data": {"header", "payload", "signature"},
        "thread_messenger": {"message", "hash"},
        "boldchat_sha512": {"hash", "data"},
        "boldchat_validator": {"hash", "data"},
        "boldchat_pgp": {"armor", "ciphertext"},
    }[flow]
    correct = next(i for _, expected, i in found if expected == "conforms")
    roles = {s.role for layer in correct.layers for s in layer.segments}
    assert wanted <= roles, (flow, roles)
    secrets = [layer for layer in correct.layers if layer.secret is not None]
    assert bool(secrets) == (flow != "talkative_signed_data"), "every flow but Talkative (a public key) has a secret"
    assert all(layer.data is None and "sha256" in json.dumps(layer.secret) for layer in secrets)


# --- the registry ------------------------------------------------------------------------------------------------


def _any_invert() -> Invert:
    return Invert(dict, "nothing")


@pytest.mark.parametrize(
    ("mistake", "message"),
    [
        (Mistake("thread_messenger", "thread.no_such_op", "UppercaseKey", _any_invert(), "x"), "declares no op"),
        (Mistake("thread_messenger", "khoros.payload.decrypt", "WrongKey", _any_invert(), "x"), "belongs to flow"),
        (Mistake("thread_messenger", "thread.connection_key", "UppercaseKey", _any_invert(), "x"), "does not consume"),
        (
            Mistake("thread_messenger", "thread.verify_connection_key", "NoSuchFlag", _any_invert(), "x"),
            "not in the notes",
        ),
        (Mistake("thread_messenger", "thread.verify_connection_key", "UppercaseKey", _any_invert(), "x"), "twice"),
    ],
)
def test_registration_refuses(mistake: Mistake, message: str) -> None:
    registration.load()
    with pytest.raises(ValueError, match=message):
        registration.register(mistake)


def test_every_seed_consumer_op_has_mistakes_and_layers() -> None:
    for flow in SEED_FLOWS:
        for op in catalog.flow(flow).ops:
            if op.consumes and op.name != "khoros.skep.decrypt":
                assert registration.mistakes(op.name), op.name
                assert registration.layers_of(op.name) is not None, op.name


# --- forms and the command line ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("artifact", "form"),
    [
        ("https://portal.example/sso?payload=abc&iv=def", "link"),
        ("eyJhbGciOiJIUzI1NiJ9.eyJ9.c2ln", "token"),
        ("-----BEGIN PGP MESSAGE-----\n\nabc\n-----END PGP MESSAGE-----\n", "message"),
        ("A" * 128 + "VisitName=Bob", "params"),
        ("a" * 64, "key"),
    ],
)
def test_an_artifact_alone_is_detected(artifact: str, form: str) -> None:
    assert detect(artifact) == form


def test_inspect_is_public_and_shows_itself() -> None:
    import conformance.inspect

    assert callable(conformance.inspect.inspect)
    with pytest.raises(UsageError, match="give --key"):
        inspect(link="https://portal.example/sso?payload=abc&iv=def")


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_thread_forms_json_and_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    require("php")
    cases = {name: args for name, _, args, _ in CASES["thread_messenger"]()}
    good, swapped = cases["correct"], cases["swapped"]
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text(good["secret"], encoding="utf-8")
    code, out, err = _run(["inspect", "--key", good["key"], "--email", good["email"], "--secret", f"@{secret_file}"],
                          capsys)  # fmt: skip
    assert code == 0 and out.startswith("CONFORMS") and not err
    report = tmp_path / "inspect.json"
    code, out, err = _run(["inspect", swapped["key"], "--email", swapped["email"], "--secret", swapped["secret"],
                           "--json", str(report)], capsys)  # fmt: skip
    assert code == 1 and "SwappedArguments" in out
    document = json.loads(report.read_text(encoding="utf-8"))
    assert set(document) >= {"conforms", "references", "layers", "diagnoses"}
    assert document["conforms"] is False and document["references"]["php"]["accepted"] is False
    assert [set(d) >= {"flag", "note", "evidence", "fix"} for d in document["diagnoses"]] == [True]
    assert document["diagnoses"][0]["flag"] == "SwappedArguments"
    for shown in (out, err, report.read_text(encoding="utf-8")):
        assert MARK not in shown
    args_file = tmp_path / "args.json"
    args_file.write_text(json.dumps(swapped), encoding="utf-8")
    code, out, _ = _run(["inspect", "--op", "thread.verify_connection_key", "--args", f"@{args_file}"], capsys)
    assert code == 1 and "SwappedArguments" in out and MARK not in out


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["inspect", "--token", "not-a-token", "--secret", MARK, "--key-id", "k"], "not a JWT/JWS"),
        (["inspect", "--token", "e30.e30", "--secret", MARK, "--key-id", "k"], "not a JWT/JWS"),
        (["inspect", "--link", "https://p.example/?payload=abc&iv=def", "--key", "c2hvcnQ="], "decodes to 5 bytes"),
        (["inspect", "--message", "@/no/such/file.asc", "--server-key", "/no/such", "--signer-key", "/no"], "no such"),
        (["inspect", "--token", "a.b.c", "--public-key", "/no/such/key.pem"], "no such file"),
        (["inspect", "--op", "thread.connection_key", "--args", "{}"], "does not consume"),
        (["inspect", "--op", "thread.verify_connection_key", "--args", "[1"], "not JSON"),
        (["inspect", "--op", "thread.verify_connection_key", "--args", json.dumps({"email": MARK})], "secret"),
        (["inspect", "just some words"], "not a transfer link"),
        (["inspect"], "nothing to inspect"),
    ],
)
def test_cli_bad_input_is_one_line_exit_3(argv: list[str], said: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(argv, capsys)
    assert code == 3, (out, err)
    assert err.count("\n") == 1 and said in err, err
    assert MARK not in err and "Traceback" not in err


# --- the documentation -------------------------------------------------------------------------------------------

DOCS = Path(__file__).resolve().parents[1] / "docs" / "inspect.md"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)


def test_docs_commands_run_as_pasted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every command of docs/inspect.md, split as a shell splits it, exits with the status its comment says; the
    diagnoses the page quotes are what inspect prints; its Python runs."""
    for name in ("php", "node", "openssl", "java"):
        require(name)
    monkeypatch.chdir(tmp_path)
    commands = [line for block in _blocks("sh") for line in block.splitlines() if line.strip()]
    assert len(commands) >= 8
    printed = ""
    for line in commands:
        expected = re.search(r"# exit (\d)$", line)
        assert expected is not None and line.startswith("conformance inspect "), line
        argv = shlex.split(line, comments=True)
        code, out, err = _run(argv[1:], capsys)
        assert code == int(expected.group(1)), (line, out, err)
        assert (err.count("\n") == 1) if code == 3 else not err, err
        printed += out
    for quoted in _blocks("text"):
        for shown in quoted.splitlines():
            assert shown == "..." or shown in printed, shown
    document = json.loads((tmp_path / "inspect.json").read_text(encoding="utf-8"))
    assert document["conforms"] is False and document["diagnoses"][0]["flag"] == "FormDecodedIv"
    (python,) = _blocks("python")
    found: dict[str, object] = {}
    exec(python, found)  # the page's own example
    assert found["found"].diagnoses[0].flag == "SwappedArguments"  # type: ignore[attr-defined]
