"""One module per command or command group; ``register`` wires them into the root app."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    from verifier.cli.commands import (
        edition_cmds,
        import_cmds,
        people_cmds,
        status_cmds,
        workspace_cmds,
    )

    for module in (workspace_cmds, edition_cmds, import_cmds, status_cmds, people_cmds):
        module.register(app)
