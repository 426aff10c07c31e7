"""Appending to the hash chain: who may append next, and where the chain ends.

Two writers must never both extend the same head (the chain would fork). SQLite write
transactions already hold the database lock from their first statement (BEGIN IMMEDIATE,
see db.engine). On PostgreSQL a transaction-scoped advisory lock serialises appenders
until commit; the unique index on ``seq`` is the backstop if anything slips past it.

The head is read once per transaction and then kept in ``session.info``, so a bulk action
writing thousands of events does not query it again for each one.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select as sa_select
from sqlalchemy import text
from sqlmodel import Session, col

from db.models import ReviewEvent
from verifier.core.eventlog.hashing import GENESIS

_HEAD_KEY = "verifier.audit.chain_head"
# Advisory lock key: (a constant for "the review log", the schema), so that workspaces in
# different schemas of one database do not wait for each other.
_PG_LOCK = text("SELECT pg_advisory_xact_lock(38117, hashtext(current_schema()))")


@dataclass(frozen=True)
class ChainHead:
    seq: int  # 0 for an empty log
    hash: str  # GENESIS for an empty log


@dataclass(frozen=True)
class _Cached:
    head: ChainHead
    transaction: object


def chain_head(session: Session) -> ChainHead:
    """The last link, read under the append lock. Call only in a write transaction."""
    connection = session.connection()  # begins the transaction if none is open yet
    transaction = _innermost(session)
    cached = session.info.get(_HEAD_KEY)
    if isinstance(cached, _Cached) and cached.transaction is transaction:
        return cached.head
    if connection.dialect.name == "postgresql":
        connection.execute(_PG_LOCK)
    head = read_head(session)
    session.info[_HEAD_KEY] = _Cached(head, transaction)
    return head


def advance_head(session: Session, head: ChainHead) -> None:
    """Record the link just written as the head for the rest of this transaction."""
    session.info[_HEAD_KEY] = _Cached(head, _innermost(session))


def read_head(session: Session) -> ChainHead:
    """The last link as stored (no lock, no cache): for reports."""
    seq = col(ReviewEvent.seq)
    row = (
        session.connection()
        .execute(
            sa_select(seq, col(ReviewEvent.hash))
            .where(seq.is_not(None))
            .order_by(seq.desc())
            .limit(1)
        )
        .first()
    )
    if row is None or row[0] is None or row[1] is None:
        return ChainHead(0, GENESIS)
    return ChainHead(int(row[0]), str(row[1]))


def _innermost(session: Session) -> object:
    # A savepoint that rolls back takes its events with it: keying the cache by the
    # innermost transaction makes the next append read the head again.
    return session.get_nested_transaction() or session.get_transaction()
