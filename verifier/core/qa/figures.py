"""QA figures from the workspace: every drawn item with its first decision, its latest
second decision and a lead's verdict, and the figures of any set of them (a sample, all
samples, a sprint, one first reviewer, source or extractor).

An *error* is a sampled item whose first decision was ``verified`` and whose second review
was not ``verified``, unless a lead's adjudication upheld the verification; a lead's verdict
replaces the second decision for this purpose. Until a disagreement is adjudicated it counts
as an error (the cautious reading). docs/qa.md has the details and a worked example.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from db.models import (
    Item,
    QaAdjudication,
    QaReview,
    QaSample,
    QaSampleItem,
    Source,
    Sprint,
    SprintAssignment,
)
from verifier.core.qa.stats import (
    CATEGORIES,
    Interval,
    cohen_kappa,
    confusion,
    observed_agreement,
    wilson_interval,
)


@dataclass(frozen=True)
class Pair:
    """One drawn item, as the figures see it."""

    sample_id: int
    item_id: int
    first_status: str
    first_reviewer: str
    second_reviewer: str
    source: str
    extractor: str
    second_status: str | None = None
    second_by: str = ""
    second_reason: str = ""
    second_note: str = ""
    verdict: str | None = None  # a lead's adjudication
    verdict_by: str = ""
    verdict_reason: str = ""

    @property
    def reviewed(self) -> bool:
        return self.second_status is not None

    @property
    def disagrees(self) -> bool:
        return self.reviewed and self.second_status != self.first_status

    @property
    def awaiting_adjudication(self) -> bool:
        return self.disagrees and self.verdict is None

    @property
    def counts_for_error_rate(self) -> bool:
        return self.reviewed and self.first_status == "verified"

    @property
    def is_error(self) -> bool:
        if not self.counts_for_error_rate:
            return False
        final = self.verdict if self.verdict is not None else self.second_status
        return final != "verified"

    @property
    def reason_given(self) -> str:
        """What the second reviewer said against the item (rejection reason or flag note)."""
        if self.second_status == "rejected":
            return self.second_reason
        if self.second_status == "flagged":
            return self.second_note or self.second_reason
        return ""


@dataclass(frozen=True)
class Figures:
    size: int
    reviewed: int
    agreement: float | None
    kappa: float | None
    confusion: list[list[int]]  # rows: first decision, columns: second (CATEGORIES order)
    verified_reviewed: int  # first-verified items with a second review: the error rate's n
    errors: int
    error_rate: float | None
    error_ci: Interval
    disagreements: list[int]  # item ids awaiting adjudication
    adjudicated: list[int]  # item ids a lead settled
    reasons: list[tuple[str, int]] = field(default_factory=list)  # second reviewers' reasons

    @property
    def upper(self) -> float:
        return self.error_ci.high


def figures_of(pairs: Iterable[Pair]) -> Figures:
    chosen = list(pairs)
    done = [p for p in chosen if p.reviewed]
    table = confusion((p.first_status, p.second_status or "") for p in done)
    counted = [p for p in chosen if p.counts_for_error_rate]
    errors = sum(1 for p in counted if p.is_error)
    reasons = Counter(" ".join(p.reason_given.split()) for p in done if p.reason_given.strip())
    return Figures(
        size=len(chosen),
        reviewed=len(done),
        agreement=observed_agreement(table),
        kappa=cohen_kappa(table),
        confusion=table,
        verified_reviewed=len(counted),
        errors=errors,
        error_rate=errors / len(counted) if counted else None,
        error_ci=wilson_interval(errors, len(counted)),
        disagreements=sorted(p.item_id for p in chosen if p.awaiting_adjudication),
        adjudicated=sorted(p.item_id for p in chosen if p.disagrees and p.verdict is not None),
        reasons=sorted(reasons.items(), key=lambda pair: (-pair[1], pair[0])),
    )


def breakdown(pairs: list[Pair], key: Callable[[Pair], str]) -> list[tuple[str, Figures]]:
    groups: dict[str, list[Pair]] = {}
    for pair in pairs:
        groups.setdefault(key(pair), []).append(pair)
    return [(name, figures_of(groups[name])) for name in sorted(groups)]


@dataclass(frozen=True)
class SampleInfo:
    id: int
    seed: int
    size: int
    population: int
    stratify: str
    reviewers: list[str]
    created_by: str
    created_at: datetime
    sprint: str | None
    scope: dict[str, object]


def samples(session: Session, edition_id: int, sample_id: int | None = None) -> list[SampleInfo]:
    query = (
        select(QaSample, Sprint.name)
        .outerjoin(Sprint, col(Sprint.id) == col(QaSample.sprint_id))
        .where(QaSample.edition_id == edition_id)
        .order_by(col(QaSample.id))
    )
    if sample_id is not None:
        query = query.where(QaSample.id == sample_id)
    return [
        SampleInfo(
            s.id or 0, s.seed, s.size, s.population, s.stratify, list(s.reviewers),
            s.created_by, s.created_at, sprint, dict(s.scope),
        )
        for s, sprint in session.exec(query)
    ]  # fmt: skip


def load_pairs(
    session: Session,
    edition_id: int,
    sample_id: int | None = None,
    item_ids: Iterable[int] | None = None,
    sprint_id: int | None = None,
) -> list[Pair]:
    """Drawn items of the edition (one sample's, a sprint's, or only some items'), in
    (sample, draw) order."""
    columns: tuple[Any, ...] = (
        QaSampleItem.sample_id,
        QaSampleItem.item_id,
        QaSampleItem.first_status,
        QaSampleItem.first_reviewer,
        QaSampleItem.second_reviewer,
        Source.key,
        Item.extractor,
    )
    query = (
        select(*columns)
        .join(QaSample, col(QaSample.id) == col(QaSampleItem.sample_id))
        .join(Item, col(Item.id) == col(QaSampleItem.item_id))
        .join(Source, col(Source.id) == col(Item.source_id))
        .where(QaSample.edition_id == edition_id)
        .order_by(col(QaSampleItem.sample_id), col(QaSampleItem.position))
    )
    if sample_id is not None:
        query = query.where(QaSampleItem.sample_id == sample_id)
    if sprint_id is not None:
        in_sprint = select(SprintAssignment.item_id).where(SprintAssignment.sprint_id == sprint_id)
        query = query.where(col(QaSampleItem.item_id).in_(in_sprint))
    rows = session.exec(query).all()
    if item_ids is not None:
        wanted = set(item_ids)
        rows = [r for r in rows if r[1] in wanted]
    reviews = _latest_reviews(session, edition_id, sample_id)
    verdicts = _latest_verdicts(session, edition_id, sample_id)
    pairs = []
    for sample, item_id, first, first_by, second_by, source, extractor in rows:
        review = reviews.get((sample, item_id))
        verdict = verdicts.get((sample, item_id))
        pairs.append(
            Pair(
                sample, item_id, first, first_by, second_by, source, extractor,
                second_status=review.status if review else None,
                second_by=review.reviewer if review else "",
                second_reason=review.reason if review else "",
                second_note=review.note if review else "",
                verdict=verdict.status if verdict else None,
                verdict_by=verdict.adjudicated_by if verdict else "",
                verdict_reason=verdict.reason if verdict else "",
            )
        )  # fmt: skip
    return pairs


def _latest_reviews(
    session: Session, edition_id: int, sample_id: int | None
) -> dict[tuple[int, int], QaReview]:
    query = (
        select(QaReview)
        .join(QaSample, col(QaSample.id) == col(QaReview.sample_id))
        .where(QaSample.edition_id == edition_id)
        .order_by(col(QaReview.id))
    )
    if sample_id is not None:
        query = query.where(QaReview.sample_id == sample_id)
    return {(row.sample_id, row.item_id): row for row in session.exec(query)}


def _latest_verdicts(
    session: Session, edition_id: int, sample_id: int | None
) -> dict[tuple[int, int], QaAdjudication]:
    query = (
        select(QaAdjudication)
        .join(QaSample, col(QaSample.id) == col(QaAdjudication.sample_id))
        .where(QaSample.edition_id == edition_id)
        .order_by(col(QaAdjudication.id))
    )
    if sample_id is not None:
        query = query.where(QaAdjudication.sample_id == sample_id)
    return {(row.sample_id, row.item_id): row for row in session.exec(query)}


__all__ = ["CATEGORIES", "Figures", "Pair", "breakdown", "figures_of", "load_pairs", "samples"]
