"""Copying a stage (``stage.py``) into the workspace, inside the write transaction, in
chunks: memory stays bounded, and the tallies are kept in one statement (``db.bulkload``).
On SQLite the stage file is attached and copied by SQLite itself; elsewhere (COPY) its
rows are read here and sent."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection

from db.bulkload import attached, copy_attached, item_triggers_deferred, load_rows
from verifier.core.importing.stage import Stage

CHUNK = 5_000  # rows per statement: bounds the memory of one statement's parameters
STAGE_ALIAS = "import_stage"
ATTACHED_CHUNK = 50_000  # rows per INSERT … SELECT: only the progress shown depends on it


def copy_items(
    connection: Connection,
    stage: Stage,
    late: dict[str, Any],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Insert the staged items, each with the ``late`` values (the batch's), in file order.
    Their tallies are the ones counted as they were staged, when the stage still has them."""
    tallies = stage.totals().tallies(late["edition_id"], late["status"])
    with item_triggers_deferred(connection, late["batch_id"], tallies):
        if connection.dialect.name == "sqlite":
            source = f"{attached(connection, stage.path, STAGE_ALIAS)}.items"
            return copy_attached(
                connection, "item", stage.columns, source, late, ATTACHED_CHUNK, progress
            )
        columns = (*stage.columns, *late)
        chunks = stage.item_chunks(tuple(late.values()), CHUNK)
        return load_rows(connection, "item", columns, chunks, progress)


def insert_refused(connection: Connection, stage: Stage, batch_id: int) -> int:
    """Insert the staged refused rows (raw already JSON text) as the batch's rejected rows."""
    if connection.dialect.name == "sqlite":
        source = f"{attached(connection, stage.path, STAGE_ALIAS)}.refused"
        staged = ("row_number", "kind", "reason", "raw")
        late = {"batch_id": batch_id}
        return copy_attached(connection, "rejected_row", staged, source, late, ATTACHED_CHUNK)
    chunks = ([(batch_id, *row) for row in chunk] for chunk in stage.refused_chunks(CHUNK))
    columns = ("batch_id", "row_number", "kind", "reason", "raw")
    return load_rows(connection, "rejected_row", columns, chunks)
