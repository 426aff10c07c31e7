"""Listing a very wide rejected row: a 200,000-column line is stored whole and listed cut.

Imports a file whose one data row has 200,000 fields into a fresh SQLite workspace, then
runs `verifier rejects` in each format (in this process, so start-up is not counted) and
prints the time, the bytes written and the peak memory of the process.

    .venv/bin/python benchmarks/bench_rejects.py [--columns 200000] [--edition fixtures/las2024]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from typer.testing import CliRunner  # noqa: E402

from verifier.cli.app import app  # noqa: E402
from verifier.core.editions import load_edition  # noqa: E402
from verifier.core.importing import ImportOptions, import_file  # noqa: E402
from verifier.core.workspace import Workspace  # noqa: E402

HEADER = ["city", "indicator", "value", "unit", "year", "source", "locator", "snippet",
          "extractor", "country", "language", "source_url", "extracted_at"]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--columns", type=int, default=200_000)
    parser.add_argument("--edition", type=Path, default=ROOT / "fixtures" / "las2024")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.db"
        workspace = Workspace(f"sqlite:///{db}")
        workspace.initialise()
        load_edition(workspace, args.edition, "bench")
        wide = Path(folder) / "wide.csv"
        wide.write_text(",".join(HEADER) + "\n" + ",".join(["x"] * args.columns) + "\n")
        started = time.perf_counter()
        report = import_file(workspace, wide, ImportOptions(user="bench", auto_match=False))
        print(f"import of a {args.columns:,}-column row: {time.perf_counter() - started:.2f} s, "
              f"{report.rejected} rejected")  # fmt: skip
        workspace.close()
        runner = CliRunner()
        for options in (["table"], ["csv"], ["json"], ["json", "--full"]):
            started = time.perf_counter()
            result = runner.invoke(
                app, ["--db", str(db), "--user", "bench", "rejects", "--format", *options]
            )
            elapsed = time.perf_counter() - started
            assert result.exit_code == 0, result.output
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
            print(f"rejects --format {' '.join(options):<12} {elapsed:6.2f} s, "
                  f"{len(result.stdout.encode()):>9,} bytes, peak {peak} MB")  # fmt: skip


if __name__ == "__main__":
    main()
