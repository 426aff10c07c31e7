"""Everything a reviewer needs to decide about one item, gathered in one read.

Shared by the review UI's item panel and ``verifier item show``. Plain data only: how it is
drawn (and how Arabic is reordered) is the caller's business.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, col, select

from db.models import (
    City,
    Document,
    Domain,
    ImportBatch,
    Indicator,
    Item,
    ReviewEvent,
    Source,
)
from verifier.core.errors import NotFoundError
from verifier.core.evidence.listing import EvidenceResult, result_for
from verifier.core.review import item_peers
from verifier.core.review.item_candidates import CandidateLine, candidate_lines
from verifier.core.review.item_peers import Resolution, SiblingLine
from verifier.core.sources.files import SourceFacts, source_facts

if TYPE_CHECKING:
    from verifier.core.matching import Matcher, MatchResult

EVENTS_SHOWN = 200


@dataclass(frozen=True)
class EventLine:
    id: int
    created_at: datetime
    actor: str
    action: str
    old_status: str | None
    new_status: str | None
    note: str
    reason: str
    detail: str  # what the payload says, in words (a city change, an undo...)


@dataclass(frozen=True)
class ItemView:
    id: int
    version: int
    edition_id: int
    status: str
    status_changed_by: str | None
    status_changed_at: datetime | None
    # The label as written, and what the engine and people made of it.
    raw_label: str
    label_script: str
    country_hint: str
    city_id: str | None
    city_name_en: str
    city_name_ar: str
    city_country: str
    match_method: str | None
    match_confirmed_by: str | None
    stored_band: str | None
    stored_score: float | None
    suggested_city_id: str | None
    band: str  # of the fresh candidates below
    margin: float | None
    candidates: list[CandidateLine]
    # Read without them (``candidates=False``): ``with_candidates`` adds them.
    candidates_pending: bool
    # Items a bulk confirmation would touch (same label and hint), counted up to
    # SAME_LABEL_COUNTED.
    same_label_count: int
    # The indicator and the value.
    indicator_code: str
    indicator_name_en: str
    indicator_name_ar: str
    indicator_unit: str
    min_value: float | None
    max_value: float | None
    direction: str
    domain_code: str
    domain_name_en: str
    value_text: str
    value_number: float | None
    unit_written: str
    value_normalized: float | None
    year: int
    # Where it comes from.
    source: SourceFacts
    locator: str
    snippet: str
    language: str
    item_url: str
    extractor: str
    extracted_at: datetime | None
    batch_id: int
    batch_file: str
    row_number: int
    events: list[EventLine] = field(default_factory=list)
    siblings: list[SiblingLine] = field(default_factory=list)
    sibling_total: int = 0  # counted up to SIBLINGS_COUNTED
    resolution: Resolution | None = None
    # The evidence check's stored result (None: the item was never checked).
    evidence: EvidenceResult | None = None

    @property
    def in_range(self) -> bool | None:
        """Whether the normalised value lies in the indicator's valid range (None: unknown)."""
        if self.value_normalized is None:
            return None
        low_ok = self.min_value is None or self.value_normalized >= self.min_value
        high_ok = self.max_value is None or self.value_normalized <= self.max_value
        return low_ok and high_ok

    @property
    def disagreements(self) -> int:
        return sum(1 for sibling in self.siblings if sibling.disagrees)

    @property
    def decided(self) -> bool:
        return self.status in ("verified", "rejected")


