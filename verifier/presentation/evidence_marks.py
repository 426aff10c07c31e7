"""The evidence check's result where a reviewer decides: a short mark for the queue's
evidence column (and ``verifier items``), and the item view's "Evidence" line, which
gives both numbers when the document's differs from the item's.

Everything that comes from a document or an import (the number as printed, the locator's
place, the hint) is laid out by ``display``: never parsed as markup, Arabic shaped and
ordered per the bidi setting.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from db.vocab import EvidenceStatus
from verifier.presentation.display import layout_text
from verifier.presentation.styles import BAD, DIM, WARN

if TYPE_CHECKING:
    from verifier.core.evidence.listing import EvidenceResult

# Status -> (mark, short word, style). At most 9 cells: the queue's column.
EVIDENCE_MARKS: dict[str, tuple[str, str, str]] = {
    EvidenceStatus.MATCH.value: ("✓", "match", "green"),
    EvidenceStatus.PAGE_MISMATCH.value: ("≈", "page", WARN),
    EvidenceStatus.VALUE_DIFFERS.value: ("≠", "value", BAD),
    EvidenceStatus.SNIPPET_NOT_FOUND.value: ("✗", "quote", WARN),
    EvidenceStatus.NO_TEXT.value: ("∅", "no text", DIM),
    EvidenceStatus.NO_DOCUMENT.value: ("–", "no doc", DIM),
}
# What each short word stands for (the help screen, the filter dialog).
EVIDENCE_WORDS: dict[str, str] = {
    EvidenceStatus.VALUE_DIFFERS.value: "value differs: the document prints another number",
    EvidenceStatus.SNIPPET_NOT_FOUND.value: "quote not found in the document",
    EvidenceStatus.PAGE_MISMATCH.value: "found, on another page than the locator's",
    EvidenceStatus.MATCH.value: "match: quote and value where the locator says",
    EvidenceStatus.NO_TEXT.value: "no text: the document has no text layer",
    EvidenceStatus.NO_DOCUMENT.value: "no document stored for the source",
    "unchecked": "not checked yet",
}


def evidence_word(status: str | None, stale: bool = False) -> str:
    """``≠ value``; ``""`` for an item never checked; a stale result ends in ``*``."""
    if status is None:
        return ""
    mark, word, _ = EVIDENCE_MARKS.get(status, ("?", status, ""))
    return f"{mark} {word}{'*' if stale else ''}"


def evidence_cell(status: str | None, stale: bool = False) -> Text:
    """The queue's evidence cell: the mark in the status's style (dim when stale)."""
    if status is None:
        return Text("·", DIM)
    style = DIM if stale else EVIDENCE_MARKS.get(status, ("", "", ""))[2]
    return Text(evidence_word(status, stale), style=style)


def evidence_line(
    result: EvidenceResult | None, value_number: float | None, bidi: bool, room: int = 80
) -> Text:
    """The item view's "Evidence" line: the status in words, where, how well the quote
    matched, and both numbers when they differ (the item's, the document's)."""
    from verifier.presentation.itemtables import number  # the item view's: loads its queries

    if result is None:
        return Text("not checked yet (verifier evidence check)", DIM)
    mark, _, style = EVIDENCE_MARKS.get(result.status, ("?", result.status, ""))
    status = result.status
    line = Text(f"{mark} {status.replace('_', ' ')}", style=f"bold {style}".strip())
    where = f" · page {result.page}" if result.page is not None else ""
    if status == EvidenceStatus.VALUE_DIFFERS:
        line.append("\n")
        line.append("item ", DIM)
        line.append_text(layout_text(result.value_text or "(empty)", bidi=bidi, style="bold",
                                     width=max(12, room // 3), keep_number=True))  # fmt: skip
        line.append(f" ({number(value_number)})", DIM)
        line.append("  ≠  document ", DIM)
        printed = result.found_text or "no number"
        line.append_text(layout_text(printed, bidi=bidi, style=BAD, width=max(12, room // 3),
                                     keep_number=True))  # fmt: skip
        line.append(f" ({number(result.found_value)})", DIM)
        line.append(f"{where} · score {result.score:g}", DIM)
    elif status == EvidenceStatus.PAGE_MISMATCH:
        # The locator on a line of its own: its end says where the table really is.
        line.append(f"{where} · score {result.score:g}", DIM)
        line.append("\nthe locator says ", DIM)
        line.append_text(layout_text(result.place, bidi=bidi, style=DIM, width=max(12, room - 17)))
    elif status == EvidenceStatus.MATCH:
        line.append(f"{where} · score {result.score:g}", DIM)
    elif status == EvidenceStatus.SNIPPET_NOT_FOUND:
        line.append(f" · best score {result.score:g}", DIM)
    elif status == EvidenceStatus.NO_DOCUMENT:
        line.append(" · the source has no stored document", DIM)
    elif status == EvidenceStatus.NO_TEXT:
        line.append(" · the document has no text layer (a scan)", DIM)
    if result.hint and status in (EvidenceStatus.SNIPPET_NOT_FOUND, EvidenceStatus.VALUE_DIFFERS):
        line.append("\n")
        line.append_text(layout_text(result.hint, bidi=bidi, style=DIM, width=room))
    if result.stale:
        line.append("\nstale: the document or the check changed since; run verifier evidence "
                    "check", WARN)  # fmt: skip
    return line
