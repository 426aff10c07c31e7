"""``verifier publish`` and ``verifier publications``; registers ``verifier publication``
(publication_cmds) and ``verifier conflicts`` / ``verifier conflict`` (conflict_cmds)."""

from __future__ import annotations

import json

import typer

from verifier.cli.context import state
from verifier.cli.output import OutputFormat, emit, time_cell
from verifier.core.wording import count, percent


def register(app: typer.Typer) -> None:
    from verifier.cli.commands import conflict_cmds, publication_cmds

    app.command("publish")(publish_command)
    app.command("publications")(publications)
    app.add_typer(publication_cmds.publication_app, name="publication")
    app.command("conflicts")(conflict_cmds.conflicts)
    app.add_typer(conflict_cmds.conflict_app, name="conflict")


def publish_command(
    ctx: typer.Context,
    note: str = typer.Option(..., "--note", help="What this publication is (shown in listings)."),
    max_error_rate: float | None = typer.Option(
        None,
        "--max-error-rate",
        min=0.0,
        max=1.0,
        help="QA gate: refuse while the upper end of the QA error rate's 95% interval is "
        "above this (e.g. 0.05), or while a published item is covered by no QA sample. "
        "Default: the edition's [qa] max_error_rate, if set.",
    ),
) -> None:
    """Publish the edition's verified values as a new immutable snapshot (leads only).

    Only verified items with a confirmed city reach it. Refused, listing every conflict,
    while same-year values disagree, and by the QA gate (--max-error-rate). The QA figures
    are recorded in the publication.

    \b
    Examples:
      verifier --user layla publish --edition las2024 --note "after sprint 2"
      verifier --user layla publish --note "after QA" --max-error-rate 0.05
    """
    from db.types import utcnow
    from verifier.cli.commands.publication_cmds import qa_line
    from verifier.core.audit.anchor_file import check_anchor_target, record_anchor
    from verifier.core.errors import VerifierError
    from verifier.core.publishing import PublishRefusedError, publish
    from verifier.core.workspace import resolve_edition

    cli = state(ctx)
    anchor_target = cli.anchor_path
    if anchor_target is not None:
        check_anchor_target(anchor_target)  # before publishing, not after
    try:
        with cli.workspace().session() as session:
            edition = resolve_edition(session, cli.edition_code)
            publication = publish(session, edition, cli.user, note, max_error_rate=max_error_rate)
            line = (
                f"Published {edition.code} #{publication.number} (id {publication.id}): "
                f"{count(publication.value_count, 'value')}, "
                f"coverage {percent(publication.coverage)}, "
                f"sha256 {publication.content_sha256}"
            )
            qa = json.loads(publication.content).get("qa")
            if qa:
                line += "\n" + qa_line(qa)
    except PublishRefusedError as refused:
        for conflict in refused.conflicts:
            cli.say(f"conflict: {conflict.describe()}", err=True)
        raise
    for part in line.split("\n"):
        cli.say(part)
    if anchor_target is not None:
        # After the commit: on PostgreSQL the publish event is linked into the chain then.
        what = f"publish {edition.code} #{publication.number} (id {publication.id})"
        try:
            with cli.workspace().reading() as session:
                written = record_anchor(session, anchor_target, what, utcnow())
        except VerifierError as error:
            raise VerifierError(
                f"published #{publication.number}, but the log's head was not anchored: {error}"
                " (run `verifier audit anchor` once the anchor file is writable)"
            ) from error
        cli.say(f"anchor appended to {written}", err=True)


def publications(
    ctx: typer.Context,
    fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", help="table, csv or json."),
) -> None:
    """List the edition's publications, newest first.

    \b
    Example: verifier publications
    """
    from sqlmodel import col, select

    from db.models import Publication
    from verifier.core.workspace import resolve_edition

    cli = state(ctx)
    with cli.workspace().reading() as session:
        edition = resolve_edition(session, cli.edition_code)
        query = (
            select(Publication)
            .where(Publication.edition_id == edition.id)
            .order_by(col(Publication.number).desc())
        )
        at = time_cell(cli.console, fmt)
        rows = [
            (p.id, p.number, p.parent_id, p.created_by, at(p.created_at), p.value_count,
             percent(p.coverage), p.content_sha256[:16], p.note)
            for p in session.exec(query)
        ]  # fmt: skip
    columns = ["id", "number", "parent", "by", "at", "values", "coverage", "sha256", "note"]
    emit(cli.console, fmt, f"Publications of {edition.code}", columns, rows, bidi=cli.bidi,
         keep=("sha256",))  # fmt: skip
