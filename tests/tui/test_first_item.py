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
    assert first["pending"] is True
    assert "finding the candidates…" in first["panel"]
    # Then the candidates come, and everything deferred is loaded for the keys that need it.
    assert later["loaded"] == list(DEFERRED)
    assert "finding the candidates" not in later["panel"]
    assert "City candidates for this label — band" in later["panel"]
