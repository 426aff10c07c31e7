"""What to tell the user when a workspace is missing or not at the current schema: one
wording, whichever way the workspace was opened (with the ORM, or by a read-only command
that goes straight to the driver)."""

from __future__ import annotations

from pathlib import Path

from db.revision import head_revision
from verifier.core.errors import WorkspaceError


def missing_file(path: Path) -> WorkspaceError:
    return WorkspaceError(f"there is no workspace at {path}. Create it with: verifier init")


def check_revision(display_url: str, current: str | None) -> None:
    """Raise a WorkspaceError saying what to run unless ``current`` is the newest migration."""
    head = head_revision()
    if current is None:
        raise WorkspaceError(
            f"{display_url} is not a verifier workspace yet. Create it with: verifier init"
        )
    if current != head:
        raise WorkspaceError(
            f"{display_url} has schema {current}, this verifier expects {head}. "
            "Upgrade it with: verifier init"
        )
