"""``verifier sprint create|list``: time-boxed verification sprints and who checks what."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import typer
from rich.text import Text

from verifier.cli.context import state
from verifier.cli.output import OutputFormat, emit
from verifier.cli.queue_options import FilterOptions, queue_filter, queue_filter_options

sprint_app = typer.Typer(
    help="Verification sprints: scope, time box, assignments.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(sprint_app, name="sprint")


def _moment(text: str, option: str, end_of_day: bool = False) -> datetime:
    """ISO date or date-time; without a zone it is local time. A bare date means the start
    of that day (for --start) or its end, i.e. the next midnight (for --end)."""
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = datetime.combine(day + timedelta(days=1) if end_of_day else day, time(0))
        else:
            moment = datetime.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(
            f"'{text}' is not a date (2026-10-01) or date-time (2026-10-01T09:00+03:00)",
            param_hint=option,
        ) from None
    return moment if moment.tzinfo else moment.astimezone()


@sprint_app.command("create")
@queue_filter_options(assignment=False)
def create(
    ctx: typer.Context,
    filters: FilterOptions,
    name: str = typer.Argument(..., help="Sprint name, e.g. 'week 41'."),
    start: str = typer.Option(..., "--start", help="Start: 2026-10-01 or 2026-10-01T09:00+03:00."),
    end: str = typer.Option(..., "--end", help="End: a date (through that day) or date-time."),
    assign: str = typer.Option(..., "--assign", help="Reviewers, comma-separated: omar,sara."),
    split: str = typer.Option(
        "round-robin",
        "--split",
        help="round-robin (deal items in turn) or balanced (a source's items stay together).",
    ),
) -> None:
    """Create a sprint over the items the queue filters select now, and split them among
    reviewers (deterministically). Needs the lead role.

    Example:
      verifier --user layla sprint create "week 41" --start 2026-10-05 --end 2026-10-09
        --status unverified --domain digital --assign omar,sara --split balanced
    """
    from verifier.core.review.sprints import SplitStrategy, create_sprint, parse_reviewers
    from verifier.core.workspace import resolve_edition

    try:
        strategy = SplitStrategy(split)
    except ValueError:
        raise typer.BadParameter("round-robin or balanced", param_hint="--split") from None
    cli = state(ctx)
    scope = queue_filter(cli, filters)
    starts_at = _moment(start, "--start")
    ends_at = _moment(end, "--end", end_of_day=True)
    with cli.workspace().session() as session:
        edition = resolve_edition(session, cli.edition_code)
        assert edition.id is not None
        line = create_sprint(
            session,
            edition.id,
            name,
            starts_at,
            ends_at,
            scope,
            parse_reviewers(assign),
            cli.user,
            strategy,
        )
    shares = ", ".join(f"{who} {n:,}" for who, (n, _) in line.reviewers.items())
    cli.console.print(
        Text(
            f"Sprint {line.id} '{line.name}': {line.assigned:,} items ({shares}); "
            f"scope: {line.scope.describe()}."
        )
    )


@sprint_app.command("list")
def list_sprints(
    ctx: typer.Context,
    fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", help="table, csv or json."),
) -> None:
    """List sprints with their time box, scope and each reviewer's progress.

    Example: verifier sprint list
    """
    from db.types import utcnow
    from verifier.core.review.sprints import list_sprints as sprints
    from verifier.core.workspace import resolve_edition

    cli = state(ctx)
    with cli.workspace().reading() as session:
        edition = resolve_edition(session, cli.edition_code)
        assert edition.id is not None
        lines = sprints(session, edition.id)
    now = utcnow()
    columns = ["id", "name", "starts", "ends", "state", "items", "decided", "reviewers", "scope"]
    rows = [
        (
            s.id,
            s.name,
            s.starts_at.isoformat(timespec="minutes"),
            s.ends_at.isoformat(timespec="minutes"),
            s.state(now),
            s.assigned,
            s.decided,
            ", ".join(f"{who} {d}/{a}" for who, (a, d) in s.reviewers.items()),
            s.scope.describe(),
        )
        for s in lines
    ]
    emit(cli.console, fmt, "Sprints", columns, rows, bidi=cli.bidi)
