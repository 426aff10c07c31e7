"""Running a command started without the command line parser (``status``, a plain
``items`` listing, ``review``): with the exit statuses and messages the parser would give, and
handing over to the parser at most once."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from verifier.cli.context import CliState

# Commands whose driver path ran in this process and handed over to the engine: the
# command, run again by the parser, goes straight to the engine (one more connection
# attempt, not two; a wrong password is one failed login more, not two).
_handed_over: set[str] = set()


def run(command: str, action: Callable[[], bool], cli: CliState | None = None) -> int | None:
    """``action()``, which returns True once it has done the command and False, having
    written nothing, when the engine must do it. Returns the exit status, or None to hand
    over to the parser. Messages are laid out with ``cli``'s settings when given."""
    from verifier.cli.context import error_text, report_database_error
    from verifier.core.errors import VerifierError

    try:
        done = action()
    except VerifierError as error:
        typer.secho(f"error: {error_text(str(error), cli)}", fg="red", err=True)
        return error.exit_code
    except typer.Exit as stop:  # the command's own exit, after its message
        return stop.exit_code
    except BrokenPipeError:  # the reader went away (`| head`): quietly, as the parser does
        _discard_stdout()
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        try:
            report_database_error(error)  # a database error as one line and status 1
        except typer.Exit as stop:
            return stop.exit_code
        raise
    if done:
        return 0
    _handed_over.add(command)
    return None


def handed_over(command: str) -> bool:
    """Whether ``command``'s driver path already ran in this process and handed over."""
    return command in _handed_over


def _discard_stdout() -> None:
    """Point stdout at the null device, so the interpreter's last flush of what is still
    buffered does not fail on the closed pipe and print a second error."""
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, sys.stdout.fileno())
    finally:
        os.close(null)
