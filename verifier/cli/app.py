"""The ``verifier`` command: global options, error handling, and the command tree."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from verifier import __version__
from verifier.cli.context import CliState
from verifier.core.errors import VerifierError


class VerifierGroup(TyperGroup):
    """Shows a VerifierError as a one-line message instead of a traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except VerifierError as error:
            typer.secho(f"error: {error}", fg="red", err=True)
            raise typer.Exit(error.exit_code) from error


app = typer.Typer(
    name="verifier",
    cls=VerifierGroup,
    help="Source-verification workbench: import extracted data, match cities, verify, publish.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"verifier {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: str | None = typer.Option(
        None,
        "--db",
        metavar="URL",
        help="Workspace: SQLAlchemy URL or SQLite path. [env: VERIFIER_DB]",
    ),
    user: str | None = typer.Option(
        None,
        "--user",
        metavar="NAME",
        help="Reviewer name recorded on decisions. [env: VERIFIER_USER]",
    ),
    edition: str | None = typer.Option(
        None,
        "--edition",
        "-e",
        metavar="CODE",
        help="Edition code, when the workspace has several.",
    ),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Global options apply to every command."""
    cli_state = CliState(overrides={"db": db, "user": user, "edition": edition})
    ctx.obj = cli_state
    ctx.call_on_close(cli_state.close)


def _register_commands() -> None:
    # Imported here so each command module stays independent of the others.
    from verifier.cli import commands

    commands.register(app)


_register_commands()


def main() -> None:
    app()
