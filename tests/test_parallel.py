"""The one fork mechanism behind import validation and matcher builds: forked work gives
exactly what the same work gives in this process."""

from __future__ import annotations

import sys

import pytest

from verifier.core import parallel
from verifier.core.importing import validation
from verifier.core.importing.rawrows import RawRow
from verifier.core.importing.rows import RowError

needs_fork = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="forking without exec is used on Linux only"
)


class _Validator:
    """Accepts even-numbered rows, refuses odd ones with a reason naming the row."""

    def validate(self, row: RawRow) -> dict[str, object]:
        if row.number % 2:
            raise RowError(f"row {row.number} is odd")
        return {name: f"{name}-{row.number}" for name in validation.FIELDS}


def _square(n: int) -> int:
    return n * n


@needs_fork
def test_forked_map_keeps_task_order() -> None:
    tasks = list(range(40))
    assert list(parallel.forked_map(_square, tasks, parallel=True)) == [n * n for n in tasks]
    assert list(parallel.forked_map(_square, tasks, parallel=False)) == [n * n for n in tasks]


@needs_fork
def test_beside_returns_both_results() -> None:
    mine, theirs = parallel.beside(lambda: "here", lambda: ["there", 2])
    assert (mine, theirs) == ("here", ["there", 2])


@needs_fork
def test_beside_gives_none_when_the_copy_fails() -> None:
    def fail() -> None:
        raise RuntimeError("the copy fails")

    assert parallel.beside(lambda: 1, fail) == (1, None)


def test_worthwhile_needs_enough_work() -> None:
    assert not parallel.worthwhile(10, 11)


@needs_fork
def test_parallel_validation_equals_serial(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [RawRow(number, {"city": str(number)}) for number in range(2, 95)]
    validator = _Validator()
    monkeypatch.setattr(validation, "CHUNK_ROWS", 7)
    monkeypatch.setattr(parallel, "worthwhile", lambda size, threshold: False)
    serial = [(r.number, v, reason) for r, v, reason in validation.validate_all(rows, validator)]  # type: ignore[arg-type]
    monkeypatch.setattr(parallel, "worthwhile", lambda size, threshold: True)
    done: list[int] = []
    forked = [
        (r.number, v, reason)
        for r, v, reason in validation.validate_all(rows, validator, done.append)  # type: ignore[arg-type]
    ]
    assert forked == serial
    assert [number for number, _, _ in serial] == list(range(2, 95))
    assert serial[1] == (3, None, "row 3 is odd")
    assert serial[0][1] == {name: f"{name}-2" for name in validation.FIELDS}
    assert done[-1] == len(rows) and done == sorted(done)
