"""What benchmarks/mutation.py changes in mutmut's run of one module, so that a run ends in
bounded time:

- **A time limit per test.** mutmut's own limit is per mutant, 15 times the summed duration
  of every test of the mutated function, so a mutant that hangs one test (a loop that never
  ends, a lock that is never released) holds its worker for the better part of an hour. Here
  a test that runs longer than ``seconds`` (setup and teardown included) is stopped: its
  stack is written to ``timeouts.log``, the test fails, and the mutant counts as a timeout
  (caught). If the test cannot be interrupted, the test process ends itself shortly after.
- **Tests that killed a function's mutants first.** mutmut runs a mutant's tests fastest
  first and stops at the first failure; mutants of one function are mostly killed by the
  same few tests, so the tests that killed earlier mutants of the function (``killers.tsv``)
  go before the rest.
- **No second run of the whole selection.** Before the mutants, mutmut runs the selection
  once unmutated ("clean tests"). When it has just run all of it to collect its statistics,
  or it passed before on the same files (``clean.txt``), that run is left out.
"""

from __future__ import annotations

import faulthandler
import hashlib
import os
import signal
import threading
import time
from collections import Counter
from collections.abc import Generator, Iterable
from pathlib import Path
from typing import Any

import pytest

# mutmut's exit code for a timeout: the mutant counts as caught, and is reported as such.
TIMEOUT_EXIT = 36
# After the limit, how long an uninterruptible test gets before its process ends.
GRACE_SECONDS = 15


class TestTimedOut(Exception):
    """A test ran past the per-test limit of a mutation run."""


class TestTimeLimit:
    """pytest plugin: stops a test that runs longer than ``seconds``."""

    def __init__(self, seconds: float, log: Path, mutant: str) -> None:
        self.seconds, self.log, self.mutant = seconds, log, mutant
        self.expired: str | None = None

    def _expire(self, nodeid: str) -> None:
        self.expired = nodeid
        with self.log.open("a", encoding="utf-8") as out:
            out.write(f"\n== {time.strftime('%H:%M:%S')} {self.mutant}: {nodeid} ran "
                      f"{self.seconds:g} s\n")  # fmt: skip
            out.flush()
            faulthandler.dump_traceback(file=out, all_threads=True)
        os.kill(os.getpid(), signal.SIGALRM)

    def _raise(self, signum: int, frame: Any) -> None:
        raise TestTimedOut(f"{self.expired}: over {self.seconds:g} s under {self.mutant}")

    def pytest_configure(self) -> None:
        signal.signal(signal.SIGALRM, self._raise)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: Any) -> Generator[None, object, object]:
        limit = threading.Timer(self.seconds, self._expire, (item.nodeid,))
        last_resort = threading.Timer(self.seconds + GRACE_SECONDS, os._exit, (TIMEOUT_EXIT,))
        for timer in (limit, last_resort):
            timer.daemon = True
            timer.start()
        try:
            return (yield)
        finally:
            limit.cancel()
            last_resort.cancel()

    def pytest_sessionfinish(self, session: Any) -> None:
        if self.expired:
            session.exitstatus = TIMEOUT_EXIT


class KillRecorder:
    """pytest plugin: appends ``mutant<TAB>test`` to ``killers`` for the test that failed."""

    def __init__(self, killers: Path, mutant: str) -> None:
        self.killers, self.mutant = killers, mutant

    def pytest_runtest_logreport(self, report: Any) -> None:
        if report.failed:
            with self.killers.open("a", encoding="utf-8") as out:
                out.write(f"{self.mutant}\t{report.nodeid}\n")


def function_of(mutant: str) -> str:
    """``pkg.mod.x_f__mutmut_3`` -> ``pkg.mod.x_f``"""
    return mutant.rsplit("__mutmut_", 1)[0]


def killers_first(tests: list[str], mutant: str, killers: Path) -> list[str]:
    """``tests`` (fastest first) with those that killed other mutants of the same function
    before the rest, the most frequent killer first."""
    if not killers.exists():
        return tests
    function, given = function_of(mutant), set(tests)
    counts: Counter[str] = Counter()
    for line in killers.read_text(encoding="utf-8").splitlines():
        name, _, test = line.partition("\t")
        if function_of(name) == function and test in given:
            counts[test] += 1
    first = [test for test, _ in counts.most_common()]
    return first + [test for test in tests if test not in counts]


def sources_digest(root: Path, paths: Iterable[str], selection: Iterable[str]) -> str:
    """What an unmutated run depends on: the files mutmut copies (``paths`` under ``root``)
    and the selection."""
    digest = hashlib.sha256(" ".join(selection).encode())
    for top in sorted(paths):
        files = [root / top] if (root / top).is_file() else sorted((root / top).rglob("*"))
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def install(
    work: Path, root: Path, copied: Iterable[str], selection: list[str], seconds: float
) -> None:
    """Patch mutmut (imported, not yet run) for one module's run in ``work``, which holds
    links to the ``copied`` files and folders of ``root``."""
    import mutmut.__main__ as mutmut_main
    from mutmut.runners.harness import PytestRunner
    from mutmut.workers.isolation import ForkRunner, ForkServerRunner

    clean = work / "clean.txt"
    killers = work / "killers.tsv"
    timeouts = work / "timeouts.log"
    digest = sources_digest(root, copied, selection)
    collected = False

    collect = mutmut_main.run_stats_collection

    def run_stats_collection(runner: Any, tests: Iterable[str] | None = None) -> None:
        nonlocal collected
        collect(runner, tests)  # exits unless every test passed
        if not tests:
            collected = True
            clean.write_text(digest, encoding="utf-8")

    mutmut_main.run_stats_collection = run_stats_collection

    for runner_class in (ForkRunner, ForkServerRunner):
        run_clean = runner_class.run_clean_tests

        def run_clean_tests(self: Any, tests: Iterable[str], run_clean: Any = run_clean) -> int:
            if collected or (clean.exists() and clean.read_text(encoding="utf-8") == digest):
                return 0
            code: int = run_clean(self, tests)
            if code == 0:
                clean.write_text(digest, encoding="utf-8")
            return code

        runner_class.run_clean_tests = run_clean_tests  # type: ignore[method-assign]

    run_tests = PytestRunner.run_tests
    execute = PytestRunner.execute_pytest

    def run_mutant_tests(self: Any, *, mutant_name: str | None, tests: Iterable[str]) -> int:
        if mutant_name and "__mutmut_" in mutant_name:  # not the clean or forced-fail run
            tests = killers_first(list(tests), mutant_name, killers)
            self.verifier_plugins = [KillRecorder(killers, mutant_name)]
            if seconds > 0:
                self.verifier_plugins.append(TestTimeLimit(seconds, timeouts, mutant_name))
        code: int = run_tests(self, mutant_name=mutant_name, tests=tests)
        return code

    def execute_pytest(self: Any, params: list[str], **kwargs: Any) -> int:
        plugins = [*kwargs.pop("plugins", []), *getattr(self, "verifier_plugins", [])]
        code: int = execute(self, params, plugins=plugins, **kwargs)
        return code

    PytestRunner.run_tests = run_mutant_tests  # type: ignore[method-assign]
    PytestRunner.execute_pytest = execute_pytest  # type: ignore[method-assign]
