"""Reviewers and their roles: who may do what. (The acting name itself: ``actor``.)"""

from __future__ import annotations

from sqlmodel import Session

from db.models import Reviewer, Role
from verifier.core.errors import PermissionDeniedError
from verifier.core.people.actor import resolve_username

__all__ = ["ensure_reviewer", "require_role", "resolve_username"]


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
            f"{doing} needs the {role.value} role; '{username}' is {_a(str(reviewer.role))}. "
            f"A lead can grant it with: verifier reviewer add {username} --role {role.value}"
        )
    return reviewer


def _a(noun: str) -> str:
    """``noun`` with its indefinite article: "a lead", "an assistant"."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"
