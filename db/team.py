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

**Adding a table?** Give it a line in ``TABLE_GRANTS``: ``team init`` refuses to run while
a table of the workspace has none (tests/team/test_team_grants.py checks every model), and
re-running ``verifier init`` or ``verifier team init`` applies the grants to a team
workspace. Most tables need only ``{}`` (everyone reads; only the owner writes) or
``{"lead": "INSERT, UPDATE, DELETE"}``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, text

from db.chain_sql import execute_plain, schema_q

KINDS = ("owner", "lead", "assistant", "analyst")
GROUPS = ("lead", "assistant", "analyst")  # the ones a reviewer can be a member of

# The columns of ``item`` a decision or a match changes; the values themselves never change.
ITEM_DECISION_COLUMNS = (
    "status, status_changed_by, status_changed_at, suggested_city_id, match_score, "
    "match_band, match_detail, city_id, match_method, match_confirmed_by, "
    "match_confirmed_at, match_digest, version"
)

# Table -> extra privileges per group, beyond SELECT, which every group has on every table.
# A lead also has what an assistant has (lead is a member of assistant).
TABLE_GRANTS: dict[str, dict[str, str]] = {
    "alembic_version": {},
    "team_role": {},
    "reviewer": {},  # role grants: only the administrator (verifier reviewer add)
    "edition": {"lead": "INSERT, UPDATE"},
    "city": {"lead": "INSERT, UPDATE"},
    "edition_city": {"lead": "INSERT, DELETE"},
    # Assistants learn aliases from their city decisions (and forget them on undo); a
    # trigger limits them to learned aliases. Curated ones are the lead's (edition load).
    "city_alias": {"assistant": "INSERT, DELETE", "lead": "UPDATE"},
    "domain": {"lead": "INSERT, UPDATE"},
    "indicator": {"lead": "INSERT, UPDATE"},
    "expert": {"lead": "INSERT, UPDATE, DELETE"},
    "expert_domain_weight": {"lead": "INSERT, DELETE"},
    "expert_indicator_weight": {"lead": "INSERT, DELETE"},
    "source": {"lead": "INSERT, UPDATE"},
    # Each state of a source's metadata, written with its event; append-only (triggers).
    "source_version": {"lead": "INSERT"},
    "import_batch": {"assistant": "INSERT, UPDATE"},
    "rejected_row": {"assistant": "INSERT"},
    # New items arrive unverified (a trigger checks); decisions change only their
    # decision columns, and only together with the event (a check at commit).
    "item": {
        "assistant": f"INSERT, UPDATE ({ITEM_DECISION_COLUMNS})",
        # A lead's seal gives items imported before digests existed their import digest.
        "lead": "UPDATE (import_digest)",
    },
    # Progress tallies: written only by item's triggers (functions run as their owner).
    "item_tally": {},
    "reviewer_tally": {},
    "review_event": {"assistant": "INSERT"},  # never UPDATE or DELETE, for anyone
    "sprint": {"lead": "INSERT"},
    "sprint_assignment": {"lead": "INSERT, UPDATE"},  # UPDATE: reassigning what is left
    "publication": {"lead": "INSERT"},
    "publication_value": {"lead": "INSERT"},
    "publication_evidence": {"lead": "INSERT"},
    "conflict_resolution": {"lead": "INSERT"},
    # QA: leads draw samples and adjudicate; second reviewers (assistants too) record their
    # second decisions. All append-only (triggers), like the review log.
    "qa_sample": {"lead": "INSERT"},
    "qa_frame_item": {"lead": "INSERT"},
    "qa_sample_item": {"lead": "INSERT"},
    "qa_review": {"assistant": "INSERT"},
    "qa_adjudication": {"lead": "INSERT"},
    # Source documents: leads store them (source add, edition load); everyone reads them.
    # Content-addressed, so a stored document is never changed: INSERT only.
    "document": {"lead": "INSERT"},
    "document_chunk": {"lead": "INSERT"},
    "document_page": {"lead": "INSERT"},
    "document_cell": {"lead": "INSERT"},
    # The evidence check's results: derived from items and documents, recomputed after an
    # import (assistants import) and when a document changes, so assistants replace them.
    "evidence_check": {"assistant": "INSERT, UPDATE, DELETE"},
}

