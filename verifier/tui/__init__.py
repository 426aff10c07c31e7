"""The review UI (Textual). ``create_app`` (``factory.py``) is the one way to build it, for
``verifier review`` and for every UI test. Nothing is imported here eagerly, so that the
plain modules (``backend``, ``errors``) load without Textual."""

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