def load_item_view(
    session: Session, item_id: int, matcher: Matcher | None = None, *, candidates: bool = True
) -> ItemView:
    """The item with its city candidates, indicator, source, history and same-year peers.

    ``matcher`` may be a prepared :class:`Matcher` of the edition (the review UI keeps one);
    without it the candidates come from :func:`verifier.core.cities.automatic.candidates`.
    ``candidates=False``: none, and no matcher (building one costs more than the rest of the
    view); the view says they are pending, and ``with_candidates`` adds them.
    """
    item = session.get(Item, item_id)
    if item is None:
        raise NotFoundError(f"no item {item_id}")
    indicator = session.get(Indicator, item.indicator_id)
    source = session.get(Source, item.source_id)
    if indicator is None or source is None:
        raise NotFoundError(f"item {item_id} refers to a missing indicator or source")
    domain = session.get(Domain, indicator.domain_id)
    city = session.get(City, item.city_id) if item.city_id else None
    batch = session.get(ImportBatch, item.batch_id)
    result = _candidates(session, item, matcher) if candidates else None
    peers, sibling_total = item_peers.siblings(session, item)
    return ItemView(
        id=item_id,
        version=item.version,
        edition_id=item.edition_id,
        status=item.status,
        status_changed_by=item.status_changed_by,
        status_changed_at=item.status_changed_at,
        raw_label=item.raw_label,
        label_script=item.label_script,
        country_hint=item.country,
        city_id=item.city_id,
        city_name_en=city.name_en if city else "",
        city_name_ar=city.name_ar if city else "",
        city_country=city.country if city else "",
        match_method=item.match_method,
        match_confirmed_by=item.match_confirmed_by,
        stored_band=item.match_band,
        stored_score=item.match_score,
        suggested_city_id=item.suggested_city_id,
        band=result.band if result else "",
        margin=result.margin if result else None,
        candidates=candidate_lines(session, result, item.city_id) if result else [],
        candidates_pending=result is None,
        same_label_count=item_peers.same_label_count(session, item),
        indicator_code=indicator.code,
        indicator_name_en=indicator.name_en,
        indicator_name_ar=indicator.name_ar,
        indicator_unit=indicator.unit,
        min_value=indicator.min_value,
        max_value=indicator.max_value,
        direction=indicator.direction,
        domain_code=domain.code if domain else "",
        domain_name_en=domain.name_en if domain else "",
        value_text=item.value_text,
        value_number=item.value_number,
        unit_written=item.unit,
        value_normalized=item.value_normalized,
        year=item.year,
        source=source_facts(source, stored=_document_stored(session, source)),
        locator=item.locator,
        snippet=item.snippet,
        language=item.language,
        item_url=item.source_url,
        extractor=item.extractor,
        extracted_at=item.extracted_at,
        batch_id=item.batch_id,
        batch_file=batch.file_name if batch else "",
        row_number=item.row_number,
        events=_events(session, item_id),
        siblings=peers,
        sibling_total=sibling_total,
        resolution=item_peers.resolution(session, item),
        evidence=result_for(session, item_id),
    )


def with_candidates(session: Session, view: ItemView, matcher: Matcher) -> ItemView:
    """``view``, read without its city candidates, with them."""
    item = session.get(Item, view.id)
    if item is None:
        raise NotFoundError(f"no item {view.id}")
    result = _candidates(session, item, matcher)
    return replace(
        view,
        band=result.band,
        margin=result.margin,
        candidates=candidate_lines(session, result, view.city_id),
        candidates_pending=False,
    )


def _candidates(session: Session, item: Item, matcher: Matcher | None) -> MatchResult:
    from verifier.core.cities.automatic import candidates

    return candidates(session, item, matcher=matcher)


def _events(session: Session, item_id: int) -> list[EventLine]:
    events = session.exec(
        select(ReviewEvent)
        .where(ReviewEvent.item_id == item_id)
        .order_by(col(ReviewEvent.id).desc())
        .limit(EVENTS_SHOWN)
    ).all()
    return [
        EventLine(
            id=e.id or 0,
            created_at=e.created_at,
            actor=e.actor,
            action=e.action,
            old_status=e.old_status,
            new_status=e.new_status,
            note=e.note,
            reason=e.reason,
            detail=describe_payload(e.action, e.payload),
        )
        for e in reversed(events)
    ]


def describe_payload(action: str, payload: dict[str, Any]) -> str:
    """The part of an event's payload a reviewer cares about, in words."""
    parts: list[str] = []
    if "new_city" in payload or "old_city" in payload:
        old = payload.get("old_city") or "none"
        new = payload.get("new_city") or "none"
        parts.append(f"city {old} → {new}")
    if payload.get("method"):
        parts.append(str(payload["method"]))
    if payload.get("bulk"):
        parts.append("for every item with this label")
    if action == "undo" and payload.get("undoes"):
        parts.append(f"undoes event {payload['undoes']}")
    return ", ".join(parts)


def _document_stored(session: Session, source: Source) -> bool:
    """Whether the workspace holds the source's document (then the local copy is not needed)."""
    digest = source.file_sha256
    return bool(digest) and session.get(Document, digest) is not None
