"""Time the import digests: computing them for an import's items (part of the import's
preparation, no lock held), and checking every item and batch against them (what `publish`
runs over the edition, and `audit verify` over the workspace), on a large SQLite workspace;
and, beside them, the derived-column check `audit verify` runs too (who changed a status
and when, and the columns each item's latest event records, search keys, match city).

The workspace is the review benchmark's (generated items imported with the real importer,
with the engine's match), so its items carry digests and its import event the batch's.

    .venv/bin/python benchmarks/bench_import_digests.py [--items 100000] [--workspace PATH]
        [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_review  # noqa: E402
from sqlalchemy import select  # noqa: E402
from sqlmodel import Session  # noqa: E402

from db.models import Item  # noqa: E402
from verifier.core.eventlog.derived_columns import check_derived  # noqa: E402
from verifier.core.eventlog.import_digest import (  # noqa: E402
    ENGINE_FIELDS,
    IMPORTED_FIELDS,
    add_digests,
    batch_digest,
    check_imported,
)
from verifier.core.workspace import Workspace  # noqa: E402

Checked = TypeVar("Checked")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--workspace", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-import-digests-"))
    path = args.workspace or folder / "workspace.db"
    if not path.exists():
        bench_review.build(path, args.items)
    workspace = Workspace(f"sqlite:///{path}")
    names = (*IMPORTED_FIELDS, *ENGINE_FIELDS)
    with workspace.reading() as session:
        columns = [getattr(Item, name) for name in names]
        rows = [dict(zip(names, r, strict=True)) for r in session.execute(select(*columns))]
    started = time.perf_counter()
    add_digests(rows)
    batch_digest((row["import_digest"], row["match_digest"]) for row in rows)
    computing = time.perf_counter() - started
    print(
        f"digests of {len(rows):,} items and their batch: {computing:.2f} s "
        f"({computing / len(rows) * 1e6:.1f} µs an item)"
    )
    check, timings, cpu = _timed(workspace, check_imported, args.repeat)
    assert check.intact, check.summary()
    median = statistics.median(timings)
    print(
        f"checked {check.items:,} items against their digests and the log: median "
        f"{median:.2f} s ({median / check.items * 1e6:.1f} µs an item; runs: "
        f"{', '.join(f'{t:.2f}' for t in timings)}; CPU {_seconds(cpu)})"
    )
    derived_check, derived, cpu = _timed(workspace, check_derived, args.repeat)
    assert derived_check.intact, derived_check.summary()
    median = statistics.median(derived)
    print(
        f"derived-column check of the same items: median {median:.2f} s "
        f"({median / check.items * 1e6:.1f} µs an item; runs: "
        f"{', '.join(f'{t:.2f}' for t in derived)}; CPU {_seconds(cpu)})"
    )
    workspace.close()


def _timed(
    workspace: Workspace, check: Callable[[Session], Checked], repeat: int
) -> tuple[Checked, list[float], list[float]]:
    """The last run's result of ``check``, with each run's wall and CPU seconds."""
    walls: list[float] = []
    cpu: list[float] = []
    for _ in range(repeat):
        with workspace.reading() as session:
            started, used = time.perf_counter(), time.process_time()
            result = check(session)
            walls.append(time.perf_counter() - started)
            cpu.append(time.process_time() - used)
    return result, walls, cpu


def _seconds(timings: list[float]) -> str:
    """The CPU seconds of each run: unlike wall time, they do not grow with the load."""
    return ", ".join(f"{t:.2f}" for t in timings)


if __name__ == "__main__":
    main()
