"""Search goes through the trigram index (FTS5 on SQLite, pg_trgm on PostgreSQL) and finds
exactly what reading every item would: in either script, with short words, with the
characters LIKE treats specially, combined with other filters, a page at a time."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from db.models import City, CityAlias, Item, Source
from tests.importing_helpers import row, write_csv
from tests.scale.generated import fill
from verifier.core.importing import ImportOptions, import_file
from verifier.core.review import queue
from verifier.core.review.filters import conditions
from verifier.core.review.queue import QueueFilter
from verifier.core.review.search import search_conditions
from verifier.core.text import search_fold
from verifier.core.workspace import Workspace, resolve_edition

WORDS = [
    "riyadh", "الرياض", "الریاض", "qahirah", "طرابلس", "2021", "21", "p.", "ministry",
    "التقرير", "TRD-WATER", "50%", "a_b", "x/y", "riyadh 2022", "نسبة", "nothing-like-this",
]  # fmt: skip


@pytest.fixture
def searchable(any_workspace: Workspace, tmp_path: Path) -> Workspace:
    workspace = fill(any_workspace, tmp_path, 400)
    odd = [
        row("Riyadh", "TRD-WATER", "50", "", "2022", "ministry-ar", "odd 1", "rate 50% (a_b)"),
        row("القاهرة", "TRD-WATER", "51", "", "2022", "ministry-ar", "odd 2",
            "نسبة الأسر x/y", country="EG", language="ar"),
    ]  # fmt: skip
    import_file(workspace, write_csv(tmp_path / "odd.csv", odd), ImportOptions("omar"))
    return workspace


def _expected(session: Session, edition_id: int, typed: str) -> list[int]:
    """Every item read and checked in Python: what search must find."""
    sources = {
        s.id: search_fold(f"{s.key} {s.title} {s.publisher}") for s in session.exec(select(Source))
    }
    names: dict[str, str] = {}
    for city in session.exec(select(City)):
        names[city.id] = search_fold(f"{city.name_en} {city.name_ar}")
    for alias in session.exec(select(CityAlias)):
        names[alias.city_id] = names.get(alias.city_id, "") + " " + search_fold(alias.name)
    found = []
    for item in session.exec(select(Item).where(Item.edition_id == edition_id)):
        places = (item.search_key, sources[item.source_id], names.get(item.city_id or "", ""))
        if all(any(word in place for place in places) for word in search_fold(typed).split()):
            found.append(item.id)
    return sorted(i for i in found if i is not None)


def test_search_finds_what_reading_every_item_finds(searchable: Workspace) -> None:
    with searchable.reading() as session:
        edition_id = resolve_edition(session, None).id
        assert edition_id is not None
        for typed in WORDS:
            flt = QueueFilter(search=typed)
            found = queue.item_ids(session, edition_id, flt)
            assert found == _expected(session, edition_id, typed), typed
            assert queue.count(session, edition_id, flt) == len(found)
        assert queue.item_ids(session, edition_id, QueueFilter(search="nothing-like-this")) == []
        assert queue.item_ids(session, edition_id, QueueFilter(search="a_b")) != []


def test_search_pages_and_combines_with_other_filters(searchable: Workspace) -> None:
    with searchable.reading() as session:
        edition_id = resolve_edition(session, None).id
        assert edition_id is not None
        flt = QueueFilter(search="riyadh", years=(2022,), statuses=("unverified",))
        every = queue.item_ids(session, edition_id, flt)
        assert every and len(every) > 12
        pages: list[int] = []
        after = None
        while True:
            page = queue.page_after(session, edition_id, flt, after, 5)
            pages.extend(page.ids)
            if not page.has_after:
                break
            after = page.ids[-1]
        assert pages == every


def test_sqlite_search_reads_the_fts_index(sqlite_url: str, tmp_path: Path) -> None:
    workspace = Workspace(sqlite_url)
    workspace.initialise()
    fill(workspace, tmp_path, 40)
    with workspace.reading() as session:
        edition_id = resolve_edition(session, None).id
        assert edition_id is not None
        where = conditions(session, edition_id, QueueFilter(search="riyadh"))
        query = select(Item.id).where(*where).order_by(Item.id).limit(50)  # type: ignore[arg-type]
        compiled = query.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        plan = " ".join(
            str(r[-1])
            for r in session.exec(text(f"EXPLAIN QUERY PLAN {compiled}"))  # type: ignore[call-overload]
        )
    workspace.close()
    assert "VIRTUAL TABLE" in plan and "SCAN item " not in plan + " ", plan


def test_postgresql_search_can_use_the_trigram_index(pg_url: str, tmp_path: Path) -> None:
    workspace = Workspace(pg_url)
    workspace.initialise()
    fill(workspace, tmp_path, 40)
    with workspace.reading() as session:
        edition_id = resolve_edition(session, None).id
        assert edition_id is not None
        session.exec(text("SET LOCAL enable_seqscan = off"))  # type: ignore[call-overload]
        [like] = search_conditions(session, edition_id, "nothing-like-this")
        query = select(Item.id).where(like)
        compiled = query.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        plan = " ".join(str(r[0]) for r in session.exec(text(f"EXPLAIN {compiled}")))  # type: ignore[call-overload]
    workspace.close()
    assert "ix_item_search_trgm" in plan, plan
