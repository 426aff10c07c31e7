"""Steering a sprint day by day: the burn-down (decided against planned), throughput per
reviewer per day, and the items each reviewer still has. Days are local calendar days, like
the sprint's own ``--start`` and ``--end``.

The burn-down is read from the review log: an item counts as decided at the end of a day if
its latest status event by then left it verified or rejected (undos and later changes
included), so a past day's figure never changes with what happens afterwards.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import case, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from db.models import Item, ReviewEvent, SprintAssignment
from db.types import utcnow
from verifier.core.review.filters import DECIDED, QueueFilter
from verifier.core.review.sprints import SprintLine, sprint_by_name

STATUS_ACTIONS = ("status", "undo")
REMAINING_IDS = 200  # ids listed per reviewer (the counts are always complete)


@dataclass(frozen=True)
class BurnDay:
    day: date
    planned: float  # items planned to remain at the end of the day
    remaining: int | None  # items left at the end of the day; None for days still ahead
    decided: int  # net items decided that day (can be negative after undos)


@dataclass(frozen=True)
class ReviewerLoad:
    reviewer: str
    assigned: int
    decided: int
    left: int  # items still unverified or flagged
    flagged: int
    remaining: list[int]  # the ids of the first of them (at most REMAINING_IDS)


@dataclass
class SprintOverview:
    sprint: SprintLine
    today: date
    days: list[BurnDay]
    at_start: int  # items left when the sprint started
    # reviewer -> day -> status decisions on the sprint's items
    throughput: dict[str, dict[date, int]] = field(default_factory=dict)
    loads: list[ReviewerLoad] = field(default_factory=list)

    @property
    def remaining(self) -> int:
        return sum(load.left for load in self.loads)


def sprint_days(starts_at: datetime, ends_at: datetime, zone: tzinfo | None) -> list[date]:
    first = starts_at.astimezone(zone).date()
    last = (ends_at - timedelta(microseconds=1)).astimezone(zone).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _day_end(day: date, zone: tzinfo | None) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0)).astimezone(zone)


def sprint_overview(
    session: Session,
    edition_id: int,
    name: str,
    now: datetime | None = None,
    zone: tzinfo | None = None,
) -> SprintOverview:
    """Everything the sprint dashboard and ``verifier sprint show|report`` show. ``zone``:
    the time zone days are counted in (default: the machine's)."""
    now = now or utcnow()
    zone = zone or datetime.now().astimezone().tzinfo
    sprint = sprint_by_name(session, edition_id, name)
    loads = reviewer_loads(session, sprint.id or 0)
    # The line's per-reviewer progress comes from the loads: one pass over the assignment.
    line = SprintLine(
        id=sprint.id or 0,
        name=sprint.name,
        starts_at=sprint.starts_at,
        ends_at=sprint.ends_at,
        scope=QueueFilter.from_dict(sprint.scope),
        created_by=sprint.created_by,
        reviewers={load.reviewer: (load.assigned, load.decided) for load in loads},
    )
    days = sprint_days(sprint.starts_at, sprint.ends_at, zone)
    ends = [_day_end(day, zone) for day in days]
    today = now.astimezone(zone).date()
    assigned = select(SprintAssignment.item_id).where(SprintAssignment.sprint_id == sprint.id)
    columns: tuple[Any, ...] = (
        ReviewEvent.item_id,
        ReviewEvent.action,
        ReviewEvent.actor,
        ReviewEvent.new_status,
        ReviewEvent.created_at,
    )
    # Core rows, not ORM ones: tens of thousands of events, read once.
    events = session.connection().execute(
        sa_select(*columns)
        .where(col(ReviewEvent.item_id).in_(assigned),
               col(ReviewEvent.action).in_(STATUS_ACTIONS))
        .order_by(col(ReviewEvent.id))
    ).all()  # fmt: skip
    # Changes in the number decided, by day (index -1: before the sprint's first day ends,
    # i.e. at its start when the event is earlier than the start).
    start = sprint.starts_at
    before_start = 0
    change = [0] * len(days)
    decided_now: dict[int, bool] = {}
    throughput: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for item_id, action, actor, new_status, at in events:
        if item_id is None:
            continue
        was = decided_now.get(item_id, False)
        now_decided = new_status in DECIDED
        decided_now[item_id] = now_decided
        if at < start:
            before_start += now_decided - was
            continue
        index = bisect_left(ends, at)
        if index >= len(days):
            continue  # after the sprint: not part of its burn-down
        if at >= ends[index]:
            index += 1
        change[min(index, len(days) - 1)] += now_decided - was
        if action == "status":
            throughput[actor][days[min(index, len(days) - 1)]] += 1
    total = line.assigned
    at_start = total - before_start
    burn: list[BurnDay] = []
    remaining = at_start
    for n, day in enumerate(days):
        remaining -= change[n]
        planned = at_start * (1 - (n + 1) / len(days))
        shown = remaining if day <= today else None
        burn.append(BurnDay(day, round(planned, 2), shown, change[n]))
    return SprintOverview(
        sprint=line,
        today=today,
        days=burn,
        at_start=at_start,
        throughput={
            who: dict(sorted(by_day.items())) for who, by_day in sorted(throughput.items())
        },
        loads=loads,
    )


def reviewer_loads(
    session: Session, sprint_id: int, ids_listed: int = REMAINING_IDS
) -> list[ReviewerLoad]:
    """Per reviewer: counts from one grouped query, and the first ``ids_listed`` ids left
    (a window function), so a 50,000-item sprint moves no 50,000 rows into Python."""
    assigned = (
        col(SprintAssignment.sprint_id) == sprint_id,
        col(Item.id) == col(SprintAssignment.item_id),
    )
    counts = session.exec(
        select(
            SprintAssignment.reviewer,
            func.count(),
            func.sum(case((col(Item.status).in_(DECIDED), 1), else_=0)),
            func.sum(case((col(Item.status) == "flagged", 1), else_=0)),
        )
        .where(*assigned)
        .group_by(col(SprintAssignment.reviewer))
        .order_by(col(SprintAssignment.reviewer))
    ).all()
    number = func.row_number().over(
        partition_by=col(SprintAssignment.reviewer), order_by=col(Item.id)
    )
    left = (
        select(SprintAssignment.reviewer, Item.id, number.label("n"))
        .where(*assigned, col(Item.status).not_in(DECIDED))
        .subquery()
    )
    first_ids: dict[str, list[int]] = defaultdict(list)
    for reviewer, item_id in session.exec(
        select(left.c.reviewer, left.c.id).where(left.c.n <= ids_listed).order_by(left.c.n)
    ):
        first_ids[reviewer].append(item_id)
    return [
        ReviewerLoad(
            reviewer=reviewer,
            assigned=int(total),
            decided=int(decided or 0),
            left=int(total) - int(decided or 0),
            flagged=int(flagged or 0),
            remaining=first_ids.get(reviewer, []),
        )
        for reviewer, total, decided, flagged in counts
    ]
