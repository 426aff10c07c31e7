"""The parts of Textual's Select that LogicalSelect builds on are private (Textual has no
public way to change what type-to-search compares). These tests fail, saying which part
moved, when a Textual upgrade renames or reshapes one of them: the filter dialog's Arabic
search would otherwise quietly fall back to searching the drawn, reordered text."""

from __future__ import annotations

import inspect

from textual.app import App, ComposeResult
from textual.widgets import Select

from verifier.tui.widgets.logical_select import LogicalSelect, _LogicalOverlay


def test_textual_still_has_the_overlay_and_its_search_method() -> None:
    from textual.widgets import _select

    overlay = getattr(_select, "SelectOverlay", None)
    assert overlay is not None, "textual.widgets._select.SelectOverlay is gone"
    assert hasattr(_select, "SelectCurrent"), "textual.widgets._select.SelectCurrent is gone"
    search = getattr(overlay, "_find_search_match", None)
    assert search is not None, "SelectOverlay._find_search_match is gone"
    parameters = list(inspect.signature(search).parameters)
    assert parameters == ["self", "query"], f"_find_search_match now takes {parameters}"
    assert "type_to_search" in inspect.signature(overlay.__init__).parameters, (
        "SelectOverlay no longer takes type_to_search"
    )


def test_textual_s_key_handler_still_asks_the_search_method() -> None:
    from textual.widgets._select import SelectOverlay

    handler = inspect.getsource(SelectOverlay._on_key)
    assert "self._find_search_match(" in handler, (
        "SelectOverlay._on_key no longer calls _find_search_match: the override is dead"
    )


def test_the_override_matches_textual_s_signature() -> None:
    from textual.widgets._select import SelectOverlay

    ours = inspect.signature(_LogicalOverlay._find_search_match)
    theirs = inspect.signature(SelectOverlay._find_search_match)
    assert list(ours.parameters) == list(theirs.parameters)


class _Both(App[None]):
    def compose(self) -> ComposeResult:
        options = [("Yearbook", "yearbook"), ("وزارة", "ministry")]
        yield Select(options, id="plain")
        yield LogicalSelect(options, search_text={"ministry": "وزارة"}, id="logical")


async def test_logical_select_composes_as_textual_s_select_does() -> None:
    """LogicalSelect.compose copies Select.compose with its own overlay: the same children,
    in the same order, and the private attributes it reads are still there."""
    app = _Both()
    async with app.run_test():
        plain = app.query_one("#plain", Select)
        logical = app.query_one("#logical", LogicalSelect)
        theirs = [type(child).__name__ for child in plain.children]
        ours = [type(child).__name__ for child in logical.children]
        assert theirs == ["SelectCurrent", "SelectOverlay"], f"Select now composes {theirs}"
        assert ours == ["SelectCurrent", "_LogicalOverlay"]
        assert isinstance(plain._type_to_search, bool)
        assert [value for _, value in plain._options][1:] == ["yearbook", "ministry"]
        overlay = logical.query_one(_LogicalOverlay)
        assert overlay._find_search_match("وزار") == 2  # the blank option comes first
