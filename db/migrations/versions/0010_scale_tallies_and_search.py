"""Costs independent of the workspace's size: progress tallies, item-view indexes, search index

Revision ID: 0010
Revises: 0009
Create Date: 2027-01-11 09:00:00

- ``item_tally`` and ``reviewer_tally`` hold how many items have each (indicator, city,
  country hint, band, status) and each (reviewer, status), kept by triggers on ``item``,
  so progress (the review UI's status line, the dashboard, ``verifier status``) reads a
  few hundred rows, never every item. They are filled from the items already there.
  On PostgreSQL inserts and deletes are tallied once per statement (transition tables:
  a 100,000-row import costs one grouped upsert), and updates at COMMIT by a deferred
  trigger, so a decision holds a tally row's lock for microseconds, not across its
  round trips; the functions run as their owner, so team logins need no write grant.
- Two item indexes: same city, indicator and year (the item view's peers) and same label
  and country hint (a bulk confirmation's items), which replaces the label-only one.
- Text search: on SQLite an FTS5 trigram index over ``item.search_key`` (external
  content: the text is not stored twice; detail=none: LIKE needs no positions); on
  PostgreSQL a pg_trgm GIN index on the same column, serving ``LIKE '%word%'``.

Nothing existing is rebuilt, so no trigger of another table is disturbed. The SQL is
frozen here: later changes go in new migrations.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = "edition_id, indicator_id, city_id, country, band, status"
# The tally key of an item row (NEW or OLD in a trigger, a table alias elsewhere).
ITEM_KEY = (
    "{r}.edition_id, {r}.indicator_id, coalesce({r}.city_id, ''), {r}.country, "
    "coalesce({r}.match_band, ''), {r}.status"
)
REVIEWER_KEY = "{r}.edition_id, {r}.status_changed_by, {r}.status"
KEY_COLUMNS = ("edition_id", "indicator_id", "city_id", "country", "match_band", "status")


def upgrade() -> None:
    op.create_table(
        "item_tally",
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("city_id", sa.String(), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("band", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "edition_id", "indicator_id", "city_id", "country", "band", "status",
            name=op.f("pk_item_tally"),
        ),
    )  # fmt: skip
    op.create_table(
        "reviewer_tally",
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("reviewer", sa.String(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("edition_id", "reviewer", "status", name=op.f("pk_reviewer_tally")),
    )
    op.drop_index("ix_item_edition_label_key", table_name="item")
    op.create_index("ix_item_edition_label", "item", ["edition_id", "label_key", "country"])
    op.create_index(
        "ix_item_edition_city_value", "item", ["edition_id", "city_id", "indicator_id", "year"]
    )
    bind = op.get_bind()
    statements = _sqlite_up() if bind.dialect.name == "sqlite" else _postgresql_up(bind)
    for statement in statements:
        _execute(statement)
    _execute(
        f"INSERT INTO item_tally ({KEY}, n) SELECT {ITEM_KEY.format(r='item')}, count(*) "
        f"FROM item GROUP BY {ITEM_KEY.format(r='item')}"
    )
    _execute(
        f"INSERT INTO reviewer_tally (edition_id, reviewer, status, n) "
        f"SELECT {REVIEWER_KEY.format(r='item')}, count(*) FROM item "
        f"WHERE status_changed_by IS NOT NULL GROUP BY {REVIEWER_KEY.format(r='item')}"
    )


def downgrade() -> None:
    bind = op.get_bind()
    statements = _sqlite_down() if bind.dialect.name == "sqlite" else _postgresql_down()
    for statement in statements:
        _execute(statement)
    op.drop_index("ix_item_edition_city_value", table_name="item")
    op.drop_index("ix_item_edition_label", table_name="item")
    op.create_index("ix_item_edition_label_key", "item", ["edition_id", "label_key"])
    op.drop_table("reviewer_tally")
    op.drop_table("item_tally")


def _execute(statement: str) -> None:
    """SQL exactly as written, on the driver's cursor: bodies hold quotes and colons."""
    connection = op.get_bind().connection.driver_connection
    cursor = connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(statement)
    finally:
        cursor.close()


