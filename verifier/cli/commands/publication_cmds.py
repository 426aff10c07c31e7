"""``verifier publication show|diff|export``: one publication, read from its hashed
content."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.text import Text

from verifier.cli.context import state
from verifier.cli.output import FORCE_HELP, write_output_file
from verifier.core.safe_output import json_text, terminal_line
from verifier.core.wording import agree, count, percent, percent_interval

if TYPE_CHECKING:
    from sqlmodel import Session

    from db.models import Publication
    from verifier.core.sources.history import PublishedSource

publication_app = typer.Typer(help="Published snapshots: show, diff, export.", no_args_is_help=True)


class ExportFormat(StrEnum):
    JSON = "json"
    CSV = "csv"


def qa_line(qa: dict[str, Any]) -> str:
    """The QA figures a publication records, in one line."""
    rate = qa.get("error_rate")
    low, high = qa.get("error_ci") or [0.0, 1.0]
    shown = percent(rate)
    threshold = qa.get("max_error_rate")
    gate = (
        f", gate {percent(threshold)} ({qa.get('max_error_rate_from')})"
        if threshold is not None
        else ""
    )
    return (
        f"QA:         error rate {shown} ({qa.get('errors')} of {qa.get('verified_reviewed')}), "
        f"95% interval {percent_interval(low, high)}; {qa.get('items_covered')} of "
        f"{qa.get('items')} items covered by samples {qa.get('samples')}{gate}"
    )


@publication_app.command("show")
def show(ctx: typer.Context, publication_id: int = typer.Argument(..., metavar="ID")) -> None:
    """Show one publication: who, when, note, counts, coverage, hash, parent, whether the
    stored content still matches its hash and its queryable rows still match the content,
    and the sources of its values as they were when it was published (with what changed
    since).

    Everything shown is read from the hashed content. Exits 1 when the content or its rows
    do not match (see `verifier audit verify`).

    \b
    Example: verifier publication show 3
    """
    from db.models import Publication
    from verifier.core.edition_scope import Numbered, require_in_edition
    from verifier.core.errors import NotFoundError
    from verifier.core.publishing.rows import check_publication

    cli = state(ctx)
    with cli.workspace().reading() as session:
        require_in_edition(session, Numbered.PUBLICATION, [publication_id], cli.edition_code)
        publication = session.get(Publication, publication_id)
        if publication is None:
            raise NotFoundError(f"no publication {publication_id} (see `verifier publications`)")
        check = check_publication(session, publication)
        cited = None
        if isinstance(check.document, dict):
            cited = _cited_sources(session, publication, check.document)
    document = check.document
    if document is None or not isinstance(document.get("publication"), dict):
        cli.err.print(
            Text(
                f"publication {publication_id}: its stored content is not a readable document "
                f"(sha256 {publication.content_sha256} MISMATCH); see `verifier audit verify`"
            )
        )
        raise typer.Exit(1)
    meta = document["publication"]
    if check.verified:
        state_word = "verified"
    elif check.content_intact:
        state_word = "content verified, but its rows do NOT match it"
    else:
        state_word = "MISMATCH"
    safe = terminal_line  # what the document says came from people and files
    lines = [
        f"Publication {publication.id}: {safe(str(document['edition']['code']))} #{meta['number']}",
        f"parent:     {meta['parent_id'] or '(first)'}",
        f"by:         {safe(str(meta['created_by']))}",
        f"at:         {safe(str(meta['created_at']))}",
        f"note:       {safe(str(meta['note']))}",
        f"values:     {meta['value_count']} of "
        f"{count(len(document['cities']), 'city', 'cities')} x "
        f"{count(len(document['indicators']), 'indicator')}",
        f"coverage:   {percent(meta['coverage'])}",
        f"sha256:     {publication.content_sha256} ({state_word})",
    ]
    if document.get("qa"):
        lines.append(safe(qa_line(document["qa"])))
    lines += source_lines(cited)
    for line in lines:
        cli.say(line)
    if not check.content_intact:
        cli.err.print(
            Text(
                "WARNING: the stored content does not hash to its sha256: it was altered "
                "after publishing (see `verifier audit verify`)"
            )
        )
    for problem in check.problems:
        cli.say(f"WARNING: {problem}", err=True)
    if check.more_problems:
        more = f"{check.more_problems:,} more {agree(check.more_problems, 'row problem')}"
        cli.err.print(Text(f"WARNING: … and {more}"))
    if not check.verified:
        raise typer.Exit(1)


def source_lines(cited: list[PublishedSource] | None) -> list[str]:
    """The sources of a publication's values as they were when it was published."""
    if cited is None:
        return ["sources:    as they are now (the publication's position in the log is unknown)"]
    lines = [f"sources:    {len(cited)}, as they were when published"]
    for source in cited:
        then, safe = source.then, terminal_line
        version = f" (version {source.version})" if source.version else ""
        publisher = f" — {safe(then.publisher)}" if then.publisher else ""
        day = f", published {then.published_on.isoformat()}" if then.published_on else ""
        lines.append(f"  {safe(then.key)}{version}: {safe(then.title)}{publisher}{day}")
        if source.changed_since:
            lines.append(f"    changed since: {', '.join(source.changed_since)}")
    return lines


