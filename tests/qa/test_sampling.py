"""Drawing QA samples: the seed reproduces the draw, strata get their share, the second
reviewer is never the first, and only leads draw."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlmodel import select

from db.models import QaFrameItem, QaSample, QaSampleItem, ReviewEvent
from tests.qa.conftest import COUNT, FIRST_REVIEWER, REJECTED
from verifier.core.errors import InvalidActionError, NotFoundError, PermissionDeniedError
from verifier.core.qa.sampling import (
    Candidate,
    Stratify,
    allocate,
    assign_second_reviewers,
    draw,
    draw_sample,
)
from verifier.core.review.queue import QueueFilter
from verifier.core.workspace import Workspace


def _draw(workspace: Workspace, **options: object):
    options.setdefault("reviewers", ["omar", "sara"])
    options.setdefault("actor", "layla")
    with workspace.session() as session:
        return draw_sample(session, 1, **options)  # type: ignore[arg-type]


def test_the_seed_reproduces_the_draw(qa_url: str, tmp_path) -> None:
    import shutil

    copy = tmp_path / "copy.db"
    shutil.copy(qa_url.removeprefix("sqlite:///"), copy)
    first, second = Workspace(qa_url), Workspace(f"sqlite:///{copy}")
    try:
        a = _draw(first, size=10, seed=1234)
        b = _draw(second, size=10, seed=1234)
        c = _draw(second, size=10, seed=99)
    finally:
        first.close()
        second.close()
    assert a.item_ids == b.item_ids
    assert [i.second_reviewer for i in a.items] == [i.second_reviewer for i in b.items]
    assert len(set(a.item_ids)) == 10
    # Sample 2 of the copy drew from the 30 items sample 1 left.
    assert c.eligible == 30 and not set(c.item_ids) & set(b.item_ids)


def test_the_draw_is_random_sample_over_ids_in_order() -> None:
    import random

    candidates = [Candidate(n, "verified", "omar", "s", "e", None) for n in range(1, 21)]
    chosen = draw(list(reversed(candidates)), 5, 7, None)
    assert [c.item_id for c in chosen] == [
        c.item_id for c in random.Random(7).sample(candidates, 5)
    ]


def test_never_the_first_reviewer(qa_workspace: Workspace) -> None:
    result = _draw(qa_workspace, size=20, seed=5)
    for item in result.items:
        assert item.first_reviewer == FIRST_REVIEWER[item.item_id]
        assert item.second_reviewer != item.first_reviewer
    assert sum(result.load.values()) == 20
    with qa_workspace.reading() as session:
        rows = session.exec(select(QaSampleItem)).all()
        frame = session.exec(select(QaFrameItem)).all()
        event = session.exec(select(ReviewEvent).where(ReviewEvent.action == "qa_sample")).one()
    assert {(r.item_id, r.second_reviewer) for r in rows} == {
        (i.item_id, i.second_reviewer) for i in result.items
    }
    assert len(frame) == COUNT  # verified and rejected items: the whole population
    assert {f.status for f in frame if f.item_id in REJECTED} == {"rejected"}
    assert event.actor == "layla" and event.payload["sample_id"] == result.sample_id
    assert event.payload["seed"] == 5 and event.payload["reviewers"] == result.load


def test_refused_when_only_the_first_reviewer_is_named(qa_workspace: Workspace) -> None:
    # Items 1-24 were decided by omar: with omar alone, the draw cannot be made.
    with pytest.raises(InvalidActionError, match="decided by the only reviewer named: omar"):
        _draw(qa_workspace, size=10, seed=3, reviewers=["omar"],
              scope=QueueFilter(reviewers=("omar",)))  # fmt: skip
    with qa_workspace.reading() as session:
        assert session.exec(select(QaSample)).all() == []
    # sara can take omar's items.
    assert _draw(qa_workspace, size=10, seed=3, reviewers=["sara"],
                 scope=QueueFilter(reviewers=("omar",))).load == {"sara": 10}  # fmt: skip


def test_assignment_deals_to_the_least_loaded_other_reviewer() -> None:
    drawn = [Candidate(n, "verified", who, "s", "e", None)
             for n, who in enumerate(["omar", "omar", "sara", "layla", "omar"], start=1)]  # fmt: skip
    # 1: sara (tie with layla, named first); 2: layla (sara has 1); 3: omar; 4 (layla's):
    # omar and sara tie at 1, omar named first; 5: sara and layla tie at 1, sara first.
    assert assign_second_reviewers(drawn, ["omar", "sara", "layla"]) == {
        1: "sara", 2: "layla", 3: "omar", 4: "omar", 5: "sara",
    }  # fmt: skip


def test_only_leads_draw(qa_workspace: Workspace) -> None:
    with pytest.raises(PermissionDeniedError, match="drawing a QA sample needs the lead role"):
        _draw(qa_workspace, size=5, seed=1, actor="omar")


@pytest.mark.parametrize(
    "options,message",
    [
        ({"size": 41}, "only 40 decided item"),
        ({"size": 0}, "at least one item"),
        ({"size": 5, "scope": QueueFilter(statuses=("unverified",))}, "has no decision"),
        ({"size": 5, "scope": QueueFilter(assigned_to="omar")}, "cannot depend"),
        ({"size": 5, "seed": -1}, "seed must lie"),
        ({"size": 5, "reviewers": []}, "at least one second reviewer"),
    ],
)
def test_impossible_draws_are_refused(qa_workspace: Workspace, options, message) -> None:
    with pytest.raises(InvalidActionError, match=message):
        _draw(qa_workspace, **options)


def test_an_unknown_sprint_is_refused(qa_workspace: Workspace) -> None:
    with pytest.raises(NotFoundError, match="no sprint named 'week 9'"):
        _draw(qa_workspace, size=5, seed=1, sprint="week 9")


def test_status_and_filters_narrow_the_population(qa_workspace: Workspace) -> None:
    result = _draw(qa_workspace, size=3, seed=2, scope=QueueFilter(statuses=("rejected",)))
    assert sorted(result.item_ids) == sorted(REJECTED)
    assert result.population == 3
    water = _draw(qa_workspace, size=2, seed=2, scope=QueueFilter(indicators=("TRD-WATER",)))
    # Items 1-4, 13-16, 25-28, 37-40 are TRD-WATER; the rejected ones were drawn already.
    assert water.population == 16 and water.eligible == 16


def test_allocation_is_proportional_with_a_share_for_everyone() -> None:
    assert allocate({"a": 30, "b": 10}, 8) == {"a": 6, "b": 2}
    # 1 each first, then 5 shared over the rest in proportion (29, 9, 0): 3.82, 1.18, 0.
    assert allocate({"a": 30, "b": 10, "c": 1}, 8) == {"a": 5, "b": 2, "c": 1}
    # Fewer items than strata: the largest remainders win, ties in sorted order.
    assert allocate({"a": 5, "b": 5, "c": 5}, 2) == {"a": 1, "b": 1, "c": 0}
    assert allocate({"a": 2, "b": 1}, 3) == {"a": 2, "b": 1}
    with pytest.raises(InvalidActionError):
        allocate({"a": 2}, 3)


def test_stratified_by_reviewer_source_and_extractor(qa_workspace: Workspace) -> None:
    by_reviewer = _draw(qa_workspace, size=10, seed=8, stratify="reviewer")
    # 24 items of omar, 16 of sara: 1 each, then 8 shared in proportion 23:15 -> 5 and 3.
    assert Counter(i.stratum for i in by_reviewer.items) == {"omar": 6, "sara": 4}
    assert all(i.stratum == i.first_reviewer for i in by_reviewer.items)
    by_extractor = _draw(qa_workspace, size=6, seed=8, stratify=Stratify.EXTRACTOR)
    # 30 items remain: hadi has 15 - (those drawn), mona the rest; strata are non-empty.
    assert set(Counter(i.stratum for i in by_extractor.items)) == {"hadi", "mona"}
    by_source = _draw(qa_workspace, size=4, seed=8, stratify="source")
    assert {i.stratum for i in by_source.items} == {"ministry-ar", "yearbook-2023"}
