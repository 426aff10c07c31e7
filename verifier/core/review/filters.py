"""Queue filters: what the review queue, ``verifier items`` and a sprint's scope select.

A filter is plain data, stored as JSON (the review UI's saved state, ``Sprint.scope``), and
becomes WHERE clauses on the item table. Lookups it needs (folded source titles and city
names for search, the current sprint's assignments) become id lists or subqueries, so the
clauses need no join and the counts stay cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_
from sqlmodel import Session, col, select

from db.models import (
    Band,
    City,
    Domain,
    EvidenceCheck,
    EvidenceStatus,
    Indicator,
    Item,
    Script,
    Source,
    SprintAssignment,
    Status,
)
from db.types import utcnow
from verifier.core.errors import InvalidActionError
from verifier.core.review.qa_scope import disputed_items, qa_items
from verifier.core.review.search import search_conditions
from verifier.core.review.sprint_calendar import current_sprint

# City filter value meaning "no city matched yet".
NO_CITY = "-"
# Band filter value for items never run through the matcher (imported with --no-match).
UNMATCHED = "unmatched"
BAND_CHOICES = (Band.AUTO.value, Band.REVIEW.value, Band.NONE.value, UNMATCHED)
SCRIPT_CHOICES = tuple(s.value for s in Script)
# Evidence filter value for items the evidence check has no result for (yet).
UNCHECKED = "unchecked"
EVIDENCE_CHOICES = (*(s.value for s in EvidenceStatus), UNCHECKED)
STATUS_CHOICES = tuple(s.value for s in Status)
# Statuses that end the review of an item (flagged ones still need someone).
DECIDED = (Status.VERIFIED.value, Status.REJECTED.value)
IN_LIMIT = 900  # SQLite's bound-parameter limit is 999 on old builds


@dataclass(frozen=True)
class QueueFilter:
    """What the queue shows. Empty tuples mean "any"; values within a field are OR-ed and
    fields are AND-ed. ``search`` words must all appear (label, snippet, source or city)."""

    statuses: tuple[str, ...] = ()
    indicators: tuple[str, ...] = ()  # indicator codes
    domains: tuple[str, ...] = ()  # domain codes
    cities: tuple[str, ...] = ()  # city ids, or NO_CITY
    countries: tuple[str, ...] = ()  # ISO codes: the city's country, else the item's hint
    sources: tuple[str, ...] = ()  # source keys
    batches: tuple[int, ...] = ()
    scripts: tuple[str, ...] = ()  # script of the raw label
    bands: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    reviewers: tuple[str, ...] = ()  # who last changed the status
    # The evidence check's stored result (EVIDENCE_CHOICES): value_differs first, say.
    evidence: tuple[str, ...] = ()
    assigned_to: str | None = None  # items a sprint assigns to this reviewer
    search: str = ""
    # QA: the blind second-review queue of this reviewer (items QA samples give them);
    # the first decision stays hidden, so status and reviewer filters are refused with it.
    qa_for: str | None = None
    qa_sample: int | None = None  # items of this QA sample only
    qa_disputed: bool = False  # second reviews that disagree, awaiting a lead's adjudication

    def __post_init__(self) -> None:
        closed = (
            ("status", self.statuses, STATUS_CHOICES),
            ("script", self.scripts, SCRIPT_CHOICES),
            ("band", self.bands, BAND_CHOICES),
            ("evidence status", self.evidence, EVIDENCE_CHOICES),
        )
        for what, values, allowed in closed:
            wrong = [v for v in values if v not in allowed]
            if wrong:
                raise InvalidActionError(f"{what} '{wrong[0]}' is not one of {', '.join(allowed)}")
        if self.qa_for and (self.statuses or self.reviewers):
            raise InvalidActionError(
                "a blind second review cannot filter on the status or on who decided it: "
                "that would reveal the first decision"
            )
        if self.qa_for and self.qa_disputed:
            raise InvalidActionError("a blind review queue cannot show the disagreements too")

    @property
    def blind(self) -> bool:
        """Whether the queue is a blind second review: the first decision is not shown."""
        return bool(self.qa_for)

    @property
    def is_empty(self) -> bool:
        return self == QueueFilter()

    def without_status(self) -> QueueFilter:
        """The same scope with any status: what progress is measured against."""
        return replace(self, statuses=())

    def to_dict(self) -> dict[str, Any]:
        """JSON form, listing only the fields that are set."""
        data: dict[str, Any] = {}
        for spec in fields(self):
            value = getattr(self, spec.name)
            if value in ((), None, "") or value is False:
                continue
            data[spec.name] = list(value) if isinstance(value, tuple) else value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> QueueFilter:
        """Rebuild a filter from ``to_dict`` output; unknown keys (a newer version) are ignored."""
        known = {spec.name for spec in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                continue
            if key in ("batches", "years"):
                values[key] = tuple(int(v) for v in value)
            elif key in ("assigned_to", "search", "qa_for"):
                values[key] = value
            elif key == "qa_sample":
                values[key] = int(value)
            elif key == "qa_disputed":
                values[key] = bool(value)
            else:
                values[key] = tuple(str(v) for v in value)
        return cls(**values)

    def describe(self) -> str:
        """One line for people, e.g. ``status unverified · indicator TRD-WATER · "riyadh"``."""
        parts: list[str] = []
        labels = {
            "statuses": "status",
            "indicators": "indicator",
            "domains": "domain",
            "cities": "city",
            "countries": "country",
            "sources": "source",
            "batches": "batch",
            "scripts": "script",
            "bands": "band",
            "years": "year",
            "reviewers": "reviewer",
            "evidence": "evidence",
        }
        for name, label in labels.items():
            value = getattr(self, name)
            if value:
                parts.append(f"{label} {'|'.join(str(v) for v in value)}")
        if self.assigned_to:
            parts.append(f"assigned to {self.assigned_to}")
        if self.qa_for:
            parts.append(f"blind second review by {self.qa_for}")
        if self.qa_sample is not None:
            parts.append(f"QA sample {self.qa_sample}")
        if self.qa_disputed:
            parts.append("QA disagreements awaiting adjudication")
        if self.search:
            parts.append(f'"{self.search}"')
        return " · ".join(parts) or "all items"


@dataclass
class FilterContext:
    """Facts a filter needs from outside the item table, looked up once per query."""

    now: datetime = field(default_factory=utcnow)


def indicator_selections(edition_id: int, flt: QueueFilter) -> list[Any]:
    """The indicator ids the filter's indicator and domain choices allow, as subqueries
    (one per choice made); the item queue and the tallies both filter on them."""
    selections: list[Any] = []
    if flt.indicators:
        selections.append(
            select(Indicator.id).where(
                Indicator.edition_id == edition_id, col(Indicator.code).in_(flt.indicators)
            )
        )
    if flt.domains:
        selections.append(
            select(Indicator.id)
            .join(Domain, col(Domain.id) == col(Indicator.domain_id))
            .where(Indicator.edition_id == edition_id, col(Domain.code).in_(flt.domains))
        )
    return selections


def conditions(
    session: Session, edition_id: int, flt: QueueFilter, context: FilterContext | None = None
) -> list[ColumnElement[bool]]:
    """WHERE clauses on ``item`` for the filter. Lookups (source titles, sprint assignments)
    become subqueries or id lists, so the clauses need no join."""
    context = context or FilterContext()
    where: list[ColumnElement[bool]] = [col(Item.edition_id) == edition_id]
    if flt.statuses:
        where.append(col(Item.status).in_(flt.statuses))
    for indicator_ids in indicator_selections(edition_id, flt):
        where.append(col(Item.indicator_id).in_(indicator_ids))
    if flt.cities:
        where.append(_city_condition(flt.cities))
    if flt.countries:
        countries = [c.upper() for c in flt.countries]
        in_country = select(City.id).where(col(City.country).in_(countries))
        where.append(
            or_(
                col(Item.city_id).in_(in_country),
                and_(col(Item.city_id).is_(None), col(Item.country).in_(countries)),
            )
        )
    if flt.sources:
        keys = select(Source.id).where(col(Source.key).in_(flt.sources))
        where.append(col(Item.source_id).in_(keys))
    if flt.batches:
        where.append(col(Item.batch_id).in_(flt.batches))
    if flt.scripts:
        where.append(col(Item.label_script).in_(flt.scripts))
    if flt.bands:
        where.append(_band_condition(flt.bands))
    if flt.years:
        where.append(col(Item.year).in_(flt.years))
    if flt.reviewers:
        where.append(col(Item.status_changed_by).in_(flt.reviewers))
    if flt.evidence:
        where.append(_evidence_condition(flt.evidence))
    if flt.assigned_to:
        where.append(_assigned_condition(session, edition_id, flt.assigned_to, context.now))
    if flt.qa_for or flt.qa_sample is not None:
        where.append(col(Item.id).in_(qa_items(edition_id, flt.qa_for, flt.qa_sample)))
    if flt.qa_disputed:
        where.append(col(Item.id).in_(disputed_items(edition_id, flt.qa_sample)))
    if flt.search.strip():
        where.extend(search_conditions(session, edition_id, flt.search))
    return where


def _city_condition(cities: tuple[str, ...]) -> ColumnElement[bool]:
    named = [c for c in cities if c != NO_CITY]
    parts: list[ColumnElement[bool]] = []
    if named:
        parts.append(col(Item.city_id).in_(named))
    if NO_CITY in cities:
        parts.append(col(Item.city_id).is_(None))
    return or_(*parts)


def _band_condition(bands: tuple[str, ...]) -> ColumnElement[bool]:
    real = [b for b in bands if b != UNMATCHED]
    parts: list[ColumnElement[bool]] = []
    if real:
        parts.append(col(Item.match_band).in_(real))
    if UNMATCHED in bands:
        parts.append(col(Item.match_band).is_(None))
    return or_(*parts)


def _evidence_condition(wanted: tuple[str, ...]) -> ColumnElement[bool]:
    """Items whose stored evidence result has one of the statuses: read from the result
    table's status index (its rows are keyed by item id), never by a join."""
    real = [s for s in wanted if s != UNCHECKED]
    parts: list[ColumnElement[bool]] = []
    if real:
        having = select(EvidenceCheck.item_id).where(col(EvidenceCheck.status).in_(real))
        parts.append(col(Item.id).in_(having))
    if UNCHECKED in wanted:
        checked = select(EvidenceCheck.item_id).where(col(EvidenceCheck.item_id) == Item.id)
        parts.append(~checked.exists())
    return or_(*parts)


def _assigned_condition(
    session: Session, edition_id: int, reviewer: str, now: datetime
) -> ColumnElement[bool]:
    sprint = current_sprint(session, edition_id, now)
    if sprint is None:
        return false()
    assigned = select(SprintAssignment.item_id).where(
        SprintAssignment.sprint_id == sprint.id, SprintAssignment.reviewer == reviewer
    )
    return col(Item.id).in_(assigned)
