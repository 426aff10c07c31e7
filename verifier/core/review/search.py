"""Text search of the queue, by index.

Every word must appear in the item's label or snippet (its folded ``search_key``), or in
the title, key or publisher of its source, or in a name of its matched city; ``#123``
finds item 123.

The label and snippet are searched through an index made by migration 0010: on SQLite an
FTS5 table with the trigram tokenizer over ``search_key`` (``item_search``), on
PostgreSQL a pg_trgm GIN index on the column. Both answer ``LIKE '%word%'`` for a word of
three characters or more, in either script, and the candidates are checked against the
text itself, so the index never changes what is found. Shorter words are matched by
reading the column. Source and city names are few: they are folded in Python (the fold
of harakat, hamza seats and letter variants has no SQL equivalent) and become id lists.

On SQLite a word found in few items becomes the set of their ids, read from the index,
so the queue reads only them; a common word is checked while the queue walks the items
in id order, where a page is full after a few hundred (see ``_in_text``).
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import ColumnElement, func, literal_column, or_, text
from sqlmodel import Session, col, select

from db.models import City, CityAlias, EditionCity, Item, Source
from verifier.core.text import search_fold

# What the trigram index can serve: a pattern holding at least one trigram.
INDEXED_WORD = 3
# Fewer matches than this and a word is read from the index (see _in_text).
RARE = 2_000
IN_LIMIT = 900  # SQLite's bound-parameter limit is 999 on old builds
_ESCAPE = "/"


def search_conditions(session: Session, edition_id: int, typed: str) -> list[ColumnElement[bool]]:
    """WHERE clauses on ``item`` for the text typed in the search box."""
    stripped = typed.strip()
    if stripped.startswith("#") and stripped[1:].isdigit():
        return [col(Item.id) == int(stripped[1:])]
    words = search_fold(stripped).split()
    sources = _folded_sources(session)
    cities = _folded_city_names(session, edition_id)
    where: list[ColumnElement[bool]] = []
    for word in words:
        ways = [_in_text(session, word)]
        source_ids = [sid for sid, folded in sources if word in folded]
        if source_ids:
            ways.append(col(Item.source_id).in_(source_ids[:IN_LIMIT]))
        city_ids = sorted({cid for cid, folded in cities if word in folded})
        if city_ids:
            ways.append(col(Item.city_id).in_(city_ids[:IN_LIMIT]))
        where.append(or_(*ways))
    return where


def _like(column: Any, word: str) -> ColumnElement[bool]:
    escaped = word.replace(_ESCAPE, _ESCAPE * 2).replace("%", _ESCAPE + "%")
    escaped = escaped.replace("_", _ESCAPE + "_")
    return cast(ColumnElement[bool], column.like(f"%{escaped}%", escape=_ESCAPE))


def _in_text(session: Session, word: str) -> ColumnElement[bool]:
    """The item's label or snippet holds ``word``.

    On PostgreSQL a LIKE, which the planner serves from the trigram index or not, as its
    statistics say. On SQLite, where the planner cannot tell a rare word from a common
    one: the index is asked first for up to RARE matches; a rare word becomes the set of
    its items (a page reads only them), a common one a LIKE checked while the queue walks
    the items in order (a page is full after a few hundred).
    """
    like = _like(col(Item.search_key), word)
    if session.get_bind().dialect.name != "sqlite" or len(word) < INDEXED_WORD:
        return like
    # FTS5 serves LIKE only without ESCAPE: the pattern takes the word as it is (a % or _
    # in it then matches more than itself) and instr() keeps the exact matches.
    rowid: Any = literal_column("item_search.rowid")
    key: Any = literal_column("item_search.search_key")
    indexed = (
        select(rowid)
        .select_from(text("item_search"))
        .where(key.like(f"%{word}%"), func.instr(key, word) > 0)
    )
    probe = select(func.count()).select_from(indexed.limit(RARE).subquery())
    if int(session.exec(probe).one()) < RARE:
        return col(Item.id).in_(indexed)
    return like


def _folded_sources(session: Session) -> list[tuple[int, str]]:
    rows = session.exec(select(Source.id, Source.key, Source.title, Source.publisher)).all()
    return [
        (sid or 0, search_fold(f"{key} {title} {publisher}")) for sid, key, title, publisher in rows
    ]


def _folded_city_names(session: Session, edition_id: int) -> list[tuple[str, str]]:
    members = select(EditionCity.city_id).where(EditionCity.edition_id == edition_id)
    names: list[tuple[str, str]] = []
    for city_id, name_en, name_ar in session.exec(
        select(City.id, City.name_en, City.name_ar).where(col(City.id).in_(members))
    ):
        names.append((city_id, search_fold(f"{name_en} {name_ar}")))
    aliases = select(CityAlias.city_id, CityAlias.name).where(col(CityAlias.city_id).in_(members))
    names.extend((city_id, search_fold(name)) for city_id, name in session.exec(aliases))
    return names
