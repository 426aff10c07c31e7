"""Shared ways commands print: tables of untrusted text, and csv/json for scripts.

Every cell of a table is laid out by ``presentation.display`` (controls and invisible marks
removed, Arabic shaped and in visual order when bidi is on, wrapped or cut in logical
order). On a terminal, a table fits the terminal's width: short columns (ids, statuses,
codes, numbers) whole, long text cut on one line (``presentation.table_fit``). When the
output is piped or redirected:

- a listing (``emit``: items, conflicts, sprints...) is written as plain tab-separated
  lines, a header first, in logical order, as other command-line tools do: one line per
  row, whole values, ready for ``grep``, ``cut`` or a spreadsheet;
- a summary table (``status``, ``score``) stays a table, without a frame, one line per row,
  long cells cut at their logical end (a number is never cut off), within 80 columns.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, TextIO

from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from verifier.core.errors import VerifierError
from verifier.core.safe_output import (
    Memo,
    csv_row,
    json_text,
    json_value,
    neutralise_formula,
    terminal_line,
    write_csv_rows,
)
from verifier.presentation.bidilayout import width_of
from verifier.presentation.display import BidiText, shown, shown_message
from verifier.presentation.table_fit import FittedTable


class OutputFormat(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


NUMERIC = ("#", "count")


class Count(int):
    """A count, shown in tables with thousands separators like every count the tool says
    (``3,013 items``); ids, years and row numbers stay plain ints. CSV and JSON keep the
    bare number."""


def _numeric(name: str) -> bool:
    """Right-aligned by its name, whatever its cells. Not "id": a numbered id is a number
    already, and a city's id is a slug, left-aligned as codes and keys are."""
    return name.endswith(NUMERIC) or name in {"row", "score", "item"}


def table(
    title: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    bidi: bool = True,
    compact: bool = False,
    keep: Sequence[str] = (),
    whole: Sequence[str] = (),
    width: int = 80,
) -> Table:
    """A rich table whose cells are all laid out plain text: data is never read as markup.

    On a terminal its columns are fitted to the terminal's width where it is drawn
    (``presentation.table_fit``): short columns whole, long text cut on one line, those
    named in ``whole`` wrapped, those named in ``keep`` (ids, hashes, keys, file names: what
    a user copies) never cut or wrapped. ``compact``: one line per row, no frame, within
    ``width`` cells (for output that is not a terminal); the widest columns are cut first,
    those named in ``keep`` never."""
    grid = [list(row) for row in rows]
    numeric = [_all_numbers(grid, index) for index in range(len(columns))]
    title = shown_message(title, bidi=bidi)  # it may quote a key, a name or a search
    if compact:
        result = Table(title=Text(title), title_justify="left", show_lines=False, box=None,
                       padding=(0, 1), collapse_padding=True, pad_edge=False)  # fmt: skip
        sizes: list[int | None] = list(_compact_widths(columns, grid, keep, width))
    else:
        texts = [[_measured(row[index]) for row in grid] for index in range(len(columns))]
        result = FittedTable(title, texts, numeric, whole, keep)
        sizes = [None] * len(columns)
    for index, name in enumerate(columns):
        result.add_column(
            Text(name), justify="right" if numeric[index] or _numeric(name) else "left",
            width=sizes[index],
        )  # fmt: skip
    for row in grid:
        result.add_row(*(_cell(value, bidi, compact) for value in row))
    return result


def _all_numbers(grid: list[list[Any]], index: int) -> bool:
    """Whether a column holds numbers (blank cells aside, and at least one number)."""
    values = [row[index] for row in grid if row[index] not in (None, "")]
    return bool(values) and all(isinstance(v, int | float) for v in values)


def _measured(value: Any) -> str:
    """A cell's text as wide as it is drawn, or wider (in logical order: shaping only
    joins letters)."""
    if isinstance(value, BidiText):
        return shown(value.source.plain, bidi=False)
    if isinstance(value, Text):
        return shown(value.plain, bidi=False)
    if isinstance(value, Count | int | float) or value is None:
        return _shown_plain(value)
    return shown(str(value), bidi=False)


