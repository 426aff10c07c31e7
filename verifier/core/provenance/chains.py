"""Each item's chain (source, extraction, city match, review history), gathered for many
items at once: one query per table, whatever the number of items."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any, cast

from sqlalchemy import Select
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from db.models import City, Domain, ImportBatch, Indicator, Item, ReviewEvent, Source
from verifier.core.provenance.evidence import evidence_facts, stored_documents
from verifier.core.provenance.model import (
    CityMatch,
    CityRef,
    EventRecord,
    Extraction,
    IndicatorRef,
    ItemChain,
    SourceRecord,
)
from verifier.core.provenance.wording import STATUS_ACTIONS, event_detail
from verifier.core.sources.files import file_state
from verifier.core.sources.history import sources_as_of

IN_LIMIT = 900  # bound parameters per IN list (old SQLite builds allow 999)
CHANGING_ACTIONS = STATUS_ACTIONS | {"match"}

# Item ids, as a subquery (set-based) or a list (a few items asked for by id).
ItemIds = Select[Any] | Sequence[int]


def load_item_chains(
    session: Session, item_ids: ItemIds, cutoff_seq: int | None = None, *, published: bool = True
) -> dict[int, ItemChain]:
    """The chains of the given items by id. ``cutoff_seq`` is the position of a publication's
    publish event: whether the item changed after it and, for ``published`` items, who had
    verified it by then and their sources' metadata as it was then (for the others: who
    verified it last, if it is verified now, and their sources as they are now). Each chain
    carries the evidence check's stored result, judged against the document its source names
    in that same version (verifier.core.provenance.evidence)."""
    # The engine's candidate list is the bulk of an item row and no report needs it.
    light = defer(cast(Any, Item.match_detail))
    items = _select_in(session, Item, col(Item.id), item_ids, light)
    if not items:
        return {}
    events = _events_by_item(session, item_ids)
    sources = {s.id: s for s in _by_ids(session, Source, {i.source_id for i in items})}
    if published and cutoff_seq is not None:
        # A published value rests on the source as it was then, not as its row is now.
        sources = sources_as_of(session, sources, cutoff_seq)
    batches = {b.id: b for b in _by_ids(session, ImportBatch, {i.batch_id for i in items})}
    cities = city_refs(session, {i.city_id for i in items if i.city_id})
    stored = stored_documents(session, (s.file_sha256 for s in sources.values()))
    evidence = evidence_facts(
        session, {i.id: sources[i.source_id].file_sha256 for i in items if i.id is not None}, stored
    )
    records: dict[int, SourceRecord] = {}
    chains: dict[int, ItemChain] = {}
    for item in items:
        assert item.id is not None
        source = sources[item.source_id]
        if item.source_id not in records:
            records[item.source_id] = _source_record(source, source.file_sha256 in stored)
        history = events.get(item.id, [])
        chains[item.id] = ItemChain(
            id=item.id,
            edition_id=item.edition_id,
            indicator_id=item.indicator_id,
            status=item.status,
            value_text=item.value_text,
            value_number=item.value_number,
            unit_written=item.unit,
            value_normalized=item.value_normalized,
            year=item.year,
            locator=item.locator,
            snippet=item.snippet,
            language=item.language,
            url=item.source_url,
            source=records[item.source_id],
            extraction=_extraction(item, batches.get(item.batch_id)),
            match=_match(item, cities),
            events=tuple(history),
            verified_by=_verification(history, cutoff_seq if published else None),
            changed_after_publication=cutoff_seq is not None
            and any(e.action in CHANGING_ACTIONS and (e.seq or 0) > cutoff_seq for e in history),
            evidence=evidence[item.id],
        )
    return chains


def city_refs(session: Session, ids: Iterable[str]) -> dict[str, CityRef]:
    return {
        c.id: CityRef(c.id, c.name_en, c.name_ar, c.country)
        for c in _by_ids(session, City, set(ids))
    }


def indicator_refs(session: Session, edition_id: int) -> dict[int, IndicatorRef]:
    rows = session.exec(
        select(Indicator, Domain.code)
        .join(Domain, col(Domain.id) == col(Indicator.domain_id))
        .where(Indicator.edition_id == edition_id)
    ).all()
    return {
        i.id: IndicatorRef(i.id, i.code, i.name_en, i.name_ar, i.unit, domain)
        for i, domain in rows
        if i.id is not None
    }


def _events_by_item(session: Session, item_ids: ItemIds) -> dict[int, list[EventRecord]]:
    found: dict[int, list[EventRecord]] = defaultdict(list)
    rows = _select_in(session, ReviewEvent, col(ReviewEvent.item_id), item_ids)
    rows.sort(key=lambda e: (e.seq is None, e.seq or 0, e.id or 0))
    for event in rows:
        assert event.item_id is not None and event.id is not None
        found[event.item_id].append(
            EventRecord(
                id=event.id,
                seq=event.seq,
                at=event.created_at,
                actor=event.actor,
                action=event.action,
                old_status=event.old_status,
                new_status=event.new_status,
                note=event.note,
                reason=event.reason,
                detail=event_detail(event.action, event.payload or {}),
            )
        )
    return found


def _verification(history: list[EventRecord], cutoff_seq: int | None) -> EventRecord | None:
    """The status event in force at the cutoff (or now), when it says verified."""
    changes = [
        e
        for e in history
        if e.action in STATUS_ACTIONS
        and e.new_status != e.old_status
        and (cutoff_seq is None or (e.seq or 0) <= cutoff_seq)
    ]
    if changes and changes[-1].new_status == "verified":
        return changes[-1]
    return None


def _source_record(source: Source, stored: bool) -> SourceRecord:
    # Each file is hashed once while it is unchanged, however many items cite it.
    state, sha_now = file_state(source.file_path, source.file_sha256, stored=stored)
    assert source.id is not None
    return SourceRecord(
        id=source.id,
        key=source.key,
        title=source.title,
        publisher=source.publisher,
        language=source.language,
        url=source.url,
        file_path=source.file_path,
        file_sha256=source.file_sha256,
        file_state=state,
        file_sha256_now=sha_now,
        published_on=source.published_on,
        retrieved_on=source.retrieved_on,
    )


def _extraction(item: Item, batch: ImportBatch | None) -> Extraction:
    return Extraction(
        extractor=item.extractor,
        extracted_at=item.extracted_at,
        batch_id=item.batch_id,
        file_name=batch.file_name if batch else "",
        file_path=batch.file_path if batch else "",
        file_sha256=batch.file_sha256 if batch else "",
        row_number=item.row_number,
        imported_by=batch.imported_by if batch else "",
        imported_at=batch.imported_at if batch else None,
    )


def _match(item: Item, cities: dict[str, CityRef]) -> CityMatch:
    return CityMatch(
        raw_label=item.raw_label,
        label_script=item.label_script,
        country_hint=item.country,
        city=cities.get(item.city_id) if item.city_id else None,
        suggested_city_id=item.suggested_city_id,
        score=item.match_score,
        band=item.match_band,
        method=item.match_method,
        confirmed_by=item.match_confirmed_by,
        confirmed_at=item.match_confirmed_at,
    )


def _select_in(session: Session, model: Any, column: Any, ids: ItemIds, *options: Any) -> list[Any]:
    query = select(model).options(*options)
    if isinstance(ids, Select):
        return list(session.exec(query.where(column.in_(ids))))
    rows: list[Any] = []
    unique = sorted(set(ids))
    for start in range(0, len(unique), IN_LIMIT):
        rows.extend(session.exec(query.where(column.in_(unique[start : start + IN_LIMIT]))))
    return rows


def _by_ids(session: Session, model: Any, ids: set[Any]) -> list[Any]:
    return _select_in(session, model, col(model.id), sorted(ids)) if ids else []
