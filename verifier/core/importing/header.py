"""Checks of a tabular file's header row: a header that breaks is refused with the file."""

from __future__ import annotations

from pathlib import Path

from verifier.core.errors import InputFileError
from verifier.core.importing.limits import ImportLimits, cell_problem


def check_header(path: Path, header: list[str], limits: ImportLimits) -> None:
    for position, name in enumerate(header, start=1):
        problem = cell_problem(f"header column {position}", name, limits)
        if problem:
            raise InputFileError(f"{path}:1: {problem}. Nothing was imported.")
