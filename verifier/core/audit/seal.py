"""Sealing what was imported before import digests existed (``verifier audit seal``).

Items imported before migration 0012 carry no import or match digest, and batches imported
before their rejected rows' digest was recorded have none: ``audit verify`` can only count
them. A lead's seal gives each such item its two digests as the row stands now, and records
in one hash-chained ``seal`` event per edition the digest of each such batch's items and of
its rejected rows. From then on they are checked like every later import.

A seal attests the state of these rows when it was made, not what their import wrote: a
row changed before the seal is sealed as changed. Only batches no event has recorded a
digest for are sealed, so a seal never blesses a row changed after its import or rematch
recorded it, and a batch is sealed once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from db.models import ImportBatch, Item, RejectedRow, table_of
from verifier.core.eventlog.append import record_event
from verifier.core.eventlog.batch_records import (
    SEALED_REJECTED_KEY,
    RejectedDigest,
    import_records,
    recorded_rejected,
    sealed_rejected,
)
from verifier.core.eventlog.import_digest import (
    ENGINE_FIELDS,
    IMPORTED_FIELDS,
    REMATCH_KEY,
    STREAM,
    digests_of_batches,
    import_digest,
    match_digest,
    recorded_digests,
)
from verifier.core.people.roles import Role, require_role

ATTESTS = "the state of these items and rejected rows when sealed, not at their import"
CHUNK = 5_000


@dataclass
class SealedEdition:
    edition_id: int
    items: int = 0  # items given digests
    batches: dict[int, str] = field(default_factory=dict)  # items' digests recorded
    rejected: dict[int, str] = field(default_factory=dict)  # rejected rows' digests recorded
    event_id: int | None = None


@dataclass
class SealResult:
    editions: list[SealedEdition] = field(default_factory=list)

    @property
    def items(self) -> int:
        return sum(e.items for e in self.editions)

    @property
    def batches(self) -> int:
        return len({b for e in self.editions for b in (*e.batches, *e.rejected)})


def unsealed_batches(session: Session) -> tuple[dict[int, int], dict[int, int]]:
    """Batches (id -> edition) whose items no event records a digest of, and those whose
    rejected rows none does."""
    columns: list[Any] = [col(ImportBatch.id), col(ImportBatch.edition_id)]
    query = sa_select(*columns)
    batches = {int(row[0]): int(row[1]) for row in session.connection().execute(query)}
    items = recorded_digests(session, None)
    rejected = recorded_rejected(import_records(session), sealed_rejected(session))
    return (
        {b: e for b, e in batches.items() if b not in items},
        {b: e for b, e in batches.items() if b not in rejected},
    )


def seal(session: Session, actor: str) -> SealResult:
    """Seal every batch (of every edition) no digest covers yet; leads only. One ``seal``
    event per edition; nothing when all is covered."""
    require_role(session, actor, Role.LEAD, "sealing imported items")
    for_items, for_rejected = unsealed_batches(session)
    result = SealResult()
    for edition_id in sorted(set(for_items.values()) | set(for_rejected.values())):
        sealed = SealedEdition(edition_id)
        item_batches = sorted(b for b, e in for_items.items() if e == edition_id)
        sealed.items = _give_digests(session, item_batches)
        sealed.batches = digests_of_batches(session, item_batches)
        rejected = sorted(b for b, e in for_rejected.items() if e == edition_id)
        sealed.rejected = _rejected_digests(session, rejected)
        event = record_event(
            session,
            edition_id=edition_id,
            actor=actor,
            action="seal",
            payload={
                "attests": ATTESTS,
                "items_sealed": sealed.items,
                REMATCH_KEY: {str(b): d for b, d in sealed.batches.items()},
                SEALED_REJECTED_KEY: {str(b): d for b, d in sealed.rejected.items()},
            },
        )
        sealed.event_id = event.id
        result.editions.append(sealed)
    return result


_COLUMNS = ("id", *IMPORTED_FIELDS, *ENGINE_FIELDS)


def _give_digests(session: Session, batch_ids: list[int]) -> int:
    """Digests for the items of these batches that have none; how many. An item that has
    digests keeps them: if they no longer agree with it, the check names it."""
    table = table_of(Item)
    statement = (
        update(table)
        .where(table.c.id == bindparam("item"))
        .values(import_digest=bindparam("imported"), match_digest=bindparam("matched"))
    )
    given = 0
    for chunk in _chunks(session, batch_ids):
        session.connection().execute(statement, chunk)
        given += len(chunk)
    return given


def _chunks(session: Session, batch_ids: list[int]) -> Iterator[list[dict[str, Any]]]:
    """The items without digests, read in id order a chunk at a time (each chunk is
    written before the next is read: no cursor is held open across the writes)."""
    after = 0
    columns = [col(getattr(Item, name)) for name in _COLUMNS]
    while batch_ids:
        query = (
            sa_select(*columns)
            .where(col(Item.batch_id).in_(batch_ids), col(Item.import_digest).is_(None))
            .where(col(Item.id) > after)
            .order_by(col(Item.id))
            .limit(CHUNK)
        )
        rows = [dict(zip(_COLUMNS, r, strict=True)) for r in session.connection().execute(query)]
        if not rows:
            return
        chunk = []
        for row in rows:
            imported = import_digest(row)
            chunk.append(
                {"item": row["id"], "imported": imported, "matched": match_digest(row, imported)}
            )
        yield chunk
        after = rows[-1]["id"]


def _rejected_digests(session: Session, batch_ids: list[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for batch_id in batch_ids:
        digest = RejectedDigest()
        query = (
            sa_select(
                col(RejectedRow.row_number),
                col(RejectedRow.kind),
                col(RejectedRow.reason),
                col(RejectedRow.raw),
            )
            .where(col(RejectedRow.batch_id) == batch_id)
            .order_by(col(RejectedRow.row_number), col(RejectedRow.id))
            .execution_options(stream_results=True, yield_per=STREAM)
        )
        for row in session.connection().execute(query):
            digest.add(*row)
        found[batch_id] = digest.hexdigest()
    return found
