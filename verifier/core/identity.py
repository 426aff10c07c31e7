"""Who is acting: the reviewer name recorded on every decision, and their role."""

from __future__ import annotations

import getpass

from sqlmodel import Session

from db.models import Reviewer, Role
from verifier.core.errors import PermissionDeniedError
from verifier.core.text import clean_display


def resolve_username(explicit: str | None) -> str:
    """``--user`` or ``VERIFIER_USER`` (already merged into ``explicit``), else the OS user."""
    name = (explicit or "").strip() or getpass.getuser()
    return clean_display(name)[:64]


def ensure_reviewer(session: Session, username: str) -> Reviewer:
    """The reviewer row for ``username``; unknown users join as research assistants."""
    reviewer = session.get(Reviewer, username)
    if reviewer is None:
        reviewer = Reviewer(username=username, role=Role.ASSISTANT)
        session.add(reviewer)
        session.flush()
    return reviewer


def require_role(session: Session, username: str, role: Role, doing: str) -> Reviewer:
    reviewer = ensure_reviewer(session, username)
    if reviewer.role != role:
        raise PermissionDeniedError(
            f"{doing} needs the {role.value} role; '{username}' is a {reviewer.role}. "
            f"A lead can grant it with: verifier reviewer add {username} --role {role.value}"
        )
    return reviewer
