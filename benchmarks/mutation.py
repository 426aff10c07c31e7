"""Mutation testing of the modules that decide numbers, rankings and audit verdicts.

Run on purpose, like a benchmark (it takes minutes to hours, never part of the test run):

    .venv/bin/python benchmarks/mutation.py                      # every module in the config
    .venv/bin/python benchmarks/mutation.py --module verifier.core.scoring.ranking

mutmut (a dev dependency) is configured in pyproject.toml under [tool.mutmut]: which modules
it mutates and which tests it runs against them. A module may have a narrower selection of
its own under [tool.verifier.mutation.tests]. Each module is run by itself, in its own
directory ``mutants/<module>/``, so that its results are kept between runs and a change of
another module's selection does not discard them. This script then writes the mutation
score of each module and every surviving mutant, with its diff, to ``mutation-report.md``
(or ``--output``). A survivor is either killed by a new test or listed in docs/mutation.md
as equivalent, with the reason.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tomllib
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(__file__).resolve()
RESULT_LINE = re.compile(r"^\s+(?P<name>[\w.]+__mutmut_\d+): (?P<status>[\w ]+)$")
TARGET = 0.90
KILLED = ("killed", "timeout", "caught by type check")
SURVIVED = ("survived", "no tests")
# Never run: left out on purpose, or not reached before the run was stopped.
NOT_RUN = ("skipped", "not checked", "check was interrupted by user")


def _config() -> dict[str, Any]:
    config: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config


def configured_modules() -> list[str]:
    paths = _config()["tool"]["mutmut"]["only_mutate"]
    return [path.removesuffix(".py").replace("/", ".") for path in paths]


def test_selection(module: str) -> list[str]:
    """The tests ``module`` is measured against: its own selection, or the common one."""
    tool = _config()["tool"]
    own = tool.get("verifier", {}).get("mutation", {}).get("tests", {})
    selection: list[str] = own.get(module, tool["mutmut"]["pytest_add_cli_args_test_selection"])
    return selection


def module_of(mutant: str) -> str:
    """verifier.core.scoring.ranking.x_coverage__mutmut_3 -> verifier.core.scoring.ranking"""
    return mutant.rsplit(".", 1)[0]


def copied() -> set[str]:
    """What mutmut copies of the project: sources, tests and what they read."""
    config = _config()["tool"]["mutmut"]
    return {*config["source_paths"], *config.get("also_copy", []), "tests", "pyproject.toml"}


def work_dir(module: str) -> Path:
    """``mutants/<module>/``: links to the project's sources and tests; mutmut's copy,
    mutants and results go in its own ``mutants/`` below."""
    directory = ROOT / "mutants" / module
    directory.mkdir(parents=True, exist_ok=True)
    for name in copied():
        link = directory / name
        if not link.is_symlink():
            link.symlink_to(ROOT / name)
    return directory


def mutmut(module: str, *args: str, minutes: float | None = None, test_timeout: float = 0) -> str:
    """``mutmut ARGS`` for ``module`` alone, against its selection; its output. After
    ``minutes`` a run is interrupted: mutmut keeps what it measured, and the rest stays
    "not checked". A test of a mutant that runs longer than ``test_timeout`` seconds is
    stopped (see mutation_hooks)."""
    command = [sys.executable, str(SCRIPT), "--inside", module, str(test_timeout), "--", *args]
    if args[0] != "run":
        return subprocess.run(
            command, cwd=work_dir(module), capture_output=True, text=True, check=True
        ).stdout
    with subprocess.Popen(command, cwd=work_dir(module)) as process:
        try:
            process.wait(timeout=minutes * 60 if minutes else None)
        except subprocess.TimeoutExpired:
            print(f"stopping after {minutes:g} minutes", flush=True)
            process.send_signal(signal.SIGINT)
            process.wait()
    return ""


def _inside(module: str, test_timeout: float, args: list[str]) -> None:
    """Runs in ``work_dir(module)``: mutmut with this module and its selection only."""
    from mutation_hooks import install
    from mutmut.__main__ import cli
    from mutmut.configuration import config

    # Started in the background, a process may inherit SIGINT ignored: --minutes needs it.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    settings = config()
    settings.only_mutate = [module.replace(".", "/") + ".py"]
    settings.pytest_add_cli_args_test_selection = test_selection(module)
    if args[0] == "run":
        install(Path.cwd(), ROOT, copied(), test_selection(module), test_timeout)
    cli.main(args=args, prog_name="mutmut")


def results(module: str) -> dict[str, str]:
    out = mutmut(module, "results", "--all", "true")
    return {m["name"]: m["status"] for m in map(RESULT_LINE.match, out.splitlines()) if m}


def diff(module: str, mutant: str) -> str:
    return mutmut(module, "show", mutant).strip()


def main() -> int:
    if len(sys.argv) > 4 and sys.argv[1] == "--inside" and sys.argv[4] == "--":
        _inside(sys.argv[2], float(sys.argv[3]), sys.argv[5:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--module", action="append", help="only this module (repeatable)")
    parser.add_argument("--output", type=Path, default=ROOT / "mutation-report.md")
    parser.add_argument("--report-only", action="store_true", help="do not run, only report")
    parser.add_argument(
        "--max-children", type=int, default=1, help="mutants tested at once (default 1: one core)"
    )
    parser.add_argument(
        "--minutes", type=float, help="stop each module's run after this long (not reached: "
        "the mutants left)"
    )  # fmt: skip
    parser.add_argument(
        "--test-timeout", type=float, default=120, help="stop a mutant's test after this many "
        "seconds, setup included, and count the mutant as a timeout (default 120)"
    )  # fmt: skip
    parser.add_argument(
        "mutants", nargs="*", help="run only these mutants again (of one --module), e.g. "
        "survivors after a new test"
    )  # fmt: skip
    args = parser.parse_args()
    modules = args.module or configured_modules()
    if not args.report_only and not os.environ.get("VERIFIER_TEST_PG"):
        print("VERIFIER_TEST_PG is not set: the PostgreSQL tests are skipped, and kill nothing")
    if args.mutants and len(modules) != 1:
        parser.error("name the one --module the mutants belong to")
    lines = ["# Mutation testing", ""]
    lines += ["| module | mutants | run | killed | survived | not reached | score |"]
    lines += ["| --- | --- | --- | --- | --- | --- | --- |"]
    survivors: dict[str, list[str]] = defaultdict(list)
    for module in modules:
        if not args.report_only:
            print(f"{module}: tests {' '.join(test_selection(module))}", flush=True)
            # No name: mutmut runs only the mutants without a verdict. A pattern such as
            # "<module>.*" names them all, and mutmut runs a named mutant again whatever
            # its verdict (and first the tests of every function named).
            wanted = args.mutants
            mutmut(module, "run", "--max-children", str(args.max_children), *wanted,
                   minutes=args.minutes, test_timeout=args.test_timeout)  # fmt: skip
        counts: Counter[str] = Counter()
        for mutant, status in sorted(results(module).items()):
            if module_of(mutant) == module:
                counts[status] += 1
                if status in SURVIVED:
                    survivors[module].append(mutant)
        mutants = sum(counts.values())
        not_run = sum(counts[status] for status in NOT_RUN)
        run = mutants - not_run
        killed = sum(counts[status] for status in KILLED)
        score = killed / run if run else float("nan")
        flag = "" if run and score >= TARGET else " (below 90 %)" if run else " (not run)"
        lines.append(
            f"| `{module}` | {mutants} | {run} | {killed} | {len(survivors[module])} "
            f"| {counts['not checked'] + counts['check was interrupted by user']} "
            f"| {score:.1%}{flag} |"
        )
        print(f"{module:45} {killed:4}/{run:<4} {score:7.1%}{flag} ({mutants} mutants)")
    for module in modules:
        if survivors[module]:
            lines += ["", f"## Survivors in `{module}`"]
            for mutant in survivors[module]:
                lines += ["", "```diff", diff(module, mutant), "```"]
    args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"report: {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
