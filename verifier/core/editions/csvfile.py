"""Reading the small reference CSV files, with errors that name the file and row."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from verifier.core.errors import InputFileError
from verifier.core.importing.readers import decode, read_bytes
from verifier.core.text import clean_stored
from verifier.core.wording import agree


class EditionFileError(InputFileError):
    """One or more problems in an edition folder; the message lists each as file:row: reason."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class Problems:
    """Collects every problem so the user sees them all at once, not one per attempt."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, path: Path, row: int | None, reason: str) -> None:
        where = f"{path}:{row}" if row is not None else str(path)
        self.lines.append(f"{where}: {reason}")

    def raise_if_any(self) -> None:
        if self.lines:
            raise EditionFileError(self.lines)


def read_csv_rows(
    path: Path, required: tuple[str, ...], problems: Problems
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (row number, cells) with the header as row 1. Wrong headers are reported once."""
    text, _ = decode(path, read_bytes(path))
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip().lstrip("\ufeff") for h in next(reader, [])]
    missing = [c for c in required if c not in header]
    if missing:
        problems.add(
            path,
            1,
            f"missing {agree(len(missing), 'column')} {', '.join(missing)} "
            f"(header: {', '.join(header)})",
        )
        return
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            problems.add(path, number, f"{len(values)} fields, the header has {len(header)}")
            continue
        yield number, {h: clean_stored(v).strip() for h, v in zip(header, values, strict=True)}


def parse_float(text: str, path: Path, row: int, column: str, problems: Problems) -> float | None:
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        problems.add(path, row, f"{column} '{text}' is not a number")
        return None
