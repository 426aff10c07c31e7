"""One-line messages (errors, notices, confirmations) that quote a label or a name are laid
out by the one display layout: at a terminal with bidi on, Arabic is shaped and in visual
order; with bidi off, or piped, it stays in logical order. Hostile values are shown as
written, never run: no control sequence, no markup, on one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.cli_terminal import at_terminal_width
from tests.conftest import MINI
from tests.importing_helpers import row, write_csv
from verifier.cli.app import app
from verifier.presentation.display import shown, shown_message

runner = CliRunner()
LABEL = "الرياض"
MARKUP = "[@click=app.quit]x[/]"
OSC_TITLE = "\x1b]0;x\x07"
FORMULA = '=HYPERLINK("http://x","y")'


def _run(db: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", db, "--user", "layla", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    at_terminal_width(monkeypatch, 100)


def _workspace(tmp_path: Path, label: str) -> str:
    db = str(tmp_path / "ws.db")
    assert _run(db, "init")[0] == 0
    assert _run(db, "edition", "load", str(MINI))[0] == 0
    assert _run(db, "import", str(write_csv(tmp_path / "items.csv", [row(city=label)])))[0] == 0
    assert _run(db, "item", "confirm-label", "1", "--city", "sa-riyadh")[0] == 0
    return db


def test_a_quoted_label_is_laid_out_alone_and_the_sentence_keeps_its_order() -> None:
    message = f"every item labelled '{LABEL}' is already sa-riyadh"
    laid_out = shown(LABEL, bidi=True)
    assert laid_out != LABEL  # shaped and reversed
    assert (
        shown_message(message, bidi=True)
        == f"every item labelled '{laid_out}' is already sa-riyadh"
    )
    assert shown_message(message, bidi=False) == message  # logical order, as stored


def test_hostile_values_in_a_message_are_shown_as_written_on_one_line() -> None:
    message = f"label '{MARKUP}{OSC_TITLE}' and\n'{FORMULA}'\tnear '{LABEL}'"
    for bidi in (True, False):
        line = shown_message(message, bidi=bidi)
        assert "\n" not in line and "\x1b" not in line and "\x07" not in line
        assert MARKUP + "]0;x" in line and FORMULA in line
    assert shown_message(message, bidi=False, one_line=False).split("\n")[1].startswith(FORMULA, 1)


def test_an_error_quoting_an_arabic_label_is_laid_out_at_a_terminal(
    tmp_path: Path, terminal: None
) -> None:
    db = _workspace(tmp_path, LABEL)
    code, _, err = _run(db, "item", "confirm-label", "1", "--city", "sa-riyadh")
    assert code == 1
    assert f"'{shown(LABEL, bidi=True)}'" in err and LABEL not in err


def test_the_bidi_setting_off_keeps_logical_order(
    tmp_path: Path, terminal: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = _workspace(tmp_path, LABEL)
    monkeypatch.setenv("VERIFIER_BIDI", "off")
    code, _, err = _run(db, "item", "confirm-label", "1", "--city", "sa-riyadh")
    assert code == 1 and f"'{LABEL}'" in err


def test_piped_messages_are_unchanged(tmp_path: Path) -> None:
    db = _workspace(tmp_path, LABEL)
    code, _, err = _run(db, "item", "confirm-label", "1", "--city", "sa-riyadh")
    assert code == 1
    assert err == f"error: every item labelled '{LABEL}' is already sa-riyadh\n"


def test_an_error_quoting_a_hostile_label_runs_nothing(tmp_path: Path, terminal: None) -> None:
    db = _workspace(tmp_path, f"{MARKUP}{FORMULA}")
    code, _, err = _run(db, "item", "confirm-label", "1", "--city", "sa-riyadh")
    assert code == 1
    (line,) = err.splitlines()
    assert f"'{MARKUP}{FORMULA}'" in line


def test_an_error_quoting_what_was_typed_sends_no_control_sequence(
    tmp_path: Path, terminal: None
) -> None:
    db = _workspace(tmp_path, LABEL)
    code, _, err = _run(db, "item", "match", "1", "--city", f"{MARKUP}{OSC_TITLE}{LABEL}")
    assert code == 1
    (line,) = err.splitlines()
    assert f"'{MARKUP}]0;x{shown(LABEL, bidi=True)}'" in line
    assert "\x1b" not in err and "\x07" not in err


def test_a_confirmation_naming_an_arabic_sprint_is_laid_out(tmp_path: Path, terminal: None) -> None:
    db = _workspace(tmp_path, LABEL)
    name = "أسبوع المراجعة"
    code, out, _ = _run(db, "sprint", "create", name, "--start", "2026-10-05", "--end",
                        "2026-10-09", "--assign", "layla")  # fmt: skip
    assert code == 0
    assert f"'{shown(name, bidi=True)}'" in out and name not in out
