"""The footer, recomposed only when the keys it shows change.

Textual's footer rebuilds all its keys (a widget each, styled and laid out) whenever the
screen's bindings are refreshed, which happens on every change of focus (Tab, a click, a
dialog closed) and every resize of the item panel: each cost a full rebuild of keys that
had not changed. This one compares what it would show with what it shows, and asks for
one rebuild at a time: the rebuild reads the keys when it runs, so changes that come while
one is pending are in it (the screen's first keys came in several steps before its first
item, and each asked for a rebuild of its own).
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer


class SteadyFooter(Footer):
    _shown: tuple[Any, ...] | None = None  # the keys of the last rebuild
    _rebuild_pending = False

    def compose(self) -> ComposeResult:
        self._rebuild_pending = False
        if self._bindings_ready:
            self._shown = self._showing(self.screen)
        yield from super().compose()

    def _showing(self, screen: Screen[Any]) -> tuple[Any, ...]:
        """The keys, words, actions, states and tooltips the footer would show."""
        palette = screen.app.COMMAND_PALETTE_BINDING
        return tuple(
            (key, binding.description, binding.action, enabled, tooltip)
            for key, (_, binding, enabled, tooltip) in screen.active_bindings.items()
            if binding.show or key == palette
        )

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if not (screen.app.app_focus and self.is_attached and screen is self.screen):
            super().bindings_changed(screen)
            return
        if self._bindings_ready and (self._rebuild_pending or self._showing(screen) == self._shown):
            return
        self._bindings_ready = True
        self._rebuild_pending = self.call_after_refresh(self.recompose)
