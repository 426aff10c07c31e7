"""Text of workbooks and CSV files, sheet by sheet and cell by cell.

Every non-empty cell is kept with its row and column (1-based), as the text the sheet
shows: a percentage formatted cell holding 0.882 reads ``88.2%``; a formula reads as its
last calculated value (none if it was never calculated). A sheet's text is its rows, one
line each, cells separated by tabs, so that a search finds a value and a reader sees rows.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from datetime import date, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

from verifier.core.evidence.extracted import (
    SHEET,
    Cell,
    Extraction,
    ExtractionFailure,
    Finished,
    Unit,
    decode_text,
)
from verifier.core.text import clean_stored

DEFAULT_MAX_CELLS = 2_000_000


def cell_text(value: Any) -> str:
    """A cell's value as a person would have typed it: 25 rather than 25.0, dates ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


# The decimals a number format shows: "0.0" one, "#,##0.00" two, "0%" none.
_DECIMALS = re.compile(r"0\.(0+)")


def _shown(value: Any, number_format: str) -> str:
    """A cell as the sheet shows it: a number with its format's decimals and percent sign
    (0.882 as ``88.2%`` under ``0.0%``, 49 as ``49.0`` under ``0.0``); the rest as typed.
    Thousands separators are left out: a number is clearer without them."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        section = number_format.split(";")[0]
        percent = "%" in section
        number = value * 100 if percent else value
        decimals = _DECIMALS.search(section)
        if decimals is not None and not any(c in section for c in "yYmdhs@"):
            text = f"{number:.{len(decimals[1])}f}"
        elif isinstance(number, float) and not number.is_integer():
            text = f"{number:.15g}"  # as a spreadsheet shows General: 15 significant digits
        else:
            text = cell_text(number)
        return text + ("%" if percent else "")
    return clean_stored(cell_text(value)).strip()


class _Sheet:
    """Collects one sheet's cells and lines, counting against the document's cell limit."""

    def __init__(self, number: int, budget: list[int], max_cells: int) -> None:
        self.number, self.budget, self.max_cells = number, budget, max_cells
        self.lines: list[str] = []
        self.rows = self.columns = 0

    def row(self, row: int, texts: Iterable[str]) -> Iterable[Cell]:
        values = list(texts)
        while values and not values[-1]:
            values.pop()
        if not values:
            self.lines.append("")
            return []
        self.lines.append("\t".join(values))
        self.rows, self.columns = row, max(self.columns, len(values))
        cells = [Cell(self.number, row, col, v) for col, v in enumerate(values, 1) if v]
        self.budget[0] += len(cells)
        if self.budget[0] > self.max_cells:
            raise ExtractionFailure(
                f"more than {self.max_cells:,} filled cells; the limit for a stored workbook"
            )
        return cells

    def unit(self, name: str) -> Unit:
        text = "\n".join(self.lines[: self.rows])
        return Unit(
            self.number, SHEET, text, name=name, has_text=bool(text.strip()),
            rows=self.rows, columns=self.columns,
        )  # fmt: skip


def extract_xlsx(path: Path, max_cells: int = DEFAULT_MAX_CELLS) -> Extraction:
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError) as error:
        raise ExtractionFailure(f"not a readable XLSX workbook ({error})") from None
    budget = [0]
    try:
        for number, sheet in enumerate(book.worksheets, start=1):
            collected = _Sheet(number, budget, max_cells)
            rows = sheet.iter_rows(min_row=1, min_col=1)
            for row_number, cells in enumerate(rows, start=1):
                texts = [_shown(c.value, getattr(c, "number_format", "") or "") for c in cells]
                yield from collected.row(row_number, texts)
            yield collected.unit(clean_stored(sheet.title))
    except ExtractionFailure:
        raise
    except Exception as error:  # a damaged part of the zip met while streaming rows
        raise ExtractionFailure(f"the workbook is damaged ({type(error).__name__})") from None
    finally:
        book.close()
    yield Finished(f"openpyxl {version('openpyxl')}")


def extract_csv(path: Path, name: str = "", max_cells: int = DEFAULT_MAX_CELLS) -> Extraction:
    text, encoding = decode_text(path.read_bytes())
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", "\t", ";")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    collected = _Sheet(1, [0], max_cells)
    row_number = 0
    try:
        for row_number, values in enumerate(reader, start=1):
            yield from collected.row(row_number, [clean_stored(v).strip() for v in values])
    except csv.Error as error:
        raise ExtractionFailure(f"line {row_number + 1} is not valid CSV ({error})") from None
    yield collected.unit(name)
    yield Finished(f"csv ({encoding})")