# Events only a lead may record, and the one only a role administrator may.
LEAD_ACTIONS = (
    "publish",
    "resolve_conflict",
    "edition_load",
    "source_add",
    "source_change",
    "sprint_create",
    "sprint_reassign",
    "qa_sample",
    "qa_adjudicate",
    "rematch",
    "seal",
)
# Columns naming who did something: in team mode the database writes the login there.
WHO_COLUMNS = {
    "publication": "created_by",
    "conflict_resolution": "resolved_by",
    "import_batch": "imported_by",
    "sprint": "created_by",
    "qa_sample": "created_by",
    "qa_review": "reviewer",
    "qa_adjudication": "adjudicated_by",
    "document": "stored_by",
    "source_version": "recorded_by",
    "evidence_check": "checked_by",
}


@dataclass(frozen=True)
class TeamRoles:
    owner: str
    lead: str
    assistant: str
    analyst: str

    def of(self, kind: str) -> str:
        name: str = getattr(self, kind)
        return name

    @classmethod
    def with_prefix(cls, prefix: str) -> TeamRoles:
        return cls(*(f"{prefix}_{kind}" for kind in KINDS))


def default_prefix(database: str, schema: str) -> str:
    """``verifier_<database>`` (and ``_<schema>`` outside ``public``), folded to
    [a-z0-9_] and short enough for PostgreSQL's 63-byte names."""
    base = f"verifier_{database}" + ("" if schema == "public" else f"_{schema}")
    folded = re.sub(r"[^a-z0-9_]+", "_", base.lower()).strip("_")
    return folded[: 63 - len("_assistant")]


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


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
            "db/team.py TABLE_GRANTS"
        )
    execute_plain(connection, _roles_sql(roles, admin))
    execute_plain(connection, _guards_sql(schema, roles))
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
        execute_plain(connection, _guards_sql(schema, roles))


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
    statements = [f"ALTER TABLE {s}.{quote(t)} OWNER TO {owner}" for t in tables]
    statements += [f"ALTER SEQUENCE {s}.{quote(q)} OWNER TO {owner}" for q in sequences]
    statements += [f"ALTER FUNCTION {f} OWNER TO {owner}" for f in functions]
    statements.append(f"GRANT USAGE, CREATE ON SCHEMA {s} TO {owner}")
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


