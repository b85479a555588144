"""The pytest plugin, run in real inner pytest sessions (``pytester``) against small user implementations."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

import pytest

# Imported here so that the in-process inner runs share them: pytester drops modules an inner run imported, and
# cryptography's bindings do not survive being imported twice in one process.
import conformance.vendors.khoros
import conformance.vendors.thread  # noqa: F401
from conformance.vectors import VectorCase, load_cases

pytest_plugins = ("pytester",)

PLUGIN = ("-p", "conformance.pytest_plugin")


def vector_count(predicate: Callable[[VectorCase], bool]) -> int:
    """How many of the project's vectors match: the expected counts follow the vector files as they grow."""
    return sum(1 for case in load_cases() if predicate(case))


def op_count(*ops: str) -> int:
    return vector_count(lambda case: case.op in ops)


SKEP = ("khoros.skep.encrypt", "khoros.skep.decrypt")


@pytest.fixture
def inner(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A pytester whose runs load this plugin explicitly, and no other installed plugin."""
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    return pytester


def write_module(pytester: pytest.Pytester, name: str, source: str) -> None:
    pytester.makepyfile(**{name: textwrap.dedent(source)})


def test_passing_implementation_one_test_per_vector(inner: pytest.Pytester) -> None:
    result = inner.runpytest(*PLUGIN, "--handoff-impl=conformance.vendors.thread", "--handoff-flow=thread_messenger")
    thread = vector_count(lambda case: case.file.endswith("thread_messenger.json"))
    result.assert_outcomes(passed=thread)
    listed = inner.runpytest(
        *PLUGIN, "--handoff-impl=conformance.vendors.thread", "--handoff-flow=thread_messenger", "--collect-only", "-q"
    )
    listed.stdout.fnmatch_lines(
        ["handoff::thread_messenger#1", "handoff::thread_messenger#2", f"{thread} tests collected*"]
    )


def test_ops_the_implementation_lacks_are_one_summary_line_not_skipped_tests(inner: pytest.Pytester) -> None:
    """Issue 18: not a skipped test per vector of an op the implementation does not declare (75% skipped on a CI
    dashboard), but one line saying how many were not run."""
    result = inner.runpytest(
        *PLUGIN,
        "--handoff-impl=conformance.vendors.thread",
        "--handoff-op=thread.text_bytes,khoros.skep.*",
        "-rs",
        "--junitxml=junit.xml",
    )
    result.assert_outcomes(passed=op_count("thread.text_bytes"))
    skep = ", ".join(sorted(SKEP))
    result.stdout.fnmatch_lines([f"handoff: {op_count(*SKEP)} vector(s) not run: * does not implement {skep}"])
    junit = (inner.path / "junit.xml").read_text(encoding="utf-8")
    assert 'skipped="0"' in junit and "khoros.skep" not in junit


def test_failing_implementation_shows_expected_and_actual(inner: pytest.Pytester) -> None:
    write_module(
        inner,
        "wrong_hash",
        """
        class Impl:
            OPS = {"khoros.cryptor.aes_hash_block": lambda args: "00" * 16}
        """,
    )
    result = inner.runpytest(*PLUGIN, "--handoff-impl=wrong_hash:Impl", "--handoff-tcid=khoros_cryptor#1")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*khoros_cryptor#1 (khoros.cryptor.aes_hash_block)*",
            "*input:    {'s': ''}",
            '*expected: value "e3b0c44298fc1c149afbf4c8996fb924"',
            '*actual:   value "00000000000000000000000000000000"',
        ]
    )


def test_user_exceptions_compare_by_reason_path(inner: pytest.Pytester) -> None:
    write_module(
        inner,
        "own_errors",
        """
        from conformance.errors import ConformanceError
        from conformance.vendors import khoros

        class EncryptionError(Exception):
            pass

        class BadPadding(Exception):
            reason = "BadPadding"

        def decrypt(args):
            try:
                return khoros.OPS["khoros.skep.decrypt"](args)
            except ConformanceError as exc:
                if exc.reason_path() == "EncryptionError/BadPadding":
                    raise EncryptionError("no") from BadPadding("bad")
                raise

        OPS = {"khoros.skep.decrypt": decrypt}
        """,
    )
    result = inner.runpytest(*PLUGIN, "--handoff-impl=own_errors", "--handoff-op=khoros.skep.decrypt")
    result.assert_outcomes(passed=op_count("khoros.skep.decrypt"))


def test_unexpected_exception_fails_with_its_traceback(inner: pytest.Pytester) -> None:
    write_module(inner, "buggy", 'OPS = {"khoros.cryptor.aes_hash_block": lambda args: args["no such argument"]}\n')
    result = inner.runpytest(*PLUGIN, "--handoff-impl=buggy", "--handoff-tcid=khoros_cryptor#2")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*actual:   error Unexpected:KeyError*", "*Traceback*", "*no such argument*"])


def test_acceptable_vector_answered_differently_is_xfailed(inner: pytest.Pytester) -> None:
    result = inner.runpytest(
        *PLUGIN, "--handoff-impl=conformance.vendors.khoros", "--handoff-op=khoros.payload.decrypt", "-rx"
    )
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed", 0) == 0
    assert outcomes["xfailed"] >= 1 and outcomes["passed"] >= 1
    result.stdout.fnmatch_lines(["*XFAIL*deviation: acceptable vector*"])


def test_filters_narrow_the_selection(inner: pytest.Pytester) -> None:
    def count(*options: str) -> int:
        result = inner.runpytest(*PLUGIN, "--handoff-impl=conformance.vendors.khoros", "--collect-only", *options)
        return result.parseoutcomes().get("tests", result.parseoutcomes().get("test", 0))

    assert count("--handoff-op=khoros.skep.*") == op_count(*SKEP)
    invalid_decrypts = vector_count(lambda case: case.op == "khoros.skep.decrypt" and case.result == "invalid")
    assert 0 < invalid_decrypts < op_count("khoros.skep.decrypt")
    assert count("--handoff-op=khoros.skep.decrypt", "--handoff-result=invalid") == invalid_decrypts
    assert count("--handoff-flow=khoros_cryptor", "--handoff-tcid=khoros_cryptor#1?") == 10
    assert count("--handoff-op=no.such.op") == 0


def test_decorator_and_fixtures(inner: pytest.Pytester) -> None:
    inner.makepyfile(
        test_mine=textwrap.dedent(
            """
            from conformance.pytest_plugin import check_vector, handoff_vectors
            from conformance.vendors.khoros import OPS

            @handoff_vectors(op="khoros.cryptor.aes_hash_block")
            def test_table(handoff_case):
                check_vector(handoff_case, OPS)

            @handoff_vectors(op="khoros.cryptor.*", case_id="khoros_cryptor#1")
            def test_plain_callable(handoff_case):
                check_vector(handoff_case, lambda args: "wrong")

            @handoff_vectors(op="khoros.cryptor.aes_hash_block", result="valid")
            def test_configured(handoff_case, handoff_impl):
                check_vector(handoff_case, handoff_impl)
            """
        )
    )
    # --handoff-impl adds no handoff[...] item here (thread has no khoros op); test_configured skips its vectors
    options = ("--handoff-impl=conformance.vendors.thread", "--handoff-op=khoros.cryptor.aes_hash_block")
    result = inner.runpytest(*PLUGIN, *options, "-v", "test_mine.py")
    hashes = op_count("khoros.cryptor.aes_hash_block")
    result.assert_outcomes(passed=hashes, failed=1, skipped=hashes)
    result.stdout.fnmatch_lines(
        [
            "*test_mine.py::test_table[[]khoros_cryptor#1[]] PASSED*",
            "*test_plain_callable[[]khoros_cryptor#1[]] FAILED*",
            "*test_configured[[]khoros_cryptor#1[]] SKIPPED*",
        ]
    )


def test_inert_without_options(inner: pytest.Pytester) -> None:
    inner.makepyfile("def test_plain():\n    assert True\n")
    inner.runpytest(*PLUGIN).assert_outcomes(passed=1)


def test_bad_impl_is_a_usage_error(inner: pytest.Pytester) -> None:
    result = inner.runpytest(*PLUGIN, "--handoff-impl=no_such_module_here:Impl")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--handoff-impl=no_such_module_here:Impl*No module named*"])


def test_bad_vectors_path_is_a_usage_error(inner: pytest.Pytester) -> None:
    result = inner.runpytest(*PLUGIN, "--handoff-impl=conformance.vendors.thread", "--handoff-vectors=nowhere")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*nowhere: no such vectors directory*"])


def test_vectors_option_takes_a_single_file(inner: pytest.Pytester) -> None:
    from conformance.paths import vectors_dir

    path = vectors_dir() / "thread_messenger.json"
    result = inner.runpytest(*PLUGIN, "--handoff-impl=conformance.vendors.thread", f"--handoff-vectors={path}")
    result.assert_outcomes(passed=vector_count(lambda case: case.file == str(path)))
