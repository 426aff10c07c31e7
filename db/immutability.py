"""Append-only tables, enforced by the database itself: triggers refuse UPDATE and DELETE
(and TRUNCATE on PostgreSQL), so not even a script with a connection can rewrite history.

Migrations call these functions; keep their SQL stable (add new functions rather than
changing what existing migrations emit).
"""

from __future__ import annotations

PG_FUNCTION = "verifier_refuse_change"


def pg_function_sql() -> str:
    return f"""
CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql
"""


def forbid_changes(dialect: str, table: str) -> list[str]:
    """Statements that make ``table`` append-only."""
    if dialect == "sqlite":
        return [
            f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: UPDATE refused'); END",
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: DELETE refused'); END",
        ]
    if dialect == "postgresql":
        return [
            f"CREATE TRIGGER {table}_no_change BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}()",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()",
        ]
    raise NotImplementedError(f"append-only triggers for {dialect}")


def allow_changes(dialect: str, table: str) -> list[str]:
    """The reverse of :func:`forbid_changes` (for downgrades)."""
    if dialect == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {table}_no_update",
            f"DROP TRIGGER IF EXISTS {table}_no_delete",
        ]
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_change ON {table}",
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
    ]


# Every table made append-only by a migration so far (0002, 0003, 0007). A migration that
# makes another table append-only adds it here, so that ``verifier audit verify`` checks it.
APPEND_ONLY_TABLES = (
    "review_event",
    "publication",
    "publication_value",
    "publication_evidence",
    "conflict_resolution",
    "qa_sample",
    "qa_frame_item",
    "qa_sample_item",
    "qa_review",
    "qa_adjudication",
    "source_version",
)


def guard_trigger_names(dialect: str, table: str) -> tuple[str, ...]:
    """The names of the triggers :func:`forbid_changes` creates on ``table``."""
    if dialect == "sqlite":
        return (f"{table}_no_update", f"{table}_no_delete")
    return (f"{table}_no_change", f"{table}_no_truncate")
