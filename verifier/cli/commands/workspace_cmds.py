"""``verifier init``: create or upgrade a workspace."""

from __future__ import annotations

import typer
from rich.text import Text

from verifier.cli.context import state


def register(app: typer.Typer) -> None:
    app.command("init")(init)


def init(ctx: typer.Context) -> None:
    """Create the workspace database, or upgrade it to the current schema. In team mode
    (run as the administrator) the grants then cover any new table.

    \b
    Example: verifier --db las.db init
    """
    cli = state(ctx)
    workspace = cli.workspace(check=False)
    before, after = workspace.initialise()
    if workspace.backend == "postgresql":
        from verifier.core.people.roles import team_roles

        with workspace.reading() as session:
            team = team_roles(session) is not None
        if team and before != after:
            from verifier.core.people.team import init_team

            init_team(workspace)
            cli.console.print(Text("Team mode: roles and grants brought up to date."))
    if before is None:
        cli.console.print(Text(f"Created workspace {workspace.display_url} (schema {after})."))
    elif before == after:
        cli.console.print(
            Text(f"Workspace {workspace.display_url} is up to date (schema {after}).")
        )
    else:
        cli.console.print(Text(f"Upgraded {workspace.display_url}: schema {before} -> {after}."))
