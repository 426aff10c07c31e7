"""How far the verification is: for the queue's status line, and the sprint dashboard."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from db.models import City, Indicator, Item, ReviewEvent, Status
from db.types import utcnow
from verifier.core.review import tally
from verifier.core.review.filters import DECIDED, STATUS_CHOICES, QueueFilter, conditions
from verifier.core.review.sprints import SprintLine, current_sprint_line
from verifier.core.wording import percent


@dataclass(frozen=True)
class Counts:
    """Items per status, with the sums progress is read from."""

    by_status: dict[str, int]

    @classmethod
    def empty(cls) -> Counts:
        return cls(dict.fromkeys(STATUS_CHOICES, 0))

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def decided(self) -> int:
        return sum(self.by_status.get(s, 0) for s in DECIDED)

    @property
    def flagged(self) -> int:
        return self.by_status.get(Status.FLAGGED.value, 0)

    @property
    def share(self) -> float:
        return self.decided / self.total if self.total else 0.0

    def line(self) -> str:
        """``312/1,204 decided · 25.9%``."""
        return f"{self.decided:,}/{self.total:,} decided · {percent(self.share)}"


@dataclass(frozen=True)
class Throughput:
    """One reviewer's work today."""

    reviewer: str
    decisions: int  # status changes
    matches: int  # city decisions
    notes: int


@dataclass
class Dashboard:
    edition_id: int
    overall: Counts
    by_indicator: list[tuple[str, str, Counts]]  # code, English name, counts
    by_city: list[tuple[str, Counts]]  # city name (or "(no city)")
    by_reviewer: list[tuple[str, Counts]]  # who last set the status
    today: list[Throughput]
    day_start: datetime  # UTC instant the throughput is counted from
    sprint: SprintLine | None = None
    publication: Any = None  # verifier.core.publishing.dashboard.publication_summary(...)
    publication_error: str = ""


def scope_counts(session: Session, edition_id: int, flt: QueueFilter) -> Counts:
    """Counts for the filter's scope with any status: progress of what the filter is about.
    Read from the database's tally when it answers the filter (indicator, domain, city,
    country, band), else counted over the items the filter selects."""
    scope = flt.without_status()
    if tally.answerable(scope):
        return Counts(tally.status_counts(session, edition_id, scope))
    counts = dict.fromkeys(STATUS_CHOICES, 0)
    query = (
        select(col(Item.status), func.count())
        .where(*conditions(session, edition_id, scope))
        .group_by(col(Item.status))
    )
    for status, number in session.exec(query):
        counts[status] = int(number)
    return Counts(counts)


def local_day_start(now: datetime) -> datetime:
    """Midnight of the local calendar day containing ``now``, as an aware datetime."""
    local = now.astimezone()
    return datetime.combine(local.date(), time(0), tzinfo=local.tzinfo)


def dashboard(session: Session, edition_id: int, now: datetime | None = None) -> Dashboard:
    now = now or utcnow()
    start = local_day_start(now)
    overall = scope_counts(session, edition_id, QueueFilter())
    board = Dashboard(
        edition_id=edition_id,
        overall=overall,
        by_indicator=_by_indicator(session, edition_id),
        by_city=_by_city(session, edition_id),
        by_reviewer=_by_reviewer(session, edition_id),
        today=throughput(session, edition_id, start, start + timedelta(days=1)),
        day_start=start,
        sprint=current_sprint_line(session, edition_id, now),
    )
    # The publication facts are added by verifier.core.publishing.dashboard.review_dashboard
    # (publishing sits above the review workflow: its QA gate reads the review's samples).
    return board


def _by_indicator(session: Session, edition_id: int) -> list[tuple[str, str, Counts]]:
    indicators = session.exec(
        select(Indicator)
        .where(Indicator.edition_id == edition_id)
        .order_by(col(Indicator.position), col(Indicator.code))
    ).all()
    counts = tally.pivot(session, edition_id, "indicator_id")
    return [
        (i.code, i.name_en, Counts(counts.get(i.id, dict.fromkeys(STATUS_CHOICES, 0))))
        for i in indicators
    ]


def _by_city(session: Session, edition_id: int) -> list[tuple[str, Counts]]:
    counts = tally.pivot(session, edition_id, "city_id")  # '' is "no city"
    ids = [city_id for city_id in counts if city_id]
    cities = session.exec(select(City.id, City.name_en, City.country).where(col(City.id).in_(ids)))
    # With the country: two cities may share a name (Tripoli LY, Tripoli LB).
    names = {city_id: f"{name or city_id} {country}".strip() for city_id, name, country in cities}
    lines = [
        (names.get(city_id, city_id) if city_id else "(no city)", Counts(by_status))
        for city_id, by_status in counts.items()
    ]
    return sorted(lines, key=lambda line: (-line[1].total, line[0]))


def _by_reviewer(session: Session, edition_id: int) -> list[tuple[str, Counts]]:
    counts = tally.reviewer_pivot(session, edition_id)
    lines = [(name, Counts(by_status)) for name, by_status in counts.items()]
    return sorted(lines, key=lambda line: (-line[1].decided, line[0]))


def throughput(
    session: Session, edition_id: int, start: datetime, end: datetime
) -> list[Throughput]:
    """Decisions, city matches and notes per reviewer between ``start`` and ``end``; a
    decision that was undone does not count (nor does the undo)."""
    tally: dict[str, dict[str, int]] = defaultdict(lambda: {"status": 0, "match": 0, "note": 0})
    window = (
        ReviewEvent.edition_id == edition_id,
        col(ReviewEvent.created_at) >= start,
        col(ReviewEvent.created_at) < end,
    )
    undone = {
        payload.get("undoes")
        for payload in session.exec(
            select(ReviewEvent.payload).where(*window, ReviewEvent.action == "undo")
        )
        if isinstance(payload, dict)
    }
    events = session.exec(
        select(ReviewEvent.id, ReviewEvent.actor, ReviewEvent.action).where(
            *window, col(ReviewEvent.action).in_(("status", "match", "note"))
        )
    )
    for event_id, actor, action in events:
        if event_id not in undone:
            tally[actor][action] += 1
    lines = [Throughput(actor, t["status"], t["match"], t["note"]) for actor, t in tally.items()]
    return sorted(lines, key=lambda line: (-line.decisions, line.reviewer))
