"""Storing a prepared import (``prepare.py``) in one short write transaction: the batch, its
items, its refused rows and its events, all or nothing.

Only what may have changed since the preparation is looked at again here, under the lock:
whether the same file was imported meanwhile, and the facts other imports brought in
meanwhile. Everything slow happened before.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlmodel import Session

from db.bulk import bulk_insert, insert_bound
from db.models import ImportBatch, RejectedRow, Status, table_of
from db.types import utcnow
from verifier.core.eventlog.append import record_event
from verifier.core.importing.prepare import PreparedImport, batch_with_digest, items_since
from verifier.core.people.roles import require_decider

CHUNK = 5_000  # rows per INSERT: bounds the memory of one statement's parameters
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
    earlier = batch_with_digest(session, edition_id, prepared.sha256)
    if earlier is not None:  # the same file, imported by someone else meanwhile
        return WrittenBatch(already_imported_as=earlier)
    require_decider(session, user)
    fingerprints = {values["fingerprint"] for values in prepared.items}
    prepared.drop_duplicates(items_since(session, edition_id, prepared.newest_batch, fingerprints))
    prepared.refused.sort(key=lambda r: r["row_number"])
    rejected = sum(1 for r in prepared.refused if r["kind"] == "invalid")
    batch = ImportBatch(
        edition_id=edition_id,
        file_name=prepared.path.name,
        file_path=str(prepared.path.resolve()),
        file_sha256=prepared.sha256,
        file_format=prepared.table.format,
        encoding=prepared.table.encoding,
        column_map=prepared.column_map,
        imported_by=user,
        imported_at=utcnow(),
        rows_total=len(prepared.table.rows),
        accepted_count=len(prepared.items),
        rejected_count=rejected,
        duplicate_count=len(prepared.refused) - rejected,
    )
    session.add(batch)
    session.flush()
    assert batch.id is not None
    written = WrittenBatch(batch_id=batch.id, accepted=len(prepared.items))
    _insert_items(session, prepared, batch.id, progress)
    rejects = [{"batch_id": batch.id, **r} for r in prepared.refused]
    bulk_insert(session.connection(), table_of(RejectedRow), rejects)
    written.missing_values = sum(1 for v in prepared.items if v["value_number"] is None)
    record_event(
        session,
        edition_id=edition_id,
        actor=user,
        action="import",
        payload={
            "batch_id": batch.id,
            "file": prepared.path.name,
            "sha256": prepared.sha256,
            "accepted": batch.accepted_count,
            "rejected": batch.rejected_count,
            "duplicates": batch.duplicate_count,
        },
    )
    if prepared.matched and prepared.items:
        written.bands = dict(Counter(v["match_band"] for v in prepared.items))
        record_event(
            session,
            edition_id=edition_id,
            actor=user,
            action="auto_match",
            payload={"batch_id": batch.id, "bands": written.bands},
        )
    return written


def _insert_items(
    session: Session, prepared: PreparedImport, batch_id: int, progress: WriteProgress | None
) -> None:
    if prepared.bound is None:
        return
    batch_values = {
        "edition_id": prepared.edition_id,
        "batch_id": batch_id,
        "status": Status.UNVERIFIED.value,
        "created_at": utcnow(),
        "version": 1,
    }
    total = len(prepared.bound.values)

    def inserted(done: int) -> None:
        if progress is not None:
            progress(done, total)

    insert_bound(session.connection(), prepared.bound, batch_values, CHUNK, inserted)
