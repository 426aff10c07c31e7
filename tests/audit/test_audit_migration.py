"""Migration 0003 links the events of an existing workspace into a chain, then makes the log
append-only; downgrading undoes both."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.exc import DBAPIError

from db import migrate
from db.engine import create_workspace_engine
from verifier.core.audit import verify_audit
from verifier.core.eventlog.hashing import GENESIS, event_hash
from verifier.core.workspace import Workspace

# The kinds of event an existing workspace holds, in the 0002 schema (no chain columns yet).
# (Without items in this bare database, item_id stays empty.)
OLD_EVENTS = [
    ("edition_load", None, None, "", "", {"cities": 4, "folder": "/data/mini"}),
    ("import", None, None, "", "", {"batch_id": 1, "file": "a.csv", "accepted": 2}),
    ("auto_match", None, None, "", "", {"bands": {"auto": 1, "review": 1}}),
    ("match", None, None, "", "", {"old_city": None, "new_city": "sa-riyadh", "score": 91.5}),
    ("status", "unverified", "verified", "checked p. 12", "", {}),
    ("note", "unverified", "unverified", "الرقم غير واضح", "", {}),
    ("status", "unverified", "rejected", "", "wrong table", {}),
    ("undo", "rejected", "unverified", "", "undo of event 7", {"undoes": 7}),
    ("resolve_conflict", "verified", "verified", "", "ministry figure", {"other_items": [2]}),
    ("publish", None, None, "first", "", {"publication_id": 1, "sha256": "ab" * 32}),
]


def _old_workspace(url: str) -> Workspace:
    engine = create_workspace_engine(url)
    migrate.upgrade(engine, "0002")
    metadata = sa.MetaData()
    metadata.reflect(engine, only=["edition", "import_batch"])
    start = datetime(2026, 9, 14, 7, 0, tzinfo=UTC)
    with engine.begin() as connection:
        connection.execute(
            metadata.tables["edition"].insert(),
            [{"id": 1, "code": "old", "name": "Old", "name_ar": "", "description": "",
              "created_at": start.replace(tzinfo=None)}],
        )  # fmt: skip
        # The batch the import event records (the audit checks its row against the event).
        connection.execute(
            metadata.tables["import_batch"].insert(),
            [{"id": 1, "edition_id": 1, "file_name": "a.csv", "file_path": "/data/a.csv",
              "file_sha256": "cd" * 32, "file_format": "csv", "encoding": "utf-8",
              "column_map": {}, "imported_by": "layla", "imported_at": start.replace(tzinfo=None),
              "rows_total": 2, "accepted_count": 2, "rejected_count": 0,
              "duplicate_count": 0}],
        )  # fmt: skip
        rows: list[dict[str, Any]] = [
            {"edition_id": 1, "item_id": None, "actor": "layla", "action": action,
             "old_status": old, "new_status": new, "note": note, "reason": reason,
             "payload": payload, "created_at": (start + timedelta(minutes=n, microseconds=n * 7))}
            for n, (action, old, new, note, reason, payload) in enumerate(OLD_EVENTS)
        ]  # fmt: skip
        table = sa.Table(
            "review_event", sa.MetaData(),
            sa.Column("id", sa.Integer, primary_key=True), sa.Column("edition_id", sa.Integer),
            sa.Column("item_id", sa.Integer), sa.Column("actor", sa.String),
            sa.Column("action", sa.String), sa.Column("old_status", sa.String),
            sa.Column("new_status", sa.String), sa.Column("note", sa.String),
            sa.Column("reason", sa.String), sa.Column("payload", sa.JSON),
            sa.Column("created_at", sa.DateTime(timezone=True)),
        )  # fmt: skip
        if connection.dialect.name == "sqlite":  # stored naive, as UTCDateTime does
            for r in rows:
                r["created_at"] = r["created_at"].replace(tzinfo=None)
        connection.execute(table.insert(), rows)
    return Workspace(url, engine)


def test_existing_events_are_chained_and_then_protected(any_url: str) -> None:
    workspace = _old_workspace(any_url)
    try:
        workspace.initialise()
        with workspace.reading() as session:
            result = verify_audit(session)
            rows = session.execute(
                sa.text("SELECT id, seq, prev_hash, hash FROM review_event ORDER BY id")
            ).all()
        assert [r.seq for r in rows] == list(range(1, len(OLD_EVENTS) + 1))
        assert rows[0].prev_hash == GENESIS
        assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(rows))
        assert result.findings == []
        assert result.events == len(OLD_EVENTS) and result.head_seq == len(OLD_EVENTS)
        with pytest.raises(DBAPIError, match="append-only"), workspace.engine.begin() as c:
            c.execute(sa.text("UPDATE review_event SET note = 'x' WHERE seq = 5"))
    finally:
        workspace.close()


def test_downgrade_and_upgrade_again(any_url: str) -> None:
    workspace = _old_workspace(any_url)
    try:
        workspace.initialise()
        command.downgrade(migrate.alembic_config(workspace.engine), "0002")
        columns = {c["name"] for c in sa.inspect(workspace.engine).get_columns("review_event")}
        assert not columns & {"seq", "prev_hash", "hash"}
        with workspace.engine.begin() as connection:  # writable again, as in 0002
            connection.execute(sa.text("UPDATE review_event SET note = note"))
        workspace.initialise()
        with workspace.reading() as session:
            assert verify_audit(session).intact
    finally:
        workspace.close()


def test_the_migrations_frozen_hash_agrees_with_the_applications() -> None:
    """0003 carries its own copy of hash scheme 1, so that it never changes with the
    application; today both must give the same hash for every kind of event."""
    import importlib

    frozen = importlib.import_module("db.migrations.versions.0003_review_log_hash_chain")
    moment = datetime(2026, 9, 14, 7, 22, 5, 123456, tzinfo=UTC)
    previous = GENESIS
    for seq, (action, old, new, note, reason, payload) in enumerate(OLD_EVENTS, start=1):
        fields: dict[str, Any] = {
            "seq": seq,
            "prev_hash": previous,
            "edition_id": 1,
            "item_id": seq if action in ("status", "note", "undo") else None,
            "actor": "لیلى" if seq % 2 else "omar",
            "action": action,
            "old_status": old,
            "new_status": new,
            "note": note,
            "reason": reason,
            "payload": payload,
            "created_at": moment + timedelta(seconds=seq),
        }
        expected = event_hash(**fields)
        assert frozen.event_hash(**fields) == expected
        previous = expected
