"""Granting reviewers their roles by hand, rather than from an edition folder."""

from __future__ import annotations

from sqlmodel import Session, select

from db.models import Reviewer, Role
from verifier.core.errors import InvalidActionError
from verifier.core.people.roles import require_role


def set_reviewer(
    session: Session, username: str, role: str, display_name: str, granted_by: str
) -> Reviewer:
    try:
        wanted = Role(role)
    except ValueError:
        raise InvalidActionError(f"role '{role}' must be assistant or lead") from None
    has_lead = session.exec(select(Reviewer).where(Reviewer.role == Role.LEAD)).first() is not None
    # The first lead bootstraps the workspace; after that, only leads hand out roles.
    if has_lead:
        require_role(session, granted_by, Role.LEAD, "setting roles")
    reviewer = session.get(Reviewer, username) or Reviewer(username=username)
    reviewer.role = wanted.value
    if display_name:
        reviewer.display_name = display_name
    session.add(reviewer)
    session.flush()
    return reviewer
