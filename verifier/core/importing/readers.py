"""The import file's format, and whole-file reading for small files (edition tables, tests).

Imports read rows one at a time (``stream.py``); ``read_table`` gathers them for callers
that want a table. A row is the row's number in the file and its cells as text, or the
reason the row could not be read at all. Only a file that cannot be opened raises.
"""

from __future__ import annotations

import codecs
import re
import stat
from pathlib import Path

from verifier.core.errors import InputFileError
from verifier.core.importing.limits import ImportLimits
from verifier.core.importing.rawrows import RawTable
from verifier.core.importing.source import FileSource, check_size, inspect_file
from verifier.core.importing.stream import open_rows

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


def read_table(
    path: Path,
    data: bytes,
    fmt: str,
    encoding: str | None = None,
    limits: ImportLimits = ImportLimits(),
) -> RawTable:
    """Every row of ``data`` at once (small files and tests); imports use ``open_rows``."""
    source = FileSource(path, limits, data)
    facts = inspect_file(path, source, fmt, encoding)
    with open_rows(source, fmt, facts) as stream:
        rows = list(stream.rows)
        return RawTable(stream.format, stream.encoding, stream.header, rows, stream.blank_rows)


def read_bytes(path: Path, limits: ImportLimits | None = None) -> bytes:
    """The file's bytes; only a regular file within the size limit is read."""
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            raise InputFileError(f"{path}: not a regular file")
        if limits is None:
            return path.read_bytes()
        check_size(path, status.st_size, limits)
        with path.open("rb") as file:
            data = file.read(limits.max_bytes + 1)  # never more, even if the file grew
        check_size(path, len(data), limits)
        return data
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file") from None
    except OSError as error:
        raise InputFileError(f"{path}: cannot read ({error.strerror})") from None


def decode(path: Path, data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode the whole file in one encoding: by BOM, else UTF-8, else Windows-1256.

    Decoding is strict. A file that is UTF-8 except for some lines is refused with those
    lines named: reading it all as Windows-1256 (which decodes any bytes) would store the
    UTF-8 text as mojibake. Windows-1256 is only chosen when nothing in the file is UTF-8.
    """
    if encoding:
        if codecs.lookup(_known_encoding(path, encoding)).name == "utf-8":
            return _strict_utf8(path, data, encoding), encoding
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as error:
            line = _line_of_byte(data, error.start, encoding)
            raise InputFileError(
                f"{path}: line {line} is not valid {encoding} ({error.reason}); nothing was "
                "imported. Pass the file's real encoding with --encoding."
            ) from None
    if data.startswith(codecs.BOM_UTF8):
        return _strict_utf8(path, data[len(codecs.BOM_UTF8) :], "utf-8"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            line = _line_of_byte(data, error.start, "utf-16")
            raise InputFileError(
                f"{path}: line {line} is not valid UTF-16 ({error.reason}); nothing was imported"
            ) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    escaped = data.decode("utf-8", errors="surrogateescape")
    if _UTF8_TEXT.search(escaped) is not None:
        _refuse_broken_utf8(path, escaped, "utf-8")
    return data.decode(ENCODING_FALLBACK), ENCODING_FALLBACK


# Two or more non-ASCII characters in a row that decoded as UTF-8: Windows-1256 text
# essentially never forms them by accident, so the file is UTF-8.
_UTF8_TEXT = re.compile("[^\x00-\x7f\udc80-\udcff]{2,}")
_UNDECODED = re.compile("[\udc80-\udcff]")
LINES_NAMED = 10


def _known_encoding(path: Path, encoding: str) -> str:
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputFileError(f"{path}: unknown encoding '{encoding}'") from None
    return encoding


def _strict_utf8(path: Path, data: bytes, encoding: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        _refuse_broken_utf8(path, data.decode("utf-8", errors="surrogateescape"), encoding)
        raise  # unreachable: the line above raises


def _refuse_broken_utf8(path: Path, escaped: str, encoding: str) -> None:
    lines = [n for n, line in enumerate(escaped.split("\n"), 1) if _UNDECODED.search(line)]
    named = ", ".join(str(n) for n in lines[:LINES_NAMED])
    more = f" and {len(lines) - LINES_NAMED:,} more" if len(lines) > LINES_NAMED else ""
    which = "line" if len(lines) == 1 else "lines"
    raise InputFileError(
        f"{path}: the file is {encoding.upper()} except {which} {named}{more}, which "
        f"{'is' if len(lines) == 1 else 'are'} not; nothing was imported. Save the file "
        "again as UTF-8, or give its one real encoding with --encoding."
    )


def _line_of_byte(data: bytes, offset: int, encoding: str) -> int:
    return data[:offset].decode(encoding, errors="replace").count("\n") + 1
