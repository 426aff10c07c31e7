"""Review UI speed on a 50,000-item SQLite workspace, driven headless with Textual's Pilot.

Measures, with targets:
  - start: from building the app to the first item shown in the queue    (< 2 s)
  - decide: from pressing v to the next item shown, p95                   (< 100 ms)
  - filter: from applying a filter or a search to its first item shown, p95 (< 300 ms)

The workspace (the las2024 edition, or tests/data/mini, plus generated items imported with
the real importer) is built once and kept, so later runs only measure:

    .venv/bin/python benchmarks/bench_review.py [--items 50000] [--workspace PATH]
        [--decisions 100] [--rebuild]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import random
import statistics
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from review_wait import shown_queue, wait_until  # noqa: E402
from sqlalchemy import func  # noqa: E402
from sqlmodel import select  # noqa: E402

from db.models import Item, Role  # noqa: E402
from verifier.config import Settings  # noqa: E402
from verifier.core.editions import load_edition, read_edition_dir  # noqa: E402
from verifier.core.importing import ImportOptions, import_file  # noqa: E402
from verifier.core.people.reviewers import set_reviewer  # noqa: E402
from verifier.core.review.queue import QueueFilter  # noqa: E402
from verifier.core.workspace import Workspace  # noqa: E402
from verifier.tui.app import ReviewApp  # noqa: E402
from verifier.tui.screens.queue_screen import QueueScreen  # noqa: E402

HEADER = ["city", "indicator", "value", "unit", "year", "source", "locator", "snippet",
          "extractor", "country", "language", "source_url", "extracted_at"]  # fmt: skip
TO_ARABIC_DIGITS = str.maketrans("0123456789.", "٠١٢٣٤٥٦٧٨٩٫")
EDITIONS = [ROOT / "fixtures" / "las2024", ROOT / "tests" / "data" / "mini"]


def edition_folder() -> Path:
    return next(folder for folder in EDITIONS if (folder / "edition.toml").is_file())


def write_items(path: Path, count: int, folder: Path, start: int = 0, agree: bool = False) -> None:
    """Items like real extractions: every city's names and aliases in both scripts, values
    in Latin and Arabic-Indic digits, snippets quoting them, several sources and years.

    ``start`` continues a sequence written in several files (rows ``start`` to
    ``start + count``, each row distinct). With ``agree`` every item of a city, indicator
    and year gives the same value, so verified items publish without conflicts."""
    edition = read_edition_dir(folder)
    rng = random.Random(50_000 + start)
    labels = [
        (name, city.country, city.name_en)
        for city in edition.cities
        for name in (city.name_en, city.name_ar, *city.aliases)
        if name
    ]
    sources = [source.key for source in edition.sources]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(start, start + count):
            label, country, english = labels[n % len(labels)]
            indicator = edition.indicators[(n // len(labels)) % len(edition.indicators)]
            low = indicator.min_value or 0
            high = indicator.max_value if indicator.max_value is not None else 1000
            year = str(2020 + n % 4)
            share = (
                zlib.crc32(f"{english}|{indicator.code}|{year}".encode()) % 1000 / 1000
                if agree
                else rng.random()
            )
            value = f"{round(low + share * (high - low), 1)}"
            written = value if n % 3 else value.translate(TO_ARABIC_DIGITS)
            arabic = n % 2 == 0
            snippet = (
                f"بلغت قيمة المؤشر في {label} {written} عام {year}"
                if arabic
                else f"{english}: {indicator.name_en} {written} ({year})"
            )
            writer.writerow([
                label, indicator.code, written, "", year, sources[n % len(sources)],
                f"bench p. {n // 50 + 1}, row {n % 50 + 1}", snippet, "bench", country,
                "ar" if arabic else "en", "", "2026-09-14T10:22:05+03:00",
            ])  # fmt: skip


def item_count(workspace: Workspace) -> int:
    with workspace.reading() as session:
        return int(session.exec(select(func.count()).select_from(Item)).one())


def build(path: Path, count: int) -> None:
    folder = edition_folder()
    workspace = Workspace(f"sqlite:///{path}")
    workspace.initialise()
    load_edition(workspace, folder, "bench")
    with workspace.session() as session:  # the reviewers measure() opens the app as
        for name in ("bench-0", "bench-1", "bench-2"):
            set_reviewer(session, name, Role.ASSISTANT, name, granted_by="bench")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "bench-items.csv"
        write_items(csv_path, count, folder)
        report = import_file(workspace, csv_path, ImportOptions(user="bench"))
    print(
        f"built {path}: {folder.name} edition, {report.accepted:,} items imported "
        f"({len(report.problems)} refused) in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    workspace.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


FILTERS = [
    QueueFilter(statuses=("unverified",), indicators=("DIG-BROADBAND",)),
    QueueFilter(statuses=("verified",)),
    QueueFilter(countries=("EG",)),
    QueueFilter(bands=("review",)),
    QueueFilter(scripts=("latn",), years=(2022,)),
    QueueFilter(search="Tripoli"),
    QueueFilter(search="الرياض"),
    QueueFilter(search="بلغت قيمة"),
    QueueFilter(statuses=("unverified",), search="2021"),
    QueueFilter(statuses=("unverified",)),
]


class Timings:
    """Wall-clock seconds, and the process's CPU seconds (all threads) beside them: on a
    shared machine the second says how much of the first is this program's own work."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def start(self) -> tuple[float, float]:
        return time.perf_counter(), time.process_time()

    def stop(self, started: tuple[float, float]) -> None:
        self.wall.append(time.perf_counter() - started[0])
        self.cpu.append(time.process_time() - started[1])