# SQLite: row triggers (writers are serialised by the database lock anyway) ---------------


def _sqlite_tally(row: str, delta: str) -> list[str]:
    item_key = ITEM_KEY.format(r=row)
    reviewer_key = REVIEWER_KEY.format(r=row)
    return [
        f"INSERT INTO item_tally ({KEY}, n) VALUES ({item_key}, {delta}) "
        f"ON CONFLICT ({KEY}) DO UPDATE SET n = n + excluded.n;",
        f"INSERT INTO reviewer_tally (edition_id, reviewer, status, n) "
        f"SELECT {reviewer_key}, {delta} WHERE {row}.status_changed_by IS NOT NULL "
        f"ON CONFLICT (edition_id, reviewer, status) DO UPDATE SET n = n + excluded.n;",
    ]


def _sqlite_up() -> list[str]:
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in (*KEY_COLUMNS, "status_changed_by"))
    return [
        "CREATE TRIGGER item_tally_insert AFTER INSERT ON item BEGIN "
        + " ".join(_sqlite_tally("NEW", "1"))
        + " END",
        "CREATE TRIGGER item_tally_delete AFTER DELETE ON item BEGIN "
        + " ".join(_sqlite_tally("OLD", "-1"))
        + " END",
        f"CREATE TRIGGER item_tally_update AFTER UPDATE OF {', '.join(KEY_COLUMNS)}, "
        f"status_changed_by ON item WHEN {changed} BEGIN "
        + " ".join([*_sqlite_tally("OLD", "-1"), *_sqlite_tally("NEW", "1")])
        + " END",
        "CREATE VIRTUAL TABLE item_search USING fts5(search_key, content='item', "
        "content_rowid='id', tokenize='trigram', detail='none')",
        "INSERT INTO item_search (item_search) VALUES ('rebuild')",
        "CREATE TRIGGER item_search_insert AFTER INSERT ON item BEGIN "
        "INSERT INTO item_search (rowid, search_key) VALUES (NEW.id, NEW.search_key); END",
        "CREATE TRIGGER item_search_delete AFTER DELETE ON item BEGIN "
        "INSERT INTO item_search (item_search, rowid, search_key) "
        "VALUES ('delete', OLD.id, OLD.search_key); END",
        "CREATE TRIGGER item_search_update AFTER UPDATE OF search_key ON item "
        "WHEN OLD.search_key IS NOT NEW.search_key BEGIN "
        "INSERT INTO item_search (item_search, rowid, search_key) "
        "VALUES ('delete', OLD.id, OLD.search_key); "
        "INSERT INTO item_search (rowid, search_key) VALUES (NEW.id, NEW.search_key); END",
    ]


def _sqlite_down() -> list[str]:
    return [
        *(f"DROP TRIGGER IF EXISTS item_search_{w}" for w in ("insert", "delete", "update")),
        "DROP TABLE IF EXISTS item_search",
        *(f"DROP TRIGGER IF EXISTS item_tally_{w}" for w in ("insert", "delete", "update")),
    ]


# PostgreSQL ------------------------------------------------------------------------------


def _pg_upsert(source: str) -> list[str]:
    """Upserts of grouped deltas from ``source`` (rows with the item columns and ``d``),
    in key order: concurrent writers take the tally rows' locks in the same order."""
    item_key = ITEM_KEY.format(r="s")
    reviewer_key = REVIEWER_KEY.format(r="s")
    return [
        f"INSERT INTO item_tally AS t ({KEY}, n) SELECT {item_key}, sum(s.d) FROM {source} s "
        f"GROUP BY {item_key} HAVING sum(s.d) <> 0 ORDER BY {item_key} "
        f"ON CONFLICT ({KEY}) DO UPDATE SET n = t.n + excluded.n;",
        f"INSERT INTO reviewer_tally AS t (edition_id, reviewer, status, n) "
        f"SELECT {reviewer_key}, sum(s.d) FROM {source} s "
        f"WHERE s.status_changed_by IS NOT NULL "
        f"GROUP BY {reviewer_key} HAVING sum(s.d) <> 0 ORDER BY {reviewer_key} "
        f"ON CONFLICT (edition_id, reviewer, status) DO UPDATE SET n = t.n + excluded.n;",
    ]


