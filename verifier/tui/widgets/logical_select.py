"""A Select whose type-to-search reads the options' stored text, not what is drawn.

With bidi on, an Arabic option is drawn shaped and in visual order (presentation forms,
reversed), so Textual's search, which looks in the drawn text, never finds what a reviewer
types in logical order. Each option here carries its text as stored; the search folds both
sides like the queue's search (case, harakat, hamza seats)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from textual.app import ComposeResult
from textual.widgets import Select
from textual.widgets._select import SelectCurrent, SelectOverlay

from verifier.core.text import search_fold


# Textual (8.2.8) has no public way to change what type-to-search compares: Select takes
# only ``type_to_search: bool``, and its overlay searches the drawn prompts. So this
# overrides the private ``SelectOverlay._find_search_match`` and copies ``Select.compose``;
# tests/tui/test_logical_select_contract.py fails if an upgrade moves either.
class _LogicalOverlay(SelectOverlay):
    def __init__(self, keys: Callable[[], list[str]], *, type_to_search: bool) -> None:
        super().__init__(type_to_search=type_to_search)
        self._keys = keys

    def _find_search_match(self, query: str) -> int | None:
        """The option whose stored text holds ``query`` earliest (as Textual's own)."""
        wanted = search_fold(query)
        best: int | None = None
        earliest: int | None = None
        for index, key in enumerate(self._keys()):
            at = key.find(wanted)
            if at != -1 and (earliest is None or at < earliest):
                best, earliest = index, at
        return best


class LogicalSelect(Select[str]):
    """``search_text``: each option's value -> its text as stored (the drawn prompt for an
    option without one)."""

    def __init__(
        self,
        options: Iterable[tuple[Any, str]],
        *,
        search_text: Mapping[str, str],
        **kwargs: Any,
    ) -> None:
        self._search_text = dict(search_text)
        super().__init__(options, **kwargs)

    def _search_keys(self) -> list[str]:
        keys = []
        for prompt, value in self._options:  # in the overlay's order, the blank one first
            text = self._search_text.get(value) if isinstance(value, str) else None
            if text is None:
                text = prompt.plain if hasattr(prompt, "plain") else str(prompt)
            keys.append(search_fold(text))
        return keys

    def compose(self) -> ComposeResult:
        yield SelectCurrent(self.prompt)
        yield _LogicalOverlay(self._search_keys, type_to_search=self._type_to_search).data_bind(
            compact=Select.compact
        )
