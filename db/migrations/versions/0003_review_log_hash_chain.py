"""the review log is a hash chain, and append-only

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 10:00:00

Adds ``seq``, ``prev_hash`` and ``hash`` to review_event, links the events already in the
workspace into a chain (in id order, which is the order they were written), then makes
the table append-only. The columns are added in place (no batch table copy), so nothing
else on the table is disturbed; the triggers are created last, after the backfill.
"""

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
import sqlmodel
from alembic import op

import db.types
from db.immutability import allow_changes, forbid_changes, pg_function_sql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "review_event"
BATCH = 2_000
GENESIS = "0" * 64

# The table as this revision knows it (not the current model, which may move on).
events = sa.table(
    TABLE,
    sa.column("id", sa.Integer()),
    sa.column("edition_id", sa.Integer()),
    sa.column("item_id", sa.Integer()),
    sa.column("actor", sa.String()),
    sa.column("action", sa.String()),
    sa.column("old_status", sa.String()),
    sa.column("new_status", sa.String()),
    sa.column("note", sa.String()),
    sa.column("reason", sa.String()),
    sa.column("payload", sa.JSON()),
    sa.column("created_at", db.types.UTCDateTime(timezone=True)),
    sa.column("seq", sa.Integer()),
    sa.column("prev_hash", sa.String()),
    sa.column("hash", sa.String()),
)


def event_hash(**fields: Any) -> str:
    """Hash scheme 1 as it stood when this migration was written, frozen here so that the
    migration behaves the same forever (docs/provenance.md specifies it byte for byte; a
    test checks that the application's function still agrees)."""
    created_at: datetime = fields.pop("created_at")
    if created_at.tzinfo is None:
        raise ValueError("event timestamps must carry a zone")
    content = {
        "scheme": 1,
        **fields,
        "created_at": created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
    }
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def upgrade() -> None:
    op.add_column(TABLE, sa.Column("seq", sa.Integer(), nullable=True))
    op.add_column(
        TABLE, sa.Column("prev_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
    )
    op.add_column(
        TABLE, sa.Column("hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
    )
    _link_existing_events()
    op.create_index(op.f("ix_review_event_seq"), TABLE, ["seq"], unique=True)
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(pg_function_sql())  # already there since 0002; harmless to repeat
    for statement in forbid_changes(dialect, TABLE):
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in allow_changes(dialect, TABLE):
        op.execute(statement)
    op.drop_index(op.f("ix_review_event_seq"), table_name=TABLE)
    # SQLite 3.35+ drops a column in place, so no table copy is needed here either.
    op.drop_column(TABLE, "hash")
    op.drop_column(TABLE, "prev_hash")
    op.drop_column(TABLE, "seq")


def _link_existing_events() -> None:
    connection = op.get_bind()
    content = [c for c in events.c if c.name not in ("id", "seq", "prev_hash", "hash")]
    update = (
        sa.update(events)
        .where(events.c.id == sa.bindparam("event_id"))
        .values(
            seq=sa.bindparam("new_seq"),
            prev_hash=sa.bindparam("new_prev"),
            hash=sa.bindparam("new_hash"),
        )
    )
    seq, previous, last_id = 0, GENESIS, 0
    while True:
        rows = connection.execute(
            sa.select(events.c.id, *content)
            .where(events.c.id > last_id)
            .order_by(events.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        links = []
        for row in rows:
            seq += 1
            fields = {c.name: getattr(row, c.name) for c in content}
            digest = event_hash(seq=seq, prev_hash=previous, **fields)
            links.append(
                {"event_id": row.id, "new_seq": seq, "new_prev": previous, "new_hash": digest}
            )
            previous = digest
        connection.execute(update, links)
        last_id = rows[-1].id
