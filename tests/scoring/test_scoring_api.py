"""The package's public names: each resolves, and importing the CLI command stays light."""

from __future__ import annotations

import subprocess
import sys

import verifier.core.scoring as scoring


def test_every_public_name_resolves():
    for name in scoring.__all__:
        assert getattr(scoring, name) is not None


def test_registering_the_score_command_does_not_load_the_scorer():
    # Every CLI command pays for what command modules import; the scorer loads on use.
    code = (
        "import sys, verifier.cli.commands.score_cmd; "
        "print('verifier.core.scoring.scorer' in sys.modules, 'matplotlib' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "False"]


def test_scoring_does_not_import_matplotlib():
    code = (
        "import sys; from verifier.core.scoring import score, to_json; "
        "from verifier.presentation.ranking import ranking_table; "
        "print('matplotlib' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
