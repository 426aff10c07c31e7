"""Team mode's guard functions and triggers: what an event may say depends on who records
it, who did something is the login, and items change only as decisions allow."""

from __future__ import annotations

import textwrap

from db.chain_sql import schema_q
from db.team_policy import LEAD_ACTIONS, WHO_COLUMNS, TeamRoles, literal, quote


def guards_sql(schema: str, roles: TeamRoles) -> list[str]:
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
{_curated_alias_guard("OLD", "remove", is_lead, indent=8)}
        RETURN OLD;
    END IF;
{_curated_alias_guard("NEW", "add", is_lead, indent=4)}
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


def _curated_alias_guard(row: str, verb: str, is_lead: str, *, indent: int) -> str:
    """The alias guard, alike for a removed (``OLD``) and an added (``NEW``) alias."""
    guard = f"""\
IF {row}.origin <> 'learned' AND NOT {is_lead} THEN
    RAISE EXCEPTION 'only a lead may {verb} a curated alias'
        USING ERRCODE = 'insufficient_privilege';
END IF;"""
    return textwrap.indent(guard, " " * indent)
