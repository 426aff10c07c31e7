"""The values of a publication read a chunk at a time, for reports over a whole publication.

Like ``published_values``, the values come from the publication's hashed document, the one
thing its sha256 vouches for. Only the document's figures and evidence ids are kept (a few
bytes per evidence item); the items' chains are loaded ``chunk`` items at a time, in report
order, while the report is written, and released once written. Memory then holds one chunk
of chains, however large the publication.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from db.models import Item, Publication, ReviewEvent
from verifier.core.provenance.chains import IN_LIMIT, city_refs, indicator_refs, load_item_chains
from verifier.core.provenance.model import (
    EvidenceStream,
    IndicatorRef,
    ItemChain,
    StreamedValue,
)
from verifier.core.provenance.published import latest_resolutions, publish_event

CHUNK = 500  # evidence items whose chains are held at once


@dataclass(frozen=True)
class _Entry:
    """One selected value as the hashed document states it, evidence ids in report order."""

    city: str
    indicator: IndicatorRef
    value: float
    unit: str
    year: int
    evidence: array[int]


class PublicationValues:
    """The selected values of a publication, in report order (city, then indicator code),
    each yielded with its evidence still to be read; iterate once."""

    def __init__(
        self,
        session: Session,
        publication: Publication,
        entries: list[_Entry],
        announced: ReviewEvent | None,
    ) -> None:
        self.session = session
        self.publication = publication
        self.entries = entries
        self.announced = announced
        self.cutoff = announced.seq if announced is not None else None
        self.chunk = CHUNK
        self.chunks_loaded = 0

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[StreamedValue]:
        if not self.entries:
            return
        cities = city_refs(self.session, {e.city for e in self.entries})
        conflicts = latest_resolutions(self.session, self.publication, self.announced)
        missing = self._missing_items()
        chains = self._chains(chain.from_iterable(e.evidence for e in self.entries))
        for entry in self.entries:
            ids = entry.evidence
            mine = (c for c in islice(chains, len(ids)) if c is not None)
            count = len(ids) - sum(1 for i in ids if i in missing) if missing else len(ids)
            outcome = conflicts.get((entry.city, entry.indicator.id, entry.year))
            yield StreamedValue(
                city=cities[entry.city],
                indicator=entry.indicator,
                value=entry.value,
                unit=entry.unit,
                year=entry.year,
                evidence=EvidenceStream(count, mine),
                conflict=outcome if outcome and outcome.chosen_item_id in ids else None,
            )
            for _ in mine:  # a writer that skipped some evidence leaves the rest in order
                pass

    def _chains(self, ids: Iterable[int]) -> Iterator[ItemChain | None]:
        """The chain of each id in turn (None for an item that no longer exists)."""
        iterator = iter(ids)
        while batch := list(islice(iterator, self.chunk)):
            loaded = load_item_chains(self.session, batch, self.cutoff)
            self.chunks_loaded += 1
            for item_id in batch:
                yield loaded.get(item_id)
            del loaded

    def _missing_items(self) -> set[int]:
        """Evidence ids with no item row (the log and the triggers should make it empty),
        asked IN_LIMIT ids at a time; only the missing ones are kept."""
        missing: set[int] = set()
        every = chain.from_iterable(e.evidence for e in self.entries)
        while wanted := set(islice(every, IN_LIMIT)):
            in_chunk = col(Item.id).in_(sorted(wanted))
            found = self.session.exec(select(func.count()).select_from(Item).where(in_chunk))
            if int(found.one()) != len(wanted):
                missing.update(wanted - set(self.session.exec(select(Item.id).where(in_chunk))))
        return missing


def publication_values(
    session: Session,
    publication: Publication,
    *,
    city_id: str | None = None,
    indicator_id: int | None = None,
    item_id: int | None = None,
) -> PublicationValues:
    """The selected values of the publication's hashed document (never its queryable rows,
    which nothing hashes), to be read with their evidence a chunk at a time."""
    from verifier.core.publishing.rows import parse_document

    indicators = indicator_refs(session, publication.edition_id)
    by_code = {ref.code: ref for ref in indicators.values()}
    document = parse_document(publication) or {}
    entries = [
        _Entry(
            city=v["city"],
            indicator=by_code[v["indicator"]],
            value=float(v["value"]),
            unit=str(v["unit"]),
            year=int(v["year"]),
            evidence=array("q", sorted(int(i) for i in v["evidence"])),
        )
        for v in document.get("values", [])
        if _selected(v, by_code, city_id, indicator_id, item_id)
    ]
    del document
    entries.sort(key=lambda e: (e.city, e.indicator.code))
    announced = publish_event(session, publication) if entries else None
    return PublicationValues(session, publication, entries, announced)


def _selected(
    value: dict[str, Any],
    by_code: dict[str, IndicatorRef],
    city_id: str | None,
    indicator_id: int | None,
    item_id: int | None,
) -> bool:
    return (
        value["indicator"] in by_code
        and (city_id is None or value["city"] == city_id)
        and (indicator_id is None or by_code[value["indicator"]].id == indicator_id)
        and (item_id is None or item_id in value["evidence"])
    )