def _guards_sql(schema: str, roles: TeamRoles) -> list[str]:
    s = schema_q(schema)
    lead = literal(roles.lead)
    is_lead = f"pg_has_role(session_user, {lead}, 'MEMBER')"
    lead_actions = ", ".join(literal(a) for a in LEAD_ACTIONS)
    statements = [
        # What an event may say depends on who records it.
        f"""
CREATE OR REPLACE FUNCTION {s}.verifier_team_event_check(action text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF action IN ({lead_actions}) AND NOT {is_lead} THEN
        RAISE EXCEPTION 'only a lead may record a % event', action
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF action = 'role_grant' AND NOT EXISTS (
        SELECT FROM pg_roles WHERE rolname = session_user AND (rolcreaterole OR rolsuper)
    ) THEN
        RAISE EXCEPTION 'only a role administrator (CREATEROLE) may record a role grant'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
END $$""",
        # Who did it is the login, whatever the client wrote.
        f"""
CREATE OR REPLACE FUNCTION {s}.verifier_team_who() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW := jsonb_populate_record(NEW, jsonb_build_object(TG_ARGV[0], session_user::text));
    RETURN NEW;
END $$""",
        # New items arrive unverified and unconfirmed: a status comes only with an event.
        f"""
CREATE OR REPLACE FUNCTION {s}.verifier_team_new_item() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status <> 'unverified' OR NEW.status_changed_by IS NOT NULL
       OR NEW.match_confirmed_by IS NOT NULL
       OR coalesce(NEW.match_method, 'auto') <> 'auto' THEN
        RAISE EXCEPTION 'item %: a new item is unverified and unconfirmed; decisions are '
            'recorded with verifier item set-status / item match', NEW.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$""",
        # At commit: an item's status and person-confirmed city agree with its log.
        f"""
CREATE OR REPLACE FUNCTION {s}.verifier_team_item_matches_log() RETURNS trigger
LANGUAGE plpgsql SET search_path = {s}, pg_temp AS $$
DECLARE
    now_item item%ROWTYPE;
    decided record;
    matched record;
BEGIN
    SELECT * INTO now_item FROM item WHERE id = NEW.id;
    SELECT new_status, actor INTO decided FROM review_event
        WHERE item_id = NEW.id AND new_status IS DISTINCT FROM old_status
        ORDER BY id DESC LIMIT 1;
    IF coalesce(decided.new_status, 'unverified') <> now_item.status
       OR (decided.actor IS NOT NULL
           AND now_item.status_changed_by IS DISTINCT FROM decided.actor) THEN
        RAISE EXCEPTION 'item %: its status can only change together with the event that '
            'records it (verifier item set-status)', NEW.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT payload->>'new_city' AS city, action INTO matched FROM review_event
        WHERE item_id = NEW.id
          AND (action = 'match' OR (action = 'undo' AND payload->>'undone_action' = 'match'))
        ORDER BY id DESC LIMIT 1;
    IF now_item.match_method IN ('confirmed', 'manual', 'bulk') THEN
        IF matched.city IS DISTINCT FROM now_item.city_id THEN
            RAISE EXCEPTION 'item %: its city can only change together with the event that '
                'records it (verifier item match)', NEW.id
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    ELSIF (OLD.city_id IS DISTINCT FROM NEW.city_id
           OR OLD.match_method IS DISTINCT FROM NEW.match_method)
          AND NOT {is_lead}
          AND matched.city IS DISTINCT FROM now_item.city_id THEN
        RAISE EXCEPTION 'item %: only a lead may match items again automatically', NEW.id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END $$""",
        # Assistants learn and forget their own aliases; curated ones are the lead's.
        f"""
CREATE OR REPLACE FUNCTION {s}.verifier_team_alias() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.origin <> 'learned' AND NOT {is_lead} THEN
            RAISE EXCEPTION 'only a lead may remove a curated alias'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN OLD;
    END IF;
    IF NEW.origin <> 'learned' AND NOT {is_lead} THEN
        RAISE EXCEPTION 'only a lead may add a curated alias'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.origin = 'learned' THEN
        NEW.added_by := session_user;
    END IF;
    RETURN NEW;
END $$""",
        f"DROP TRIGGER IF EXISTS item_team_new ON {s}.item",
        f"CREATE TRIGGER item_team_new BEFORE INSERT ON {s}.item "
        f"FOR EACH ROW EXECUTE FUNCTION {s}.verifier_team_new_item()",
        f"DROP TRIGGER IF EXISTS item_team_log ON {s}.item",
        f"CREATE CONSTRAINT TRIGGER item_team_log AFTER UPDATE ON {s}.item "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
        "WHEN (OLD.status IS DISTINCT FROM NEW.status "
        "OR OLD.status_changed_by IS DISTINCT FROM NEW.status_changed_by "
        "OR OLD.city_id IS DISTINCT FROM NEW.city_id "
        "OR OLD.match_method IS DISTINCT FROM NEW.match_method "
        "OR OLD.match_confirmed_by IS DISTINCT FROM NEW.match_confirmed_by) "
        f"EXECUTE FUNCTION {s}.verifier_team_item_matches_log()",
        f"DROP TRIGGER IF EXISTS city_alias_team ON {s}.city_alias",
        f"CREATE TRIGGER city_alias_team BEFORE INSERT OR DELETE ON {s}.city_alias "
        f"FOR EACH ROW EXECUTE FUNCTION {s}.verifier_team_alias()",
    ]
    for table, column in WHO_COLUMNS.items():
        statements += [
            f"DROP TRIGGER IF EXISTS {table}_team_who ON {s}.{quote(table)}",
            f"CREATE TRIGGER {table}_team_who BEFORE INSERT ON {s}.{quote(table)} "
            f"FOR EACH ROW EXECUTE FUNCTION {s}.verifier_team_who({literal(column)})",
        ]
    return statements
