"""Verification sprints: a time box, a scope of items (a queue filter), and who checks what.

Items are split among reviewers deterministically, so the same command on the same data
gives the same assignment:

- ``round-robin`` deals the items out in queue order, one each in turn;
- ``balanced`` keeps each source document with one reviewer where it can (checking a
  document's items together is faster): a document larger than a fair share is cut into
  consecutive runs, and the largest remaining piece goes to whoever has the fewest items.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from db.bulk import bulk_insert
from db.models import Item, Role, Sprint, SprintAssignment, table_of
from db.types import utcnow
from verifier.core.errors import InvalidActionError, NotFoundError
from verifier.core.eventlog.append import record_event
from verifier.core.people.roles import require_registered, require_role
from verifier.core.review.filters import DECIDED, QueueFilter, conditions
from verifier.core.review.sprint_calendar import current_sprint
from verifier.core.text import clean_display


class SplitStrategy(StrEnum):
    ROUND_ROBIN = "round-robin"
    BALANCED = "balanced"


@dataclass
class SprintLine:
    """A sprint with its assignment and progress, for listings and the dashboard."""

    id: int
    name: str
    starts_at: datetime
    ends_at: datetime
    scope: QueueFilter
    created_by: str
    # reviewer -> (assigned, decided)
    reviewers: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def assigned(self) -> int:
        return sum(a for a, _ in self.reviewers.values())

    @property
    def decided(self) -> int:
        return sum(d for _, d in self.reviewers.values())

    def state(self, now: datetime) -> str:
        if now < self.starts_at:
            return "upcoming"
        return "active" if now < self.ends_at else "ended"


def parse_reviewers(text: str) -> list[str]:
    """``"omar, sara"`` -> ["omar", "sara"], duplicates refused."""
    names = [clean_display(part).strip() for part in text.split(",")]
    names = [name for name in names if name]
    if not names:
        raise InvalidActionError("name at least one reviewer to assign items to")
    repeated = [name for name, n in Counter(names).items() if n > 1]
    if repeated:
        raise InvalidActionError(f"reviewer '{repeated[0]}' is listed twice")
    return names


def split_items(
    items: list[tuple[int, int]], reviewers: list[str], strategy: SplitStrategy
) -> dict[int, str]:
    """Assign ``(item_id, source_id)`` pairs (in queue order) to reviewers."""
    if strategy == SplitStrategy.ROUND_ROBIN:
        return {item_id: reviewers[n % len(reviewers)] for n, (item_id, _) in enumerate(items)}
    by_source: dict[int, list[int]] = defaultdict(list)
    for item_id, source_id in items:
        by_source[source_id].append(item_id)
    fair_share = -(-len(items) // len(reviewers))  # rounded up
    pieces = [
        (source_id, ids[start : start + fair_share])
        for source_id, ids in by_source.items()
        for start in range(0, len(ids), fair_share)
    ]
    # Largest first; ties by source and first item, so the result never depends on order.
    pieces.sort(key=lambda piece: (-len(piece[1]), piece[0], piece[1][0]))
    load = dict.fromkeys(reviewers, 0)
    assignment: dict[int, str] = {}
    for _, ids in pieces:
        reviewer = min(reviewers, key=lambda name: (load[name], reviewers.index(name)))
        for item_id in ids:
            assignment[item_id] = reviewer
        load[reviewer] += len(ids)
    return assignment


def create_sprint(
    session: Session,
    edition_id: int,
    name: str,
    starts_at: datetime,
    ends_at: datetime,
    scope: QueueFilter,
    reviewers: list[str],
    actor: str,
    strategy: SplitStrategy = SplitStrategy.ROUND_ROBIN,
) -> SprintLine:
    """Create a sprint over the items ``scope`` selects now and assign them. Needs a lead."""
    name = clean_display(name).strip()
    if not name:
        raise InvalidActionError("the sprint needs a name")
    if starts_at.tzinfo is None or ends_at.tzinfo is None:
        raise InvalidActionError("sprint times need a time zone (e.g. 2026-10-01T09:00+03:00)")
    if ends_at <= starts_at:
        raise InvalidActionError("the sprint must end after it starts")
    if scope.assigned_to:
        raise InvalidActionError("a sprint's scope cannot depend on another sprint's assignment")
    if not reviewers:
        raise InvalidActionError("name at least one reviewer to assign items to")
    require_role(session, actor, Role.LEAD, "creating a sprint")
    taken = session.exec(
        select(Sprint.id).where(Sprint.edition_id == edition_id, Sprint.name == name)
    ).first()
    if taken is not None:
        raise InvalidActionError(f"there is already a sprint named '{name}' (id {taken})")
    rows = session.exec(
        select(Item.id, Item.source_id)
        .where(*conditions(session, edition_id, scope))
        .order_by(col(Item.id))
    ).all()
    items = [(item_id, source_id) for item_id, source_id in rows if item_id is not None]
    if not items:
        raise InvalidActionError(f"the scope selects no items ({scope.describe()})")
    for reviewer in reviewers:
        require_registered(session, reviewer)
    sprint = Sprint(
        edition_id=edition_id,
        name=name,
        starts_at=starts_at,
        ends_at=ends_at,
        scope=scope.to_dict(),
        created_by=actor,
        created_at=utcnow(),
    )
    session.add(sprint)
    session.flush()
    assert sprint.id is not None
    assignment = split_items(items, reviewers, strategy)
    bulk_insert(
        session.connection(),
        table_of(SprintAssignment),
        [
            {"sprint_id": sprint.id, "item_id": item_id, "reviewer": reviewer}
            for item_id, reviewer in assignment.items()
        ],
    )
    counts = Counter(assignment.values())
    record_event(
        session,
        edition_id=edition_id,
        actor=actor,
        action="sprint_create",
        payload={
            "sprint_id": sprint.id,
            "name": name,
            "strategy": strategy.value,
            "items": len(items),
            "reviewers": {reviewer: counts[reviewer] for reviewer in reviewers},
        },
    )
    return _line(session, sprint)


def list_sprints(session: Session, edition_id: int) -> list[SprintLine]:
    sprints = session.exec(
        select(Sprint)
        .where(Sprint.edition_id == edition_id)
        .order_by(col(Sprint.starts_at), col(Sprint.id))
    ).all()
    return [_line(session, sprint) for sprint in sprints]


def current_sprint_line(
    session: Session, edition_id: int, now: datetime | None = None
) -> SprintLine | None:
    sprint = current_sprint(session, edition_id, now)
    return None if sprint is None else _line(session, sprint)


def sprint_by_name(session: Session, edition_id: int, name: str) -> Sprint:
    sprint = session.exec(
        select(Sprint).where(Sprint.edition_id == edition_id, Sprint.name == name)
    ).first()
    if sprint is None:
        raise NotFoundError(f"no sprint named '{name}' (see `verifier sprint list`)")
    return sprint


def _line(session: Session, sprint: Sprint) -> SprintLine:
    assert sprint.id is not None
    progress: dict[str, tuple[int, int]] = {}
    query = (
        select(
            SprintAssignment.reviewer,
            func.count(),
            func.sum(case((col(Item.status).in_(DECIDED), 1), else_=0)),
        )
        .join(Item, col(Item.id) == col(SprintAssignment.item_id))
        .where(SprintAssignment.sprint_id == sprint.id)
        .group_by(col(SprintAssignment.reviewer))
        .order_by(col(SprintAssignment.reviewer))
    )
    for reviewer, assigned, decided in session.exec(query):
        progress[reviewer] = (int(assigned), int(decided or 0))
    return SprintLine(
        id=sprint.id,
        name=sprint.name,
        starts_at=sprint.starts_at,
        ends_at=sprint.ends_at,
        scope=QueueFilter.from_dict(sprint.scope),
        created_by=sprint.created_by,
        reviewers=progress,
    )
