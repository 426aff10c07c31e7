"""The name a person asks to act as, from settings or the OS. Kept free of database
imports so that commands which never open a workspace start fast; ``identity`` checks it
against the workspace."""

from __future__ import annotations

import getpass

from verifier.core.errors import VerifierError


def requested_name(explicit: str | None) -> str:
    """``--user`` or ``VERIFIER_USER`` (already merged into ``explicit``), else the OS user."""
    name = (explicit or "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        raise VerifierError(
            "cannot tell who you are: the OS user has no name; pass --user NAME"
        ) from None
