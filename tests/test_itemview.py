"""The item view: candidates, peers with disagreements, the source file, history; and the
progress figures the dashboard and status line show."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from db.models import Source
from tests.conftest import MINI
from tests.review_data import import_review_items
from verifier.core.cities.automatic import edition_matcher
from verifier.core.cities.decisions import set_item_city
from verifier.core.errors import NotFoundError
from verifier.core.publishing.dashboard import review_dashboard as dashboard
from verifier.core.review.decisions import add_note, set_status
from verifier.core.review.item_peers import same_value
from verifier.core.review.itemview import load_item_view, with_candidates
from verifier.core.review.progress import scope_counts, throughput
from verifier.core.review.queue import QueueFilter
from verifier.core.workspace import Workspace


@pytest.fixture
def items(any_workspace: Workspace, tmp_path: Path) -> Workspace:
    load_edition_and_items(any_workspace, tmp_path)
    return any_workspace


def load_edition_and_items(workspace: Workspace, folder: Path) -> None:
    from verifier.core.editions import load_edition

    load_edition(workspace, MINI, "layla")
    import_review_items(workspace, folder / "review.csv")


def test_everything_about_an_item(items: Workspace) -> None:
    with items.session() as session:
        add_note(session, 1, "sara", "see table 3")
        set_status(session, 1, "flagged", "sara", note="differs from the yearbook")
    with items.reading() as session:
        view = load_item_view(session, 1)
    assert (view.raw_label, view.city_id, view.city_name_en, view.band) == (
        "الرياض", "sa-riyadh", "Riyadh", "auto",
    )  # fmt: skip
    assert view.candidates[0].city_id == "sa-riyadh" and view.candidates[0].is_current
    assert "Arabic name" in view.candidates[0].explanation
    assert (view.indicator_code, view.indicator_unit, view.min_value, view.max_value) == (
        "TRD-WATER", "%", 0, 100,
    )  # fmt: skip
    assert (view.value_text, view.value_number, view.value_normalized) == ("٩٩٫١٪", 99.1, 99.1)
    assert view.in_range is True
    assert (view.source.key, view.source.file_state, view.language) == ("ministry-ar", "none", "ar")
    assert [(s.id, s.value_normalized, s.disagrees) for s in view.siblings] == [(2, 98.7, True)]
    assert view.disagreements == 1 and view.sibling_total == 1
    assert [(e.actor, e.action, e.note) for e in view.events] == [
        ("sara", "note", "see table 3"),
        ("sara", "status", "differs from the yearbook"),
    ]
    assert view.same_label_count == 1


def test_candidates_from_a_prepared_matcher_are_the_same(items: Workspace) -> None:
    with items.reading() as session:
        fresh = load_item_view(session, 5)
        prepared = load_item_view(session, 5, edition_matcher(session, 1))
    assert fresh.candidates == prepared.candidates and fresh.band == prepared.band == "review"
    assert fresh.siblings == [] and fresh.same_label_count == 2


def test_a_view_read_without_candidates_gets_the_same_ones_later(items: Workspace) -> None:
    # The review UI's first item: drawn before the matcher is built, completed after.
    with items.reading() as session:
        full = load_item_view(session, 1)
        pending = load_item_view(session, 1, candidates=False)
        completed = with_candidates(session, pending, edition_matcher(session, 1))
    assert pending.candidates_pending and pending.candidates == [] and pending.band == ""
    assert not full.candidates_pending and full.candidates[0].city_id == "sa-riyadh"
    assert completed == full


def test_a_city_decision_shows_in_the_history(items: Workspace) -> None:
    with items.session() as session:
        set_item_city(session, 5, "ly-tripoli", "sara")
    with items.reading() as session:
        view = load_item_view(session, 5)
    # The engine suggested lb-tripoli (same name, no country): choosing the other is manual.
    assert (view.city_id, view.match_method) == ("ly-tripoli", "manual")
    assert view.events[-1].detail.startswith("city none → ly-tripoli")


def test_the_source_file_is_checked(items: Workspace, tmp_path: Path) -> None:
    with items.reading() as session:
        # The load recorded the document's name, and the workspace stores it.
        assert load_item_view(session, 2).source.file_state == "stored"
    # A source recorded with the path of a local copy, as sources were before.
    copy = tmp_path / "yearbook.txt"
    copy.write_text("another text", encoding="utf-8")
    with items.session() as session:
        source = session.exec(select(Source).where(Source.key == "yearbook-2023")).one()
        source.file_path = str(copy)
        session.add(source)
    # The workspace holds the document: the local copy no longer matters.
    with items.reading() as session:
        kept = load_item_view(session, 2).source
    assert (kept.file_state, kept.file_problem) == ("stored", None)
    # A document the workspace does not hold: the local copy is all there is.
    with items.session() as session:
        source = session.exec(select(Source).where(Source.key == "yearbook-2023")).one()
        source.file_sha256 = "0" * 64
        session.add(source)
    with items.reading() as session:
        changed = load_item_view(session, 2).source
    assert changed.file_state == "changed" and "changed since" in (changed.file_problem or "")
    copy.unlink()
    with items.reading() as session:
        missing = load_item_view(session, 2).source
    assert missing.file_state == "missing" and "does not exist" in (missing.file_problem or "")


def test_unknown_item(items: Workspace) -> None:
    with items.reading() as session, pytest.raises(NotFoundError):
        load_item_view(session, 999)


def test_same_value_ignores_rounding_noise() -> None:
    assert same_value(99.1, 99.10000000001) and not same_value(99.1, 98.7)
    assert same_value(None, None) and not same_value(None, 1.0)


def test_progress_and_throughput(items: Workspace) -> None:
    with items.session() as session:
        set_status(session, 1, "verified", "sara")
        set_status(session, 2, "rejected", "sara", reason="other year")
        set_status(session, 4, "flagged", "omar", note="?")
        add_note(session, 5, "omar", "two Tripolis")
    with items.reading() as session:
        water = scope_counts(session, 1, QueueFilter(statuses=("unverified",),
                                                     indicators=("TRD-WATER",)))  # fmt: skip
        board = dashboard(session, 1)
        now = datetime.now(UTC)
        today = throughput(session, 1, now - timedelta(hours=1), now + timedelta(hours=1))
        yesterday = throughput(session, 1, now - timedelta(days=2), now - timedelta(days=1))
    # Progress counts the scope whatever the status filter: 2 of the 5 water items decided.
    assert (water.decided, water.total, water.line()) == (2, 5, "2/5 decided · 40.0%")
    assert board.overall.decided == 2 and board.overall.flagged == 1
    assert [(code, c.total) for code, _, c in board.by_indicator] == [
        ("TRD-WATER", 5), ("TRD-DEATHS", 2), ("DIG-BROADBAND", 1),
    ]  # fmt: skip
    cities = {name: counts.total for name, counts in board.by_city}
    assert cities == {"(no city)": 3, "Riyadh SA": 3, "Tripoli LY": 1, "Cairo EG": 1}
    assert [(r, c.decided) for r, c in board.by_reviewer] == [("sara", 2), ("omar", 0)]
    assert [(t.reviewer, t.decisions, t.notes) for t in today] == [("sara", 2, 0), ("omar", 1, 1)]
    assert yesterday == []
    assert board.publication_error == ""
    assert board.publication is not None
    # Nothing published yet; items 1 and 2 disagree, but only item 1 is verified.
    assert (board.publication.latest, board.publication.open_conflicts) == (None, 0)
