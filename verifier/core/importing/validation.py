"""Validating every row, on every core for large files.

Validation is pure Python and dominates import time, so the rows of a large file are
validated in chunks by forked worker processes (``core/parallel.py``), which inherit the
rows and the reference data; the outcomes come back in file order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from verifier.core import parallel
from verifier.core.importing.rawrows import RawRow
from verifier.core.importing.rows import FIELDS, RowError, RowValidator

PARALLEL_FROM_ROWS = 20_000
CHUNK_ROWS = 5_000

# (row index, values as a tuple in FIELDS order) or (row index, reason)
Outcome = tuple[int, tuple[Any, ...] | str]


def validate_all(
    rows: list[RawRow], validator: RowValidator, progress: Callable[[int], None] | None = None
) -> Iterator[tuple[RawRow, dict[str, Any] | None, str]]:
    """Yield (row, values or None, reason) for every row, in file order."""
    chunks = [
        (start, min(start + CHUNK_ROWS, len(rows))) for start in range(0, len(rows), CHUNK_ROWS)
    ]
    check = partial(_validate_chunk, rows, validator)
    split = parallel.worthwhile(len(rows), PARALLEL_FROM_ROWS)
    done = 0
    for outcomes in parallel.forked_map(check, chunks, parallel=split):
        for index, result in outcomes:
            if isinstance(result, str):
                yield rows[index], None, result
            else:
                yield rows[index], dict(zip(FIELDS, result, strict=True)), ""
        done += len(outcomes)
        if progress is not None:
            progress(done)


def _validate_chunk(
    rows: list[RawRow], validator: RowValidator, bounds: tuple[int, int]
) -> list[Outcome]:
    outcomes: list[Outcome] = []
    for index in range(*bounds):
        try:
            values = validator.validate(rows[index])
        except RowError as error:
            outcomes.append((index, str(error)))
        else:
            outcomes.append((index, tuple(values[name] for name in FIELDS)))
    return outcomes
