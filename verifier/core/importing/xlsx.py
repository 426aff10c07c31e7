"""XLSX reading: the first sheet, header in row 1, cells as the text they display.

A workbook is a zip of XML files, and both can be hostile. Before any XML is parsed, the
sizes its members declare are checked against the import size limit (the zip reader never
unpacks more than a member declares, so this bounds memory however the archive lies).
The XML is parsed by openpyxl through defusedxml, which refuses entity declarations
(the "billion laughs"). A workbook that is damaged anywhere is refused as a whole.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from verifier.core.errors import InputFileError
from verifier.core.importing.header import check_header, unnamed_columns, unnamed_problem
from verifier.core.importing.limits import ImportLimits, row_problem
from verifier.core.importing.rawrows import RawRow, cell_text, nfc
from verifier.core.importing.source import FileSource

# The last row a worksheet can have; a sheet claiming rows past it is damaged or hostile
# (openpyxl would otherwise produce every empty row up to the one it names).
LAST_ROW = 1_048_576


@contextmanager
def open_xlsx(source: FileSource) -> Iterator[tuple[list[str], Iterator[RawRow | None]]]:
    """The first sheet's header, and its rows as they are read (None for a blank row)."""
    path, limits = source.path, source.limits
    _require_hardened_parser(path)
    with source.open_seekable() as values_file, source.open_seekable() as formulas_file:
        _check_archive(path, values_file, limits)
        with _readable(path):
            books = _open_books(path, values_file, formulas_file)
        try:
            with _readable(path):
                header, pairs = _header(path, books, limits)
            yield header, _guarded(path, _sheet_rows(path, header, pairs, limits))
        finally:
            for book in books:
                book.close()


@contextmanager
def _readable(path: Path) -> Iterator[None]:
    try:
        yield
    except InputFileError:
        raise
    except Exception as error:  # any failure inside a damaged workbook
        raise InputFileError(f"{path}: not a readable XLSX workbook ({_describe(error)})") from None


def _guarded(path: Path, rows: Iterator[RawRow | None]) -> Iterator[RawRow | None]:
    with _readable(path):
        yield from rows


def _require_hardened_parser(path: Path) -> None:
    """openpyxl parses through defusedxml only when it is importable and not switched off
    (OPENPYXL_DEFUSEDXML=False); without it, entity declarations would be expanded."""
    import openpyxl

    if not openpyxl.DEFUSEDXML:
        raise InputFileError(
            f"{path}: XLSX files are only read through defusedxml, which is not available "
            "(install the project's dependencies, and leave OPENPYXL_DEFUSEDXML unset)"
        )


def _check_archive(path: Path, data: BinaryIO, limits: ImportLimits) -> None:
    try:
        with zipfile.ZipFile(data) as archive:
            members = archive.infolist()
    except Exception as error:  # a damaged directory fails in many ways (even "version 6.4")
        raise InputFileError(f"{path}: not a readable XLSX workbook ({_describe(error)})") from None
    unpacked = sum(member.file_size for member in members)
    if unpacked > limits.max_bytes:
        raise InputFileError(
            f"{path}: the workbook unpacks to {unpacked:,} bytes; the limit is "
            f"{limits.max_bytes:,} (setting import_max_bytes). Nothing was imported."
        )
    data.seek(0)


def _describe(error: BaseException) -> str:
    from defusedxml import DefusedXmlException

    cause: BaseException | None = error
    while cause is not None:  # openpyxl wraps what the XML parser raised
        if isinstance(cause, DefusedXmlException):
            return "its XML declares entities or external references, which are refused"
        cause = cause.__cause__ or cause.__context__
    name = type(error).__name__
    text = " ".join(str(error).split())
    return f"{name}: {text}" if text else name


def _open_books(path: Path, values_file: BinaryIO, formulas_file: BinaryIO) -> tuple[Any, Any]:
    from openpyxl import load_workbook

    values_book = load_workbook(values_file, read_only=True, data_only=True)
    # A second view of the same sheet tells formulas apart from empty cells: with
    # data_only, a formula that was never calculated reads as None.
    try:
        formula_book = load_workbook(formulas_file, read_only=True, data_only=False)
    except BaseException:
        values_book.close()
        raise
    return values_book, formula_book


def _header(path: Path, books: tuple[Any, Any], limits: ImportLimits) -> tuple[list[str], Any]:
    values_book, formula_book = books
    if not values_book.worksheets:
        raise InputFileError(f"{path}: the workbook has no worksheet")
    value_rows = _rows(values_book.worksheets[0])
    formula_rows = _rows(formula_book.worksheets[0])
    header_cells = next(value_rows, None)
    next(formula_rows, None)
    if header_cells is None:
        raise InputFileError(f"{path}: the first sheet is empty")
    header = [_display_text(c).strip() for c in header_cells]
    while header and not header[-1]:
        header.pop()
    check_header(path, header, limits)
    return header, zip(value_rows, formula_rows, strict=False)


def _sheet_rows(
    path: Path, header: list[str], pairs: Any, limits: ImportLimits
) -> Iterator[RawRow | None]:
    for number, (cells, formulas) in enumerate(pairs, start=2):
        if number > LAST_ROW:
            raise InputFileError(
                f"{path}: the first sheet has rows past row {LAST_ROW:,}, the last row "
                "a worksheet can have; the workbook is damaged"
            )
        texts = [_display_text(c) for c in cells]
        if not any(t.strip() for t in texts):
            yield None
            continue
        yield _row(number, header, cells, formulas, texts, limits)


def _rows(sheet: Any) -> Iterator[Any]:
    # The dimension a sheet declares is not trusted: with it, openpyxl pads every row to
    # the declared width and yields every row up to the declared last one.
    sheet.reset_dimensions()
    return iter(sheet.iter_rows(max_row=LAST_ROW + 1))


def _display_text(cell: Any) -> str:
    value = cell.value
    number_format = getattr(cell, "number_format", "") or ""
    if isinstance(value, int | float) and not isinstance(value, bool) and "%" in number_format:
        return cell_text(round(value * 100, 10)) + "%"
    return nfc(cell_text(value))


def _row(
    number: int,
    header: list[str],
    cells: Any,
    formulas: Any,
    texts: list[str],
    limits: ImportLimits,
) -> RawRow:
    extra = [t for t in texts[len(header) :] if t.strip()]
    raw: dict[str, Any] = dict(zip(header, texts, strict=False))
    if extra:
        error = f"row has {len(header) + len(extra)} filled cells, the header has {len(header)}"
        return RawRow(number, {}, error, {"fields": texts})
    problem = unnamed_problem(texts, unnamed_columns(header))
    if problem:
        return RawRow(number, {}, problem, {"fields": texts})
    for column, (cell, formula, text) in enumerate(zip(cells, formulas, texts, strict=False)):
        if not text and isinstance(formula.value, str) and formula.value.startswith("="):
            where = getattr(cell, "coordinate", "?")
            error = (
                f"cell {where} holds a formula with no calculated value; "
                "save the file in a spreadsheet program first, or paste values"
            )
            if column < len(header):
                raw[header[column]] = nfc(formula.value)  # kept: the cell is not empty
            return RawRow(number, {}, error, raw)
    padded = texts[: len(header)] + [""] * (len(header) - len(texts))
    cells_by_header = dict(zip(header, padded, strict=True))
    return RawRow(number, cells_by_header, row_problem(cells_by_header, limits), raw)
