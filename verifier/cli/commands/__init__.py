"""One module per command or command group; ``register`` wires them into the root app."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    from verifier.cli.commands import (
        audit_cmds,
        backup_cmd,
        edition_cmds,
        evidence_cmds,
        gazetteer_cmds,
        import_cmds,
        items_cmds,
        match_cmd,
        people_cmds,
        publish_cmds,
        qa_cmds,
        report_cmds,
        review_cmds,
        score_cmd,
        sprint_cmds,
        status_cmds,
        team_cmds,
        workspace_cmds,
    )

    modules = (workspace_cmds, edition_cmds, import_cmds, match_cmd, gazetteer_cmds, status_cmds,
               people_cmds, review_cmds, items_cmds, sprint_cmds, publish_cmds, score_cmd,
               report_cmds, audit_cmds, team_cmds, qa_cmds, backup_cmd, evidence_cmds)  # fmt: skip
    for module in modules:
        module.register(app)
