"""``verifier publish``, ``verifier publications``, ``verifier publication show|diff|export``
and ``verifier conflicts`` / ``verifier conflict resolve``."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.text import Text

from verifier.cli.context import state
from verifier.cli.output import FORCE_HELP, OutputFormat, emit, write_json, write_output_file
from verifier.core.safe_output import json_text, terminal_line

if TYPE_CHECKING:
    from sqlmodel import Session

    from db.models import Publication
    from verifier.core.publishing.conflicts import ConflictItem, ConflictView
    from verifier.core.sources.history import PublishedSource

publication_app = typer.Typer(help="Published snapshots: show, diff, export.", no_args_is_help=True)
conflict_app = typer.Typer(help="Disagreeing verified values.", no_args_is_help=True)


class ExportFormat(StrEnum):
    JSON = "json"
    CSV = "csv"


def register(app: typer.Typer) -> None:
    app.command("publish")(publish_command)
    app.command("publications")(publications)
    app.add_typer(publication_app, name="publication")
    app.command("conflicts")(conflicts)
    app.add_typer(conflict_app, name="conflict")


def publish_command(
    ctx: typer.Context,
    note: str = typer.Option(..., "--note", help="What this publication is (shown in listings)."),
    max_error_rate: float | None = typer.Option(
        None,
        "--max-error-rate",
        min=0.0,
        max=1.0,
        help="QA gate: refuse while the upper end of the QA error rate's 95 % interval is "
        "above this (e.g. 0.05), or while a published item is covered by no QA sample. "
        "Default: the edition's [qa] max_error_rate, if set.",
    ),
) -> None:
    """Publish the edition's verified values as a new immutable snapshot (leads only).

    Only verified items with a confirmed city reach it. Refused, listing every conflict,
    while same-year values disagree, and by the QA gate (--max-error-rate). The QA figures
    are recorded in the publication.

    Examples:
      verifier --user layla publish --edition las2024 --note "after sprint 2"
      verifier --user layla publish --note "after QA" --max-error-rate 0.05
    """
    from db.types import utcnow
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
                f"{publication.value_count} values, coverage {publication.coverage:.1%}, "
                f"sha256 {publication.content_sha256}"
            )
            qa = json.loads(publication.content).get("qa")
            if qa:
                line += "\n" + qa_line(qa)
    except PublishRefusedError as refused:
        for conflict in refused.conflicts:
            cli.err.print(Text(f"conflict: {terminal_line(conflict.describe())}"))
        raise
    cli.console.print(Text(line))
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
        cli.err.print(Text(terminal_line(f"anchor appended to {written}")))


def qa_line(qa: dict[str, Any]) -> str:
    """The QA figures a publication records, in one line."""
    rate = qa.get("error_rate")
    low, high = qa.get("error_ci") or [0.0, 1.0]
    shown = "—" if rate is None else f"{rate:.1%}"
    threshold = qa.get("max_error_rate")
    gate = (
        f", gate {threshold:.1%} ({qa.get('max_error_rate_from')})" if threshold is not None else ""
    )
    return (
        f"QA:         error rate {shown} ({qa.get('errors')} of {qa.get('verified_reviewed')}), "
        f"95 % interval {low:.1%}–{high:.1%}; {qa.get('items_covered')} of {qa.get('items')} "
        f"items covered by samples {qa.get('samples')}{gate}"
    )


def publications(
    ctx: typer.Context,
    fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", help="table, csv or json."),
) -> None:
    """List the edition's publications, newest first.

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
        rows = [
            (p.id, p.number, p.parent_id, p.created_by, p.created_at.isoformat(timespec="seconds"),
             p.value_count, f"{p.coverage:.1%}", p.content_sha256[:16], p.note)
            for p in session.exec(query)
        ]  # fmt: skip
    columns = ["id", "number", "parent", "by", "at", "values", "coverage", "sha256", "note"]
    emit(cli.console, fmt, f"Publications of {edition.code}", columns, rows, bidi=cli.bidi)


