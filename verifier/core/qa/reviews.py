"""Second decisions: a reviewer's blind check of an item a QA sample gave them. A second
decision is an event of its own and a row of ``qa_review``; it never changes the item."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from db.models import Item, QaAdjudication, QaReview, QaSample, QaSampleItem
from db.models.qa import QA_STATUSES
from db.types import utcnow
from verifier.core.errors import InvalidActionError, NotFoundError, PermissionDeniedError
from verifier.core.eventlog.append import record_event
from verifier.core.items import load_item
from verifier.core.people.roles import ensure_reviewer


@dataclass(frozen=True)
class SecondDecision:
    reviewer: str
    status: str
    reason: str
    note: str
    at: datetime


@dataclass(frozen=True)
class Verdict:
    status: str
    by: str
    reason: str
    at: datetime


@dataclass(frozen=True)
class ItemQa:
    """One sample's view of an item: the first decision as drawn, the second, the verdict."""

    sample_id: int
    item_id: int
    first_status: str
    first_reviewer: str
    second_reviewer: str
    second: SecondDecision | None
    adjudication: Verdict | None

    @property
    def disagrees(self) -> bool:
        return self.second is not None and self.second.status != self.first_status

    @property
    def awaiting_adjudication(self) -> bool:
        return self.disagrees and self.adjudication is None


def check_qa_status(status: str) -> str:
    if status not in QA_STATUSES:
        raise InvalidActionError(f"status '{status}' must be one of {', '.join(QA_STATUSES)}")
    return status


def item_qa(session: Session, item_id: int) -> list[ItemQa]:
    """Every sample that drew the item, oldest first."""
    drawn = session.exec(
        select(QaSampleItem)
        .where(QaSampleItem.item_id == item_id)
        .order_by(col(QaSampleItem.sample_id))
    ).all()
    if not drawn:
        return []
    reviews: dict[int, QaReview] = {}
    for found in session.exec(
        select(QaReview).where(QaReview.item_id == item_id).order_by(col(QaReview.id))
    ):
        reviews[found.sample_id] = found
    verdicts: dict[int, QaAdjudication] = {}
    for settled in session.exec(
        select(QaAdjudication)
        .where(QaAdjudication.item_id == item_id)
        .order_by(col(QaAdjudication.id))
    ):
        verdicts[settled.sample_id] = settled
    result = []
    for row in drawn:
        review = reviews.get(row.sample_id)
        verdict = verdicts.get(row.sample_id)
        result.append(
            ItemQa(
                sample_id=row.sample_id,
                item_id=item_id,
                first_status=row.first_status,
                first_reviewer=row.first_reviewer,
                second_reviewer=row.second_reviewer,
                second=SecondDecision(
                    review.reviewer, review.status, review.reason, review.note, review.created_at
                )
                if review
                else None,
                adjudication=Verdict(
                    verdict.status, verdict.adjudicated_by, verdict.reason, verdict.created_at
                )
                if verdict
                else None,
            )
        )
    return result


def blind_items(session: Session, edition_id: int, reviewer: str) -> dict[int, str | None]:
    """The items QA samples gave ``reviewer`` to check blind, with their own latest second
    decision (None while not reviewed). The review UI hides the first decision of these."""
    drawn = session.exec(
        select(QaSampleItem.item_id)
        .join(QaSample, col(QaSample.id) == col(QaSampleItem.sample_id))
        .where(QaSample.edition_id == edition_id, QaSampleItem.second_reviewer == reviewer)
    ).all()
    mine: dict[int, str | None] = dict.fromkeys(drawn)
    if mine:
        for item_id, status in session.exec(
            select(QaReview.item_id, QaReview.status)
            .join(QaSample, col(QaSample.id) == col(QaReview.sample_id))
            .where(QaSample.edition_id == edition_id, QaReview.reviewer == reviewer)
            .order_by(col(QaReview.id))
        ):
            if item_id in mine:
                mine[item_id] = status
    return mine


def _assignment(session: Session, item_id: int, actor: str, sample_id: int | None) -> QaSampleItem:
    query = select(QaSampleItem).where(QaSampleItem.item_id == item_id)
    if sample_id is not None:
        query = query.where(QaSampleItem.sample_id == sample_id)
    rows = session.exec(query.order_by(col(QaSampleItem.sample_id).desc())).all()
    if not rows:
        where = f" in QA sample {sample_id}" if sample_id is not None else " in any QA sample"
        raise NotFoundError(f"item {item_id} is not drawn{where}")
    mine = [row for row in rows if row.second_reviewer == actor]
    if not mine:
        others = ", ".join(sorted({f"{r.second_reviewer} (sample {r.sample_id})" for r in rows}))
        raise PermissionDeniedError(
            f"item {item_id} is for another second reviewer: {others}; not for {actor}"
        )
    return mine[0]


def record_second_review(
    session: Session,
    item_id: int,
    status: str,
    actor: str,
    *,
    reason: str = "",
    note: str = "",
    sample_id: int | None = None,
) -> QaReview:
    """Record ``actor``'s blind second decision on an item drawn for them.

    The same rules as a first decision: a rejection needs a reason, a flag a note (or a
    reason), and changing one's own second decision needs a reason. The item itself (status,
    version, who decided it) is left exactly as it was.
    """
    check_qa_status(status)
    note, reason = note.strip(), reason.strip()
    item: Item = load_item(session, item_id)
    drawn = _assignment(session, item_id, actor, sample_id)
    if drawn.first_reviewer == actor:
        raise PermissionDeniedError(f"{actor} made the first decision on item {item_id}")
    if status == "rejected" and not reason:
        raise InvalidActionError("a rejection needs a reason")
    if status == "flagged" and not (note or reason):
        raise InvalidActionError("a flag needs a note saying what is missing or unclear")
    verdict = session.exec(
        select(QaAdjudication.id).where(
            QaAdjudication.sample_id == drawn.sample_id, QaAdjudication.item_id == item_id
        )
    ).first()
    if verdict is not None:
        raise InvalidActionError(
            f"item {item_id} of QA sample {drawn.sample_id} is adjudicated already"
        )
    before = session.exec(
        select(QaReview)
        .where(QaReview.sample_id == drawn.sample_id, QaReview.item_id == item_id)
        .order_by(col(QaReview.id).desc())
    ).first()
    if before is not None:
        if before.status == status:
            raise InvalidActionError(f"your second decision on item {item_id} is already {status}")
        if not reason:
            raise InvalidActionError(
                f"you decided item {item_id} {before.status} already; changing it needs a reason"
            )
    ensure_reviewer(session, actor)
    event = record_event(
        session,
        edition_id=item.edition_id,
        item_id=item_id,
        actor=actor,
        action="qa_review",
        old_status=item.status,
        new_status=item.status,  # a second decision never changes the item's status
        note=note,
        reason=reason,
        payload={
            "sample_id": drawn.sample_id,
            "status": status,
            "replaces": before.id if before is not None else None,
        },
    )
    assert event.id is not None
    review = QaReview(
        sample_id=drawn.sample_id,
        item_id=item_id,
        reviewer=actor,
        status=status,
        reason=reason,
        note=note,
        event_id=event.id,
        created_at=utcnow(),
    )
    session.add(review)
    session.flush()
    return review
