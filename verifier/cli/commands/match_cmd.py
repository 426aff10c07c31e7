"""``verifier match``: which gazetteer city a raw label means, for one label or a CSV of them."""

from __future__ import annotations

import atexit
import functools
import gc
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from verifier.cli.context import CliState, state
from verifier.cli.output import FORCE_HELP, check_output_file, write_output_file
from verifier.core.wording import count

if TYPE_CHECKING:
    from verifier.core.matching import GazetteerEntry, Matcher, MatchResult, Query


def register(app: typer.Typer) -> None:
    app.command("match")(match)


def match(
    ctx: typer.Context,
    name: str | None = typer.Argument(None, help="A city label in Arabic or Latin script."),
    country: str | None = typer.Option(
        None, "--country", "-c", help="ISO country code hint for NAME, e.g. SA."
    ),
    top: int = typer.Option(5, "--top", "-k", min=1, max=50, help="Candidates to report."),
    gazetteer: Path | None = typer.Option(
        None,
        "--gazetteer",
        "-g",
        help="GAZ.csv (id,name_en,name_ar,country,aliases). Default: the workspace's cities.",
    ),
    input_path: Path | None = typer.Option(
        None, "--input", "-i", help="QUERIES.csv (query_id,name,country) to match in bulk."
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="RESULTS.csv to write (query_id,rank,city_id,score,band)."
    ),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
) -> None:
    """Match city labels to gazetteer cities, with scores, bands and explanations.

    \b
    Examples:
      verifier match "الرياض" --country SA
      verifier match --gazetteer cities.csv --input queries.csv --output results.csv
    """
    if name is not None and input_path is not None:
        raise typer.BadParameter("give either NAME or --input, not both")
    if name is None and input_path is None:
        raise typer.BadParameter("give a NAME to match, or --input QUERIES.csv with --output")
    if input_path is not None and output is None:
        raise typer.BadParameter("--input needs --output RESULTS.csv", param_hint="--output")
    if input_path is not None and country is not None:
        raise typer.BadParameter(
            "--country applies to a single NAME; give countries in the queries file",
            param_hint="--country",
        )
    hint = _country_hint(country)
    cli = state(ctx)
    # Reading, indexing and matching a large gazetteer create hundreds of thousands of small
    # objects without reference cycles, used once and dropped: the cyclic collector would
    # only scan them again and again (the matcher pauses it only within its own calls).
    collecting = gc.isenabled()
    gc.disable()
    try:
        _run(cli, name, hint, top, gazetteer, input_path, (output, force))
    finally:
        if collecting:
            gc.enable()
    _freeze_at_exit()


@functools.cache  # registered once
def _freeze_at_exit() -> None:
    """Freeze the objects left when the interpreter exits. Its final collections scan every
    object left (after a large match, a tenth of a second) only to run the finalizers of
    objects in reference cycles, which this command does not rely on. Until the exit, a
    process that goes on (tests) collects as usual."""
    atexit.register(gc.freeze)


def _run(
    cli: CliState,
    name: str | None,
    hint: str | None,
    top: int,
    gazetteer: Path | None,
    input_path: Path | None,
    target: tuple[Path | None, bool],
) -> None:
    from verifier.core.matching import Matcher, read_queries_csv

    output, force = target
    if output is not None:
        check_output_file(output, force=force)  # before a long match, not after

    # Queries first: a mistake in them should not wait for a large gazetteer to load.
    queries = read_queries_csv(input_path) if input_path is not None else None
    entries = _gazetteer(cli, gazetteer)
    matcher = Matcher.from_entries(entries)
    if queries is not None and output is not None:
        _match_file(cli, matcher, queries, (output, force), top)
    elif name is not None:
        result = matcher.match(name, hint, top)
        _print_table(cli, {entry.city_id: entry for entry in entries}, result)


def _country_hint(country: str | None) -> str | None:
    if country is None or not country.strip():
        return None
    from verifier.core.matching.countries import normalise_country

    try:
        return normalise_country(country)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--country") from None


def _gazetteer(cli: CliState, path: Path | None) -> list[GazetteerEntry]:
    if path is not None:
        from verifier.core.matching import load_gazetteer_csv

        return load_gazetteer_csv(path)
    from verifier.core.cities.automatic import workspace_gazetteer
    from verifier.core.workspace import resolve_edition

    workspace = cli.workspace()
    with workspace.reading() as session:
        edition = resolve_edition(session, cli.edition_code)
        return workspace_gazetteer(session, edition)


def _match_file(
    cli: CliState, matcher: Matcher, queries: list[Query], target: tuple[Path, bool], top: int
) -> None:
    from verifier.core.matching.csv_io import results_csv_text

    output, force = target

    # The results file keeps ranks, scores and bands only: no need to explain candidates.
    results = matcher.match_many([(q.name, q.country) for q in queries], top=top, explain=False)
    pairs = [(q.query_id, r) for q, r in zip(queries, results, strict=True)]
    write_output_file(output, results_csv_text(pairs, top), force=force)
    counts = {band: sum(r.band == band for r in results) for band in ("auto", "review", "none")}
    cli.err.print(
        f"Matched {count(len(queries), 'query', 'queries')} against "
        f"{count(len(matcher.entries), 'city', 'cities')}: "
        f"{counts['auto']} auto, {counts['review']} review, {counts['none']} none. "
        f"Wrote {output}.",
        markup=False,
        highlight=False,
    )


def _print_table(cli: CliState, entries: dict[str, GazetteerEntry], result: MatchResult) -> None:
    from rich.text import Text

    from verifier.cli.output import table
    from verifier.presentation.display import BidiText, shown_pieces

    # Names are laid out like every table's (the one display layout), at a terminal only.
    bidi = cli.console.is_terminal and cli.display_bidi()
    title = result.query + (f" [{result.country}]" if result.country else "")
    rows = []
    for rank, candidate in enumerate(result.candidates, start=1):
        entry = entries.get(candidate.city_id)
        names = " / ".join(n for n in (entry.name_en, entry.name_ar) if n) if entry else ""
        why = BidiText(shown_pieces(candidate.explain(), bidi=bidi), bidi=False)
        rows.append((rank, candidate.city_id, names, candidate.country or "-",
                     f"{candidate.score:.1f}", result.band if rank == 1 else "", why))  # fmt: skip
    columns = ["rank", "city id", "names", "country", "score", "band", "explanation"]
    cli.console.print(table(title, columns, rows, bidi=bidi, keep=("city id",),
                            whole=("names", "explanation")))  # fmt: skip
    if not result.candidates:
        cli.console.print(Text("No plausible city (band none)."))
        return
    lead = "" if result.margin is None else f"; lead over the next city {result.margin:.1f} points"
    confidence = "" if result.confidence is None else f"; probability right {result.confidence:.3f}"
    cli.console.print(Text(f"Band {result.band}{confidence}{lead}."))
