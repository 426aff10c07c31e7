"""``verifier items``: the review queue as a listing, with the queue's filters.

A listing without filters (``verifier items [--limit N] [--format F]``) of a plain SQLite
path or PostgreSQL URL is read straight through the driver (``db.direct``), with the
queue's own statements compiled (``verifier.core.review.listing``), so it starts without
SQLAlchemy, pydantic or the models: most of a second, which is half of a listing of
50,000 items. Every filter, and anything the driver path cannot open, goes through the
engine and the queue as before; both write the same bytes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer
from rich.text import Text

from verifier.cli import quick_args, quick_start
from verifier.cli.context import CliState, state
from verifier.cli.output import OutputFormat
from verifier.cli.queue_options import FilterOptions, queue_filter, queue_filter_options
from verifier.cli.streaming import emit_stream

TABLE_COLUMNS = ["id", "status", "city", "indicator", "value", "year", "evidence", "source",
                 "reviewer", "note / reason"]  # fmt: skip
DATA_COLUMNS = ["id", "status", "city_id", "city", "raw_label", "indicator", "value", "year",
                "source", "source_title", "reviewer", "band", "version", "evidence",
                "evidence_stale", "note"]  # fmt: skip
ALL_ITEMS = "all items"  # QueueFilter().describe(): the title of a listing without filters


@queue_filter_options()
def items(
    ctx: typer.Context,
    filters: FilterOptions,
    limit: int = typer.Option(100, "--limit", "-n", min=0, help="At most this many (0: all)."),
    fmt: OutputFormat = typer.Option(OutputFormat.TABLE, "--format", help="table, csv or json."),
) -> None:
    """List items the way the review queue shows them, with the queue's filters.

    \b
    Examples:
      verifier items --status unverified --indicator TRD-WATER
      verifier items --search "الرياض" --format csv > riyadh.csv
      verifier items --mine --status unverified,flagged
    """
    cli = state(ctx)
    if not (_filtered(filters) or quick_start.handed_over("items")) and list_direct(
        cli, limit, fmt
    ):
        return
    list_with_engine(cli, filters, limit, fmt)


def _filtered(given: FilterOptions) -> bool:
    return any(value not in ([], "", None, False) for value in vars(given).values())


def list_with_engine(cli: CliState, filters: FilterOptions, limit: int, fmt: OutputFormat
                     ) -> None:  # fmt: skip
    from verifier.core.edition_scope import Numbered, require_in_edition
    from verifier.core.review import queue
    from verifier.core.review.notes import status_notes
    from verifier.core.workspace import resolve_edition

    flt = queue_filter(cli, filters)
    with cli.workspace().reading() as session:
        require_in_edition(session, Numbered.BATCH, flt.batches, cli.edition_code)
        edition = resolve_edition(session, cli.edition_code)
        assert edition.id is not None
        edition_id = edition.id

        def pages() -> Iterator[tuple[list[Any], dict[int, str]]]:
            for rows in queue.iter_values(session, edition_id, flt, limit or None):
                yield rows, status_notes(session, [r[0] for r in rows])

        shown = _write(cli, cli.bidi, fmt, flt.describe(), pages())
        total = queue.count(session, edition_id, flt) if limit and shown == limit else None
    _tell_total(cli, fmt, shown, total)


def list_direct(cli: CliState, limit: int, fmt: OutputFormat) -> bool:
    """The listing without filters read through the driver; False, having written nothing,
    when the engine must read it (a URL the driver path does not take, a driver error
    before the first row)."""
    from verifier.cli.direct_edition import open_edition
    from verifier.core.review.listing import DriverListing
    from verifier.core.safe_output import terminal_line

    opened = open_edition(cli)
    if opened is None:
        return False
    try:
        listing = DriverListing(opened.connection, opened.target.backend, opened.edition.id)
        pages = listing.pages(limit or None)
        try:
            first = next(pages, None)
        except opened.handover_errors:
            return False
        try:
            shown = _write(cli, opened.bidi, fmt, ALL_ITEMS, _chain(first, pages))
            total = listing.count() if limit and shown == limit else None
        except opened.driver_errors as error:  # rows are written: too late to hand over
            typer.secho(f"error: {terminal_line(str(error))}", fg="red", err=True)
            raise typer.Exit(1) from error
    finally:
        opened.close()
    _tell_total(cli, fmt, shown, total)
    return True


def _chain(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    if first is not None:
        yield first
        yield from rest


def _write(cli: CliState, bidi: bool, fmt: OutputFormat, described: str,
           pages: Iterator[tuple[list[Any], dict[int, str]]]) -> int:  # fmt: skip
    """Write the listing, read and written a chunk at a time: a listing of every item
    holds one chunk in memory, never the whole edition. Returns how many rows."""
    table_form = fmt == OutputFormat.TABLE
    shown_lines = _table_lines if table_form else _data_lines

    def lines() -> Iterator[tuple[object, ...]]:
        for rows, notes in pages:
            yield from shown_lines(rows, notes)

    title = f"Items: {described}" if table_form else "Items"
    columns = TABLE_COLUMNS if table_form else DATA_COLUMNS
    return emit_stream(
        cli.console,
        fmt,
        title,
        columns,
        lines(),
        bidi=bidi,
        keep=("indicator",) if table_form else (),
    )


def _tell_total(cli: CliState, fmt: OutputFormat, shown: int, total: int | None) -> None:
    if fmt == OutputFormat.TABLE and total is not None:
        cli.err.print(Text(f"{shown:,} of {total:,} shown; --limit 0 lists them all."))


def _table_lines(rows: list[Any], notes: dict[int, str]) -> Iterator[tuple[object, ...]]:
    """Rows of ``queue.iter_values`` (QueueRow's fields, in its order) as the table shows
    them; unpacked, since reading a row's fields by name costs more than the rest."""
    from verifier.core.review.city_labels import city_label
    from verifier.presentation.evidence_marks import evidence_word

    for (item_id, _, status, raw_label, city_id, name_en, name_ar, indicator, value, year, _,
         source_title, changed_by, _, _, country, evidence, stale) in rows:  # fmt: skip
        yield (
            item_id,
            status,
            city_label(city_id, raw_label, name_en, name_ar, country) if city_id
            else f"? {raw_label}",
            indicator,
            value,
            year,
            evidence_word(evidence, stale),
            source_title,
            changed_by or "",
            notes.get(item_id, ""),
        )  # fmt: skip


def _data_lines(rows: list[Any], notes: dict[int, str]) -> Iterator[tuple[object, ...]]:
    """Rows of ``queue.iter_values`` with every field, for scripts."""
    for (item_id, version, status, raw_label, city_id, name_en, _, indicator, value, year,
         source_key, source_title, changed_by, band, _, _, evidence, stale) in rows:  # fmt: skip
        yield (item_id, status, city_id, name_en, raw_label, indicator, value, year, source_key,
               source_title, changed_by, band, version, evidence, stale,
               notes.get(item_id, ""))  # fmt: skip


LISTING_OPTIONS = {"--limit": "limit", "-n": "limit", "--format": "format"}


def run_quick(argv: list[str]) -> int | None:
    """``verifier items [--limit N] [--format F]`` (no filter) listed through the driver,
    without the command line parser (``quick_args``); its exit status, or None when the
    parser and the engine must do it."""
    given = quick_args.split(argv, "items", LISTING_OPTIONS)
    if given is None:
        return None
    overrides, options = given
    limit, shape = options.get("limit", "100"), options.get("format", OutputFormat.TABLE.value)
    if not (limit.isdigit() and limit.isascii()) or shape not in set(OutputFormat):
        return None  # the parser says what is wrong
    cli = CliState(overrides={"db": None, "user": None, "edition": None, **overrides})
    return quick_start.run("items", lambda: list_direct(cli, int(limit), OutputFormat(shape)))
