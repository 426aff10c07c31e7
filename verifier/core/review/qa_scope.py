"""The QA parts of the queue's filters: the items QA samples drew (a reviewer's blind queue),
and the disagreements waiting for a lead. Subqueries on the QA tables, so the queue's
clauses need no join; ``verifier.core.qa`` reads the same definitions."""

from __future__ import annotations

from sqlalchemy import and_, exists
from sqlalchemy.orm import aliased
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from db.models import QaAdjudication, QaReview, QaSample, QaSampleItem


def qa_items(edition_id: int, reviewer: str | None, sample_id: int | None) -> SelectOfScalar[int]:
    """Ids of the items QA samples of the edition drew (for ``reviewer``, in ``sample_id``)."""
    query = (
        select(QaSampleItem.item_id)
        .join(QaSample, col(QaSample.id) == col(QaSampleItem.sample_id))
        .where(QaSample.edition_id == edition_id)
    )
    if reviewer:
        query = query.where(QaSampleItem.second_reviewer == reviewer)
    if sample_id is not None:
        query = query.where(QaSampleItem.sample_id == sample_id)
    return query


def disputed_items(edition_id: int, sample_id: int | None = None) -> SelectOfScalar[int]:
    """Ids of the drawn items whose latest second decision differs from the first decision
    and that no lead has adjudicated yet: what waits for a lead."""
    later = aliased(QaReview)
    newer_review = exists().where(
        col(later.sample_id) == col(QaReview.sample_id),
        col(later.item_id) == col(QaReview.item_id),
        col(later.id) > col(QaReview.id),
    )
    adjudicated = exists().where(
        col(QaAdjudication.sample_id) == col(QaReview.sample_id),
        col(QaAdjudication.item_id) == col(QaReview.item_id),
    )
    query = (
        select(QaReview.item_id)
        .join(
            QaSampleItem,
            and_(
                col(QaSampleItem.sample_id) == col(QaReview.sample_id),
                col(QaSampleItem.item_id) == col(QaReview.item_id),
            ),
        )
        .join(QaSample, col(QaSample.id) == col(QaReview.sample_id))
        .where(
            QaSample.edition_id == edition_id,
            ~newer_review,
            ~adjudicated,
            col(QaReview.status) != col(QaSampleItem.first_status),
        )
    )
    if sample_id is not None:
        query = query.where(QaReview.sample_id == sample_id)
    return query
