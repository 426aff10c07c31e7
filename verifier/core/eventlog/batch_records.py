"""Each import batch's row and its rejected rows, checked against the batch's import event.

``import_batch`` says what a file brought in (its name, checksum, format and counts) and
``rejected_row`` keeps every row the import refused, with its reason. Neither is hashed, so
the ``import`` event, inside the hashed log, records the batch's fields (``EVENT_FIELDS``)
and the digest of its rejected rows (``REJECTED_KEY``); a seal (``core.audit.seal``) records
the rejected rows' digest of batches imported before that. ``check_batches`` finds:

- a batch whose row says otherwise than its event on a field the event records (events
  written before a field was recorded vouch only for the ones they hold);
- a batch with no import event, and an import event whose batch is gone;
- a batch whose rejected rows no longer hash to the recorded digest: rows edited, added,
  deleted or moved to another batch. The batch is named with its number of rows; single
  rows carry no digest of their own.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from db.models import ImportBatch, RejectedRow, ReviewEvent
from verifier.core.eventlog.findings import NAMED, NamedFindings
from verifier.core.eventlog.import_digest import STREAM, _timestamp
from verifier.core.wording import count

REJECTED_KEY = "rejected_sha256"  # in an import event's payload
CREATED_KEY = "items_created_at"  # in an import event's payload: each item's created_at
SEALED_REJECTED_KEY = "rejected_digests"  # in a seal event's payload: {batch id: digest}
# Import event payload key -> import_batch column.
EVENT_FIELDS = {
    "file": "file_name",
    "sha256": "file_sha256",
    "accepted": "accepted_count",
    "rejected": "rejected_count",
    "duplicates": "duplicate_count",
    "rows_total": "rows_total",
    "format": "file_format",
    "encoding": "encoding",
    "column_map": "column_map",
    "file_path": "file_path",  # recorded by older events only (see below)
    "imported_at": "imported_at",
}
# Imports no longer keep the absolute path the file was read from (it told anyone reading the
# log the importer's folders): the name and sha256 say which file it was. A batch whose event
# records its items' times (``CREATED_KEY``) and no path must have none.
NOT_RECORDED = ("file_path",)


class RejectedDigest:
    """The digest of a batch's rejected rows, fed in row order."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256()
        self.rows = 0

    def add(self, row_number: int, kind: str, reason: str, raw: Any) -> None:
        line = json.dumps(
            [row_number, kind, reason, raw],
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
        )
        self._hash.update(line.encode("utf-8", "surrogatepass") + b"\n")
        self.rows += 1

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def rejected_digest(rows: Iterable[tuple[int, str, str, Any]]) -> str:
    """The digest of (row number, kind, reason, raw cells) rows, in row order."""
    digest = RejectedDigest()
    for row in rows:
        digest.add(*row)
    return digest.hexdigest()


def batch_record(batch: ImportBatch) -> dict[str, Any]:
    """What an import event records of its batch's row (``EVENT_FIELDS`` but the path)."""
    values = {
        key: getattr(batch, name) for key, name in EVENT_FIELDS.items() if key not in NOT_RECORDED
    }
    values["imported_at"] = _timestamp(batch.imported_at)
    return values


@dataclass(frozen=True)
class BatchDisagreement:
    batch_id: int
    what: str  # "field", "no_event", "no_batch" or "rejected"
    seq: int | None = None
    detail: str = ""

    def describe(self) -> str:
        where = f"event #{self.seq}" if self.seq is not None else "its import event"
        if self.what == "field":
            return f"import batch {self.batch_id}: {self.detail}, not what {where} recorded"
        if self.what == "no_event":
            return f"import batch {self.batch_id} has no import event in the log"
        if self.what == "no_batch":
            return f"{where} recorded import batch {self.batch_id}, which is gone"
        return (
            f"import batch {self.batch_id}: its rejected rows no longer hash to the digest "
            f"{where} recorded ({self.detail}): rows were edited, added, deleted or moved"
        )


@dataclass
class BatchCheck(NamedFindings[BatchDisagreement]):
    batches: int = 0
    rejected_rows: int = 0
    unsealed: int = 0  # batches whose rejected rows no digest covers (imported before)


@dataclass(frozen=True)
class ImportRecord:
    seq: int | None
    edition_id: int | None
    actor: str
    payload: dict[str, Any]


def import_records(session: Session) -> dict[int, ImportRecord]:
    """Each batch's import event (on SQLite, linked ones only: see item_state)."""
    query: Select[Any] = sa_select(
        col(ReviewEvent.seq),
        col(ReviewEvent.edition_id),
        col(ReviewEvent.actor),
        col(ReviewEvent.payload),
    ).where(col(ReviewEvent.action) == "import")
    if session.connection().dialect.name != "postgresql":
        query = query.where(col(ReviewEvent.seq).is_not(None))
    found: dict[int, ImportRecord] = {}
    for seq, edition_id, actor, payload in session.connection().execute(
        query.order_by(col(ReviewEvent.id))
    ):
        if isinstance(payload, dict) and isinstance(payload.get("batch_id"), int):
            found[payload["batch_id"]] = ImportRecord(seq, edition_id, actor, payload)
    return found


