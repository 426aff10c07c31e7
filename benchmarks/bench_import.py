"""Import speed: a generated 100,000-row CSV into a fresh SQLite workspace.

Prints rows/s for the import alone and with automatic city matching, beside the time the
sqlite3 shell's own `.import` takes to load the same rows into a bare table (no parsing,
no validation, no indexes): the floor any importer could reach. Also prints how long each
import held the write lock (its write transaction), the time other writers may wait.

    .venv/bin/python benchmarks/bench_import.py [--rows 100000] [--edition fixtures/las2024]
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verifier.core.editions import load_edition, read_edition_dir  # noqa: E402
from verifier.core.importing import ImportOptions, import_file  # noqa: E402
from verifier.core.workspace import Workspace  # noqa: E402

HEADER = ["city", "indicator", "value", "unit", "year", "source", "locator", "snippet",
          "extractor", "country", "language", "source_url", "extracted_at"]  # fmt: skip
ARABIC_DIGITS = str.maketrans("0123456789.", "٠١٢٣٤٥٦٧٨٩٫")


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


def fresh_workspace(folder: Path, edition_dir: Path) -> Workspace:
    workspace = Workspace(f"sqlite:///{folder / 'bench.db'}")
    workspace.initialise()
    load_edition(workspace, edition_dir, "bench")
    return workspace


def timed_import(csv_path: Path, edition_dir: Path, match: bool) -> tuple[float, float, int]:
    """(seconds in all, seconds holding the write lock, rows accepted)."""
    with tempfile.TemporaryDirectory() as folder:
        workspace = fresh_workspace(Path(folder), edition_dir)
        started = time.perf_counter()
        report = import_file(workspace, csv_path, ImportOptions(user="bench", auto_match=match))
        elapsed = time.perf_counter() - started
        workspace.close()
    return elapsed, report.write_seconds, report.accepted


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--edition", type=Path, default=ROOT / "fixtures" / "las2024")
    parser.add_argument("--no-match", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        csv_path = Path(folder) / "items.csv"
        generate(csv_path, args.rows, args.edition)
        size_mb = csv_path.stat().st_size / 1e6
        shell = sqlite_shell_import(csv_path)
        plain, plain_lock, accepted = timed_import(csv_path, args.edition, match=False)
        matched, matched_lock, _ = timed_import(csv_path, args.edition, match=not args.no_match)
    print(f"{args.rows:,} rows, {size_mb:.1f} MB CSV, {accepted:,} accepted")
    print(f"{'step':<42}{'seconds':>10}{'rows/s':>12}{'lock held':>12}")
    lines = [("sqlite3 shell .import (bare table)", shell, None),
             ("verifier import --no-match", plain, plain_lock),
             ("verifier import (with city matching)", matched, matched_lock)]  # fmt: skip
    for name, seconds, lock in lines:
        if seconds is None:
            print(f"{name:<42}{'n/a':>10}")
            continue
        held = f"{lock:.2f} s" if lock is not None else ""
        print(f"{name:<42}{seconds:>10.2f}{args.rows / seconds:>12,.0f}{held:>12}")


if __name__ == "__main__":
    main()
