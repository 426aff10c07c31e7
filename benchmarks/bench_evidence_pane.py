"""Document pane speed: from pressing ``e`` to the pane drawn with the item's page, the
document's text already read once (cached), on the las2024 edition's real documents.

The workspace (the edition, its documents stored, its statistics-yearbook items imported)
is built once and kept; later runs only measure:

    .venv/bin/python benchmarks/bench_evidence_pane.py [--opens 60] [--workspace PATH]
        [--rebuild] [--size 160x45] [--profile] [--unkept]

A page the pane showed before is kept by the screen and shown again at once; ``--unkept``
forgets those before each open, to measure the other path: the page read in a worker (one
query; the document's text, the passage and its layout cached by then).

``--profile`` runs the opens (only them: not the moves between items nor the closes)
under cProfile and prints where the time goes (the functions with the most cumulative
time); the figures are then not comparable.

CPU per open is given for the whole process (every thread: the UI's and any worker's) and
for the UI thread alone, which neither a loaded machine nor a worker reading ahead
inflates.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlmodel import col, select  # noqa: E402

from db.models import Item, Source  # noqa: E402
from verifier.config import Settings  # noqa: E402
from verifier.core.editions import load_edition  # noqa: E402
from verifier.core.importing import ImportOptions, import_file  # noqa: E402
from verifier.core.workspace import Workspace  # noqa: E402
from verifier.tui.screens.queue_screen import QueueScreen  # noqa: E402

FOLDER = ROOT / "fixtures" / "las2024"
ITEMS = FOLDER / "items" / "01-statistics-yearbooks.csv"
USER = "rania.haddad"


def build(path: Path) -> None:
    started = time.perf_counter()
    path.unlink(missing_ok=True)
    workspace = Workspace(f"sqlite:///{path}")
    workspace.initialise()
    load_edition(workspace, FOLDER, USER)
    report = import_file(workspace, ITEMS, ImportOptions(user=USER))
    workspace.close()
    print(f"built {path}: {report.accepted} items in {time.perf_counter() - started:.1f} s")


def items_with_documents(url: str, limit: int) -> list[int]:
    workspace = Workspace(url)
    with workspace.reading() as session:
        ids = session.exec(
            select(Item.id)
            .join(Source, col(Source.id) == col(Item.source_id))
            .where(col(Source.file_sha256) != "")
            .order_by(col(Item.id))
            .limit(limit)
        ).all()
    workspace.close()
    return [int(i) for i in ids if i is not None]


async def wait_until(condition: object, timeout: float = 30.0) -> None:
    started = time.perf_counter()
    while not condition():  # type: ignore[operator]
        if time.perf_counter() - started > timeout:
            raise TimeoutError("the pane did not open in time")
        await asyncio.sleep(0.0005)


async def measure(
    url: str,
    opens: int,
    size: tuple[int, int],
    cpu: list[float] | None = None,
    unkept: bool = False,
    ui_cpu: list[float] | None = None,
    profiler: cProfile.Profile | None = None,
) -> list[float]:
    """Wall seconds of each cached open; ``cpu`` receives the process CPU seconds of each
    (every thread: the UI's and the worker's), which a loaded machine does not inflate,
    ``ui_cpu`` the UI thread's alone; ``profiler`` runs during the opens only."""
    from verifier.tui import create_app

    ids = items_with_documents(url, 12)
    app = create_app(Settings(), url, user=USER)
    app.animation_level = "none"
    timings: list[float] = []
    async with app.run_test(size=size) as pilot:
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        await wait_until(lambda: screen.view is not None)
        for round_number in range(opens + len(ids)):
            item_id = ids[round_number % len(ids)]
            screen._go_to(item_id)
            await wait_until(lambda i=item_id: screen.view is not None and screen.view.id == i)
            if unkept:
                screen._kept = None
            counted = round_number >= len(ids)  # the first round reads each document
            if profiler is not None and counted:
                profiler.enable()
            started, cpu_started = time.perf_counter(), time.process_time()
            ui_started = time.thread_time()  # this coroutine runs on the UI's thread
            await pilot.press("e")
            await wait_until(
                lambda i=item_id: screen._passage is not None and screen._passage.item_id == i
            )
            screen._on_timer_update()  # draw now, as Pilot does
            elapsed = time.perf_counter() - started
            ui_elapsed, cpu_elapsed = (
                time.thread_time() - ui_started,
                time.process_time() - cpu_started,
            )
            if profiler is not None:
                profiler.disable()
            if counted:
                timings.append(elapsed)
                if cpu is not None:
                    cpu.append(cpu_elapsed)
                if ui_cpu is not None:
                    ui_cpu.append(ui_elapsed)
            await pilot.press("e")
            await pilot.pause()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opens", type=int, default=60)
    parser.add_argument("--workspace", type=Path,
                        default=Path(tempfile.gettempdir()) / "verifier-bench-pane.db")  # fmt: skip
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--size", default="160x45")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--unkept", action="store_true")
    args = parser.parse_args()
    if args.rebuild or not args.workspace.exists():
        build(args.workspace)
    width, height = (int(part) for part in args.size.split("x"))
    cpu = time.process_time()
    cpu_per_open: list[float] = []
    ui_cpu_per_open: list[float] = []
    profiler = cProfile.Profile() if args.profile else None
    run = measure(f"sqlite:///{args.workspace}", args.opens, (width, height), cpu_per_open,
                  args.unkept, ui_cpu_per_open, profiler)  # fmt: skip
    timings = asyncio.run(run)
    if profiler is not None:
        import pstats

        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
    cpu = time.process_time() - cpu
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(
        f"pane open, cached{' (unkept)' if args.unkept else ''}, {len(timings)} opens at "
        f"{args.size}: "
        f"p50 {statistics.median(timings) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms "
        f"(target < 150 ms); CPU per open p50 {statistics.median(cpu_per_open) * 1000:.0f} ms "
        f"(UI thread {statistics.median(ui_cpu_per_open) * 1000:.0f} ms); "
        f"process CPU {cpu:.1f} s in all; load {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