def sealed_rejected(session: Session) -> dict[int, tuple[str, int | None]]:
    """The rejected rows' digests seals recorded for batches imported before digests."""
    query: Select[Any] = sa_select(col(ReviewEvent.payload), col(ReviewEvent.seq)).where(
        col(ReviewEvent.action) == "seal"
    )
    if session.connection().dialect.name != "postgresql":
        query = query.where(col(ReviewEvent.seq).is_not(None))
    found: dict[int, tuple[str, int | None]] = {}
    for payload, seq in session.connection().execute(query.order_by(col(ReviewEvent.id))):
        digests = payload.get(SEALED_REJECTED_KEY) if isinstance(payload, dict) else None
        for batch, digest in (digests or {}).items():
            if str(batch).isdigit() and isinstance(digest, str):
                found.setdefault(int(batch), (digest, seq))  # a batch is sealed once
    return found


def recorded_rejected(
    records: dict[int, ImportRecord], sealed: dict[int, tuple[str, int | None]]
) -> dict[int, tuple[str, int | None]]:
    """Each batch's rejected rows' digest: its import event's, else its seal's."""
    found = dict(sealed)
    for batch_id, record in records.items():
        digest = record.payload.get(REJECTED_KEY)
        if isinstance(digest, str):
            found[batch_id] = (digest, record.seq)
    return found


def check_batches(session: Session, limit: int | None = NAMED) -> BatchCheck:
    """Compare every batch row with its import event, and its rejected rows with their
    recorded digest."""
    check = BatchCheck(limit=limit)
    records = import_records(session)
    recorded = recorded_rejected(records, sealed_rejected(session))
    batches = session.exec(sa_select(ImportBatch).order_by(col(ImportBatch.id))).scalars()  # type: ignore[call-overload]
    present: set[int] = set()
    for batch in batches:
        assert batch.id is not None
        check.batches += 1
        present.add(batch.id)
        record = records.get(batch.id)
        if record is None:
            check.found(BatchDisagreement(batch.id, "no_event"))
            continue
        for detail in _field_disagreements(batch, record):
            check.found(BatchDisagreement(batch.id, "field", record.seq, detail))
        check.unsealed += batch.id not in recorded
    for batch_id in sorted(set(records) - present):
        check.found(BatchDisagreement(batch_id, "no_batch", records[batch_id].seq))
    digests = _rejected_digests(session)
    for batch_id in sorted(set(recorded) | set(digests)):
        if batch_id not in recorded:
            continue  # no digest covers it (counted as unsealed), or its batch is gone
        expected, seq = recorded[batch_id]
        digest = digests.get(batch_id, RejectedDigest())
        check.rejected_rows += digest.rows
        if digest.hexdigest() != expected:
            detail = f"{expected[:16]}…; its {count(digest.rows, 'row')} now hash to "
            detail += f"{digest.hexdigest()[:16]}…"
            check.found(BatchDisagreement(batch_id, "rejected", seq, detail))
    return check


def _field_disagreements(batch: ImportBatch, record: ImportRecord) -> Iterator[str]:
    if record.edition_id != batch.edition_id:
        yield f"edition {batch.edition_id}, where the event says {record.edition_id}"
    if record.actor != batch.imported_by:
        yield f"imported by {json.dumps(batch.imported_by)}"
    now = {**batch_record(batch), "file_path": batch.file_path}
    recorded = dict(record.payload)
    if CREATED_KEY in recorded:
        recorded.setdefault("file_path", "")  # written since paths are kept: none
    for key, name in EVENT_FIELDS.items():
        if key in recorded and recorded[key] != now[key]:
            yield f"{name} {json.dumps(now[key], ensure_ascii=True, default=str)}"


def _rejected_digests(session: Session) -> dict[int, RejectedDigest]:
    columns: list[Any] = [col(RejectedRow.batch_id), col(RejectedRow.row_number)]
    columns += [col(RejectedRow.kind), col(RejectedRow.reason), col(RejectedRow.raw)]
    query = (
        sa_select(*columns)
        .order_by(col(RejectedRow.batch_id), col(RejectedRow.row_number), col(RejectedRow.id))
        .execution_options(stream_results=True, yield_per=STREAM)
    )
    found: dict[int, RejectedDigest] = {}
    for batch_id, row_number, kind, reason, raw in session.connection().execute(query):
        found.setdefault(batch_id, RejectedDigest()).add(row_number, kind, reason, raw)
    return found
