"""``verifier edition load|list``: an edition's reference data."""

from __future__ import annotations

from pathlib import Path

import typer

from verifier.cli.context import CliState, state
from verifier.cli.output import table

edition_app = typer.Typer(help="Editions: the rankings a workspace holds.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(edition_app, name="edition")


@edition_app.command("load")
def load(
    ctx: typer.Context,
    folder: Path = typer.Argument(..., help="Edition folder (edition.toml, cities.csv, ...)."),
    allow_outside_files: bool = typer.Option(
        False,
        "--allow-outside-files",
        help="Let sources.csv name documents outside the edition folder (refused otherwise).",
    ),
) -> None:
    """Load or update an edition's cities, indicators, experts' weights, sources and reviewers.

    Loading again updates what changed and duplicates nothing. Leads only; the audit trail
    records what changed, each source change and each role granted. The documents that
    sources.csv names in its file column are stored in the workspace, their text
    extracted (see: verifier source show KEY). Those documents must be inside the edition
    folder (links are followed to check) unless --allow-outside-files.

    \b
    Example: verifier edition load fixtures/las2024
    """
    from verifier.core.editions import load_edition
    from verifier.core.evidence.extraction import Limits

    cli = state(ctx)
    limits = Limits.with_megabytes(cli.settings.max_document_mb)
    report = load_edition(
        cli.workspace(), folder, cli.user, limits, files_outside=allow_outside_files
    )
    verb = "Created" if report.created else "Updated"
    counts = ", ".join(f"{n} {what}" for what, n in report.counts.items())
    cli.say(f"{verb} edition {report.edition_code}: {counts}.")
    if report.changes:
        what = "; ".join(
            f"{kind} " + ", ".join(f"{n} {how}" for how, n in counts.items() if n)
            for kind, counts in report.changes.items()
        )
        cli.console.print(f"Changed: {what}.", markup=False)
    else:
        cli.console.print("Nothing changed.", markup=False)
    if report.documents:
        stored = report.documents.values()
        new = sum(1 for d in stored if d.created)
        line = f"Documents: {new} stored, {len(report.documents) - new} already in the workspace."
        scans = sorted(key for key, d in report.documents.items() if d.text_state != "text")
        if scans:
            line += f" Without a text layer: {', '.join(scans)}."
        cli.say(line)
    for note in report.role_notes:
        cli.say(f"note: {note}", err=True)
    if report.kept_indicators:
        kept = ", ".join(report.kept_indicators)
        cli.say(f"note: indicators no longer in the folder were kept: {kept}", err=True)
    _recheck_stale(cli)


def _recheck_stale(cli: CliState) -> None:
    """A source's document may have changed with the folder: the evidence check of the items
    whose results are now stale (none, on a first load)."""
    from verifier.core.evidence.results import Scope, run_check

    run = run_check(cli.workspace(), Scope(None), cli.user)
    if run.checked:
        cli.console.print(run.summary(), markup=False)


@edition_app.command("list")
def list_editions(ctx: typer.Context) -> None:
    """List the editions in the workspace with their item counts.

    \b
    Example: verifier edition list
    """
    from sqlalchemy import func
    from sqlmodel import col, select

    from db.models import Edition, Item

    cli = state(ctx)
    with cli.workspace().reading() as session:
        counts = dict(
            session.exec(select(Item.edition_id, func.count()).group_by(col(Item.edition_id))).all()
        )
        rows = [
            (e.code, e.name, e.name_ar, counts.get(e.id or 0, 0))
            for e in session.exec(select(Edition).order_by(col(Edition.id)))
        ]
    cli.console.print(
        table(
            "Editions",
            ["code", "name", "name_ar", "items count"],
            rows,
            bidi=cli.bidi,
            keep=("code",),
        )
    )
