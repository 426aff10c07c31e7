"""Appending to the review log. Every event in the workspace is written by ``record_event``.

Each event is a link of a hash chain (docs/provenance.md): its hash covers its content and
the previous event's hash, computed before the insert because the row can never be
updated afterwards (triggers refuse it).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from db.models import ReviewEvent
from db.types import utcnow
from verifier.core.errors import InvalidActionError
from verifier.core.eventlog.chain import ChainHead, advance_head, chain_head
from verifier.core.eventlog.hashing import event_hash, stored_payload


def record_event(
    session: Session,
    *,
    edition_id: int,
    actor: str,
    action: str,
    item_id: int | None = None,
    old_status: str | None = None,
    new_status: str | None = None,
    note: str = "",
    reason: str = "",
    payload: dict[str, Any] | None = None,
) -> ReviewEvent:
    if not actor.strip():
        raise InvalidActionError(f"a '{action}' event needs the name of who did it")
    content: dict[str, Any] = {
        "edition_id": edition_id,
        "item_id": item_id,
        "actor": actor,
        "action": action,
        "old_status": old_status,
        "new_status": new_status,
        "note": note,
        "reason": reason,
        "payload": stored_payload(payload),
        "created_at": utcnow(),
    }
    head = chain_head(session)
    seq = head.seq + 1
    digest = event_hash(seq=seq, prev_hash=head.hash, **content)
    event = ReviewEvent(**content, seq=seq, prev_hash=head.hash, hash=digest)
    session.add(event)
    session.flush()
    advance_head(session, ChainHead(seq, digest))
    return event
