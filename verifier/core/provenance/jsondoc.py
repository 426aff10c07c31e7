"""The report as the project's own JSON document, ``verifier.provenance/1``
(docs/provenance.md describes every field).

Text is kept exactly as stored. The few characters that could act on a terminal when the
document is printed (C1 controls, DEL, bidi overrides) are written as ``\\u`` escapes
(``safe_output.json_text``), which any JSON reader turns back into the same text.
"""

from __future__ import annotations

from typing import Any

from verifier.core.provenance.jsonlayout import member, nested, write_array
from verifier.core.provenance.model import (
    CityMatch,
    CityRef,
    ConflictOutcome,
    EventRecord,
    EvidenceFacts,
    Extraction,
    IndicatorRef,
    ItemChain,
    ProvenanceReport,
    PublicationFacts,
    ReportStream,
    SourceRecord,
    StreamedValue,
    TextSink,
    UnpublishedItem,
    ValueChain,
)
from verifier.core.provenance.wording import day, utc
from verifier.core.safe_output import json_value

FORMAT = "verifier.provenance/1"


def report_document(report: ProvenanceReport) -> dict[str, Any]:
    return {
        **_envelope(report),
        "values": [_value(value) for value in report.values],
        "unpublished_items": [_unpublished(entry) for entry in report.unpublished],
    }


def write_json(stream: ReportStream, out: TextSink) -> None:
    """The document written as ``json_text(report_document(...))`` lays it out (two spaces
    of indent), with the values array, and each value's evidence array, written one
    element at a time: a whole document, never held whole."""
    report = stream.head
    out.write("{\n" + ",\n".join(member(k, v, 1) for k, v in _envelope(report).items()))
    out.write(',\n  "values": ')
    first = True
    for value in stream.values:
        out.write(("[\n" if first else ",\n") + "    {\n")
        out.write(",\n".join(member(k, v, 3) for k, v in _value_fields(value).items()))
        out.write(',\n      "evidence": ')
        write_array(out, (nested(_item(item), 4) for item in value.evidence), 3)
        out.write("\n    }")
        first = False
    out.write("[]" if first else "\n  ]")
    unpublished = [_unpublished(entry) for entry in report.unpublished]
    out.write(",\n" + member("unpublished_items", unpublished, 1) + "\n}\n")


def _envelope(report: ProvenanceReport) -> dict[str, Any]:
    chosen = report.selection
    return {
        "format": FORMAT,
        "generated_at": utc(report.generated_at),
        "edition": {"code": report.edition_code, "name": report.edition_name},
        "selection": {
            "publication_id": chosen.publication_id,
            "city": chosen.city,
            "indicator": chosen.indicator,
            "item_id": chosen.item_id,
        },
        "publication": _publication(report.publication),
    }


def _publication(publication: PublicationFacts | None) -> dict[str, Any] | None:
    if publication is None:
        return None
    return {
        "id": publication.id,
        "number": publication.number,
        "edition": publication.edition_code,
        "sha256": publication.sha256,
        "content_intact": publication.content_intact,
        "rows_intact": publication.rows_intact,
        "row_problems": list(publication.row_problems),
        "created_by": publication.created_by,
        "created_at": utc(publication.created_at),
        "note": publication.note,
        "value_count": publication.value_count,
        "qa": json_value(publication.qa) if publication.qa else None,
    }


def _value(value: ValueChain) -> dict[str, Any]:
    return {**_value_fields(value), "evidence": [_item(item) for item in value.evidence]}


def _value_fields(value: ValueChain | StreamedValue) -> dict[str, Any]:
    """A value's members but its evidence (the last member)."""
    return {
        "city": _city(value.city),
        "indicator": _indicator(value.indicator),
        "value": value.value,
        "unit": value.unit,
        "year": value.year,
        "conflict": _conflict(value.conflict),
    }


def _unpublished(entry: UnpublishedItem) -> dict[str, Any]:
    return {
        "indicator": _indicator(entry.indicator),
        "reasons": [{"code": r.code, "text": r.text} for r in entry.reasons],
        "conflict": _conflict(entry.conflict),
        "published_in": list(entry.published_in),
        "item": _item(entry.item),
    }


