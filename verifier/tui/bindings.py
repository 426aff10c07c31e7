"""Every key binding of the review UI, named, in one place.

The ids are what users remap in the config (``keymap = {verify = "v,enter"}``); the help
screen and the command palette are built from these lists, so they never disagree with
the keys that work.
"""

from __future__ import annotations

from textual.binding import Binding

# On the queue screen, in the footer's order: what a reviewer does most comes first, so a
# narrow terminal cuts off only the rarer keys (help and quit come before all of them).
QUEUE_BINDINGS: list[Binding] = [
    Binding("v", "verify", "Verify", id="verify", tooltip="Mark verified; next item"),
    Binding("r", "reject", "Reject", id="reject", tooltip="Reject with a reason; next item"),
    Binding("f", "flag", "Flag", id="flag", tooltip="Flag with a note; next item"),
    Binding("n", "note", "Note", id="note", tooltip="Add a note to the item"),
    Binding(
        "c",
        "compare",
        "Cities·values",
        id="compare",
        tooltip="City candidates and the values for the same city, indicator and year",
    ),
    Binding("m", "match", "Match", id="match", tooltip="Choose the city: candidates or search"),
    Binding("u", "undo", "Undo", id="undo", tooltip="Undo your last decision"),
    Binding("slash", "search", "Search", id="search", tooltip="Search labels, snippets, sources"),
    Binding(
        "p", "provenance", "Provenance", id="provenance", tooltip="Where this value comes from"
    ),
    Binding(
        "a",
        "confirm_label",
        "All same label",
        id="confirm_label",
        tooltip="Confirm this city for every item with the same raw label",
    ),
    Binding("ctrl+f", "filters", "Filters", id="filters", tooltip="Choose the queue's filters"),
    Binding("d", "dashboard", "Dashboard", id="dashboard", tooltip="Progress dashboard"),
    Binding(
        "s", "sprint", "Sprint", id="sprint", show=False, tooltip="Sprint dashboard: burn-down"
    ),
    Binding("j,down", "next_item", "Next", id="next_item", show=False, tooltip="Next item"),
    Binding("k,up", "previous_item", "Previous", id="previous_item", show=False),
    Binding("e", "evidence", "Document", id="evidence", tooltip="The source document at the quote"),
    Binding("o", "open_source", "Open source", id="open_source", show=False),
    Binding("ctrl+r", "refresh", "Refresh", id="refresh", show=False),
    Binding("shift+pagedown", "scroll_item(1)", "Scroll item", id="scroll_item_down", show=False),
    Binding("shift+pageup", "scroll_item(-1)", "Scroll item up", id="scroll_item_up", show=False),
]

# In the document pane (decisions keep their keys there: none of these is a decision key).
# Not in the footer: the pane's header names them, and the footer stays as it is when the
# pane opens (rebuilding it was most of the time the pane took to open). The screen holds
# them: the focus stays on the queue while the pane is open (moving it repaints the whole
# screen), so the scrolling keys come before the queue's own (priority), while it is open.
EVIDENCE_BINDINGS: list[Binding] = [
    Binding("left_square_bracket", "document_page(-1)", "Previous page",
            id="evidence_previous_page", show=False),
    Binding("right_square_bracket", "document_page(1)", "Next page", id="evidence_next_page",
            show=False),
    Binding("down", "scroll_document('down')", "Scroll down", id="evidence_scroll_down",
            show=False, priority=True),
    Binding("up", "scroll_document('up')", "Scroll up", id="evidence_scroll_up", show=False,
            priority=True),
    Binding("pagedown", "scroll_document('page_down')", "Page down", id="evidence_page_down",
            show=False, priority=True),
    Binding("pageup", "scroll_document('page_up')", "Page up", id="evidence_page_up",
            show=False, priority=True),
    Binding("home", "scroll_document('home')", "Top", id="evidence_top", show=False,
            priority=True),
    Binding("end", "scroll_document('end')", "Bottom", id="evidence_bottom", show=False,
            priority=True),
]  # fmt: skip

