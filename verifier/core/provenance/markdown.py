"""The report as Markdown: for people, in a terminal, a file or the review UI.

Every piece of untrusted text (labels, snippets, titles, notes, reasons, paths) goes
through :func:`md_text`: control and bidi-override characters are dropped, and every
character that could start Markdown syntax is backslash-escaped, so a snippet can never
become a link, an image, HTML or emphasis, not even with a renderer that links bare URLs.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator

from verifier.core.provenance.model import (
    ConflictOutcome,
    EventRecord,
    ItemChain,
    ProvenanceReport,
    PublicationFacts,
    ReportStream,
    StreamedValue,
    TextSink,
    UnpublishedItem,
    ValueChain,
)
from verifier.core.provenance.wording import (
    day,
    evidence_words,
    match_facts,
    qa_words,
    resolution_words,
    source_file_words,
    status_change,
    utc,
    with_unit,
)
from verifier.core.safe_output import markdown_text as md_text
from verifier.core.wording import agree, count

_HEX = frozenset("0123456789abcdefABCDEF")


def md_digest(digest: str) -> str:
    """A recorded sha256 as code; anything that is not hex (a tampered row) as plain text."""
    if digest and set(digest) <= _HEX:
        return f"`{digest}`"
    return md_text(digest) or "(none)"


def render_markdown(report: ProvenanceReport) -> str:
    out = io.StringIO()
    write_markdown(ReportStream.of(report), out)
    return out.getvalue()


def write_markdown(stream: ReportStream, out: TextSink) -> None:
    """The report written value by value, item by item: the lines joined by newlines, with
    no trailing blank (what was held back is only whitespace that may end the text)."""
    held = ""
    for piece in _pieces(stream):
        kept = piece.rstrip()
        if kept:
            out.write(held + kept)
            held = piece[len(kept) :]
        else:
            held += piece
    out.write("\n")


def _pieces(stream: ReportStream) -> Iterator[str]:
    """The text in order; each piece is one or more lines, every piece but the first
    starting with the newline that separates it from the one before."""
    report = stream.head
    yield f"# Provenance report: {md_text(report.edition_code)}"
    yield _lines(["", *_header(report, stream.value_count)])
    for value in stream.values:
        yield from _value(value)
    for unpublished in report.unpublished:
        yield _lines(_unpublished(unpublished, report.publication))
    if not stream.value_count and not report.unpublished:
        yield _lines(["", "No published value matches this selection."])


def _lines(lines: Iterable[str]) -> str:
    return "".join("\n" + line for line in lines)


def _header(report: ProvenanceReport, value_count: int) -> list[str]:
    publication = report.publication
    lines: list[str] = []
    if publication is None:
        lines.append("- **Publication:** none yet")
    else:
        lines += _publication(publication)
    chosen = report.selection
    narrowed = [
        f"city {md_text(chosen.city)}" if chosen.city else "",
        f"indicator {md_text(chosen.indicator)}" if chosen.indicator else "",
        f"item {chosen.item_id}" if chosen.item_id is not None else "",
    ]
    if any(narrowed):
        lines.append(f"- **Selection:** {', '.join(n for n in narrowed if n)}")
    lines.append(f"- **Values in this report:** {value_count}")
    lines.append(f"- **Generated:** {utc(report.generated_at)}")
    return lines


def _publication(publication: PublicationFacts) -> list[str]:
    intact = (
        "the stored content matches it"
        if publication.content_intact
        else "**the stored content does NOT match it**"
    )
    lines = [
        f"- **Publication:** id {publication.id}, number {publication.number} of "
        f"{md_text(publication.edition_code)}, {count(publication.value_count, 'value')}",
        f"- **Published by:** {md_text(publication.created_by)} at {utc(publication.created_at)}",
        f"- **Content sha256:** {md_digest(publication.sha256)} ({intact})",
    ]
    if not publication.rows_intact:
        lines.append(
            "- **Warning:** its queryable rows do NOT match its hashed content (they were "
            f"rewritten; this report reads the content): "
            f"{md_text('; '.join(publication.row_problems))}"
        )
    if publication.note:
        lines.append(f"- **Note:** {md_text(publication.note)}")
    if publication.qa:
        lines.append(f"- **QA:** {md_text(qa_words(publication.qa))}")
    return lines


def _value(value: ValueChain | StreamedValue) -> Iterator[str]:
    city, indicator = value.city, value.indicator
    names = " / ".join(md_text(n) for n in (city.name_en, city.name_ar) if n)
    lines = [
        "",
        f"## {names} ({md_text(city.id)}) · {md_text(indicator.code)}: "
        f"{md_text(with_unit(value.value, value.unit))} ({value.year})",
        "",
        f"Indicator: {' / '.join(md_text(n) for n in (indicator.name_en, indicator.name_ar) if n)}"
        f" (domain {md_text(indicator.domain)}). Evidence: {count(len(value.evidence), 'item')}.",
    ]
    if value.conflict is not None:
        lines += ["", _conflict(value.conflict)]
    yield _lines(lines)
    for item in value.evidence:
        yield _lines(_item(item, value.unit, published=True))


def _unpublished(entry: UnpublishedItem, publication: PublicationFacts | None) -> list[str]:
    item = entry.item
    where = f"publication #{publication.number}" if publication else "any publication"
    lines = [
        "",
        f"## Item {item.id}: NOT PUBLISHED ({md_text(entry.indicator.code)}, {item.year})",
        "",
        f"**Not in {where} because:**",
        "",
    ]
    lines += [f"- {md_text(reason.text)}" for reason in entry.reasons]
    if entry.published_in:
        numbers = ", ".join(f"#{n}" for n in entry.published_in)
        which = agree(len(entry.published_in), "publication")
        lines += ["", f"It is part of {which} {numbers} of this edition."]
    if entry.conflict is not None and entry.conflict.state in ("won", "lost"):
        lines += ["", _conflict(entry.conflict)]
    lines += _item(item, entry.indicator.unit, published=False)
    return lines


def _conflict(conflict: ConflictOutcome) -> str:
    if conflict.state == "open":
        return "**Conflict:** open, not resolved by a lead yet."
    return f"**Conflict resolved:** {resolution_words(conflict, md_text)}"


def _item(item: ItemChain, unit: str, *, published: bool) -> list[str]:
    lines = ["", f"### Item {item.id} · {md_text(item.status)}", ""]
    if published and item.changed_after_publication:
        lines += ["*Changed after this publication: see its history.*", ""]
    written = md_text(item.value_text) or "(empty)"
    if item.unit_written:
        written += f", unit as written {md_text(item.unit_written)}"
    normalised = md_text(with_unit(item.value_normalized, unit)) or "no value"
    lines.append(f"- **Value as written:** {written} → {normalised}, reference year {item.year}")
    lines += _source(item)
    lines.append(_evidence(item))
    lines += _extraction(item)
    lines.append(_match(item))
    verified = item.verified_by
    if verified is not None:
        lines.append(f"- **Verified by:** {md_text(verified.actor)} at {utc(verified.at)}")
    lines.append("- **History** (UTC):")
    lines += [f"  {n}. {_event(e)}" for n, e in enumerate(item.events, start=1)]
    if not item.events:
        lines.append("  - no review event")
    return lines


def _source(item: ItemChain) -> list[str]:
    source = item.source
    facts = [f"language {md_text(source.language)}" if source.language else ""]
    facts += [f"published {day(source.published_on)}" if source.published_on else ""]
    facts += [f"retrieved {day(source.retrieved_on)}" if source.retrieved_on else ""]
    publisher = f" — {md_text(source.publisher)}" if source.publisher else ""
    lines = [
        f"- **Source:** {md_text(source.title)}{publisher} "
        f"({', '.join(f for f in facts if f) or 'no dates'}; key {md_text(source.key)})"
    ]
    url = item.url or source.url
    if url:
        lines.append(f"  - URL: {md_text(url)}")
    if source.file_path:
        state = md_text(source_file_words(source.file_state, source.file_sha256_now))
        lines.append(
            f"  - File: {md_text(source.file_path)}, recorded sha256 "
            f"{md_digest(source.file_sha256)}: {state}"
        )
    lines.append(f"  - Locator: {md_text(item.locator) or '(none)'}")
    lines.append(f"  - Quoted: “{md_text(item.snippet)}”")
    return lines


def _evidence(item: ItemChain) -> str:
    return f"- **Evidence check:** {md_text(evidence_words(item.evidence))}"


def _extraction(item: ItemChain) -> list[str]:
    extraction = item.extraction
    return [
        f"- **Extraction:** by {md_text(extraction.extractor) or 'unknown'} at "
        f"{utc(extraction.extracted_at) or 'an unrecorded time'}; import batch "
        f"{extraction.batch_id}, file {md_text(extraction.file_name)}, row "
        f"{extraction.row_number}, file sha256 {md_digest(extraction.file_sha256)}; imported by "
        f"{md_text(extraction.imported_by)} at {utc(extraction.imported_at)}"
    ]


def _match(item: ItemChain) -> str:
    match = item.match
    label = f"label “{md_text(match.raw_label)}”"
    if match.country_hint:
        label += f" (country hint {md_text(match.country_hint)})"
    if match.city is None:
        target = "no city"
    else:
        names = " / ".join(md_text(n) for n in (match.city.name_en, match.city.name_ar) if n)
        target = f"{names} ({md_text(match.city.id)})"
    details = ", ".join(match_facts(match, md_text))
    return f"- **City match:** {label} → {target}; {details}"


def _event(event: EventRecord) -> str:
    parts = [
        f"#{event.seq}" if event.seq is not None else f"id {event.id}",
        utc(event.at),
        md_text(event.actor),
        md_text(event.action),
    ]
    change = status_change(event.old_status, event.new_status)
    if change:
        parts.append(md_text(change))
    if event.detail:
        parts.append(md_text(event.detail))
    if event.reason:
        parts.append(f"reason: {md_text(event.reason)}")
    if event.note:
        parts.append(f"note: {md_text(event.note)}")
    return " · ".join(parts)
