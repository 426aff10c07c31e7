"""bench_scaling's tables: the figures as measured, then how each grows with the size.

A figure is a string as the benchmark prints it ("12,802 rows/s (5,400 by CPU), 246 MB",
"0.92 s (0.87 s CPU), 25 MB", "40 ms"). Its cost is read back from it: CPU seconds per
unit for a rate, CPU seconds for a command timed whole, milliseconds for a p95, seconds
for the start to the first item; the peak is its megabytes. The growth table divides each
cost and each peak by the smallest size's, per backend: 1.00× is flat, 4× at four times
the items would be linear in the workspace.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

COLUMNS = ["import", "first item", "decision p95", "filter p95", "status", "items --limit 0",
           "decisions", "publish", "evidence items", "provenance", "audit verify",
           "load"]  # fmt: skip
# What grows with what: the figures whose cost is compared between sizes.
GROWTH = ["import", "first item", "decision p95", "filter p95", "status", "items --limit 0",
          "decisions", "publish", "provenance", "audit verify"]  # fmt: skip

_BY_CPU = re.compile(r"\(([\d,]+) by CPU\)")
_CPU_SECONDS = re.compile(r"\(([\d.]+) s CPU\b")
_MILLISECONDS = re.compile(r"^([\d,.]+) ms")
_SECONDS = re.compile(r"^([\d.]+) s\b")
_PEAK = re.compile(r"(\d[\d,]*) MB")


@dataclass
class Row:
    backend: str
    size: int
    figures: dict[str, str] = field(default_factory=dict)


def cost(figure: str) -> float | None:
    """The figure's cost (smaller is better), or None when it states none."""
    for pattern, inverse in ((_BY_CPU, True), (_CPU_SECONDS, False), (_MILLISECONDS, False),
                             (_SECONDS, False)):  # fmt: skip
        found = pattern.search(figure)
        if found:
            number = float(found.group(1).replace(",", ""))
            if inverse:
                return 1 / number if number else None
            return number
    return None


def peak(figure: str) -> float | None:
    found = _PEAK.findall(figure)
    return float(found[-1].replace(",", "")) if found else None


def print_table(rows: list[Row], flush: bool = False) -> None:
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"\nCPUs: {os.cpu_count()}; load average now: {load}")
    print("command: " + " ".join([Path(sys.executable).name, *sys.argv]))
    print("| backend | items | " + " | ".join(COLUMNS) + " |")
    print("| --- | --- |" + " --- |" * len(COLUMNS))
    for row in rows:
        cells = " | ".join(row.figures.get(c, "") for c in COLUMNS)
        print(f"| {row.backend} | {row.size:,} | {cells} |", flush=flush)


def print_growth(rows: list[Row]) -> None:
    """One table: each figure's cost and peak at each size over the smallest size's of the
    same backend."""
    bases: dict[str, Row] = {}
    for row in sorted(rows, key=lambda r: r.size):
        bases.setdefault(row.backend, row)
    measured = [r for r in rows if bases[r.backend] is not r]
    if not measured:
        return
    print("\nGrowth: cost (CPU per unit, or time) and peak, over the smallest size's")
    heads = [f"{r.backend} {r.size:,} / {bases[r.backend].size:,}" for r in measured]
    print("| figure | " + " | ".join(heads) + " |")
    print("| --- |" + " --- |" * len(measured))
    for name in GROWTH:
        cells = [_ratio(bases[r.backend].figures.get(name, ""), r.figures.get(name, ""))
                 for r in measured]  # fmt: skip
        print(f"| {name} | " + " | ".join(cells) + " |")


def _ratio(base: str, figure: str) -> str:
    parts = []
    for read, what in ((cost, "cost"), (peak, "peak")):
        first, now = read(base), read(figure)
        if first and now is not None:
            parts.append(f"{what} {now / first:.2f}×")
    return ", ".join(parts) or "n/a"
