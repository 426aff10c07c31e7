"""The report as W3C PROV, built with the ``prov`` package and serialised as PROV-JSON.

The mapping (docs/provenance.md, "PROV mapping"): source documents, extracted items,
published values and publications are entities; extraction, city matching, verification,
conflict resolution and publishing are activities; people and the matching engine are
agents. Identifiers live in the project namespace ``verifier:`` (``prov_vocabulary``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from prov.constants import PROV, PROV_TYPE
from prov.model import ProvDocument

from verifier.core.provenance.model import (
    ConflictOutcome,
    ItemChain,
    ProvenanceReport,
    PublicationFacts,
    SourceRecord,
    StreamedValue,
    UnpublishedItem,
    ValueChain,
)
from verifier.core.provenance.prov_vocabulary import (
    MATCHER,
    V,
    clean,
    local,
    new_document,
    qa_attributes,
)

VERIFYING_ACTIONS = frozenset({"status", "undo", "note"})


def report_prov(report: ProvenanceReport) -> ProvDocument:
    """The whole report as one PROV document (``provstream`` writes it a chunk at a time)."""
    builder = ProvBuilder(report.publication)
    for value in report.values:
        for _ in builder.value(value):
            pass
    for entry in report.unpublished:
        builder.unpublished(entry)
    return builder.doc


class ProvBuilder:
    """Adds the report's records to ``doc``; ``take`` hands over the records added so far
    and starts a new document, while what was already described (people, sources, items,
    resolutions, documents) is remembered, so each is described once in the whole."""

    def __init__(self, publication: PublicationFacts | None) -> None:
        self.publication = publication
        self.doc = new_document()
        self._people: set[str] = set()
        self._sources: set[int] = set()
        self._items: set[int] = set()
        self._resolutions: set[str] = set()
        self._documents: set[str] = set()
        self._publishing = self._publication(publication) if publication is not None else None

    def take(self) -> ProvDocument:
        taken, self.doc = self.doc, new_document()
        return taken

    def value(self, value: ValueChain | StreamedValue) -> Iterator[None]:
        """Adds a published value; yields after each evidence item it adds."""
        publication, publishing = self.publication, self._publishing
        assert publication is not None and publishing is not None
        entity = V[f"value/{publication.id}/{local(value.city.id)}/{local(value.indicator.code)}"]
        self.doc.entity(
            entity,
            clean(
                {
                    PROV_TYPE: V["PublishedValue"],
                    V["city"]: value.city.id,
                    V["cityNameEn"]: value.city.name_en,
                    V["cityNameAr"]: value.city.name_ar,
                    V["indicator"]: value.indicator.code,
                    V["value"]: value.value,
                    V["unit"]: value.unit,
                    V["year"]: value.year,
                }
            ),
        )
        self.doc.wasGeneratedBy(entity, publishing, publication.created_at)
        self.doc.hadMember(V[f"publication/{publication.id}"], entity)
        for chain in value.evidence:
            item = self._item(chain)
            self.doc.used(publishing, item, publication.created_at)
            self.doc.wasDerivedFrom(entity, item, publishing)
            yield
        if value.conflict is not None:
            resolution = self._resolution(value.conflict)
            if resolution is not None:
                self.doc.wasInformedBy(publishing, resolution)

    def unpublished(self, entry: UnpublishedItem) -> None:
        because = {
            V["published"]: False,
            V["notPublishedBecause"]: "; ".join(r.text for r in entry.reasons),
        }
        self._item(entry.item, because)

    def _publication(self, publication: PublicationFacts) -> Any:
        entity = V[f"publication/{publication.id}"]
        activity = V[f"publishing/{publication.id}"]
        self.doc.entity(
            entity,
            clean(
                {
                    PROV_TYPE: PROV["Collection"],
                    V["kind"]: "Publication",
                    V["edition"]: publication.edition_code,
                    V["number"]: publication.number,
                    V["sha256"]: publication.sha256,
                    V["contentIntact"]: publication.content_intact,
                    V["rowsIntact"]: publication.rows_intact,
                    V["valueCount"]: publication.value_count,
                    V["note"]: publication.note,
                    **qa_attributes(publication.qa),
                }
            ),
        )
        self.doc.activity(activity, publication.created_at, publication.created_at)
        person = self._person(publication.created_by)
        self.doc.wasAssociatedWith(activity, person)
        self.doc.wasGeneratedBy(entity, activity, publication.created_at)
        self.doc.wasAttributedTo(entity, person)
        return activity

    def _item(self, chain: ItemChain, extra: dict[Any, Any] | None = None) -> Any:
        entity = V[f"item/{chain.id}"]
        if chain.id in self._items:
            return entity
        self._items.add(chain.id)
        extraction = chain.extraction
        self.doc.entity(
            entity,
            clean(
                {
                    PROV_TYPE: V["ExtractedItem"],
                    V["status"]: chain.status,
                    V["valueAsWritten"]: chain.value_text,
                    V["unitAsWritten"]: chain.unit_written,
                    V["value"]: chain.value_normalized,
                    V["year"]: chain.year,
                    V["locator"]: chain.locator,
                    V["snippet"]: chain.snippet,
                    V["language"]: chain.language,
                    V["url"]: chain.url,
                    V["rawLabel"]: chain.match.raw_label,
                    V["changedAfterPublication"]: chain.changed_after_publication,
                    V["evidenceState"]: chain.evidence.state,
                    V["evidenceStatus"]: chain.evidence.status,
                    V["evidencePage"]: chain.evidence.page,
                    V["evidenceDocumentSha256"]: chain.evidence.sha256,
                    **(extra or {}),
                }
            ),
        )
        source = self._source(chain.source)
        activity = V[f"extraction/{chain.id}"]
        self.doc.activity(
            activity,
            extraction.extracted_at,
            None,
            clean(
                {
                    V["importBatch"]: extraction.batch_id,
                    V["importFile"]: extraction.file_name,
                    V["importFileSha256"]: extraction.file_sha256,
                    V["row"]: extraction.row_number,
                    V["importedBy"]: extraction.imported_by,
                    V["importedAt"]: extraction.imported_at,
                }
            ),
        )
        self.doc.used(activity, source)
        self.doc.wasGeneratedBy(entity, activity, extraction.extracted_at)
        self.doc.wasDerivedFrom(entity, source, activity)
        if extraction.extractor:
            extractor = self._person(extraction.extractor)
            self.doc.wasAssociatedWith(activity, extractor)
            self.doc.wasAttributedTo(entity, extractor)
        self._matching(chain, entity)
        self._evidence_check(chain, entity)
        self._verifications(chain, entity)
        return entity

    def _evidence_check(self, chain: ItemChain, item: Any) -> None:
        """The check's stored result: an activity that used the item and the document it
        was computed against (absent when the item was never checked)."""
        facts = chain.evidence
        if facts.state == "absent":
            return
        activity = V[f"evidenceCheck/{chain.id}"]
        self.doc.activity(
            activity,
            facts.checked_at,
            facts.checked_at,
            clean(
                {
                    V["state"]: facts.state,
                    V["status"]: facts.status,
                    V["page"]: facts.page,
                    V["documentSha256"]: facts.sha256,
                    V["restsOnSha256"]: facts.document_sha256,
                    V["foundValue"]: facts.found_value,
                    V["score"]: facts.score,
                    V["method"]: facts.method,
                    V["staleBecause"]: facts.why if facts.state == "stale" else None,
                }
            ),
        )
        self.doc.used(activity, item)
        if facts.sha256:
            self.doc.used(activity, self._document(facts.sha256))
        if facts.checked_by:
            self.doc.wasAssociatedWith(activity, self._person(facts.checked_by))

    def _document(self, sha256: str) -> Any:
        entity = V[f"document/{local(sha256)}"]
        if sha256 not in self._documents:
            self._documents.add(sha256)
            attributes: dict[Any, Any] = {PROV_TYPE: V["StoredDocument"], V["sha256"]: sha256}
            self.doc.entity(entity, attributes)
        return entity

    def _matching(self, chain: ItemChain, item: Any) -> None:
        match = chain.match
        if match.method is None and match.band is None:
            return
        activity = V[f"matching/{chain.id}"]
        self.doc.activity(
            activity,
            None,
            match.confirmed_at,
            clean(
                {
                    V["rawLabel"]: match.raw_label,
                    V["countryHint"]: match.country_hint,
                    V["city"]: match.city.id if match.city else None,
                    V["suggestedCity"]: match.suggested_city_id,
                    V["score"]: match.score,
                    V["band"]: match.band,
                    V["method"]: match.method,
                    V["confirmed"]: match.confirmed,
                }
            ),
        )
        self.doc.used(activity, item)
        agent = self._person(match.confirmed_by) if match.confirmed_by else self._matcher()
        self.doc.wasAssociatedWith(activity, agent)

    def _verifications(self, chain: ItemChain, item: Any) -> None:
        for event in chain.events:
            if event.action not in VERIFYING_ACTIONS:
                continue
            activity = V[f"verification/{event.id}"]
            self.doc.activity(
                activity,
                event.at,
                event.at,
                clean(
                    {
                        V["action"]: event.action,
                        V["seq"]: event.seq,
                        V["oldStatus"]: event.old_status,
                        V["newStatus"]: event.new_status,
                        V["reason"]: event.reason,
                        V["note"]: event.note,
                    }
                ),
            )
            self.doc.used(activity, item, event.at)
            self.doc.wasAssociatedWith(activity, self._person(event.actor))

    def _resolution(self, conflict: ConflictOutcome) -> Any:
        if conflict.resolved_by is None or conflict.chosen_item_id is None:
            return None
        key = f"{conflict.event_seq or 'x'}-{conflict.chosen_item_id}"
        activity = V[f"resolution/{key}"]
        if key in self._resolutions:
            return activity
        self._resolutions.add(key)
        self.doc.activity(
            activity,
            conflict.resolved_at,
            conflict.resolved_at,
            clean(
                {
                    V["reason"]: conflict.reason,
                    V["chosenItem"]: conflict.chosen_item_id,
                    V["losingItems"]: " ".join(str(loser.id) for loser in conflict.losers),
                    V["seq"]: conflict.event_seq,
                }
            ),
        )
        self.doc.wasAssociatedWith(activity, self._person(conflict.resolved_by))
        self.doc.used(activity, V[f"item/{conflict.chosen_item_id}"])
        for loser in conflict.losers:
            self.doc.used(activity, V[f"item/{loser.id}"])
        return activity

    def _source(self, source: SourceRecord) -> Any:
        entity = V[f"source/{local(source.key)}"]
        if source.id in self._sources:
            return entity
        self._sources.add(source.id)
        self.doc.entity(
            entity,
            clean(
                {
                    PROV_TYPE: V["SourceDocument"],
                    V["key"]: source.key,
                    V["title"]: source.title,
                    V["publisher"]: source.publisher,
                    V["language"]: source.language,
                    V["url"]: source.url,
                    V["file"]: source.file_path,
                    V["fileSha256"]: source.file_sha256,
                    V["fileState"]: source.file_state,
                    V["publishedOn"]: source.published_on,
                    V["retrievedOn"]: source.retrieved_on,
                }
            ),
        )
        return entity

    def _person(self, username: str) -> Any:
        agent = V[f"person/{local(username)}"]
        if username not in self._people:
            self._people.add(username)
            attributes: dict[Any, Any] = {PROV_TYPE: PROV["Person"], V["username"]: username}
            self.doc.agent(agent, attributes)
        return agent

    def _matcher(self) -> Any:
        if "\x00matcher" not in self._people:
            self._people.add("\x00matcher")
            attributes: dict[Any, Any] = {PROV_TYPE: PROV["SoftwareAgent"], V["name"]: "verifier"}
            self.doc.agent(MATCHER, attributes)
        return MATCHER
