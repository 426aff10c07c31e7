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
from typing import Any, NamedTuple

from rich.cells import cell_len
from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from verifier.cli.output import OutputFormat, emit, plain, write_csv, write_plain
from verifier.core.safe_output import JsonObjects
from verifier.presentation.bidilayout import Line
from verifier.presentation.display import BidiText, layout, layout_lines, shown_message
from verifier.presentation.table_fit import Mode, fit_columns

CHUNK = 1_000


def emit_stream(
    console: Console,
    fmt: OutputFormat,
    title: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    bidi: bool = True,
    whole: Sequence[str] = (),
    keep: Sequence[str] = (),
) -> int:
    """Write ``rows`` (an iterator is read once, as it goes); returns how many there were.
    ``whole``: the columns a terminal table wraps rather than cuts; ``keep``: those it
    never cuts or wraps."""
    source = iter(rows)
    first = list(islice(source, CHUNK))
    if len(first) < CHUNK:
        emit(console, fmt, title, columns, first, bidi=bidi, whole=whole, keep=keep)
        return len(first)
    counter = _Counter(chain(first, source))
    if fmt == OutputFormat.CSV:
        write_csv(columns, counter)
    elif fmt == OutputFormat.JSON:
        _write_json(columns, counter, sys.stdout)
    elif not console.is_terminal:
        write_plain(columns, counter, console.file)
    else:
        return _print_table(console, title, columns, first, source, bidi, whole, keep)
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
    whole: Sequence[str],
    keep: Sequence[str],
) -> int:
    """Returns how many rows were printed. Column widths are fitted to the terminal from
    the first rows (``presentation.table_fit``, two cells between columns)."""
    numeric = [
        all(isinstance(row[i], int | float) for row in first if row[i] not in (None, ""))
        for i in range(len(columns))
    ]
    texts = [[plain(row[i]) for row in first] for i in range(len(columns))]
    room = console.width - 2 * (len(columns) - 1)
    fit = fit_columns(columns, texts, numeric, room, whole, keep)
    widths, modes = fit.widths, fit.modes
    chunk: list[Sequence[Any]] = first
    heading = True
    printed = 0
    # Past the first chunk, a row whose cells' lines fit their columns is written as the
    # table would draw it (no style, two spaces between columns), without the table's
    # layout work, which costs more than a millisecond a row.
    as_text = sum(widths) + 2 * (len(widths) - 1) <= console.width
    shape = _Shape(columns, widths, modes, numeric)
    while chunk:
        if heading or not as_text:
            console.print(_table(title if heading else None, shape, chunk, bidi))
        else:
            _print_rows(console, shape, chunk, bidi)
        printed += len(chunk)
        heading = False
        chunk = list(islice(rest, CHUNK))
    return printed


class _Shape(NamedTuple):
    """The columns of a streamed table, as fitted from its first rows."""

    columns: Sequence[str]
    widths: list[int]
    modes: list[Mode]
    numeric: list[bool]


def _table(title: str | None, shape: _Shape, rows: list[Sequence[Any]], bidi: bool) -> Table:
    table = Table(
        title=Text(shown_message(title, bidi=bidi)) if title is not None else None,
        title_justify="left",
        show_header=title is not None,
        header_style="bold",
        box=None,
        padding=(0, 1),
        pad_edge=False,
    )
    for name, width, number in zip(shape.columns, shape.widths, shape.numeric, strict=True):
        table.add_column(Text(name), width=width, justify="right" if number else "left")
    for row in rows:
        cells = zip(row, shape.modes, strict=True)
        table.add_row(*(_cell(value, mode, bidi) for value, mode in cells))
    return table


def _print_rows(console: Console, shape: _Shape, rows: list[Sequence[Any]], bidi: bool) -> None:
    """Rows of a table already begun: each simple row as one line of text, the others
    (a cell wrapped or cut) drawn by a table of the same columns."""
    lines: list[str] = []
    drawn: list[Sequence[Any]] = []
    for row in rows:
        line = _line(console, row, shape, bidi)
        if line is not None and drawn:
            console.print(_table(None, shape, drawn, bidi))
            drawn = []
        if line is None:
            if lines:
                console.file.write("".join(lines))
                lines = []
            drawn.append(row)
        else:
            lines.append(line)
    if drawn:
        console.print(_table(None, shape, drawn, bidi))
    if lines:
        console.file.write("".join(lines))


def _line(console: Console, row: Sequence[Any], shape: _Shape, bidi: bool) -> str | None:
    """A row as the table draws it (its cells' lines side by side, a short cell filled
    with blanks) when every line fits its column; else None."""
    cells: list[list[str]] = []
    for value, width, mode, number in zip(row, *shape[1:], strict=True):
        if value is None or isinstance(value, float):
            laid = [(plain(value), number)]
        elif mode == Mode.WRAP:
            lines = layout_lines(str(value), width, bidi=bidi) or [Line("", (), False)]
            laid = [(line.text, number or (bidi and line.rtl)) for line in lines]
        else:  # one line, cut with an ellipsis if wider than its column
            line = layout(str(value), bidi=bidi, width=width)
            laid = [(line.text, number or (bidi and line.rtl))]
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
    for cell, width in zip(cells, shape.widths, strict=True):
        cell.extend([" " * width] * (height - len(cell)))
    return "".join("  ".join(parts) + "\n" for parts in zip(*cells, strict=True))


def _cell(value: Any, mode: Mode, bidi: bool) -> RenderableType:
    if value is None:
        return Text("")
    if isinstance(value, float):
        return Text(f"{value:g}")
    return BidiText(str(value), bidi=bidi, no_wrap=mode != Mode.WRAP)
