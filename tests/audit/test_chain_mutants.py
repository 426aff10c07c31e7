"""Where the chain ends (verifier.core.eventlog.chain): the head as stored, and the head an
appender sees, kept for the rest of its transaction and read again in the next one; on
PostgreSQL, held under the append lock until that transaction commits."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import insert, select, text

from db.models import ReviewEvent, table_of
from db.types import utcnow
from tests.audit.test_audit_tamper import tamper
from verifier.core.eventlog.append import record_event
from verifier.core.eventlog.chain import ChainHead, advance_head, chain_head, read_head
from verifier.core.eventlog.hashing import GENESIS
from verifier.core.workspace import Workspace

_LOG = table_of(ReviewEvent)


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
    tamper(workspace, insert(_LOG).values(**row))
    with workspace.reading() as session:
        assert read_head(session) == ChainHead(1, first.hash)


def test_a_newest_event_without_a_hash_gives_no_head(workspace: Workspace) -> None:
    # Written behind the application's back: a position and a link, but no hash. There is
    # no hash to extend, so the stored head is the genesis one, never the text "None".
    first = _note(workspace, "one")
    row = {
        "edition_id": None, "item_id": None, "actor": "mallory", "action": "note",
        "old_status": None, "new_status": None, "note": "", "reason": "", "payload": {},
        "created_at": utcnow(), "seq": 2, "prev_hash": first.hash, "hash": None,
    }  # fmt: skip
    tamper(workspace, insert(_LOG).values(**row))
    with workspace.reading() as session:
        assert read_head(session) == ChainHead(0, GENESIS)


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


@pytest.fixture
def pg_workspace(pg_url: str) -> Iterator[Workspace]:
    workspace = Workspace(pg_url)
    workspace.initialise()
    try:
        yield workspace
    finally:
        workspace.close()


def _waits_for(workspace: Workspace, holder: int) -> bool:
    """Whether some backend waits for an advisory lock that ``holder`` holds."""
    query = text(
        "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE NOT granted AND locktype = 'advisory' "
        "AND CAST(:holder AS integer) = ANY(pg_blocking_pids(pid)))"
    )
    with workspace.reading() as session:
        return bool(session.execute(query, {"holder": holder}).scalar_one())


def test_on_postgresql_the_head_read_holds_off_other_appenders_until_commit(
    pg_workspace: Workspace,
) -> None:
    # On PostgreSQL the database links events at COMMIT. Publishing reads the head into its
    # document, then appends its own event: a colleague's event committed in between would
    # come between the two, and the head the document records would no longer be the link
    # just before the publication's event. Reading the head takes the append lock, so the
    # colleague's COMMIT waits for the publisher's.
    _note(pg_workspace, "one")
    errors: list[BaseException] = []

    def colleague() -> None:
        try:
            _note(pg_workspace, "the colleague's")
        except BaseException as error:  # reported below
            errors.append(error)

    with pg_workspace.session() as publisher:
        head = chain_head(publisher)
        holder = publisher.connection().exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        other = threading.Thread(target=colleague)
        other.start()
        deadline = time.monotonic() + 20
        while other.is_alive() and not _waits_for(pg_workspace, holder):
            assert time.monotonic() < deadline, "the colleague neither committed nor waited"
            time.sleep(0.01)
        record_event(publisher, edition_id=None, actor="layla", action="note", note="mine")
    other.join(timeout=20)
    assert errors == [] and not other.is_alive()
    with pg_workspace.reading() as session:
        log = session.execute(
            select(_LOG.c.seq, _LOG.c.note, _LOG.c.prev_hash, _LOG.c.hash).order_by(_LOG.c.seq)
        ).all()
    assert [(seq, note) for seq, note, _, _ in log] == [
        (1, "one"), (2, "mine"), (3, "the colleague's")
    ]  # fmt: skip
    one, mine, theirs = log
    assert head == ChainHead(1, one.hash)
    assert (one.prev_hash, mine.prev_hash, theirs.prev_hash) == (GENESIS, one.hash, mine.hash)