@publication_app.command("show")
def show(ctx: typer.Context, publication_id: int = typer.Argument(..., metavar="ID")) -> None:
    """Show one publication: who, when, note, counts, coverage, hash, parent, whether the
    stored content still matches its hash and its queryable rows still match the content,
    and the sources of its values as they were when it was published (with what changed
    since).

    Everything shown is read from the hashed content. Exits 1 when the content or its rows
    do not match (see `verifier audit verify`).

    Example: verifier publication show 3
    """
    from db.models import Publication
    from verifier.core.errors import NotFoundError
    from verifier.core.publishing.rows import check_publication

    cli = state(ctx)
    with cli.workspace().reading() as session:
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
        f"{len(document['cities'])} cities x {len(document['indicators'])} indicators",
        f"coverage:   {meta['coverage']:.1%}",
        f"sha256:     {publication.content_sha256} ({state_word})",
    ]
    if document.get("qa"):
        lines.append(safe(qa_line(document["qa"])))
    lines += source_lines(cited)
    for line in lines:
        cli.console.print(Text(line))
    if not check.content_intact:
        cli.err.print(
            Text(
                "WARNING: the stored content does not hash to its sha256: it was altered "
                "after publishing (see `verifier audit verify`)"
            )
        )
    for problem in check.problems:
        cli.err.print(Text(terminal_line(f"WARNING: {problem}")))
    if check.more_problems:
        cli.err.print(Text(f"WARNING: … and {check.more_problems} more row problem(s)"))
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

    Example: verifier publication diff 2 3
    """
    from verifier.core.publishing.diff import diff_checked

    cli = state(ctx)
    with cli.workspace().reading() as session:
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
        cli.console.print(Text(terminal_line(change.describe())))
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

    Example: verifier publication export 3 --format json -o las2024-3.json
    """
    from verifier.core.publishing.export import UNVERIFIED_EXPORT, to_csv
    from verifier.core.publishing.snapshot import load_verified_snapshot

    cli = state(ctx)
    with cli.workspace().reading() as session:
        document, verified = load_verified_snapshot(session, publication_id)
    if not verified:
        message = UNVERIFIED_EXPORT.format(id=publication_id)
        cli.err.print(Text(f"warning: {message}", style="yellow"))
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


def conflicts(
    ctx: typer.Context,
    fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", help="table, csv or json."),
) -> None:
    """List verified values that disagree (same city, indicator and latest year).

    Example: verifier conflicts
    """
    from verifier.core.publishing import open_conflicts
    from verifier.core.workspace import resolve_edition

    cli = state(ctx)
    with cli.workspace().reading() as session:
        edition = resolve_edition(session, cli.edition_code)
        found = open_conflicts(session, edition.id or 0)
    if fmt == OutputFormat.JSON:
        write_json([_conflict_json(c) for c in found])
        return
    # One line per item: each competing value as written, its source, who verified it.
    columns = ["city", "name", "indicator", "year", "value", "item", "as written", "source",
               "locator", "verified by", "verified at"]  # fmt: skip
    rows = [
        (c.city_id, f"{c.city_name} {c.city_country}".strip(), c.indicator_code, c.year,
         f"{i.value:g} {c.unit}".strip(), i.id, i.value_text, i.source_title, i.locator,
         i.verified_by, i.verified_at.strftime("%Y-%m-%d %H:%M") if i.verified_at else "")
        for c in found
        for i in c.items
    ]  # fmt: skip
    emit(cli.console, fmt, f"Open conflicts ({len(found)})", columns, rows, bidi=cli.bidi)


def _conflict_json(conflict: ConflictView) -> dict[str, object]:
    def item(i: ConflictItem) -> dict[str, object]:
        return {
            "item": i.id,
            "value_text": i.value_text,
            "source_key": i.source_key,
            "source_title": i.source_title,
            "locator": i.locator,
            "verified_by": i.verified_by,
            "verified_at": i.verified_at.isoformat() if i.verified_at else None,
        }

    return {
        "city_id": conflict.city_id,
        "city": conflict.city_name,
        "country": conflict.city_country,
        "indicator": conflict.indicator_code,
        "year": conflict.year,
        "unit": conflict.unit,
        "values": [
            {"value": value, "items": [item(i) for i in conflict.items if i.id in ids]}
            for value, ids in conflict.values
        ],
    }


@conflict_app.command("resolve")
def resolve(
    ctx: typer.Context,
    item_id: int = typer.Argument(..., metavar="ITEM", help="The item whose value is right."),
    reason: str = typer.Option(..., "--reason", help="Why this value (kept in the audit trail)."),
) -> None:
    """Resolve a conflict by choosing one item's value (leads only).

    Example: verifier --user layla conflict resolve 812 --reason "ministry figure is final"
    """
    from db.models import Indicator
    from verifier.core.publishing import resolve_conflict
    from verifier.core.workspace import resolve_edition

    cli = state(ctx)
    with cli.workspace().session() as session:
        # Items are numbered across the workspace; a named edition must be the item's own.
        edition = resolve_edition(session, cli.edition_code) if cli.edition_code else None
        resolution = resolve_conflict(session, item_id, cli.user, reason, edition)
        indicator = session.get(Indicator, resolution.indicator_id)
        code = indicator.code if indicator is not None else f"indicator {resolution.indicator_id}"
        line = terminal_line(
            f"Resolved {resolution.city_id} · {code} · {resolution.year}: item {item_id} chosen."
        )
    cli.console.print(Text(line))
