"""A ranking as a rich table for the terminal.

Every name is laid out by ``display`` (never markup; Arabic shaped and in visual order when
bidi is on; cut at its logical end when it must be). Cities are named with their country,
so two cities of the same name (Tripoli LY, Tripoli LB) are told apart. Cities that are not
ranked are listed under the table, one line each, with the reason.
"""

from __future__ import annotations

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from verifier.core.scoring.export import unverified_notice
from verifier.core.scoring.results import CityResult, Ranking
from verifier.core.wording import percent
from verifier.presentation.display import BidiText, layout_text


def terminal_text(text: str, style: str = "", bidi: bool = True) -> BidiText:
    """Data text for one table cell: laid out, on one line, never markup."""
    return BidiText(text, bidi=bidi, style=style, no_wrap=True, justify_rtl=False)


def method_line(ranking: Ranking) -> str:
    """How the ranking was computed, in one line (the table's caption, the chart's title)."""
    options = ranking.options
    line = (
        f"{options.normalisation}, {options.aggregation}, {options.expert_weights} expert "
        f"weights, coverage ≥ {percent(options.coverage_threshold)}"
    )
    if ranking.uncertainty is not None:
        return line + (
            f"; interval = 5th–95th percentile rank over {ranking.uncertainty.runs:,} runs, "
            f"seed {options.seed}"
        )
    return line + "; no Monte Carlo"


def ranking_table(ranking: Ranking, bidi: bool = True, compact: bool = False) -> Group:
    """``compact``: no frame and one space between columns, for output that is not a
    terminal (80 columns); numbers are never cut, names are cut at their logical end."""
    title = Text(f"{ranking.edition_name} — publication {ranking.publication_number}")
    table = Table(
        title=layout_text(title, bidi=bidi, base="ltr"),
        caption=Text(method_line(ranking)),
        title_justify="left",
        caption_justify="left",
        box=None if compact else box.HEAVY_HEAD,
        padding=(0, 1),
        pad_edge=not compact,
        collapse_padding=compact,
    )
    table.add_column(Text("Rank"), justify="right", no_wrap=True)
    table.add_column(Text("City"), min_width=10)
    table.add_column(Text("المدينة"), justify="right", min_width=6)
    table.add_column(Text("Overall"), justify="right", no_wrap=True)
    for domain in ranking.domains:
        header = Text(domain.code if compact else domain.name_en)
        table.add_column(BidiText(header, bidi=bidi), justify="right", no_wrap=True, min_width=5)
    table.add_column(Text("Cover" if compact else "Coverage"), justify="right", no_wrap=True)
    table.add_column(Text("Median"), justify="right", no_wrap=True)
    table.add_column(Text("5–95%"), justify="right", no_wrap=True)
    for city in ranking.ranked:
        table.add_row(*_ranked_cells(ranking, city, bidi))
    parts: list[Table | Text | BidiText] = [table]
    notice = unverified_notice(ranking)
    if notice is not None:
        # Above the table and under it, so neither the head nor the tail of a long
        # ranking can be read without the warning.
        parts.insert(0, Text(notice, style="bold red"))
        parts.append(Text(notice, style="bold red"))
    unranked = ranking.unranked
    if unranked:
        parts.append(Text(f"Not ranked ({len(unranked)}):", style="bold"))
        for city in unranked:
            line = Text(f"  {city.name_en} {city.country}".rstrip())
            if city.name_ar:
                line.append(" · ")
                line.append(city.name_ar)
            line.append(f" — {city.not_ranked_because}", "dim")
            parts.append(BidiText(line, bidi=bidi, base="ltr"))
    return Group(*parts)


def _ranked_cells(ranking: Ranking, city: CityResult, bidi: bool) -> list[Text | BidiText]:
    interval = ""
    if city.p5_rank is not None and city.p95_rank is not None:
        interval = f"{city.p5_rank}–{city.p95_rank}"
    return [
        Text(str(city.rank), style="bold"),
        terminal_text(f"{city.name_en} {city.country}".strip(), bidi=bidi),
        BidiText(city.name_ar, bidi=bidi, no_wrap=True),
        Text(_score(city.overall), style="bold"),
        *(Text(_score(city.domain_scores[d.code])) for d in ranking.domains),
        Text(percent(city.coverage)),
        Text("" if city.median_rank is None else str(city.median_rank)),
        Text(interval),
    ]


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"
