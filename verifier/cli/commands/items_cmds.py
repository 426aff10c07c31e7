"""``verifier items`` (the review queue as a listing: ``items_list``) and ``verifier item
show|set-status|note|match|confirm-label|undo``: the review UI's actions from the command
line, through the same domain functions, so the review log is the same whichever way a
decision was made."""

from __future__ import annotations

from dataclasses import asdict
from enum import StrEnum
from typing import Any

import typer
from rich.text import Text

from verifier.cli.commands import items_list
from verifier.cli.context import state
from verifier.core.safe_output import json_text
from verifier.core.wording import count


class ShowFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


item_app = typer.Typer(help="One item: show it, decide it, match its city.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.command("items")(items_list.items)
    app.add_typer(item_app, name="item")


@item_app.command("show")
def show(
    ctx: typer.Context,
    item_id: int = typer.Argument(..., help="Item id."),
    fmt: ShowFormat = typer.Option(ShowFormat.TEXT, "--format", help="text or json."),
) -> None:
    """Everything about one item: label, city candidates, indicator, value, source, snippet,
    items for the same city, indicator and year, and its history.

    \b
    Example: verifier item show 42
    """
    from verifier.core.items import require_edition
    from verifier.core.review.itemview import load_item_view
    from verifier.presentation import itemrender

    cli = state(ctx)
    with cli.workspace().reading() as session:
        require_edition(session, [item_id], cli.edition_code)
        view = load_item_view(session, item_id)
    if fmt == ShowFormat.JSON:
        typer.echo(json_text(asdict(view), default=str))
        return
    out, bidi = cli.console, cli.bidi
    for renderable in itemrender.full_sections(view, out.width, bidi):
        out.print(renderable)


@item_app.command("set-status")
def set_status(
    ctx: typer.Context,
    item_ids: list[int] = typer.Argument(..., help="One or more item ids."),
    status: str = typer.Option(..., "--status", help="verified, rejected or flagged."),
    note: str = typer.Option("", "--note", help="A note (a flag needs one)."),
    reason: str = typer.Option(
        "", "--reason", help="Why (a rejection, or changing a verified/rejected item, needs one)."
    ),
) -> None:
    """Verify, reject or flag items. Each item is its own transaction, decided on the
    version read when the command started: an item someone else changes meanwhile is
    reported as stale (never overwritten), a deadlock or serialisation failure is retried,
    and the command goes on with the other items. A summary gives the counts; the exit
    status is 1 if any item was not decided.

    \b
    Examples:
      verifier item set-status 12 13 --status verified
      verifier item set-status 14 --status rejected --reason "value is for 2019"
    """
    from sqlalchemy.exc import DBAPIError
    from sqlmodel import col, select

    from db.models import Item
    from verifier.core.concurrency import explain_database_error, is_stale, with_retries
    from verifier.core.errors import VerifierError, WorkspaceBusyError
    from verifier.core.items import require_edition
    from verifier.core.review import decisions

    if status not in ("verified", "rejected", "flagged"):
        raise typer.BadParameter("verified, rejected or flagged", param_hint="--status")
    cli = state(ctx)
    workspace, user = cli.workspace(), cli.user
    with workspace.reading() as session:
        # An id of another edition than the named one refuses the whole command: the ids
        # or the edition are wrong, and no decision is written.
        require_edition(session, item_ids, cli.edition_code)
        seen = dict(
            session.exec(select(Item.id, Item.version).where(col(Item.id).in_(item_ids))).all()
        )
    counts = {"decided": 0, "stale": 0, "refused": 0, "failed": 0}
    locked_out = False  # waited the whole lock_timeout once: not again for every item
    for item_id in item_ids:
        if locked_out:
            counts["failed"] += 1
            cli.err.print(
                Text(
                    f"item {item_id}: not tried: the workspace is still locked by another "
                    "writer; nothing saved",
                    style="red",
                )
            )
            continue

        def decide(session: Any, item_id: int = item_id) -> str:
            event = decisions.set_status(
                session,
                item_id,
                status,
                user,
                note=note,
                reason=reason,
                expected_version=seen.get(item_id),
            )
            return f"item {item_id}: {event.old_status} → {event.new_status}"

        try:
            cli.say(with_retries(workspace, decide))
            counts["decided"] += 1
        except Exception as error:
            if is_stale(error):
                counts["stale"] += 1
                message = (
                    "stale: someone else changed it after this command read it; not saved "
                    "(look at it again: verifier item show " + str(item_id) + ")"
                )
            elif isinstance(error, WorkspaceBusyError):
                counts["failed"] += 1
                message, locked_out = str(error), True
            elif isinstance(error, VerifierError):
                counts["refused"] += 1
                message = str(error)
            elif isinstance(error, DBAPIError):
                counts["failed"] += 1
                message = explain_database_error(error)
            else:
                raise
            cli.say(f"item {item_id}: {message}", err=True, style="red")
    if len(item_ids) > 1 or counts["decided"] != len(item_ids):
        cli.err.print(Text(decision_summary(len(item_ids), counts)))
    if counts["decided"] != len(item_ids):
        raise typer.Exit(1)


def decision_summary(total: int, counts: dict[str, int]) -> str:
    """ "1,155 items: 1,153 decided, 2 stale.": every number written as counts are."""
    parts = ", ".join(f"{n:,} {what}" for what, n in counts.items() if n or what == "decided")
    return f"{count(total, 'item')}: {parts}."


@item_app.command("note")
def note(
    ctx: typer.Context,
    item_id: int = typer.Argument(..., help="Item id."),
    text: str = typer.Argument(..., help="The note."),
) -> None:
    """Add a note to an item's history without changing its status.

    \b
    Example: verifier item note 42 "table 3 is on page 41 in the printed edition"
    """
    from verifier.core.items import require_edition
    from verifier.core.review import decisions

    cli = state(ctx)
    with cli.workspace().session() as session:
        require_edition(session, [item_id], cli.edition_code)
        decisions.add_note(session, item_id, cli.user, text)
    cli.console.print(Text(f"item {item_id}: note added"))


@item_app.command("match")
def match(
    ctx: typer.Context,
    item_id: int = typer.Argument(..., help="Item id."),
    city: str = typer.Option(..., "--city", help="City id, e.g. lb-tripoli."),
    note: str = typer.Option("", "--note", help="Why this city."),
) -> None:
    """Set an item's city. The raw label is learned as an alias of the city.

    \b
    Example: verifier item match 42 --city lb-tripoli
    """
    from verifier.core.cities import decisions as city_decisions
    from verifier.core.items import require_edition

    cli = state(ctx)
    with cli.workspace().session() as session:
        require_edition(session, [item_id], cli.edition_code)
        event = city_decisions.set_item_city(session, item_id, city, cli.user, note=note)
        old = event.payload.get("old_city") or "none"
    cli.say(f"item {item_id}: city {old} → {city}")


@item_app.command("confirm-label")
def confirm_label(
    ctx: typer.Context,
    item_id: int = typer.Argument(..., help="An item with the label to confirm."),
    city: str = typer.Option(..., "--city", help="City id for every item with that label."),
) -> None:
    """Confirm a city for every item with the same raw label (and country hint) as ITEM_ID,
    in one decision that `verifier item undo` reverts as a whole.

    Only items still as they were when the command started are changed: one someone else
    changes meanwhile is reported as stale and left alone (the exit status is then 1), and
    a deadlock or serialisation failure with a colleague's decision is retried.

    \b
    Example: verifier item confirm-label 42 --city sa-riyadh
    """
    from sqlmodel import select

    from db.models import Item
    from verifier.core.cities import decisions as city_decisions
    from verifier.core.concurrency import with_retries
    from verifier.core.items import load_item, require_edition

    cli = state(ctx)
    workspace, user = cli.workspace(), cli.user
    with workspace.reading() as session:
        item = load_item(session, item_id)
        require_edition(session, [item_id], cli.edition_code)
        seen: dict[int, int] = {
            found_id: version
            for found_id, version in session.exec(
                select(Item.id, Item.version).where(
                    Item.edition_id == item.edition_id,
                    Item.label_key == item.label_key,
                    Item.country == item.country,
                )
            )
            if found_id is not None
        }

    def confirm(session: Any) -> city_decisions.LabelConfirmation:
        # The label's items are read again on each attempt; a retry after a deadlock then
        # sees what the colleague saved, and reports it as stale against ``seen``.
        return city_decisions.confirm_label_as_seen(session, item_id, city, user, seen=seen)

    outcome = with_retries(workspace, confirm)
    for event in outcome.events:
        old = event.payload.get("old_city") or "none"
        cli.say(f"item {event.item_id}: city {old} → {city}")
    cli.say(f"{count(len(outcome.events), 'item')} now {city}")
    for stale_id in outcome.stale:
        cli.err.print(
            Text(
                f"item {stale_id}: stale: someone else changed it after this command read it; "
                f"not changed (look at it again: verifier item show {stale_id})",
                style="red",
            )
        )
    if outcome.stale:
        confirmed, stale = len(outcome.events), len(outcome.stale)
        already = max(0, len(seen) - confirmed - stale)
        counts = [f"{confirmed} confirmed", f"{stale} stale"]
        counts += [f"{already} already {city}"] if already else []
        summary = f"{count(len(seen), 'item')} with this label: {', '.join(counts)}."
        cli.say(summary, err=True)
        raise typer.Exit(1)


@item_app.command("undo")
def undo(ctx: typer.Context) -> None:
    """Undo your last status or city decision in this edition (a bulk confirmation as a
    whole). Refused if someone changed the item since.

    \b
    Example: verifier --user omar item undo
    """
    from verifier.core.review import decisions
    from verifier.core.workspace import resolve_edition

    cli = state(ctx)
    with cli.workspace().session() as session:
        edition = resolve_edition(session, cli.edition_code)
        assert edition.id is not None
        undos = decisions.undo_last(session, edition.id, cli.user)
        lines = [_undo_line(e.item_id, e.payload, e.old_status, e.new_status) for e in undos]
    for line in lines:
        cli.say(line)


def _undo_line(
    item_id: int | None, payload: dict[str, Any], old: str | None, new: str | None
) -> str:
    if payload.get("undone_action") == "match":
        before, after = payload.get("old_city") or "none", payload.get("new_city") or "none"
        return f"item {item_id}: city {before} → {after}"
    return f"item {item_id}: {old} → {new}"
