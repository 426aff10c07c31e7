"""``verifier team init``: roles that PostgreSQL enforces (team mode)."""

from __future__ import annotations

import typer
from rich.text import Text

from verifier.cli.context import state

team_app = typer.Typer(help="Team mode on PostgreSQL: roles the database enforces.")


def register(app: typer.Typer) -> None:
    app.add_typer(team_app, name="team")


@team_app.command("init")
def init(
    ctx: typer.Context,
    prefix: str = typer.Option(
        "",
        "--prefix",
        help="Start of the role names (default: verifier_<database>[_<schema>]).",
    ),
) -> None:
    """Set up team mode, once, as the database owner (a login with CREATEROLE): a
    table-owner role nobody logs in as, group roles for lead, assistant and analyst, their
    grants, and the guards where a grant alone is too coarse. Running it again (or
    `verifier init` after an upgrade) brings the grants up to date.

    \b
    Example: verifier --db postgresql://admin@db.example.org/rankings team init
    """
    from verifier.core.people.team import init_team

    cli = state(ctx)
    setup = init_team(cli.workspace(), prefix or None)
    roles = setup.roles
    verb = "Set up" if setup.created else "Brought up to date"
    lines = [
        f"{verb} team mode in schema {setup.schema} (administrator: {setup.admin}).",
        f"  owner (no login): {roles.owner}",
        f"  lead:             {roles.lead}",
        f"  assistant:        {roles.assistant}",
        f"  analyst:          {roles.analyst}",
        "Next: verifier reviewer add NAME --role lead|assistant|analyst (as the administrator).",
    ]
    for line in lines:
        cli.console.print(Text(line))
