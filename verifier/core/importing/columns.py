"""The import file's columns: which are required, and how other headers map onto them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from verifier.core.errors import InputFileError
from verifier.core.importing.limits import quoted
from verifier.core.wording import agree

REQUIRED = (
    "city",
    "indicator",
    "value",
    "unit",
    "year",
    "source",
    "locator",
    "snippet",
    "extractor",
)
OPTIONAL = ("country", "language", "source_url", "extracted_at")
KNOWN = REQUIRED + OPTIONAL


def _fold(header: str) -> str:
    return "_".join(header.strip().lstrip("\ufeff").casefold().replace("-", " ").split())


@dataclass(frozen=True)
class ColumnMap:
    """For each documented column, the header that holds it in this file."""

    source_headers: dict[str, str]
    ignored: tuple[str, ...]

    def as_dict(self) -> dict[str, str]:
        return dict(self.source_headers)


def parse_mapping(pairs: list[str]) -> dict[str, str]:
    """``["Ville=city", "المدينة=city"]`` -> {"Ville": "city", ...}, checked against KNOWN."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        header, sep, column = pair.rpartition("=")
        column = _fold(column)
        if not sep or not header.strip():
            raise InputFileError(f"--map '{pair}': write it as HEADER=COLUMN")
        if column not in KNOWN:
            raise InputFileError(f"--map '{pair}': '{column}' is not a column ({', '.join(KNOWN)})")
        mapping[header.strip()] = column
    return mapping


def resolve_columns(
    path: Path, header: list[str], mapping: Mapping[str, str], *, header_row: int | None = 1
) -> ColumnMap:
    """Match the file's header to the documented columns, or say exactly what is missing.

    Two headers that name the same column (``city`` and ``City``, or a header mapped onto
    a column the file also has) are refused: which one holds the data is anyone's guess.
    ``header_row`` is None for JSONL, whose "header" is every key of every line.
    """
    where = f"{path}:{header_row}:" if header_row is not None else f"{path}:"
    folded_mapping = {_fold(h): c for h, c in mapping.items()}
    found: dict[str, str] = {}
    first_position: dict[str, int] = {}
    ignored: list[str] = []
    for position, original in enumerate(header, start=1):
        if not original.strip():
            continue
        column = folded_mapping.get(_fold(original)) or _fold(original)
        if column in first_position:
            _refuse_duplicate(where, header, column, first_position[column], position, header_row)
        first_position[column] = position
        if column in KNOWN:
            found[column] = original
        else:
            ignored.append(original)
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        raise InputFileError(
            f"{where} missing required {agree(len(missing), 'column')} {', '.join(missing)}; "
            f"the header has: {_named(header)}. "
            "Map other headers with --map HEADER=COLUMN."
        )
    return ColumnMap(found, tuple(ignored))


def _refuse_duplicate(
    where: str, header: list[str], column: str, first: int, second: int, header_row: int | None
) -> None:
    one, other = header[first - 1], header[second - 1]
    if header_row is None:
        found = f"the keys {quoted(one)} and {quoted(other)} both give column {quoted(column)}"
    else:
        same = "twice" if one == other else f"as {quoted(one)} and {quoted(other)}"
        found = f"column {quoted(column)} appears {same} (header columns {first} and {second})"
    raise InputFileError(
        f"{where} {found}; which one holds the data cannot be told. Rename or remove one of "
        "them. Nothing was imported."
    )


HEADERS_NAMED = 20


def _named(header: list[str]) -> str:
    named = [quoted(h) for h in header if h]
    if not named:
        return "(nothing)"
    more = len(named) - HEADERS_NAMED
    return ", ".join(named[:HEADERS_NAMED]) + (f" and {more:,} more" if more > 0 else "")
