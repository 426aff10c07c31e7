"""Checks of a tabular file's header row: a header that breaks is refused with the file."""

from __future__ import annotations

from pathlib import Path

from verifier.core.errors import InputFileError
from verifier.core.importing.limits import ImportLimits, cell_problem, quoted


def check_header(path: Path, header: list[str], limits: ImportLimits) -> None:
    for position, name in enumerate(header, start=1):
        problem = cell_problem(f"header column {position}", name, limits)
        if problem:
            raise InputFileError(f"{path}:1: {problem}. Nothing was imported.")


def unnamed_columns(header: list[str]) -> tuple[int, ...]:
    """Positions (from 0) of the header cells that are blank."""
    return tuple(index for index, name in enumerate(header) if not name.strip())


def unnamed_problem(values: list[str], unnamed: tuple[int, ...]) -> str:
    """A value under a blank header belongs to no column: the row is refused, not trimmed."""
    for index in unnamed:
        if index < len(values) and values[index].strip():
            return (
                f"column {index + 1} has no header but holds {quoted(values[index])}; "
                "name the column or empty the cell"
            )
    return ""
