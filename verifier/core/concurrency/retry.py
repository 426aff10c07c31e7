"""Several people write to one workspace at once. What can go wrong, and what is done:

- a serialisation failure or a deadlock (PostgreSQL), a lock wait that ran out (SQLite),
  or a pooled connection the server had dropped: the transaction was rolled back whole,
  so it is run again from the start, a few times, after a short random pause (if the
  connection dropped during COMMIT, the versions below make a second attempt a stale item,
  never a second change);
- a stale item (someone else changed it since it was read, ``StaleItemError`` or the ORM's
  ``StaleDataError``): never retried blindly, because the decision was made on what the
  person saw; the caller reports it for that item and goes on with the others.

Retried work must be a function of a fresh session that reads what it needs again and
passes the versions the person saw (``expected_version``): a change in between then
shows as a stale item on the next attempt instead of being overwritten.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session

from verifier.core.errors import PermissionDeniedError, StaleItemError
from verifier.core.workspace import Workspace

T = TypeVar("T")

SERIALIZATION_FAILURE = "40001"
DEADLOCK_DETECTED = "40P01"
INSUFFICIENT_PRIVILEGE = "42501"
ATTEMPTS = 5
BASE_DELAY = 0.02  # seconds; doubled at each attempt, with jitter


def _sqlstate(error: BaseException) -> str | None:
    code = getattr(getattr(error, "orig", None), "sqlstate", None)
    return code if isinstance(code, str) else None


def is_retryable(error: BaseException) -> bool:
    """Nothing was saved and running the same work again is safe."""
    if _sqlstate(error) in (SERIALIZATION_FAILURE, DEADLOCK_DETECTED):
        return True
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True  # a pooled connection the server dropped; the pool replaces it
    return isinstance(error, OperationalError) and "database is locked" in str(error.orig)


def is_stale(error: BaseException) -> bool:
    return isinstance(error, StaleItemError | StaleDataError)


def is_role_refusal(error: BaseException) -> bool:
    """The login's role did not allow the write: refused by the domain, or by PostgreSQL
    itself in team mode (a role changed since the person's session began, say)."""
    return isinstance(error, PermissionDeniedError) or _sqlstate(error) == INSUFFICIENT_PRIVILEGE


def with_retries(workspace: Workspace, work: Callable[[Session], T], attempts: int = ATTEMPTS) -> T:
    """Run ``work`` in a write transaction, again when it failed in a way that is safe to
    retry (see the module's docstring). Other errors go to the caller at once."""
    for attempt in range(1, attempts + 1):
        try:
            with workspace.session() as session:
                return work(session)
        except DBAPIError as error:
            if attempt == attempts or not is_retryable(error):
                raise
        time.sleep(BASE_DELAY * 2 ** (attempt - 1) * (0.5 + random.random()))
    raise AssertionError("unreachable")


def explain_database_error(error: DBAPIError) -> str:
    """One line a person can act on, for a database error that reached the surface."""
    detail = str(error.orig).strip().splitlines()[0] if error.orig is not None else ""
    code = _sqlstate(error)
    if code == INSUFFICIENT_PRIVILEGE:
        return (
            f"the database refused: {detail}. Your login's role does not allow this "
            "(see: verifier reviewer list)"
        )
    if code in (SERIALIZATION_FAILURE, DEADLOCK_DETECTED):
        return (
            "colleagues' changes to the same items kept conflicting with this one, which "
            f"was not saved; run it again ({detail})"
        )
    if isinstance(error, OperationalError):
        if "database is locked" in detail:
            return (
                "the workspace stayed locked by another writer (an import?) and nothing was "
                "saved; run it again in a moment"
            )
        return f"cannot use the workspace database: {detail}"
    return f"the database refused this: {detail}"