def _pg_function(name: str, body: list[str], schema: str) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql "
        f"SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$ BEGIN "
        + " ".join(body)
        + " RETURN NULL; END $$"
    )


def _postgresql_up(bind: sa.Connection) -> list[str]:
    schema = bind.execute(sa.text("SELECT current_schema()")).scalar_one()
    quoted = '"' + schema.replace('"', '""') + '"'
    columns = ", ".join(("edition_id", "indicator_id", "city_id", "country", "match_band",
                         "status", "status_changed_by"))  # fmt: skip
    plus = f"(SELECT {columns}, 1 AS d FROM new_items)"
    minus = f"(SELECT {columns}, -1 AS d FROM old_items)"
    one_row = (
        f"(SELECT NEW.{', NEW.'.join(columns.split(', '))}, 1 AS d "
        f"UNION ALL SELECT OLD.{', OLD.'.join(columns.split(', '))}, -1)"
    )
    changed = " OR ".join(
        f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in (*KEY_COLUMNS, "status_changed_by")
    )
    statements = [
        _pg_function("verifier_tally_insert", _pg_upsert(plus), quoted),
        _pg_function("verifier_tally_delete", _pg_upsert(minus), quoted),
        _pg_function("verifier_tally_update", _pg_upsert(one_row), quoted),
        "CREATE TRIGGER item_tally_insert AFTER INSERT ON item REFERENCING NEW TABLE AS "
        "new_items FOR EACH STATEMENT EXECUTE FUNCTION verifier_tally_insert()",
        "CREATE TRIGGER item_tally_delete AFTER DELETE ON item REFERENCING OLD TABLE AS "
        "old_items FOR EACH STATEMENT EXECUTE FUNCTION verifier_tally_delete()",
        "CREATE CONSTRAINT TRIGGER item_tally_update AFTER UPDATE ON item "
        f"DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN ({changed}) "
        "EXECUTE FUNCTION verifier_tally_update()",
    ]
    # pg_trgm lives in one schema for the whole database (workspaces in other schemas
    # share it): made in public when missing, used wherever it is. Without the right to
    # create it, search works unindexed; the README says how to add it later.
    bind.exec_driver_sql("SAVEPOINT verifier_trgm")
    try:
        bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public")
    except sa.exc.DBAPIError:
        bind.exec_driver_sql("ROLLBACK TO SAVEPOINT verifier_trgm")
        return statements
    bind.exec_driver_sql("RELEASE SAVEPOINT verifier_trgm")
    where = bind.execute(
        sa.text(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
            "ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'"
        )
    ).scalar_one()
    ops = '"' + where.replace('"', '""') + '".gin_trgm_ops'
    statements.append(f"CREATE INDEX ix_item_search_trgm ON item USING gin (search_key {ops})")
    return statements


def _postgresql_down() -> list[str]:
    return [
        "DROP INDEX IF EXISTS ix_item_search_trgm",
        "DROP TRIGGER IF EXISTS item_tally_update ON item",
        "DROP TRIGGER IF EXISTS item_tally_delete ON item",
        "DROP TRIGGER IF EXISTS item_tally_insert ON item",
        "DROP FUNCTION IF EXISTS verifier_tally_update()",
        "DROP FUNCTION IF EXISTS verifier_tally_delete()",
        "DROP FUNCTION IF EXISTS verifier_tally_insert()",
    ]
