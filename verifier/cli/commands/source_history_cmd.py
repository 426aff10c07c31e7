"""``verifier source history KEY``: every recorded version of a source's metadata."""

from __future__ import annotations

import typer

from verifier.cli.context import state
from verifier.cli.output import OutputFormat, emit


def source_history_command(
    ctx: typer.Context,
    key: str = typer.Argument(..., help="The source's key."),
    fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", help="table, csv or json."),
) -> None:
    """Every recorded version of a source: when, by whom, at which event of the audit
    trail, what changed, and the metadata it said. Reports of a publication show the
    version in force when it was published.

    \b
    Example: verifier source history yearbook-2023
    """
    from verifier.core.sources.history import changed_fields, source_history

    cli = state(ctx)
    with cli.workspace().reading() as session:
        states = source_history(session, key)
    rows = []
    previous = None
    for found in states:
        version = found.version
        changed = ", ".join(changed_fields(previous, version))
        rows.append(
            (
                version.version,
                version.recorded_at.isoformat(timespec="seconds"),
                version.recorded_by or "(before logged changes)",
                found.seq or "",
                "added" if previous is None else changed or "(nothing)",
                version.title,
                version.publisher,
                version.language,
                version.url,
                version.published_on.isoformat() if version.published_on else "",
                version.retrieved_on.isoformat() if version.retrieved_on else "",
                version.file_sha256[:12],
            )
        )
        previous = version
    columns = ["version", "recorded at", "by", "event", "changed", "title", "publisher",
               "language", "url", "published", "retrieved", "sha256"]  # fmt: skip
    emit(cli.console, fmt, f"History of source {key}", columns, rows, bidi=cli.bidi,
         keep=("sha256",))  # fmt: skip
