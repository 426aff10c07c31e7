"""Time the check of every item row against the review log (what `publish` runs over the
edition first, and `audit verify` over the workspace), on a large SQLite workspace.

The workspace is the review benchmark's (generated items imported with the real importer),
plus decisions: a share of the items verified, each through ``set_status`` (one event per
item, recording its state). The check is then timed; it reads the latest events per item
with two grouped queries joined to the items, streamed.

    .venv/bin/python benchmarks/bench_item_rows.py [--items 100000] [--decisions 20000]
        [--workspace PATH] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_review  # noqa: E402
from sqlalchemy import func  # noqa: E402
from sqlmodel import col, select  # noqa: E402

from db.models import Item, Reviewer, ReviewEvent, Role, Status  # noqa: E402
from verifier.core.eventlog.item_state import check_items  # noqa: E402
from verifier.core.review.decisions import set_status  # noqa: E402
from verifier.core.workspace import Workspace  # noqa: E402


def decide(workspace: Workspace, count: int) -> float:
    """Verify the first ``count`` undecided items, one event each; return the seconds."""
    with workspace.reading() as session:
        decider = session.exec(select(Reviewer.username).where(Reviewer.role == Role.LEAD)).first()
        assert decider is not None, "the edition names no lead"
        ids = session.exec(
            select(Item.id).where(Item.status == Status.UNVERIFIED.value).order_by(col(Item.id))
        ).all()[:count]
    started = time.perf_counter()
    with workspace.session() as session:
        for item_id in ids:
            assert item_id is not None
            set_status(session, item_id, Status.VERIFIED, decider)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--decisions", type=int, default=20_000)
    parser.add_argument("--workspace", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-item-rows-"))
    path = args.workspace or folder / "workspace.db"
    if not path.exists():
        started = time.perf_counter()
        bench_review.build(path, args.items)
        print(f"built {args.items:,} items in {time.perf_counter() - started:.1f} s")
    workspace = Workspace(f"sqlite:///{path}")
    with workspace.reading() as session:
        decided = session.exec(
            select(func.count()).select_from(ReviewEvent).where(ReviewEvent.action == "status")
        ).one()
    if decided < args.decisions:
        seconds = decide(workspace, args.decisions - decided)
        print(f"{args.decisions - decided:,} decisions in {seconds:.1f} s")
    timings = []
    for _ in range(args.repeat):
        with workspace.reading() as session:
            started = time.perf_counter()
            check = check_items(session)
            timings.append(time.perf_counter() - started)
    assert check.intact, check.summary()
    print(
        f"checked {check.items:,} item rows against {args.decisions:,} decisions: "
        f"median {statistics.median(timings):.2f} s (runs: "
        f"{', '.join(f'{t:.2f}' for t in timings)}); {check.status_only:,} items have no "
        "recorded state (never decided)"
    )
    workspace.close()


if __name__ == "__main__":
    main()
