"""Mutation testing of the modules that decide numbers, rankings and audit verdicts.

Run on purpose, like a benchmark (it takes minutes to hours, never part of the test run):

    .venv/bin/python benchmarks/mutation.py                      # every module in the config
    .venv/bin/python benchmarks/mutation.py --module verifier.core.scoring.ranking

mutmut (a dev dependency) is configured in pyproject.toml under [tool.mutmut]: which modules
it mutates and which tests it runs against them. This script runs it, then writes the
mutation score of each module and every surviving mutant, with its diff, to
``mutation-report.md`` (or ``--output``). A survivor is either killed by a new test or listed
in docs/mutation.md as equivalent, with the reason.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tomllib
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = [sys.executable, "-m", "mutmut"]
RESULT_LINE = re.compile(r"^\s+(?P<name>[\w.]+__mutmut_\d+): (?P<status>[\w ]+)$")
TARGET = 0.90


def configured_modules() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    paths = config["tool"]["mutmut"]["only_mutate"]
    return [path.removesuffix(".py").replace("/", ".") for path in paths]


def module_of(mutant: str) -> str:
    """verifier.core.scoring.ranking.x_coverage__mutmut_3 -> verifier.core.scoring.ranking"""
    return mutant.rsplit(".", 1)[0]


def results() -> dict[str, str]:
    out = subprocess.run(
        [*MUTMUT, "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return {m["name"]: m["status"] for m in map(RESULT_LINE.match, out.splitlines()) if m}


def diff(mutant: str) -> str:
    shown = subprocess.run([*MUTMUT, "show", mutant], cwd=ROOT, capture_output=True, text=True)
    return shown.stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--module", action="append", help="only this module (repeatable)")
    parser.add_argument("--output", type=Path, default=ROOT / "mutation-report.md")
    parser.add_argument("--report-only", action="store_true", help="do not run, only report")
    parser.add_argument(
        "--max-children", type=int, default=1, help="mutants tested at once (default 1: one core)"
    )
    args = parser.parse_args()
    modules = args.module or configured_modules()
    if not args.report_only:
        run = [*MUTMUT, "run", "--max-children", str(args.max_children)]
        subprocess.run([*run, *(f"{m}.*" for m in modules)], cwd=ROOT, check=False)
    by_module: dict[str, Counter[str]] = defaultdict(Counter)
    survivors: dict[str, list[str]] = defaultdict(list)
    for mutant, status in sorted(results().items()):
        module = module_of(mutant)
        if module not in modules:
            continue
        by_module[module][status] += 1
        if status in ("survived", "no tests"):
            survivors[module].append(mutant)
    lines = ["# Mutation testing", "", "| module | mutants | killed | survived | score |"]
    lines.append("| --- | --- | --- | --- | --- |")
    for module in modules:
        counts = by_module[module]
        total = sum(counts.values()) - counts["skipped"] - counts["not checked"]
        killed = counts["killed"] + counts["timeout"] + counts["caught by type check"]
        score = killed / total if total else float("nan")
        flag = "" if total and score >= TARGET else " (below 90 %)" if total else " (not run)"
        lines.append(
            f"| `{module}` | {total} | {killed} | {len(survivors[module])} | {score:.1%}{flag} |"
        )
        print(f"{module:45} {killed:4}/{total:<4} {score:7.1%}{flag}")
    for module in modules:
        if survivors[module]:
            lines += ["", f"## Survivors in `{module}`"]
            for mutant in survivors[module]:
                lines += ["", "```diff", diff(mutant), "```"]
    args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"report: {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
