"""Validating every row, on every core for large files, as the file is read.

Validation is pure Python and dominates import time, so the rows of a large file are
validated in chunks by forked worker processes (``core/parallel.py``), which inherit the
validator and the reference data and are sent each chunk of rows as it is read; the
outcomes come back in file order, chunk by chunk. A file is worth the workers once its
first ``PARALLEL_FROM_ROWS`` rows are read: only those are held before the decision.
The caller's ``finish`` runs there too, on each accepted row: whatever else is computed
per row (an import's digests and staged form) is spread over the workers with it.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from operator import itemgetter
from typing import Any

from verifier.core import parallel
from verifier.core.importing.rawrows import RawRow
from verifier.core.importing.rows import FIELDS, RowError, RowValidator

PARALLEL_FROM_ROWS = 20_000
CHUNK_ROWS = 2_000

# The values as a tuple in FIELDS order (or as ``finish`` gives them), or the reason the
# row is refused.
Outcome = tuple[Any, ...] | str
# What else is computed per accepted row where it is validated (a worker, for large files):
# from the values by name and the raw row, the tuple given as its outcome.
Finish = Callable[[dict[str, Any], RawRow], tuple[Any, ...]]
_IN_FIELDS_ORDER = itemgetter(*FIELDS)


def in_fields_order(values: dict[str, Any], row: RawRow) -> tuple[Any, ...]:
    return tuple(_IN_FIELDS_ORDER(values))


def validate_chunks(
    rows: Iterable[RawRow], validator: RowValidator, finish: Finish = in_fields_order
) -> Iterator[tuple[list[RawRow], list[Outcome]]]:
    """(chunk of rows, their outcomes) for each chunk of at most CHUNK_ROWS rows, in order."""
    chunks = _chunked(iter(rows), CHUNK_ROWS)
    head = deque(itertools.islice(chunks, max(1, -(-PARALLEL_FROM_ROWS // CHUNK_ROWS))))
    split = parallel.worthwhile(sum(map(len, head)), PARALLEL_FROM_ROWS)
    check = partial(_validate_rows, validator, finish)
    yield from parallel.forked_stream(
        check, itertools.chain(_drained(head), chunks), parallel=split
    )


def validate_all(
    rows: list[RawRow], validator: RowValidator, progress: Callable[[int], None] | None = None
) -> Iterator[tuple[RawRow, dict[str, Any] | None, str]]:
    """Yield (row, values or None, reason) for every row, in file order."""
    done = 0
    for chunk, outcomes in validate_chunks(rows, validator):
        for row, result in zip(chunk, outcomes, strict=True):
            if isinstance(result, str):
                yield row, None, result
            else:
                yield row, dict(zip(FIELDS, result, strict=True)), ""
        done += len(chunk)
        if progress is not None:
            progress(done)


def _drained(chunks: deque[list[RawRow]]) -> Iterator[list[RawRow]]:
    """The chunks, each let go of as it is taken."""
    while chunks:
        yield chunks.popleft()


def _chunked(rows: Iterator[RawRow], size: int) -> Iterator[list[RawRow]]:
    while chunk := list(itertools.islice(rows, size)):
        yield chunk


def _validate_rows(validator: RowValidator, finish: Finish, rows: list[RawRow]) -> list[Outcome]:
    outcomes: list[Outcome] = []
    for row in rows:
        try:
            values = validator.validate(row)
        except RowError as error:
            outcomes.append(str(error))
        else:
            outcomes.append(finish(values, row))
    return outcomes
