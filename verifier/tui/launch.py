"""The review UI as the command line starts it: registered under the ``verifier.ui`` entry
point group, so that the command line never imports this package."""

from __future__ import annotations

from verifier.config import Settings


def run_review(settings: Settings) -> None:
    """Open the workspace the settings name and run the review UI until the user quits."""
    from verifier.tui import create_app  # the UI's modules, loaded as __init__ says

    create_app(settings).run()
