"""A ranking as a rich table for the terminal.

Every name is laid out by ``display`` (never markup; Arabic shaped and in visual order when
bidi is on; cut at its logical end when it must be). Cities are named with their country,
so two cities of the same name (Tripoli LY, Tripoli LB) are told apart. Cities that are not
ranked are listed under the table, one line each, with the reason.
"""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

from verifier.core.scoring.export import unverified_notice
from verifier.core.scoring.results import CityResult, Ranking
from verifier.core.wording import percent
from verifier.presentation.display import BidiText, layout_text, shown
from verifier.presentation.table_fit import FittedTable


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


class _FittedRanking:
    """The ranking's table at a terminal: domains headed by their names where the short
    columns keep their whole width with them, else by their codes (as when piped)."""

    def __init__(self, ranking: Ranking, bidi: bool) -> None:
        self.named = _table(ranking, bidi, compact=False, codes=False)
        self.coded = _table(ranking, bidi, compact=False, codes=True)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        named = self.named
        assert isinstance(named, FittedTable)
        yield named if named.keeps_short_columns(options.max_width) else self.coded


def ranking_table(ranking: Ranking, bidi: bool = True, compact: bool = False) -> Group:
    """On a terminal, the columns fitted to its width as every table is
    (``table_fit``: ranks and scores whole, names cut on one line). ``compact``: no frame
    and one space between columns, for output that is not a terminal (80 columns); numbers
    are never cut, names are cut at their logical end."""
    table = _table(ranking, bidi, compact, codes=True) if compact else _FittedRanking(ranking, bidi)
    parts: list[RenderableType] = [table]
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


def _table(ranking: Ranking, bidi: bool, compact: bool, codes: bool) -> Table:
    title = layout_text(
        Text(f"{ranking.edition_name} — publication {ranking.publication_number}"),
        bidi=bidi,
        base="ltr",
    )
    title.end = "\n"  # a laid-out line ends without one: the title would run into the head
    headers: list[Text | BidiText] = [Text("Rank"), Text("City"), BidiText("المدينة", bidi=bidi)]
    headers.append(Text("Overall"))
    headers += [BidiText(d.code if codes else d.name_en, bidi=bidi) for d in ranking.domains]
    headers += [Text("Cover" if codes else "Coverage"), Text("Median"), Text("5–95%")]
    rows = [_ranked_cells(ranking, city, bidi) for city in ranking.ranked]
    table: Table
    if compact:
        table = Table(
            title=title,
            title_justify="left",
            box=None,
            padding=(0, 1),
            pad_edge=False,
            collapse_padding=True,
        )
    else:
        cells = [[_logical(row[index]) for row in rows] for index in range(len(headers))]
        numeric = [index not in (1, 2) for index in range(len(headers))]
        table = FittedTable(title, cells, numeric)
    table.caption, table.caption_justify = Text(method_line(ranking)), "left"
    for index, header in enumerate(headers):
        table.add_column(
            header,
            justify="left" if index == 1 else "right",
            no_wrap=index not in (1, 2),
            min_width=(10 if index == 1 else 6 if index == 2 else None) if compact else None,
        )
    for row in rows:
        table.add_row(*row)
    return table


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


def _logical(cell: Text | BidiText) -> str:
    """A cell's text in logical order, as wide as it is drawn (for fitting the columns)."""
    return shown(cell.source.plain if isinstance(cell, BidiText) else cell.plain, bidi=False)


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"
