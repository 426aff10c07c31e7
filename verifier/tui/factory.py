"""The one way to build the review app: used by ``verifier review`` and by every UI test."""

from __future__ import annotations

from pathlib import Path

from verifier.config import Settings
from verifier.core.review.saved_state import state_file
from verifier.presentation.display import configure
from verifier.tui.app import ReviewApp
from verifier.tui.backend import ReviewBackend


def create_app(
    settings: Settings,
    db_url: str | None = None,
    *,
    user: str | None = None,
    edition: str | None = None,
) -> ReviewApp:
    """Open the workspace (``db_url``, else ``settings.db``) and build the app for ``user``
    (else ``settings.user``, else the OS user; in team mode, the database login) on
    ``edition`` (else the only edition).

    Raises a VerifierError saying what to do when the workspace cannot be opened.
    """
    backend = ReviewBackend.open(settings, db_url, user, edition)
    path = state_file(backend.user, backend.workspace.url, backend.edition.code)
    configure(harakat=settings.harakat == "keep")
    return ReviewApp(
        backend,
        bidi=settings.bidi == "on",
        keymap=settings.keymap,
        theme=settings.theme,
        state_path=path,
        screenshot_dir=Path(settings.screenshot_dir).expanduser()
        if settings.screenshot_dir
        else None,
    )
