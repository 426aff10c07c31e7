"""Waiting for the review UI in a benchmark: until a condition holds, then drawn.

Kept apart from ``bench_review.py`` (which imports the importer and the editions to build
its workspace): a child timing the start of the review UI imports only this and the app,
so its figure is the app's start-up, not the benchmark's. Nothing of the app is imported
here before the app itself: ``create_app`` loads the UI's modules its own way.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from verifier.tui.screens.queue_screen import QueueScreen


async def wait_until(
    condition: Callable[[], bool], timeout: float = 30.0, paint: object = None
) -> float:
    """Seconds until ``condition`` holds (the event loop keeps running meanwhile) and,
    given a screen as ``paint``, that screen has been drawn with it."""
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > timeout:
            raise TimeoutError("the app did not get there in time")
        await asyncio.sleep(0.0005)
    if paint is not None:
        paint._on_timer_update()  # type: ignore[attr-defined]  # draw now, as Pilot does
    return time.perf_counter() - started


def shown_queue(app: object) -> QueueScreen | None:
    """The queue screen once it shows an item, else None."""
    from verifier.tui.screens.queue_screen import QueueScreen

    screen = app.screen  # type: ignore[attr-defined]
    return screen if isinstance(screen, QueueScreen) and screen.view is not None else None
