"""The planner's statistics after a large write, on PostgreSQL.

PostgreSQL plans each query from statistics it gathers with ``ANALYZE``; autovacuum runs it
once a table has changed by a tenth. A server with autovacuum off has none after a large
import, and the planner then takes an edition of 250,000 items for a few hundred rows and
chooses plans that read every item for one page of the queue. So after a large write the
table is analysed here, in a transaction of its own, when the login may: only the table's
owner (or the database's) can, which a team reviewer is not. Otherwise it stays the
server's job (autovacuum, or the administrator's ``ANALYZE``); see the README.
"""

from __future__ import annotations

from sqlalchemy import Engine, text

# As autovacuum's defaults (autovacuum_analyze_threshold, autovacuum_analyze_scale_factor):
# a table is analysed once this many rows plus this share of its rows have changed.
BASE_ROWS = 50
SHARE = 0.1

_MAY_ANALYSE = text(
    """
    SELECT c.reltuples
    FROM pg_class c
    WHERE c.oid = to_regclass(:table)
      AND (pg_has_role(current_user, c.relowner, 'USAGE')
           OR pg_has_role(current_user,
                          (SELECT datdba FROM pg_database WHERE datname = current_database()),
                          'USAGE'))
    """
)


def analyse_after_write(engine: Engine, table: str, rows_written: int) -> bool:
    """``ANALYZE table`` when ``rows_written`` is a large change for it (autovacuum's rule;
    a table never analysed always is) and the login owns it. Whether it was analysed."""
    if engine.dialect.name != "postgresql" or rows_written <= 0:
        return False
    with engine.begin() as connection:
        reltuples = connection.execute(_MAY_ANALYSE, {"table": table}).scalar()
        if reltuples is None:  # not the owner, or no such table
            return False
        # reltuples is the row count the last ANALYZE (or VACUUM) saw; -1: never analysed.
        if reltuples >= 0 and rows_written < BASE_ROWS + SHARE * reltuples:
            return False
        connection.exec_driver_sql(f'ANALYZE "{table}"')
    return True
