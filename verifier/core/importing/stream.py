"""Rows of an import file one at a time, whatever its format, never the file whole.

``open_rows`` gives a ``RowStream``: the header, and an iterator of ``RawRow``s read from
the file as they are asked for (CSV through an incremental decoder, JSONL line by line,
XLSX through openpyxl's read-only mode). Counts (blank rows, bytes read) grow as it goes.
When the rows are exhausted the bytes read are checked against the digest the first pass
took: a file that changed in between is refused.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from verifier.core.errors import InputFileError
from verifier.core.importing.header import check_header, unnamed_columns, unnamed_problem
from verifier.core.importing.jsonl import read_line
from verifier.core.importing.limits import ImportLimits, row_problem
from verifier.core.importing.rawrows import RawRow, nfc
from verifier.core.importing.source import BLOCK, Bytes, FileFacts, FileSource
from verifier.core.importing.xlsx import open_xlsx


@dataclass
class RowStream:
    format: str
    encoding: str
    header: list[str]
    rows: Iterator[RawRow] = field(default_factory=lambda: iter(()))
    blank_rows: int = 0
    rows_read: int = 0  # rows given so far (blank ones not counted)
    bytes_read: int = 0


@contextmanager
def open_rows(source: FileSource, fmt: str, facts: FileFacts) -> Iterator[RowStream]:
    """The file's rows as a stream; the file is closed when the block ends."""
    if fmt == "xlsx":
        with open_xlsx(source) as (header, rows):
            stream = RowStream("xlsx", "", header)
            stream.rows = _counted(stream, rows)
            yield stream
        return
    with source.open() as raw:
        if fmt == "jsonl":
            stream = RowStream("jsonl", facts.encoding, _jsonl_header(source, facts))
            stream.rows = _checked(stream, raw, facts, _jsonl_rows(stream, raw, facts, source))
        else:
            stream = _csv_stream(source, raw, facts)
        yield stream


def _counted(stream: RowStream, rows: Iterator[RawRow | None]) -> Iterator[RawRow]:
    for row in rows:
        if row is None:
            stream.blank_rows += 1
            continue
        stream.rows_read += 1
        yield row


def _checked(
    stream: RowStream, raw: Bytes, facts: FileFacts, rows: Iterator[RawRow]
) -> Iterator[RawRow]:
    """Count the rows, and check at the end that the bytes were the ones inspected."""
    for row in rows:
        stream.rows_read += 1
        stream.bytes_read = raw.consumed
        yield row
    stream.bytes_read = raw.consumed
    if raw.digest.hexdigest() != facts.sha256:
        raise InputFileError(
            f"{raw.path}: the file changed while it was being imported; nothing was imported"
        )


def _text_lines(raw: Bytes, facts: FileFacts, newline: str) -> Iterator[str]:
    """Decoded lines (line ends kept), NFC, as the file is read."""
    text = io.TextIOWrapper(io.BufferedReader(raw, BLOCK), encoding=facts.encoding, newline=newline)
    try:
        for line in text:
            yield nfc(line)
    except UnicodeDecodeError:
        raise InputFileError(
            f"{raw.path}: the file changed while it was being imported; nothing was imported"
        ) from None


# JSONL -------------------------------------------------------------------------------------


def _jsonl_lines(raw: Bytes, facts: FileFacts) -> Iterator[tuple[int, str]]:
    """(line number, line without its end) for every line, blank ones included."""
    for number, line in enumerate(_text_lines(raw, facts, "\n"), start=1):
        yield number, line[:-1] if line.endswith("\n") else line


def _jsonl_header(source: FileSource, facts: FileFacts) -> list[str]:
    """Every object's keys, also those of refused lines, in order of first appearance: a
    pass of its own, since the columns are resolved before any row is validated."""
    header: dict[str, None] = {}
    with source.open() as raw:
        for number, line in _jsonl_lines(raw, facts):
            if line.strip():
                for key in read_line(number, line, source.limits, scan=facts.scan).cells:
                    header.setdefault(key, None)
    return list(header)


def _jsonl_rows(
    stream: RowStream, raw: Bytes, facts: FileFacts, source: FileSource
) -> Iterator[RawRow]:
    for number, line in _jsonl_lines(raw, facts):
        if not line.strip():
            stream.blank_rows += 1
            continue
        yield read_line(number, line, source.limits, scan=facts.scan)


# CSV ---------------------------------------------------------------------------------------


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_stream(source: FileSource, raw: Bytes, facts: FileFacts) -> RowStream:
    path, limits = source.path, source.limits
    lines = _text_lines(raw, facts, "")
    first_line = next(lines, "")
    # The field limit is ours (the same for every format): the csv module must not cut first.
    if csv.field_size_limit() < limits.max_bytes + 1:
        csv.field_size_limit(limits.max_bytes + 1)
    delimiter = _sniff_delimiter(first_line.split("\n", 1)[0])
    reader = csv.reader(itertools.chain([first_line], lines), delimiter=delimiter)
    try:
        header = [cell.strip() for cell in next(reader)]
    except StopIteration:
        raise InputFileError(f"{path}: the file is empty") from None
    except csv.Error as error:
        raise InputFileError(f"{path}:1: cannot read the header ({error})") from None
    check_header(path, header, limits)
    stream = RowStream("csv", facts.encoding, header)
    stream.rows = _checked(stream, raw, facts, _csv_rows(stream, reader, limits, facts.scan))
    return stream


def _csv_rows(
    stream: RowStream, reader: Iterator[list[str]], limits: ImportLimits, scan: bool
) -> Iterator[RawRow]:
    header = stream.header
    unnamed = unnamed_columns(header)
    number = 1  # the header was record 1
    while True:
        number += 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            line = reader.line_num  # type: ignore[attr-defined]
            yield RawRow(number, {}, f"unreadable CSV ({error})", {"line": line})
            continue
        if not any(map(str.strip, values)):
            stream.blank_rows += 1
            continue
        yield tabular_row(number, header, values, limits, scan, unnamed)


def tabular_row(
    number: int,
    header: list[str],
    values: list[str],
    limits: ImportLimits,
    scan: bool,
    unnamed: tuple[int, ...] = (),
) -> RawRow:
    if len(values) != len(header):
        error = f"row has {len(values)} fields, the header has {len(header)}"
        return RawRow(number, {}, error, {"fields": values})
    if unnamed:
        problem = unnamed_problem(values, unnamed)
        if problem:
            return RawRow(number, {}, problem, {"fields": values})
    cells = dict(zip(header, values, strict=True))
    if not scan and max(map(len, values), default=0) <= limits.max_field_chars:
        return RawRow(number, cells, "", cells)  # the common case, without a call per cell
    return RawRow(number, cells, row_problem(cells, limits, scan=scan), cells)
