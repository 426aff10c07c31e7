"""``verifier cities`` (the edition's gazetteer) and ``verifier rematch``."""

from __future__ import annotations

import typer
from rich.text import Text

from verifier.cli.context import state
from verifier.cli.output import OutputFormat, emit


def register(app: typer.Typer) -> None:
    app.command("cities")(cities)
    app.command("rematch")(rematch_command)


def cities(
    ctx: typer.Context,
    search: str = typer.Option("", "--search", "-s", help="Only cities whose names match."),
    learned: bool = typer.Option(False, "--learned", help="Only aliases learned from reviews."),
    fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", help="table, csv or json."),
) -> None:
    """List the edition's cities with their aliases (learned ones marked with *).

    \b
    Example: verifier cities --search tripoli
    """
    from sqlmodel import select

    from db.models import AliasOrigin, CityAlias
    from verifier.core.cities.automatic import workspace_gazetteer
    from verifier.core.text import search_fold
    from verifier.core.workspace import resolve_edition

    cli = state(ctx)
    with cli.workspace().reading() as session:
        edition = resolve_edition(session, cli.edition_code)
        entries = workspace_gazetteer(session, edition)
        learned_names = {
            (a.city_id, a.name): a.added_by
            for a in session.exec(select(CityAlias).where(CityAlias.origin == AliasOrigin.LEARNED))
        }
    needle = search_fold(search)
    rows = []
    for entry in entries:
        names = [entry.name_en, entry.name_ar, *entry.aliases]
        if needle and not any(needle in search_fold(n) for n in names):
            continue
        aliases = [
            f"{alias}*" if (entry.city_id, alias) in learned_names else alias
            for alias in entry.aliases
            if not learned or (entry.city_id, alias) in learned_names
        ]
        if learned and not aliases:
            continue
        rows.append(
            (entry.city_id, entry.country, entry.name_en, entry.name_ar, " | ".join(aliases))
        )
    columns = ["id", "country", "name_en", "name_ar", "aliases"]
    emit(cli.console, fmt, f"Cities of {edition.code} ({len(rows)})", columns, rows,
         bidi=cli.bidi, keep=("id",))  # fmt: skip


def rematch_command(ctx: typer.Context) -> None:
    """Match again every item whose city no person has confirmed, e.g. after new aliases
    were learned or the gazetteer was reloaded. Confirmed matches are never touched.

    \b
    Example: verifier rematch
    """
    from verifier.core.cities.automatic import rematch
    from verifier.core.workspace import resolve_edition

    cli = state(ctx)
    with cli.workspace().session() as session:
        edition = resolve_edition(session, cli.edition_code)
        bands = rematch(session, edition.id or 0, cli.user)
    summary = ", ".join(f"{n} {band}" for band, n in sorted(bands.items())) or "nothing to match"
    cli.console.print(Text(f"Re-matched: {summary}."))
