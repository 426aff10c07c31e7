"""``verifier audit verify``: re-compute the review log's hash chain and check publications."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

import typer
from rich.text import Text

from verifier.cli.context import state
from verifier.core.safe_output import json_text, terminal_line
from verifier.core.wording import agree, count

if TYPE_CHECKING:
    from rich.console import Console

    from verifier.core.audit import AuditResult

audit_app = typer.Typer(help="The tamper-evident audit trail.", no_args_is_help=True)

FINDINGS_SHOWN = 50


class AuditFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def verify(
    ctx: typer.Context,
    anchors: list[str] = typer.Option(
        [],
        "--anchor",
        metavar="SEQ:SHA256",
        help="A head printed by an earlier check and kept elsewhere; the log must still "
        "hold that hash at that position. Repeatable.",
    ),
    fmt: AuditFormat = typer.Option(
        AuditFormat.TEXT,
        "--format",
        help="text or json (json names every item and batch found, as --all does).",
    ),
    every: bool = typer.Option(
        False,
        "--all",
        help=f"Name every item and batch found; by default each check names {FINDINGS_SHOWN} "
        "and counts the rest.",
    ),
) -> None:
    """Check that no one altered, deleted or inserted events or publications.

    Re-computes the hash chain of every event, checks every publication against its hash
    and its publish event, every conflict resolution against its event, and every source
    against its recorded history. Exits 1 and
    names the first break when anything does not match.

    Keep the printed head (SEQ:SHA256) somewhere else: passing it back with --anchor also
    catches a log whose hashes were all recomputed after a change. With the `anchor`
    setting, every head recorded in that file is checked too, and the report says plainly
    how many of the newest events no anchor covers.

    Items imported before import digests existed are counted, not checked, until a lead
    runs `verifier audit seal`.

    \b
    Example: verifier audit verify --anchor 5120:9f86d081884c7d65…
    Example: verifier audit verify --format json   (every item found, by id)
    """
    from verifier.core.audit import parse_anchor, verify_audit

    cli = state(ctx)
    parsed = [parse_anchor(text) for text in anchors]
    every = every or fmt == AuditFormat.JSON
    with cli.workspace().reading() as session:
        result = verify_audit(
            session, parsed, cli.anchor_path, limit=None if every else FINDINGS_SHOWN
        )
    if fmt == AuditFormat.JSON:
        document = {
            "intact": result.intact,
            "events": result.events,
            "head": {"seq": result.head_seq, "hash": result.head_hash},
            "publications": result.publications,
            "resolutions": result.resolutions,
            "sources": result.sources,
            "items": result.items,
            "items_status_only": result.items_status_only,
            "items_without_digest": result.items_without_digest,
            "batches": result.batches,
            "rejected_rows": result.rejected_rows,
            "batches_unsealed": result.batches_unsealed,
            "anchors": {
                "checked": result.anchors,
                "file": result.anchor_file,
                "newest": result.newest_anchor or None,
                "covered_up_to": result.covered_seq,
                "uncovered_events": result.uncovered,
            },
            "findings": [
                {
                    "kind": f.kind,
                    "seq": f.seq,
                    "event_id": f.event_id,
                    "item_id": f.item_id,
                    "batch_id": f.batch_id,
                    "message": f.message,
                }
                for f in result.findings
            ],
            "item_ids": sorted({f.item_id for f in result.findings if f.item_id is not None}),
            "batch_ids": sorted({f.batch_id for f in result.findings if f.batch_id is not None}),
        }
        # Findings quote what is in the database, which may be hostile.
        typer.echo(json_text(document))
    else:
        _print_text(cli.console, result, every, cli.console.is_terminal and cli.display_bidi())
    if not result.intact:
        raise typer.Exit(1)


def _print_text(console: Console, result: AuditResult, every: bool, bidi: bool) -> None:
    from verifier.presentation.display import shown_message

    checked = (
        f"Checked {count(result.events, 'event')}, "
        f"{count(result.publications, 'publication')}, "
        f"{count(result.resolutions, 'conflict resolution')}, "
        f"{count(result.sources, 'source')}, {count(result.items, 'item')} and "
        f"{count(result.anchors, 'anchor')}."
    )
    console.print(Text(checked))
    head = f"Head: {result.head_seq}:{result.head_hash}"
    if result.items_status_only:
        console.print(
            Text(
                f"{count(result.items_status_only, 'item')} "
                f"{agree(result.items_status_only, 'has', 'have')} no event recording their "
                "city and value (never decided, or decided before events recorded them): their "
                "status is checked against the log, their imported fields and the engine's "
                "city against their import digests."
            )
        )
    unsealed = unsealed_note(result)
    if unsealed:
        console.print(Text(unsealed))
    if result.intact:
        console.print(Text("The audit trail is intact."))
        console.print(Text(terminal_line(coverage(result))))
        console.print(Text(f"{head}  (keep it elsewhere; pass it back with --anchor)"))
        return
    first = result.first_break
    assert first is not None
    where = f"event #{first.seq}" if first.seq is not None else "a record outside the chain"
    console.print(Text(f"TAMPERING DETECTED: first break at {where}.", style="bold red"))
    shown = result.findings if every else result.findings[:FINDINGS_SHOWN]
    for finding in shown:
        # Messages quote actors and actions from the database: no control sequences.
        console.print(Text(f"- [{finding.kind}] {shown_message(finding.message, bidi=bidi)}"))
    if len(result.findings) > len(shown):
        console.print(
            Text(
                f"… and {count(len(result.findings) - len(shown), 'more finding')}: --all or "
                "--format json names every one."
            )
        )
    elif any(f.message.startswith("… and ") for f in result.findings):
        console.print(Text("--all or --format json names every item and batch counted above."))
    console.print(Text(terminal_line(coverage(result))))
    console.print(Text(head))


def unsealed_note(result: AuditResult) -> str:
    """What digests do not cover yet, and how to cover it (empty when all is covered)."""
    parts = []
    if result.items_without_digest:
        parts.append(count(result.items_without_digest, "item"))
    if result.batches_unsealed:
        batches = count(result.batches_unsealed, "import batch", "import batches")
        parts.append(f"the rejected rows of {batches}")
    if not parts:
        return ""
    # "1 item was", but "the rejected rows of 1 batch were" and "1 item and … were".
    verb = "was" if (result.items_without_digest, result.batches_unsealed) == (1, 0) else "were"
    return (
        f"{' and '.join(parts)} {verb} imported before import digests existed: not covered. "
        "A lead can record their digests as they stand now with `verifier audit seal` "
        "(it attests their state at sealing, not at import)."
    )


def coverage(result: AuditResult) -> str:
    """Plainly: which of the newest events an anchor kept elsewhere vouches for."""
    if result.anchor_file is None:
        source = "No anchor file is configured (the `anchor` setting)"
    else:
        source = f"Anchor file {result.anchor_file}: {count(result.anchors, 'anchor')} of this log"
        if result.anchor_file_other_logs:
            source += (
                f" ({result.anchor_file_other_logs} of other logs: another workspace's, or "
                "this log was rewritten from its first event)"
            )
    if result.head_seq == 0:
        return f"{source}; the log is empty."
    if result.uncovered == 0:
        return f"{source}; every event up to the head #{result.head_seq} is covered."
    first = result.covered_seq + 1
    span = (
        f"event #{first} is"
        if first == result.head_seq
        else f"the newest {result.uncovered} events (#{first}–#{result.head_seq}) are"
    )
    return (
        f"{source}; {span} covered by no anchor or publication: deleting or rewriting them "
        "would go unnoticed. Record the head with `verifier audit anchor`."
    )


@audit_app.command("anchor")
def anchor(
    ctx: typer.Context,
    record: bool = typer.Option(
        True,
        "--record/--no-record",
        help="Also append the head to the configured anchor file (the `anchor` setting).",
    ),
) -> None:
    """Print the review log's current head (SEQ:SHA256) and append it to the anchor file.

    Keep the head outside the workspace: `verifier audit verify` reads the anchor file by
    itself (or takes heads with --anchor), and a log cut short or rewritten up to an
    anchor no longer matches it. Run it after a working session, or on a schedule.

    \b
    Example: verifier audit anchor
    """
    from db.types import utcnow
    from verifier.core.audit.anchor_file import check_anchor_target, record_anchor
    from verifier.core.eventlog.chain import read_head

    cli = state(ctx)
    target = cli.anchor_path if record else None
    if target is not None:
        check_anchor_target(target)
    with cli.workspace().reading() as session:
        head = read_head(session)
        written = (
            record_anchor(session, target, "audit anchor", utcnow())
            if target is not None and head.seq
            else None
        )
    typer.echo(f"{head.seq}:{head.hash}")
    if written is not None:
        cli.err.print(Text(terminal_line(f"appended to {written}")))
    elif record and head.seq:
        cli.err.print(
            Text("no anchor file is configured (the `anchor` setting): keep this head elsewhere")
        )


@audit_app.command("seal")
def seal_command(ctx: typer.Context) -> None:
    """Record the digests of items imported before import digests existed (leads only).

    Such items, and the rejected rows of such imports, are only counted by `audit verify`.
    Sealing gives each item its digests as the row stands now and records them, with the
    digest of each batch's rejected rows, in a hash-chained `seal` event: from then on
    `audit verify` and `publish` check them like any later import.

    A seal attests their state when sealed, not at import: a row changed before the seal is
    sealed as changed. Batches whose digests the log already records are never sealed
    again. Run `audit verify` first, and seal only a workspace it finds intact.

    \b
    Example: verifier audit seal
    """
    from verifier.core.audit.seal import seal

    cli = state(ctx)
    with cli.workspace().session() as session:
        result = seal(session, cli.user)
    if not result.editions:
        cli.console.print(Text("Nothing to seal: every import's digests are in the log."))
        return
    for edition in result.editions:
        cli.console.print(
            Text(
                f"Edition {edition.edition_id}: sealed {count(edition.items, 'item')} in "
                f"{count(len(edition.batches), 'batch', 'batches')}, and the rejected rows of "
                f"{count(len(edition.rejected), 'batch', 'batches')} "
                f"(event id {edition.event_id})."
            )
        )
    cli.console.print(
        Text(
            "This attests their state now, at sealing, not what their import wrote: "
            "`audit verify` checks them from here on."
        )
    )
