"""Matching in the workspace: automatic after import, people override, labels are learned."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from db.models import CityAlias, Item, ReviewEvent
from tests.importing_helpers import row, write_csv
from verifier.core.cities.automatic import candidates, rematch
from verifier.core.cities.decisions import confirm_label, set_item_city
from verifier.core.errors import NotFoundError
from verifier.core.importing import ImportOptions, import_file
from verifier.core.review.decisions import undo_last
from verifier.core.workspace import Workspace


def _items(workspace: Workspace) -> dict[int, Item]:
    with workspace.reading() as session:
        return {i.id or 0: i for i in session.exec(select(Item))}


def _import(workspace: Workspace, path: Path, rows: list[list[str]]) -> None:
    import_file(workspace, write_csv(path, rows), ImportOptions("omar"))


def test_import_matches_automatically_and_records_how(mini: Workspace, tmp_path: Path) -> None:
    rows = [
        row(city="ﺍﻟﺮﻳﺎﺽ", locator="1"),  # presentation forms from a PDF
        row(city="Er Riad", locator="2"),
        row(city="Tripoli", country="", locator="3"),  # two Tripolis: a person decides
        row(city="Paris", country="FR", locator="4"),  # not in the ranking
    ]
    _import(mini, tmp_path / "a.csv", rows)
    items = _items(mini)
    assert (items[1].city_id, items[1].match_band, items[1].match_method) == (
        "sa-riyadh",
        "auto",
        "auto",
    )
    assert items[2].city_id == "sa-riyadh"
    assert items[3].match_band == "review" and items[3].city_id is None
    # Same name, no country: a tie at 100, broken by city id; the other is the runner-up.
    assert items[3].suggested_city_id == "lb-tripoli"
    assert items[3].match_detail is not None
    assert items[3].match_detail["runner_up"] == {"city_id": "ly-tripoli", "score": 100.0}
    assert items[4].match_band == "none" and items[4].city_id is None
    assert items[1].match_detail is not None and items[1].match_detail["matched_name"]
    with mini.reading() as session:
        event = session.exec(select(ReviewEvent).where(ReviewEvent.action == "auto_match")).one()
        assert event.payload["bands"] == {"auto": 2, "review": 1, "none": 1}


def test_a_confirmed_label_is_learned_and_matches_exactly_next_time(
    mini: Workspace, tmp_path: Path
) -> None:
    _import(mini, tmp_path / "a.csv", [row(city="Trablous el Cham", country="", locator="1")])
    with mini.session() as session:
        set_item_city(session, 1, "lb-tripoli", "sara")
    with mini.reading() as session:
        alias = session.exec(select(CityAlias).where(CityAlias.name == "Trablous el Cham")).one()
        assert (alias.city_id, alias.origin, alias.added_by) == ("lb-tripoli", "learned", "sara")
        item = session.get(Item, 1)
        # the engine had suggested it (not exactly): a person's confirmation
        assert item is not None and (item.match_method, item.match_confirmed_by) == (
            "confirmed",
            "sara",
        )
    _import(mini, tmp_path / "b.csv", [row(city="Trablous el Cham", country="", locator="2")])
    second = _items(mini)[2]
    assert (second.city_id, second.match_band, second.match_score) == ("lb-tripoli", "auto", 100.0)


def test_confirming_a_label_confirms_every_item_that_carries_it(
    mini: Workspace, tmp_path: Path
) -> None:
    rows = [row(city="Tripoli", country="", locator=str(n)) for n in range(3)]
    rows.append(row(city="Tripoli", country="LY", locator="other hint"))
    _import(mini, tmp_path / "a.csv", rows)
    with mini.session() as session:
        events = confirm_label(session, 2, "lb-tripoli", "sara")
    assert [e.item_id for e in events] == [1, 2, 3]
    items = _items(mini)
    assert {items[n].city_id for n in (1, 2, 3)} == {"lb-tripoli"}
    assert {items[n].match_method for n in (1, 2, 3)} == {"bulk"}
    assert items[4].city_id != "lb-tripoli"  # another country hint is another label
    with mini.session() as session:
        undone = undo_last(session, 1, "sara")  # the bulk action is undone as a whole
    assert len(undone) == 3
    assert {i.city_id for i in _items(mini).values() if i.country == ""} == {None}
    with mini.reading() as session:  # and the alias it taught is forgotten
        assert session.exec(select(CityAlias).where(CityAlias.origin == "learned")).all() == []


def test_rematch_never_touches_a_persons_decision(mini: Workspace, tmp_path: Path) -> None:
    rows = [row(city="Riyadh", locator="1"), row(city="Cairo", country="EG", locator="2")]
    _import(mini, tmp_path / "a.csv", rows)
    with mini.session() as session:
        set_item_city(session, 1, "eg-cairo", "sara")  # deliberately overriding the engine
    with mini.session() as session:
        counts = rematch(session, 1, "layla")
    assert counts == {"auto": 1}
    assert _items(mini)[1].city_id == "eg-cairo"


def test_candidates_are_explained(mini: Workspace, tmp_path: Path) -> None:
    _import(mini, tmp_path / "a.csv", [row(city="Tarabulus", country="LY", locator="1")])
    with mini.reading() as session:
        item = session.get(Item, 1)
        assert item is not None
        result = candidates(session, item)
    assert result.candidates[0].city_id == "ly-tripoli"
    assert result.candidates[0].explain()


def test_a_city_outside_the_edition_is_refused(mini: Workspace, tmp_path: Path) -> None:
    _import(mini, tmp_path / "a.csv", [row(locator="1")])
    with pytest.raises(NotFoundError, match="no city 'fr-paris'"), mini.session() as session:
        set_item_city(session, 1, "fr-paris", "sara")
