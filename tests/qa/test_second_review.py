"""Second decisions are events of their own that never change the item; adjudication goes
through the normal status change; the queue's QA filters agree with the report."""

from __future__ import annotations

import pytest
from sqlmodel import select

from db.models import Item, QaAdjudication, QaReview, ReviewEvent
from verifier.core.errors import InvalidActionError, NotFoundError, PermissionDeniedError
from verifier.core.qa.adjudication import adjudicate
from verifier.core.qa.figures import figures_of, load_pairs
from verifier.core.qa.reviews import blind_items, item_qa, record_second_review
from verifier.core.qa.sampling import draw_sample
from verifier.core.review import queue
from verifier.core.review.queue import QueueFilter
from verifier.core.workspace import Workspace

# Seed 8 draws these 10 verified items; omar decided those up to 24, sara the others.
DRAWN = [15, 24, 25, 9, 13, 3, 6, 37, 16, 26]
SECOND = {15: "sara", 24: "sara", 25: "omar", 9: "sara", 13: "sara", 3: "sara", 6: "sara",
          37: "omar", 16: "sara", 26: "omar"}  # fmt: skip


@pytest.fixture
def sampled(qa_workspace: Workspace) -> Workspace:
    with qa_workspace.session() as session:
        result = draw_sample(session, 1, size=10, seed=8, reviewers=["omar", "sara"], actor="layla")
    assert result.item_ids == DRAWN
    assert {i.item_id: i.second_reviewer for i in result.items} == SECOND
    return qa_workspace


def _item(workspace: Workspace, item_id: int) -> tuple[str, int, str | None]:
    with workspace.reading() as session:
        item = session.get(Item, item_id)
        assert item is not None
        return item.status, item.version, item.status_changed_by


def test_a_second_decision_is_its_own_event_and_never_changes_the_item(sampled: Workspace) -> None:
    before = _item(sampled, 15)
    with sampled.session() as session:
        review = record_second_review(
            session, 15, "rejected", "sara", reason="the table is for 2022"
        )
    assert _item(sampled, 15) == before == ("verified", 2, "omar")
    with sampled.reading() as session:
        event = session.get(ReviewEvent, review.event_id)
        assert event is not None
        assert (event.action, event.actor, event.item_id) == ("qa_review", "sara", 15)
        assert (event.old_status, event.new_status) == ("verified", "verified")
        assert event.reason == "the table is for 2022"
        assert event.payload == {"sample_id": 1, "status": "rejected", "replaces": None}
        [facts] = item_qa(session, 15)
        mine = blind_items(session, 1, "sara")
    assert facts.disagrees and facts.awaiting_adjudication
    assert facts.second is not None and facts.second.status == "rejected"
    assert mine == {15: "rejected", 24: None, 9: None, 13: None, 3: None, 6: None, 16: None}


def test_second_decision_rules(sampled: Workspace) -> None:
    with sampled.session() as session:
        with pytest.raises(InvalidActionError, match="a rejection needs a reason"):
            record_second_review(session, 15, "rejected", "sara")
        with pytest.raises(InvalidActionError, match="a flag needs a note"):
            record_second_review(session, 15, "flagged", "sara")
        with pytest.raises(PermissionDeniedError, match="another second reviewer: sara"):
            record_second_review(session, 15, "verified", "omar")
        with pytest.raises(NotFoundError, match="item 1 is not drawn"):
            record_second_review(session, 1, "verified", "sara")
        with pytest.raises(InvalidActionError, match="must be one of"):
            record_second_review(session, 15, "unverified", "sara")
        record_second_review(session, 15, "verified", "sara")
        with pytest.raises(InvalidActionError, match="already verified"):
            record_second_review(session, 15, "verified", "sara")
        with pytest.raises(InvalidActionError, match="changing it needs a reason"):
            record_second_review(session, 15, "flagged", "sara", note="unsure")
        record_second_review(session, 15, "flagged", "sara", reason="page 12 is torn")
    with sampled.reading() as session:
        reviews = session.exec(select(QaReview).where(QaReview.item_id == 15)).all()
        [facts] = item_qa(session, 15)
    assert [r.status for r in reviews] == ["verified", "flagged"]
    assert facts.second is not None and facts.second.status == "flagged"


