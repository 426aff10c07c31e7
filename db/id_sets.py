"""``column IN (ids)`` as one parameter, however many ids.

SQLAlchemy's IN renders a parameter per id and the driver parses each of them: for a page
of a thousand ids that costs more than the query. A single parameter keeps the statement
the same for every page, so it is built, compiled and prepared once: an array on
PostgreSQL, a JSON list read by ``json_each`` on SQLite, each written as text (the driver
would dump a list element by element). Both are read as primary-key lookups.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement

ID_SET = "id_set"  # the parameter's name: give it ``id_set(ids, dialect)``


def id_in(column: Any, dialect: str) -> ColumnElement[bool]:
    """``column`` is one of the ids given as the ``ID_SET`` parameter."""
    # Loaded here: a listing read through the driver needs only ``id_set``.
    from sqlalchemy import Integer, any_, bindparam, cast, func, select
    from sqlalchemy.dialects.postgresql import ARRAY

    if dialect == "postgresql":
        # Untyped: the server reads the text as an array constant and plans for its length.
        return column == any_(cast(bindparam(ID_SET), ARRAY(Integer)))
    listed: Any = bindparam(ID_SET, type_=None)
    found = func.json_each(listed).table_valued("value")
    return column.in_(select(found.c.value))


def id_set(ids: Sequence[int], dialect: str) -> Any:
    """The ``ID_SET`` parameter's value for ``ids`` (integers)."""
    listed = ",".join(map(str, map(int, ids)))  # int: nothing else can get in
    return f"{{{listed}}}" if dialect == "postgresql" else f"[{listed}]"
