"""Run by ``test_first_item.py`` in a new interpreter: open the review UI on the workspace
given, headless and wide enough to show the item's candidates beside it, and print (JSON)
what was loaded when the first item was drawn, what the panel said then, what the start-up
built by then (the footer's keys, the models' pydantic validators, the collector's pass),
and the same once the work after it is done."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import threading
import time
from typing import Any

from sqlmodel import SQLModel

from verifier.config import Settings
from verifier.presentation.itemrender import ShownItem
from verifier.tui import create_app
from verifier.tui.app import ReviewApp
from verifier.tui.deferred import DEFERRED
from verifier.tui.screens import colleagues
from verifier.tui.screens.queue_current_item import QueueCurrentItem
from verifier.tui.widgets.item_panel import ItemPanel
from verifier.tui.widgets.steady_footer import SteadyFooter

# Loaded neither for the first item nor after it: the evidence check itself (the queue and
# the item view read its results only) and the font library arabic-reshaper would import.
NEVER = ("verifier.core.evidence.check", "verifier.core.evidence.results", "fontTools")

first: dict[str, Any] = {}
show_item = QueueCurrentItem._show_item
built = {"footer": 0, "collected": 0}
footer_compose = SteadyFooter.compose
tune_gc = ReviewApp._tune_gc


def _footer_compose(self: SteadyFooter) -> Any:
    """Count the footer's builds of its keys (before its keys are known it builds none)."""
    if self._bindings_ready:
        built["footer"] += 1
    return footer_compose(self)


def _tune(self: ReviewApp) -> None:
    built["collected"] += 1
    tune_gc(self)


def _validators() -> list[str]:
    """The tables whose pydantic validator is built (rows never go through it)."""
    return sorted(m.__name__ for m in SQLModel.__subclasses__() if m.__pydantic_complete__)


def _show_item(self: QueueCurrentItem, shown: ShownItem) -> None:
    """The first item, as it is about to be drawn: what the process has loaded by then."""
    if not first:
        first["loaded"] = [name for name in DEFERRED + NEVER if name in sys.modules]
        first["shaped"] = "arabic_reshaper" in sys.modules
        first["watching"] = _watching()
        first["pending"] = shown.view.candidates_pending
        first["footer_builds"] = built["footer"]
        first["collected"] = built["collected"]
        first["validators"] = _validators()
    show_item(self, shown)
    if "panel" not in first:
        first["panel"] = self.query_one(ItemPanel).text.plain


def _watching() -> bool:
    """Whether the colleagues' watcher runs (its thread)."""
    return any(thread.name == "colleagues" for thread in threading.enumerate())


QueueCurrentItem._show_item = _show_item  # type: ignore[method-assign]
SteadyFooter.compose = _footer_compose  # type: ignore[method-assign]
ReviewApp._tune_gc = _tune  # type: ignore[method-assign]
# The watcher also starts after a fallback delay when no item has been drawn by then; on a
# loaded machine the first item may take longer than that, which is not what is tested.
colleagues.START_FALLBACK_SECONDS = 3600.0


async def main(url: str) -> None:
    with tempfile.TemporaryDirectory() as state:
        os.environ["VERIFIER_STATE_DIR"] = state
        app = create_app(Settings(), url, user="sara")
        async with app.run_test(size=(220, 60)) as pilot:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                await app.workers.wait_for_complete()
                await pilot.pause()
                done = all(name in sys.modules for name in DEFERRED)
                if "panel" in first and done and not app.workers._workers:
                    break
            later = {
                "loaded": [name for name in DEFERRED if name in sys.modules],
                "never": [name for name in NEVER if name in sys.modules],
                "watching": _watching(),
                "panel": app.screen.query_one(ItemPanel).text.plain,
                "collected": built["collected"],
                "validators": _validators(),
            }
    print(json.dumps({"first": first, "later": later}))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
