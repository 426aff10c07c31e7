"""Shared ways commands print: tables of untrusted text, and csv/json for scripts.

Every cell of a table is laid out by ``presentation.display`` (controls and invisible marks
removed, Arabic shaped and in visual order when bidi is on, wrapped or cut in logical
order). On a terminal, long cells wrap; when the output is piped or redirected, each row
stays on one line and long cells are cut at their logical end (a number is never cut off),
so the listing reads well at 80 columns and line by line in ``grep``. For complete data,
``--format csv`` or ``json``.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any

from rich import box
from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

from verifier.core.safe_output import csv_cell, json_value
from verifier.presentation.display import BidiText


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
) -> Table:
    """A rich table whose cells are all laid out plain text: data is never read as markup.
    ``compact``: one line per row, no frame (for output that is not a terminal); the
    columns named in ``keep`` (file names...) are then the last to be cut."""
    result = Table(
        title=Text(title),
        title_justify="left",
        show_lines=False,
        box=box.SIMPLE_HEAD if compact else box.HEAVY_HEAD,
        pad_edge=not compact,
        show_edge=not compact,
    )
    rows = [list(row) for row in rows]
    for index, name in enumerate(columns):
        values = [row[index] for row in rows if row[index] not in (None, "")]
        numbers = bool(values) and all(isinstance(v, int | float) for v in values)
        # Cells cut themselves (at their logical end) when compact: the column itself may
        # shrink, the widest first, but never below a few characters.
        widest = max((len(str(v)) for v in values), default=0)
        result.add_column(
            Text(name),
            justify="right" if numbers or _numeric(name) else "left",
            min_width=min(widest, 40) if name in keep else None,
        )
    for row in rows:
        result.add_row(*(_cell(value, bidi, compact) for value in row))
    return result


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
    writer = csv.writer(out or sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])


def write_json(data: Any, out: Any = None) -> None:
    stream = out or sys.stdout
    json.dump(json_value(data), stream, ensure_ascii=False, indent=2, default=str)
    stream.write("\n")


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
    else:
        compact = not console.is_terminal
        console.print(table(title, columns, rows, bidi=bidi, compact=compact))
