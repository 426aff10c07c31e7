"""Copying a stage (``stage.py``) into the workspace, inside the write transaction, in
chunks: memory stays bounded, and the tallies are kept in one statement (``db.bulkload``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection

from db.bulkload import item_triggers_deferred, load_rows
from verifier.core.importing.stage import Stage

CHUNK = 5_000  # rows per statement: bounds the memory of one statement's parameters


def copy_items(
    connection: Connection,
    stage: Stage,
    late: dict[str, Any],
    progress: Callable[[int], None] | None = None,
) -> int:
    """Insert the staged items, each with the ``late`` values (the batch's), in file order."""
    columns = (*stage.columns, *late)
    chunks = stage.item_chunks(tuple(late.values()), CHUNK)
    with item_triggers_deferred(connection, late["batch_id"]):
        return load_rows(connection, "item", columns, chunks, progress)


def insert_refused(connection: Connection, stage: Stage, batch_id: int) -> int:
    """Insert the staged refused rows (raw already JSON text) as the batch's rejected rows."""
    chunks = ([(batch_id, *row) for row in chunk] for chunk in stage.refused_chunks(CHUNK))
    columns = ("batch_id", "row_number", "kind", "reason", "raw")
    return load_rows(connection, "rejected_row", columns, chunks)
