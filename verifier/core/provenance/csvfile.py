"""The report as CSV: one row per published value × evidence item, then one row per item
asked about that is not published (``published`` = ``no``, with the reasons).

Text cells are safe to open in a spreadsheet: control and bidi-override characters are
dropped, and a cell starting with = + - @ (or tab, CR, LF) is prefixed with ' so that no
spreadsheet runs it as a formula (``safe_output.csv_cell``). Numbers stay numbers.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from verifier.core.provenance.model import (
    ConflictOutcome,
    EventRecord,
    ItemChain,
    PublicationFacts,
    ReportStream,
    StreamedValue,
    TextSink,
    UnpublishedItem,
    ValueChain,
)
from verifier.core.provenance.wording import day, status_change, utc
from verifier.core.safe_output import write_csv_rows

COLUMNS = (
    "publication_id", "publication_number", "publication_sha256", "publication_verified",
    "qa_error_rate", "qa_error_ci_low", "qa_error_ci_high", "qa_agreement", "qa_kappa",
    "qa_reviewed", "qa_items_covered", "published",
    "city_id", "city_en", "city_ar", "indicator", "value", "unit", "year",
    "item_id", "item_status", "value_as_written", "unit_as_written", "item_value", "item_year",
    "source_key", "source_title", "source_publisher", "source_language", "source_url",
    "source_file", "source_file_sha256", "source_file_state", "source_published_on",
    "source_retrieved_on", "locator", "snippet",
    "evidence_state", "evidence_status", "evidence_page", "evidence_document_sha256",
    "evidence_found_value", "evidence_score", "evidence_checked_at", "evidence_note",
    "extractor", "extracted_at", "import_batch", "import_file", "import_file_sha256",
    "import_row", "imported_by", "imported_at",
    "raw_label", "matched_city", "match_score", "match_band", "match_method",
    "match_confirmed_by", "match_confirmed_at",
    "verified_by", "verified_at", "review_events",
    "conflict", "conflict_resolved_by", "conflict_resolved_at", "conflict_reason",
    "conflict_losing_items", "changed_after_publication", "not_published_because",
)  # fmt: skip


def write_csv(stream: ReportStream, out: TextSink) -> None:
    """The rows written as they are made: one value's evidence item at a time."""
    write_csv_rows(out, COLUMNS, _rows(stream))


def _rows(stream: ReportStream) -> Iterator[list[Any]]:
    report = stream.head
    publication = report.publication
    head = (
        [
            publication.id, publication.number, publication.sha256, _verified(publication),
            *_qa_cells(publication.qa),
        ]
        if publication
        else [None] * 11
    )  # fmt: skip
    for value in stream.values:
        value_cells = _value_cells(value)
        conflict_cells = _conflict_cells(value.conflict)
        for item in value.evidence:
            changed = _yes_no(item.changed_after_publication)
            yield [*head, "yes", *value_cells, *_item_cells(item), *conflict_cells, changed, ""]
    for entry in report.unpublished:
        yield _unpublished_row(head, entry)


def _verified(publication: PublicationFacts) -> str:
    """Whether what the report shows can be trusted: the content hashes to its sha256, and
    the publication's rows still say what it says."""
    if not publication.content_intact:
        return "no: the stored content does not match its sha256"
    if not publication.rows_intact:
        return "no: its queryable rows were rewritten (this report reads the hashed content)"
    return "yes"


def _qa_cells(qa: dict[str, Any] | None) -> list[Any]:
    """The QA figures the publication recorded (docs/qa.md), blank when it recorded none."""
    if not qa:
        return [None] * 7
    low, high = (qa.get("error_ci") or [None, None])[:2]
    return [
        qa.get("error_rate"), low, high, qa.get("agreement"), qa.get("kappa"),
        qa.get("reviewed"), qa.get("items_covered"),
    ]  # fmt: skip


def _unpublished_row(head: list[Any], entry: UnpublishedItem) -> list[Any]:
    item = entry.item
    city = item.match.city
    value_cells = [
        city.id if city else None,
        city.name_en if city else None,
        city.name_ar if city else None,
        entry.indicator.code,
        None,
        entry.indicator.unit,
        None,
    ]
    reasons = "; ".join(reason.text for reason in entry.reasons)
    return [
        *head, "no", *value_cells, *_item_cells(item), *_conflict_cells(entry.conflict), "",
        reasons,
    ]  # fmt: skip


def _value_cells(value: ValueChain | StreamedValue) -> list[Any]:
    return [
        value.city.id, value.city.name_en, value.city.name_ar, value.indicator.code,
        value.value, value.unit, value.year,
    ]  # fmt: skip


def _item_cells(item: ItemChain) -> list[Any]:
    source, extraction, match = item.source, item.extraction, item.match
    verified = item.verified_by
    return [
        item.id, item.status, item.value_text, item.unit_written, item.value_normalized, item.year,
        source.key, source.title, source.publisher, source.language, item.url or source.url,
        source.file_path, source.file_sha256, source.file_state, day(source.published_on),
        day(source.retrieved_on), item.locator, item.snippet,
        *_evidence_cells(item),
        extraction.extractor, utc(extraction.extracted_at), extraction.batch_id,
        extraction.file_name, extraction.file_sha256, extraction.row_number,
        extraction.imported_by, utc(extraction.imported_at),
        match.raw_label, match.city.id if match.city else None, match.score, match.band,
        match.method, match.confirmed_by, utc(match.confirmed_at),
        verified.actor if verified else None, utc(verified.at) if verified else None,
        " | ".join(_event_text(e) for e in item.events),
    ]  # fmt: skip


def _evidence_cells(item: ItemChain) -> list[Any]:
    """The evidence check's result; the note says why a stale or absent one is not current."""
    facts = item.evidence
    return [
        facts.state, facts.status, facts.page, facts.sha256, facts.found_value, facts.score,
        utc(facts.checked_at), facts.why,
    ]  # fmt: skip


def _conflict_cells(conflict: ConflictOutcome | None) -> list[Any]:
    if conflict is None:
        return [None, None, None, None, None]
    losers = " ".join(str(loser.id) for loser in conflict.losers)
    return [
        conflict.state, conflict.resolved_by, utc(conflict.resolved_at), conflict.reason, losers,
    ]  # fmt: skip


def _event_text(event: EventRecord) -> str:
    parts = [
        f"#{event.seq}" if event.seq is not None else f"id {event.id}",
        utc(event.at),
        event.actor,
        event.action,
        status_change(event.old_status, event.new_status),
        event.detail,
        f"reason: {event.reason}" if event.reason else "",
        f"note: {event.note}" if event.note else "",
    ]
    return " ".join(p for p in parts if p)


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "no"
