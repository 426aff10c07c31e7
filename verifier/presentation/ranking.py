"""A ranking as a rich table for the terminal.

Every cell is a ``rich.text.Text`` built from plain strings, so a city called
``[bold]x[/]`` is shown as those characters and never read as console markup.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from verifier.core.scoring.labels import display_label
from verifier.core.scoring.results import CityResult, Ranking


def terminal_text(text: str, style: str = "") -> Text:
    """Data text for one table cell: literal, on one line, without control characters."""
    return Text(display_label(text), style=style)


def ranking_table(ranking: Ranking) -> Table:
    title = terminal_text(f"{ranking.edition_name} — publication {ranking.publication_number}")
    options = ranking.options
    caption = Text(
        f"{options.normalisation}, {options.aggregation}, {options.expert_weights} expert "
        f"weights, coverage ≥ {options.coverage_threshold:.0%}"
        + (
            f"; interval = 5th–95th percentile rank over {ranking.uncertainty.runs} runs"
            if ranking.uncertainty is not None
            else "; no Monte Carlo"
        )
    )
    table = Table(title=title, caption=caption, title_justify="left", caption_justify="left")
    table.add_column(Text("Rank"), justify="right")
    table.add_column(Text("City"))
    table.add_column(Text("المدينة"), justify="right")
    table.add_column(Text("Overall"), justify="right")
    for domain in ranking.domains:
        table.add_column(terminal_text(domain.name_en), justify="right")
    table.add_column(Text("Coverage"), justify="right")
    table.add_column(Text("Median"), justify="right")
    table.add_column(Text("5–95%"), justify="right")
    for city in ranking.ranked:
        table.add_row(*_ranked_cells(ranking, city))
    unranked = ranking.unranked
    if unranked:
        table.add_section()
        for city in unranked:
            table.add_row(*_unranked_cells(ranking, city))
    return table


def _ranked_cells(ranking: Ranking, city: CityResult) -> list[Text]:
    interval = ""
    if city.p5_rank is not None and city.p95_rank is not None:
        interval = f"{city.p5_rank}–{city.p95_rank}"
    return [
        Text(str(city.rank), style="bold"),
        terminal_text(city.name_en),
        terminal_text(city.name_ar),
        Text(_score(city.overall), style="bold"),
        *(Text(_score(city.domain_scores[d.code])) for d in ranking.domains),
        Text(f"{city.coverage:.0%}"),
        Text("" if city.median_rank is None else str(city.median_rank)),
        Text(interval),
    ]


def _unranked_cells(ranking: Ranking, city: CityResult) -> list[Text]:
    # The reason takes the place of the rank interval: it is what the reader needs here.
    return [
        Text("–", style="dim"),
        terminal_text(city.name_en, style="dim"),
        terminal_text(city.name_ar, style="dim"),
        Text(""),
        *(Text(_score(city.domain_scores[d.code]), style="dim") for d in ranking.domains),
        Text(f"{city.coverage:.0%}", style="dim"),
        Text(""),
        terminal_text(f"not ranked: {city.not_ranked_because}", style="dim"),
    ]


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"
