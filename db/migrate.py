"""Schema migrations (Alembic), driven from code so no alembic.ini is needed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Engine, text

from db.revision import MIGRATIONS_DIR, head_revision

if TYPE_CHECKING:  # Alembic loads only to migrate: checking a schema reads two strings
    from alembic.config import Config

__all__ = ["MIGRATIONS_DIR", "head_revision"]  # read from the files, see db.revision

# What migrations make that no model describes: the SQLite search index (an FTS5 table and
# its shadow tables) and PostgreSQL's trigram index. Schema comparisons leave them alone.
OUTSIDE_MODELS = ("item_search", "ix_item_search_trgm")


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """For Alembic's comparisons: every object but those in ``OUTSIDE_MODELS``."""
    return not (name or "").startswith(OUTSIDE_MODELS)


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
