"""`verifier qa report` and `verifier sprint report` on a 50,000-item SQLite workspace.

The workspace is built like bench_review.py's (the las2024 edition and 50,000 generated
items imported with the real importer), copied, then given what a team would have after a
few weeks: a sprint over every item split among six reviewers, 20,000 decisions through
the domain's status change, two QA samples (1,000 and 500 items, the second stratified by
first reviewer) with 1,200 second decisions, some of them disagreeing, and a few
adjudications. Each command is timed end to end, as a person runs it (a new process:
start-up, the schema check, the queries, rendering), and the median of several runs is
reported with the process's CPU time and the machine's load.

    .venv/bin/python benchmarks/bench_qa.py [--items 50000] [--repeat 5] [--rebuild]

Target: under 2 s for each command.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from sqlmodel import col, select  # noqa: E402

from db.models import Item, QaSampleItem  # noqa: E402
from verifier.core.qa.adjudication import adjudicate  # noqa: E402
from verifier.core.qa.reviews import record_second_review  # noqa: E402
from verifier.core.qa.sampling import draw_sample  # noqa: E402
from verifier.core.review.decisions import set_status  # noqa: E402
from verifier.core.review.queue import QueueFilter  # noqa: E402
from verifier.core.review.sprints import SplitStrategy, create_sprint  # noqa: E402
from verifier.core.workspace import Workspace  # noqa: E402

LEADS = ["rania.haddad", "karim.mansour"]
ASSISTANTS = ["nour.aziz", "omar.benali", "lina.farouk", "yasmin.khatib", "samir.ouali"]
SPRINT = "weeks 40-41"
BUDGET_SECONDS = 2.0
DECISIONS = 20_000


def prepare(path: Path, items: int) -> None:
    """bench_review's workspace, then a sprint, decisions, samples and second reviews."""
    import bench_review

    base = Path(tempfile.gettempdir()) / f"verifier-bench-qa-base-{items}.db"
    if not base.exists():
        bench_review.build(base, items)
    building = path.with_suffix(".building")
    shutil.copy(base, building)
    workspace = Workspace(f"sqlite:///{building}")
    rng = random.Random(15)
    started = time.perf_counter()
    reviewers = [LEADS[1], *ASSISTANTS]
    now = datetime.now(UTC)
    with workspace.session() as session:
        create_sprint(session, 1, SPRINT, now - timedelta(days=6), now + timedelta(days=8),
                      QueueFilter(), reviewers, LEADS[0], SplitStrategy.BALANCED)  # fmt: skip
    with workspace.session() as session:
        ids = session.exec(select(Item.id).order_by(col(Item.id)).limit(DECISIONS)).all()
        for item_id in ids:
            assert item_id is not None
            who = reviewers[item_id % len(reviewers)]
            if item_id % 17 == 0:
                set_status(
                    session, item_id, "rejected", who, reason="the value is for another year"
                )
            else:
                set_status(session, item_id, "verified", who)
    print(f"prepared: sprint and {len(ids):,} decisions in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    with workspace.session() as session:
        draw_sample(session, 1, size=1_000, seed=40, reviewers=ASSISTANTS, actor=LEADS[0])
        draw_sample(session, 1, size=500, seed=41, reviewers=ASSISTANTS, actor=LEADS[0],
                    stratify="reviewer")  # fmt: skip
    with workspace.session() as session:
        order = (col(QaSampleItem.sample_id), col(QaSampleItem.position))
        drawn = session.exec(select(QaSampleItem).order_by(*order)).all()
        disputed = []
        for row in drawn[:1_200]:
            if rng.random() < 0.04:  # a disagreement, with the reason the second reviewer gave
                status = "rejected" if row.first_status == "verified" else "verified"
                reasons = ["wrong year", "the snippet is from another table", "unit per 1,000"]
                reason = rng.choice(reasons)
                disputed.append(row.item_id)
            else:
                status = row.first_status
                reason = "agree: rejected" if status == "rejected" else ""
            record_second_review(session, row.item_id, status, row.second_reviewer, reason=reason)
        for item_id in disputed[: len(disputed) // 2]:
            adjudicate(session, item_id, "verified", LEADS[0], "the source supports it")
    print(f"prepared: 2 samples, 1,200 second decisions, {len(disputed) // 2} adjudications "
          f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
    workspace.close()
    building.replace(path)  # only a finished workspace is ever reused


def timed(command: list[str], repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of running ``command`` (a new process each time)."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workspace", type=Path,
                        default=Path(tempfile.gettempdir()) / "verifier-bench-qa.db")  # fmt: skip
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    path: Path = args.workspace
    if args.rebuild or not path.exists():
        prepare(path, args.items)
    verifier = str(Path(sys.executable).with_name("verifier"))
    base = [verifier, "--db", f"sqlite:///{path}", "--user", LEADS[0]]
    commands = {
        "qa report (table)": [*base, "qa", "report"],
        "qa report --format json": [*base, "qa", "report", "--format", "json"],
        "qa report --format md": [*base, "qa", "report", "--format", "md"],
        "qa report --format html": [*base, "qa", "report", "--format", "html"],
        "sprint report --format md": [*base, "sprint", "report", SPRINT],
        "sprint report --format html": [*base, "sprint", "report", SPRINT, "--format", "html"],
        "sprint show": [*base, "sprint", "show", SPRINT],
        "verifier --version (start-up alone)": [verifier, "--version"],
    }
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nworkspace: {path} ({args.items:,} items, SQLite); load average {load}")
    print(f"{'command':<40} {'wall (median)':>14} {'CPU':>8}  target < {BUDGET_SECONDS:g} s")
    for name, command in commands.items():
        wall, cpu = timed(command, args.repeat)
        verdict = "" if "start-up" in name else ("ok" if wall < BUDGET_SECONDS else "OVER")
        print(f"{name:<40} {wall:>12.2f} s {cpu:>6.2f} s  {verdict}")


if __name__ == "__main__":
    main()
