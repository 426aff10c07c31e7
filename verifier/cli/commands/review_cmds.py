"""``verifier review``: the review UI."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING

import typer

from verifier.cli import quick_args, quick_start
from verifier.cli.context import CliState, state
from verifier.core.errors import VerifierError

if TYPE_CHECKING:
    from verifier.config import Settings


class BidiChoice(StrEnum):
    ON = "on"
    OFF = "off"


def register(app: typer.Typer) -> None:
    app.command("review")(review)


def review(
    ctx: typer.Context,
    bidi: BidiChoice | None = typer.Option(
        None,
        "--bidi",
        help="on: reorder and shape Arabic (terminals without bidi support); off: leave it "
        "to the terminal. Default: the bidi setting (on). The b key toggles it.",
    ),
) -> None:
    """Open the review UI: the queue, the item against its source, one key per decision
    (v verify, r reject, f flag, n note, m match, a confirm label, u undo, ? help).

    Keys can be remapped in the config file, e.g. [keymap] verify = "v,enter".

    \b
    Example: verifier --user omar review --bidi off
    """
    _open(state(ctx), bidi)


def _open(cli: CliState, bidi: BidiChoice | None) -> None:
    settings = cli.settings
    if bidi is not None:
        settings = settings.model_copy(update={"bidi": bidi.value})
    _review_ui()(settings)


def run_quick(argv: list[str]) -> int | None:
    """``verifier [global options] review [--bidi on|off]`` started without the command
    line parser and its command tree (a tenth of a second or more of the UI's start): its
    exit status, with the messages the parser's path gives; None for anything else (help,
    another command, an option or a choice it does not take), which the parser handles."""
    given = quick_args.split(argv, "review", {"--bidi": "bidi"})
    if given is None:
        return None
    overrides, options = given
    choice = options.get("bidi")
    if choice is not None and choice not in {c.value for c in BidiChoice}:
        return None  # the parser names the choices
    cli = CliState(overrides={"db": None, "user": None, "edition": None, **overrides})

    def start() -> bool:
        _open(cli, BidiChoice(choice) if choice is not None else None)
        return True

    try:
        return quick_start.run("review", start, cli)
    finally:
        cli.close()


def _review_ui() -> Callable[[Settings], None]:
    """The review UI, found through the ``verifier.ui`` entry point: the command line and
    the UI are independent packages, and Textual is loaded only when the UI starts."""
    from importlib.metadata import entry_points

    found = entry_points(group="verifier.ui", name="review")
    if not found:
        raise VerifierError(
            "the review UI is not installed with this copy of verifier; "
            "reinstall it (pip install -e .) so that its entry point is registered"
        )
    launcher: Callable[[Settings], None] = next(iter(found)).load()
    return launcher
