"""The review app: a queue of items to check against their sources, one key per decision."""

from __future__ import annotations

import gc
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import ModalScreen, Screen

from verifier.core.safe_output import terminal_line, terminal_text
from verifier.core.wording import agree
from verifier.presentation.display import shown, shown_message
from verifier.tui.backend import ReviewBackend
from verifier.tui.bindings import APP_BINDINGS, BINDING_IDS
from verifier.tui.messages import StartedUp
from verifier.tui.screens.help_screen import HelpScreen
from verifier.tui.screens.queue_screen import QueueScreen

# Allocations between collections of the youngest generation (Python's default: 700).
GC_YOUNG_THRESHOLD = 50_000


@dataclass(frozen=True)
class Notice:
    message: str
    severity: str


class ReviewApp(App[None]):
    CSS_PATH = "review.tcss"
    # Textual's own ctrl+q (quit) and ctrl+p (command palette) stay; ours come on top.
    BINDINGS: ClassVar[list[BindingType]] = list(APP_BINDINGS)

    bidi: reactive[bool] = reactive(True)

    def __init__(
        self,
        backend: ReviewBackend,
        *,
        bidi: bool,
        keymap: dict[str, str],
        theme: str,
        state_path: Path,
        screenshot_dir: Path | None = None,
    ) -> None:
        super().__init__()
        self.screenshot_dir = screenshot_dir  # None: the current directory
        self.backend = backend
        self.keymap = dict(keymap)
        self.state_path = state_path
        self.cursor_blink = True
        # The latest notifications, newest last (what the reviewer was told, for the record).
        self.notices: deque[Notice] = deque(maxlen=100)
        self._wanted_theme = theme
        self._gc_threshold = gc.get_threshold()
        self.set_reactive(ReviewApp.bidi, bidi)

    def get_default_screen(self) -> Screen[None]:
        return QueueScreen(self.backend, self.state_path)

    def on_load(self) -> None:
        # What the imports made (about 120,000 objects: modules, classes) lives as long as
        # the app: out of the collector's way from the start, not only from the first
        # refresh on (collecting over it then took 0.07-0.09 s before the first item).
        gc.freeze()
        gc.set_threshold(GC_YOUNG_THRESHOLD, *self._gc_threshold[1:])

    def on_mount(self) -> None:
        edition = self.backend.edition
        self.title = f"verifier · {edition.code}"
        self._update_sub_title()
        if self._wanted_theme in self.available_themes:
            self.theme = self._wanted_theme
        else:
            self.notify(
                f"Unknown theme '{self._wanted_theme}'; using {self.theme}.",
                severity="warning",
                markup=False,
            )
        unknown = sorted(set(self.keymap) - BINDING_IDS)
        if unknown:
            self.notify(
                f"Unknown key binding {agree(len(unknown), 'id')} in the keymap: "
                f"{', '.join(unknown)}. "
                f"Known: {', '.join(sorted(BINDING_IDS))}.",
                severity="warning",
                markup=False,
            )
        self.set_keymap({k: v for k, v in self.keymap.items() if k in BINDING_IDS})
        self.backend.workspace.on_lock_wait = self._say_waiting

    def _say_waiting(self, timeout: float) -> None:
        """A decision waits for another writer (SQLite: an import writing its batch)."""
        message = (
            "Waiting for another writer (an import?) to finish with the workspace; "
            f"giving up after {timeout:g} s (setting lock_timeout)."
        )
        try:  # decisions are saved from worker threads
            self.call_from_thread(self.notify, message, severity="warning", markup=False)
        except RuntimeError:  # on the app's own thread
            self.notify(message, severity="warning", markup=False)

    def _update_sub_title(self) -> None:
        edition = self.backend.edition
        name = shown(edition.name, bidi=self.bidi)
        self.sub_title = (
            f"{name} · reviewer {self.backend.user} · bidi {'on' if self.bidi else 'off'}"
        )

    def watch_bidi(self, _bidi: bool) -> None:
        self._update_sub_title()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Like App.notify, but plain text unless markup is asked for, never a control
        sequence (messages quote data), laid out by the one display layout (labels and
        names in Arabic shaped and ordered per the bidi setting), and remembered as written
        (in logical order)."""
        message, title = terminal_text(message), terminal_line(title)
        self.notices.append(Notice(message, severity))
        if not markup:  # markup is ours alone, and laying it out would break its tags
            message = shown_message(message, bidi=self.bidi, one_line=False)
        super().notify(
            message,
            title=shown_message(title, bidi=self.bidi),
            severity=severity,
            timeout=timeout,
            markup=markup,
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # In a dialog, q is a letter of a reason or a search, never a way out of the app.
        return not (action == "quit" and isinstance(self.screen, ModalScreen))

    def action_toggle_bidi(self) -> None:
        self.bidi = not self.bidi
        self.notify(f"Arabic display: bidi {'on' if self.bidi else 'off'}.", timeout=2)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.keymap))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's palette commands, with the screenshot saved where the settings say."""
        for command in super().get_system_commands(screen):
            if command.title == "Screenshot":
                yield SystemCommand(
                    "Screenshot",
                    "Save an SVG picture of the screen in the screenshot directory",
                    lambda: self.set_timer(0.1, self.action_screenshot),
                )
            else:
                yield command

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Save the screen as SVG in ``path``, the ``screenshot_dir`` setting or the current
        directory, and say where (or why not)."""
        folder = Path(path) if path else self.screenshot_dir or Path.cwd()
        name = filename or f"verifier-{datetime.now():%Y%m%d-%H%M%S}.svg"
        target = folder / name
        try:
            folder.mkdir(parents=True, exist_ok=True)
            target.write_text(self.export_screenshot(), encoding="utf-8")
        except OSError as error:
            self.notify(
                f"Cannot save the screenshot in {folder}: {error.strerror or error}",
                title="Screenshot",
                severity="error",
            )
            return
        self.notify(f"Screenshot saved to {target.resolve()}", title="Screenshot", timeout=6)

    def on_unmount(self) -> None:
        gc.unfreeze()
        gc.set_threshold(*self._gc_threshold)
        self.backend.close()

    def on_started_up(self, _message: StartedUp) -> None:
        self._tune_gc()

    def _tune_gc(self) -> None:
        """Collections of the whole heap paused the UI for 0.1-0.3 s every few decisions.
        What exists once the app is up lives as long as the app: keep it out of the
        collector's way, and collect the young generation less often. (The imports were
        frozen when the app was made: this collects only what came since.) Done once the
        first item is drawn, not before it: the collection took 0.02-0.04 s of its path."""
        gc.collect()
        gc.freeze()
        gc.set_threshold(GC_YOUNG_THRESHOLD, *self._gc_threshold[1:])
