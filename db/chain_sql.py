"""On PostgreSQL the database links review events into the hash chain itself, at COMMIT.

Why: a client that reads the chain's head, hashes and inserts holds the append lock across
its network round trips; with a server 10-30 ms away that caps a whole team at a few dozen
decisions a second. Here a deferred trigger takes the lock when the transaction commits,
inside the server, for microseconds, and every event gets its link whoever inserted it.

The bytes hashed are exactly those of ``verifier.core.eventlog.hashing`` (scheme 1, specified
in docs/provenance.md): the client stores the payload as its canonical JSON text in a
``json`` column, which PostgreSQL keeps verbatim, and ``verifier_event_text`` writes the
other fields around it as Python's ``json.dumps(..., sort_keys=True, separators=(",", ":"),
ensure_ascii=False)`` does (``to_json`` escapes strings the same way). ``audit verify``
recomputes every hash in Python, so a disagreement could not go unnoticed.

After each link the trigger sends ``NOTIFY verifier_events, '<schema>'``: the review UI
listens, and shows colleagues' decisions as they commit.

Migrations call these functions; keep their SQL stable (add new functions rather than
changing what an existing migration emits).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

CHAIN_LOCK_KEY = 38117  # with hashtext(schema): the same lock as verifier.core.eventlog.chain
NOTIFY_CHANNEL = "verifier_events"
GENESIS = "0" * 64


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def chain_sql(schema: str) -> list[str]:
    """Functions and triggers that make PostgreSQL link every new review event."""
    where = _literal(schema)
    return [
        # The canonical JSON of an event at position p_seq after p_prev (scheme 1).
        """
CREATE OR REPLACE FUNCTION verifier_event_text(e review_event, p_seq bigint, p_prev text)
RETURNS text LANGUAGE sql STABLE AS $$
SELECT '{"action":' || to_json(e.action)::text
    || ',"actor":' || to_json(e.actor)::text
    || ',"created_at":' || to_json(to_char(e.created_at AT TIME ZONE 'UTC',
                                           'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text
    || ',"edition_id":' || coalesce(e.edition_id::text, 'null')
    || ',"item_id":' || coalesce(e.item_id::text, 'null')
    || ',"new_status":' || coalesce(to_json(e.new_status)::text, 'null')
    || ',"note":' || to_json(e.note)::text
    || ',"old_status":' || coalesce(to_json(e.old_status)::text, 'null')
    || ',"payload":' || e.payload::text
    || ',"prev_hash":' || to_json(p_prev)::text
    || ',"reason":' || to_json(e.reason)::text
    || ',"scheme":1,"seq":' || p_seq::text || '}'
$$""",
        # Before the insert: the chain columns belong to the database. In team mode the
        # actor is the login and the time is the server's, whatever the client sent.
        f"""
CREATE OR REPLACE FUNCTION verifier_event_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.seq := NULL;
    NEW.prev_hash := NULL;
    NEW.hash := NULL;
    IF EXISTS (SELECT 1 FROM {schema_q(schema)}.team_role) THEN
        NEW.actor := session_user;
        NEW.created_at := clock_timestamp();
        PERFORM {schema_q(schema)}.verifier_team_event_check(NEW.action);
    END IF;
    RETURN NEW;
END $$""",
        # At COMMIT: take the append lock, read the head (a fresh snapshot: this function
        # is volatile), and fill in the link.
        f"""
CREATE OR REPLACE FUNCTION verifier_chain_event() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema_q(schema)}, pg_temp AS $$
DECLARE
    head_seq bigint;
    head_hash text;
BEGIN
    PERFORM pg_advisory_xact_lock({CHAIN_LOCK_KEY}, hashtext({where}));
    SELECT seq, hash INTO head_seq, head_hash FROM review_event
        WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1;
    head_seq := coalesce(head_seq, 0) + 1;
    head_hash := coalesce(head_hash, '{GENESIS}');
    UPDATE review_event
        SET seq = head_seq,
            prev_hash = head_hash,
            hash = encode(sha256(convert_to(
                verifier_event_text(NEW, head_seq, head_hash), 'UTF8')), 'hex')
        WHERE id = NEW.id;
    PERFORM pg_notify('{NOTIFY_CHANNEL}', {where});
    RETURN NULL;
END $$""",
        # The append-only guard of review_event, with one exception: the link written by
        # the function above (called from a trigger, to rows not linked yet, changing
        # nothing else).
        """
CREATE OR REPLACE FUNCTION verifier_review_event_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND pg_trigger_depth() > 1
       AND OLD.seq IS NULL AND OLD.prev_hash IS NULL AND OLD.hash IS NULL
       AND NEW.seq IS NOT NULL
       AND (NEW.id, NEW.edition_id, NEW.item_id, NEW.actor, NEW.action, NEW.old_status,
            NEW.new_status, NEW.note, NEW.reason, NEW.payload::text, NEW.created_at)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.edition_id, OLD.item_id, OLD.actor, OLD.action, OLD.old_status,
            OLD.new_status, OLD.note, OLD.reason, OLD.payload::text, OLD.created_at)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END $$""",
        # Outside team mode nothing is checked; team init replaces this function.
        """
CREATE OR REPLACE FUNCTION verifier_team_event_check(action text) RETURNS void
LANGUAGE sql AS $$ SELECT $$""",
        "DROP TRIGGER IF EXISTS review_event_no_change ON review_event",
        "CREATE TRIGGER review_event_no_change BEFORE UPDATE OR DELETE ON review_event "
        "FOR EACH ROW EXECUTE FUNCTION verifier_review_event_guard()",
        "CREATE TRIGGER review_event_server_fields BEFORE INSERT ON review_event "
        "FOR EACH ROW EXECUTE FUNCTION verifier_event_insert()",
        "CREATE CONSTRAINT TRIGGER review_event_link AFTER INSERT ON review_event "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION verifier_chain_event()",
    ]


def unchain_sql() -> list[str]:
    """The reverse of :func:`chain_sql` (for downgrades): the client links events again."""
    return [
        "DROP TRIGGER IF EXISTS review_event_link ON review_event",
        "DROP TRIGGER IF EXISTS review_event_server_fields ON review_event",
        "DROP TRIGGER IF EXISTS review_event_no_change ON review_event",
        "CREATE TRIGGER review_event_no_change BEFORE UPDATE OR DELETE ON review_event "
        "FOR EACH ROW EXECUTE FUNCTION verifier_refuse_change()",
        "DROP FUNCTION IF EXISTS verifier_review_event_guard()",
        "DROP FUNCTION IF EXISTS verifier_chain_event()",
        "DROP FUNCTION IF EXISTS verifier_event_insert()",
        "DROP FUNCTION IF EXISTS verifier_team_event_check(text)",
        "DROP FUNCTION IF EXISTS verifier_event_text(review_event, bigint, text)",
    ]


def schema_q(schema: str) -> str:
    """A schema name as a quoted SQL identifier."""
    return '"' + schema.replace('"', '""') + '"'


def execute_plain(connection: Connection, statements: Iterable[str]) -> None:
    """Run SQL exactly as written, on the driver's own cursor: function bodies hold ``%``,
    colons and quotes that no layer must take for parameters."""
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    driver_error = connection.dialect.loaded_dbapi.Error
    try:
        for statement in statements:
            try:
                cursor.execute(statement)
            except driver_error as error:
                # As SQLAlchemy's own error, which callers explain (a permission the server
                # refused, say) instead of letting a driver traceback through.
                raise DBAPIError.instance(statement, None, error, driver_error) from error
    finally:
        cursor.close()
