"""What benchmarks/mutation_hooks.py adds to a mutation run: killers first, the kill record,
the per-test time limit, and leaving out a clean run that already passed."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

HOOKS = Path(__file__).resolve().parent.parent / "benchmarks" / "mutation_hooks.py"
MUTANT = "verifier.core.numbers.x_parse__mutmut_3"


def _load_hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mutation_hooks", HOOKS)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


hooks = _load_hooks()


def test_a_mutant_names_its_function() -> None:
    assert hooks.function_of(MUTANT) == "verifier.core.numbers.x_parse"
    assert hooks.function_of("pkg.x_f__mutmut_12") == "pkg.x_f"
    assert hooks.function_of("pkg.x_f") == "pkg.x_f"  # not a mutant: as it is


def test_without_a_record_the_tests_keep_their_order(tmp_path: Path) -> None:
    tests = ["t_fast", "t_slow"]
    assert hooks.killers_first(tests, MUTANT, tmp_path / "killers.tsv") == tests


def test_the_function_s_killers_go_first_the_most_frequent_first(tmp_path: Path) -> None:
    killers = tmp_path / "killers.tsv"
    killers.write_text(
        "verifier.core.numbers.x_parse__mutmut_1\tt_c\n"
        "verifier.core.numbers.x_parse__mutmut_2\tt_d\n"
        "verifier.core.numbers.x_parse__mutmut_4\tt_d\n"
        "verifier.core.numbers.x_other__mutmut_1\tt_b\n"  # another function's killer
        "verifier.core.numbers.x_parse__mutmut_5\tt_gone\n",  # not in this selection
        encoding="utf-8",
    )
    tests = ["t_a", "t_b", "t_c", "t_d"]
    assert hooks.killers_first(tests, MUTANT, killers) == ["t_d", "t_c", "t_a", "t_b"]


def test_a_failed_test_is_recorded_as_the_mutant_s_killer(tmp_path: Path) -> None:
    killers = tmp_path / "killers.tsv"
    recorder = hooks.KillRecorder(killers, MUTANT)
    recorder.pytest_runtest_logreport(SimpleNamespace(failed=False, nodeid="t_passes"))
    assert not killers.exists()
    recorder.pytest_runtest_logreport(SimpleNamespace(failed=True, nodeid="t_kills"))
    recorder.pytest_runtest_logreport(SimpleNamespace(failed=True, nodeid="t_also"))
    assert killers.read_text(encoding="utf-8") == f"{MUTANT}\tt_kills\n{MUTANT}\tt_also\n"


def _sources(root: Path) -> None:
    (root / "pkg" / "__pycache__").mkdir(parents=True)
    (root / "pkg" / "mod.py").write_text("x = 1\n", encoding="utf-8")
    (root / "pkg" / "__pycache__" / "mod.pyc").write_bytes(b"compiled")
    (root / "setup.cfg").write_text("[x]\n", encoding="utf-8")


def test_the_digest_follows_the_copied_files_and_the_selection(tmp_path: Path) -> None:
    _sources(tmp_path)
    copied = ["pkg", "setup.cfg"]
    digest = hooks.sources_digest(tmp_path, copied, ["t_a"])
    assert hooks.sources_digest(tmp_path, reversed(copied), ["t_a"]) == digest
    (tmp_path / "pkg" / "__pycache__" / "mod.pyc").write_bytes(b"recompiled")
    assert hooks.sources_digest(tmp_path, copied, ["t_a"]) == digest  # caches do not count
    assert hooks.sources_digest(tmp_path, copied, ["t_a", "t_b"]) != digest
    (tmp_path / "setup.cfg").write_text("[y]\n", encoding="utf-8")  # a single file
    changed = hooks.sources_digest(tmp_path, copied, ["t_a"])
    assert changed != digest
    (tmp_path / "pkg" / "mod.py").write_text("x = 2\n", encoding="utf-8")  # inside a folder
    assert hooks.sources_digest(tmp_path, copied, ["t_a"]) not in (digest, changed)


@pytest.fixture
def mutmut_calls(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """mutmut's entry points that ``install`` wraps, replaced by recorders (monkeypatch puts
    mutmut's own back afterwards, wrappers included)."""
    import mutmut.__main__ as mutmut_main
    from mutmut.runners.harness import PytestRunner
    from mutmut.workers.isolation import ForkRunner, ForkServerRunner

    calls: dict[str, Any] = {"stats": [], "clean": [], "pytest": [], "clean_code": 0}

    def run_stats_collection(runner: Any, tests: Any = None) -> None:
        calls["stats"].append(tests)

    def run_clean_tests(self: Any, tests: Any) -> int:
        calls["clean"].append(list(tests))
        return int(calls["clean_code"])

    def run_tests(self: Any, *, mutant_name: str | None, tests: Any) -> int:
        return int(PytestRunner.execute_pytest(self, list(tests)))

    def execute_pytest(self: Any, params: list[str], **kwargs: Any) -> int:
        calls["pytest"].append((params, kwargs.get("plugins", [])))
        return 1

    monkeypatch.setattr(mutmut_main, "run_stats_collection", run_stats_collection)
    for runner_class in (ForkRunner, ForkServerRunner):
        monkeypatch.setattr(runner_class, "run_clean_tests", run_clean_tests)
    monkeypatch.setattr(PytestRunner, "run_tests", run_tests)
    monkeypatch.setattr(PytestRunner, "execute_pytest", execute_pytest)
    return calls


