"""The review UI (Textual). ``create_app`` (``factory.py``) is the one way to build it, for
``verifier review`` and for every UI test. Nothing is imported here eagerly, so that the
plain modules (``backend``, ``errors``) load without Textual.

The first ``create_app`` loads the UI's modules (Textual, SQLAlchemy, the models: over a
hundred thousand objects that live as long as the process) with the collector paused:
collecting while they were made found nothing to free and took a seventh of the start-up.
They are then frozen, out of every later collection, as the app does again when it loads."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from verifier.tui.factory import create_app

__all__ = ["create_app"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """No collection while long-lived objects are made; then they are frozen."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def __getattr__(name: str) -> Any:
    if name == "create_app":
        with collector_paused():
            from verifier.tui.factory import create_app

        globals()["create_app"] = create_app  # loaded once: later look-ups find it here
        return create_app
    raise AttributeError(name)
