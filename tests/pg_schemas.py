"""The schemas and team roles a test process makes on the shared PostgreSQL server, and the
sweep of those a killed run left behind.

Every schema a process makes carries its owner's tag (``t_o<tag>_…``, ``tmpl_o<tag>_…``), and
so does every role of a test team (``vt_o<tag>_…``, ``lead_o<tag>_…``: roles belong to the
whole server, so a killed run's would otherwise stay for good). While
the process runs, a connection of its own holds a session advisory lock keyed by that tag. The
server releases a session's locks when its connection ends, which a killed process's does
too, so a tag whose lock can be taken has no live owner: at start, each process drops the
schemas and roles of such tags. A live run (a parallel worker, another engineer's run on the same
server) holds its lock, so its schemas are never touched. Names without the tag (made before
owners were recorded, or by other code) are never swept.
"""

from __future__ import annotations

import re
import secrets
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

# The first key of every owner's lock: the test schemas' own class of advisory locks.
LOCK_CLASS = 0x76746573
OWNED = re.compile(r"^(?:tmpl|t)_o([0-9a-f]{8})_")
_LIST = text(
    "SELECT nspname FROM pg_namespace WHERE nspname ~ '^(tmpl|t)_o[0-9a-f]{8}_' ORDER BY nspname"
)
# A test team's roles: the group roles of its prefix and its logins (tests/team_fixture.py).
OWNED_ROLE = re.compile(
    r"^(?:vt|lead|asst|anal)_o([0-9a-f]{8})_[0-9a-f]{4}(?:_(?:lead|assistant|analyst|owner))?$"
)
_LIST_ROLES = text(
    "SELECT rolname FROM pg_roles WHERE rolname ~ '^(vt|lead|asst|anal)_o[0-9a-f]{8}_' ORDER BY 1"
)


def _lock_key(tag: str) -> int:
    """The tag as the signed 32-bit second key of ``pg_try_advisory_lock(int, int)``."""
    value = int(tag, 16)
    return value - (1 << 32) if value >= 1 << 31 else value


class SchemaOwner:
    """This process's claim on the schemas it makes: the tag, and the lock held on it."""

    def __init__(self, base: URL) -> None:
        self.base = base
        self.engine: Engine = create_engine(base, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        self._holder: Connection = self.engine.connect()
        while True:  # a tag another live run holds is taken again (once in four billion)
            self.tag = secrets.token_hex(4)
            if self._try_lock(self.tag):
                break

    def schema_name(self, suffix: str = "") -> str:
        """A new schema name of this owner: ``t_o<tag>_<random>``, or the template ``suffix``."""
        if suffix:
            return f"tmpl_o{self.tag}_{suffix}"
        return f"t_o{self.tag}_{uuid.uuid4().hex[:12]}"

    def role_suffix(self) -> str:
        """A new suffix for a test team's role names, tagged as this owner's."""
        return f"o{self.tag}_{secrets.token_hex(2)}"

    @contextmanager
    def fresh_schema(self) -> Iterator[str]:
        """A URL whose search_path is a new schema of this owner, dropped on leaving."""
        schema = self.schema_name()
        self.execute(f'CREATE SCHEMA "{schema}"')
        try:
            yield self.url(schema)
        finally:
            self.execute(f'DROP SCHEMA "{schema}" CASCADE')

    def url(self, schema: str) -> str:
        """The server's URL with ``schema`` as the search path."""
        url = self.base.update_query_dict({"options": f"-csearch_path={schema}"})
        return url.render_as_string(hide_password=False)

    def execute(self, statement: str) -> None:
        self._holder.execute(text(statement))

    def sweep(self) -> list[str]:
        """Drop the schemas and roles of owners that are gone; returns their names."""
        by_tag: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for kind, listing, pattern in (("schema", _LIST, OWNED), ("role", _LIST_ROLES, OWNED_ROLE)):
            for name in self._holder.execute(listing).scalars():
                found = pattern.match(name)
                if found and found.group(1) != self.tag:
                    by_tag[found.group(1)].append((kind, name))
        dropped = []
        for tag, names in sorted(by_tag.items()):
            if not self._try_lock(tag):
                continue  # its owner is alive
            try:
                for kind, name in names:  # schemas first: their objects go with them
                    if kind == "schema":
                        self.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
                    else:
                        self.execute(f'DROP OWNED BY "{name}" CASCADE')
                        self.execute(f'DROP ROLE IF EXISTS "{name}"')
                    dropped.append(name)
            finally:
                self._holder.execute(
                    text("SELECT pg_advisory_unlock(:c, :k)"),
                    {"c": LOCK_CLASS, "k": _lock_key(tag)},
                )
        return dropped

    def close(self) -> None:
        """Release the lock (by closing its connection): the schemas left are fair game."""
        self._holder.close()
        self.engine.dispose()

    def _try_lock(self, tag: str) -> bool:
        taken = self._holder.execute(
            text("SELECT pg_try_advisory_lock(:c, :k)"), {"c": LOCK_CLASS, "k": _lock_key(tag)}
        ).scalar_one()
        return bool(taken)
