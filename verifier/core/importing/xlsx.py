"""XLSX reading: the first sheet, header in row 1, cells as the text they display."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from verifier.core.errors import InputFileError
from verifier.core.importing.rawrows import RawRow, RawTable, cell_text
from verifier.core.text import clean_stored


def read_xlsx(path: Path, data: bytes) -> RawTable:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        values_book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        # A second view of the same sheet tells formulas apart from empty cells: with
        # data_only, a formula that was never calculated reads as None.
        formula_book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError) as error:
        raise InputFileError(f"{path}: not a readable XLSX workbook ({error})") from None
    try:
        values_sheet = values_book.worksheets[0]
        formula_sheet = formula_book.worksheets[0]
        value_rows = values_sheet.iter_rows()
        formula_rows = formula_sheet.iter_rows()
        header_cells = next(value_rows, None)
        next(formula_rows, None)
        if header_cells is None:
            raise InputFileError(f"{path}: the first sheet is empty")
        header = [cell_text(c.value).strip() for c in header_cells]
        while header and not header[-1]:
            header.pop()
        rows: list[RawRow] = []
        blank = 0
        pairs = zip(value_rows, formula_rows, strict=False)
        for number, (cells, formulas) in enumerate(pairs, start=2):
            texts = [_display_text(c) for c in cells]
            if not any(t.strip() for t in texts):
                blank += 1
                continue
            rows.append(_row(number, header, cells, formulas, texts))
        return RawTable("xlsx", "", header, rows, blank)
    finally:
        values_book.close()
        formula_book.close()


def _display_text(cell: Any) -> str:
    value = cell.value
    number_format = getattr(cell, "number_format", "") or ""
    if isinstance(value, int | float) and not isinstance(value, bool) and "%" in number_format:
        return cell_text(round(value * 100, 10)) + "%"
    return clean_stored(cell_text(value))


def _row(number: int, header: list[str], cells: Any, formulas: Any, texts: list[str]) -> RawRow:
    extra = [t for t in texts[len(header) :] if t.strip()]
    raw: dict[str, Any] = dict(zip(header, texts, strict=False))
    if extra:
        error = f"row has {len(header) + len(extra)} filled cells, the header has {len(header)}"
        return RawRow(number, {}, error, {"fields": texts})
    for cell, formula, text in zip(cells, formulas, texts, strict=False):
        if not text and isinstance(formula.value, str) and formula.value.startswith("="):
            where = getattr(cell, "coordinate", "?")
            error = (
                f"cell {where} holds a formula with no calculated value; "
                "save the file in a spreadsheet program first, or paste values"
            )
            return RawRow(number, {}, error, raw)
    padded = texts[: len(header)] + [""] * (len(header) - len(texts))
    return RawRow(number, dict(zip(header, padded, strict=True)), "", raw)
