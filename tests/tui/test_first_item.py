"""The review UI draws its first item before it loads the matcher (numpy, the gazetteer)
and the modules of screens opened later (``verifier/tui/deferred.py``), then adds the
item's city candidates. Checked in a new interpreter, where nothing is loaded yet: the test
run itself has loaded them all."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from verifier.tui.deferred import DEFERRED

ROOT = Path(__file__).resolve().parents[2]


def test_first_item_is_drawn_before_the_matcher_and_later_screens(review_url: str) -> None:
    child = Path(__file__).with_name("first_item_child.py")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, str(child), review_url],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    first, later = seen["first"], seen["later"]
    assert first["loaded"] == []
    assert first["shaped"] is True  # its Arabic was shaped, without the font library
    assert first["pending"] is True
    assert first["watching"] is False  # colleagues are watched from the first item on
    assert "finding the candidates…" in first["panel"]
    # The start-up's own work: the footer's keys built once (they came in several steps,
    # each asked for a build), no pydantic validator of a table built (rows never go
    # through one), and the collector's pass over what the start-up left put off.
    assert first["footer_builds"] == 1
    assert first["validators"] == []
    assert first["collected"] == 0
    # Then the candidates come, and everything deferred is loaded for the keys that need it.
    assert later["loaded"] == list(DEFERRED)
    assert later["never"] == []
    assert later["watching"] is True
    assert "finding the candidates" not in later["panel"]
    assert "City candidates for this label — band" in later["panel"]
    assert later["collected"] == 1
    assert later["validators"] == []


def test_the_ui_modules_load_with_the_collector_paused_then_frozen() -> None:
    # Collecting while the UI's modules load frees nothing (they live as long as the app)
    # and took a seventh of the start-up: no collection runs during that import, and what
    # it made is frozen, out of later collections; the collector is on again afterwards.
    code = (
        "import gc, json, sys\n"
        "import verifier.tui\n"
        "before = [generation['collections'] for generation in gc.get_stats()]\n"
        "from verifier.tui import create_app\n"
        "after = [generation['collections'] for generation in gc.get_stats()]\n"
        "print(json.dumps({'before': before, 'after': after, 'enabled': gc.isenabled(),\n"
        "    'frozen': gc.get_freeze_count(), 'ui': 'textual.app' in sys.modules}))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT,
        timeout=120, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["ui"] is True
    assert seen["after"] == seen["before"]
    assert seen["enabled"] is True
    assert seen["frozen"] > 50_000
