"""Crash consistency: ``kill -9`` a large import and a publish at random points, then check
that the workspace opens, passes ``PRAGMA integrity_check``, holds all or nothing of the
interrupted command, and that ``verifier audit verify`` says intact.

A publish-ready SQLite workspace is built once from fixtures/las2024 (edition loaded, its
items imported, matched values verified, conflicts resolved). Each run starts from a copy
of it and runs, as a separate process, either ``verifier import`` of a generated CSV or
``verifier publish``, killed with SIGKILL after a delay drawn from the run's seed (between
0 and the time the same command takes uninterrupted, measured first). After the kill:

- ``PRAGMA integrity_check`` returns ``ok``;
- the row count of every table equals either the count before the command or the count
  after an uninterrupted run: all or nothing;
- ``verifier audit verify`` exits 0 (intact).

    .venv/bin/python benchmarks/crash_consistency.py [--runs 20] [--seed 1] [--rows 20000]
        [--items-files 5]

The default (20 kills, half during an import of 20,000 rows, half during a publish) takes a
few minutes; ``--runs 200 --rows 100000`` is a longer soak, and the test suite runs a
smaller version (tests/test_crash_consistency.py). Exits 1 at the
first run that fails a check, naming the run's seed so it can be replayed with
``--runs 1 --seed S``.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_import import generate  # noqa: E402
from sqlmodel import col, select  # noqa: E402

from db.engine import create_workspace_engine  # noqa: E402
from db.models import Edition, Item, MatchMethod, Status  # noqa: E402
from verifier.core.backup.sqlite_copy import backup_sqlite  # noqa: E402
from verifier.core.editions import load_edition  # noqa: E402
from verifier.core.importing import ImportOptions, import_file  # noqa: E402
from verifier.core.publishing import open_conflicts, resolve_conflict  # noqa: E402
from verifier.core.review.decisions import set_status  # noqa: E402
from verifier.core.workspace import Workspace  # noqa: E402

FIXTURE = ROOT / "fixtures" / "las2024"
ASSISTANT = "nour.aziz"
LEAD = "rania.haddad"
OPERATIONS = ("import", "publish")


@dataclass
class Outcome:
    seed: int
    operation: str
    delay: float
    result: str  # "nothing", "all", or what failed


def build_template(path: Path, items_files: int) -> None:
    """A workspace where ``publish`` has verified values to publish (from the first
    ``items_files`` of the fixture's items files)."""
    url = f"sqlite:///{path}"
    workspace = Workspace(url, create_workspace_engine(url))
    workspace.initialise()
    load_edition(workspace, FIXTURE, LEAD)
    for items in sorted((FIXTURE / "items").iterdir())[:items_files]:
        import_file(workspace, items, ImportOptions(ASSISTANT))
    with workspace.session() as session:
        query = select(Item.id).where(
            col(Item.match_method) == MatchMethod.AUTO.value,
            col(Item.value_normalized).is_not(None),
        )
        for item_id in session.exec(query.order_by(col(Item.id))).all():
            assert item_id is not None
            set_status(session, item_id, Status.VERIFIED, ASSISTANT, note="matches the source")
    with workspace.session() as session:
        edition = session.exec(select(Edition)).one()
        assert edition.id is not None
        for conflict in open_conflicts(session, edition.id):
            _, item_ids = conflict.values[-1]
            resolve_conflict(session, item_ids[0], LEAD, "the more recent printing of the table")
    workspace.close()


def command(operation: str, db: Path, csv_path: Path) -> list[str]:
    base = [sys.executable, "-m", "verifier", "--db", f"sqlite:///{db}"]
    if operation == "import":
        return [*base, "--user", ASSISTANT, "import", str(csv_path)]
    return [*base, "--user", LEAD, "publish", "--note", "crash consistency"]


# The evidence check's results are a cache written in its own transaction after an import
# commits; a kill between the two leaves them missing, and the next check fills them in.
DERIVED_TABLES = frozenset({"evidence_check"})


def counts(db: Path) -> dict[str, int]:
    """Every table's row count but the derived ones; also runs SQLite's recovery of a killed
    writer's WAL."""
    connection = sqlite3.connect(db)
    try:
        tables = [
            row[0]
            for row in connection.execute(
                "select name from sqlite_master where type = 'table' "
                "and name not like 'sqlite_%' order by name"
            )
        ]
        return {
            t: connection.execute(f'select count(*) from "{t}"').fetchone()[0]
            for t in tables
            if t not in DERIVED_TABLES
        }
    finally:
        connection.close()


def integrity(db: Path) -> str:
    connection = sqlite3.connect(db)
    try:
        return "; ".join(row[0] for row in connection.execute("pragma integrity_check"))
    finally:
        connection.close()


def audit_intact(db: Path) -> tuple[bool, str]:
    done = subprocess.run(
        [sys.executable, "-m", "verifier", "--db", f"sqlite:///{db}", "--user", LEAD,
         "audit", "verify"],
        capture_output=True, text=True, env=_env(), check=False,
    )  # fmt: skip
    return done.returncode == 0, (done.stdout + done.stderr).strip()[-300:]


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VERIFIER_")}
    env["VERIFIER_CONFIG"] = os.devnull
    return env


def copy_of(template: Path, folder: Path, name: str) -> Path:
    target = folder / name
    for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
        leftover.unlink(missing_ok=True)
    backup_sqlite(template, target)
    return target


def calibrate(template: Path, folder: Path, csv_path: Path) -> dict[str, tuple[float, dict]]:
    """For each operation: how long it takes uninterrupted, and the counts it leaves."""
    found = {}
    for operation in OPERATIONS:
        db = copy_of(template, folder, f"calibrate-{operation}.db")
        started = time.perf_counter()
        done = subprocess.run(
            command(operation, db, csv_path), capture_output=True, text=True, env=_env(),
            check=False,
        )  # fmt: skip
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"{operation} fails even uninterrupted:\n{done.stderr[-2000:]}")
        found[operation] = (elapsed, counts(db))
    return found


