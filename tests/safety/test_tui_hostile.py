"""The review UI over the hostile workspace: every screen shows the data as text, writes no
control sequence, and never acts on console markup found in the data."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.safety.hostile import MARKUP, build, isolated
from tests.safety.output_checks import unsafe_characters
from tests.tui.conftest import make_app, settle
from tests.tui.screen_text import panel_text, screen_text
from verifier.cli.app import app as cli_app
from verifier.core.review.filters import QueueFilter
from verifier.tui.screens.queue_screen import QueueScreen


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile-tui")
    with isolated(folder):
        build(cli_app, folder)
    return folder / "hostile.db"


def _safe_screen(app: object, where: str) -> str:
    """The screen as text, after checking the screenshot holds no raw control character."""
    svg = app.export_screenshot()  # type: ignore[attr-defined]
    bad = unsafe_characters(svg)
    assert not bad, f"{where}: raw {bad} reached the screen"
    return screen_text(app)  # type: ignore[arg-type]


async def _click_every_markup(app: object, pilot: object, where: str) -> None:
    """Click on each place the screen shows the hostile markup: nothing happens."""
    lines = screen_text(app).splitlines()  # type: ignore[arg-type]
    spots = [(m.start() + len("[@click=app.quit]"), y) for y, line in enumerate(lines)
             for m in re.finditer(re.escape("[@click=app.quit]x"), line)]  # fmt: skip
    assert spots, f"{where}: the markup is not shown as text"
    for x, y in spots[:6]:
        await pilot.click(offset=(x, y))  # type: ignore[attr-defined]
        await settle(pilot)  # type: ignore[arg-type]
        assert app.is_running and app.return_code is None, f"{where}: a click acted"  # type: ignore[attr-defined]


@pytest.mark.slow
async def test_every_screen_shows_hostile_text_as_text(hostile_db: Path, tmp_path: Path) -> None:
    shutil.copy(hostile_db, tmp_path / "hostile.db")
    app = make_app(f"sqlite:///{tmp_path / 'hostile.db'}", user="sara", bidi="on")
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await settle(pilot)
        queue = app.screen
        assert isinstance(queue, QueueScreen)
        queue.apply_filter(QueueFilter())  # every item, whatever its status
        await settle(pilot)
        queue._go_to(1)  # its label, snippet and locator hold raw ESC, OSC and C1 sequences
        await settle(pilot)
        assert queue.view is not None and queue.view.id == 1
        assert MARKUP in panel_text(app)
        shown = _safe_screen(app, "queue")
        assert "raw label" in shown and "\x1b" not in panel_text(app)
        await _click_every_markup(app, pilot, "queue")
        queue._go_to(8)  # notes from several people, the latest quoting everything
        await settle(pilot)
        _safe_screen(app, "item 8")
        for key, where in (("p", "provenance"), ("d", "dashboard"), ("s", "sprint")):
            await pilot.press(key)
            await settle(pilot)
            shown = _safe_screen(app, where)
            if where == "provenance":
                assert MARKUP in shown  # shown whole, as text, on one line
            await pilot.press("escape")
            await settle(pilot)
            assert app.is_running, f"{where}: the app stopped"
        for notice in app.notices:
            assert not unsafe_characters(notice.message), notice.message
