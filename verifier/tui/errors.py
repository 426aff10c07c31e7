"""Turning what went wrong in a worker into a sentence the reviewer can act on."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from verifier.core.concurrency import explain_database_error, is_role_refusal
from verifier.core.errors import StaleItemError, VerifierError


@dataclass(frozen=True)
class Problem:
    message: str
    severity: str  # "warning" or "error"
    stale: bool = False


def explain(error: BaseException, doing: str) -> Problem:
    """What to tell the reviewer when ``doing`` (e.g. "saving the decision") failed."""
    if isinstance(error, StaleItemError | StaleDataError):
        # Said once: the domain's own wording of the same fact is not repeated after it.
        return Problem(
            "Not saved: someone else changed this item while you were looking at it. "
            "It has been reloaded; check it again and decide.",
            "warning",
            stale=True,
        )
    if isinstance(error, VerifierError):
        return Problem(str(error), "warning")
    if isinstance(error, OperationalError) and "locked" in str(error.orig).lower():
        return Problem(
            f"The workspace is locked by another program (an import or another writer) "
            f"and stayed locked too long; {doing} did not happen. Try again in a moment.",
            "error",
        )
    if isinstance(error, DBAPIError) and is_role_refusal(error):
        said = explain_database_error(error)
        return Problem(said[:1].upper() + said[1:] + ".", "warning")
    if isinstance(error, DBAPIError):
        return Problem(f"The workspace database failed while {doing}: {error.orig}", "error")
    return Problem(f"Unexpected error while {doing}: {type(error).__name__}: {error}", "error")
