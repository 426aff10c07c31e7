"""Granting reviewers their roles by hand, rather than from an edition folder.

Every grant or change of role is an audited event (who, when, old role, new role). On
SQLite only a lead grants roles (the first reviewer of a workspace bootstraps as its
lead); in team mode the administrator does (``verifier.core.people.team``).
"""

from __future__ import annotations

from sqlmodel import Session, select

from db.models import Reviewer, Role
from verifier.core.errors import InvalidActionError, PermissionDeniedError
from verifier.core.people.names import confusable_with, normalise_name
from verifier.core.people.roles import record_role_grant, require_role, team_roles


def parse_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        raise InvalidActionError(f"role '{role}' must be assistant, lead or analyst") from None


def check_new_name(session: Session, username: str) -> str:
    """The normalised name, refused when it looks like another reviewer's."""
    name = normalise_name(username)
    others = list(session.exec(select(Reviewer.username)).all())
    lookalike = confusable_with(name, others)
    if lookalike is not None:
        raise InvalidActionError(
            f"'{name}' ({name!a}) looks like the existing reviewer '{lookalike}'; "
            "choose a name that cannot be mistaken for another person's"
        )
    return name


def set_reviewer(
    session: Session, username: str, role: str, display_name: str, granted_by: str
) -> tuple[Reviewer, Role | None]:
    """Add a reviewer or change a role; returns the reviewer and the role before."""
    wanted = parse_role(role)
    if team_roles(session):
        raise PermissionDeniedError(
            "in team mode roles are database roles: run `verifier reviewer add` connected "
            "as the administrator"
        )
    require_role(session, granted_by, Role.LEAD, "setting roles")
    reviewer = session.get(Reviewer, normalise_name(username))
    if reviewer is None:
        reviewer = Reviewer(username=check_new_name(session, username), role=wanted.value)
        old: Role | None = None
    else:
        old = Role(reviewer.role)
    keep_reviewer_row(session, reviewer, old, wanted, display_name, by=granted_by)
    return reviewer, old


def keep_reviewer_row(
    session: Session,
    reviewer: Reviewer,
    old: Role | None,
    wanted: Role,
    display_name: str,
    by: str,
) -> None:
    """The reviewer row in step with the role granted (and the display name, when one is
    given); the grant recorded in the log when the role changed."""
    reviewer.role = wanted.value
    if display_name:
        reviewer.display_name = display_name
    session.add(reviewer)
    session.flush()
    if old != wanted:
        record_role_grant(session, reviewer.username, old, wanted, by=by)
