"""The command line starts light: the command tree loads no database layer, data or
document library; a command loads what it uses when it runs. Checked in a new interpreter,
by the modules it holds, not by timing."""

from __future__ import annotations

import json
import subprocess
import sys

from verifier.core.workspace import Workspace

HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "db.models", "pandas", "numpy", "rapidfuzz",
         "camel_tools", "pdfplumber", "pypdf", "openpyxl", "textual", "torch")  # fmt: skip


def _loaded_after(code: str) -> list[str]:
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    return json.loads(out.splitlines()[-1])


def _heavy(modules: list[str]) -> list[str]:
    return sorted({m for m in modules for h in HEAVY if m == h or m.startswith(h + ".")})


def test_the_command_tree_loads_no_heavy_library() -> None:
    modules = _loaded_after("import verifier.cli.tree")
    assert "verifier.cli.commands.publish_cmds" in modules  # every command is registered
    assert _heavy(modules) == []


def test_the_review_ui_starts_without_the_command_tree(sqlite_url: str) -> None:
    # `verifier review` goes from the program's entry point to the UI without loading the
    # parser's command tree (a tenth of a second or more of the start); the UI is stopped
    # where it would start, with what the program loaded by then.
    code = (
        "import json, sys\n"
        "import verifier.tui.launch as launch\n"
        "def stop(settings):\n"
        "    print(json.dumps({'db': settings.db, 'bidi': settings.bidi,\n"
        "                      'modules': sorted(sys.modules)}))\n"
        "launch.run_review = stop\n"
        f"sys.argv = ['verifier', '--db', {sqlite_url!r}, 'review', '--bidi', 'off']\n"
        "from verifier.cli.app import main\n"
        "main()\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    seen = json.loads(out.splitlines()[-1])
    assert (seen["db"], seen["bidi"]) == (sqlite_url, "off")
    assert "verifier.cli.tree" not in seen["modules"]
    assert "verifier.cli.commands.publish_cmds" not in seen["modules"]


def test_checking_a_workspace_schema_does_not_load_alembic(sqlite_url: str) -> None:
    workspace = Workspace(sqlite_url)
    workspace.initialise()
    workspace.close()
    code = (
        "from verifier.core.workspace import Workspace\n"
        f"workspace = Workspace({sqlite_url!r})\n"
        "workspace.check_schema()\n"
        "workspace.close()"
    )
    modules = _loaded_after(code)
    assert "sqlalchemy" in modules
    assert [m for m in modules if m == "alembic" or m.startswith("alembic.")] == []
