"""The ``verifier`` command's parser: global options, error handling, and the command tree.
Loaded by ``app.main`` for every command that is not started without it."""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from verifier import __version__
from verifier.cli.context import CliState, error_text, report_database_error
from verifier.core.errors import VerifierError
from verifier.core.safe_output import terminal_line


class VerifierGroup(TyperGroup):
    """Shows a VerifierError, or a database error such as a permission the server refused,
    as a one-line message instead of a traceback. Usage errors quote what was typed: they
    are made terminal-safe like any other message."""

    def make_context(
        self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any
    ) -> Any:
        try:
            _refuse_undecodable(args)
            return super().make_context(info_name, args, parent, **extra)
        except typer.TyperException as error:
            _make_safe(error)
            raise

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except typer.TyperException as error:
            _make_safe(error)
            raise
        except VerifierError as error:
            root = ctx.find_root().obj
            shown = error_text(str(error), root if isinstance(root, CliState) else None)
            typer.secho(f"error: {shown}", fg="red", err=True)
            raise typer.Exit(error.exit_code) from error
        except Exception as error:
            report_database_error(error)
            raise


def _refuse_undecodable(args: list[str]) -> None:
    """An argument whose bytes are not UTF-8 (a shell's $'\\xff') can be neither stored nor
    shown: say which, rather than fail with a traceback halfway through."""
    for arg in args:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            raise typer.BadParameter(
                f"'{terminal_line(shown)}' is not UTF-8 text (the bytes shown as \\x..); "
                "give names, notes and file names in UTF-8"
            ) from None


def _make_safe(error: typer.TyperException) -> None:
    error.message = error_text(error.message)  # usage errors quote what was typed


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
        help=(
            "Act as this registered reviewer (SQLite; default: the OS user). In team mode "
            "you are your database login. [env: VERIFIER_USER]"
        ),
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
