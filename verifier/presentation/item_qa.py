"""An item's QA as the item view shows it to everyone but its blind second reviewer: in
which sample it was drawn, the two decisions side by side, and a lead's verdict."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from verifier.core.qa.blind import NOTICE
from verifier.core.qa.reviews import ItemQa
from verifier.presentation.display import shown
from verifier.presentation.itemrender import status_text


def qa_section(facts: list[ItemQa], bidi: bool) -> RenderableType:
    lines: list[RenderableType] = []
    for qa in facts:
        line = Text.assemble((f"QA sample {qa.sample_id}: ", "bold"), "first ")
        line.append_text(status_text(qa.first_status))
        line.append(f" by {shown(qa.first_reviewer, bidi=bidi)} · second ")
        if qa.second is None:
            line.append(f"awaited from {shown(qa.second_reviewer, bidi=bidi)}", "dim")
        else:
            line.append_text(status_text(qa.second.status))
            line.append(f" by {shown(qa.second.reviewer, bidi=bidi)}")
            said = qa.second.reason or qa.second.note
            if said:
                line.append(" — ")
                line.append(shown(said, bidi=bidi), "italic")
        if qa.adjudication is not None:
            verdict = qa.adjudication
            line.append(" · adjudicated ")
            line.append_text(status_text(verdict.status))
            line.append(f" by {shown(verdict.by, bidi=bidi)}: {shown(verdict.reason, bidi=bidi)}")
        elif qa.awaiting_adjudication:
            line.append(" · disagreement: a lead adjudicates (v/r/f in the adjudication queue)",
                        "bold yellow")  # fmt: skip
        lines.append(line)
    return Group(*lines)


def blind_notice(own: str | None = None) -> Text:
    """``own``: the reviewer's own second decision on the item, if made (never the first)."""
    notice = Text(NOTICE, style="bold cyan")
    if own is not None:
        notice.append("\nYour second decision: ")
        notice.append_text(status_text(own))
        notice.append(" (v, r or f changes it; a reason is asked)", "dim")
    return notice