def test_adjudication_goes_through_the_normal_status_change(sampled: Workspace) -> None:
    with sampled.session() as session:
        record_second_review(session, 15, "rejected", "sara", reason="2022 figure")
        record_second_review(session, 24, "rejected", "sara", reason="wrong city")
        with pytest.raises(PermissionDeniedError, match="needs the lead role"):
            adjudicate(session, 15, "rejected", "omar", "agree")
        with pytest.raises(InvalidActionError, match="needs a reason"):
            adjudicate(session, 15, "rejected", "layla", " ")
        with pytest.raises(InvalidActionError, match="no second decision yet"):
            adjudicate(session, 9, "verified", "layla", "fine")
        rejected = adjudicate(session, 15, "rejected", "layla", "p. 15 gives 2022")
        upheld = adjudicate(session, 24, "verified", "layla", "the city is right")
        with pytest.raises(InvalidActionError, match="adjudicated rejected by layla already"):
            adjudicate(session, 15, "verified", "layla", "again")
    assert _item(sampled, 15)[0::2] == ("rejected", "layla")
    assert _item(sampled, 24) == ("verified", 2, "omar")  # upheld: no status change
    with sampled.reading() as session:
        status_event = session.get(ReviewEvent, rejected.status_event_id)
        verdict_event = session.get(ReviewEvent, rejected.event_id)
        assert status_event is not None and verdict_event is not None
        assert (status_event.action, status_event.old_status, status_event.new_status) == (
            "status", "verified", "rejected",
        )  # fmt: skip
        assert status_event.reason == "p. 15 gives 2022"
        assert verdict_event.action == "qa_adjudicate"
        assert verdict_event.payload == {
            "sample_id": 1, "status": "rejected", "first_status": "verified",
            "second_status": "rejected", "status_event": status_event.id,
        }  # fmt: skip
        assert upheld.status_event_id is None
        assert len(session.exec(select(QaAdjudication)).all()) == 2


def test_the_first_or_second_reviewer_cannot_adjudicate(qa_workspace: Workspace) -> None:
    with qa_workspace.session() as session:
        # layla (a lead) is the second reviewer of omar's items here.
        draw_sample(session, 1, size=3, seed=1, reviewers=["layla"], actor="layla",
                    scope=QueueFilter(reviewers=("omar",)))  # fmt: skip
        [item_id, *_] = [row.item_id for row in item_qa_all(session)]
        record_second_review(session, item_id, "flagged", "layla", note="unsure")
        with pytest.raises(PermissionDeniedError, match="another lead adjudicates"):
            adjudicate(session, item_id, "verified", "layla", "fine after all")


def item_qa_all(session):  # the drawn rows, in draw order
    from db.models import QaSampleItem

    return session.exec(select(QaSampleItem).order_by(QaSampleItem.position)).all()


def test_the_queue_filters_agree_with_the_report(sampled: Workspace) -> None:
    with sampled.session() as session:
        record_second_review(session, 15, "rejected", "sara", reason="2022")
        record_second_review(session, 25, "flagged", "omar", note="unreadable scan")
        record_second_review(session, 9, "verified", "sara")
        adjudicate(session, 25, "verified", "layla", "the scan reads 92")
    with sampled.reading() as session:
        disputed = queue.item_ids(session, 1, QueueFilter(qa_disputed=True))
        blind_sara = queue.item_ids(session, 1, QueueFilter(qa_for="sara"))
        one_sample = queue.item_ids(session, 1, QueueFilter(qa_sample=1))
        figures = figures_of(load_pairs(session, 1))
    assert disputed == figures.disagreements == [15]
    assert figures.adjudicated == [25]
    assert blind_sara == sorted(i for i, who in SECOND.items() if who == "sara")
    assert one_sample == sorted(DRAWN)
    # Reviewed 3, all first-verified: 15 is an error (awaiting), 25 was upheld, 9 agrees.
    assert (figures.reviewed, figures.verified_reviewed, figures.errors) == (3, 3, 1)
    assert figures.confusion == [[1, 1, 1], [0, 0, 0], [0, 0, 0]]


def test_a_blind_filter_refuses_status_and_reviewer() -> None:
    with pytest.raises(InvalidActionError, match="would reveal the first decision"):
        QueueFilter(qa_for="sara", statuses=("verified",))
    with pytest.raises(InvalidActionError, match="would reveal the first decision"):
        QueueFilter(qa_for="sara", reviewers=("omar",))
    saved = QueueFilter(qa_for="sara", qa_sample=3, qa_disputed=False).to_dict()
    assert saved == {"qa_for": "sara", "qa_sample": 3}
    assert QueueFilter.from_dict(saved) == QueueFilter(qa_for="sara", qa_sample=3)
    assert QueueFilter.from_dict({"qa_disputed": True}).describe() == (
        "QA disagreements awaiting adjudication"
    )
