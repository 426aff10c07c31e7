"""Where the chain ends (verifier.core.eventlog.chain): the head as stored, and the head an
appender sees, kept for the rest of its transaction and read again in the next one."""

from __future__ import annotations

from sqlalchemy import insert

from db.models import ReviewEvent, table_of
from db.types import utcnow
from tests.audit.test_audit_tamper import tamper
from verifier.core.eventlog.append import record_event
from verifier.core.eventlog.chain import ChainHead, advance_head, chain_head, read_head
from verifier.core.eventlog.hashing import GENESIS
from verifier.core.workspace import Workspace


def _note(workspace: Workspace, text: str) -> ReviewEvent:
    with workspace.session() as session:
        event = record_event(session, edition_id=None, actor="layla", action="note", note=text)
        return ReviewEvent(seq=event.seq, hash=event.hash)


def test_an_empty_log_ends_at_genesis(workspace: Workspace) -> None:
    with workspace.reading() as session:
        assert read_head(session) == ChainHead(0, GENESIS)
    with workspace.session() as session:
        assert chain_head(session) == ChainHead(0, GENESIS)


def test_the_stored_head_is_the_newest_link(workspace: Workspace) -> None:
    _note(workspace, "one")
    second = _note(workspace, "two")
    assert second.seq == 2 and second.hash is not None
    with workspace.reading() as session:
        assert read_head(session) == ChainHead(2, second.hash)


def test_an_event_without_a_position_is_not_the_head(workspace: Workspace) -> None:
    first = _note(workspace, "one")
    assert first.hash is not None
    row = {
        "edition_id": None, "item_id": None, "actor": "mallory", "action": "note",
        "old_status": None, "new_status": None, "note": "", "reason": "", "payload": {},
        "created_at": utcnow(), "seq": None, "prev_hash": None, "hash": None,
    }  # fmt: skip
    tamper(workspace, insert(table_of(ReviewEvent)).values(**row))
    with workspace.reading() as session:
        assert read_head(session) == ChainHead(1, first.hash)


def test_the_head_is_kept_for_the_transaction_and_read_again_in_the_next(
    workspace: Workspace,
) -> None:
    first = _note(workspace, "one")
    assert first.hash is not None
    with workspace.session() as session:
        assert chain_head(session) == ChainHead(1, first.hash)
        advance_head(session, ChainHead(7, "e" * 64))  # kept, not read again
        assert chain_head(session) == ChainHead(7, "e" * 64)
        session.rollback()
        # a new transaction: the kept head belongs to the old one
        assert chain_head(session) == ChainHead(1, first.hash)
    with workspace.session() as session:
        assert chain_head(session) == ChainHead(1, first.hash)
        session.commit()
        other = _note(workspace, "written by someone else in between")
        assert other.hash is not None
        assert chain_head(session) == ChainHead(2, other.hash)


def test_a_savepoint_keeps_its_own_head(workspace: Workspace) -> None:
    first = _note(workspace, "one")
    assert first.hash is not None
    with workspace.session() as session:
        assert chain_head(session) == ChainHead(1, first.hash)
        savepoint = session.begin_nested()
        advance_head(session, ChainHead(5, "d" * 64))
        assert chain_head(session) == ChainHead(5, "d" * 64)
        savepoint.rollback()
        assert chain_head(session) == ChainHead(1, first.hash)
