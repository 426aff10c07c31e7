"""Time the full provenance report of a LAS-sized publication (62 cities x 11 indicators), in
every format, and the audit chain check.

The workspace is built from fixtures/las2024 the way a team would: the edition is loaded,
every items file imported with automatic city matching, every item with an automatic
city match and a value verified, each conflict resolved by a lead, then published. Each
format is timed end to end (gathering the chain from the database, then rendering) and the
median of several runs reported.

    .venv/bin/python benchmarks/bench_provenance.py [--repeat 5] [--keep DIR]
    .venv/bin/python benchmarks/bench_provenance.py --new postgresql://…?options=-csearch_path%3Dbench
    .venv/bin/python benchmarks/bench_provenance.py --db URL

By default a fresh SQLite workspace is built in a temporary folder (or in --keep DIR);
--new builds it in an empty database or schema given by URL; --db reuses a workspace
built before. Building takes a few seconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlmodel import col, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from db.engine import create_workspace_engine  # noqa: E402
from db.models import Edition, Item, MatchMethod, Status  # noqa: E402
from verifier.core.audit import verify_audit  # noqa: E402
from verifier.core.editions import load_edition  # noqa: E402
from verifier.core.importing import ImportOptions, import_file  # noqa: E402
from verifier.core.provenance import ReportFormat, build_report, render  # noqa: E402
from verifier.core.publishing import open_conflicts, publish, resolve_conflict  # noqa: E402
from verifier.core.review.decisions import set_status  # noqa: E402
from verifier.core.workspace import Workspace  # noqa: E402

FIXTURE = ROOT / "fixtures" / "las2024"
ASSISTANT = "nour.aziz"
LEAD = "rania.haddad"
BUDGET_SECONDS = 3.0


def build_workspace(url: str) -> tuple[Workspace, dict[str, float]]:
    workspace = Workspace(url, create_workspace_engine(url))
    workspace.initialise()
    steps: dict[str, float] = {}
    started = time.perf_counter()
    load_edition(workspace, FIXTURE, LEAD)
    for path in sorted((FIXTURE / "items").iterdir()):
        import_file(workspace, path, ImportOptions(ASSISTANT))
    steps["load + import + auto-match"] = time.perf_counter() - started
    started = time.perf_counter()
    with workspace.session() as session:
        query = select(Item.id).where(
            col(Item.match_method) == MatchMethod.AUTO.value,
            col(Item.value_normalized).is_not(None),
        )
        for item_id in session.exec(query.order_by(col(Item.id))).all():
            assert item_id is not None
            set_status(session, item_id, Status.VERIFIED, ASSISTANT, note="matches the source")
    steps["verify"] = time.perf_counter() - started
    started = time.perf_counter()
    with workspace.session() as session:
        edition = session.exec(select(Edition)).one()
        assert edition.id is not None
        for conflict in open_conflicts(session, edition.id):
            _, items = conflict.values[-1]
            resolve_conflict(session, items[0], LEAD, "the more recent printing of the table")
        publish(session, edition, LEAD, "benchmark publication")
    steps["resolve + publish"] = time.perf_counter() - started
    return workspace, steps


def time_formats(workspace: Workspace, repeat: int) -> list[tuple[str, float, float, int]]:
    rows = []
    with workspace.reading() as session:
        edition = session.exec(select(Edition)).one()
    for fmt in ReportFormat:
        runs, size = [], 0
        for _ in range(repeat):
            started = time.perf_counter()
            with workspace.reading() as session:
                report = build_report(session, edition_id=edition.id)
                text = render(report, fmt)
            runs.append(time.perf_counter() - started)
            size = len(text.encode("utf-8"))
        rows.append((fmt.value, statistics.median(runs), max(runs), size))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--db", help="an existing published workspace (skips building one)")
    parser.add_argument("--new", metavar="URL", help="build the workspace in this empty database")
    parser.add_argument("--keep", type=Path, help="build the workspace in this folder and keep it")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        if args.db:
            workspace, steps = Workspace(args.db), dict[str, float]()
        elif args.new:
            workspace, steps = build_workspace(args.new)
        else:
            folder = args.keep or Path(scratch)
            folder.mkdir(parents=True, exist_ok=True)
            workspace, steps = build_workspace(f"sqlite:///{folder / 'bench.db'}")
        for step, seconds in steps.items():
            print(f"setup  {step:<28} {seconds:6.1f} s")
        with workspace.reading() as session:
            report = build_report(session, edition_id=session.exec(select(Edition.id)).first())
            evidence = sum(len(v.evidence) for v in report.values)
            events = sum(len(i.events) for v in report.values for i in v.evidence)
        print(
            f"\npublication: {len(report.values)} values, {evidence} evidence items, "
            f"{events} review events on them ({workspace.backend})\n"
        )
        print(
            f"{'format':<10} {'median s':>9} {'max s':>7} {'size':>10}  under {BUDGET_SECONDS:g} s"
        )
        for fmt, median, worst, size in time_formats(workspace, args.repeat):
            verdict = "yes" if worst < BUDGET_SECONDS else "NO"
            print(f"{fmt:<10} {median:9.3f} {worst:7.3f} {size / 1e6:8.2f} MB  {verdict}")
        started = time.perf_counter()
        with workspace.reading() as session:
            audit = verify_audit(session)
        print(
            f"\naudit verify: {audit.events} events, {audit.publications} publication(s) in "
            f"{time.perf_counter() - started:.3f} s, intact: {audit.intact}"
        )
        workspace.close()


if __name__ == "__main__":
    main()
