"""Importing numbers from a decimal-comma source (French: the row's language fr, or a source
whose language is fr) and from a decimal-point one. Arabic separators (U+066B decimal,
U+066C thousands) mean the same under both; Latin ones swap meaning."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlmodel import col, select

from db.models import Item
from tests.conftest import MINI
from tests.importing_helpers import row, write_csv
from verifier.core.editions import load_edition
from verifier.core.importing import ImportOptions, import_file
from verifier.core.workspace import Workspace

# value as written -> (read by a decimal-point source, read by a decimal-comma source)
CASES = {
    "١٬٢٣٤": (1234.0, 1234.0),
    "٢٫٥٠٠": (2.5, 2.5),
    "1,234": (1234.0, 1.234),
    "1,500": (1500.0, 1.5),
    "1.234": (1.234, 1234.0),
    "2.5": (2.5, 2.5),  # a lone dot before other than three digits is a decimal point
    "12,5": (12.5, 12.5),  # a lone comma before other than three digits is a decimal comma
    "1.234,5": (None, 1234.5),  # refused from a decimal-point source
}


def test_each_source_reads_its_own_separators(workspace: Workspace, tmp_path: Path) -> None:
    folder = tmp_path / "edition"
    shutil.copytree(MINI, folder)
    with (folder / "sources.csv").open("a", encoding="utf-8") as handle:
        handle.write("annuaire-fr,Annuaire statistique,Institut national,fr,,,,2023-11-01,\n")
    load_edition(workspace, folder, "layla")
    written = list(CASES)
    rows = [
        row(city="Cairo", indicator="DIG-BROADBAND", value=value, unit="Mbps", locator=f"{locator} {value}",
            language=language, source=source)
        for value in written
        for locator, language, source in (
            ("point", "en", "yearbook-2023"),
            ("comma", "fr", "yearbook-2023"),  # the row says French
            ("source", "", "annuaire-fr"),  # the source says French
        )
    ]  # fmt: skip
    report = import_file(workspace, write_csv(tmp_path / "a.csv", rows), ImportOptions("omar"))
    # Row 23 (after the header, the eighth value's first row): 1.234,5 from the en source.
    assert [(p.row_number, p.reason) for p in report.problems] == [
        (23, "'1.234,5' is not a well-formed number")
    ]
    with workspace.reading() as session:
        items = session.exec(select(Item).order_by(col(Item.id))).all()
    read = {(i.value_text, i.locator.split()[0]): i.value_number for i in items}
    for value, (point, comma) in CASES.items():
        if point is not None:
            assert read[(value, "point")] == point, value
        assert read[(value, "comma")] == comma, value
        assert read[(value, "source")] == comma, value