def _compact_widths(
    columns: Sequence[str], rows: list[list[Any]], keep: Sequence[str], width: int
) -> list[int | None]:
    """Column widths that fit ``width`` with one space between columns: the widest column
    that may be cut loses a cell at a time, down to a few cells; numbers are never cut."""
    natural = [
        max([width_of(name), *(width_of(_shown_plain(row[i])) for row in rows)])
        for i, name in enumerate(columns)
    ]
    least = [
        n if name in keep or all(isinstance(r[i], int | float) for r in rows) else min(n, 6)
        for i, (name, n) in enumerate(zip(columns, natural, strict=True))
    ]
    sizes = list(natural)
    room = width - (len(columns) - 1)
    while sum(sizes) > room:
        cuttable = [i for i in range(len(sizes)) if sizes[i] > least[i]]
        if not cuttable:
            break
        widest = max(cuttable, key=lambda i: sizes[i])
        sizes[widest] -= 1
    return list(sizes)


def plain(value: Any) -> str:
    """A value as plain text: nothing for None, a float without trailing zeros."""
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


def _shown_plain(value: Any) -> str:
    return f"{value:,}" if isinstance(value, Count) else plain(value)


def _cell(value: Any, bidi: bool, compact: bool) -> RenderableType:
    if isinstance(value, Count):
        return Text(f"{value:,}")
    if isinstance(value, BidiText):
        if compact:
            value.no_wrap, value.keep_number = True, True
        return value
    if isinstance(value, Text):
        return BidiText(value, bidi=bidi, no_wrap=compact, keep_number=compact)
    if value is None:
        return Text("")
    if isinstance(value, float):
        return Text(f"{value:g}")
    return BidiText(str(value), bidi=bidi, no_wrap=compact, keep_number=compact)


def time_cell(
    console: Console, fmt: OutputFormat, timespec: str = "seconds", *, zone: str = " UTC"
) -> Callable[[datetime], str]:
    """How a listing gives a time: as every terminal table does (``2026-10-05 14:03 UTC``,
    two words a narrow table can put on two lines; ``zone=""`` when the column's heading
    names it), ISO 8601 for scripts and pipes."""
    if fmt == OutputFormat.TABLE and console.is_terminal:
        return lambda at: f"{at:%Y-%m-%d %H:%M}{zone}"
    return lambda at: at.isoformat(timespec=timespec)


def write_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]], out: Any = None) -> None:
    write_csv_rows(out or sys.stdout, columns, rows)


def write_json(data: Any, out: Any = None) -> None:
    stream = out or sys.stdout
    stream.write(json_text(json_value(data), default=str) + "\n")


def emit(
    console: Console,
    fmt: OutputFormat,
    title: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    bidi: bool = True,
    whole: Sequence[str] = (),
    keep: Sequence[str] = (),
) -> None:
    """``rows`` in the form asked for; on a terminal, a table (``whole``: the columns
    wrapped rather than cut to fit it; ``keep``: those never cut or wrapped)."""
    if fmt == OutputFormat.CSV:
        write_csv(columns, rows)
    elif fmt == OutputFormat.JSON:
        write_json([dict(zip(columns, row, strict=True)) for row in rows])
    elif not console.is_terminal:
        write_plain(columns, rows, console.file)
    else:
        console.print(table(title, columns, rows, bidi=bidi, whole=whole, keep=keep))


def write_plain(columns: Sequence[str], rows: Iterable[Sequence[Any]], out: Any) -> None:
    """Tab-separated lines in logical order, each cell made safe for a terminal and put on
    one line, and never a formula when the lines are pasted into a spreadsheet."""
    out.write("\t".join(csv_row(columns)) + "\n")
    text = Memo(_plain_cell)  # each distinct text made safe once per listing
    for row in rows:
        out.write("\t".join([text[v] if type(v) is str else _plain_cell(v) for v in row]) + "\n")


def _plain_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float):
        return plain(value)
    return neutralise_formula(shown(str(value), bidi=False))


class OutputFileError(VerifierError):
    """An ``--output`` file cannot be written: it exists, is a link or a folder, its folder
    is missing, or the disk is full."""


FORCE_HELP = "Overwrite the --output file if it exists (a link is replaced, never followed)."