def crash_run(seed: int, template: Path, folder: Path, csv_path: Path, calibrated: dict) -> Outcome:
    rng = random.Random(seed)
    operation = OPERATIONS[seed % len(OPERATIONS)]
    duration, complete = calibrated[operation]
    db = copy_of(template, folder, "run.db")
    before = counts(db)
    delay = rng.uniform(0.0, duration)
    process = subprocess.Popen(
        command(operation, db, csv_path),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env(),
    )  # fmt: skip
    time.sleep(delay)
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    process.wait()
    checked = integrity(db)
    if checked != "ok":
        return Outcome(seed, operation, delay, f"integrity_check: {checked[:300]}")
    after = counts(db)
    if after == before:
        result = "nothing"
    elif after == complete:
        result = "all"
    else:
        changed = {t: (before[t], after[t], complete[t]) for t in after if after[t] != before[t]}
        return Outcome(seed, operation, delay, f"partial (before, now, complete): {changed}")
    intact, said = audit_intact(db)
    if not intact:
        return Outcome(seed, operation, delay, f"audit verify: {said}")
    return Outcome(seed, operation, delay, result)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="kills (default 20)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the first run")
    parser.add_argument("--rows", type=int, default=20_000, help="rows of the import file")
    parser.add_argument(
        "--items-files", type=int, default=5, help="fixture items files in the workspace (1-5)"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="verifier-crash-") as scratch:
        folder = Path(scratch)
        started = time.perf_counter()
        template = folder / "template.db"
        build_template(template, args.items_files)
        csv_path = folder / "large.csv"
        generate(csv_path, args.rows, FIXTURE)
        calibrated = calibrate(template, folder, csv_path)
        print(f"setup {time.perf_counter() - started:.1f} s; uninterrupted: " + ", ".join(
            f"{op} {seconds:.2f} s" for op, (seconds, _) in calibrated.items()
        ))  # fmt: skip
        tally: dict[tuple[str, str], int] = {}
        for seed in range(args.seed, args.seed + args.runs):
            outcome = crash_run(seed, template, folder, csv_path, calibrated)
            print(
                f"seed {seed:>4}  {outcome.operation:<8} killed at {outcome.delay:5.2f} s  "
                f"{outcome.result}",
                flush=True,
            )
            if outcome.result not in ("nothing", "all"):
                print(f"FAILED: replay with --runs 1 --seed {seed} --rows {args.rows}")
                return 1
            key = (outcome.operation, outcome.result)
            tally[key] = tally.get(key, 0) + 1
        summary = ", ".join(f"{op} {res}: {n}" for (op, res), n in sorted(tally.items()))
        print(f"{args.runs} kills, all consistent ({summary}).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
