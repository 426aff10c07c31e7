"""The import file's columns: which are required, and how other headers map onto them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from verifier.core.errors import InputFileError

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


def resolve_columns(path: Path, header: list[str], mapping: Mapping[str, str]) -> ColumnMap:
    """Match the file's header to the documented columns, or say exactly what is missing."""
    folded_mapping = {_fold(h): c for h, c in mapping.items()}
    found: dict[str, str] = {}
    ignored: list[str] = []
    for original in header:
        column = folded_mapping.get(_fold(original)) or _fold(original)
        if column in KNOWN and column not in found:
            found[column] = original
        elif original.strip():
            ignored.append(original)
    missing = [c for c in REQUIRED if c not in found]
    if missing:
        raise InputFileError(
            f"{path}:1: missing required column(s) {', '.join(missing)}; "
            f"the header has: {', '.join(h for h in header if h) or '(nothing)'}. "
            "Map other headers with --map HEADER=COLUMN."
        )
    return ColumnMap(found, tuple(ignored))
