"""``verifier reviewer add|list`` and ``verifier source add|list``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from verifier.cli.context import CliState, state
from verifier.cli.output import OutputFormat, emit

reviewer_app = typer.Typer(help="Reviewers and their roles.", no_args_is_help=True)
source_app = typer.Typer(help="Source documents items are extracted from.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    from verifier.cli.commands.source_history_cmd import source_history_command
    from verifier.cli.commands.source_show import show_source

    app.add_typer(reviewer_app, name="reviewer")
    app.add_typer(source_app, name="source")
    source_app.command("show")(show_source)
    source_app.command("history")(source_history_command)


@reviewer_app.command("add")
def add_reviewer(
    ctx: typer.Context,
    username: str = typer.Argument(..., help="The name recorded on decisions."),
    role: str = typer.Option("assistant", "--role", help="assistant, lead or analyst."),
    name: str = typer.Option("", "--name", help="Display name."),
) -> None:
    """Add a reviewer or change a reviewer's role; the grant is an audited event.

    On SQLite a lead grants roles (the first reviewer of a workspace is its lead). In team
    mode (PostgreSQL) this creates or alters the reviewer's database login and its group
    membership: run it as the administrator (a login with CREATEROLE). No password is set
    here: see README, Team set-up.

    \b
    Example: verifier --user layla reviewer add omar --role assistant
    """
    from verifier.core.people.roles import team_roles

    cli = state(ctx)
    workspace = cli.workspace()
    with workspace.reading() as session:
        team = team_roles(session) is not None
    if team:
        from verifier.core.people.team import add_team_reviewer

        reviewer, old = add_team_reviewer(workspace, username, role, name)
    else:
        from verifier.core.people.reviewers import set_reviewer

        with workspace.session() as session:
            reviewer, old = set_reviewer(session, username, role, name, granted_by=cli.user)
    before = old.value if old else "new"
    line = f"{reviewer.username}: {reviewer.role}" + (
        f" (was {before})" if old is None or old.value != reviewer.role else " (unchanged)"
    )
    cli.say(line)


@reviewer_app.command("list")
def list_reviewers(
    ctx: typer.Context,
    fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", help="table, csv or json."),
) -> None:
    """List reviewers and their roles.

    \b
    Example: verifier reviewer list
    """
    from sqlmodel import col, select

    from db.models import Reviewer

    cli = state(ctx)
    with cli.workspace().reading() as session:
        rows = [
            (r.username, r.display_name, r.role, r.created_at.isoformat(timespec="seconds"))
            for r in session.exec(select(Reviewer).order_by(col(Reviewer.username)))
        ]
    emit(cli.console, fmt, "Reviewers", ["username", "name", "role", "since"], rows,
         bidi=cli.bidi, keep=("username",))  # fmt: skip


@source_app.command("add")
def add_source(
    ctx: typer.Context,
    key: str = typer.Argument(..., help="The name import rows use in their source column."),
    title: str = typer.Option(..., "--title", help="Title, in the document's language."),
    publisher: str = typer.Option("", "--publisher"),
    language: str = typer.Option("", "--language", help="ar, en, fr..."),
    url: str = typer.Option("", "--url"),
    file: Path | None = typer.Option(
        None, "--file", help="The document: stored in the workspace, its text extracted."
    ),
    published_on: str = typer.Option("", "--published-on", help="YYYY-MM-DD"),
    retrieved_on: str = typer.Option("", "--retrieved-on", help="YYYY-MM-DD"),
) -> None:
    """Add a source document, or update one with the same key. Leads only; the change is
    an audited event that keeps the metadata before it.

    With --file the document (PDF, XLSX, CSV, HTML, text or Markdown) is stored in the
    workspace, once per content, and its text is extracted: every reviewer, on any machine,
    reads the same document. Larger than max_document_mb (200 MB unless set), encrypted or
    damaged documents are refused; a scan without a text layer is stored and said so.

    \b
    Example: verifier source add qa-psa-2023 --title "Qatar in Figures 2023" --language en
      --file qatar-in-figures-2023.pdf
    """
    from verifier.core.evidence.extraction import Limits
    from verifier.core.sources.registry import SourceFields, upsert_source

    fields = SourceFields(
        key=key,
        title=title,
        publisher=publisher,
        language=language,
        url=url,
        file=file,
        published_on=_date(published_on, "--published-on"),
        retrieved_on=_date(retrieved_on, "--retrieved-on"),
    )
    cli = state(ctx)
    limits = Limits.with_megabytes(cli.settings.max_document_mb)
    with cli.workspace().session() as session:
        source, created = upsert_source(session, fields, cli.user, limits)
        line = f"{'Added' if created else 'Updated'} source {source.key} (id {source.id})."
        sha256 = source.file_sha256 if file is not None else ""
    cli.say(line)
    if sha256:
        from verifier.cli.commands.source_show import stored_line

        with cli.workspace().reading() as session:
            cli.say(stored_line(session, sha256))
        _recheck(cli, key)


def _recheck(cli: CliState, key: str) -> None:
    """The evidence check of the source's items whose results the new document made stale."""
    from verifier.core.evidence.results import Scope, run_check

    run = run_check(cli.workspace(), Scope(None, source_key=key), cli.user)
    if run.checked:
        cli.say(run.summary())


@source_app.command("list")
def list_sources(
    ctx: typer.Context,
    fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", help="table, csv or json."),
) -> None:
    """List sources, and whether each has its document stored in the workspace.

    \b
    Example: verifier source list --format json
    """
    from sqlmodel import col, select

    from db.models import Document, Source
    from verifier.cli.commands.source_show import document_words

    cli = state(ctx)
    with cli.workspace().reading() as session:
        documents = {d.sha256: d for d in session.exec(select(Document))}
        rows = [
            (
                s.id,
                s.key,
                s.title,
                s.publisher,
                s.language,
                s.url or s.file_path,
                s.file_sha256[:12],
                document_words(s.file_sha256, documents.get(s.file_sha256)),
            )
            for s in session.exec(select(Source).order_by(col(Source.key)))
        ]
    columns = ["id", "key", "title", "publisher", "language", "url or file", "sha256", "document"]
    emit(cli.console, fmt, "Sources", columns, rows, bidi=cli.bidi, keep=("key", "sha256"))


def _date(text: str, option: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"'{text}' is not YYYY-MM-DD", param_hint=option) from None