def _install(tmp_path: Path, seconds: float = 30.0) -> Path:
    root, work = tmp_path / "root", tmp_path / "work"
    root.mkdir()
    work.mkdir()
    _sources(root)
    hooks.install(work, root, ["pkg"], ["t_a", "t_b"], seconds)
    return work


def test_a_clean_run_that_passed_on_the_same_files_is_left_out(
    tmp_path: Path, mutmut_calls: dict[str, Any]
) -> None:
    from mutmut.workers.isolation import ForkRunner, ForkServerRunner

    work = _install(tmp_path)
    mutmut_calls["clean_code"] = 1  # a failing clean run is not remembered
    assert ForkRunner.run_clean_tests(None, ["t_a"]) == 1
    assert not (work / "clean.txt").exists()
    mutmut_calls["clean_code"] = 0
    assert ForkServerRunner.run_clean_tests(None, ["t_a"]) == 0
    assert (work / "clean.txt").exists()
    assert ForkRunner.run_clean_tests(None, ["t_a"]) == 0  # passed before: not run again
    assert mutmut_calls["clean"] == [["t_a"], ["t_a"]]


def test_a_clean_run_after_collecting_every_test_is_left_out(
    tmp_path: Path, mutmut_calls: dict[str, Any]
) -> None:
    import mutmut.__main__ as mutmut_main
    from mutmut.workers.isolation import ForkRunner

    work = _install(tmp_path)
    mutmut_main.run_stats_collection(None, ["t_a"])  # a part: the clean run is still due
    assert not (work / "clean.txt").exists()
    mutmut_main.run_stats_collection(None)  # all of it, passed (it exits otherwise)
    assert mutmut_calls["stats"] == [["t_a"], None]
    assert (work / "clean.txt").exists()
    assert ForkRunner.run_clean_tests(None, ["t_a", "t_b"]) == 0
    assert mutmut_calls["clean"] == []


def test_a_mutant_s_tests_run_killers_first_under_the_plugins(
    tmp_path: Path, mutmut_calls: dict[str, Any]
) -> None:
    from mutmut.runners.harness import PytestRunner

    work = _install(tmp_path)
    (work / "killers.tsv").write_text(
        "verifier.core.numbers.x_parse__mutmut_1\tt_b\n", encoding="utf-8"
    )
    runner = SimpleNamespace()
    PytestRunner.run_tests(runner, mutant_name=MUTANT, tests=["t_a", "t_b"])
    params, plugins = mutmut_calls["pytest"][-1]
    assert params == ["t_b", "t_a"]
    assert [type(p).__name__ for p in plugins] == ["KillRecorder", "TestTimeLimit"]
    assert plugins[1].seconds == 30.0 and plugins[1].mutant == MUTANT

    clean_runner = SimpleNamespace()  # the clean run: no plugins, the order as given
    PytestRunner.run_tests(clean_runner, mutant_name=None, tests=["t_a", "t_b"])
    assert mutmut_calls["pytest"][-1] == (["t_a", "t_b"], [])


def test_no_time_limit_when_the_run_sets_none(tmp_path: Path, mutmut_calls: dict[str, Any]) -> None:
    from mutmut.runners.harness import PytestRunner

    _install(tmp_path, seconds=0)
    PytestRunner.run_tests(SimpleNamespace(), mutant_name=MUTANT, tests=["t_a"])
    _, plugins = mutmut_calls["pytest"][-1]
    assert [type(p).__name__ for p in plugins] == ["KillRecorder"]


LIMITED_RUN = """
import importlib.util
import sys
from pathlib import Path

import pytest

spec = importlib.util.spec_from_file_location("mutation_hooks", sys.argv[1])
hooks = importlib.util.module_from_spec(spec)
spec.loader.exec_module(hooks)
limit = hooks.TestTimeLimit(1.0, Path(sys.argv[2]), sys.argv[3])
sys.exit(pytest.main([sys.argv[4], "-q", "-p", "no:cacheprovider"], plugins=[limit]))
"""

HANGING_TESTS = """
import time


def test_quick():
    pass


def test_hangs():
    time.sleep(600)
"""


def test_a_test_past_the_limit_is_stopped_and_the_mutant_counts_as_a_timeout(
    tmp_path: Path,
) -> None:
    tests = tmp_path / "test_hanging.py"
    tests.write_text(textwrap.dedent(HANGING_TESTS), encoding="utf-8")
    log = tmp_path / "timeouts.log"
    done = subprocess.run(
        [sys.executable, "-c", LIMITED_RUN, str(HOOKS), str(log), MUTANT, str(tests)],
        capture_output=True, text=True, check=False, cwd=tmp_path, timeout=300,
    )  # fmt: skip
    assert done.returncode == hooks.TIMEOUT_EXIT, done.stdout + done.stderr
    assert "1 failed, 1 passed" in done.stdout
    assert "TestTimedOut" in done.stdout
    written = log.read_text(encoding="utf-8")
    assert f"{MUTANT}: test_hanging.py::test_hangs ran 1 s" in written
    assert "test_hangs" in written.split("ran 1 s", 1)[1]  # the stack where it hung
