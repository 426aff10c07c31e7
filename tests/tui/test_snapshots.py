"""SVG snapshots of the queue, the item view with Arabic (bidi on and off), help and the
dashboard. Timestamps are fixed and nothing blinks, so the pictures are stable; update them
with `pytest tests/tui --snapshot-update` after a deliberate change, and look at them."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from db.models import Item
from tests.tui.conftest import make_app, settle
from verifier.core.matching import Candidate, MatchResult
from verifier.core.review.decisions import add_note, set_status
from verifier.core.workspace import Workspace

MOMENT = datetime(2026, 9, 15, 8, 30, tzinfo=UTC)
SIZE = (130, 48)
TALL = (130, 66)  # the whole item view, history included


@pytest.fixture
def decided(review_workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    """A few decisions at a fixed moment, so histories and today's throughput are stable."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    for module in (
        "verifier.core.eventlog.append",
        "verifier.core.review.decisions",
        "verifier.core.review.progress",
    ):
        monkeypatch.setattr(f"{module}.utcnow", lambda: MOMENT)
    monkeypatch.setattr("verifier.tui.screens.dashboard_screen.utcnow", lambda: MOMENT)
    # The matcher's scores are not what these pictures are about, and change as it improves.
    monkeypatch.setattr("verifier.core.review.itemview._candidates", fixed_candidates)
    with review_workspace.session() as session:
        set_status(session, 2, "verified", "omar")
        set_status(session, 3, "flagged", "omar", note="speed test methodology unclear")
        add_note(session, 1, "omar", "الرقم في الجدول ٣ صفحة ١١")
        set_status(session, 1, "flagged", "omar", note="differs from the yearbook (98.7%)")
        set_status(session, 8, "rejected", "sara", reason="القيمة لعام ٢٠٢٢")
    yield review_workspace
    monkeypatch.delenv("TZ")
    time.tzset()


def test_queue_with_arabic_item(decided: Workspace, review_url: str, snap_compare) -> None:
    app = make_app(review_url)
    app_state_filter_all(app)
    assert snap_compare(app, terminal_size=SIZE, run_before=settle)


def test_item_view_bidi_on(decided: Workspace, review_url: str, snap_compare) -> None:
    # Item 1: Arabic label and snippet, the value highlighted, a disagreeing item 2 beside
    # it, and a history with Arabic notes.
    app = make_app(review_url)
    app_state_filter_all(app)
    assert snap_compare(app, terminal_size=TALL, run_before=settle)


def test_item_view_bidi_off(decided: Workspace, review_url: str, snap_compare) -> None:
    app = make_app(review_url, bidi="off")
    app_state_filter_all(app)
    assert snap_compare(app, terminal_size=TALL, run_before=settle)


def test_help(decided: Workspace, review_url: str, snap_compare) -> None:
    app = make_app(review_url)
    assert snap_compare(app, press=["question_mark"], terminal_size=SIZE, run_before=settle)


def test_dashboard(decided: Workspace, review_url: str, snap_compare) -> None:
    app = make_app(review_url)

    async def open_dashboard(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=open_dashboard)


def fixed_candidates(session: object, item: Item, matcher: object) -> MatchResult:
    def candidate(city_id: str, score: float, field: str, name: str) -> Candidate:
        parts = {"method": "exact"} if score == 100 else {"method": "text", "text": score}
        return Candidate(city_id, score, field, name, item.label_key, name, parts,
                         country_match=None, country=city_id[:2].upper())  # fmt: skip

    if item.city_id == "sa-riyadh":
        found = [candidate("sa-riyadh", 100.0, "name_ar", "الرياض"),
                 candidate("lb-tripoli", 31.0, "name_ar", "طرابلس")]  # fmt: skip
        return MatchResult(item.raw_label, None, found, "auto", margin=69.0)
    return MatchResult(item.raw_label, None, [candidate("eg-cairo", 100.0, "name_ar", "القاهرة")],
                       "auto", margin=None)  # fmt: skip


def app_state_filter_all(app: object) -> None:
    """Start these snapshots on every item, decided or not (the saved state is per test)."""
    from verifier.core.review.queue import QueueFilter
    from verifier.core.review.saved_state import ReviewState, save_state

    save_state(app.state_path, ReviewState(QueueFilter(), None))  # type: ignore[attr-defined]
