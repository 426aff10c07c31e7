"""``verifier score``: rank the cities of a publication (method: docs/scoring.md)."""

from __future__ import annotations

import dataclasses
import enum
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.text import Text

from verifier.cli.context import CliState, state
from verifier.cli.output import check_output_file, write_output_file
from verifier.core.scoring.options import (
    DEFAULT_COVERAGE_THRESHOLD,
    DEFAULT_SEED,
    DEFAULT_UNCERTAINTY_RUNS,
    ScoringOptions,
)

if TYPE_CHECKING:
    from verifier.core.scoring.results import Ranking


class OutputFormat(enum.StrEnum):
    table = "table"
    csv = "csv"
    json = "json"
    md = "md"


class NormalisationChoice(enum.StrEnum):
    minmax = "minmax"
    zscore = "zscore"


class AggregationChoice(enum.StrEnum):
    arithmetic = "arithmetic"
    geometric = "geometric"


class ExpertWeightsChoice(enum.StrEnum):
    mean = "mean"
    median = "median"


def register(app: typer.Typer) -> None:
    app.command("score")(score_publication)


def score_publication(
    ctx: typer.Context,
    publication: int | None = typer.Option(
        None, "--publication", help="Id of a publication stored in the workspace."
    ),
    snapshot: Path | None = typer.Option(
        None,
        "--snapshot",
        help="A publication exported as JSON; needs no workspace.",
        dir_okay=False,
    ),
    output_format: OutputFormat = typer.Option(OutputFormat.table, "--format"),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write the ranking here instead of to the terminal."
    ),
    force: bool = typer.Option(
        False,
        "--force",
        help="Overwrite --output and --chart files that exist (links are replaced).",
    ),
    normalisation: NormalisationChoice = typer.Option(
        NormalisationChoice.minmax, "--normalisation"
    ),
    aggregation: AggregationChoice = typer.Option(AggregationChoice.arithmetic, "--aggregation"),
    expert_weights: ExpertWeightsChoice = typer.Option(
        ExpertWeightsChoice.mean,
        "--expert-weights",
        help="Combine the experts' weights by their mean or median.",
    ),
    coverage_threshold: float = typer.Option(
        DEFAULT_COVERAGE_THRESHOLD,
        "--coverage-threshold",
        min=0.0,
        max=1.0,
        help="Share of indicators a city needs a value for to be ranked.",
    ),
    uncertainty: int = typer.Option(
        DEFAULT_UNCERTAINTY_RUNS,
        "--uncertainty",
        min=0,
        help="Monte Carlo runs for the rank intervals; 0 skips them.",
    ),
    seed: int = typer.Option(DEFAULT_SEED, "--seed", min=0, help="Seed of the Monte Carlo."),
    chart: Path | None = typer.Option(
        None, "--chart", help="Also draw the ranking with its rank intervals (.svg or .png)."
    ),
) -> None:
    """Compute the ranking of a publication, with rank intervals from a Monte Carlo.

    \b
    Examples:
      verifier score --snapshot las2024-p3.json --format md -o ranking.md
      verifier --db las.db score --publication 3 --chart ranking.svg
    """
    # Imported here so that other commands do not load numpy and the scorer.
    from verifier.core.scoring import load_snapshot_file, parse_snapshot, score
    from verifier.presentation.chart import chart_format, render_chart

    cli = state(ctx)
    if (publication is None) == (snapshot is None):
        raise typer.BadParameter(
            "give exactly one of --publication ID or --snapshot FILE.json",
            param_hint="'--publication' / '--snapshot'",
        )
    if chart is not None:
        chart_format(chart)  # a bad file name should fail before the work, not after
        check_output_file(chart, force=force)
    if output is not None:
        check_output_file(output, force=force)
    options = ScoringOptions(
        normalisation=normalisation.value,
        aggregation=aggregation.value,
        expert_weights=expert_weights.value,
        coverage_threshold=coverage_threshold,
        uncertainty_runs=uncertainty,
        seed=seed,
    )
    if snapshot is not None:
        parsed = parse_snapshot(load_snapshot_file(snapshot))
    else:
        doc, verified = _stored(cli, publication)
        parsed = parse_snapshot(doc)
        if not verified:  # e.g. the document and its own sha256 rewritten together
            parsed = dataclasses.replace(parsed, hash_verified=False)
    ranking = score(parsed, options)
    for warning in ranking.warnings:
        cli.say(f"warning: {warning.message}", err=True, style="yellow")
    _emit(cli, ranking, output_format, output, force)
    if chart is not None:
        write_output_file(chart, render_chart(ranking, chart), force=force)
        cli.err.print(Text(f"Chart written to {chart}."))


def _stored(cli: CliState, publication_id: int | None) -> tuple[dict[str, Any], bool]:
    """The stored document, and whether it matches the hash recorded when it was published."""
    # Imported here: the publishing module needs the database, --snapshot does not.
    from verifier.core.edition_scope import Numbered, require_in_edition
    from verifier.core.publishing.snapshot import load_verified_snapshot

    assert publication_id is not None
    workspace = cli.workspace()
    with workspace.reading() as session:
        require_in_edition(session, Numbered.PUBLICATION, [publication_id], cli.edition_code)
        return load_verified_snapshot(session, publication_id)


def _emit(
    cli: CliState,
    ranking: Ranking,
    output_format: OutputFormat,
    output: Path | None,
    force: bool,
) -> None:
    from verifier.core.scoring import to_csv, to_json, to_markdown
    from verifier.presentation.ranking import ranking_table

    if output_format is OutputFormat.table:
        if output is None:
            cli.console.print(ranking_table(ranking, cli.bidi, not cli.console.is_terminal))
            return
        text = _plain_table(ranking)
    else:
        render = {
            OutputFormat.csv: to_csv,
            OutputFormat.json: to_json,
            OutputFormat.md: to_markdown,
        }
        text = render[output_format](ranking)
    if output is None:
        typer.echo(text, nl=False)
        return
    write_output_file(output, text, force=force)
    cli.err.print(Text(f"Ranking written to {output}."))


def _plain_table(ranking: Ranking) -> str:
    """The table as plain text, wide enough not to wrap names, for --output with table."""
    from verifier.presentation.ranking import ranking_table

    buffer = io.StringIO()
    Console(file=buffer, width=200, color_system=None).print(ranking_table(ranking))
    return buffer.getvalue()
