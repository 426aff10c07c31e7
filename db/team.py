"""Team mode on PostgreSQL: the roles, grants and guard functions ``verifier team init``
installs, so that the database itself enforces who may do what.

Roles (names start with the workspace's prefix, because roles belong to the whole server):

- ``<p>_owner`` owns every table and function; nobody logs in as it. Only an owner can
  disable a trigger, so no reviewer can switch the append-only guards off.
- ``<p>_analyst`` reads everything.
- ``<p>_assistant`` (a member of analyst) records decisions, notes and match changes, and
  imports items.
- ``<p>_lead`` (a member of assistant) also publishes, resolves conflicts, loads editions
  and manages sources and sprints.

Reviewers are login roles, members of one of these groups (``verifier reviewer add``).

**Adding a table?** Give it a line in ``TABLE_GRANTS`` (``db.team_policy``): ``team init``
refuses to run while a table of the workspace has none (tests/team/test_team_grants.py
checks every model), and re-running ``verifier init`` or ``verifier team init`` applies the
grants to a team workspace. Most tables need only ``{}`` (everyone reads; only the owner writes) or
``{"lead": "INSERT, UPDATE, DELETE"}``.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from db.chain_sql import execute_plain, schema_q
from db.team_guards import guards_sql
from db.team_policy import (
    GROUPS,
    ITEM_DECISION_COLUMNS,
    KINDS,
    LEAD_ACTIONS,
    TABLE_GRANTS,
    WHO_COLUMNS,
    TeamRoles,
    default_prefix,
    literal,
    quote,
)

__all__ = [
    "GROUPS", "ITEM_DECISION_COLUMNS", "KINDS", "LEAD_ACTIONS", "TABLE_GRANTS", "WHO_COLUMNS",
    "TeamRoles", "default_prefix", "install", "literal", "missing_policies", "quote",
    "refresh_guards",
]  # fmt: skip


def missing_policies(connection: Connection, schema: str) -> list[str]:
    """Tables of the workspace that ``TABLE_GRANTS`` does not cover."""
    names = connection.execute(
        text("SELECT tablename FROM pg_tables WHERE schemaname = :s ORDER BY tablename"),
        {"s": schema},
    ).scalars()
    return [name for name in names if name not in TABLE_GRANTS]


def install(connection: Connection, schema: str, roles: TeamRoles, admin: str) -> None:
    """Create the roles (if new), hand every object to the owner role, grant, and install
    the guards. Idempotent: run again after an upgrade to cover new tables."""
    missing = missing_policies(connection, schema)
    if missing:
        raise ValueError(
            f"no team-mode grants for table(s) {', '.join(missing)}: add them to "
            "db/team_policy.py TABLE_GRANTS"
        )
    execute_plain(connection, _roles_sql(roles, admin))
    execute_plain(connection, guards_sql(schema, roles))
    execute_plain(connection, _ownership_sql(connection, schema, roles))
    execute_plain(connection, _grants_sql(schema, roles))
    execute_plain(
        connection,
        ["DELETE FROM team_role"]
        + [
            f"INSERT INTO team_role (kind, role_name) VALUES ({literal(k)}, {literal(roles.of(k))})"
            for k in KINDS
        ],
    )


def refresh_guards(connection: Connection, schema: str) -> None:
    """Re-install the guard functions of an existing team workspace (a migration that
    changes what they allow); nothing outside team mode."""
    rows = connection.execute(text("SELECT kind, role_name FROM team_role")).all()
    names: dict[str, str] = {str(kind): str(name) for kind, name in rows}
    if all(kind in names for kind in KINDS):
        roles = TeamRoles(*(names[kind] for kind in KINDS))
        execute_plain(connection, guards_sql(schema, roles))


def _roles_sql(roles: TeamRoles, admin: str) -> list[str]:
    statements = []
    for kind in KINDS:
        name = roles.of(kind)
        statements.append(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {literal(name)}) "
            f"THEN CREATE ROLE {quote(name)} NOLOGIN; END IF; END $$"
        )
    statements += [
        f"GRANT {quote(roles.analyst)} TO {quote(roles.assistant)}",
        f"GRANT {quote(roles.assistant)} TO {quote(roles.lead)}",
        # The administrator acts as the owner for upgrades (verifier init).
        f"GRANT {quote(roles.owner)} TO {quote(admin)}",
    ]
    return statements


def _ownership_sql(connection: Connection, schema: str, roles: TeamRoles) -> list[str]:
    owner, s = quote(roles.owner), schema_q(schema)
    tables = connection.execute(
        text("SELECT tablename FROM pg_tables WHERE schemaname = :s"), {"s": schema}
    ).scalars()
    sequences = connection.execute(
        text("SELECT sequencename FROM pg_sequences WHERE schemaname = :s"), {"s": schema}
    ).scalars()
    functions = connection.execute(
        text(
            "SELECT p.oid::regprocedure::text FROM pg_proc p "
            "JOIN pg_namespace n ON n.oid = p.pronamespace "
            "WHERE n.nspname = :s AND p.proname LIKE 'verifier\\_%'"
        ),
        {"s": schema},
    ).scalars()
    # First: PostgreSQL gives an object to a role only if that role may create in the
    # schema, which a superuser is never asked but the administrator's login is.
    statements = [f"GRANT USAGE, CREATE ON SCHEMA {s} TO {owner}"]
    statements += [f"ALTER TABLE {s}.{quote(t)} OWNER TO {owner}" for t in tables]
    statements += [f"ALTER SEQUENCE {s}.{quote(q)} OWNER TO {owner}" for q in sequences]
    statements += [f"ALTER FUNCTION {f} OWNER TO {owner}" for f in functions]
    return statements


def _grants_sql(schema: str, roles: TeamRoles) -> list[str]:
    s = schema_q(schema)
    groups = ", ".join(quote(roles.of(k)) for k in GROUPS)
    statements = [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM PUBLIC, {groups}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {s} FROM PUBLIC, {groups}",
        f"GRANT USAGE ON SCHEMA {s} TO {quote(roles.analyst)}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA {s} TO {quote(roles.analyst)}",
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {s} TO {quote(roles.assistant)}",
    ]
    for table, extra in TABLE_GRANTS.items():
        for kind, privileges in extra.items():
            statements.append(
                f"GRANT {privileges} ON {s}.{quote(table)} TO {quote(roles.of(kind))}"
            )
    return statements
