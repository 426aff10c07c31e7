"""The acting user's name, from settings or the OS. Kept free of database imports so that
commands which never open a workspace start fast."""

from __future__ import annotations

import getpass

from verifier.core.text import clean_display


def resolve_username(explicit: str | None) -> str:
    """``--user`` or ``VERIFIER_USER`` (already merged into ``explicit``), else the OS user."""
    name = (explicit or "").strip() or getpass.getuser()
    return clean_display(name)[:64]
