"""`verifier items`, `verifier item ...` and `verifier sprint ...` over a real workspace."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import typer
from sqlmodel import col, select
from typer.testing import CliRunner

from db.models import Item, ReviewEvent
from tests.conftest import MINI
from tests.review_data import HOSTILE_LABEL, import_review_items
from verifier.cli.app import VerifierGroup, root
from verifier.core.editions import load_edition
from verifier.core.workspace import Workspace
from verifier.presentation.display import shown

runner = CliRunner()


def _app() -> typer.Typer:
    """The `verifier` command with the review commands, whether or not
    verifier.cli.commands registers them yet (built apart, so that the shared app is left
    as it is for the other tests)."""
    from verifier.cli import commands
    from verifier.cli.commands import items_cmds, review_cmds, sprint_cmds

    cli = typer.Typer(name="verifier", cls=VerifierGroup, rich_markup_mode=None,
                      pretty_exceptions_enable=False)  # fmt: skip
    cli.callback()(root)
    commands.register(cli)
    names = {c.name for c in cli.registered_commands} | {g.name for g in cli.registered_groups}
    for module, name in ((items_cmds, "items"), (sprint_cmds, "sprint"), (review_cmds, "review")):
        if name not in names:
            module.register(cli)
    return cli


app = _app()


@pytest.fixture
def db(workspace: Workspace, tmp_path: Path) -> str:
    load_edition(workspace, MINI, "layla")
    import_review_items(workspace, tmp_path / "review.csv")
    return workspace.url


def run(db: str, *args: str, user: str = "sara") -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", db, "--user", user, *args])
    return result.exit_code, result.stdout, result.stderr


def _item(db: str, item_id: int) -> Item:
    workspace = Workspace(db)
    with workspace.reading() as session:
        item = session.get(Item, item_id)
    workspace.close()
    assert item is not None
    return item


def test_items_lists_with_the_queue_filters(db: str) -> None:
    code, out, _ = run(db, "items", "--format", "csv", "--indicator", "TRD-WATER",
                       "--status", "unverified")  # fmt: skip
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("id,status,city_id,city,raw_label,indicator,value")
    assert [line.split(",")[0] for line in lines[1:]] == ["1", "2", "6", "7", "8"]
    code, out, _ = run(db, "items", "--format", "json", "--search", "طرابلس")
    assert [row["id"] for row in json.loads(out)] == [4, 5, 6]
    code, out, _ = run(db, "items", "--format", "json", "--city", "-", "--band", "review")
    assert [(row["id"], row["city_id"]) for row in json.loads(out)] == [(5, None), (6, None)]
    code, out, err = run(db, "items", "--limit", "2")
    assert code == 0 and "Riyadh" in out and "2 of 8 shown" in err
    code, _, err = run(db, "items", "--status", "done")
    assert code == 2 and "status 'done'" in err


def test_item_show(db: str) -> None:
    code, out, _ = run(db, "item", "show", "1")
    assert code == 0
    assert shown("الرياض", bidi=True) in out and "sa-riyadh" in out
    assert "Same city, indicator and year — 1 other item, 1 disagree" in out
    assert "≠" in out and "98.7%" in out
    code, out, _ = run(db, "item", "show", "7")
    assert HOSTILE_LABEL in out and "\x1b" not in out and "[link=http://x]y[/]" in out
    code, out, _ = run(db, "item", "show", "1", "--format", "json")
    data = json.loads(out)
    assert data["raw_label"] == "الرياض" and data["siblings"][0]["disagrees"] is True
    code, _, err = run(db, "item", "show", "99")
    assert code == 1 and "no item 99" in err


def test_item_set_status(db: str) -> None:
    code, out, _ = run(db, "item", "set-status", "1", "2", "--status", "verified")
    assert code == 0 and "item 1: unverified → verified" in out
    assert _item(db, 2).status_changed_by == "sara"
    code, out, err = run(db, "item", "set-status", "3", "1", "--status", "rejected",
                         "--note", "n")  # fmt: skip
    assert code == 1 and "a rejection needs a reason" in err
    code, out, err = run(db, "item", "set-status", "1", "--status", "rejected",
                         "--reason", "value is from 2019")  # fmt: skip
    assert code == 0 and _item(db, 1).status == "rejected"
    code, _, err = run(db, "item", "set-status", "4", "--status", "flagged")
    assert code == 1 and "needs a note" in err
    code, _, _ = run(db, "item", "set-status", "4", "--status", "flagged", "--note", "which year?")
    assert code == 0 and _item(db, 4).status == "flagged"
    code, _, err = run(db, "item", "set-status", "4", "--status", "done")
    assert code == 2


def test_item_match_confirm_label_note_and_undo(db: str) -> None:
    code, out, _ = run(db, "item", "match", "5", "--city", "lb-tripoli")
    assert code == 0 and "item 5: city none → lb-tripoli" in out
    assert _item(db, 5).city_id == "lb-tripoli"
    code, out, _ = run(db, "item", "undo")
    assert code == 0 and "item 5: city lb-tripoli → none" in out
    code, out, _ = run(db, "item", "confirm-label", "5", "--city", "ly-tripoli")
    assert code == 0 and "2 items now ly-tripoli" in out
    assert (_item(db, 5).match_method, _item(db, 6).city_id) == ("bulk", "ly-tripoli")
    code, out, _ = run(db, "item", "undo")
    assert out.count("→ none") == 2 and _item(db, 6).city_id is None
    code, out, _ = run(db, "item", "note", "8", "checked with the ministry")
    assert code == 0
    code, _, err = run(db, "item", "match", "5", "--city", "xx-nowhere")
    assert code == 1 and "no city 'xx-nowhere'" in err
    workspace = Workspace(db)
    with workspace.reading() as session:
        actions = [
            (e.item_id, e.action, e.actor)
            for e in session.exec(
                select(ReviewEvent)
                .where(col(ReviewEvent.item_id).is_not(None))
                .order_by(col(ReviewEvent.id))
            )
        ]
    workspace.close()
    assert actions == [
        (5, "match", "sara"), (5, "undo", "sara"), (5, "match", "sara"), (6, "match", "sara"),
        (5, "undo", "sara"), (6, "undo", "sara"), (8, "note", "sara"),
    ]  # fmt: skip


def test_sprint_create_and_list(db: str) -> None:
    args = ["sprint", "create", "week 41", "--start", "2026-01-01", "--end", "2036-01-01",
            "--source", "ministry-ar", "--assign", "omar,sara", "--split", "balanced"]  # fmt: skip
    code, _, err = run(db, *args, user="omar")
    assert code == 1 and "lead role" in err
    code, out, err = run(db, *args, user="layla")
    assert code == 0, err
    assert "Sprint 1 'week 41': 4 items (omar 2, sara 2); scope: source ministry-ar." in out
    code, out, _ = run(db, "sprint", "list", "--format", "json")
    [sprint] = json.loads(out)
    assert (sprint["name"], sprint["state"], sprint["items"]) == ("week 41", "active", 4)
    code, out, _ = run(db, "items", "--mine", "--format", "json", user="omar")
    assert [row["id"] for row in json.loads(out)] == [1, 5]  # one document, cut in two
    code, _, err = run(db, "sprint", "create", "x", "--start", "soon", "--end", "later",
                       "--assign", "omar", user="layla")  # fmt: skip
    assert code == 2 and "is not a date" in err


def test_review_command_is_documented() -> None:
    result = runner.invoke(app, ["review", "--help"])
    assert result.exit_code == 0 and "--bidi" in result.stdout


def test_review_builds_the_app_with_the_bidi_option(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from verifier.tui.app import ReviewApp

    started: list[tuple[bool, str]] = []
    monkeypatch.setattr(
        ReviewApp, "run", lambda self: started.append((self.bidi, self.backend.user))
    )
    code, _, err = run(db, "review", "--bidi", "off", user="omar")
    assert code == 0, err
    assert started == [(False, "omar")]
    code, _, err = run("sqlite:////nowhere/at/all.db", "review")
    assert code == 1 and err.startswith("error: ")


def test_review_from_the_program_starts_without_the_parser(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # ``verifier review`` as the installed program starts it (``app.main``): the same app
    # and the same messages as through the parser, which is never asked; what it does not
    # take (help, a choice it does not know) still goes to the parser.
    from verifier.cli import app as program
    from verifier.cli import tree
    from verifier.tui.app import ReviewApp

    started: list[tuple[bool, str]] = []
    monkeypatch.setattr(
        ReviewApp, "run", lambda self: started.append((self.bidi, self.backend.user))
    )
    parsed: list[list[str]] = []
    monkeypatch.setattr(tree, "app", lambda: parsed.append(sys.argv[1:]))

    def main(*args: str) -> int:
        monkeypatch.setattr(sys, "argv", ["verifier", *args])
        try:
            program.main()
        except SystemExit as stop:
            return int(stop.code or 0)
        return 0

    assert main("--db", db, "--user", "omar", "review", "--bidi", "off") == 0
    assert main("--db", db, "--user=omar", "review") == 0
    assert started == [(False, "omar"), (True, "omar")]
    assert main("--db", "sqlite:////nowhere/at/all.db", "--user", "omar", "review") == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "/nowhere/at/all.db" in err
    assert parsed == []
    main("--db", db, "review", "--bidi", "sideways")
    main("review", "--help")
    assert parsed == [["--db", db, "review", "--bidi", "sideways"], ["review", "--help"]]


def test_ctrl_c_while_the_review_ui_loads_ends_as_through_the_parser(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An interrupt before the UI is shown: status 130 and no traceback, on both paths."""
    from verifier.cli import app as program
    from verifier.tui.app import ReviewApp

    def interrupted(_self: ReviewApp) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(ReviewApp, "run", interrupted)
    monkeypatch.setattr(sys, "argv", ["verifier", "--db", db, "--user", "omar", "review"])
    with pytest.raises(SystemExit) as stop:
        program.main()
    quick = capsys.readouterr().err
    code, _, parsed = run(db, "review", user="omar")
    assert (stop.value.code, quick) == (code, parsed) == (130, "")
