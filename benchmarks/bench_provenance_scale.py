"""``verifier report provenance`` over a large publication, in every format, from the shell:
evidence items per second and the peak memory the operating system reports.

The workspaces are bench_scaling.py's (the generator's items, every automatically matched
item of the latest year verified, then published), built once into --keep and reused. Each
format is run as a new process under ``/usr/bin/time``: wall and CPU seconds, maximum
resident set size, and the size of what it wrote (to a file, as a user would).

    .venv/bin/python benchmarks/bench_provenance_scale.py --sizes 50000,250000
    .venv/bin/python benchmarks/bench_provenance_scale.py --sizes 50000 --code DIR

--code runs the command of another checkout of the project (DIR: its root) on the same
workspaces, to compare an earlier version with this one.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

FORMATS = ("md", "html", "csv", "json", "prov-json")


def run(code: Path, url: str, fmt: str, target: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and peak MB of one report written to ``target``."""
    args = [sys.executable, "-m", "verifier", "--db", url, "--user", "bench"]
    args += ["report", "provenance", "--format", fmt, "--output", str(target), "--force"]
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        timed = ["/usr/bin/time", "-f", "%M %U %S", "-o", rss.name, *args]
        started = time.perf_counter()
        child = subprocess.run(timed, cwd=code, capture_output=True, env=_env(code))
        seconds = time.perf_counter() - started
        if child.returncode != 0:
            raise RuntimeError(child.stderr.decode(errors="replace")[-400:])
        peak_kb, user, system = rss.read().split()
    return seconds, float(user) + float(system), int(peak_kb) // 1024


def _env(code: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(code)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="5000,20000")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--keep", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout to run")
    args = parser.parse_args()

    from scaling_build import build

    print(f"code: {args.code}")
    print("| items | evidence items | format | wall | CPU | items/s (by CPU) | peak | written |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for size in (int(s) for s in args.sizes.split(",")):
        database = args.keep / f"verifier-bench-scaling-{size}.db"
        url = f"sqlite:///{database}"
        built = build(url, size, database.with_suffix(".json"))
        evidence = int(built.get("evidence items", "0").replace(",", ""))
        for fmt in args.formats.split(","):
            with tempfile.TemporaryDirectory() as scratch:
                target = Path(scratch) / f"report.{fmt}"
                wall, cpu, peak = run(args.code, url, fmt, target)
                written = target.stat().st_size / 1e6
            print(
                f"| {size:,} | {evidence:,} | {fmt} | {wall:.1f} s | {cpu:.1f} s | "
                f"{evidence / wall:,.0f} ({evidence / cpu:,.0f}) | {peak} MB | "
                f"{written:,.1f} MB |",
                flush=True,
            )
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"\nCPUs: {os.cpu_count()}; load average at the end: {load}")


if __name__ == "__main__":
    main()
