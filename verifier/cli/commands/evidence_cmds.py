"""``verifier evidence check``: is each item's quote in its source document, with its value,
where its locator says? Results are kept in the workspace; this command brings missing and
stale ones up to date, then lists them."""

from __future__ import annotations

from typing import Any

import typer
from rich.text import Text

from db.vocab import EvidenceStatus
from verifier.cli.context import CliState, state
from verifier.cli.output import OutputFormat, table, write_csv, write_json
from verifier.core.errors import NotFoundError
from verifier.core.safe_output import terminal_line
from verifier.core.wording import count

evidence_app = typer.Typer(
    help="The evidence check: each item's quote and value against its stored source document.",
    no_args_is_help=True,
)

CSV_COLUMNS = ["item_id", "status", "page", "found_value", "score", "value", "source", "sha256",
               "place", "hint"]  # fmt: skip


def register(app: typer.Typer) -> None:
    app.add_typer(evidence_app, name="evidence")


@evidence_app.command("check")
def check(
    ctx: typer.Context,
    items: list[int] = typer.Option(
        [], "--item", metavar="ID", help="Only this item (repeatable)."
    ),
    source: str | None = typer.Option(
        None, "--source", metavar="KEY", help="Only this source's items."
    ),
    statuses: list[EvidenceStatus] = typer.Option(
        [],
        "--status",
        metavar="S",
        help="Only items with this status (repeatable): no_document, no_text, "
        "snippet_not_found, value_differs, page_mismatch, match.",
    ),
    fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", help="table, csv or json."),
) -> None:
    """Check items against their source documents and list the results.

    For each item the quote (snippet) is looked for in the source's stored document, first
    where the locator points, then everywhere; then the item's value is compared with the
    number printed there. One status each, the first that applies: no_document, no_text,
    snippet_not_found, value_differs, page_mismatch, match. Results are stored with the
    document's sha256; only missing or stale ones are computed. The JSON is a list of
    {item_id, status, page, found_value, score}.

    \b
    Example: verifier evidence check --status value_differs --format csv > differs.csv
    """  # fmt: skip
    from verifier.core.evidence.listing import load_results
    from verifier.core.evidence.results import Scope
    from verifier.core.items import require_edition
    from verifier.core.workspace import resolve_edition

    cli = state(ctx)
    workspace = cli.workspace()
    with workspace.reading() as session:
        edition = resolve_edition(session, cli.edition_code)
        require_edition(session, items, cli.edition_code)
        scope = Scope(edition.id, tuple(dict.fromkeys(items)), source)
        _check_scope(session, scope)
    _bring_up_to_date(cli, scope)
    with workspace.reading() as session:
        results = load_results(session, scope, [s.value for s in statuses])
    if fmt == OutputFormat.JSON:
        write_json([r.contract() for r in results])
        return
    if fmt == OutputFormat.CSV:
        write_csv(CSV_COLUMNS, [
            [r.item_id, r.status, r.page, r.found_value, r.score, r.value_text, r.source_key,
             r.sha256 or "", r.place, r.hint]
            for r in results
        ])  # fmt: skip
        return
    _print_table(cli, results)


def _check_scope(session: Any, scope: Any) -> None:
    """Unknown item ids or source keys are errors that name them."""
    from sqlmodel import col, select

    from db.models import Item, Source

    key = scope.source_key
    if key is not None and session.exec(select(Source.id).where(Source.key == key)).first() is None:
        raise NotFoundError(f"no source '{key}'")
    if scope.item_ids:
        known = set(
            session.exec(
                select(Item.id).where(
                    col(Item.id).in_(scope.item_ids), Item.edition_id == scope.edition_id
                )
            ).all()
        )
        missing = [str(i) for i in scope.item_ids if i not in known]
        if missing:
            raise NotFoundError(f"no item {', '.join(missing)} in this edition")


def _bring_up_to_date(cli: CliState, scope: Any) -> None:
    """Compute missing and stale results; a login that may not store them (an analyst in
    team mode) is told so and sees the stored ones."""
    from sqlalchemy.exc import DBAPIError

    from verifier.core.evidence.results import run_check

    try:
        run = run_check(cli.workspace(), scope, cli.user)
    except DBAPIError as error:
        from verifier.core.concurrency import explain_database_error

        reason = terminal_line(explain_database_error(error))
        cli.say(f"note: results not brought up to date ({reason})", err=True)
        return
    if run.checked:
        cli.err.print(Text(f"{run.summary()[:-1]} in {run.seconds:.2f} s."))


def _print_table(cli: CliState, results: list[Any]) -> None:
    from collections import Counter

    out = cli.console
    rows = [
        [r.item_id, r.source_key, r.status, r.page, r.found_text or _number(r.found_value),
         r.value_text, r.score, _note(r)]
        for r in results
    ]  # fmt: skip
    columns = ["item", "source", "status", "page", "found", "value", "score", "note"]
    out.print(
        table("Evidence check", columns, rows, bidi=cli.bidi, compact=not out.is_terminal,
              width=max(out.width, 80), keep=("source",))
    )  # fmt: skip
    counts = Counter(r.status for r in results)
    parts = [f"{counts[s]:,} {s.value}" for s in EvidenceStatus if counts[s]]
    out.print(Text(f"{count(len(results), 'item')}: {', '.join(parts) or 'none'}."))


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _note(result: Any) -> str:
    note = result.hint if result.status in ("snippet_not_found", "value_differs") else ""
    if result.status == EvidenceStatus.PAGE_MISMATCH:
        note = f"the locator says {result.place}"
    if result.stale:
        note = "stale: " + (note or "the document changed")
    return note
