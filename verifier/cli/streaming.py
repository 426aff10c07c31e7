"""Long listings written as they are read: memory stays flat whatever their length.

A listing of up to ``CHUNK`` rows is written exactly as :func:`verifier.cli.output.emit`
writes it. A longer one goes out a chunk at a time: CSV, JSON (the same text ``emit``
would write) and the tab-separated lines of piped output row by row; on a terminal, a
table whose column widths are set by its first chunk, each chunk drawn as it comes.
Every cell goes through the same layout as ``emit``'s (``presentation.display``).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, islice
from typing import Any

from rich.cells import cell_len
from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from verifier.cli.output import OutputFormat, emit, write_csv, write_plain
from verifier.core.safe_output import JsonObjects
from verifier.presentation.bidilayout import Line, width_of
from verifier.presentation.display import BidiText, layout_lines

CHUNK = 1_000
NARROWEST = 6  # cells a text column keeps when the table must fit the terminal


def emit_stream(
    console: Console,
    fmt: OutputFormat,
    title: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    bidi: bool = True,
) -> int:
    """Write ``rows`` (an iterator is read once, as it goes); returns how many there were."""
    source = iter(rows)
    first = list(islice(source, CHUNK))
    if len(first) < CHUNK:
        emit(console, fmt, title, columns, first, bidi=bidi)
        return len(first)
    counter = _Counter(chain(first, source))
    if fmt == OutputFormat.CSV:
        write_csv(columns, counter)
    elif fmt == OutputFormat.JSON:
        _write_json(columns, counter, sys.stdout)
    elif not console.is_terminal:
        write_plain(columns, counter, console.file)
    else:
        return _print_table(console, title, columns, first, source, bidi)
    return counter.count


class _Counter:
    """Passes rows through, counting them."""

    def __init__(self, rows: Iterator[Sequence[Any]]) -> None:
        self.rows = rows
        self.count = 0

    def __iter__(self) -> Iterator[Sequence[Any]]:
        for row in self.rows:
            self.count += 1
            yield row


def _write_json(columns: Sequence[str], rows: Iterable[Sequence[Any]], out: Any) -> None:
    """The text ``json_text(rows as objects, indent=2)`` gives, one object at a time."""
    objects = JsonObjects(columns)
    out.write("[")
    separator = "\n"
    for row in rows:
        element = objects.text(row)
        out.write(separator + "  " + element.replace("\n", "\n  "))
        separator = ",\n"
    out.write("\n]\n" if separator != "\n" else "]\n")


def _print_table(
    console: Console,
    title: str,
    columns: Sequence[str],
    first: list[Sequence[Any]],
    rest: Iterator[Sequence[Any]],
    bidi: bool,
) -> int:
    """Returns how many rows were printed."""
    widths = _widths(columns, first, console.width)
    numeric = [
        all(isinstance(row[i], int | float) for row in first if row[i] not in (None, ""))
        for i in range(len(columns))
    ]
    chunk: list[Sequence[Any]] = first
    heading = True
    printed = 0
    # Past the first chunk, a row whose cells' lines fit their columns is written as the
    # table would draw it (no style, two spaces between columns), without the table's
    # layout work, which costs more than a millisecond a row.
    plain = sum(widths) + 2 * (len(widths) - 1) <= console.width
    while chunk:
        if heading or not plain:
            console.print(_table(title if heading else None, columns, widths, numeric, chunk,
                                 bidi))  # fmt: skip
        else:
            _print_rows(console, columns, widths, numeric, chunk, bidi)
        printed += len(chunk)
        heading = False
        chunk = list(islice(rest, CHUNK))
    return printed


def _table(
    title: str | None,
    columns: Sequence[str],
    widths: list[int],
    numeric: list[bool],
    rows: list[Sequence[Any]],
    bidi: bool,
) -> Table:
    table = Table(
        title=Text(title) if title is not None else None,
        title_justify="left",
        show_header=title is not None,
        header_style="bold",
        box=None,
        padding=(0, 1),
        pad_edge=False,
    )
    for name, width, number in zip(columns, widths, numeric, strict=True):
        table.add_column(Text(name), width=width, justify="right" if number else "left")
    for row in rows:
        table.add_row(*(_cell(value, bidi) for value in row))
    return table


def _print_rows(
    console: Console,
    columns: Sequence[str],
    widths: list[int],
    numeric: list[bool],
    rows: list[Sequence[Any]],
    bidi: bool,
) -> None:
    """Rows of a table already begun: each simple row as one line of text, the others
    (a cell wrapped or cut) drawn by a table of the same columns."""
    lines: list[str] = []
    drawn: list[Sequence[Any]] = []
    for row in rows:
        line = _line(console, row, widths, numeric, bidi)
        if line is not None and drawn:
            console.print(_table(None, columns, widths, numeric, drawn, bidi))
            drawn = []
        if line is None:
            if lines:
                console.file.write("".join(lines))
                lines = []
            drawn.append(row)
        else:
            lines.append(line)
    if drawn:
        console.print(_table(None, columns, widths, numeric, drawn, bidi))
    if lines:
        console.file.write("".join(lines))


def _line(
    console: Console, row: Sequence[Any], widths: list[int], numeric: list[bool], bidi: bool
) -> str | None:
    """A row as the table draws it (its cells' lines side by side, a short cell filled
    with blanks) when every line fits its column; else None."""
    cells: list[list[str]] = []
    for value, width, number in zip(row, widths, numeric, strict=True):
        if value is None or isinstance(value, float):
            laid = [(_plain(value), number)]
        else:
            lines = layout_lines(str(value), width, bidi=bidi) or [Line("", (), False)]
            laid = [(line.text, number or (bidi and line.rtl)) for line in lines]
        cell = []
        for text, right in laid:
            gap = width - cell_len(text)  # as the table pads it
            if gap >= 0:
                cell.append(" " * gap + text if right else text + " " * gap)
                continue
            # Wider than its column (a number past the first chunk's widths): cut as
            # the table's column cuts it.
            cut = Text(text).wrap(console, width, justify="right" if right else "left",
                                  overflow="ellipsis")  # fmt: skip
            for piece in cut:
                if cell_len(piece.plain) != width:
                    return None
                cell.append(piece.plain)
        cells.append(cell)
    height = max(len(cell) for cell in cells)
    for cell, width in zip(cells, widths, strict=True):
        cell.extend([" " * width] * (height - len(cell)))
    return "".join("  ".join(parts) + "\n" for parts in zip(*cells, strict=True))


def _widths(columns: Sequence[str], rows: list[Sequence[Any]], total: int) -> list[int]:
    """Natural widths from the first rows, the widest text column narrowed until the
    table fits ``total`` cells (two between columns); numbers are never narrowed."""
    sizes = [
        max([width_of(name), *(width_of(_plain(row[i])) for row in rows)])
        for i, name in enumerate(columns)
    ]
    least = [
        size if all(isinstance(row[i], int | float) for row in rows) else min(size, NARROWEST)
        for i, size in enumerate(sizes)
    ]
    room = total - 2 * (len(columns) - 1)
    while sum(sizes) > room:
        cuttable = [i for i in range(len(sizes)) if sizes[i] > least[i]]
        if not cuttable:
            break
        sizes[max(cuttable, key=lambda i: sizes[i])] -= 1
    return sizes


def _plain(value: Any) -> str:
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


def _cell(value: Any, bidi: bool) -> RenderableType:
    if value is None:
        return Text("")
    if isinstance(value, float):
        return Text(f"{value:g}")
    return BidiText(str(value), bidi=bidi)
