"""The review UI (Textual). ``create_app`` builds it; the rich-only modules ``bidiwrap``,
``itemrender`` and ``dashboard_render`` are shared with the command line, which must not
import Textual, so nothing is imported here eagerly."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from verifier.tui.factory import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from verifier.tui.factory import create_app

        return create_app
    raise AttributeError(name)
