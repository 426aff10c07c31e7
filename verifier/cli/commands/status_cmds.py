"""``verifier status``: the workspace summary."""

from __future__ import annotations

from functools import partial

import typer
from rich.text import Text

from verifier.cli.context import state
from verifier.cli.output import table as make_table

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

    Example: verifier status --cities 0
    """
    from verifier.core.review.summary import summarise
    from verifier.core.workspace import resolve_edition

    cli = state(ctx)
    workspace = cli.workspace()
    with workspace.reading() as session:
        edition = resolve_edition(session, cli.edition_code)
        summary = summarise(session, edition, rejected_limit=rejected)
    out, bidi = cli.console, cli.bidi
    compact = not out.is_terminal  # piped: one line per row, within the width
    table = partial(make_table, bidi=bidi, compact=compact, width=out.width)
    out.print(Text(f"Workspace {workspace.display_url}"))
    out.print(Text(f"Edition {edition.code}: {edition.name}  —  {summary.total} items"))
    counts = "  ".join(f"{s} {summary.by_status[s]}" for s in STATUSES)
    out.print(Text(f"By status: {counts}"))
    bands = "  ".join(f"{b} {n}" for b, n in sorted(summary.by_band.items()))
    out.print(Text(f"City match: {bands}"))
    header = ["", *STATUSES, "total"]
    out.print(table("By indicator", header, _rows(summary.by_indicator)))
    shown = summary.by_city if cities == 0 else summary.by_city[:cities]
    title = "By city" if cities == 0 else f"By city (top {len(shown)} of {len(summary.by_city)})"
    out.print(table(title, header, _rows(shown)))
    batch_rows = [
        (b.id, b.file_name, b.imported_by, b.imported_at, b.accepted, b.rejected, b.duplicates)
        for b in summary.batches
    ]
    columns = ["id", "file", "by", "at", "accepted", "rejected", "duplicates"]
    batches = table("Import batches", columns, batch_rows, keep=("file",))
    out.print(batches)
    if summary.rejected_total:
        title = f"Rejected rows ({summary.rejected_total}; all of them: verifier rejects)"
        rejected_table = table(title, ["file", "row", "reason"], summary.rejected_rows,
                               keep=("file",))  # fmt: skip
        out.print(rejected_table)


def _rows(pivot: list[tuple[str, dict[str, int]]]) -> list[tuple[object, ...]]:
    return [(name, *(c[s] for s in STATUSES), sum(c.values())) for name, c in pivot]
