"""Which value of a (city, indicator, year) is published: the rules of
verifier.core.publishing.eligibility on hand-made groups, then in a workspace with two
editions (each sees only its own items and resolutions, and the latest resolution wins)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from db.models import ConflictResolution, Status
from tests.conftest import MINI
from tests.importing_helpers import row, write_csv
from tests.workspace_templates import TemplateCopy, build_nothing, open_copy
from verifier.core.cities.decisions import set_item_city
from verifier.core.editions import load_edition
from verifier.core.importing import ImportOptions, import_file
from verifier.core.publishing import compute_eligibility, resolve_conflict
from verifier.core.publishing.eligibility import (
    Candidate,
    Eligibility,
    Evidence,
    ValueGroup,
    same_value,
)
from verifier.core.review.decisions import set_status
from verifier.core.workspace import Workspace


def _candidate(value: float, *item_ids: int) -> Candidate:
    return Candidate(value, [Evidence(i, value) for i in item_ids])


def _resolution(chosen_item_id: int) -> ConflictResolution:
    return ConflictResolution(
        edition_id=1,
        city_id="eg-cairo",
        indicator_id=1,
        year=2023,
        chosen_item_id=chosen_item_id,
        reason="the later table",
        resolved_by="layla",
    )


def test_one_candidate_is_chosen_without_a_resolution() -> None:
    only = _candidate(80.0, 4, 9)
    group = ValueGroup("eg-cairo", 1, 2023, [only])
    assert not group.in_conflict
    assert group.chosen is only


def test_two_candidates_are_a_conflict_until_resolved() -> None:
    low, high = _candidate(80.0, 4), _candidate(82.0, 5, 7)
    group = ValueGroup("eg-cairo", 1, 2023, [low, high])
    assert group.in_conflict
    assert group.chosen is None
    group.resolution = _resolution(7)  # the second item of the second candidate
    assert group.chosen is high
    group.resolution = _resolution(4)
    assert group.chosen is low


def test_a_resolution_choosing_an_item_no_longer_eligible_reopens_the_conflict() -> None:
    group = ValueGroup(
        "eg-cairo", 1, 2023, [_candidate(80.0, 4), _candidate(82.0, 5)], _resolution(6)
    )
    assert group.chosen is None


def test_conflicts_and_values_split_the_groups() -> None:
    settled = ValueGroup("sa-riyadh", 1, 2023, [_candidate(99.1, 1, 2)])
    open_conflict = ValueGroup("eg-cairo", 1, 2023, [_candidate(80.0, 4), _candidate(82.0, 5)])
    resolved = ValueGroup(
        "eg-cairo", 2, 2023, [_candidate(1.0, 8), _candidate(2.0, 9)], _resolution(9)
    )
    eligibility = Eligibility([settled, open_conflict, resolved])
    assert eligibility.conflicts == [open_conflict]
    assert eligibility.values == [
        (settled, settled.candidates[0]),
        (resolved, resolved.candidates[1]),
    ]
    assert Eligibility().groups == [] and Eligibility().values == []


def test_values_are_the_same_to_nine_significant_digits() -> None:
    assert same_value(99.1) == same_value(99.10000000001) == 99.1
    assert same_value(123456789.4) == 123456789.0
    assert same_value(123456789.6) == 123456790.0
    assert same_value(0.1234567894) == 0.123456789
    # agreeing to three significant digits is not enough
    assert same_value(1.234) != same_value(1.2341)


@pytest.fixture
def two_editions(workspace: Workspace, tmp_path: Path) -> Workspace:
    """Editions "mini" and "mini2", each with a Cairo water conflict of its own: items 1
    (80) and 2 (81) in mini, items 3 (82) and 4 (84) in mini2; every item verified."""
    return _load_two_editions(workspace, tmp_path)


@pytest.fixture
def two_editions_on_postgresql(template_copy: TemplateCopy, tmp_path: Path) -> Iterator[Workspace]:
    """The same two editions, on PostgreSQL."""
    for workspace in open_copy(template_copy("postgresql", "empty", build_nothing)):
        yield _load_two_editions(workspace, tmp_path)


def _load_two_editions(workspace: Workspace, tmp_path: Path) -> Workspace:
    load_edition(workspace, MINI, "layla")
    second = tmp_path / "mini2"
    shutil.copytree(MINI, second)
    toml = second / "edition.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('code = "mini"', 'code = "mini2"'),
        encoding="utf-8",
    )
    load_edition(workspace, second, "layla")
    for code, values in (("mini", ("80", "81")), ("mini2", ("82", "84"))):
        rows = [row(city="Cairo", value=v, locator=f"p. {v}") for v in values]
        import_file(
            workspace,
            write_csv(tmp_path / f"{code}.csv", rows),
            ImportOptions("omar", edition=code, auto_match=False),
        )
    with workspace.session() as session:
        for item_id in (1, 2, 3, 4):
            set_item_city(session, item_id, "eg-cairo", "omar")
            set_status(session, item_id, Status.VERIFIED, "omar")
    return workspace


def _values(workspace: Workspace, edition_id: int) -> list[tuple[float, list[int]]]:
    with workspace.reading() as session:
        eligibility = compute_eligibility(session, edition_id)
    return [(c.value, [e.item_id for e in c.items]) for _, c in eligibility.values]


def _conflicts(workspace: Workspace, edition_id: int) -> list[list[float]]:
    with workspace.reading() as session:
        eligibility = compute_eligibility(session, edition_id)
    return [[c.value for c in g.candidates] for g in eligibility.conflicts]


def test_each_edition_sees_only_its_own_items_and_resolutions(two_editions: Workspace) -> None:
    assert _conflicts(two_editions, 1) == [[80.0, 81.0]]
    assert _conflicts(two_editions, 2) == [[82.0, 84.0]]
    with two_editions.session() as session:
        resolve_conflict(session, 2, "layla", "the later table")
    assert _values(two_editions, 1) == [(81.0, [2])]
    assert _conflicts(two_editions, 2) == [[82.0, 84.0]]  # mini's resolution is not mini2's
    with two_editions.session() as session:
        resolve_conflict(session, 3, "layla", "the ministry's figure")
    assert _values(two_editions, 2) == [(82.0, [3])]
    assert _values(two_editions, 1) == [(81.0, [2])]


def test_the_latest_resolution_wins(two_editions: Workspace) -> None:
    with two_editions.session() as session:
        resolve_conflict(session, 2, "layla", "the later table")
    with two_editions.session() as session:
        resolve_conflict(session, 1, "layla", "the later table was a draft")
    assert _values(two_editions, 1) == [(80.0, [1])]


def test_the_latest_resolution_wins_however_the_rows_are_stored(
    two_editions_on_postgresql: Workspace,
) -> None:
    # PostgreSQL returns a table's rows in the order they lie in its pages, not always the
    # order of their ids (a row may land in space a rolled-back insert freed). Here
    # resolution #7 (item 1, 80) is stored before #5 (item 2, 81): #7 is the latest.
    with two_editions_on_postgresql.engine.begin() as connection:
        for resolution_id, item_id in ((7, 1), (5, 2)):
            connection.execute(
                text(
                    "INSERT INTO conflict_resolution (id, edition_id, city_id, indicator_id, "
                    "year, chosen_item_id, reason, resolved_by, resolved_at) SELECT :id, "
                    "edition_id, city_id, indicator_id, year, id, 'by hand', 'layla', "
                    "CURRENT_TIMESTAMP FROM item WHERE id = :item"
                ),
                {"id": resolution_id, "item": item_id},
            )
        stored = connection.execute(text("SELECT id FROM conflict_resolution")).scalars()
        assert list(stored) == [7, 5]  # an unordered read does meet #5 last
    assert _values(two_editions_on_postgresql, 1) == [(80.0, [1])]


def test_a_city_set_without_a_confirmed_method_is_not_eligible(two_editions: Workspace) -> None:
    # Only the engine's auto band or a person confirms a city; a row that has a city but no
    # method (written by hand, or by an older version) stays out.
    with two_editions.engine.begin() as connection:
        connection.execute(text("UPDATE item SET match_method = NULL WHERE id = 1"))
    assert _values(two_editions, 1) == [(81.0, [2])]


def test_a_confirmed_method_without_a_city_is_not_eligible(two_editions: Workspace) -> None:
    # The reverse: a row whose method says "confirmed by a person" but which has no city
    # (written by hand) names no city to publish the value under, and stays out.
    with two_editions.engine.begin() as connection:
        connection.execute(text("UPDATE item SET city_id = NULL WHERE id = 1"))
    assert _values(two_editions, 1) == [(81.0, [2])]


@pytest.fixture
def two_years(mini: Workspace, tmp_path: Path) -> Workspace:
    """Cairo, two indicators, two years each, imported out of order: water 2022 (item 1,
    70), broadband 2023 (item 2, 50), water 2023 (item 3, 80), broadband 2022 (item 4,
    40); every item verified, its city confirmed."""
    rows = [
        row(city="Cairo", indicator=code, value=value, year=year, locator=f"p. {value}")
        for code, value, year in (
            ("TRD-WATER", "70", "2022"),
            ("DIG-BROADBAND", "50", "2023"),
            ("TRD-WATER", "80", "2023"),
            ("DIG-BROADBAND", "40", "2022"),
        )
    ]
    path = write_csv(tmp_path / "years.csv", rows)
    import_file(mini, path, ImportOptions("omar", auto_match=False))
    with mini.session() as session:
        for item_id in (1, 2, 3, 4):
            set_item_city(session, item_id, "eg-cairo", "omar")
            set_status(session, item_id, Status.VERIFIED, "omar")
    return mini


def test_each_indicator_publishes_its_latest_year_whatever_the_order_of_import(
    two_years: Workspace,
) -> None:
    # Water (indicator 1) then broadband (indicator 3), one value each, of 2023.
    assert _values(two_years, 1) == [(80.0, [3]), (50.0, [2])]
    assert _conflicts(two_years, 1) == []
