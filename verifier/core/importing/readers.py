"""Read CSV (any of the encodings spreadsheets produce), XLSX and JSONL into raw rows.

A reader yields ``RawRow``s: the row's number in the file and its cells as text, or the
reason the row could not be read at all. Only a file that cannot be opened raises.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from pathlib import Path

from verifier.core.errors import InputFileError
from verifier.core.importing.rawrows import RawRow, RawTable, cell_text
from verifier.core.importing.xlsx import read_xlsx
from verifier.core.text import clean_stored

FORMATS = ("csv", "xlsx", "jsonl")
ENCODING_FALLBACK = "cp1256"


def detect_format(path: Path, explicit: str | None = None) -> str:
    if explicit:
        if explicit not in FORMATS:
            raise InputFileError(f"{path}: unknown format '{explicit}' (use one of {FORMATS})")
        return explicit
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix in (".csv", ".tsv", ".txt", ".tab"):
        return "csv"
    raise InputFileError(
        f"{path}: cannot tell the format from '{suffix}'; pass --format csv|xlsx|jsonl"
    )


def read_table(path: Path, data: bytes, fmt: str, encoding: str | None = None) -> RawTable:
    if fmt == "xlsx":
        return read_xlsx(path, data)
    text, used = decode(path, data, encoding)
    # Stored text is NFC without NUL; doing it once for the whole file is far cheaper than
    # per cell. NUL is never data, and PostgreSQL cannot store it.
    text = clean_stored(text)
    if fmt == "jsonl":
        return _read_jsonl(text, used)
    return _read_delimited(path, text, used)


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file") from None
    except OSError as error:
        raise InputFileError(f"{path}: cannot read ({error.strerror})") from None


def decode(path: Path, data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode by BOM, then strict UTF-8, then Windows-1256.

    Windows-1256 decodes any byte string, so it is only ever the last resort.
    """
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as error:
            raise InputFileError(f"{path}: cannot decode as {encoding}: {error}") from None
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise InputFileError(f"{path}: broken UTF-16 ({error.reason})") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode(ENCODING_FALLBACK), ENCODING_FALLBACK


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_delimited(path: Path, text: str, encoding: str) -> RawTable:
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(first_line))
    try:
        header = [cell.strip() for cell in next(reader)]
    except StopIteration:
        raise InputFileError(f"{path}: the file is empty") from None
    except csv.Error as error:
        raise InputFileError(f"{path}:1: cannot read the header ({error})") from None
    rows: list[RawRow] = []
    blank = 0
    number = 1  # the header was record 1
    while True:
        number += 1
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            rows.append(RawRow(number, {}, f"unreadable CSV ({error})", {"line": reader.line_num}))
            continue
        if not any(value.strip() for value in values):
            blank += 1
            continue
        rows.append(_tabular_row(number, header, values))
    return RawTable("csv", encoding, header, rows, blank)


def _tabular_row(number: int, header: list[str], values: list[str]) -> RawRow:
    if len(values) != len(header):
        error = f"row has {len(values)} fields, the header has {len(header)}"
        return RawRow(number, {}, error, {"fields": values})
    cells = dict(zip(header, values, strict=True))
    return RawRow(number, cells, "", cells)


def _read_jsonl(text: str, encoding: str) -> RawTable:
    header: dict[str, None] = {}
    rows: list[RawRow] = []
    blank = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            blank += 1
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            rows.append(RawRow(number, {}, f"invalid JSON ({error.msg})", {"line": line}))
            continue
        if not isinstance(record, dict):
            error_text = f"a line must be a JSON object, got {type(record).__name__}"
            rows.append(RawRow(number, {}, error_text, {"line": line}))
            continue
        for key in record:
            header.setdefault(str(key), None)
        cells = {str(k): clean_stored(cell_text(v)) for k, v in record.items()}
        rows.append(RawRow(number, cells, "", record))
    return RawTable("jsonl", encoding, list(header), rows, blank)
