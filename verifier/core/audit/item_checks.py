"""The audit's checks of what the log vouches for outside itself: item rows, imported items,
import batches and their rejected rows, and the item columns derived from covered data.

Each names ``limit`` of what it finds (None: all, ``audit verify --all``) and counts the
rest in one closing finding.
"""

from __future__ import annotations

from sqlmodel import Session

from verifier.core.audit.findings import AuditResult, Finding
from verifier.core.eventlog.batch_records import check_batches
from verifier.core.eventlog.derived_columns import check_derived
from verifier.core.eventlog.findings import NAMED
from verifier.core.eventlog.import_digest import check_imported
from verifier.core.eventlog.item_state import check_items
from verifier.core.wording import count


def check_item_rows(session: Session, result: AuditResult, limit: int | None = NAMED) -> None:
    """Every item row must say what its latest events say (core.eventlog.item_state)."""
    check = check_items(session, limit=limit)
    result.items, result.items_status_only = check.items, check.status_only
    result.findings += [
        Finding("item_row", f"{d.describe()}: changed without an event", d.seq, item_id=d.item_id)
        for d in check.named
    ]
    named = len({d.item_id for d in check.named})
    if check.disagreeing > named:
        result.findings.append(
            Finding(
                "item_row",
                f"… and {count(check.disagreeing - named, 'more item')} whose row disagrees "
                "with the log",
            )
        )


def check_imported_items(session: Session, result: AuditResult, limit: int | None = NAMED) -> None:
    """What each import wrote, and the engine's city of items no person decided on, must
    still hash to the digests the log records (core.eventlog.import_digest)."""
    check = check_imported(session, limit=limit)
    result.items_without_digest = check.uncovered
    result.findings += [
        Finding(
            "imported",
            d.describe() + (": changed without an event" if d.item_id else ""),
            d.seq,
            item_id=d.item_id,
            batch_id=d.batch_id,
        )
        for d in check.named
    ]
    if check.disagreeing > len(check.named):
        more = count(
            check.disagreeing - len(check.named), "more item or batch", "more items or batches"
        )
        result.findings.append(
            Finding(
                "imported",
                f"… and {more} whose rows no longer hash to their import digests",
            )
        )


def check_batch_records(session: Session, result: AuditResult, limit: int | None = NAMED) -> None:
    """Each import batch's row and rejected rows must be what its import event recorded
    (core.eventlog.batch_records)."""
    check = check_batches(session, limit=limit)
    result.batches, result.rejected_rows = check.batches, check.rejected_rows
    result.batches_unsealed = check.unsealed
    result.findings += [
        Finding("batch", f"{d.describe()}: changed without an event", d.seq, batch_id=d.batch_id)
        for d in check.named
    ]
    if check.disagreeing > len(check.named):
        more = check.disagreeing - len(check.named)
        result.findings.append(
            Finding(
                "batch", f"… and {count(more, 'more disagreement')} of import batches with the log"
            )
        )


def check_derived_columns(
    session: Session, result: AuditResult, limit: int | None = NAMED, log_intact: bool = True
) -> None:
    """Who changed a status and when, the search key and the match explanation must agree
    with what they derive from (core.eventlog.derived_columns). Who and when are compared
    with the log only while the log itself is intact: once events are missing or forged,
    each item they touched would repeat the log's own finding."""
    check = check_derived(session, limit=limit, status=log_intact)
    result.findings += [
        Finding("derived", f"{d.describe()}: changed without an event", d.seq, item_id=d.item_id)
        for d in check.named
    ]
    if check.disagreeing > len(check.named):
        more = check.disagreeing - len(check.named)
        result.findings.append(
            Finding("derived", f"… and {count(more, 'more item')} whose derived columns disagree")
        )
