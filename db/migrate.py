"""Schema migrations (Alembic), driven from code so no alembic.ini is needed."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text

if TYPE_CHECKING:  # Alembic loads only to migrate: checking a schema reads two strings
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# What migrations make that no model describes: the SQLite search index (an FTS5 table and
# its shadow tables) and PostgreSQL's trigram index. Schema comparisons leave them alone.
OUTSIDE_MODELS = ("item_search", "ix_item_search_trgm")


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """For Alembic's comparisons: every object but those in ``OUTSIDE_MODELS``."""
    return not (name or "").startswith(OUTSIDE_MODELS)


_REVISION = re.compile(r"^revision\b[^=]*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision\b[^=]*=(.*)$", re.MULTILINE)


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        config.set_main_option(
            "sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%")
        )
        config.attributes["engine"] = engine
    return config


@cache
def head_revision() -> str:
    """The newest migration: the one no other names as its ``down_revision``. Read from the
    migration files' two assignments, so a command that only checks the schema does not
    load Alembic (a fifth of a second of start-up); anything unusual (several heads, a file
    the pattern does not read) is left to Alembic, which explains it."""
    revisions: set[str] = set()
    below: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        named = _REVISION.search(source)
        down = _DOWN_REVISION.search(source)
        if named is None or down is None:
            continue
        revisions.add(named.group(1))
        below.update(re.findall(r"['\"]([^'\"]+)['\"]", down.group(1)))
    heads = revisions - below
    if len(heads) == 1:
        return heads.pop()
    return _alembic_head()


def _alembic_head() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migrations found"
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision recorded in ``alembic_version`` (None when there is none); more than one
    row (branches) is left to Alembic, which says so."""
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        if len(rows) <= 1:
            return str(rows[0][0]) if rows else None
        from alembic.runtime.migration import MigrationContext

        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(engine), revision)
