"""The schemas a test process makes in the shared PostgreSQL test database, and the sweep of
those a killed run left behind.

Every schema a process makes carries its owner's tag (``t_o<tag>_…``, ``tmpl_o<tag>_…``). While
the process runs, a connection of its own holds a session advisory lock keyed by that tag. The
server releases a session's locks when its connection ends, which a killed process's does
too, so a tag whose lock can be taken has no live owner: at start, each process drops the
schemas of such tags. A live run (a parallel worker, another engineer's run on the same
server) holds its lock, so its schemas are never touched. Names without the tag (made before
owners were recorded, or by other code) are never swept.
"""

from __future__ import annotations

import re
import secrets
import uuid
from collections import defaultdict

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

# The first key of every owner's lock: the test schemas' own class of advisory locks.
LOCK_CLASS = 0x76746573
OWNED = re.compile(r"^(?:tmpl|t)_o([0-9a-f]{8})_")
_LIST = text(
    "SELECT nspname FROM pg_namespace WHERE nspname ~ '^(tmpl|t)_o[0-9a-f]{8}_' ORDER BY nspname"
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

    def url(self, schema: str) -> str:
        """The server's URL with ``schema`` as the search path."""
        url = self.base.update_query_dict({"options": f"-csearch_path={schema}"})
        return url.render_as_string(hide_password=False)

    def execute(self, statement: str) -> None:
        self._holder.execute(text(statement))

    def sweep(self) -> list[str]:
        """Drop the schemas of owners that are gone; returns their names."""
        by_tag: dict[str, list[str]] = defaultdict(list)
        for name in self._holder.execute(_LIST).scalars():
            found = OWNED.match(name)
            if found and found.group(1) != self.tag:
                by_tag[found.group(1)].append(name)
        dropped = []
        for tag, names in sorted(by_tag.items()):
            if not self._try_lock(tag):
                continue  # its owner is alive
            try:
                for name in names:
                    self.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
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
