"""The review queue's filters, search and pages, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tests.conftest import MINI
from tests.importing_helpers import row, write_csv
from tests.review_data import import_review_items
from verifier.core.editions import load_edition
from verifier.core.errors import InvalidActionError
from verifier.core.importing import ImportOptions, import_file
from verifier.core.review import queue
from verifier.core.review.decisions import set_status
from verifier.core.review.queue import QueueFilter
from verifier.core.workspace import Workspace


@pytest.fixture
def items(any_workspace: Workspace, tmp_path: Path) -> Workspace:
    load_edition(any_workspace, MINI, "layla")
    import_review_items(any_workspace, tmp_path / "review.csv")
    with any_workspace.session() as session:
        set_status(session, 2, "verified", "sara")
        set_status(session, 3, "flagged", "omar", note="unclear")
    return any_workspace


def _ids(workspace: Workspace, **fields: object) -> list[int]:
    flt = QueueFilter(**fields)  # type: ignore[arg-type]
    with workspace.reading() as session:
        return queue.item_ids(session, 1, flt)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, [1, 2, 3, 4, 5, 6, 7, 8]),
        ({"statuses": ("unverified",)}, [1, 4, 5, 6, 7, 8]),
        ({"statuses": ("verified", "flagged")}, [2, 3]),
        ({"indicators": ("TRD-DEATHS",)}, [4, 5]),
        ({"domains": ("digital",)}, [3]),
        ({"cities": ("sa-riyadh",)}, [1, 2, 3]),
        ({"cities": ("-",)}, [5, 6, 7]),
        ({"countries": ("LY",)}, [4]),
        ({"countries": ("EG",)}, [8]),
        ({"sources": ("ministry-ar",)}, [1, 5, 6, 8]),
        ({"batches": (1,)}, [1, 2, 3, 4, 5, 6, 7, 8]),
        ({"batches": (99,)}, []),
        ({"scripts": ("latn",)}, [2, 3, 4, 7]),
        ({"scripts": ("arab",)}, [1, 5, 6, 8]),
        ({"bands": ("review",)}, [5, 6]),
        ({"bands": ("unmatched",)}, []),
        ({"years": (2022,)}, [4, 5, 6, 7]),
        ({"reviewers": ("sara",)}, [2]),
        ({"indicators": ("TRD-WATER",), "statuses": ("unverified",)}, [1, 6, 7, 8]),
    ],
)
def test_filters(items: Workspace, fields: dict[str, object], expected: list[int]) -> None:
    assert _ids(items, **fields) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("riyadh", [1, 2, 3]),  # item 1 is written الرياض: found by its city's names
        ("الرياض", [1, 2, 3]),  # ...and the Latin ones by their city's Arabic name
        ("طرابلس", [4, 5, 6]),
        ("broadband 1234", [3]),  # every word must appear
        ("Statistical Yearbook", [2, 3, 4, 7]),  # the source's title
        ("التقرير السنوي", [1, 5, 6, 8]),  # an Arabic source title
        ("بلغت", [1]),  # a word of an Arabic snippet
        ("#4", [4]),
        ("100%_", []),  # LIKE wildcards are literal
        ("[@click", [7]),
    ],
)
def test_search_in_either_script(items: Workspace, text: str, expected: list[int]) -> None:
    assert _ids(items, search=text) == expected


def test_search_folds_like_the_stored_key(items: Workspace) -> None:
    # Harakat, hamza seats and letter variants do not stop a match.
    assert _ids(items, search="القاهره") == [8]
    assert _ids(items, search="ar riyad") == [1, 2, 3]  # the alias Ar Riyāḑ, without accents
    assert _ids(items, search="RIYĀḐ") == [1, 2, 3]


def test_counts(items: Workspace) -> None:
    flt = QueueFilter(indicators=("TRD-WATER",))
    with items.reading() as session:
        assert queue.count(session, 1, flt) == 5
        counts = queue.status_counts(session, 1, flt)
        assert counts == {"unverified": 4, "verified": 1, "rejected": 0, "flagged": 0}
        assert queue.count_before(session, 1, flt, 6) == 2


def queue_item_version(session: object, item_id: int) -> int:
    from db.models import Item

    item = session.get(Item, item_id)  # type: ignore[attr-defined]
    return int(item.version)


def test_rows_carry_what_the_queue_shows(items: Workspace) -> None:
    with items.reading() as session:
        rows = queue.rows_by_id(session, 1, [2, 5])
    riyadh, tripoli = rows
    assert (riyadh.city_shown, riyadh.status, riyadh.status_changed_by) == ("Riyadh", "verified",
                                                                           "sara")  # fmt: skip
    assert riyadh.source_key == "yearbook-2023"
    with items.reading() as session:
        assert riyadh.version == queue_item_version(session, 2)
    assert (tripoli.city_id, tripoli.city_shown, tripoli.match_band) == (None, "طرابلس", "review")


@pytest.fixture
def many(any_workspace: Workspace, tmp_path: Path) -> Workspace:
    load_edition(any_workspace, MINI, "layla")
    rows = [row(locator=f"p. {n}") for n in range(1, 58)]
    import_file(any_workspace, write_csv(tmp_path / "many.csv", rows), ImportOptions("omar"))
    with any_workspace.session() as session:
        for item_id in range(1, 58, 3):
            set_status(session, item_id, "verified", "sara")
    return any_workspace


def test_keyset_pages(many: Workspace) -> None:
    flt = QueueFilter(statuses=("unverified",))  # 38 of 57: every third is verified
    with many.reading() as session:
        first = queue.page_after(session, 1, flt, None, 20)
        assert first.ids[:3] == [2, 3, 5] and len(first.ids) == 20
        assert (first.offset, first.has_before, first.has_after) == (0, False, True)
        second = queue.page_after(session, 1, flt, first.ids[-1], 20)
        assert len(second.ids) == 18 and second.offset == 20 and not second.has_after
        back = queue.page_before(session, 1, flt, second.ids[0], 20)
        assert back.ids == first.ids and back.cursor == 19 and not back.has_before
        around = queue.page_around(session, 1, flt, 30, 20)
        assert around.rows[around.cursor].id == 30 and around.has_before and around.has_after
        assert around.offset == queue.count_before(session, 1, flt, around.ids[0])
        # A decided item left the filter: the page opens at the next one.
        gone = queue.page_around(session, 1, flt, 28, 20)
        assert gone.rows[gone.cursor].id == 29
        end = queue.page_around(session, 1, flt, 10_000, 20)
        assert end.ids[-1] == 57 and not end.has_after


def test_filter_round_trips_as_json(items: Workspace) -> None:
    flt = QueueFilter(statuses=("unverified", "flagged"), batches=(1,), years=(2023,),
                      cities=("-",), assigned_to="omar", search="الرياض")  # fmt: skip
    assert QueueFilter.from_dict(flt.to_dict()) == flt
    assert QueueFilter.from_dict({"statuses": ["verified"], "from_the_future": 1}) == QueueFilter(
        statuses=("verified",)
    )
    assert QueueFilter().to_dict() == {} and QueueFilter().describe() == "all items"
    assert replace(flt, statuses=()).statuses == () and flt.without_status().search == "الرياض"
    with pytest.raises(InvalidActionError, match="status 'done'"):
        QueueFilter(statuses=("done",))