# Everywhere.
APP_BINDINGS: list[Binding] = [
    Binding("question_mark,f1", "help", "Help", id="help", tooltip="Every key, and what it does"),
    Binding("q", "quit", "Quit", id="quit", tooltip="Quit (every decision is already saved)"),
    Binding("b", "toggle_bidi", "Bidi", id="toggle_bidi", tooltip="Reorder Arabic on or off"),
]

# Help and quit, first on every full screen: the footer shows bindings in order, and a
# narrow terminal cuts off the last ones. (The same ids: a keymap changes both.)
FIRST_BINDINGS: list[Binding] = [
    Binding("question_mark,f1", "app.help", "Help", id="help", tooltip="Every key"),
    Binding("q", "app.quit", "Quit", id="quit", tooltip="Quit (every decision is saved)"),
]

# What each binding does, in the words of the help screen.
DESCRIPTIONS: dict[str, str] = {
    "verify": "Verify the item: the value matches its source. The next item opens. In a blind "
    "second review, v, r and f record your own second decision; in the adjudication queue "
    "(leads), they settle the disagreement, with a reason.",
    "reject": "Reject the item (asks for a reason). The next item opens.",
    "flag": "Flag the item for someone else (asks for a note). The next item opens.",
    "note": "Add a note to the item's history, without changing its status.",
    "compare": "Show the city candidates and the values for the same city, indicator and "
    "year (narrow terminals; wide ones show them beside the item).",
    "match": "Change the city: pick a candidate, or search the gazetteer in either script.",
    "confirm_label": "Confirm the city for every item with the same raw label and country.",
    "undo": "Undo your last status or city decision (a bulk confirmation as a whole).",
    "next_item": "Next item (also the down arrow).",
    "previous_item": "Previous item (also the up arrow).",
    "search": "Search labels, snippets, source titles and city names, in either script.",
    "filters": "Filter by status, indicator, domain, city, country, source, batch, script...",
    "open_source": "Open the source's URL or local file; where no desktop opener can show "
    "it (over SSH, on a headless server), the document pane shows the stored document, or "
    "the URL is named for you to open elsewhere.",
    "evidence": "Open or close the document pane: the source document stored in the "
    "workspace, at the page of the quote, with the quote and the value highlighted (a "
    "workbook: the cells around the located one). Decision keys keep working in it.",
    "evidence_previous_page": "Document pane: the previous page (sheet, section).",
    "evidence_next_page": "Document pane: the next page (sheet, section). Escape closes the pane.",
    "evidence_scroll_down": "Document pane: scroll the page down a line (j goes to the next item).",
    "evidence_scroll_up": "Document pane: scroll the page up a line (k goes to the previous item).",
    "evidence_page_down": "Document pane: scroll the page down a screen.",
    "evidence_page_up": "Document pane: scroll the page up a screen.",
    "evidence_top": "Document pane: the top of the page.",
    "evidence_bottom": "Document pane: the bottom of the page.",
    "provenance": "The item's provenance: source, extraction, city match, every review event, "
    "and whether it is published, or why not.",
    "dashboard": "Progress by status, indicator, city and reviewer; today's throughput.",
    "sprint": "The sprint dashboard: burn-down, throughput per reviewer per day, QA figures, "
    "what each reviewer still has; a lead reassigns someone's remaining items from there.",
    "refresh": "Reload the queue and the item (see others' decisions).",
    "scroll_item_down": "Scroll the item panel down.",
    "scroll_item_up": "Scroll the item panel up.",
    "help": "This help.",
    "toggle_bidi": "Reorder and shape Arabic (for terminals without bidi), or pass it through.",
    "quit": "Quit. Every decision is saved the moment it is made.",
}

ALL_BINDINGS: list[Binding] = QUEUE_BINDINGS + EVIDENCE_BINDINGS + APP_BINDINGS
BINDING_IDS: frozenset[str] = frozenset(b.id for b in ALL_BINDINGS if b.id)


def keys_for(binding: Binding, keymap: dict[str, str]) -> str:
    """The keys that trigger ``binding`` once the user's keymap is applied."""
    return keymap.get(binding.id or "", binding.key)
