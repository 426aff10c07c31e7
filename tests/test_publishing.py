"""Publishing: only verified, confirmed values; conflicts; the lead-only rule; immutability."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from db.models import (
    ConflictResolution,
    Edition,
    Publication,
    PublicationValue,
    ReviewEvent,
    Status,
)
from tests.conftest import MINI
from tests.importing_helpers import row, write_csv
from verifier.core.cities.decisions import set_item_city
from verifier.core.editions import load_edition
from verifier.core.errors import InvalidActionError, PermissionDeniedError
from verifier.core.importing import ImportOptions, import_file
from verifier.core.publishing import (
    PublishRefusedError,
    compute_eligibility,
    diff_publications,
    load_snapshot,
    open_conflicts,
    publish,
    resolve_conflict,
)
from verifier.core.review.decisions import set_status
from verifier.core.workspace import Workspace

# item ids follow row order: 1..N
ROWS = [
    row(city="الرياض", indicator="TRD-WATER", value="99.1", year="2023", locator="a"),   # 1 verified
    row(city="Riyadh", indicator="TRD-WATER", value="99.1%", year="2023", locator="b"),  # 2 agrees with 1
    row(city="الرياض", indicator="TRD-WATER", value="97", year="2021", locator="c"),     # 3 older year
    row(city="Cairo", indicator="TRD-WATER", value="80", year="2023", locator="d"),       # 4 conflict
    row(city="Cairo", indicator="TRD-WATER", value="82", year="2023", locator="e"),       # 5 conflict
    row(city="Cairo", indicator="DIG-BROADBAND", value="1.2", unit="Gbps", locator="f"),  # 6 = 1200 Mbps
    row(city="Cairo", indicator="DIG-BROADBAND", value="1200", unit="Mbps", locator="g"),  # 7 agrees
    row(city="Tarabulus", indicator="TRD-WATER", value="70", locator="h"),                # 8 rejected
    row(city="Trablous", indicator="TRD-WATER", value="60", locator="i"),                 # 9 flagged
    row(city="Tripoli", indicator="TRD-WATER", value="65", locator="j"),                  # 10 unverified
    row(city="Er Riad", indicator="TRD-DEATHS", value="9", unit="per 100k", locator="k"),  # 11 no city
    row(city="Riyadh", indicator="TRD-DEATHS", value="n/a", locator="l"),                 # 12 missing
]  # fmt: skip
CITIES = {1: "sa-riyadh", 2: "sa-riyadh", 3: "sa-riyadh", 4: "eg-cairo", 5: "eg-cairo",
          6: "eg-cairo", 7: "eg-cairo", 8: "ly-tripoli", 9: "lb-tripoli", 10: "ly-tripoli",
          12: "sa-riyadh"}  # fmt: skip


@pytest.fixture
def edition(any_workspace: Workspace, tmp_path: Path) -> Workspace:
    load_edition(any_workspace, MINI, "layla")
    import_file(
        any_workspace, write_csv(tmp_path / "a.csv", ROWS), ImportOptions("omar", auto_match=False)
    )
    with any_workspace.session() as session:
        for item_id, city in CITIES.items():
            set_item_city(session, item_id, city, "omar")
        for item_id in (1, 2, 3, 4, 5, 6, 7, 11, 12):
            set_status(session, item_id, Status.VERIFIED, "omar")
        set_status(session, 8, Status.REJECTED, "omar", reason="wrong table")
        set_status(session, 9, Status.FLAGGED, "omar", note="page missing")
    return any_workspace


def _edition(session: object) -> Edition:
    return session.exec(select(Edition)).one()  # type: ignore[attr-defined, no-any-return]


def test_only_verified_confirmed_values_are_eligible(edition: Workspace) -> None:
    with edition.reading() as session:
        eligibility = compute_eligibility(session, 1)
    published_items = {e.item_id for g in eligibility.groups for c in g.candidates for e in c.items}
    assert published_items == {1, 2, 4, 5, 6, 7}
    # 3: an older year; 8 rejected; 9 flagged; 10 unverified; 11 no confirmed city; 12 no value


def test_latest_year_wins_and_agreeing_items_are_one_value(edition: Workspace) -> None:
    with edition.reading() as session:
        groups = {(g.city_id, g.indicator_id): g for g in compute_eligibility(session, 1).groups}
    riyadh = groups[("sa-riyadh", 1)]
    assert riyadh.year == 2023 and not riyadh.in_conflict
    assert [e.item_id for e in riyadh.candidates[0].items] == [1, 2]
    broadband = groups[("eg-cairo", 3)]  # 1.2 Gbps and 1200 Mbps agree after conversion
    assert broadband.candidates[0].value == 1200 and len(broadband.candidates) == 1


def test_publishing_is_refused_while_conflicts_are_open(edition: Workspace) -> None:
    with pytest.raises(PublishRefusedError) as refused, edition.session() as session:
        publish(session, _edition(session), "layla", "first")
    [conflict] = refused.value.conflicts
    assert (
        conflict.describe() == "Cairo (eg-cairo) · TRD-WATER · 2023: 80 % (items 4); 82 % (items 5)"
    )
    with edition.reading() as session:
        assert session.exec(select(Publication)).all() == []


def test_only_a_lead_resolves_and_publishes(edition: Workspace) -> None:
    with pytest.raises(PermissionDeniedError, match="needs the lead role"), edition.session() as s:
        resolve_conflict(s, 5, "omar", "ministry figure")
    with edition.session() as session:
        resolve_conflict(session, 5, "layla", "ministry figure is final")
    with (
        pytest.raises(PermissionDeniedError, match="publishing needs the lead role"),
        edition.session() as session,
    ):
        publish(session, _edition(session), "omar", "try")


def test_a_resolution_is_an_event_with_a_reason(edition: Workspace) -> None:
    with pytest.raises(InvalidActionError, match="needs a reason"), edition.session() as session:
        resolve_conflict(session, 5, "layla", " ")
    with edition.session() as session:
        resolve_conflict(session, 5, "layla", "ministry figure is final")
    with edition.reading() as session:
        event = session.exec(
            select(ReviewEvent).where(ReviewEvent.action == "resolve_conflict")
        ).one()
        assert (event.item_id, event.actor, event.reason) == (
            5,
            "layla",
            "ministry figure is final",
        )
        assert event.payload["other_items"] == [4]
        assert session.exec(select(ConflictResolution)).one().chosen_item_id == 5
        assert open_conflicts(session, 1) == []


def _publish(workspace: Workspace, note: str = "first") -> Publication:
    with workspace.session() as session:
        return publish(session, _edition(session), "layla", note)


def test_a_publication_and_its_document(edition: Workspace) -> None:
    with edition.session() as session:
        resolve_conflict(session, 5, "layla", "ministry figure is final")
    publication = _publish(edition)
    assert (publication.number, publication.parent_id, publication.value_count) == (1, None, 3)
    assert publication.coverage == round(3 / 12, 4)
    with edition.reading() as session:
        document = load_snapshot(session, publication.id or 0)
    assert [(v["city"], v["indicator"], v["value"], v["evidence"]) for v in document["values"]] == [
        ("eg-cairo", "DIG-BROADBAND", 1200.0, [6, 7]),
        ("eg-cairo", "TRD-WATER", 82.0, [5]),
        ("sa-riyadh", "TRD-WATER", 99.1, [1, 2]),
    ]
    assert [e["code"] for e in document["experts"]] == ["E01", "E02"]
    assert document["experts"][0]["domain_weights"] == {"digital": 40.0, "traditional": 60.0}
    # The hash recipe in docs/publication-format.md holds.
    claimed = document["publication"].pop("sha256")
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert (
        hashlib.sha256(canonical.encode("utf-8")).hexdigest()
        == claimed
        == publication.content_sha256
    )


def test_editing_an_item_leaves_the_published_value_untouched(edition: Workspace) -> None:
    with edition.session() as session:
        resolve_conflict(session, 5, "layla", "ministry figure is final")
    first = _publish(edition)
    with edition.session() as session:
        set_status(session, 1, Status.REJECTED, "layla", reason="misread table")
        set_status(session, 2, Status.REJECTED, "layla", reason="misread table")
    with edition.reading() as session:
        values = session.exec(
            select(PublicationValue).where(PublicationValue.publication_id == first.id)
        ).all()
        stored = session.get(Publication, first.id)
        assert stored is not None and stored.content == first.content
    assert ("sa-riyadh", 99.1) in {(v.city_id, v.value) for v in values}
    second = _publish(edition, "after rejection")
    assert (second.number, second.parent_id, second.value_count) == (2, first.id, 3)
    with edition.reading() as session:
        [change] = diff_publications(session, first.id or 0, second.id or 0)
    # Riyadh's 2023 items are rejected, so its verified 2021 value (item 3) is the latest now.
    assert (change.kind, change.city, change.indicator) == ("changed", "sa-riyadh", "TRD-WATER")
    assert change.before is not None and change.after is not None
    assert (change.before["value"], change.before["evidence"]) == (99.1, [1, 2])
    assert (change.after["value"], change.after["year"], change.after["evidence"]) == (
        97.0,
        2021,
        [3],
    )


def test_publishing_twice_without_change_is_refused(edition: Workspace) -> None:
    with edition.session() as session:
        resolve_conflict(session, 5, "layla", "ministry figure is final")
    _publish(edition)
    with pytest.raises(PublishRefusedError, match="nothing changed since publication 1"):
        _publish(edition, "again")


@pytest.mark.parametrize("statement", [
    "UPDATE publication SET note = 'rewritten'",
    "DELETE FROM publication_value",
    "UPDATE conflict_resolution SET reason = 'other'",
])  # fmt: skip
def test_the_database_refuses_to_rewrite_publications(edition: Workspace, statement: str) -> None:
    with edition.session() as session:
        resolve_conflict(session, 5, "layla", "ministry figure is final")
    _publish(edition)
    with pytest.raises(DBAPIError, match="append-only"), edition.engine.begin() as connection:
        connection.execute(text(statement))


def test_the_publish_command_refuses_listing_every_conflict(edition: Workspace) -> None:
    from typer.testing import CliRunner

    from verifier.cli.app import app

    runner = CliRunner()
    db = ["--db", edition.url]
    refused = runner.invoke(app, [*db, "--user", "layla", "publish", "--note", "first"])
    assert refused.exit_code == 1
    assert (
        "conflict: Cairo (eg-cairo) · TRD-WATER · 2023: 80 % (items 4); 82 % (items 5)"
        in refused.stderr
    )
    assert "1 conflict must be resolved before publishing" in refused.stderr
    assistant = runner.invoke(app, [*db, "--user", "omar", "publish", "--note", "x"])
    assert assistant.exit_code == 1 and "publishing needs the lead role" in assistant.stderr
    listed = runner.invoke(app, [*db, "conflicts", "--format", "csv"])
    # One line per competing item: value, as written, source, locator, who verified it.
    lines = [line.rsplit(",", 1)[0] for line in listed.stdout.splitlines()[1:]]
    assert lines == [
        "eg-cairo,Cairo EG,TRD-WATER,2023,80 %,4,80,Statistical Yearbook 2023,d,omar",
        "eg-cairo,Cairo EG,TRD-WATER,2023,82 %,5,82,Statistical Yearbook 2023,e,omar",
    ]
    resolved = runner.invoke(
        app, [*db, "--user", "layla", "conflict", "resolve", "5", "--reason", "ministry figure"]
    )
    assert resolved.exit_code == 0, resolved.output
    published = runner.invoke(app, [*db, "--user", "layla", "publish", "--note", "first"])
    assert published.exit_code == 0 and "Published mini #1 (id 1): 3 values" in published.stdout
