"""An Input that follows the app's cursor-blink setting (off in tests, for stable snapshots)."""

from __future__ import annotations

from textual.widgets import Input


class PlainInput(Input):
    def on_mount(self) -> None:
        self.cursor_blink = bool(getattr(self.app, "cursor_blink", True))
