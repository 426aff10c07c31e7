"""The edition a fast-started command (``status``, a plain ``items``) reads through the
driver: opened after the checks every such command makes, or None when the engine must
do the command instead."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from db.direct import Target
    from verifier.cli.context import CliState
    from verifier.core.review.summary import EditionLine


@dataclass(frozen=True)
class DirectEdition:
    connection: Any
    target: Target
    edition: EditionLine
    bidi: bool
    driver_errors: tuple[type[Exception], ...]

    @property
    def handover_errors(self) -> tuple[type[Exception], ...]:
        """Errors the engine explains, when nothing is written yet: the driver's, and
        Alembic knowing several revisions."""
        return (*self.driver_errors, LookupError)

    def close(self) -> None:
        self.connection.close()


def open_edition(cli: CliState) -> DirectEdition | None:
    """The workspace's edition on a driver connection, its schema revision and the team
    login checked; None, with nothing left open, when the engine must read it (a URL the
    driver path does not take, a driver error)."""
    from db import direct
    from verifier.core.review.summary import find_edition
    from verifier.core.schema_check import check_revision, missing_file

    settings = cli.quick_settings()
    target = direct.parse(settings["db"]) if settings is not None else None
    if settings is None or target is None:
        return None
    if target.path is not None and not target.path.exists():
        raise missing_file(target.path)  # connecting would create it
    errors = direct.driver_errors(target)
    try:
        connection = direct.connect(target, settings["lock_timeout"])
    except errors:
        return None  # the engine says why, in its words
    handover: tuple[type[Exception], ...] = (*errors, LookupError)
    try:
        check_revision(target.display, direct.current_revision(connection, target))
        cli.refuse_other_login_direct(connection, target, settings["user"])
        edition = find_edition(connection, settings["edition"])
    except handover:
        connection.close()
        return None
    except BaseException:
        connection.close()
        raise
    return DirectEdition(connection, target, edition, settings["bidi"] == "on", errors)
