"""The rows a reader yields, whatever the file's format, and how a cell becomes text."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass
class RawRow:
    number: int  # header is row 1 in tabular files; line number in JSONL
    cells: dict[str, str]
    error: str = ""  # set when the row is structurally broken
    raw: dict[str, Any] = field(default_factory=dict)
    # JSONL keys whose value is an object or an array (their cell is its JSON text).
    structured: tuple[str, ...] = ()

    def __reduce__(self) -> tuple[type[RawRow], tuple[Any, ...]]:
        # Rows are sent to the validation workers in chunks: rebuilt from their fields,
        # they unpickle in about half the time of a dataclass's default state.
        return RawRow, (self.number, self.cells, self.error, self.raw, self.structured)


@dataclass
class RawTable:
    format: str
    encoding: str
    header: list[str]
    rows: list[RawRow]
    blank_rows: int = 0


def cell_text(value: Any) -> str:
    """A cell as text, the way a person would have typed it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def nfc(text: str) -> str:
    """Stored text is NFC. Nothing else is changed: control characters are left for the
    checks that refuse their rows."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)
