"""A read-only DB-API connection to a workspace, straight from the driver (sqlite3 or
psycopg), for a command that only reads and must start fast: SQLAlchemy, the models and
Alembic take most of a second to load, the query itself a few milliseconds.

Only plain URLs are taken this way: a SQLite file path or ``sqlite:///`` URL of plain
characters, and a ``postgresql://`` URL with a host name (not a socket path or an IPv6
address). Anything else (``:memory:``, ``file:`` URIs, other backends) gives None: the
caller uses the engine, which knows every form. What is shown of a URL is what
``db.engine.describe_url`` shows."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, quote_plus, unquote

# What a URL part may hold here: anything that SQLAlchemy would show escaped or read
# specially is left to it.
_PLAIN_PATH = re.compile(r"[A-Za-z0-9._~/ +-]*")
POSTGRESQL_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")


@dataclass(frozen=True)
class Target:
    backend: str  # "sqlite" or "postgresql"
    display: str  # the URL as shown to the user, password hidden
    path: Path | None = None  # SQLite: the database file
    conninfo: str = ""  # PostgreSQL: a libpq URI


def parse(value: str) -> Target | None:
    """Where ``value`` (a URL, or a path to a SQLite file) points, if it is plain."""
    if "://" not in value:
        path = str(Path(value).expanduser())
        return _sqlite(path)
    scheme, _, rest = value.partition("://")
    if scheme == "sqlite":
        if not rest.startswith("/") or "?" in rest:
            return None
        return _sqlite(rest[1:])
    if scheme in POSTGRESQL_SCHEMES:
        return _postgresql(rest)
    return None


def _sqlite(path: str) -> Target | None:
    if (
        not path
        or path == ":memory:"
        or path.startswith("file:")
        or not _PLAIN_PATH.fullmatch(path)
    ):
        return None
    return Target("sqlite", f"sqlite:///{path}", path=Path(path))


_POSTGRESQL = re.compile(
    r"(?:(?P<user>[^:/@]+)(?::(?P<password>[^@/]*))?@)?"
    r"(?P<host>[A-Za-z0-9.-]*)(?::(?P<port>[0-9]+))?"
    r"(?:/(?P<database>[^?#]*))?(?:\?(?P<query>[^#]*))?"
)


def _postgresql(rest: str) -> Target | None:
    found = _POSTGRESQL.fullmatch(rest)
    if found is None:
        return None
    user, password, host, port, database, query = found.group(
        "user", "password", "host", "port", "database", "query"
    )
    pairs = parse_qsl(query or "", keep_blank_values=True)
    if len(pairs) != len(parse_qsl(query or "")):
        return None  # a blank value: the engine drops it, the driver might not
    login = ""
    if user is not None:
        login = quote(unquote(user), safe=" +") + (":***" if password is not None else "") + "@"
    shown = f"postgresql+psycopg://{login}{host}" + (f":{int(port)}" if port else "")
    if database is not None:
        shown += "/" + quote(unquote(database), safe=" +/")
    if pairs:
        ordered = sorted(pairs, key=lambda pair: pair[0])  # stable: repeated keys keep order
        shown += "?" + "&".join(f"{quote_plus(k)}={quote_plus(v)}" for k, v in ordered)
    return Target("postgresql", shown, conninfo=f"postgresql://{rest}")


def connect(target: Target, lock_timeout: float = 30.0) -> Any:
    """A connection whose transaction only reads (and sees one snapshot, on SQLite). The
    SQLite file must exist: the caller checks, since connecting would create it."""
    if target.backend == "sqlite":
        import sqlite3

        assert target.path is not None
        lite = sqlite3.connect(target.path, isolation_level=None)
        lite.execute(f"PRAGMA busy_timeout={round(lock_timeout * 1000)}")
        lite.execute("PRAGMA query_only=ON")
        lite.execute("BEGIN")
        return lite
    import psycopg

    server = psycopg.connect(target.conninfo, autocommit=True)
    server.execute(f"SET lock_timeout = {max(1, round(lock_timeout * 1000))}")
    server.autocommit = False
    server.read_only = True
    return server


def driver_errors(target: Target) -> tuple[type[Exception], ...]:
    """The errors the target's driver raises (its module is loaded already, or now)."""
    if target.backend == "sqlite":
        import sqlite3

        return (sqlite3.Error,)
    import psycopg

    return (psycopg.Error,)


def current_revision(connection: Any, target: Target) -> str | None:
    """The revision in ``alembic_version``, None when the table is missing. Several rows
    (branches) raise LookupError: Alembic explains those."""
    cursor = connection.cursor()
    try:
        if target.backend == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                "AND name = 'alembic_version'"
            )
        else:
            cursor.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() "
                "AND tablename = 'alembic_version'"
            )
        if not cursor.fetchone()[0]:
            return None
        cursor.execute("SELECT version_num FROM alembic_version")
        rows = cursor.fetchall()
    finally:
        cursor.close()
    if len(rows) > 1:
        raise LookupError("several revisions")
    return str(rows[0][0]) if rows else None


# Who the connection acts as, and whether the workspace is in team mode (its team roles
# are set up): one statement, asked here and on the engine path
# (``verifier.core.people.roles.team_login``), so the two cannot answer differently.
TEAM_LOGIN_SQL = "SELECT session_user, EXISTS (SELECT 1 FROM team_role)"


def team_login_of(answer: tuple[Any, ...]) -> str | None:
    """The login in ``TEAM_LOGIN_SQL``'s answer, None outside team mode."""
    login, team = answer
    return str(login) if team else None


def team_login(connection: Any, target: Target) -> str | None:
    """In team mode (a PostgreSQL workspace whose team roles are set up), the login the
    connection acts as; None otherwise. Read on a workspace at the current schema."""
    if target.backend != "postgresql":
        return None
    cursor = connection.cursor()
    try:
        cursor.execute(TEAM_LOGIN_SQL)
        answer = cursor.fetchone()
    finally:
        cursor.close()
    return team_login_of(answer)
