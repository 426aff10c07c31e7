"""Drawing a QA sample: a seeded random share of the decided items, each given to a second
reviewer other than the one who decided it.

The population (the sample's *frame*) is what a queue filter selects among the decided
items, optionally within one sprint. Items already drawn by an earlier sample of the edition
are not drawn again, so no item is reviewed a second time twice. The draw is reproducible:
the same seed over the same population draws the same items.

- Simple draw: ``random.Random(seed).sample`` over the eligible items in id order.
- Stratified draw (by first reviewer, source or extractor): the size is shared among the
  strata in proportion to their sizes (largest remainders, ties in stratum order), each
  stratum getting at least one item when the size allows; then each stratum is drawn in
  stratum order with the same generator.

Second reviewers are dealt out in draw order: each item goes to the named reviewer with the
fewest items so far among those who did not decide it (ties: the order they were named).
"""

from __future__ import annotations

import random
import secrets
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import and_
from sqlmodel import Session, col, select

from db.bulk import bulk_insert
from db.models import (
    Item,
    QaFrameItem,
    QaSample,
    QaSampleItem,
    Role,
    Source,
    SprintAssignment,
    Status,
    table_of,
)
from db.types import utcnow
from verifier.core.errors import InvalidActionError
from verifier.core.eventlog.append import record_event
from verifier.core.people.roles import require_registered, require_role
from verifier.core.review.filters import QueueFilter, conditions
from verifier.core.review.qa_scope import qa_items
from verifier.core.review.sprints import sprint_by_name
from verifier.core.wording import agree, count

SAMPLED_STATUSES = (Status.VERIFIED.value, Status.REJECTED.value, Status.FLAGGED.value)
DEFAULT_STATUSES = (Status.VERIFIED.value, Status.REJECTED.value)
MAX_SEED = 2**31 - 1


class Stratify(StrEnum):
    REVIEWER = "reviewer"  # who made the first decision
    SOURCE = "source"  # the source document's key
    EXTRACTOR = "extractor"  # who extracted the value


@dataclass(frozen=True)
class Candidate:
    """A decided item the sample may draw, with what stratification can group it by."""

    item_id: int
    status: str
    reviewer: str  # who set the status
    source: str
    extractor: str
    decided_at: datetime | None

    def stratum(self, by: Stratify | None) -> str:
        if by is None:
            return ""
        return {"reviewer": self.reviewer, "source": self.source, "extractor": self.extractor}[
            by.value
        ]


@dataclass(frozen=True)
class DrawnItem:
    item_id: int
    position: int
    stratum: str
    first_status: str
    first_reviewer: str
    second_reviewer: str


@dataclass(frozen=True)
class SampleDraw:
    sample_id: int
    seed: int
    population: int
    eligible: int  # the population less the items earlier samples drew
    stratify: str
    items: list[DrawnItem]

    @property
    def item_ids(self) -> list[int]:
        return [item.item_id for item in self.items]

    @property
    def load(self) -> dict[str, int]:
        return dict(Counter(item.second_reviewer for item in self.items))


def allocate(strata: dict[str, int], size: int) -> dict[str, int]:
    """How many items each stratum gives: proportional, largest remainders, at least one
    each when ``size`` allows, never more than a stratum holds. Strata in sorted order."""
    keys = sorted(strata)
    if size > sum(strata.values()):
        raise InvalidActionError(f"cannot draw {count(size, 'item')} from {sum(strata.values()):,}")
    base = dict.fromkeys(keys, 0)
    if size >= len(keys):
        base = {key: 1 if strata[key] else 0 for key in keys}
    rest = size - sum(base.values())
    room = {key: strata[key] - base[key] for key in keys}
    total_room = sum(room.values())
    if rest == 0 or total_room == 0:
        return base
    quotas = {key: rest * room[key] / total_room for key in keys}
    shares = {key: int(quotas[key]) for key in keys}
    left = rest - sum(shares.values())
    by_remainder = sorted(keys, key=lambda key: (-(quotas[key] - shares[key]), keys.index(key)))
    for key in by_remainder[:left]:
        shares[key] += 1
    return {key: base[key] + shares[key] for key in keys}


def draw(
    candidates: list[Candidate], size: int, seed: int, stratify: Stratify | None
) -> list[Candidate]:
    """The drawn candidates, in draw order (deterministic for a seed and a population)."""
    ordered = sorted(candidates, key=lambda c: c.item_id)
    rng = random.Random(seed)
    if stratify is None:
        return rng.sample(ordered, size)
    groups: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in ordered:
        groups[candidate.stratum(stratify)].append(candidate)
    shares = allocate({key: len(members) for key, members in groups.items()}, size)
    drawn: list[Candidate] = []
    for key in sorted(groups):
        drawn.extend(rng.sample(groups[key], shares[key]))
    return drawn


def assign_second_reviewers(drawn: list[Candidate], reviewers: list[str]) -> dict[int, str]:
    """Item id -> second reviewer; InvalidActionError when an item has nobody but the
    reviewer who decided it."""
    if not reviewers:
        raise InvalidActionError("name at least one second reviewer (--assign)")
    load = dict.fromkeys(reviewers, 0)
    chosen: dict[int, str] = {}
    impossible: dict[str, list[int]] = defaultdict(list)
    for candidate in drawn:
        others = [name for name in reviewers if name != candidate.reviewer]
        if not others:
            impossible[candidate.reviewer].append(candidate.item_id)
            continue
        reviewer = min(others, key=lambda name: (load[name], reviewers.index(name)))
        chosen[candidate.item_id] = reviewer
        load[reviewer] += 1
    if impossible:
        who, ids = next(iter(impossible.items()))
        alone = sum(len(v) for v in impossible.values())
        shown = ", ".join(map(str, ids[:10])) + (" …" if len(ids) > 10 else "")
        raise InvalidActionError(
            f"{count(alone, 'drawn item')} {agree(alone, 'was', 'were')} decided by the only "
            f"reviewer named: {who} decided {agree(len(ids), 'item')} {shown}. A second "
            "review must be someone else's: name another reviewer in --assign"
        )
    return chosen


