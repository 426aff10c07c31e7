"""The command line as a user at a terminal sees it: consoles forced to a terminal of a
chosen width, so tests read what a person reads rather than the piped form."""

from __future__ import annotations

import pytest
from rich.console import Console

from verifier.cli import context


def at_terminal_width(monkeypatch: pytest.MonkeyPatch, width: int) -> None:
    """Every console the CLI makes from now on in this test is a terminal ``width`` wide."""
    made = context._console

    def at_a_terminal(*, stderr: bool) -> Console:
        console = made(stderr=stderr)
        console._force_terminal = True
        console._width = width
        return console

    monkeypatch.setattr(context, "_console", at_a_terminal)
