"""Shared ways commands print: tables of untrusted text, and csv/json for scripts."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from verifier.core.safe_output import neutralise_formula
from verifier.presentation.display import BidiText, cell


class OutputFormat(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


def table(
    title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], *, bidi: bool = True
) -> Table:
    """A rich table whose cells are all plain Text: data is never read as markup."""
    result = Table(title=Text(title), title_justify="left", show_lines=False)
    for name in columns:
        numeric = name.endswith(("#", "count")) or name in {"id", "row", "score"}
        result.add_column(Text(name), justify="right" if numeric else "left", overflow="fold")
    for row in rows:
        result.add_row(
            *(value if isinstance(value, Text | BidiText) else _cell(value, bidi) for value in row)
        )
    return result


def _cell(value: Any, bidi: bool) -> Text | BidiText:
    if value is None:
        return Text("")
    if isinstance(value, float):
        return Text(f"{value:g}")
    return cell(str(value), bidi=bidi)


def write_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]], out: Any = None) -> None:
    writer = csv.writer(out or sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    return neutralise_formula(value) if isinstance(value, str) else value


def write_json(data: Any, out: Any = None) -> None:
    stream = out or sys.stdout
    json.dump(data, stream, ensure_ascii=False, indent=2, default=str)
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
        console.print(table(title, columns, rows, bidi=bidi))