def population(
    session: Session, edition_id: int, scope: QueueFilter, sprint_id: int | None
) -> list[Candidate]:
    """The decided items the scope selects (within the sprint, when given)."""
    where = conditions(session, edition_id, scope)
    if sprint_id is not None:
        in_sprint = select(SprintAssignment.item_id).where(SprintAssignment.sprint_id == sprint_id)
        where.append(col(Item.id).in_(in_sprint))
    columns: tuple[Any, ...] = (
        Item.id,
        Item.status,
        Item.status_changed_by,
        Source.key,
        Item.extractor,
        Item.status_changed_at,
    )
    rows = session.exec(
        select(*columns)
        .join(Source, col(Source.id) == col(Item.source_id))
        .where(and_(*where))
        .order_by(col(Item.id))
    ).all()
    return [
        Candidate(item_id, status, reviewer or "", key, extractor, decided_at)
        for item_id, status, reviewer, key, extractor, decided_at in rows
        if item_id is not None
    ]


def sample_scope(scope: QueueFilter) -> QueueFilter:
    """The scope with the statuses a sample draws from (verified and rejected by default)."""
    if scope.assigned_to or scope.qa_for or scope.qa_sample is not None or scope.qa_disputed:
        raise InvalidActionError(
            "a QA sample's scope cannot depend on assignments or on other QA samples"
        )
    statuses = scope.statuses or DEFAULT_STATUSES
    wrong = [s for s in statuses if s not in SAMPLED_STATUSES]
    if wrong:
        raise InvalidActionError(
            f"a QA sample draws decided items: status '{wrong[0]}' has no decision to check "
            f"(use {', '.join(SAMPLED_STATUSES)})"
        )
    return replace(scope, statuses=tuple(statuses))


def draw_sample(
    session: Session,
    edition_id: int,
    *,
    size: int,
    reviewers: list[str],
    actor: str,
    scope: QueueFilter | None = None,
    seed: int | None = None,
    sprint: str | None = None,
    stratify: Stratify | str | None = None,
) -> SampleDraw:
    """Draw a sample, give each item a second reviewer, and log it. Leads only."""
    require_role(session, actor, Role.LEAD, "drawing a QA sample")
    if size < 1:
        raise InvalidActionError("a QA sample needs at least one item (--size)")
    by = Stratify(stratify) if stratify else None
    if seed is None:
        seed = secrets.randbelow(MAX_SEED)
    if not 0 <= seed <= MAX_SEED:
        raise InvalidActionError(f"the seed must lie between 0 and {MAX_SEED}")
    chosen_scope = sample_scope(scope or QueueFilter())
    sprint_id = sprint_by_name(session, edition_id, sprint).id if sprint else None
    frame = population(session, edition_id, chosen_scope, sprint_id)
    earlier = set(session.exec(qa_items(edition_id, None, None)).all())
    eligible = [c for c in frame if c.item_id not in earlier]
    if size > len(eligible):
        drawn_before = len(frame) - len(eligible)
        also = f" ({drawn_before} more were drawn by earlier samples)" if drawn_before else ""
        raise InvalidActionError(
            f"only {count(len(eligible), 'decided item')} can be drawn from "
            f"{chosen_scope.describe()}{' in sprint ' + str(sprint) if sprint else ''}{also}; "
            f"ask for at most {len(eligible)}"
        )
    drawn = draw(eligible, size, seed, by)
    assignment = assign_second_reviewers(drawn, reviewers)
    for reviewer in reviewers:
        require_registered(session, reviewer)
    sample = QaSample(
        edition_id=edition_id,
        sprint_id=sprint_id,
        seed=seed,
        size=size,
        population=len(frame),
        scope=chosen_scope.to_dict(),
        stratify=by.value if by else "",
        reviewers=list(reviewers),
        created_by=actor,
        created_at=utcnow(),
    )
    session.add(sample)
    session.flush()
    assert sample.id is not None
    connection = session.connection()
    bulk_insert(
        connection,
        table_of(QaFrameItem),
        [
            {"sample_id": sample.id, "item_id": c.item_id, "status": c.status,
             "decided_at": c.decided_at}
            for c in frame
        ],
    )  # fmt: skip
    items = [
        DrawnItem(c.item_id, n, c.stratum(by), c.status, c.reviewer, assignment[c.item_id])
        for n, c in enumerate(drawn, start=1)
    ]
    bulk_insert(
        connection,
        table_of(QaSampleItem),
        [
            {"sample_id": sample.id, "item_id": i.item_id, "position": i.position,
             "stratum": i.stratum, "first_status": i.first_status,
             "first_reviewer": i.first_reviewer, "second_reviewer": i.second_reviewer}
            for i in items
        ],
    )  # fmt: skip
    result = SampleDraw(sample.id, seed, len(frame), len(eligible), sample.stratify, items)
    record_event(
        session,
        edition_id=edition_id,
        actor=actor,
        action="qa_sample",
        payload={
            "sample_id": sample.id,
            "seed": seed,
            "size": size,
            "population": len(frame),
            "eligible": len(eligible),
            "stratify": sample.stratify,
            "sprint_id": sprint_id,
            "scope": sample.scope,
            "reviewers": result.load,
        },
    )
    return result
