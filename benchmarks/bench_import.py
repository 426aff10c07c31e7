"""Import speed and memory: generated CSV files of each size into fresh workspaces.

The rows are drawn from the las2024 fixture edition (its cities' names and aliases in
both scripts, its indicators and sources, values in Latin and Arabic-Indic digits). Each
import runs in a process of its own, so that its figures are its own: wall seconds and
rows/s, how long it held the write lock (its write transaction), and the CPU time and
peak resident memory the operating system reports for it and its worker processes
(wait4, not Python's allocator). The load average before and after each run is printed:
the machine may be shared. ``--shell`` also times the sqlite3 shell's own `.import` of
the same file into a bare table (no parsing, no checks, no indexes): the floor.

    .venv/bin/python benchmarks/bench_import.py                       # 100,000 rows, SQLite
    .venv/bin/python benchmarks/bench_import.py --sizes 100000,400000,1000000 \\
        [--pg postgresql://postgres@127.0.0.1:5432/test] [--no-match] [--shell]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from verifier.core.editions import load_edition, read_edition_dir  # noqa: E402
from verifier.core.importing import ImportOptions, import_file  # noqa: E402
from verifier.core.workspace import Workspace  # noqa: E402

HEADER = ["city", "indicator", "value", "unit", "year", "source", "locator", "snippet",
          "extractor", "country", "language", "source_url", "extracted_at"]  # fmt: skip
ARABIC_DIGITS = str.maketrans("0123456789.", "٠١٢٣٤٥٦٧٨٩٫")
EDITION = ROOT / "fixtures" / "las2024"


def generate(path: Path, rows: int, edition_dir: Path) -> None:
    """Rows that look like the fixtures: real labels, values in every written form."""
    edition = read_edition_dir(edition_dir)
    rng = random.Random(2024)
    labels = [
        (name, city.country)
        for city in edition.cities
        for name in (city.name_en, city.name_ar, *city.aliases)
        if name
    ]
    indicators = edition.indicators
    sources = [s.key for s in edition.sources] or ["bench"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(rows):
            label, country = labels[n % len(labels)]
            indicator = indicators[n % len(indicators)]
            low = indicator.min_value or 0
            high = indicator.max_value if indicator.max_value is not None else 1000
            value = round(rng.uniform(low, high), 1)
            written = f"{value}" if n % 3 else f"{value}".translate(ARABIC_DIGITS)
            snippet = f"{label}: {indicator.name_en} {written} ({2021 + n % 3})"
            writer.writerow([
                label, indicator.code, written, "", str(2021 + n % 3), sources[n % len(sources)],
                f"p. {n // 40 + 1}, row {n % 40 + 1}", snippet, "bench", country, "",
                "", "2026-09-14T10:22:05+03:00",
            ])  # fmt: skip


def fresh_workspace(folder: Path, edition_dir: Path, url: str | None = None) -> Workspace:
    workspace = Workspace(url or f"sqlite:///{folder / 'bench.db'}")
    workspace.initialise()
    load_edition(workspace, edition_dir, "bench")
    return workspace


def sqlite_shell_import(csv_path: Path) -> float | None:
    shell = shutil.which("sqlite3")
    if shell is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        subprocess.run(
            [shell, str(Path(folder) / "raw.db"), ".mode csv", f".import {csv_path} raw"],
            check=True,
        )
        return time.perf_counter() - started


@dataclass
class Run:
    backend: str
    rows: int
    match: bool
    seconds: float = 0.0
    lock: float = 0.0
    accepted: int = 0
    cpu: float = 0.0
    peak_mb: int = 0
    load: tuple[float, float] = (0.0, 0.0)


def child_import(url: str, csv_path: Path, match: bool) -> None:
    """In a new process: import into the workspace at ``url``; figures on stdout."""
    workspace = Workspace(url)
    started = time.perf_counter()
    report = import_file(workspace, csv_path, ImportOptions(user="bench", auto_match=match))
    seconds = time.perf_counter() - started
    workspace.close()
    print(
        json.dumps({"seconds": seconds, "lock": report.write_seconds, "accepted": report.accepted})
    )


def measured_import(url: str, csv_path: Path, run: Run) -> Run:
    """The import in a child process: its wall time, and the CPU time and peak memory the
    operating system reports for it and its workers (wait4)."""
    args = [sys.executable, __file__, "--child", url, str(csv_path)]
    if not run.match:
        args.append("--no-match")
    before = os.getloadavg()[0]
    child = subprocess.Popen(args, stdout=subprocess.PIPE, cwd=ROOT)
    assert child.stdout is not None
    out = child.stdout.read().decode()
    _, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"import into {run.backend} failed")
    figures = json.loads(out.strip().splitlines()[-1])
    run.seconds, run.lock, run.accepted = figures["seconds"], figures["lock"], figures["accepted"]
    run.cpu = usage.ru_utime + usage.ru_stime
    run.peak_mb = usage.ru_maxrss // 1024
    run.load = (before, os.getloadavg()[0])
    return run


def backends(pg: str | None, size: int) -> Iterator[tuple[str, str]]:
    """(name, url) of a fresh workspace per backend, the edition loaded; dropped after."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        fresh_workspace(Path(folder), EDITION, url).close()
        yield "SQLite", url
    if pg is None:
        return
    from scaling_run import pg_url
    from sqlalchemy import create_engine, text

    schema = f"bench_import_{size}"
    url = pg_url(pg, schema, create=True)
    try:
        fresh_workspace(Path(), EDITION, url).close()
        yield "PostgreSQL", url
    finally:
        admin = create_engine(pg_url(pg, schema, create=False))
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000", help="rows per file, comma-separated")
    parser.add_argument("--pg", help="a PostgreSQL URL: also import into a schema there")
    parser.add_argument("--no-match", action="store_true", help="without city matching")
    parser.add_argument("--shell", action="store_true", help="also sqlite3's own .import")
    parser.add_argument("--child", nargs=2, metavar=("URL", "CSV"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_import(args.child[0], Path(args.child[1]), match=not args.no_match)
        return
    runs: list[Run] = []
    print(f"{'backend':<12}{'rows':>10}{'MB':>7}{'seconds':>9}{'rows/s':>9}{'lock s':>8}"
          f"{'CPU s':>8}{'peak MB':>9}  load before/after")  # fmt: skip
    for size in (int(n) for n in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as folder:
            csv_path = Path(folder) / "items.csv"
            generate(csv_path, size, EDITION)
            megabytes = csv_path.stat().st_size / 1e6
            if args.shell:
                shell = sqlite_shell_import(csv_path)
                if shell is not None:
                    print(f"{'sqlite3 .import (bare table)':<40}{shell:>8.2f} s")
            for backend, url in backends(args.pg, size):
                run = measured_import(url, csv_path, Run(backend, size, not args.no_match))
                runs.append(run)
                line = (
                    f"{backend:<12}{size:>10,}{megabytes:>7.0f}{run.seconds:>9.1f}"
                    f"{run.accepted / run.seconds:>9,.0f}{run.lock:>8.1f}{run.cpu:>8.1f}"
                    f"{run.peak_mb:>9,}  {run.load[0]:.1f} / {run.load[1]:.1f}"
                )
                print(line, flush=True)


if __name__ == "__main__":
    main()
