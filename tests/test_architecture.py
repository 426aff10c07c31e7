"""The domain core and the persistence layer never import Textual; the CLI loads it only for
the review UI."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import importlib, pkgutil, sys
import verifier.core, db
for package in (verifier.core, db):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if ".migrations" in info.name:  # run by Alembic, not importable alone
            continue
        importlib.import_module(info.name)
import verifier.cli.app
leaked = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print(",".join(leaked))
"""


def test_core_db_and_cli_startup_do_not_import_textual() -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "", f"textual imported by the core: {result.stdout}"
