"""Appending to the review log. Every event in the workspace is written by ``record_event``.

Each event is a link of a hash chain (docs/provenance.md): its hash covers its content and
the previous event's hash. On SQLite it is computed here before the insert, under the
write lock the transaction already holds. On PostgreSQL the database computes it when the
transaction commits (db/chain_sql.py): the append lock is then never held across a network
round trip, and a decision costs one INSERT.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import JSON, Text, bindparam, cast, insert
from sqlmodel import Session

from db.models import ReviewEvent, table_of
from db.types import utcnow
from verifier.core.errors import InvalidActionError
from verifier.core.eventlog.chain import ChainHead, advance_head, chain_head
from verifier.core.eventlog.hashing import event_hash, stored_payload


def record_event(
    session: Session,
    *,
    edition_id: int | None,
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
    if session.get_bind().dialect.name == "postgresql":
        return _insert_for_server_link(session, content)
    head = chain_head(session)
    seq = head.seq + 1
    digest = event_hash(seq=seq, prev_hash=head.hash, **content)
    event = ReviewEvent(**content, seq=seq, prev_hash=head.hash, hash=digest)
    session.add(event)
    session.flush()
    advance_head(session, ChainHead(seq, digest))
    return event


def _insert_for_server_link(session: Session, content: dict[str, Any]) -> ReviewEvent:
    """One INSERT; the database adds the link at COMMIT (and, in team mode, sets the actor
    to the login). The payload is stored as its canonical JSON text, the very bytes the
    event's hash covers."""
    session.flush()
    payload_text = json.dumps(
        content["payload"], sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    values = {**content, "payload": cast(bindparam("payload_text", payload_text, Text), JSON)}
    table = table_of(ReviewEvent)
    event_id = session.execute(insert(table).values(**values).returning(table.c.id)).scalar_one()
    return ReviewEvent(id=event_id, **content)
