"""How much of a file an import accepts, the same for every format, and what breaks a cell.

One size limit covers every format: the bytes of a CSV or JSONL file, and the unpacked
contents of an XLSX workbook (its compressed size says nothing about what it expands to).
One field limit covers every cell and every JSON value. JSON nesting is limited so that a
hostile line is refused as a row instead of exhausting the parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_MAX_BYTES = 512 * 1024 * 1024
DEFAULT_MAX_FIELD_CHARS = 100_000
DEFAULT_MAX_JSON_DEPTH = 32

# C0 controls except tab, line feed and carriage return (legitimate inside a quoted cell),
# DEL, C1 controls, and lone surrogates (a JSON "\ud800" escape; they cannot be stored).
_BREAKING = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
QUOTED_CHARS = 60


@dataclass(frozen=True)
class ImportLimits:
    max_bytes: int = DEFAULT_MAX_BYTES
    max_field_chars: int = DEFAULT_MAX_FIELD_CHARS
    max_json_depth: int = DEFAULT_MAX_JSON_DEPTH


def has_breaking_characters(text: str) -> bool:
    """Whether anything in the text could be a control character (one fast scan of a file)."""
    return _BREAKING.search(text) is not None


def quoted(text: str, limit: int = QUOTED_CHARS) -> str:
    """A cell or header named in a message: quoted, and shortened when long."""
    if len(text) <= limit:
        return f"'{text}'"
    return f"'{text[:limit]}…' ({len(text):,} characters)"


def cell_problem(name: str, text: str, limits: ImportLimits, *, scan: bool = True) -> str:
    """Why this cell makes its row unusable, or "" when it is fine.

    ``scan=False`` skips the search for control characters (the caller knows there are none).
    """
    if len(text) > limits.max_field_chars:
        return (
            f"{quoted(name)} is {len(text):,} characters long; "
            f"the limit is {limits.max_field_chars:,} (setting import_max_field_chars)"
        )
    if scan:
        found = _BREAKING.search(text)
        if found is not None:
            character = found.group()
            kind = "an unpaired surrogate" if "\ud800" <= character <= "\udfff" else "a control"
            return (
                f"{quoted(name)} contains {kind} character (U+{ord(character):04X}) "
                f"at position {found.start() + 1}; a value never holds one"
            )
    return ""


def row_problem(cells: dict[str, str], limits: ImportLimits, *, scan: bool = True) -> str:
    """The first cell problem of a row, or ""."""
    if not scan and max(map(len, cells.values()), default=0) <= limits.max_field_chars:
        return ""  # the common case, checked without a call per cell
    for name, text in cells.items():
        problem = cell_problem(name, text, limits, scan=scan)
        if problem:
            return problem
    return ""