async def decide(queue: QueueScreen, count: int, timings: Timings) -> None:
    for _ in range(count):
        before = queue.current_id
        started = timings.start()
        # Through Textual's key handling like a typed key; Pilot.press would also wait
        # for everything to settle, hiding the latency.
        queue.app.simulate_key("v")

        def next_shown(before: int | None = before) -> bool:
            view = queue.view
            return view is not None and view.id != before and not queue.pending

        await wait_until(next_shown, paint=queue)
        timings.stop(started)
        await asyncio.sleep(0.3)  # a reviewer reads the item; the read-ahead runs meanwhile


async def refilter(queue: QueueScreen, timings: Timings) -> None:
    def first_item_shown() -> bool:
        loaded = not queue._page_loading and (queue.view is not None or not queue.rows)
        return loaded and (queue.view is None or queue.view.id == queue.current_id)

    for flt in FILTERS * 2:
        started = timings.start()
        queue.apply_filter(flt)
        await wait_until(first_item_shown, paint=queue)
        timings.stop(started)
        await asyncio.sleep(1.0)  # the reviewer looks; the counts for the status line finish


async def measure(url: str, decisions: int, state_dir: Path) -> dict[str, Timings]:
    os.environ["VERIFIER_STATE_DIR"] = str(state_dir)
    from verifier.tui import create_app

    results = {"start": Timings(), "decide": Timings(), "filter": Timings()}
    for run in range(3):
        for stale in state_dir.glob("review-*.json"):
            stale.unlink()
        started = results["start"].start()
        app = create_app(Settings(), url, user=f"bench-{run}")
        app.cursor_blink = False
        async with app.run_test(size=(140, 45)):

            def ready(app: ReviewApp = app) -> bool:
                return shown_queue(app) is not None

            await wait_until(ready, paint=app.screen)
            results["start"].stop(started)
            queue = shown_queue(app)
            if run == 0 and queue is not None:
                await decide(queue, decisions, results["decide"])
                await refilter(queue, results["filter"])
        app.backend.close()
    return results


def report(name: str, timings: Timings, target: str) -> None:
    wall, cpu = timings.wall, timings.cpu
    print(
        f"{name:<29} p50 {1000 * statistics.median(wall):4.0f} ms, "
        f"p95 {1000 * percentile(wall, 0.95):4.0f} ms, max {1000 * max(wall):4.0f} ms "
        f"over {len(wall)} ({target}); CPU p50 {1000 * statistics.median(cpu):.0f} ms, "
        f"p95 {1000 * percentile(cpu, 0.95):.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--workspace", type=Path, default=Path(tempfile.gettempdir())
                        / "verifier-bench-review.db")  # fmt: skip
    parser.add_argument("--decisions", type=int, default=100)
    parser.add_argument("--rebuild", action="store_true", help="Build the workspace again.")
    args = parser.parse_args()

    path: Path = args.workspace
    if args.rebuild and path.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    if not path.exists():
        build(path, args.items)
    url = f"sqlite:///{path}"
    workspace = Workspace(url)
    total = item_count(workspace)
    workspace.close()

    with tempfile.TemporaryDirectory() as state:
        results = asyncio.run(measure(url, args.decisions, Path(state)))
    start = results["start"].wall
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"\nworkspace: {path} ({total:,} items, SQLite); CPUs: {os.cpu_count()}; load {load}")
    print("command:   " + " ".join([Path(sys.executable).name, *sys.argv]))
    print(f"start to first item shown     first {start[0]:.2f} s, then "
          f"{statistics.median(start[1:]):.2f} s (target < 2 s)")  # fmt: skip
    report("decision to next item shown", results["decide"], "target p95 < 100 ms")
    report("filter or search applied", results["filter"], "target p95 < 300 ms")


if __name__ == "__main__":
    main()
