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


def refuse_other_than_login(login: str, explicit: str | None) -> None:
    """Team mode: the reviewer is the database login, so ``explicit`` (``--user``,
    ``VERIFIER_USER`` or ``user`` in the config) naming anyone else is an error, for every
    command, reading or writing."""
    asked = (explicit or "").strip()
    if asked and asked != login:
        raise VerifierError(
            f"this is a team workspace: you act as your database login ('{login}'), "
            f"so --user / VERIFIER_USER / user cannot name '{asked}'. To "
            "act as someone else, connect as their login (see README, Team set-up)"
        )
