"""Shared ways commands print: tables of untrusted text, and csv/json for scripts.

Every cell of a table is laid out by ``presentation.display`` (controls and invisible marks
removed, Arabic shaped and in visual order when bidi is on, wrapped or cut in logical
order). On a terminal, long cells wrap. When the output is piped or redirected:

- a listing (``emit``: items, conflicts, sprints...) is written as plain tab-separated
  lines, a header first, in logical order, as other command-line tools do: one line per
  row, whole values, ready for ``grep``, ``cut`` or a spreadsheet;
- a summary table (``status``, ``score``) stays a table, without a frame, one line per row,
  long cells cut at their logical end (a number is never cut off), within 80 columns.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any

from rich import box
from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from verifier.core.safe_output import (
    csv_row,
    json_text,
    json_value,
    neutralise_formula,
    write_csv_rows,
)
from verifier.presentation.bidilayout import width_of
from verifier.presentation.display import BidiText, layout


class OutputFormat(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


NUMERIC = ("#", "count")


def _numeric(name: str) -> bool:
    return name.endswith(NUMERIC) or name in {"id", "row", "score", "item"}


def table(
    title: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    bidi: bool = True,
    compact: bool = False,
    keep: Sequence[str] = (),
    width: int = 80,
) -> Table:
    """A rich table whose cells are all laid out plain text: data is never read as markup.
    ``compact``: one line per row, no frame, within ``width`` cells (for output that is not
    a terminal); the widest columns are cut first, those named in ``keep`` (file names...)
    never."""
    result = Table(
        title=Text(title),
        title_justify="left",
        show_lines=False,
        box=None if compact else box.HEAVY_HEAD,
        padding=(0, 1),
        collapse_padding=compact,
        pad_edge=not compact,
    )
    grid = [list(row) for row in rows]
    sizes = _compact_widths(columns, grid, keep, width) if compact else [None] * len(columns)
    for index, name in enumerate(columns):
        values = [row[index] for row in grid if row[index] not in (None, "")]
        numbers = bool(values) and all(isinstance(v, int | float) for v in values)
        result.add_column(
            Text(name), justify="right" if numbers or _numeric(name) else "left",
            width=sizes[index],
        )  # fmt: skip
    for row in grid:
        result.add_row(*(_cell(value, bidi, compact) for value in row))
    return result


def _compact_widths(
    columns: Sequence[str], rows: list[list[Any]], keep: Sequence[str], width: int
) -> list[int | None]:
    """Column widths that fit ``width`` with one space between columns: the widest column
    that may be cut loses a cell at a time, down to a few cells; numbers are never cut."""
    natural = [
        max([width_of(name), *(width_of(_plain(row[i])) for row in rows)])
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


def _plain(value: Any) -> str:
    if value is None:
        return ""
    return f"{value:g}" if isinstance(value, float) else str(value)


def _cell(value: Any, bidi: bool, compact: bool) -> RenderableType:
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
) -> None:
    if fmt == OutputFormat.CSV:
        write_csv(columns, rows)
    elif fmt == OutputFormat.JSON:
        write_json([dict(zip(columns, row, strict=True)) for row in rows])
    elif not console.is_terminal:
        write_plain(columns, rows, console.file)
    else:
        console.print(table(title, columns, rows, bidi=bidi))


def write_plain(columns: Sequence[str], rows: Iterable[Sequence[Any]], out: Any) -> None:
    """Tab-separated lines in logical order, each cell made safe for a terminal and put on
    one line, and never a formula when the lines are pasted into a spreadsheet."""
    out.write("\t".join(csv_row(columns)) + "\n")
    for row in rows:
        out.write("\t".join(_plain_cell(value) for value in row) + "\n")


def _plain_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float):
        return _plain(value)
    return neutralise_formula(layout(str(value), bidi=False).text)