def _city(city: CityRef | None) -> dict[str, Any] | None:
    if city is None:
        return None
    return {
        "id": city.id,
        "name_en": city.name_en,
        "name_ar": city.name_ar,
        "country": city.country,
    }


def _indicator(indicator: IndicatorRef) -> dict[str, Any]:
    return {
        "code": indicator.code,
        "name_en": indicator.name_en,
        "name_ar": indicator.name_ar,
        "unit": indicator.unit,
        "domain": indicator.domain,
    }


def _item(item: ItemChain) -> dict[str, Any]:
    verified = item.verified_by
    return {
        "id": item.id,
        "status": item.status,
        "value_as_written": item.value_text,
        "unit_as_written": item.unit_written,
        "value_number": item.value_number,
        "value": item.value_normalized,
        "year": item.year,
        "locator": item.locator,
        "snippet": item.snippet,
        "language": item.language,
        "url": item.url,
        "source": _source(item.source),
        "evidence_check": _evidence(item.evidence),
        "extraction": _extraction(item.extraction),
        "city_match": _match(item.match),
        "verified_by": {"actor": verified.actor, "at": utc(verified.at), "seq": verified.seq}
        if verified
        else None,
        "changed_after_publication": item.changed_after_publication,
        "events": [_event(event) for event in item.events],
    }


def _source(source: SourceRecord) -> dict[str, Any]:
    return {
        "key": source.key,
        "title": source.title,
        "publisher": source.publisher,
        "language": source.language,
        "url": source.url,
        "published_on": day(source.published_on) or None,
        "retrieved_on": day(source.retrieved_on) or None,
        "file": {
            "path": source.file_path,
            "sha256": source.file_sha256,
            "state": source.file_state,
            "sha256_now": source.file_sha256_now or None,
        }
        if source.file_path
        else None,
    }


def _evidence(facts: EvidenceFacts) -> dict[str, Any]:
    return {
        "state": facts.state,
        "status": facts.status,
        "page": facts.page,
        "sha256": facts.sha256,
        "document_sha256": facts.document_sha256,
        "found_value": facts.found_value,
        "score": facts.score,
        "checked_by": facts.checked_by or None,
        "checked_at": utc(facts.checked_at) or None,
        "method": facts.method or None,
        "stale_because": facts.why if facts.state != "current" else None,
    }


def _extraction(extraction: Extraction) -> dict[str, Any]:
    return {
        "extractor": extraction.extractor,
        "extracted_at": utc(extraction.extracted_at) or None,
        "batch_id": extraction.batch_id,
        "file": extraction.file_name,
        "file_path": extraction.file_path,
        "file_sha256": extraction.file_sha256,
        "row": extraction.row_number,
        "imported_by": extraction.imported_by,
        "imported_at": utc(extraction.imported_at) or None,
    }


def _match(match: CityMatch) -> dict[str, Any]:
    return {
        "raw_label": match.raw_label,
        "label_script": match.label_script,
        "country_hint": match.country_hint,
        "city": _city(match.city),
        "suggested_city": match.suggested_city_id,
        "score": match.score,
        "band": match.band,
        "method": match.method,
        "confirmed": match.confirmed,
        "confirmed_by": match.confirmed_by,
        "confirmed_at": utc(match.confirmed_at) or None,
    }


def _event(event: EventRecord) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "id": event.id,
        "at": utc(event.at),
        "actor": event.actor,
        "action": event.action,
        "old_status": event.old_status,
        "new_status": event.new_status,
        "note": event.note,
        "reason": event.reason,
        "detail": event.detail,
    }


def _conflict(conflict: ConflictOutcome | None) -> dict[str, Any] | None:
    if conflict is None:
        return None
    return {
        "state": conflict.state,
        "chosen_item": conflict.chosen_item_id,
        "resolved_by": conflict.resolved_by,
        "resolved_at": utc(conflict.resolved_at) or None,
        "reason": conflict.reason,
        "event_seq": conflict.event_seq,
        "losing_items": [
            {
                "id": loser.id,
                "value_as_written": loser.value_text,
                "value": loser.value_normalized,
                "source_title": loser.source_title,
            }
            for loser in conflict.losers
        ],
    }
