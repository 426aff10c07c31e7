"""bench_scaling's stages, measured on a built workspace: the review UI's start to its
first item (a new process) and its decisions and filters (bench_review's Pilot run), then
``status``, the listing, the provenance report and the audit from the shell. A stage that
fails is shown as failed and the others are measured."""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from scaling_run import SCRIPT, cli, run_child
from scaling_table import Row

# The stages measured on a built workspace (--stages), in the order they run.
STAGES = ("first item", "decision p95", "status", "items --limit 0", "provenance",
          "audit verify")  # fmt: skip


def first_item_from_shell(url: str) -> tuple[float, float, float, float, int]:
    """A new process opens the review UI headless; seconds until the first item shows, and
    until its city candidates do (they follow it: the matcher is built after it); the
    child's CPU seconds until the first item, and to its end."""
    child = [sys.executable, str(SCRIPT), "--child-first-item", url]
    started = time.time()
    run = run_child(child)
    shown_at, complete_at, cpu_shown = map(float, run.err.strip().splitlines()[-1].split())
    assert run.seconds >= complete_at - started
    return shown_at - started, complete_at - started, cpu_shown, run.cpu, run.peak


async def child_first_item(url: str) -> None:
    from review_wait import shown_queue, wait_until

    from verifier.config import Settings
    from verifier.tui import create_app

    with tempfile.TemporaryDirectory() as state:
        os.environ["VERIFIER_STATE_DIR"] = state
        app = create_app(Settings(), url, user="bench")
        async with app.run_test(size=(140, 45)):
            await wait_until(lambda: shown_queue(app) is not None, timeout=120, paint=app.screen)
            shown, cpu_shown = time.time(), time.process_time()
            queue = shown_queue(app)

            def complete() -> bool:
                view = queue.view if queue is not None else None
                return view is not None and not getattr(view, "candidates_pending", False)

            await wait_until(complete, timeout=120, paint=app.screen)
            complete_at = time.time()
            # The rest of the start-up (the modules loaded after the first item) is in the
            # child's CPU figure too, as it was when all of it came before.
            await app.workers.wait_for_complete()
        app.backend.close()
    sys.stderr.write(f"{shown} {complete_at} {cpu_shown}\n")


def pilot_run(url: str) -> tuple[float, float]:
    """bench_review's decisions and filters: p95 of each, in ms."""
    import bench_review

    with tempfile.TemporaryDirectory() as state:
        results = asyncio.run(bench_review.measure(url, 100, Path(state)))
    decide = bench_review.percentile(results["decide"].wall, 0.95)
    refilter = bench_review.percentile(results["filter"].wall, 0.95)
    return 1000 * decide, 1000 * refilter


def measure(
    backend: str, url: str, size: int, built: dict[str, str], only: set[str] | None = None
) -> Row:
    """Every stage's figure, or those of the stages named in ``only``."""
    row = Row(backend, size)
    figures = row.figures

    def stage(name: str, step: Callable[[], str]) -> None:
        """One figure; a stage that fails is shown as failed, and the run goes on."""
        if only is not None and name not in only:
            return
        started = time.perf_counter()
        try:
            figures[name] = step()
            took = time.perf_counter() - started
            load = os.getloadavg()[0]
            print(f"  {name}: {figures[name]} (stage {took:.1f} s, load {load:.1f})", flush=True)
        except Exception as error:  # a benchmark reports a failure and measures the rest
            figures[name] = "failed"
            print(f"  {name} failed: {error}", flush=True)

    def first_item() -> str:
        seconds, complete, cpu_shown, cpu, peak = first_item_from_shell(url)
        return (
            f"{seconds:.2f} s ({cpu_shown:.2f} s CPU), candidates {complete:.2f} s "
            f"({cpu:.2f} s CPU to the end of the child), {peak} MB"
        )

    def pilot() -> str:
        decide, refilter = pilot_run(url)
        figures["filter p95"] = f"{refilter:.0f} ms"
        return f"{decide:.0f} ms"

    def shell(*args: str, per: int = 0, unit: str = "") -> Callable[[], str]:
        def run() -> str:
            child = run_child(cli(url, *args))
            return child.rate(per, unit) if per else child.took()

        return run

    evidence = int(built.get("evidence items", "0").replace(",", "") or 0)
    events = event_count(url)
    figures["import"] = built.get("import", "")
    stage("first item", first_item)
    stage("decision p95", pilot)
    stage("status", shell("status"))
    stage("items --limit 0", shell("items", "--limit", "0", per=size, unit="rows"))
    for name in ("decisions", "publish", "evidence items"):
        figures[name] = built.get(name, "")
    provenance = ("report", "provenance", "--format", "md")
    stage("provenance", shell(*provenance, per=evidence, unit="items"))
    stage("audit verify", shell("audit", "verify", per=events, unit="events"))
    if "audit verify" in figures:
        figures["audit verify"] += f" ({events:,})"
    return row


def event_count(url: str) -> int:
    from sqlalchemy import func
    from sqlmodel import select

    from db.models import ReviewEvent
    from verifier.core.workspace import Workspace

    workspace = Workspace(url)
    with workspace.reading() as session:
        count = int(session.exec(select(func.count()).select_from(ReviewEvent)).one())
    workspace.close()
    return count
