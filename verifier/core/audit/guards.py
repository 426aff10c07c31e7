"""The database's own guard: the triggers that make the history tables append-only.

Someone who drops (or disables) them can rewrite rows that nothing else protects; putting
them back afterwards hides that, which is why the other checks exist. A guard that is
missing *now* is reported on its own: the workspace is open to silent rewrites.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

from db.immutability import APPEND_ONLY_TABLES, guard_trigger_names
from verifier.core.audit.findings import Finding
from verifier.core.wording import agree


def check_guards(session: Session, findings: list[Finding]) -> None:
    """A finding for each append-only table whose guard triggers are missing or disabled."""
    connection = session.connection()
    dialect = connection.dialect.name
    present = _enabled_triggers(session)
    tables = _existing_tables(session)
    for table in APPEND_ONLY_TABLES:
        if table not in tables:
            continue  # a table a later migration adds, in an older workspace
        missing = [name for name in guard_trigger_names(dialect, table) if name not in present]
        if missing:
            findings.append(
                Finding(
                    "guard",
                    f"table {table} is no longer append-only: its "
                    f"{agree(len(missing), 'trigger')} {', '.join(missing)} "
                    f"{agree(len(missing), 'was', 'were')} dropped or disabled, so its rows can be "
                    "rewritten without a trace (re-create them as the migrations define them, "
                    "and treat everything else found here as possible tampering)",
                )
            )


def _enabled_triggers(session: Session) -> set[str]:
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        rows = connection.execute(
            text(
                "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE c.relnamespace = current_schema()::regnamespace "
                "AND NOT t.tgisinternal AND t.tgenabled <> 'D'"
            )
        )
    else:
        rows = connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
    return {str(name) for (name,) in rows}


def _existing_tables(session: Session) -> set[str]:
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        rows = connection.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        )
    else:
        rows = connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))
    return {str(name) for (name,) in rows}
