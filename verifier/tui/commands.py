"""The command palette (ctrl+p): every queue action by name, and quick filters."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, Protocol, runtime_checkable

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from verifier.tui.bindings import APP_BINDINGS, DESCRIPTIONS, QUEUE_BINDINGS

QUICK_FILTERS: list[tuple[str, str, dict[str, Any]]] = [
    (
        "Show: unverified items",
        "Queue only items nobody has decided",
        {"statuses": ("unverified",)},
    ),
    ("Show: flagged items", "Queue only flagged items", {"statuses": ("flagged",)}),
    (
        "Show: open items",
        "Queue unverified and flagged items",
        {"statuses": ("unverified", "flagged")},
    ),
    ("Show: everything", "Clear every filter", {}),
    ("Show: no city yet", "Queue items whose city is not matched", {"cities": ("-",)}),
    (
        "Show: value differs from the document",
        "Open items whose document prints another number than the item (evidence check): "
        "take these first",
        {"statuses": ("unverified", "flagged"), "evidence": ("value_differs",)},
    ),
    (
        "Show: disagreements with the document",
        "Open items whose value differs, whose quote is not found, or found on another page",
        {
            "statuses": ("unverified", "flagged"),
            "evidence": ("value_differs", "snippet_not_found", "page_mismatch"),
        },
    ),
]


PaletteCommand = tuple[str, str, Callable[[], Any]]


@runtime_checkable
class OffersCommands(Protocol):
    """A screen with palette commands of its own, beside the named bindings."""

    def palette_commands(self) -> list[PaletteCommand]: ...


class ReviewCommands(Provider):
    """Actions come from the named bindings, so the palette offers exactly what keys do."""

    def _commands(self) -> list[PaletteCommand]:
        screen = self.screen
        commands: list[PaletteCommand] = []
        targets: list[tuple[list[Binding], Callable[..., Any]]] = [
            (QUEUE_BINDINGS, screen.run_action),
            (APP_BINDINGS, self.app.run_action),
        ]
        for bindings, run in targets:
            for binding in bindings:
                if binding.id in (None, "next_item", "previous_item"):
                    continue
                help_text = DESCRIPTIONS.get(binding.id or "", "")
                commands.append((binding.description, help_text, partial(run, binding.action)))
        if isinstance(screen, OffersCommands):
            commands.extend(screen.palette_commands())
        return commands

    async def discover(self) -> Hits:
        for name, help_text, command in self._commands():
            yield DiscoveryHit(name, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, command in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), command, help=help_text)