def write_output_file(path: Path, content: str | bytes, *, force: bool = False) -> None:
    """Write a command's output file whole, or not at all.

    Without ``force`` the file is created only if nothing is at that path (not even a
    dangling link). With ``force`` the content goes to a temporary file beside it that then
    replaces the path: a link there is replaced itself, the file it points to is never
    touched, and an interrupted write leaves the old file as it was. Either way a partial
    file (disk full) is removed, and every failure is one ``OutputFileError`` line."""
    check_output_file(path, force=force)
    data = content.encode("utf-8") if isinstance(content, str) else content
    shown = terminal_line(str(path))
    if force:
        _replace(path, data, shown)
    else:
        _create(path, data, shown)


def check_output_file(path: Path, *, force: bool = False) -> None:
    """Refuse early (before a long computation) an output path that could not be written."""
    shown = terminal_line(str(path))
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        status = None
    except OSError as error:
        raise OutputFileError(f"cannot write {shown}: {_reason(error)}") from error
    if status is not None:
        if stat.S_ISDIR(status.st_mode):
            raise OutputFileError(f"cannot write {shown}: it is a folder; give a file name")
        if not force:
            kind = "a symbolic link" if stat.S_ISLNK(status.st_mode) else "a file"
            raise OutputFileError(f"{shown} already exists ({kind}); add --force to replace it")
        if not stat.S_ISREG(status.st_mode) and not stat.S_ISLNK(status.st_mode):
            raise OutputFileError(f"cannot write {shown}: it is not a regular file")
    folder = path.parent
    if not folder.is_dir():
        raise OutputFileError(
            f"cannot write {shown}: folder {terminal_line(str(folder))} does not exist"
        )


def _create(path: Path, data: bytes, shown: str) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags, 0o666)
    except FileExistsError as error:  # created by someone else since the check
        raise OutputFileError(f"{shown} already exists; add --force to replace it") from error
    except OSError as error:
        raise OutputFileError(f"cannot write {shown}: {_reason(error)}") from error
    try:
        _write_all(descriptor, data)
    except OSError as error:
        path.unlink(missing_ok=True)
        raise OutputFileError(
            f"cannot write {shown}: {_reason(error)}; nothing was written"
        ) from error


def _replace(path: Path, data: bytes, shown: str) -> None:
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as error:
        raise OutputFileError(f"cannot write {shown}: {_reason(error)}") from error
    try:
        _write_all(descriptor, data)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise OutputFileError(
            f"cannot write {shown}: {_reason(error)}; the existing file was left as it was"
        ) from error
    install_output_file(Path(temporary), path, force=True)


@contextmanager
def output_file(path: Path, *, force: bool = False) -> Iterator[TextIO]:
    """A text file written while a report is made, put at ``path`` only once it is whole
    (as ``write_output_file`` would put it); if anything fails on the way it is removed and
    ``path`` is left as it was."""
    check_output_file(path, force=force)
    shown = terminal_line(str(path))
    try:
        descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as error:
        raise OutputFileError(f"cannot write {shown}: {_reason(error)}") from error
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise OutputFileError(
            f"cannot write {shown}: {_reason(error)}; nothing was written"
        ) from error
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    install_output_file(temporary, path, force=force)


def install_output_file(temporary: Path, path: Path, *, force: bool = False) -> None:
    """Put a finished file (written beside ``path``) in place, whole: without ``force``
    only if nothing is at ``path`` by then; with it, replacing a file or a link (never what
    the link points to). ``temporary`` is removed whatever happens."""
    shown = terminal_line(str(path))
    try:
        temporary.chmod(0o666 & ~_umask())
        if force:
            temporary.replace(path)
        else:
            os.link(temporary, path, follow_symlinks=False)  # fails if anything is there
    except FileExistsError as error:
        raise OutputFileError(f"{shown} already exists; add --force to replace it") from error
    except OSError as error:
        raise OutputFileError(f"cannot write {shown}: {_reason(error)}") from error
    finally:
        temporary.unlink(missing_ok=True)


def _write_all(descriptor: int, data: bytes) -> None:
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _reason(error: OSError) -> str:
    if error.errno == errno.ENOSPC:
        return "no space left on the disk"
    return terminal_line(error.strerror or str(error))
