"""The trigram index keeps no column sizes: less to write per item

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 12:00:00

SQLite's trigram index ``item_search`` kept each item's token count in a table of its own
(``item_search_docsize``): one more row written per imported item, inside the import's
write transaction, which holds the write lock. Only ranking functions read those counts,
and the search never ranks (it asks the index which items hold a text), so the index is
created again with ``columnsize=0`` and rebuilt from the items. Its triggers on ``item``
name it only and stay as they are. PostgreSQL's trigram index is unchanged.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SEARCH = (
    "CREATE VIRTUAL TABLE item_search USING fts5(search_key, content='item', "
    "content_rowid='id', tokenize='trigram', detail='none'{})"
)


def _search_index(options: str) -> None:
    """SQLite: the trigram index created again with ``options``, rebuilt from the items."""
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TABLE item_search")
    op.execute(_SEARCH.format(options))
    op.execute("INSERT INTO item_search (item_search) VALUES ('rebuild')")


def upgrade() -> None:
    _search_index(", columnsize=0")


def downgrade() -> None:
    _search_index("")
