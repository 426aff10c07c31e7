"""``verifier status``: the workspace summary.

It starts fast: a plain SQLite path or PostgreSQL URL is read straight through the driver
(``db.direct``), without loading SQLAlchemy, pydantic or the models, which cost most of a
second of start-up; anything else, or any driver error, takes the engine's way, which
reads the same SQL (``verifier.core.review.summary``) and explains errors as usual."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

import typer
from rich.text import Text

from verifier.cli import quick_args, quick_start
from verifier.cli.context import CliState, state
from verifier.cli.output import Count
from verifier.cli.output import table as make_table
from verifier.core.wording import count

if TYPE_CHECKING:
    from verifier.core.review.summary import EditionSummary

STATUSES = ("unverified", "verified", "rejected", "flagged")


def register(app: typer.Typer) -> None:
    app.command("status")(status)


def status(
    ctx: typer.Context,
    cities: int = typer.Option(15, "--cities", help="How many cities to list (0: all)."),
    rejected: int = typer.Option(10, "--rejected", help="How many rejected rows to list."),
) -> None:
    """Summarise the workspace: items by status, indicator, city and import batch, and the
    rows imports rejected.

    \b
    Example: verifier status --cities 0
    """
    cli = state(ctx)
    direct = None if quick_start.handed_over("status") else read_direct(cli, rejected)
    read = direct or read_with_engine(cli, rejected)
    show(cli, *read, cities=cities)


def read_direct(cli: CliState, rejected: int) -> tuple[str, EditionSummary, bool] | None:
    """The summary read through the driver; None when the engine must read it."""
    from verifier.cli.direct_edition import open_edition
    from verifier.core.review.summary import summarise

    opened = open_edition(cli)
    if opened is None:
        return None
    try:
        summary = summarise(opened.connection, opened.edition, rejected_limit=rejected)
    except opened.handover_errors:
        return None
    finally:
        opened.close()
    return opened.target.display, summary, opened.bidi


def read_with_engine(cli: CliState, rejected: int) -> tuple[str, EditionSummary, bool]:
    from verifier.core.review.summary import driver_connection, find_edition, summarise

    workspace = cli.workspace()
    with workspace.reading() as session:
        connection = driver_connection(session)
        edition = find_edition(connection, cli.edition_code)
        summary = summarise(connection, edition, rejected_limit=rejected)
    return workspace.display_url, summary, cli.bidi


def show(cli: CliState, display_url: str, summary: EditionSummary, bidi: bool, *, cities: int
         ) -> None:  # fmt: skip
    out = cli.console
    compact = not out.is_terminal  # piped: one line per row, within the width
    table = partial(make_table, bidi=bidi, compact=compact, width=out.width)
    edition = summary.edition
    out.print(Text(f"Workspace {display_url}"))
    cli.say(f"Edition {edition.code}: {edition.name}  —  {count(summary.total, 'item')}")
    counts = "  ".join(f"{s} {summary.by_status[s]:,}" for s in STATUSES)
    out.print(Text(f"By status: {counts}"))
    bands = "  ".join(f"{b} {n:,}" for b, n in sorted(summary.by_band.items()))
    out.print(Text(f"City match: {bands}"))
    header = ["", *STATUSES, "total"]
    out.print(table("By indicator", header, _rows(summary.by_indicator)))
    shown = summary.by_city if cities == 0 else summary.by_city[:cities]
    title = "By city" if cities == 0 else f"By city (top {len(shown)} of {len(summary.by_city)})"
    out.print(table(title, header, _rows(shown)))
    batch_rows = [
        (
            b.id,
            b.file_name,
            b.imported_by,
            b.imported_at,
            Count(b.accepted),
            Count(b.rejected),
            Count(b.duplicates),
        )
        for b in summary.batches
    ]
    columns = ["id", "file", "by", "at", "accepted", "rejected", "duplicates"]
    batches = table("Import batches", columns, batch_rows, keep=("file",))
    out.print(batches)
    if summary.rejected_total:
        title = f"Rejected rows ({summary.rejected_total:,}; all of them: verifier rejects)"
        rejected_table = table(title, ["file", "row", "reason"], summary.rejected_rows,
                               keep=("file",))  # fmt: skip
        out.print(rejected_table)


def _rows(pivot: list[tuple[str, dict[str, int]]]) -> list[tuple[object, ...]]:
    return [(name, *(Count(c[s]) for s in STATUSES), Count(sum(c.values()))) for name, c in pivot]


STATUS_OPTIONS = {"--cities": "cities", "--rejected": "rejected"}


def quick_arguments(argv: list[str]) -> tuple[dict[str, str], dict[str, int]] | None:
    """``[global options] status [--cities N] [--rejected N]`` read without the command
    line parser (``quick_args``); None for anything else."""
    given = quick_args.split(argv, "status", STATUS_OPTIONS)
    if given is None:
        return None
    overrides, options = given
    numbers = {"cities": 15, "rejected": 10}
    for name, value in options.items():
        if not value.lstrip("-").isdigit() or not value.isascii():
            return None
        numbers[name] = int(value)
    return overrides, numbers


def run_quick(argv: list[str]) -> int | None:
    """``verifier status`` read directly, without the command line parser; its exit status,
    or None when the parser and the engine must do it (see ``quick_arguments``)."""
    given = quick_arguments(argv)
    if given is None:
        return None
    overrides, numbers = given
    cli = CliState(overrides={"db": None, "user": None, "edition": None, **overrides})

    def summarise() -> bool:
        read = read_direct(cli, numbers["rejected"])
        if read is not None:
            show(cli, *read, cities=numbers["cities"])
        return read is not None

    return quick_start.run("status", summarise)
