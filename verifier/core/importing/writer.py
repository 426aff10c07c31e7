"""Storing a prepared import (``prepare.py``) in one short write transaction: the batch, its
items, its refused rows and its events, all or nothing.

Only what may have changed since the preparation is looked at again here, under the lock:
whether the same file was imported meanwhile, and the facts other imports brought in
meanwhile. Everything slow happened before: the staged rows are already in the form the
driver takes, and are copied in chunks (``bulkcopy.py``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from db.models import ImportBatch, Status
from db.types import utcnow
from verifier.core.eventlog.append import record_event
from verifier.core.eventlog.batch_records import (
    CREATED_KEY,
    REJECTED_KEY,
    batch_record,
    rejected_digest,
)
from verifier.core.eventlog.import_digest import DIGEST_KEY
from verifier.core.importing.bulkcopy import CHUNK, copy_items, insert_refused
from verifier.core.importing.prepare import (
    PreparedImport,
    batch_with_digest,
    items_since,
    jsonable,
)
from verifier.core.importing.stage import Stage
from verifier.core.people.roles import require_decider

WriteProgress = Callable[[int, int], None]


@dataclass
class WrittenBatch:
    batch_id: int | None = None
    already_imported_as: int | None = None
    accepted: int = 0
    missing_values: int = 0
    bands: dict[str, int] = field(default_factory=dict)


def write_prepared(
    session: Session, prepared: PreparedImport, user: str, progress: WriteProgress | None = None
) -> WrittenBatch:
    """Write ``prepared`` as a new batch of its edition, in the caller's transaction."""
    edition_id = prepared.edition_id
    stage = prepared.stage
    assert stage is not None, "a prepared import that was not already imported has a stage"
    earlier = batch_with_digest(session, edition_id, prepared.sha256)
    if earlier is not None:  # the same file, imported by someone else meanwhile
        return WrittenBatch(already_imported_as=earlier)
    require_decider(session, user, "importing items")
    meanwhile = items_since(session, edition_id, prepared.newest_batch)
    if meanwhile:
        reasons = {
            fingerprint: f"already imported as item {item} (batch {batch}, row {row})"
            for fingerprint, (item, batch, row) in meanwhile.items()
        }
        stage.refuse_staged(reasons, prepared.raw_of, lambda raw: stage.document(jsonable(raw)))
    totals = stage.totals()  # counted as staged, unless some were moved out just now
    accepted = totals.items
    refused = stage.count("refused")
    rejected = stage.count("refused", "WHERE kind = 'invalid'")
    batch = ImportBatch(
        edition_id=edition_id,
        file_name=prepared.path.name,
        file_sha256=prepared.sha256,
        file_format=prepared.format,
        encoding=prepared.encoding,
        column_map=prepared.column_map,
        imported_by=user,
        imported_at=utcnow(),
        rows_total=prepared.rows_total,
        accepted_count=accepted,
        rejected_count=rejected,
        duplicate_count=refused - rejected,
    )
    session.add(batch)
    session.flush()
    assert batch.id is not None
    written = WrittenBatch(batch_id=batch.id, accepted=accepted)
    connection = session.connection()
    late: dict[str, Any] = {
        "edition_id": edition_id,
        "batch_id": batch.id,
        "status": Status.UNVERIFIED.value,
        # The batch's own time, which its import event records: each item's is checked.
        "created_at": stage.timestamp(batch.imported_at),
        "version": 1,
    }

    def copied(done: int) -> None:
        if progress is not None:
            progress(done, accepted)

    copy_items(connection, stage, late, copied)
    insert_refused(connection, stage, batch.id)
    written.missing_values = totals.missing_values
    record_event(
        session,
        edition_id=edition_id,
        actor=user,
        action="import",
        payload={"batch_id": batch.id, **digests_of_import(stage, batch)},
    )
    if prepared.matched and accepted:
        written.bands = totals.bands()
        record_event(
            session,
            edition_id=edition_id,
            actor=user,
            action="auto_match",
            payload={"batch_id": batch.id, "bands": written.bands},
        )
    return written


def digests_of_import(stage: Stage, batch: ImportBatch) -> dict[str, Any]:
    """What the import event records of its batch (``core.eventlog.batch_records``): the
    batch row's fields, its items' digest (in file order, the order of their ids) and its
    rejected rows' digest (in row order)."""
    refused = (
        (number, kind, reason, json.loads(raw))
        for chunk in stage.refused_chunks(CHUNK)
        for number, kind, reason, raw in chunk
    )
    record = batch_record(batch)
    return {
        **record,
        CREATED_KEY: record["imported_at"],
        DIGEST_KEY: stage.totals().batch_digest(),
        REJECTED_KEY: rejected_digest(refused),
    }
