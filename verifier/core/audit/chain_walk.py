"""Re-computing the review log's hash chain event by event, in bounded batches."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from db.models import ReviewEvent
from verifier.core.audit.findings import Anchor, AuditResult, Finding
from verifier.core.eventlog.hashing import GENESIS, event_hash
from verifier.core.wording import count

BATCH = 5_000
_CONTENT = (
    "edition_id", "item_id", "actor", "action", "old_status", "new_status", "note", "reason",
    "payload", "created_at",
)  # fmt: skip


def walk_chain(
    session: Session,
    result: AuditResult,
    hashes: dict[int, str],
    wanted: set[int],
    batch: int | None = None,
) -> None:
    """Check every event's hash and link, holding one batch of events at a time (``batch``:
    events read per query, BATCH unless given; any size gives the same findings: links are
    checked across batches too). The hashes at the positions in ``wanted`` (the anchors to
    check) are kept in ``hashes``."""
    previous: dict[str, Any] | None = None
    for event in _chained_events(session, batch or BATCH):
        result.events += 1
        seq, digest = event["seq"], event["hash"]
        if seq in wanted:
            hashes.setdefault(seq, digest or "")
        if digest != _recomputed(event):
            result.findings.append(
                Finding(
                    "altered",
                    f"the content of event #{seq} ({_describe(event)}) no longer matches its "
                    "hash: it was changed after it was written",
                    seq,
                    event["id"],
                )
            )
        finding = _link_problem(session, previous, event)
        if finding is not None:
            result.findings.append(finding)
        if previous is None or seq != previous["seq"]:
            previous = event
    if previous is not None:
        result.head_seq, result.head_hash = previous["seq"], previous["hash"] or ""


def _link_problem(
    session: Session, previous: dict[str, Any] | None, event: dict[str, Any]
) -> Finding | None:
    seq, event_id = event["seq"], event["id"]
    if previous is None:
        if seq > 1:
            return Finding(
                "missing",
                f"events #1–#{seq - 1} are missing: the log starts at #{seq} "
                f"({count(seq - 1, 'event')} deleted from its start)",
                seq,
                event_id,
            )
        if event["prev_hash"] != GENESIS:
            return Finding(
                "unlinked",
                f"event #{seq} ({_describe(event)}) claims to start the log but does not carry "
                "the genesis link: it was inserted or replaced",
                seq,
                event_id,
            )
        return None
    if seq == previous["seq"]:
        return Finding(
            "inserted",
            f"events id {previous['id']} and id {event_id} both claim position #{seq}: "
            f"an extra event was inserted ({_describe(event)})",
            seq,
            event_id,
        )
    if seq > previous["seq"] + 1:
        first, last = previous["seq"] + 1, seq - 1
        span = f"event #{first} is" if first == last else f"events #{first}–#{last} are"
        return Finding(
            "missing",
            f"{span} missing: deleted between event #{previous['seq']} and event #{seq}",
            first,
            event_id,
        )
    if event["prev_hash"] != previous["hash"]:
        target = _first_with_hash(session, event["prev_hash"], seq)
        points = (
            f"it links to event #{target} instead"
            if target is not None and target != seq
            else "its link matches no event in the log"
        )
        return Finding(
            "unlinked",
            f"event #{seq} ({_describe(event)}) does not link to event #{previous['seq']}: "
            f"{points}; it was inserted, or event #{previous['seq']} was replaced",
            seq,
            event_id,
        )
    return None


def _first_with_hash(session: Session, digest: str | None, upto: int) -> int | None:
    """Where a bad link points: the first position up to ``upto`` whose event has hash
    ``digest``. Asked of the database, only when a link is broken, so that the walk need
    not remember every hash."""
    stored = col(ReviewEvent.hash)
    matches = stored == digest if digest else stored.is_(None) | (stored == "")
    query = sa_select(func.min(col(ReviewEvent.seq))).where(
        matches, col(ReviewEvent.seq).is_not(None), col(ReviewEvent.seq) <= upto
    )
    found = session.execute(query).scalar()
    return int(found) if found is not None else None


def check_unchained(session: Session, result: AuditResult) -> None:
    query = (
        sa_select(ReviewEvent)
        .where(col(ReviewEvent.seq).is_(None) | col(ReviewEvent.hash).is_(None))
        .order_by(col(ReviewEvent.id))
    )
    for (event,) in session.execute(query):
        if event.seq is None:
            result.events += 1  # the walk saw only events with a position
        result.findings.append(
            Finding(
                "unchained",
                f"event id {event.id} ({event.action} by {event.actor}) has no place in the "
                "chain (no position or hash): it was inserted behind the application's back",
                event.seq,
                event.id,
            )
        )


def check_anchor(anchor: Anchor, hashes: dict[int, str], result: AuditResult) -> None:
    stored = hashes.get(anchor.seq)
    if stored is None:
        message = (
            f"anchor #{anchor.seq} is beyond the end of the log (head #{result.head_seq}): "
            "events were cut off the end"
            if anchor.seq > result.head_seq
            else f"anchor #{anchor.seq}: that event is missing from the log"
        )
    elif stored != anchor.hash:
        message = (
            f"anchor #{anchor.seq}: the log has hash {stored[:16]}… there, the anchor says "
            f"{anchor.hash[:16]}…: history up to that event was rewritten"
        )
    else:
        return
    result.findings.append(Finding("anchor", message, anchor.seq))


def _chained_events(session: Session, batch: int) -> Iterator[dict[str, Any]]:
    """Events with a position, in chain order, read in slices to bound memory."""
    columns = [col(getattr(ReviewEvent, name)) for name in ("id", "seq", "prev_hash", "hash")]
    columns += [col(getattr(ReviewEvent, name)) for name in _CONTENT]
    names = ["id", "seq", "prev_hash", "hash", *_CONTENT]
    seq = col(ReviewEvent.seq)
    last: tuple[int, int] | None = None
    while True:
        query = sa_select(*columns).where(seq.is_not(None))
        if last is not None:
            query = query.where(
                (seq > last[0]) | ((seq == last[0]) & (col(ReviewEvent.id) > last[1]))
            )
        rows = session.execute(query.order_by(seq, col(ReviewEvent.id)).limit(batch)).all()
        for row in rows:
            yield dict(zip(names, row, strict=True))
        if len(rows) < batch:
            return
        last = (rows[-1][1], rows[-1][0])


def _recomputed(event: dict[str, Any]) -> str:
    created_at: datetime = event["created_at"]
    return event_hash(
        seq=event["seq"],
        prev_hash=event["prev_hash"] or "",
        **{name: event[name] for name in _CONTENT if name != "created_at"},
        created_at=created_at,
    )


def _describe(event: dict[str, Any]) -> str:
    when = event["created_at"].strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"id {event['id']}, {event['action']} by {event['actor']} at {when}"
