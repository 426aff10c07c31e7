"""The report as one self-contained HTML page: inline CSS, no scripts, nothing fetched.

Untrusted text is always escaped (``safe_output.html_bidi``). Text holding Arabic is wrapped
in an element with ``dir="rtl"`` (Arabic only) or ``dir="auto"`` (mixed), so each script runs in
its own direction; control and bidi-override characters are dropped first. Every table
cell and definition carries ``dir="auto"`` as well, so a cell takes the direction of its
first strong character (a Latin reason quoting Arabic reads left to right, an Arabic one
right to left) and never inherits the page's. Only http(s) URLs become links.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

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
from verifier.core.safe_output import (
    HTML_SECURITY_POLICY,
    html_attribute,
    html_bidi,
    html_direction,
    html_text,
)
from verifier.core.text import has_arabic
from verifier.core.wording import agree, count

STYLE = """
body{font-family:system-ui,"Noto Sans","Noto Naskh Arabic",sans-serif;margin:2rem auto;
max-width:72rem;padding:0 1rem;color:#1d1d1f;line-height:1.45}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2.2rem;border-bottom:1px solid #ccd}
h3{font-size:1rem;margin-bottom:.3rem}
dl{display:grid;grid-template-columns:11rem 1fr;gap:.2rem .8rem;margin:.4rem 0}
dt{font-weight:600;color:#445}dd{margin:0}
article{border-left:3px solid #99b;padding:.1rem 0 .4rem 1rem;margin:1rem 0}
article.unpublished{border-left-color:#c66}
blockquote{margin:.3rem 0;padding:.3rem .7rem;background:#f4f4f8;border-radius:4px}
table{border-collapse:collapse;font-size:.9rem;margin-top:.4rem}
th,td{border:1px solid #dde;padding:.2rem .45rem;text-align:start;vertical-align:top}
th{background:#eef}code{font-size:.85em;word-break:break-all}
.warn{color:#a11;font-weight:600}.ok{color:#161}.reasons li{margin:.15rem 0}
"""


def write_html(stream: ReportStream, out: TextSink) -> None:
    """The page written section by section, item by item (parts joined by newlines)."""
    report = stream.head
    title = f"Provenance report: {html_text(report.edition_code)}"
    head = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        HTML_SECURITY_POLICY,
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title><style>{STYLE}</style></head><body>",
        f"<h1>{title}</h1>",
        _header(report, stream.value_count),
    ]
    out.write("\n".join(head))
    for value in stream.values:
        for part in _value(value):
            out.write("\n" + part)
    for entry in report.unpublished:
        out.write("\n" + _unpublished(entry, report.publication))
    if not stream.value_count and not report.unpublished:
        out.write("\n<p>No published value matches this selection.</p>")
    out.write("\n</body></html>\n")


def _header(report: ProvenanceReport, value_count: int) -> str:
    rows: list[tuple[str, str]] = []
    if report.publication is None:
        rows.append(("Publication", "none yet"))
    else:
        rows += _publication_rows(report.publication)
    chosen = report.selection
    narrowed = [
        f"city {html_bidi(chosen.city)}" if chosen.city else "",
        f"indicator {html_bidi(chosen.indicator)}" if chosen.indicator else "",
        f"item {chosen.item_id}" if chosen.item_id is not None else "",
    ]
    if any(narrowed):
        rows.append(("Selection", ", ".join(n for n in narrowed if n)))
    rows.append(("Values in this report", str(value_count)))
    rows.append(("Generated", _time(report.generated_at)))
    return _definitions(rows)


def _publication_rows(publication: PublicationFacts) -> list[tuple[str, str]]:
    intact = (
        '<span class="ok">the stored content matches it</span>'
        if publication.content_intact
        else '<span class="warn">the stored content does NOT match it</span>'
    )
    rows = [
        (
            "Publication",
            f"id {publication.id}, number {publication.number} of "
            f"{html_bidi(publication.edition_code)}, {count(publication.value_count, 'value')}",
        ),
        (
            "Published by",
            f"{html_bidi(publication.created_by)} at {_time(publication.created_at)}",
        ),
        ("Content sha256", f"<code>{html_bidi(publication.sha256)}</code> ({intact})"),
    ]
    if not publication.rows_intact:
        rows.append(
            (
                "Warning",
                '<span class="warn">its queryable rows do NOT match its hashed content '
                "(they were rewritten; this report reads the content): "
                f"{html_text('; '.join(publication.row_problems))}</span>",
            )
        )
    if publication.note:
        rows.append(("Note", html_bidi(publication.note)))
    if publication.qa:
        rows.append(("QA", html_bidi(qa_words(publication.qa))))
    return rows


def _value(value: ValueChain | StreamedValue) -> Iterator[str]:
    """The value's section in parts: its heading, each item, its end."""
    city, indicator = value.city, value.indicator
    names = " / ".join(html_bidi(n) for n in (city.name_en, city.name_ar) if n)
    indicator_names = " / ".join(html_bidi(n) for n in (indicator.name_en, indicator.name_ar) if n)
    parts = [
        f'<section class="value" id="{html_attribute(f"value-{city.id}-{indicator.code}")}">',
        f"<h2>{names} ({html_bidi(city.id)}) · {html_bidi(indicator.code)}: "
        f"{html_bidi(with_unit(value.value, value.unit))} ({value.year})</h2>",
        f"<p>Indicator: {indicator_names} (domain {html_bidi(indicator.domain)}). "
        f"Evidence: {count(len(value.evidence), 'item')}.</p>",
    ]
    if value.conflict is not None:
        parts.append(f"<p>{_conflict(value.conflict)}</p>")
    yield "\n".join(parts)
    for item in value.evidence:
        yield _item(item, value.unit, published=True)
    yield "</section>"


def _unpublished(entry: UnpublishedItem, publication: PublicationFacts | None) -> str:
    item = entry.item
    where = f"publication #{publication.number}" if publication else "any publication"
    reasons = "".join(f'<li dir="auto">{html_bidi(r.text)}</li>' for r in entry.reasons)
    parts = [
        f'<section class="unpublished" id="unpublished-{item.id}">',
        f'<h2>Item {item.id}: <span class="warn">not published</span> '
        f"({html_bidi(entry.indicator.code)}, {item.year})</h2>",
        f'<p>Not in {where} because:</p><ul class="reasons">{reasons}</ul>',
    ]
    if entry.published_in:
        numbers = ", ".join(f"#{n}" for n in entry.published_in)
        which = agree(len(entry.published_in), "publication")
        parts.append(f"<p>It is part of {which} {numbers} of this edition.</p>")
    if entry.conflict is not None and entry.conflict.state in ("won", "lost"):
        parts.append(f"<p>{_conflict(entry.conflict)}</p>")
    parts.append(_item(item, entry.indicator.unit, published=False))
    parts.append("</section>")
    return "\n".join(parts)


def _conflict(conflict: ConflictOutcome) -> str:
    if conflict.state == "open":
        return "<strong>Conflict:</strong> open, not resolved by a lead yet."
    return f"<strong>Conflict resolved:</strong> {resolution_words(conflict, html_bidi, _time)}"


def _item(item: ItemChain, unit: str, *, published: bool) -> str:
    css = "item" if published else "item unpublished"
    parts = [
        f'<article class="{css}" id="item-{item.id}">',
        f"<h3>Item {item.id} · {html_bidi(item.status)}</h3>",
    ]
    if published and item.changed_after_publication:
        parts.append('<p class="warn">Changed after this publication: see its history.</p>')
    written = html_bidi(item.value_text) or "(empty)"
    if item.unit_written:
        written += f", unit as written {html_bidi(item.unit_written)}"
    rows = [
        (
            "Value as written",
            f"{written} → {html_bidi(with_unit(item.value_normalized, unit)) or 'no value'}, "
            f"reference year {item.year}",
        ),
        ("Source", _source(item)),
        ("Evidence check", _evidence(item)),
        ("Extraction", _extraction(item)),
        ("City match", _match(item)),
    ]
    if item.verified_by is not None:
        verified = item.verified_by
        rows.append(("Verified by", f"{html_bidi(verified.actor)} at {_time(verified.at)}"))
    parts.append(_definitions(rows))
    parts.append(_history(item.events))
    parts.append("</article>")
    return "\n".join(parts)


def _source(item: ItemChain) -> str:
    source = item.source
    facts = [
        f"language {html_bidi(source.language)}" if source.language else "",
        f"published {day(source.published_on)}" if source.published_on else "",
        f"retrieved {day(source.retrieved_on)}" if source.retrieved_on else "",
        f"key {html_bidi(source.key)}",
    ]
    publisher = f" — {html_bidi(source.publisher)}" if source.publisher else ""
    lines = [
        f"<cite>{html_bidi(source.title, source.language)}</cite>{publisher} "
        f"({', '.join(f for f in facts if f)})"
    ]
    url = item.url or source.url
    if url:
        lines.append(f"URL: {_link(url)}")
    if source.file_path:
        state = source_file_words(source.file_state, source.file_sha256_now)
        css = "ok" if source.file_state in ("ok", "stored") else "warn"
        digest = html_bidi(source.file_sha256)
        lines.append(
            f"File: {html_bidi(source.file_path)}, recorded sha256 <code>{digest}</code>: "
            f'<span class="{css}">{html_text(state)}</span>'
        )
    lines.append(f"Locator: {html_bidi(item.locator) or '(none)'}")
    items = "".join(f'<li dir="auto">{line}</li>' for line in lines)
    quote = _quote(item.snippet, item.language)
    return f"<ul>{items}</ul>{quote}"


def _evidence(item: ItemChain) -> str:
    facts = item.evidence
    css = "ok" if facts.current and facts.status == "match" else "warn"
    return f'<span class="{css}">{html_text(evidence_words(facts))}</span>'


def _quote(snippet: str, lang: str) -> str:
    if not snippet:
        return ""
    safe = html_text(snippet)
    direction = html_direction(snippet, lang) if has_arabic(snippet) else ' dir="auto"'
    return f"<blockquote{direction}>{safe}</blockquote>"


def _extraction(item: ItemChain) -> str:
    extraction = item.extraction
    return (
        f"by {html_bidi(extraction.extractor) or 'unknown'} at "
        f"{_time(extraction.extracted_at) or 'an unrecorded time'}; import batch "
        f"{extraction.batch_id}, file {html_bidi(extraction.file_name)}, row "
        f"{extraction.row_number}, file sha256 <code>{html_bidi(extraction.file_sha256)}</code>; "
        f"imported by {html_bidi(extraction.imported_by)} at {_time(extraction.imported_at)}"
    )


def _match(item: ItemChain) -> str:
    match = item.match
    label = f"label “{html_bidi(match.raw_label)}”"
    if match.country_hint:
        label += f" (country hint {html_bidi(match.country_hint)})"
    target = "no city"
    if match.city is not None:
        names = " / ".join(html_bidi(n) for n in (match.city.name_en, match.city.name_ar) if n)
        target = f"{names} ({html_bidi(match.city.id)})"
    return f"{label} → {target}; {', '.join(match_facts(match, html_bidi, _time))}"


def _history(events: tuple[EventRecord, ...]) -> str:
    if not events:
        return "<p>No review event.</p>"
    head = "".join(
        f"<th>{name}</th>"
        for name in ("#", "When (UTC)", "Who", "Action", "Status", "Detail", "Reason", "Note")
    )
    rows = []
    for event in events:
        position = str(event.seq) if event.seq is not None else f"id {event.id}"
        cells = [
            position,
            _time(event.at),
            html_bidi(event.actor),
            html_bidi(event.action),
            html_text(status_change(event.old_status, event.new_status)),
            html_bidi(event.detail),
            html_bidi(event.reason),
            html_bidi(event.note),
        ]
        rows.append("<tr>" + "".join(f'<td dir="auto">{cell}</td>' for cell in cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _definitions(rows: list[tuple[str, str]]) -> str:
    body = "".join(f'<dt>{html_text(term)}</dt><dd dir="auto">{value}</dd>' for term, value in rows)
    return f"<dl>{body}</dl>"


def _time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    text = utc(moment)
    return f'<time datetime="{text}">{text}</time>'


def _link(url: str) -> str:
    shown = html_bidi(url)
    if url.lower().startswith(("http://", "https://")):
        href = html_attribute(url)
        return f'<a href="{href}" rel="noopener noreferrer">{shown}</a>'
    return shown
