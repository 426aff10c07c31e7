"""The values of one publication with their evidence chains and resolved conflicts.

The values are read from the publication's hashed document, the one thing its sha256 and
publish event vouch for; the items behind them and their events are then read set-based,
one query per table.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import Session, col, select

from db.models import (
    ConflictResolution,
    Item,
    Publication,
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
from verifier.core.sources.history import sources_as_of


def publication_facts(
    session: Session, publication: Publication, edition_code: str
) -> PublicationFacts:
    """The publication's facts as its hashed content states them. Its row's copies are used
    only when the content is unreadable; ``rows_intact`` says whether its queryable rows
    still say what the content says."""
    from verifier.core.publishing.rows import check_publication

    check = check_publication(session, publication)
    document = check.document or {}
    found = document.get("publication")
    meta: dict[str, Any] = found if isinstance(found, dict) else {}
    qa = document.get("qa") if isinstance(document.get("qa"), dict) else None
    assert publication.id is not None
    hashed = check.content_intact and bool(meta)
    return PublicationFacts(
        id=publication.id,
        number=int(meta["number"]) if hashed else publication.number,
        edition_code=edition_code,
        sha256=publication.content_sha256,
        created_by=str(meta["created_by"]) if hashed else publication.created_by,
        created_at=publication.created_at,
        note=str(meta["note"]) if hashed else publication.note,
        value_count=int(meta["value_count"]) if hashed else publication.value_count,
        content_intact=check.content_intact,
        qa=qa,
        rows_intact=check.rows_intact,
        row_problems=tuple(check.problems),
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
    """The selected values as the publication's hashed document holds them (never its
    queryable rows, which nothing hashes), each with its evidence chains."""
    from verifier.core.publishing.rows import parse_document

    indicators = indicator_refs(session, publication.edition_id)
    by_code = {ref.code: ref for ref in indicators.values()}
    document = parse_document(publication) or {}
    values = [
        v
        for v in document.get("values", [])
        if v["indicator"] in by_code
        and (city_id is None or v["city"] == city_id)
        and (indicator_id is None or by_code[v["indicator"]].id == indicator_id)
        and (item_id is None or item_id in v["evidence"])
    ]
    if not values:
        return []
    item_ids = sorted({int(i) for v in values for i in v["evidence"]})
    announced = publish_event(session, publication)
    cutoff = announced.seq if announced is not None else None
    chains = load_item_chains(session, item_ids, cutoff)
    cities = city_refs(session, {v["city"] for v in values})
    conflicts = latest_resolutions(session, publication, announced)
    result: list[ValueChain] = []
    for value in values:
        indicator: IndicatorRef = by_code[value["indicator"]]
        ids = sorted(int(i) for i in value["evidence"])
        outcome = conflicts.get((value["city"], indicator.id, value["year"]))
        result.append(
            ValueChain(
                city=cities[value["city"]],
                indicator=indicator,
                value=float(value["value"]),
                unit=str(value["unit"]),
                year=int(value["year"]),
                evidence=tuple(chains[i] for i in ids if i in chains),
                conflict=outcome if outcome and outcome.chosen_item_id in ids else None,
            )
        )
    result.sort(key=lambda v: (v.city.id, v.indicator.code))
    return result


def latest_resolutions(
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
    cutoff = announced.seq if announced is not None else None
    losers = losing_items(session, loser_ids, cutoff)
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


def losing_items(
    session: Session, ids: set[int], cutoff_seq: int | None = None
) -> dict[int, LosingItem]:
    """The items a resolution set aside; with ``cutoff_seq`` (a publish event's position),
    their sources' titles as they were then."""
    if not ids:
        return {}
    rows: list[tuple[int, str, float | None, Source]] = []
    ordered = sorted(ids)
    for start in range(0, len(ordered), 900):
        rows += [
            (item_id, text, value, source)
            for item_id, text, value, source in session.exec(
                select(Item.id, Item.value_text, Item.value_normalized, Source)
                .join(Source, col(Source.id) == col(Item.source_id))
                .where(col(Item.id).in_(ordered[start : start + 900]))
            ).all()
            if item_id is not None
        ]
    sources = {source.id: source for *_, source in rows if source.id is not None}
    if cutoff_seq is not None:
        sources = sources_as_of(session, sources, cutoff_seq)
    return {
        item_id: LosingItem(item_id, text, value, sources[source.id or 0].title)
        for item_id, text, value, source in rows
    }