def _cited_sources(
    session: Session, publication: Publication, document: dict[str, Any]
) -> list[PublishedSource] | None:
    """The evidence's sources at the publish event (or at the log head the document
    records), from the document's own evidence ids; None when neither position is known."""
    from verifier.core.provenance.published import publish_event
    from verifier.core.sources.history import cited_sources

    announced = publish_event(session, publication)
    seq = announced.seq if announced is not None else None
    if seq is None:
        head = document.get("publication", {}).get("audit_head")
        seq = head.get("seq") if isinstance(head, dict) else None
    if not isinstance(seq, int):
        return None
    items = {int(i) for value in document.get("values", []) for i in value.get("evidence", [])}
    return cited_sources(session, items, seq)


@publication_app.command("diff")
def diff(
    ctx: typer.Context,
    old: int = typer.Argument(..., metavar="A", help="The earlier publication id."),
    new: int = typer.Argument(..., metavar="B", help="The later publication id."),
) -> None:
    """Show values added, removed and changed between two publications, with the items
    behind each.

    Read from each publication's hashed content. When a content no longer matches its
    sha256 the diff is still shown, under a warning, and the command exits 1.

    \b
    Example: verifier publication diff 2 3
    """
    from verifier.core.edition_scope import Numbered, require_in_edition
    from verifier.core.publishing.diff import diff_checked

    cli = state(ctx)
    with cli.workspace().reading() as session:
        require_in_edition(session, Numbered.PUBLICATION, [old, new], cli.edition_code)
        changes, altered = diff_checked(session, old, new)
    for publication_id in altered:
        cli.err.print(
            Text(
                f"WARNING: publication {publication_id}'s stored content does NOT match its "
                "sha256 (altered after publishing; see `verifier audit verify`): the diff "
                "below compares what is stored now"
            )
        )
    if not changes:
        cli.console.print(Text(f"No value differs between publications {old} and {new}."))
    for change in changes:
        cli.say(change.describe())
    counts = {
        kind: sum(1 for c in changes if c.kind == kind) for kind in ("added", "removed", "changed")
    }
    cli.console.print(Text(", ".join(f"{n} {kind}" for kind, n in counts.items())))
    if altered:
        raise typer.Exit(1)


@publication_app.command("export")
def export(
    ctx: typer.Context,
    publication_id: int = typer.Argument(..., metavar="ID"),
    fmt: ExportFormat = typer.Option(ExportFormat.JSON, "--format", help="json or csv."),
    output: Path | None = typer.Option(None, "--output", "-o", help="File (default: stdout)."),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
) -> None:
    """Write a publication's snapshot: the JSON document (everything needed to recompute the
    ranking, see docs/publication-format.md) or a CSV of its values.

    A stored document that no longer matches its sha256 is still written (to look into it),
    with a warning; the CSV's hash_verified column then says "no" on every row.

    \b
    Example: verifier publication export 3 --format json -o las2024-3.json
    """
    from verifier.core.edition_scope import Numbered, require_in_edition
    from verifier.core.publishing.export import UNVERIFIED_EXPORT, to_csv
    from verifier.core.publishing.snapshot import load_verified_snapshot

    cli = state(ctx)
    with cli.workspace().reading() as session:
        require_in_edition(session, Numbered.PUBLICATION, [publication_id], cli.edition_code)
        document, verified = load_verified_snapshot(session, publication_id)
    if not verified:
        message = UNVERIFIED_EXPORT.format(id=publication_id)
        cli.say(f"warning: {message}", err=True, style="yellow")
    if fmt == ExportFormat.JSON:
        # Lossless (the document still hashes to its sha256), with every control escaped.
        text = json_text(document, sort_keys=True) + "\n"
    else:
        text = to_csv(document, verified)
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_output_file(output, text, force=force)
        cli.err.print(Text(f"wrote {output}"))
