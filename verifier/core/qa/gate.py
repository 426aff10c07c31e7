"""The QA gate on publishing, and the QA figures a publication records.

With a threshold (``publish --max-error-rate``, else the edition's ``[qa] max_error_rate``),
publishing is refused while the upper end of the 95% interval of the error rate, over all
the edition's samples, is above it, or while some item being published is not *covered*:
its current decision must be one a QA sample spoke for, i.e. it was verified in a sample's
population when that sample was drawn and has not been decided again since, or its current
decision is a lead's adjudication.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from db.models import Edition, Item, QaAdjudication, QaFrameItem, QaSample
from verifier.core.errors import InvalidActionError, VerifierError
from verifier.core.qa.figures import Figures, figures_of, load_pairs, samples
from verifier.core.review.filters import IN_LIMIT
from verifier.core.wording import agree, count, percent, percent_interval

UNCOVERED_SHOWN = 10


class QaGateRefusedError(VerifierError):
    """Publishing would rest on data whose QA does not meet the threshold."""


def check_threshold(value: float | None) -> float | None:
    if value is not None and not 0 <= value <= 1:
        raise InvalidActionError(f"the maximum error rate must lie between 0 and 1, not {value}")
    return value


def covered_items(session: Session, edition_id: int, item_ids: list[int]) -> set[int]:
    """Which of ``item_ids`` (verified items) a QA sample covers, as defined above."""
    covered: set[int] = set()
    for start in range(0, len(item_ids), IN_LIMIT):
        chunk = item_ids[start : start + IN_LIMIT]
        framed = (
            select(QaFrameItem.item_id)
            .join(QaSample, col(QaSample.id) == col(QaFrameItem.sample_id))
            .join(Item, col(Item.id) == col(QaFrameItem.item_id))
            .where(
                QaSample.edition_id == edition_id,
                col(QaFrameItem.item_id).in_(chunk),
                QaFrameItem.status == "verified",
                col(QaFrameItem.decided_at) == col(Item.status_changed_at),
            )
        )
        settled = (
            select(QaAdjudication.item_id)
            .join(Item, col(Item.id) == col(QaAdjudication.item_id))
            .where(
                col(QaAdjudication.item_id).in_(chunk),
                QaAdjudication.status == "verified",
                col(QaAdjudication.decided_at) == col(Item.status_changed_at),
            )
        )
        covered.update(session.exec(framed).all())
        covered.update(session.exec(settled).all())
    return covered


def edition_figures(session: Session, edition_id: int) -> Figures:
    return figures_of(load_pairs(session, edition_id))


def qa_record(
    session: Session,
    edition: Edition,
    published_items: list[int],
    max_error_rate: float | None = None,
) -> dict[str, Any] | None:
    """The ``qa`` section of a publication document, or None when the edition has no QA
    sample and no gate applies. Raises QaGateRefusedError when the gate refuses."""
    assert edition.id is not None
    threshold = check_threshold(max_error_rate)
    origin = "option"
    if threshold is None and edition.qa_max_error_rate is not None:
        threshold, origin = check_threshold(edition.qa_max_error_rate), "edition"
    drawn = samples(session, edition.id)
    if not drawn and threshold is None:
        return None
    figures = edition_figures(session, edition.id)
    items = sorted(set(published_items))
    covered = covered_items(session, edition.id, items)
    uncovered = [i for i in items if i not in covered]
    if threshold is not None:
        _refuse_if_needed(figures, threshold, uncovered, len(items), bool(drawn))
    return {
        "samples": [s.id for s in drawn],
        "size": figures.size,
        "reviewed": figures.reviewed,
        "agreement": figures.agreement,
        "kappa": figures.kappa,
        "verified_reviewed": figures.verified_reviewed,
        "errors": figures.errors,
        "error_rate": figures.error_rate,
        "error_ci": [figures.error_ci.low, figures.error_ci.high],
        "awaiting_adjudication": len(figures.disagreements),
        "items": len(items),
        "items_covered": len(items) - len(uncovered),
        "max_error_rate": threshold,
        "max_error_rate_from": origin if threshold is not None else None,
    }


def _refuse_if_needed(
    figures: Figures, threshold: float, uncovered: list[int], total: int, any_sample: bool
) -> None:
    problems: list[str] = []
    if not any_sample:
        problems.append("no QA sample covers the items being published")
    elif figures.verified_reviewed == 0:
        problems.append("no sampled verified item has a second review yet")
    elif figures.error_ci.high > threshold:
        problems.append(
            f"the QA error rate is {percent(figures.error_rate)} ({figures.errors} of "
            f"{figures.verified_reviewed}), 95% interval "
            f"{percent_interval(figures.error_ci.low, figures.error_ci.high)}: its upper end is "
            f"above the maximum {percent(threshold)} "
            f"({count(len(figures.disagreements), 'disagreement')} "
            f"{agree(len(figures.disagreements), 'awaits', 'await')} adjudication)"
        )
    if any_sample and uncovered:
        shown = ", ".join(map(str, uncovered[:UNCOVERED_SHOWN]))
        more = " …" if len(uncovered) > UNCOVERED_SHOWN else ""
        problems.append(
            f"{len(uncovered):,} of the {count(total, 'item')} being published "
            f"{agree(len(uncovered), 'is', 'are')} covered by no QA "
            f"sample (decided after the latest draw, or never in a sample's scope): {shown}{more}"
        )
    if problems:
        raise QaGateRefusedError(
            "QA gate: " + "; ".join(problems) + ". Review the sample "
            "(verifier qa review), adjudicate the disagreements (verifier qa adjudicate) or "
            "draw a larger sample (verifier qa sample); see verifier qa report."
        )
