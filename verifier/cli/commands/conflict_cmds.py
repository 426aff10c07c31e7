"""``verifier conflicts`` and ``verifier conflict resolve``: verified values that
disagree, and a lead's choice among them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.text import Text

from verifier.cli.context import state
from verifier.cli.output import OutputFormat, emit, write_json

if TYPE_CHECKING:
    from verifier.core.publishing.conflicts import ConflictItem, ConflictView

conflict_app = typer.Typer(help="Disagreeing verified values.", no_args_is_help=True)


def conflicts(
    ctx: typer.Context,
    fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", help="table, csv or json."),
) -> None:
    """List verified values that disagree (same city, indicator and latest year).

    \b
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
    if not found and fmt == OutputFormat.TABLE and cli.console.is_terminal:
        cli.console.print(Text("No open conflicts: no verified values disagree."))
        return
    emit(cli.console, fmt, f"Open conflicts ({len(found)})", columns, rows, bidi=cli.bidi,
         keep=("city", "indicator"))  # fmt: skip


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

    \b
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
        line = f"Resolved {resolution.city_id} · {code} · {resolution.year}: item {item_id} chosen."
    cli.say(line)
