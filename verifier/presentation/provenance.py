"""A provenance report as Rich renderables, for the review UI's provenance screen (``p``).

The same facts as the Markdown and HTML reports, drawn for a terminal: every untrusted
field (locators, snippets, reasons, names) is its own cell laid out by ``display``, so an
Arabic locator or reason reads in its own direction inside an English sentence, and the
quoted snippet is wrapped in reading order. No Textual import here.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from verifier.core.provenance.model import (
    ConflictOutcome,
    EventRecord,
    ItemChain,
    ProvenanceReport,
    UnpublishedItem,
    ValueChain,
)
from verifier.core.provenance.wording import (
    day,
    evidence_words,
    match_facts,
    qa_words,
    source_file_words,
    status_change,
    utc,
    with_unit,
)
from verifier.core.safe_output import terminal_line
from verifier.core.wording import agree, count
from verifier.presentation.display import BidiText

DIM = "dim"
WARN = "bold yellow"
BAD = "bold red"


class _Facts:
    """A two-column grid: a term, and one or more pieces of text (each laid out alone)."""

    def __init__(self, bidi: bool) -> None:
        self.bidi = bidi
        self.grid = Table.grid(padding=(0, 2))
        self.grid.add_column(style="bold", no_wrap=True, min_width=12)
        self.grid.add_column(ratio=1)

    def add(self, term: str, *pieces: str | Text | RenderableType) -> None:
        cells: list[RenderableType] = []
        for piece in pieces:
            if isinstance(piece, str | Text):
                cells.append(BidiText(piece, bidi=self.bidi, justify_rtl=False))
            else:
                cells.append(piece)
        self.grid.add_row(Text(term), Group(*cells) if len(cells) != 1 else cells[0])


def _labelled(label: str, value: str, style: str = "") -> Text:
    """``label: value`` where only the value is untrusted (laid out with it, LTR)."""
    text = Text(f"{label} ", DIM)
    text.append(value, style)
    return text


def provenance_renderables(report: ProvenanceReport, bidi: bool) -> list[RenderableType]:
    parts: list[RenderableType] = []
    head = _Facts(bidi)
    publication = report.publication
    if publication is None:
        head.add("Publication", "none yet")
    else:
        intact = (
            Text("stored content matches its sha256", "green")
            if publication.verified
            else Text("stored content matches its sha256, but its rows do NOT", BAD)
            if publication.content_intact
            else Text("stored content does NOT match its sha256", BAD)
        )
        head.add(
            "Publication",
            Text(
                f"#{publication.number} of {publication.edition_code} (id {publication.id}), "
                f"{count(publication.value_count, 'value')}, by {publication.created_by} at "
                f"{utc(publication.created_at)}"
            ),
            intact,
        )
        if not publication.rows_intact:
            problems = terminal_line("; ".join(publication.row_problems))
            head.add(
                "Warning",
                Text(
                    "its queryable rows were rewritten (this report reads the hashed "
                    f"content): {problems}",
                    BAD,
                ),
            )
        if publication.qa:
            head.add("QA", qa_words(publication.qa))
    parts.append(head.grid)
    for value in report.values:
        parts += [Text(""), *_value(value, bidi)]
    for entry in report.unpublished:
        parts += [Text(""), *_unpublished(entry, report, bidi)]
    if not report.values and not report.unpublished:
        parts.append(Text("No published value matches this selection.", DIM))
    return parts


def _value(value: ValueChain, bidi: bool) -> list[RenderableType]:
    city, indicator = value.city, value.indicator
    title = Text("Published ", "bold green")
    title.append(f"{with_unit(value.value, value.unit)} ({value.year})", "bold")
    facts = _Facts(bidi)
    facts.add("City", _names(city.name_en, city.name_ar, f"({city.id}, {city.country})", bidi))
    facts.add(
        "Indicator",
        _names(indicator.name_en, indicator.name_ar, f"({indicator.code})", bidi),
    )
    facts.add("Evidence", count(len(value.evidence), "item"))
    if value.conflict is not None:
        facts.add("Conflict", *_conflict(value.conflict))
    parts: list[RenderableType] = [title, facts.grid]
    for item in value.evidence:
        parts += [Text(""), *_item(item, value.unit, bidi)]
    return parts


def _names(name_en: str, name_ar: str, tail: str, bidi: bool) -> RenderableType:
    """An English and an Arabic name, each laid out alone, side by side."""
    line = Table.grid(padding=(0, 1))
    pieces = [n for n in (name_en, name_ar) if n]
    for _ in [*pieces, tail]:
        line.add_column(no_wrap=True)
    line.add_row(*(BidiText(n, bidi=bidi, justify_rtl=False) for n in pieces), Text(tail, DIM))
    return line


def _unpublished(
    entry: UnpublishedItem, report: ProvenanceReport, bidi: bool
) -> list[RenderableType]:
    item = entry.item
    publication = report.publication
    where = f"publication #{publication.number}" if publication else "any publication"
    title = Text("Not published", BAD)
    title.append(f" ({entry.indicator.code}, {item.year}): not in {where} because", "bold")
    reasons = [BidiText(Text("• ") + Text(r.text), bidi=bidi, base="ltr") for r in entry.reasons]
    parts: list[RenderableType] = [title, *reasons]
    if entry.published_in:
        numbers = ", ".join(f"#{n}" for n in entry.published_in)
        which = agree(len(entry.published_in), "publication")
        parts.append(Text(f"It is part of {which} {numbers} of this edition."))
    if entry.conflict is not None and entry.conflict.state in ("won", "lost"):
        parts += _conflict(entry.conflict)
    return [*parts, Text(""), *_item(item, entry.indicator.unit, bidi)]


def _conflict(conflict: ConflictOutcome) -> list[str | Text]:
    if conflict.state == "open":
        return [Text("open, not resolved by a lead yet", WARN)]
    pieces: list[str | Text] = [
        Text(
            f"resolved by {conflict.resolved_by} at {utc(conflict.resolved_at)}: "
            f"item {conflict.chosen_item_id} chosen, because"
        ),
        conflict.reason,  # the lead's words, laid out in their own direction
    ]
    for loser in conflict.losers:
        pieces.append(_labelled(f"lost: item {loser.id}", loser.value_text))
        pieces.append(loser.source_title)
    return pieces


def _item(item: ItemChain, unit: str, bidi: bool) -> list[RenderableType]:
    title = Text(f"Item {item.id}", "bold")
    title.append(f" · {item.status}")
    if item.changed_after_publication:
        title.append("  changed after this publication: see its history", WARN)
    facts = _Facts(bidi)
    written = _labelled("as written", item.value_text or "(empty)", "bold")
    if item.unit_written:
        written.append("  unit ", DIM)
        written.append(item.unit_written)
    normalised = with_unit(item.value_normalized, unit) or "no value"
    facts.add("Value", written, Text(f"→ {normalised}, reference year {item.year}"))
    source = item.source
    dates = [
        f"language {source.language}" if source.language else "",
        f"published {day(source.published_on)}" if source.published_on else "",
        f"retrieved {day(source.retrieved_on)}" if source.retrieved_on else "",
        f"key {source.key}",
    ]
    source_pieces: list[str | Text] = [source.title]
    if source.publisher:
        source_pieces.append(source.publisher)
    source_pieces.append(Text(", ".join(d for d in dates if d), DIM))
    facts.add("Source", *source_pieces)
    url = item.url or source.url
    if url:
        facts.add("URL", Text(url, "underline"))
    if source.file_path:
        state = source_file_words(source.file_state, source.file_sha256_now)
        facts.add(
            "File",
            source.file_path,
            Text(state, "green" if source.file_state in ("ok", "stored") else BAD),
        )
    facts.add("Locator", item.locator or Text("(none)", DIM))
    facts.add("Quoted", item.snippet or Text("(no snippet)", DIM))
    evidence = item.evidence
    clean = evidence.current and evidence.status == "match"
    facts.add("Evidence", Text(evidence_words(evidence), "green" if clean else WARN))
    extraction = item.extraction
    facts.add(
        "Extraction",
        _labelled("by", extraction.extractor or "unknown"),
        Text(
            f"at {utc(extraction.extracted_at) or 'an unrecorded time'}; batch "
            f"{extraction.batch_id} row {extraction.row_number}; imported by "
            f"{extraction.imported_by} at {utc(extraction.imported_at)}",
            DIM,
        ),
        extraction.file_name,
    )
    facts.add("City match", *_match(item))
    if item.verified_by is not None:
        facts.add("Verified by", Text(f"{item.verified_by.actor} at {utc(item.verified_by.at)}"))
    return [title, facts.grid, _history(item.events, bidi)]


def _match(item: ItemChain) -> list[str | Text]:
    match = item.match
    pieces: list[str | Text] = [_labelled("label", match.raw_label, "bold")]
    if match.city is None:
        pieces.append(Text("→ no city", WARN))
    else:
        target = Text(f"→ {match.city.id}: ")
        target.append(match.city.name_en)
        pieces.append(target)
        if match.city.name_ar:
            pieces.append(match.city.name_ar)
    hint = [f"country hint {match.country_hint}"] if match.country_hint else []
    pieces.append(Text(", ".join([*hint, *match_facts(match)]), DIM))
    return pieces


def _history(events: tuple[EventRecord, ...], bidi: bool) -> RenderableType:
    if not events:
        return Text("No review event.", DIM)
    table = Table(
        title=Text("History (UTC)"),
        title_justify="left",
        show_edge=False,
        expand=True,
        pad_edge=False,
    )
    for header in ("#", "when", "who", "action", "status"):
        table.add_column(Text(header), no_wrap=True)
    table.add_column(Text("detail · reason · note"), ratio=1, min_width=16)
    for event in events:
        words = Text()
        for label, value in (
            ("", event.detail),
            ("reason: ", event.reason),
            ("note: ", event.note),
        ):
            if value:
                if words:
                    words.append(" · ")
                words.append(label, DIM)
                words.append(value)
        table.add_row(
            Text(str(event.seq) if event.seq is not None else f"id {event.id}"),
            Text(utc(event.at)),
            BidiText(event.actor, bidi=bidi, no_wrap=True),
            Text(event.action),
            Text(status_change(event.old_status, event.new_status)),
            BidiText(words, bidi=bidi, base="ltr"),
        )
    return table
