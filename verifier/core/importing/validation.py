"""Validating every row, on both cores for large files.

Validation is pure Python and dominates import time, so rows of a large file are split
between forked worker processes (which inherit the rows and the reference data instead of
receiving them) and the outcomes come back in file order.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from typing import Any

from verifier.core.importing.readers import RawRow
from verifier.core.importing.rows import FIELDS, RowError, RowValidator

PARALLEL_FROM_ROWS = 20_000
CHUNK_ROWS = 5_000

# (row index, values as a tuple in FIELDS order) or (row index, reason)
Outcome = tuple[int, tuple[Any, ...] | str]

_shared: tuple[list[RawRow], RowValidator] | None = None


def validate_all(
    rows: list[RawRow], validator: RowValidator, progress: Callable[[int], None] | None = None
) -> Iterator[tuple[RawRow, dict[str, Any] | None, str]]:
    """Yield (row, values or None, reason) for every row, in file order."""
    chunks = [
        (start, min(start + CHUNK_ROWS, len(rows))) for start in range(0, len(rows), CHUNK_ROWS)
    ]
    done = 0
    for outcomes in _outcomes(rows, validator, chunks):
        for index, result in outcomes:
            if isinstance(result, str):
                yield rows[index], None, result
            else:
                yield rows[index], dict(zip(FIELDS, result, strict=True)), ""
        done += len(outcomes)
        if progress is not None:
            progress(done)


def _outcomes(
    rows: list[RawRow], validator: RowValidator, chunks: list[tuple[int, int]]
) -> Iterator[list[Outcome]]:
    global _shared
    workers = min(os.cpu_count() or 1, 4)
    if (
        len(rows) < PARALLEL_FROM_ROWS
        or workers < 2
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        _shared = (rows, validator)
        try:
            yield from map(_validate_chunk, chunks)
        finally:
            _shared = None
        return
    _shared = (rows, validator)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield from pool.imap(_validate_chunk, chunks)
    finally:
        _shared = None


def _validate_chunk(bounds: tuple[int, int]) -> list[Outcome]:
    assert _shared is not None, "set before the pool forks"
    rows, validator = _shared
    outcomes: list[Outcome] = []
    for index in range(*bounds):
        try:
            values = validator.validate(rows[index])
        except RowError as error:
            outcomes.append((index, str(error)))
        else:
            outcomes.append((index, tuple(values[name] for name in FIELDS)))
    return outcomes
