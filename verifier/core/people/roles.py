"""Reviewers and their roles: who may do what. (The acting name itself: ``identity``.)

On SQLite, and on PostgreSQL before ``verifier team init``, the roles are the reviewer
table's; in team mode they are the login's memberships of the team's group roles, which
the database enforces whatever this code says. Either way a name that is not registered
is refused: a typo never becomes a new reviewer. The one exception is the first person to
act on an empty workspace, who becomes its lead.

A decision looks its actor's role up once per connection and half a minute, not once per
decision: on a server 20 ms away each lookup would cost a round trip.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, select

from db import direct
from db.models import Reviewer, Role, TeamRole
from verifier.core.errors import PermissionDeniedError
from verifier.core.eventlog.append import record_event
from verifier.core.people.names import close_matches, confusable_with, normalise_name

RANK = {Role.ANALYST: 0, Role.ASSISTANT: 1, Role.LEAD: 2}
_TTL_SECONDS = 30.0
_ROLES_KEY = "verifier.people.roles"
_TEAM_KEY = "verifier.people.team"
_generation = [0]  # bumped by every role change made in this process


def roles_changed() -> None:
    """Forget the roles looked up so far (call after granting or changing one)."""
    _generation[0] += 1


def team_roles(session: Session) -> dict[str, str] | None:
    """Team mode: the workspace's group role names by kind; None outside team mode."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    info = _connection_info(session)
    cached = info.get(_TEAM_KEY)
    if cached is not None and cached[1] == _generation[0]:
        roles: dict[str, str] | None = cached[0]
        return roles
    rows = session.exec(select(TeamRole.kind, TeamRole.role_name)).all()
    roles = dict(rows) or None
    info[_TEAM_KEY] = (roles, _generation[0])
    return roles


def session_login(session: Session) -> str:
    login: str = session.execute(text("SELECT session_user")).scalar_one()
    return login


def team_login(session: Session) -> str | None:
    """Team mode: the login the session acts as; None outside it (SQLite, or PostgreSQL
    before ``team init``). The driver path's statement, so both paths answer alike."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    return direct.team_login_of(tuple(session.execute(text(direct.TEAM_LOGIN_SQL)).one()))


def reviewer_role(session: Session, username: str) -> Role | None:
    """The role of ``username``, or None if not registered (cached, see above)."""
    info = _connection_info(session)
    cache: dict[str, Any] = info.setdefault(_ROLES_KEY, {})
    known = cache.get(username)
    now = time.monotonic()
    if known is not None and known[1] == _generation[0] and now - known[2] < _TTL_SECONDS:
        role: Role | None = known[0]
        return role
    team = team_roles(session)
    role = _team_role(session, username, team) if team else _table_role(session, username)
    cache[username] = (role, _generation[0], now)
    return role


def _table_role(session: Session, username: str) -> Role | None:
    value = session.exec(select(Reviewer.role).where(Reviewer.username == username)).first()
    return Role(value) if value else None


def _team_role(session: Session, username: str, team: dict[str, str]) -> Role | None:
    login = team_login(session)
    if username != login:
        raise PermissionDeniedError(
            f"in team mode you act as your database login ('{login}'), not as '{username}'"
        )
    kinds = set(
        session.execute(
            text(
                "SELECT kind FROM team_role WHERE kind <> 'owner' "
                "AND pg_has_role(session_user, role_name, 'MEMBER')"
            )
        ).scalars()
    )
    for kind in (Role.LEAD, Role.ASSISTANT, Role.ANALYST):
        if kind.value in kinds:
            return kind
    return None


def ensure_reviewer(session: Session, username: str) -> Role:
    """The role of a registered reviewer. The first person to act on a workspace without
    reviewers becomes its lead; any other unknown name is refused, with close matches."""
    role = reviewer_role(session, username)
    if role is not None:
        return role
    if team_roles(session):
        raise PermissionDeniedError(
            f"the login '{username}' has no role in this workspace. The administrator "
            f"grants one with: verifier reviewer add {username} --role assistant"
        )
    known = list(session.exec(select(Reviewer.username)).all())
    if not known:
        bootstrap_lead(session, username)
        return Role.LEAD
    raise PermissionDeniedError(unknown_reviewer_message(username, known))


def require_registered(session: Session, username: str) -> Role:
    """Someone else named in an action (a sprint's assignee): a registered reviewer."""
    value = session.exec(select(Reviewer.role).where(Reviewer.username == username)).first()
    if value is None:
        known = list(session.exec(select(Reviewer.username)).all())
        raise PermissionDeniedError(unknown_reviewer_message(username, known))
    return Role(value)


def unknown_reviewer_message(username: str, known: list[str]) -> str:
    lookalike = confusable_with(username, known)
    if lookalike is not None:
        return (
            f"'{username}' is not a reviewer of this workspace; it looks like "
            f"'{lookalike}' but is spelled with other characters ({username!a})"
        )
    close = close_matches(username, known)
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    return (
        f"'{username}' is not a reviewer of this workspace.{hint} A lead registers reviewers "
        f"with: verifier reviewer add NAME --role assistant (see: verifier reviewer list)"
    )


def bootstrap_lead(session: Session, username: str) -> None:
    """The first reviewer of a workspace: its lead, with the grant in the audit trail."""
    name = normalise_name(username)
    session.add(Reviewer(username=name, role=Role.LEAD))
    session.flush()
    record_role_grant(session, name, None, Role.LEAD, by=name, note="first reviewer")


def record_role_grant(
    session: Session, username: str, old: Role | None, new: Role, *, by: str, note: str = ""
) -> None:
    """A role grant is an event of the whole workspace: who, when, old role, new role."""
    record_event(
        session,
        edition_id=None,
        actor=by,
        action="role_grant",
        note=note,
        payload={"reviewer": username, "old_role": old.value if old else None, "new_role": new},
    )
    roles_changed()


def require_role(session: Session, username: str, role: Role, doing: str) -> Role:
    actual = ensure_reviewer(session, username)
    if RANK[actual] < RANK[role]:
        who = "The administrator" if team_roles(session) else "A lead"
        raise PermissionDeniedError(
            f"{doing} needs the {role.value} role; '{username}' is {_article(actual)} "
            f"{actual.value}. {who} can grant it with: "
            f"verifier reviewer add {username} --role {role.value}"
        )
    return actual


def require_decider(session: Session, username: str, doing: str = "recording a decision") -> Role:
    """Recording decisions, notes and matches, and importing: an assistant or a lead."""
    return require_role(session, username, Role.ASSISTANT, doing)


def _article(role: Role) -> str:
    return "an" if role.value[0] in "aeiou" else "a"


def _connection_info(session: Session) -> dict[Any, Any]:
    info: dict[Any, Any] = session.connection().info
    return info
