"""An error message of several lines prints as lines, and what it quotes still cannot drive
the terminal: the command line's error handler applies the one output-safety policy."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

from verifier.cli.app import VerifierGroup
from verifier.core.errors import VerifierError
from verifier.core.safe_output import terminal_text

OSC_TITLE = "\x1b]0;x\x07"
MARKUP = "[@click=app.quit]x[/]"


def _failing_app(message: str) -> typer.Typer:
    app = typer.Typer(cls=VerifierGroup, pretty_exceptions_enable=False)

    @app.command()
    def fail() -> None:
        raise VerifierError(message)

    @app.command()
    def other() -> None:  # two commands: `fail` is then a subcommand, as in verifier's tree
        pass

    return app


def test_a_multi_line_error_prints_as_lines_with_controls_removed() -> None:
    message = f"2 rows refused:\nrow 3: label {OSC_TITLE}{MARKUP}\r\nrow 4: \x9b31m\u202eevil\tcell"
    result = CliRunner().invoke(_failing_app(message), ["fail"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: 2 rows refused:",
        f"row 3: label ]0;x{MARKUP}",
        "row 4: 31mevil\tcell",
    ]
    assert not any(ch in result.stderr for ch in "\x1b\x07\r\x9b\u202e")


def test_the_policy_keeps_newlines_and_tabs_and_nothing_else_of_the_controls() -> None:
    assert terminal_text(f"a\nb\t{OSC_TITLE}\x85\x7f\u2066c") == "a\nb\t]0;xc"
