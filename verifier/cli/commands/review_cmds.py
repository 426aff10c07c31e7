"""``verifier review``: the review UI."""

from __future__ import annotations

from enum import StrEnum

import typer

from verifier.cli.context import state


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

    Example: verifier --user omar review --bidi off
    """
    # Textual is imported only here: every other command starts without it.
    from verifier.tui import create_app

    cli = state(ctx)
    settings = cli.settings
    if bidi is not None:
        settings = settings.model_copy(update={"bidi": bidi.value})
    app = create_app(settings)
    app.run()
