"""How the review's costs grow with the workspace: one table over several sizes, on SQLite
and (given a server) PostgreSQL.

For each size a workspace is built with the project's generator (bench_review.py's: the
las2024 edition, or tests/data/mini, and generated items imported with the real
importer), then measured:

  - start to first item: from the shell, a new process that opens the review UI
    (headless) until the first item is shown, process start included;
  - decision and filter p95: bench_review.py's Pilot run (100 decisions, 20 filters and
    searches), decision to next item shown, filter applied to its first item shown;
  - status: ``verifier status`` from the shell, process start included;
  - listing: ``verifier items --limit 0`` (tab-separated lines, as piped), rows per
    second, from the shell;
  - peak memory of each child process, as the operating system reports it (wait4).

    .venv/bin/python benchmarks/bench_scaling.py                      # CI-small: 5k, 20k
    .venv/bin/python benchmarks/bench_scaling.py --sizes 50000,250000,1000000 \\
        [--pg postgresql://postgres@127.0.0.1:5432/test] [--keep DIR]

Workspaces are built once into --keep (default: the temporary directory) and reused;
PostgreSQL ones go into a schema per size (bench_scaling_<size>), kept likewise.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

VERIFIER = [sys.executable, "-m", "verifier"]


@dataclass
class Row:
    backend: str
    size: int
    figures: dict[str, str] = field(default_factory=dict)


def run_child(args: list[str], stdout: int | None = subprocess.DEVNULL) -> tuple[float, int, str]:
    """Wall seconds from the shell and peak RSS (MB) of one command; its stderr."""
    started = time.perf_counter()
    child = subprocess.Popen(args, stdout=stdout, stderr=subprocess.PIPE, cwd=ROOT)
    assert child.stderr is not None
    err = child.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {err.strip()[-400:]}")
    return seconds, usage.ru_maxrss // 1024, err


def pg_url(base: str, schema: str, create: bool) -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(base).set(drivername="postgresql+psycopg")
    if create:
        admin = create_engine(url)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        admin.dispose()
    scoped = url.update_query_dict({"options": f"-csearch_path={schema}"})
    return scoped.render_as_string(hide_password=False)


def build(url: str, count: int) -> None:
    """bench_review's workspace at ``url`` (any backend), unless it holds items already."""
    import bench_review
    from sqlalchemy import func
    from sqlmodel import select

    from db.models import Item, Role
    from verifier.core.editions import load_edition
    from verifier.core.importing import ImportOptions, import_file
    from verifier.core.people.reviewers import set_reviewer
    from verifier.core.workspace import Workspace

    workspace = Workspace(url)
    workspace.initialise()
    with workspace.reading() as session:
        present = int(session.exec(select(func.count()).select_from(Item)).one())
    if present:
        workspace.close()
        return
    folder = bench_review.edition_folder()
    load_edition(workspace, folder, "bench")
    with workspace.session() as session:  # the reviewers bench_review.measure opens as
        for name in ("bench-0", "bench-1", "bench-2"):
            set_reviewer(session, name, Role.ASSISTANT, name, granted_by="bench")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "items.csv"
        bench_review.write_items(path, count, folder)
        report = import_file(workspace, path, ImportOptions(user="bench"))
    took = time.perf_counter() - started
    print(f"  built {count:,} items in {took:.0f} s ({report.accepted / took:,.0f} rows/s)")
    workspace.close()


def first_item_from_shell(url: str) -> tuple[float, int]:
    """A new process opens the review UI headless; seconds until the first item shows."""
    child = [sys.executable, __file__, "--child-first-item", url]
    started = time.time()
    seconds, peak, err = run_child(child)
    shown_at = float(err.strip().splitlines()[-1])
    assert seconds >= shown_at - started
    return shown_at - started, peak


async def _child_first_item(url: str) -> None:
    from bench_review import _queue, wait_until

    from verifier.config import Settings
    from verifier.tui import create_app

    with tempfile.TemporaryDirectory() as state:
        os.environ["VERIFIER_STATE_DIR"] = state
        app = create_app(Settings(), url, user="bench")
        async with app.run_test(size=(140, 45)):
            await wait_until(lambda: _queue(app) is not None, timeout=120, paint=app.screen)
            shown = time.time()
        app.backend.close()
    sys.stderr.write(f"{shown}\n")


def pilot_run(url: str) -> tuple[float, float]:
    """bench_review's decisions and filters: p95 of each, in ms."""
    import bench_review

    with tempfile.TemporaryDirectory() as state:
        results = asyncio.run(bench_review.measure(url, 100, Path(state)))
    decide = bench_review.percentile(results["decide"].wall, 0.95)
    refilter = bench_review.percentile(results["filter"].wall, 0.95)
    return 1000 * decide, 1000 * refilter


def measure(backend: str, url: str, size: int) -> Row:
    row = Row(backend, size)
    figures = row.figures
    seconds, peak = first_item_from_shell(url)
    figures["first item"] = f"{seconds:.2f} s"
    decide, refilter = pilot_run(url)
    figures["decision p95"] = f"{decide:.0f} ms"
    figures["filter p95"] = f"{refilter:.0f} ms"
    seconds, peak, _ = run_child([*VERIFIER, "--db", url, "--user", "bench", "status"])
    figures["status"] = f"{seconds:.2f} s, {peak} MB"
    listing = [*VERIFIER, "--db", url, "--user", "bench", "items", "--limit", "0"]
    seconds, peak, _ = run_child(listing)
    figures["items --limit 0"] = f"{size / seconds:,.0f} rows/s, {peak} MB"
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="5000,20000", help="Comma-separated item counts.")
    parser.add_argument("--pg", default=os.environ.get("VERIFIER_BENCH_PG", ""),
                        help="A PostgreSQL URL: measure there too.")  # fmt: skip
    parser.add_argument("--keep", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--child-first-item", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_first_item:
        asyncio.run(_child_first_item(args.child_first_item))
        return
    sizes = [int(size) for size in args.sizes.split(",")]
    rows: list[Row] = []
    for size in sizes:
        targets = [("SQLite", f"sqlite:///{args.keep / f'verifier-bench-scaling-{size}.db'}")]
        if args.pg:
            targets.append(("PostgreSQL", pg_url(args.pg, f"bench_scaling_{size}", True)))
        for backend, url in targets:
            print(f"{backend}, {size:,} items", flush=True)
            build(url, size)
            rows.append(measure(backend, url, size))
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    columns = ["first item", "decision p95", "filter p95", "status", "items --limit 0"]
    print(f"\nCPUs: {os.cpu_count()}; load average at the end: {load}")
    print("command: " + " ".join([Path(sys.executable).name, *sys.argv]))
    print("| backend | items | " + " | ".join(columns) + " |")
    print("| --- | --- |" + " --- |" * len(columns))
    for row in rows:
        cells = " | ".join(row.figures.get(c, "") for c in columns)
        print(f"| {row.backend} | {row.size:,} | {cells} |")


if __name__ == "__main__":
    main()
