"""The progress tallies the database keeps agree with the items, after every kind of write:
an import, decisions, an undo, a city change, a bulk confirmation, a deletion; and the
summaries read from them say what the items say."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, col, delete, select

from db.models import Item, ItemTally, ReviewerTally, ReviewEvent
from tests.scale.generated import fill
from verifier.core.cities.decisions import confirm_label, set_item_city
from verifier.core.review.decisions import set_status, undo_last
from verifier.core.review.progress import dashboard, scope_counts
from verifier.core.review.queue import QueueFilter, status_counts
from verifier.core.review.summary import driver_connection, find_edition, summarise
from verifier.core.workspace import Workspace, resolve_edition


def _from_items(session: Session) -> tuple[dict[tuple, int], dict[tuple, int]]:
    key = (
        Item.edition_id,
        Item.indicator_id,
        func.coalesce(Item.city_id, ""),
        Item.country,
        func.coalesce(Item.match_band, ""),
        Item.status,
    )
    items = {tuple(r[:-1]): r[-1] for r in session.exec(select(*key, func.count()).group_by(*key))}
    who = (Item.edition_id, Item.status_changed_by, Item.status)
    reviewers = {
        tuple(r[:-1]): r[-1]
        for r in session.exec(
            select(*who, func.count())
            .where(col(Item.status_changed_by).is_not(None))
            .group_by(*who)
        )
    }
    return items, reviewers


def _from_tallies(session: Session) -> tuple[dict[tuple, int], dict[tuple, int]]:
    items = {
        (t.edition_id, t.indicator_id, t.city_id, t.country, t.band, t.status): t.n
        for t in session.exec(select(ItemTally).where(ItemTally.n != 0))
    }
    reviewers = {
        (t.edition_id, t.reviewer, t.status): t.n
        for t in session.exec(select(ReviewerTally).where(ReviewerTally.n != 0))
    }
    return items, reviewers


def _check(workspace: Workspace) -> None:
    with workspace.reading() as session:
        assert _from_tallies(session) == _from_items(session)


def test_tallies_follow_every_write(any_workspace: Workspace, tmp_path: Path) -> None:
    workspace = fill(any_workspace, tmp_path, 120)
    _check(workspace)
    with workspace.reading() as session:
        edition_id = resolve_edition(session, None).id
        ids = list(session.exec(select(Item.id).order_by(col(Item.id))))
    assert edition_id is not None
    with workspace.session() as session:
        set_status(session, ids[0], "verified", "omar")
        set_status(session, ids[1], "rejected", "sara", reason="wrong year")
        set_status(session, ids[2], "flagged", "omar", note="page missing")
        set_status(session, ids[0], "rejected", "layla", reason="a typo in the source")
    _check(workspace)
    with workspace.session() as session:
        undo_last(session, edition_id, "layla")
        set_item_city(session, ids[3], "eg-cairo", "omar")
    _check(workspace)
    with workspace.session() as session:
        confirm_label(session, ids[5], "lb-tripoli", "sara")
    _check(workspace)
    with workspace.session() as session:
        undo_last(session, edition_id, "sara")
    _check(workspace)
    with workspace.session() as session:
        logged = select(ReviewEvent.item_id).where(col(ReviewEvent.item_id).is_not(None))
        gone = delete(Item).where(col(Item.id).in_(ids[90:]), col(Item.id).not_in(logged))
        assert session.exec(gone).rowcount > 0  # type: ignore[call-overload]
    _check(workspace)


def test_summaries_read_from_the_tallies_match_the_items(
    any_workspace: Workspace, tmp_path: Path
) -> None:
    workspace = fill(any_workspace, tmp_path, 96)
    with workspace.reading() as session:
        edition = resolve_edition(session, None)
        ids = list(session.exec(select(Item.id).order_by(col(Item.id))))
    assert edition.id is not None
    with workspace.session() as session:
        for item_id in ids[:10]:
            set_status(session, item_id, "verified", "omar")
        set_status(session, ids[10], "flagged", "sara", note="unclear")
    with workspace.reading() as session:
        edition = resolve_edition(session, None)
        connection = driver_connection(session)
        summary = summarise(connection, find_edition(connection, None))
        board = dashboard(session, edition.id)  # type: ignore[arg-type]
        for flt in (
            QueueFilter(),
            QueueFilter(indicators=("TRD-WATER",)),
            QueueFilter(countries=("LY",), statuses=("verified",)),
            QueueFilter(cities=("sa-riyadh", "-"), bands=("auto", "unmatched")),
            QueueFilter(domains=("digital",)),
            QueueFilter(years=(2021,)),  # not tallied: counted over the items
        ):
            counted = status_counts(session, edition.id, flt.without_status())  # type: ignore[arg-type]
            assert scope_counts(session, edition.id, flt).by_status == counted  # type: ignore[arg-type]
    assert summary.total == 96
    assert summary.by_status == {"unverified": 85, "verified": 10, "rejected": 0, "flagged": 1}
    assert sum(summary.by_band.values()) == 96
    assert sum(sum(c.values()) for _, c in summary.by_indicator) == 96
    assert sum(sum(c.values()) for _, c in summary.by_city) == 96
    assert board.overall.by_status == summary.by_status
    assert {name: c.by_status for name, c in board.by_reviewer} == {
        "omar": {"unverified": 0, "verified": 10, "rejected": 0, "flagged": 0},
        "sara": {"unverified": 0, "verified": 0, "rejected": 0, "flagged": 1},
    }
    assert sum(c.total for _, _, c in board.by_indicator) == 96
