"""Workspaces of a chosen size for the scale tests: the mini edition and generated items
(every city name and alias in both scripts, every indicator, four years, two sources),
imported with the real importer."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import MINI
from tests.importing_helpers import row, write_csv
from verifier.core.editions import load_edition, read_edition_dir
from verifier.core.importing import ImportOptions, import_file
from verifier.core.workspace import Workspace


def generated_rows(count: int) -> list[list[str]]:
    edition = read_edition_dir(MINI)
    labels = [
        (name, city.country)
        for city in edition.cities
        for name in (city.name_en, city.name_ar, *city.aliases)
        if name
    ]
    indicators = [indicator.code for indicator in edition.indicators]
    sources = [source.key for source in edition.sources]
    rows = []
    for n in range(count):
        label, country = labels[n % len(labels)]
        indicator = indicators[(n // len(labels)) % len(indicators)]
        year = str(2020 + n % 4)
        rows.append(
            row(label, indicator, f"{n % 50 + 1}.5", "", year, sources[n % len(sources)],
                f"p. {n // 50 + 1}, row {n % 50 + 1}", f"{label} {indicator} ({year})",
                country=country)
        )  # fmt: skip
    return rows


def fill(workspace: Workspace, folder: Path, count: int) -> Workspace:
    """Load the mini edition into ``workspace`` and import ``count`` generated items."""
    load_edition(workspace, MINI, "layla")
    path = write_csv(folder / f"generated-{count}.csv", generated_rows(count))
    report = import_file(workspace, path, ImportOptions("omar"))
    assert report.accepted == count, report.problems[:3]
    return workspace
