"""``verifier sprint create|list|show|report|reassign``: time-boxed verification sprints, who
checks what, and steering them day by day."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.text import Text

from verifier.cli.context import state
from verifier.cli.output import FORCE_HELP, OutputFormat, emit, time_cell, write_output_file
from verifier.cli.queue_options import FilterOptions, queue_filter, queue_filter_options
from verifier.core.wording import count

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

    \b
    Example:
      verifier --user layla sprint create "week 41" --start 2026-10-05 --end 2026-10-09
        --status unverified --domain digital --assign omar,sara --split balanced
    """
    from verifier.core.edition_scope import Numbered, require_in_edition
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
        require_in_edition(session, Numbered.BATCH, scope.batches, cli.edition_code)
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
    cli.say(
        f"Sprint {line.id} '{line.name}': {count(line.assigned, 'item')} ({shares}); "
        f"scope: {line.scope.describe()}."
    )


@sprint_app.command("list")
def list_sprints(
    ctx: typer.Context,
    fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", help="table, csv or json."),
) -> None:
    """List sprints with their time box, scope and each reviewer's progress.

    \b
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
    at = time_cell(cli.console, fmt, timespec="minutes")
    rows = [
        (
            s.id,
            s.name,
            at(s.starts_at),
            at(s.ends_at),
            s.state(now),
            s.assigned,
            s.decided,
            ", ".join(f"{who} {d}/{a}" for who, (a, d) in s.reviewers.items()),
            s.scope.describe(),
        )
        for s in lines
    ]
    emit(cli.console, fmt, "Sprints", columns, rows, bidi=cli.bidi, keep=("name",))


def _overview(cli: Any, name: str) -> tuple[Any, Any]:
    """The sprint's overview and QA figures, read in one transaction."""
    from verifier.core.qa.sprint import sprint_figures
    from verifier.core.review.sprint_steering import sprint_overview
    from verifier.core.workspace import resolve_edition

    with cli.workspace().reading() as session:
        edition = resolve_edition(session, cli.edition_code)
        assert edition.id is not None
        overview = sprint_overview(session, edition.id, name)
        figures = sprint_figures(session, edition.id, overview.sprint.id)
    return overview, figures


@sprint_app.command("show")
def show(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Sprint name."),
) -> None:
    """The sprint dashboard: burn-down by day (decided against planned), throughput per
    reviewer per day, the sprint's QA figures and the items each reviewer still has.

    \b
    Example: verifier sprint show "week 41"
    """
    from db.types import utcnow
    from verifier.presentation.sprint_board import board

    cli = state(ctx)
    overview, figures = _overview(cli, name)
    for renderable in board(overview, figures, utcnow(), cli.bidi, cli.console.width):
        cli.console.print(renderable, soft_wrap=False)  # sentences wrap between words
        cli.console.print(Text(""))


class ReportFormat(StrEnum):
    MD = "md"
    HTML = "html"


@sprint_app.command("report")
def report(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Sprint name."),
    fmt: ReportFormat = typer.Option(ReportFormat.MD, "--format", help="md or html."),
    output: Path | None = typer.Option(None, "--output", "-o", help="File (default: stdout)."),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
) -> None:
    """The sprint report for the sprint review meeting, in Markdown or as one self-contained
    HTML page with the burn-down as SVG.

    \b
    Example: verifier sprint report "week 41" --format html -o week41.html
    """
    from db.types import utcnow
    from verifier.presentation.sprint_report import render_html, render_markdown

    cli = state(ctx)
    overview, figures = _overview(cli, name)
    render = render_html if fmt == ReportFormat.HTML else render_markdown
    text = render(overview, figures, utcnow())
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_output_file(output, text, force=force)
        cli.err.print(Text(f"wrote {output}"))


@sprint_app.command("reassign")
def reassign(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Sprint name."),
    from_reviewer: str = typer.Option(..., "--from", help="Whose remaining items to move."),
    to: str = typer.Option(..., "--to", help="Who takes them, comma-separated: omar,sara."),
    split: str = typer.Option(
        "balanced", "--split", help="balanced (a source's items stay together) or round-robin."
    ),
) -> None:
    """Give a reviewer's remaining items (unverified or flagged) to others, e.g. when someone
    is ill (leads only). Decided items stay with who decided them.

    \b
    Example: verifier --user layla sprint reassign "week 41" --from omar --to sara,lina
    """
    from verifier.core.review.sprint_reassign import reassign_remaining
    from verifier.core.review.sprints import SplitStrategy, parse_reviewers
    from verifier.core.workspace import resolve_edition

    try:
        strategy = SplitStrategy(split)
    except ValueError:
        raise typer.BadParameter("round-robin or balanced", param_hint="--split") from None
    cli = state(ctx)
    with cli.workspace().session() as session:
        edition = resolve_edition(session, cli.edition_code)
        assert edition.id is not None
        shares = reassign_remaining(
            session, edition.id, name, from_reviewer.strip(), parse_reviewers(to), cli.user,
            strategy,
        )  # fmt: skip
    moved = ", ".join(f"{who} {n:,}" for who, n in shares.items())
    cli.say(
        f"Sprint '{name}': {count(sum(shares.values()), 'item')} of {from_reviewer} moved "
        f"({moved})."
    )
