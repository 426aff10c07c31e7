"""Team mode on PostgreSQL: ``verifier team init`` and the administrator's role grants.

The SQL (roles, grants, guards) is in ``db/team.py``; this module checks who runs it, says
what is missing in words a person can act on, and records role grants in the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel import Session

from db import team as team_sql
from db.chain_sql import execute_plain
from db.models import Reviewer, Role
from verifier.core.errors import InvalidActionError, PermissionDeniedError, WorkspaceError
from verifier.core.people.reviewers import check_new_name, keep_reviewer_row, parse_role
from verifier.core.people.roles import roles_changed, session_login, team_roles
from verifier.core.workspace import Workspace


@dataclass(frozen=True)
class TeamSetup:
    roles: team_sql.TeamRoles
    admin: str
    schema: str
    created: bool  # False: an existing team set-up was brought up to date


def _require_postgres(workspace: Workspace) -> None:
    if workspace.backend != "postgresql":
        raise WorkspaceError(
            "team mode needs a PostgreSQL workspace; a SQLite file is a single-machine "
            "workspace (see README, Team set-up)"
        )


def _can_create_roles(session: Session) -> bool:
    return bool(
        session.execute(
            text("SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user")
        ).scalar_one()
    )


def init_team(workspace: Workspace, prefix: str | None = None) -> TeamSetup:
    """Create (or bring up to date) the team's roles, grants and guards. Run by the
    database owner, who needs CREATEROLE (or superuser)."""
    _require_postgres(workspace)
    workspace.check_schema()
    with workspace.session() as session:
        admin, database, schema = session.execute(
            text("SELECT current_user, current_database(), current_schema()")
        ).one()
        if not _can_create_roles(session):
            raise PermissionDeniedError(
                f"'{admin}' cannot create roles: team init needs a login with CREATEROLE "
                "(or a superuser) that owns the workspace's tables"
            )
        existing = team_roles(session)
        if existing:
            roles = team_sql.TeamRoles(*(existing[k] for k in team_sql.KINDS))
        else:
            roles = team_sql.TeamRoles.with_prefix(
                prefix or team_sql.default_prefix(database, schema)
            )
        try:
            team_sql.install(session.connection(), schema, roles, admin)
        except ValueError as error:
            raise WorkspaceError(str(error)) from None
    roles_changed()
    return TeamSetup(roles, admin, schema, created=not existing)


def add_team_reviewer(
    workspace: Workspace, username: str, role: str, display_name: str
) -> tuple[Reviewer, Role | None]:
    """Create or alter the login role and its membership, keep the reviewer row in step,
    and record the grant. Run by a login with CREATEROLE (the administrator)."""
    wanted = parse_role(role)
    with workspace.session() as session:
        roles = team_roles(session)
        assert roles is not None, "called in team mode only"
        admin = session_login(session)
        if not _can_create_roles(session):
            raise PermissionDeniedError(
                f"'{admin}' lacks CREATEROLE: adding a reviewer in team mode creates or "
                "alters a PostgreSQL login, which only a role administrator can do. Ask the "
                f"administrator to run: verifier reviewer add {username} --role {wanted.value}"
            )
        reviewer = session.get(Reviewer, username)
        name = reviewer.username if reviewer else check_new_name(session, username)
        if name in roles.values():
            raise InvalidActionError(f"'{name}' is one of the team's group roles, not a person")
        old = _current_group(session, name, roles)
        quoted = team_sql.quote(name)
        exists = session.execute(
            text("SELECT count(*) FROM pg_roles WHERE rolname = :n"), {"n": name}
        ).scalar_one()
        statements = [] if exists else [f"CREATE ROLE {quoted} LOGIN"]
        statements += [
            f"REVOKE {team_sql.quote(roles[k.value])} FROM {quoted}"
            for k in (Role.LEAD, Role.ASSISTANT, Role.ANALYST)
            if k != wanted
        ]
        statements.append(f"GRANT {team_sql.quote(roles[wanted.value])} TO {quoted}")
        execute_plain(session.connection(), statements)
        if reviewer is None:
            reviewer = Reviewer(username=name)
        keep_reviewer_row(session, reviewer, old, wanted, display_name, by=admin)
    roles_changed()
    return reviewer, old


def _current_group(session: Session, name: str, roles: dict[str, str]) -> Role | None:
    """The group ``name`` belongs to directly (None for a new login)."""
    direct = set(
        session.execute(
            text(
                "SELECT g.rolname FROM pg_auth_members m "
                "JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member "
                "WHERE u.rolname = :n"
            ),
            {"n": name},
        ).scalars()
    )
    for kind in (Role.LEAD, Role.ASSISTANT, Role.ANALYST):
        if roles[kind.value] in direct:
            return kind
    return None
