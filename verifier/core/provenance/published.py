"""The values of one publication with their evidence chains and resolved conflicts.

Everything is read set-based: the selected values form a subquery that the evidence, the
items and their events are each read through once.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import timedelta
from typing import Any

from sqlalchemy import Select
from sqlmodel import Session, col, select

from db.models import (
    ConflictResolution,
    Item,
    Publication,
    PublicationEvidence,
    PublicationValue,
    ReviewEvent,
    Source,
)
from verifier.core.provenance.chains import city_refs, indicator_refs, load_item_chains
from verifier.core.provenance.model import (
    ConflictOutcome,
    IndicatorRef,
    LosingItem,
    PublicationFacts,
    ValueChain,
)


def publication_facts(
    session: Session, publication: Publication, edition_code: str
) -> PublicationFacts:
    from verifier.core.publishing.snapshot import content_hash

    qa = None
    try:
        document = json.loads(publication.content)
        intact = content_hash(document) == publication.content_sha256
        qa = document.get("qa") if isinstance(document.get("qa"), dict) else None
    except (ValueError, TypeError, AttributeError):
        intact = False
    assert publication.id is not None
    return PublicationFacts(
        id=publication.id,
        number=publication.number,
        edition_code=edition_code,
        sha256=publication.content_sha256,
        created_by=publication.created_by,
        created_at=publication.created_at,
        note=publication.note,
        value_count=publication.value_count,
        content_intact=intact,
        qa=qa,
    )


def publish_event(session: Session, publication: Publication) -> ReviewEvent | None:
    """The log's record of the publication (its position bounds "before publication")."""
    query = select(ReviewEvent).where(
        ReviewEvent.edition_id == publication.edition_id, ReviewEvent.action == "publish"
    )
    for event in session.exec(query.order_by(col(ReviewEvent.id))):
        if event.payload.get("publication_id") == publication.id:
            return event
    return None


def published_values(
    session: Session,
    publication: Publication,
    *,
    city_id: str | None = None,
    indicator_id: int | None = None,
    item_id: int | None = None,
) -> list[ValueChain]:
    selected = _value_filter(publication, city_id, indicator_id, item_id)
    values = session.exec(select(PublicationValue).where(*selected)).all()
    if not values:
        return []
    value_ids = select(PublicationValue.id).where(*selected)
    evidence: dict[int, list[int]] = defaultdict(list)
    query = select(PublicationEvidence).where(col(PublicationEvidence.value_id).in_(value_ids))
    for row in session.exec(query):
        evidence[row.value_id].append(row.item_id)
    item_ids: Select[Any] = select(PublicationEvidence.item_id).where(
        col(PublicationEvidence.value_id).in_(value_ids)
    )
    announced = publish_event(session, publication)
    cutoff = announced.seq if announced is not None else None
    chains = load_item_chains(session, item_ids, cutoff)
    indicators = indicator_refs(session, publication.edition_id)
    cities = city_refs(session, {v.city_id for v in values})
    conflicts = _resolutions(session, publication, announced)
    result: list[ValueChain] = []
    for value in values:
        assert value.id is not None
        indicator: IndicatorRef = indicators[value.indicator_id]
        ids = sorted(evidence[value.id])
        outcome = conflicts.get((value.city_id, value.indicator_id, value.year))
        result.append(
            ValueChain(
                city=cities[value.city_id],
                indicator=indicator,
                value=value.value,
                unit=value.unit,
                year=value.year,
                evidence=tuple(chains[i] for i in ids if i in chains),
                conflict=outcome if outcome and outcome.chosen_item_id in ids else None,
            )
        )
    result.sort(key=lambda v: (v.city.id, v.indicator.code))
    return result


def _value_filter(
    publication: Publication, city_id: str | None, indicator_id: int | None, item_id: int | None
) -> list[Any]:
    where: list[Any] = [PublicationValue.publication_id == publication.id]
    if city_id is not None:
        where.append(PublicationValue.city_id == city_id)
    if indicator_id is not None:
        where.append(PublicationValue.indicator_id == indicator_id)
    if item_id is not None:
        holding = select(PublicationEvidence.value_id).where(PublicationEvidence.item_id == item_id)
        where.append(col(PublicationValue.id).in_(holding))
    return where


def _resolutions(
    session: Session, publication: Publication, announced: ReviewEvent | None
) -> dict[tuple[str, int, int], ConflictOutcome]:
    """The latest resolution per (city, indicator, year) made before the publication."""
    rows = session.exec(
        select(ConflictResolution, ReviewEvent)
        .join(ReviewEvent, col(ReviewEvent.id) == col(ConflictResolution.event_id), isouter=True)
        .where(ConflictResolution.edition_id == publication.edition_id)
        .order_by(col(ConflictResolution.id))
    ).all()
    latest: dict[tuple[str, int, int], tuple[ConflictResolution, ReviewEvent | None]] = {}
    for resolution, event in rows:
        if _before(resolution, event, publication, announced):
            latest[(resolution.city_id, resolution.indicator_id, resolution.year)] = (
                resolution,
                event,
            )
    loser_ids = {
        int(i)
        for _, event in latest.values()
        if event is not None
        for i in event.payload.get("other_items", [])
    }
    losers = losing_items(session, loser_ids)
    return {
        key: conflict_outcome(resolution, event, losers)
        for key, (resolution, event) in latest.items()
    }


def conflict_outcome(
    resolution: ConflictResolution,
    event: ReviewEvent | None,
    losers: dict[int, LosingItem],
    state: str = "resolved",
) -> ConflictOutcome:
    others = [int(i) for i in (event.payload.get("other_items", []) if event else [])]
    return ConflictOutcome(
        state=state,
        chosen_item_id=resolution.chosen_item_id,
        resolved_by=resolution.resolved_by,
        resolved_at=resolution.resolved_at,
        reason=resolution.reason,
        losers=tuple(losers[i] for i in others if i in losers),
        event_seq=event.seq if event else None,
    )


def _before(
    resolution: ConflictResolution,
    event: ReviewEvent | None,
    publication: Publication,
    announced: ReviewEvent | None,
) -> bool:
    if event is not None and announced is not None and event.seq and announced.seq:
        return event.seq < announced.seq
    # Without the log's order, fall back on time (publications are stamped to the second).
    return resolution.resolved_at <= publication.created_at + timedelta(seconds=1)


def losing_items(session: Session, ids: set[int]) -> dict[int, LosingItem]:
    if not ids:
        return {}
    found: dict[int, LosingItem] = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), 900):
        rows = session.exec(
            select(Item.id, Item.value_text, Item.value_normalized, Source.title)
            .join(Source, col(Source.id) == col(Item.source_id))
            .where(col(Item.id).in_(ordered[start : start + 900]))
        ).all()
        for item_id, text, value, title in rows:
            assert item_id is not None
            found[item_id] = LosingItem(item_id, text, value, title)
    return found
