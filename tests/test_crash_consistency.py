"""A CI-sized run of benchmarks/crash_consistency.py: an import and a publish killed with
SIGKILL at random points leave a workspace that passes the integrity check, holds all or
nothing of the command, and whose audit trail verifies intact."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parent.parent / "benchmarks" / "crash_consistency.py"


@pytest.mark.slow
def test_killed_import_and_publish_leave_a_consistent_workspace() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--runs", "4", "--seed", "11", "--rows", "2000",
         "--items-files", "1"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    runs = [line for line in lines if line.startswith("seed ")]
    assert len(runs) == 4
    assert {line.split()[2] for line in runs} == {"import", "publish"}
    assert all(line.endswith((" nothing", " all")) for line in runs), done.stdout
    assert lines[-1].startswith("4 kills, all consistent")
