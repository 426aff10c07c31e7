"""Reassigning a reviewer's remaining items (unverified or flagged) to others, for when
someone is ill: one action, split like a sprint's creation, written to the review log."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import update
from sqlmodel import Session, col, select

from db.models import Item, Role, SprintAssignment, table_of
from verifier.core.errors import InvalidActionError
from verifier.core.eventlog.append import record_event
from verifier.core.people.roles import require_registered, require_role
from verifier.core.review.filters import DECIDED, IN_LIMIT
from verifier.core.review.sprints import SplitStrategy, split_items, sprint_by_name


def reassign_remaining(
    session: Session,
    edition_id: int,
    sprint_name: str,
    from_reviewer: str,
    to_reviewers: list[str],
    actor: str,
    strategy: SplitStrategy = SplitStrategy.BALANCED,
) -> dict[str, int]:
    """Move ``from_reviewer``'s undecided items of the sprint to ``to_reviewers``. Leads only.
    Returns how many items each new reviewer received."""
    require_role(session, actor, Role.LEAD, "reassigning a sprint's items")
    sprint = sprint_by_name(session, edition_id, sprint_name)
    if not to_reviewers:
        raise InvalidActionError("name at least one reviewer to give the items to")
    if from_reviewer in to_reviewers:
        raise InvalidActionError(f"{from_reviewer} cannot take over their own items")
    rows = session.exec(
        select(Item.id, Item.source_id)
        .join(SprintAssignment, col(SprintAssignment.item_id) == col(Item.id))
        .where(
            SprintAssignment.sprint_id == sprint.id,
            SprintAssignment.reviewer == from_reviewer,
            col(Item.status).not_in(DECIDED),
        )
        .order_by(col(Item.id))
    ).all()
    items = [(item_id, source_id) for item_id, source_id in rows if item_id is not None]
    if not items:
        raise InvalidActionError(f"{from_reviewer} has no remaining item in sprint '{sprint.name}'")
    for reviewer in to_reviewers:
        require_registered(session, reviewer)
    assignment = split_items(items, to_reviewers, strategy)
    by_reviewer: dict[str, list[int]] = {}
    for item_id, reviewer in assignment.items():
        by_reviewer.setdefault(reviewer, []).append(item_id)
    table = table_of(SprintAssignment)
    for reviewer, ids in by_reviewer.items():
        for start in range(0, len(ids), IN_LIMIT):
            session.connection().execute(
                update(table)
                .where(
                    table.c.sprint_id == sprint.id,
                    table.c.reviewer == from_reviewer,
                    table.c.item_id.in_(ids[start : start + IN_LIMIT]),
                )
                .values(reviewer=reviewer)
            )
    counts = Counter(assignment.values())
    shares = {reviewer: counts[reviewer] for reviewer in to_reviewers}
    record_event(
        session,
        edition_id=edition_id,
        actor=actor,
        action="sprint_reassign",
        payload={
            "sprint_id": sprint.id,
            "name": sprint.name,
            "from": from_reviewer,
            "to": shares,
            "strategy": strategy.value,
            "items": len(items),
        },
    )
    return shares
