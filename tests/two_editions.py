"""Two editions in one workspace, mini and mini-b, each with two imported items (1-2 are
mini's, 3-4 mini-b's): for the tests that an id of one edition is refused in the other."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import MINI
from tests.importing_helpers import row, write_csv
from verifier.core.editions import load_edition
from verifier.core.importing import ImportOptions, import_file
from verifier.core.workspace import Workspace

ROWS_A = [row(city="Riyadh", value="99.1", locator="a"), row(city="Cairo", country="EG")]
ROWS_B = [row(city="Riyadh", value="95", locator="x"), row(city="Cairo", country="EG")]
ITEMS = {"mini": ("1", "2"), "mini-b": ("3", "4")}


def load_two_editions(workspace: Workspace, tmp_path: Path) -> None:
    """Load mini and its copy mini-b, and import ROWS_A into one and ROWS_B into the other."""
    second = tmp_path / "mini-b"
    shutil.copytree(MINI, second)
    toml = (second / "edition.toml").read_text(encoding="utf-8")
    (second / "edition.toml").write_text(
        toml.replace('code = "mini"', 'code = "mini-b"'), encoding="utf-8"
    )
    load_edition(workspace, MINI, "layla")
    load_edition(workspace, second, "layla")
    for code, rows in (("mini", ROWS_A), ("mini-b", ROWS_B)):
        path = write_csv(tmp_path / f"{code}.csv", rows)
        import_file(workspace, path, ImportOptions("omar", edition=code))
