"""Errors a user can act on. Their messages are shown as they are, so they must say what to do."""

from __future__ import annotations


class VerifierError(Exception):
    """Base class: anything the CLI or UI should show the user rather than a traceback."""

    exit_code = 1


class WorkspaceError(VerifierError):
    """The workspace is missing, unreachable, locked or at the wrong schema version."""


class WorkspaceBusyError(WorkspaceError):
    """Another writer held the workspace's write lock for longer than this one would wait."""


class NotFoundError(VerifierError):
    """A named edition, item, city, publication... does not exist."""


class PermissionDeniedError(VerifierError):
    """The acting user's role does not allow the action."""


class InputFileError(VerifierError):
    """A file given to us cannot be read at all (as opposed to individual bad rows)."""


class StaleItemError(VerifierError):
    """Someone else changed the item since it was read; the decision was not saved."""


class InvalidActionError(VerifierError):
    """The action makes no sense in the item's current state (e.g. reject without a reason)."""
