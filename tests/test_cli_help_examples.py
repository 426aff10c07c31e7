"""Every command's examples are shown as written, one command a line: Click rewraps a help
paragraph unless it is marked, which ran examples together and broke them mid-option."""

from __future__ import annotations

import pytest
import typer.main
from typer.testing import CliRunner

from verifier.cli.app import app

runner = CliRunner()


def _commands() -> list[tuple[list[str], str]]:
    found: list[tuple[list[str], str]] = []

    def walk(command: object, path: list[str]) -> None:
        found.append((path, getattr(command, "help", None) or ""))
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return found


def _example_lines(doc: str) -> list[str]:
    """The lines of the paragraphs that give examples, as written (stripped)."""
    lines: list[str] = []
    for paragraph in doc.split("\n\n"):
        rows = [row.strip() for row in paragraph.strip("\n").splitlines()]
        rows = [row for row in rows if row and row != "\b"]
        if rows and rows[0].startswith("Example"):
            lines.extend(rows)
    return lines


WITH_EXAMPLES = [(path, doc) for path, doc in _commands() if _example_lines(doc)]


def test_commands_have_examples() -> None:
    assert len(WITH_EXAMPLES) >= 40


@pytest.mark.parametrize(
    ("path", "doc"), WITH_EXAMPLES, ids=[" ".join(p) or "verifier" for p, _ in WITH_EXAMPLES]
)
def test_examples_are_shown_line_by_line(path: list[str], doc: str) -> None:
    result = runner.invoke(app, [*path, "--help"], terminal_width=80)
    assert result.exit_code == 0, result.output
    shown = {line.strip() for line in result.stdout.splitlines()}
    missing = [line for line in _example_lines(doc) if line not in shown]
    assert missing == []
