"""``verifier audit verify``: re-compute the review log's hash chain and check publications."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import TYPE_CHECKING

import typer
from rich.text import Text

from verifier.cli.context import state
from verifier.core.text import one_line

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
    fmt: AuditFormat = typer.Option(AuditFormat.TEXT, "--format", help="text or json."),
) -> None:
    """Check that no one altered, deleted or inserted events or publications.

    Re-computes the hash chain of every event, checks every publication against its hash
    and its publish event, and every conflict resolution against its event. Exits 1 and
    names the first break when anything does not match.

    Keep the printed head (SEQ:SHA256) somewhere else: passing it back with --anchor also
    catches a log whose hashes were all recomputed after a change.

    Example: verifier audit verify --anchor 5120:9f86d081884c7d65…
    """
    from verifier.core.audit import parse_anchor, verify_audit

    cli = state(ctx)
    parsed = [parse_anchor(text) for text in anchors]
    with cli.workspace().reading() as session:
        result = verify_audit(session, parsed)
    if fmt == AuditFormat.JSON:
        document = {
            "intact": result.intact,
            "events": result.events,
            "head": {"seq": result.head_seq, "hash": result.head_hash},
            "publications": result.publications,
            "resolutions": result.resolutions,
            "findings": [
                {"kind": f.kind, "seq": f.seq, "event_id": f.event_id, "message": f.message}
                for f in result.findings
            ],
        }
        # ASCII only: findings quote what is in the database, which may be hostile.
        typer.echo(json.dumps(document, indent=2))
    else:
        _print_text(cli.console, result)
    if not result.intact:
        raise typer.Exit(1)


def _print_text(console: Console, result: AuditResult) -> None:
    checked = (
        f"Checked {result.events} events, {result.publications} publication(s) and "
        f"{result.resolutions} conflict resolution(s)."
    )
    console.print(Text(checked))
    head = f"Head: {result.head_seq}:{result.head_hash}"
    if result.intact:
        console.print(Text("The audit trail is intact."))
        console.print(Text(f"{head}  (keep it elsewhere; pass it back with --anchor)"))
        return
    first = result.first_break
    assert first is not None
    where = f"event #{first.seq}" if first.seq is not None else "a record outside the chain"
    console.print(Text(f"TAMPERING DETECTED: first break at {where}.", style="bold red"))
    for finding in result.findings[:FINDINGS_SHOWN]:
        # Messages quote actors and actions from the database: no control sequences.
        console.print(Text(f"- [{finding.kind}] {one_line(finding.message)}"))
    if len(result.findings) > FINDINGS_SHOWN:
        console.print(Text(f"… and {len(result.findings) - FINDINGS_SHOWN} more finding(s)."))
    console.print(Text(head))
