"""source history: every recorded state of a source's metadata, append-only

Revision ID: 0008
Revises: 0010
Create Date: 2026-12-03 09:00:00

A new table, ``source_version``, filled from the log: each ``source_add`` or
``source_change`` event becomes the version its ``after`` payload describes. A source
first changed by an event (added before changes were logged) starts from that event's
``before``; a source with no event at all starts from its row as it is now. Those first
versions have no event. The table is append-only (triggers).
"""

from collections.abc import Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate writes sqlmodel.sql.sqltypes types)
from alembic import op

import db.types
from db.immutability import allow_changes, forbid_changes, pg_function_sql

revision: str = "0008"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen here: the metadata a source event records (verifier/core/sources/registry.py).
METADATA = (
    "title", "publisher", "language", "url", "file_path", "file_sha256", "published_on",
    "retrieved_on", "origin",
)  # fmt: skip
SOURCE_ACTIONS = ("source_add", "source_change")


def upgrade() -> None:
    op.create_table(
        "source_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("publisher", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
        sa.Column("url", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("file_path", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("file_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("retrieved_on", sa.Date(), nullable=True),
        sa.Column("origin", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("recorded_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["review_event.id"], name=op.f("fk_source_version_event_id_review_event")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["source.id"], name=op.f("fk_source_version_source_id_source")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_version")),
        sa.UniqueConstraint(
            "source_id", "version", name=op.f("uq_source_version_source_id_version")
        ),
    )
    with op.batch_alter_table("source_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_source_version_event_id"), ["event_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_source_version_source_id"), ["source_id"], unique=False
        )
    bind = op.get_bind()
    _backfill(bind)
    dialect = bind.dialect.name
    if dialect == "postgresql":
        op.execute(pg_function_sql())  # CREATE OR REPLACE: the same function as 0002's
    for statement in forbid_changes(dialect, "source_version"):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in allow_changes(dialect, "source_version"):
        op.execute(statement)
    with op.batch_alter_table("source_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_source_version_source_id"))
        batch_op.drop_index(batch_op.f("ix_source_version_event_id"))
    op.drop_table("source_version")


def _backfill(bind: sa.Connection) -> None:
    source = sa.table(
        "source",
        sa.column("id", sa.Integer()),
        sa.column("key", sa.String()),
        sa.column("created_at", db.types.UTCDateTime(timezone=True)),
        *(sa.column(name, _type(name)) for name in METADATA),
    )
    event = sa.table(
        "review_event",
        sa.column("id", sa.Integer()),
        sa.column("seq", sa.Integer()),
        sa.column("action", sa.String()),
        sa.column("actor", sa.String()),
        sa.column("payload", sa.JSON()),
        sa.column("created_at", db.types.UTCDateTime(timezone=True)),
    )
    version = sa.table(
        "source_version",
        *(sa.column(name) for name in ("source_id", "version", "key", "event_id")),
        *(sa.column(name, _type(name)) for name in METADATA),
        sa.column("recorded_by", sa.String()),
        sa.column("recorded_at", db.types.UTCDateTime(timezone=True)),
    )
    events: dict[str, list[Any]] = {}
    query = (
        sa.select(event)
        .where(event.c.action.in_(SOURCE_ACTIONS))
        .order_by(event.c.seq.is_(None), event.c.seq, event.c.id)
    )
    for row in bind.execute(query):
        payload = row.payload if isinstance(row.payload, dict) else {}
        if isinstance(payload.get("after"), dict):
            events.setdefault(str(payload.get("source")), []).append(row)
    rows: list[dict[str, Any]] = []
    for src in bind.execute(sa.select(source).order_by(source.c.id)):
        history = events.get(src.key, [])
        states: list[tuple[dict[str, Any], int | None, str, Any]] = []
        first_before = history[0].payload.get("before") if history else None
        if not history:
            states.append(({name: getattr(src, name) for name in METADATA}, None, "", None))
        elif isinstance(first_before, dict):
            states.append((_metadata(first_before), None, "", None))
        states += [
            (_metadata(e.payload["after"]), e.id, e.actor, e.created_at) for e in history
        ]
        for number, (values, event_id, actor, at) in enumerate(states, start=1):
            rows.append(
                {
                    "source_id": src.id,
                    "version": number,
                    "key": src.key,
                    "event_id": event_id,
                    **values,
                    "recorded_by": actor,
                    "recorded_at": at or src.created_at,
                }
            )
    if rows:
        bind.execute(sa.insert(version), rows)


def _type(name: str) -> sa.types.TypeEngine[Any]:
    return sa.Date() if name in ("published_on", "retrieved_on") else sa.String()


def _metadata(payload: dict[str, Any]) -> dict[str, Any]:
    values = {name: payload.get(name) for name in METADATA}
    for name in METADATA:
        if name in ("published_on", "retrieved_on"):
            values[name] = date.fromisoformat(values[name]) if values[name] else None
        elif values[name] is None:
            values[name] = ""
    return values
