"""The counts an import keeps while it stages its items (how many, missing numbers, bands,
the batch digest, the item tallies) stand in for reading the stage back under the write
lock: the same file imported with them and with the stage read back stores the same rows,
the same tallies and the same import event, and a stage changed behind them is read back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from tests.conftest import MINI
from tests.importing_helpers import row, write_csv
from tests.scale.generated import generated_rows
from verifier.core.editions import load_edition
from verifier.core.importing import ImportOptions, import_file
from verifier.core.importing.prepare import prepare_import
from verifier.core.importing.stage import Stage
from verifier.core.workspace import Workspace

# Columns whose value is the moment of the write, different in two runs.
MOMENTS = {"created_at", "imported_at", "at", "hash", "prev_hash", "timestamp"}


def _rows(workspace: Workspace, table: str) -> list[tuple[Any, ...]]:
    with workspace.reading() as session:
        result = session.connection().execute(text(f"SELECT * FROM {table} ORDER BY 1, 2"))
        kept = [i for i, name in enumerate(result.keys()) if name not in MOMENTS]
        return [tuple(r[i] for i in kept) for r in result]


def _events(workspace: Workspace) -> list[tuple[Any, ...]]:
    with workspace.reading() as session:
        found = session.connection().execute(
            text("SELECT action, payload FROM review_event ORDER BY seq")
        )
        return [
            (action, {k: v for k, v in payload.items() if k not in MOMENTS and "_at" not in k})
            for action, payload in (
                (a, p if isinstance(p, dict) else json.loads(p)) for a, p in found
            )
        ]


def _file(tmp_path: Path) -> Path:
    rows = generated_rows(300)
    rows[10] = rows[3]  # a duplicate within the file
    rows[20] = row("Atlantis", "NO-SUCH")  # refused: unknown indicator
    rows[30] = row("Nowhere town", rows[30][1], "n/a", country="")  # no number, no match
    return write_csv(tmp_path / "items.csv", rows)


def _import_twice(url: str, tmp_path: Path, path: Path) -> Workspace:
    workspace = Workspace(url)
    workspace.initialise()
    load_edition(workspace, MINI, "layla")
    first = import_file(workspace, path, ImportOptions("omar"))
    assert first.accepted > 0 and first.problems
    again = write_csv(tmp_path / f"again-{tmp_path.name}.csv", generated_rows(320)[290:])
    import_file(workspace, again, ImportOptions("omar"))  # duplicates of the first
    return workspace


def test_counted_while_staged_or_read_back_store_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _file(tmp_path)
    counted = _import_twice(f"sqlite:///{tmp_path / 'counted.db'}", tmp_path, path)
    monkeypatch.setattr(Stage, "counts", property(lambda stage: None))
    read_back = _import_twice(f"sqlite:///{tmp_path / 'read.db'}", tmp_path, path)
    tables = ("item", "item_tally", "reviewer_tally", "rejected_row", "import_batch")
    for table in tables:
        assert _rows(counted, table) == _rows(read_back, table), table
    assert _events(counted) == _events(read_back)
    bands = [payload["bands"] for action, payload in _events(counted) if action == "auto_match"]
    assert len(bands) == 2 and len(bands[0]) >= 2  # matched and unmatched items
    counted.close()
    read_back.close()


def test_a_stage_changed_behind_its_counts_is_read_back(
    workspace: Workspace, tmp_path: Path
) -> None:
    load_edition(workspace, MINI, "layla")
    prepared = prepare_import(workspace, _file(tmp_path), ImportOptions("omar"))
    stage = prepared.stage
    assert stage is not None
    try:
        counts = stage.counts
        assert counts is not None and counts.items == stage.count("items")
        assert counts.missing_values == stage.count("items", "WHERE value_number IS NULL") == 1
        assert counts.bands() == stage.bands()
        assert counts.batch_digest() != ""
        stage.db.execute("UPDATE items SET match_band = NULL WHERE row_number = 2")
        assert stage.counts is None
    finally:
        prepared.close()
