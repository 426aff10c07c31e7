"""Who is acting, resolved once per command or UI session.

- Team mode (PostgreSQL after ``verifier team init``): the database login, always.
  Asking for another name (``--user``, ``VERIFIER_USER``, ``user`` in the config) is an
  error; the database records the login on every event whatever a client sends.
- Otherwise (SQLite, a single machine): the OS user, or ``--user NAME`` for a registered
  reviewer. An unknown name is refused with the close matches; on a workspace without
  reviewers the first person to act becomes its lead.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from db.models import Reviewer, Role
from verifier.core.errors import PermissionDeniedError
from verifier.core.people.actor import refuse_other_than_login, requested_name
from verifier.core.people.names import normalise_name
from verifier.core.people.roles import reviewer_role, team_login, unknown_reviewer_message
from verifier.core.workspace import Workspace


@dataclass(frozen=True)
class Identity:
    name: str
    # None: the workspace has no reviewer yet; this person's first write makes them its lead.
    role: Role | None
    team: bool


def resolve_identity(workspace: Workspace, explicit: str | None) -> Identity:
    with workspace.reading() as session:
        login = team_login(session)
        if login is not None:
            refuse_other_than_login(login, explicit)
            role = reviewer_role(session, login)
            if role is None:
                raise PermissionDeniedError(
                    f"the login '{login}' has no role in this workspace. The administrator "
                    f"grants one with: verifier reviewer add {login} --role assistant"
                )
            return Identity(login, role, team=True)
        name = normalise_name(requested_name(explicit))
        role = reviewer_role(session, name)
        if role is not None:
            return Identity(name, role, team=False)
        known = list(session.exec(select(Reviewer.username)).all())
    if known:
        raise PermissionDeniedError(unknown_reviewer_message(name, known))
    return Identity(name, None, team=False)
