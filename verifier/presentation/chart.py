"""A chart of the ranking with its rank intervals, as SVG or PNG, fit for a report.

- Each row is labelled in both languages, with the country: "Tripoli LY · طرابلس", cut
  at its logical end past ``LABEL_WIDTH`` cells (and the title's name past ``TITLE_WIDTH``)
  so that no name, however long, squeezes the plot to nothing.
- The nominal rank is a dot, the median a taller tick drawn over it, and the 5th–95th
  percentile interval a bar with round ends, so that all three can be seen even when they
  coincide (a zero-width interval is still a visible disc).
- The rank axis shows 1 and N, top and bottom, and leaves room for the markers at both ends.
- The title gives the method, the number of Monte Carlo runs and the seed; when the
  snapshot's hash does not verify, its first line says so in red.
- Text is given to matplotlib in logical order: from 3.11 it shapes Arabic and applies the
  bidi algorithm itself (libraqm) when it draws a PNG; in an SVG the text stays text
  (searchable, in logical order) and the viewer lays it out.

matplotlib is imported here only, when a chart is asked for, with the Agg canvas, so
scoring works without a display. SVG output is byte-for-byte reproducible: fixed ids
(``svg.hashsalt``), no date.
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path
from typing import Any

from verifier.core.errors import InputFileError
from verifier.core.scoring.errors import ScoringOptionError
from verifier.core.scoring.export import unverified_notice
from verifier.core.scoring.results import CityResult, Ranking
from verifier.presentation.display import shown
from verifier.presentation.ranking import method_line

CHART_FORMATS = ("svg", "png")
INTERVAL = "#9ecae1"
NOMINAL = "#08306b"
MEDIAN = "#d94801"
UNVERIFIED = "#b10026"
LABEL_WIDTH = 48  # cells of a city's label: a long name must not squeeze the plot away
TITLE_WIDTH = 95  # cells of a title line


def chart_format(path: Path) -> str:
    """ "svg" or "png" from the file name; ScoringOptionError for anything else."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in CHART_FORMATS:
        raise ScoringOptionError(
            f"cannot tell the chart format from {path.name!r}: use a name ending in .svg or .png"
        )
    return suffix


def city_label(city: CityResult) -> str:
    """ "Tripoli LY · طرابلس": both names and the country, in logical order (matplotlib
    shapes and orders it), cut at its logical end past ``LABEL_WIDTH`` cells."""
    words = f"{city.name_en} {city.country}".strip()
    if city.name_ar:
        words += f" · {city.name_ar}"
    return shown(words, bidi=False, width=LABEL_WIDTH)


def write_chart(ranking: Ranking, path: Path) -> None:
    """The chart of ``render_chart`` written to ``path``."""
    try:
        path.write_bytes(render_chart(ranking, path))
    except OSError as error:
        raise InputFileError(f"cannot write the chart to {path}: {error}") from error


def render_chart(ranking: Ranking, path: Path) -> bytes:
    """Nominal rank (dot), median rank (tick), 5th–95th percentile rank (bar), one row per
    ranked city, best at the top; SVG or PNG as ``path``'s suffix says."""
    suffix = chart_format(path)
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with matplotlib.rc_context(
        {
            "svg.hashsalt": "verifier-ranking",
            "svg.fonttype": "none",  # text stays text: searchable, selectable
            # City names are data: a "$" in a name must not switch on mathtext.
            "text.parse_math": False,
            "font.size": 9,
            "font.family": "DejaVu Sans",  # has Arabic glyphs (shipped with matplotlib)
        }
    ):
        cities = ranking.ranked
        figure = Figure(figsize=(9, max(3.0, 0.24 * len(cities) + 2.2)), layout="constrained")
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        _draw(axes, ranking)
        if cities:
            figure.legend(loc="outside lower center", ncols=3, frameon=False)
        metadata: dict[str, Any] = {"Date": None} if suffix == "svg" else {"Software": None}
        buffer = io.BytesIO()
        figure.savefig(buffer, format=suffix, metadata=metadata)
        return buffer.getvalue()


def _title(ranking: Ranking) -> str:
    name = f"{ranking.edition_name}, publication {ranking.publication_number}"
    method = textwrap.wrap(method_line(ranking), width=TITLE_WIDTH)
    name = shown(name, bidi=False, width=TITLE_WIDTH, base="ltr")
    return "\n".join([name, *method])


def _draw(axes: Any, ranking: Ranking) -> None:
    from matplotlib.ticker import MaxNLocator

    cities = ranking.ranked
    axes.set_title(_title(ranking), fontsize=9, loc="left")
    notice = unverified_notice(ranking)
    if notice is not None:
        warning = "\n".join(textwrap.wrap(notice, width=95))
        axes.figure.suptitle(warning, fontsize=9, color=UNVERIFIED, fontweight="bold", x=0.01,
                             ha="left")  # fmt: skip
    if not cities:
        axes.text(0.5, 0.5, "No city is ranked.", ha="center", va="center")
        axes.set_axis_off()
        return
    count = len(cities)
    rows = list(range(count))
    if ranking.uncertainty is not None:
        low = [c.p5_rank for c in cities]
        high = [c.p95_rank for c in cities]
        # Round caps: a zero-width interval is still a disc around the dot.
        axes.hlines(rows, low, high, color=INTERVAL, linewidth=7, capstyle="round", zorder=1,
                    label="5th–95th percentile rank")  # fmt: skip
        axes.plot([c.median_rank for c in cities], rows, linestyle="none", marker="|",
                  markersize=12, markeredgewidth=2, color=MEDIAN, zorder=4, clip_on=False,
                  label="median rank")  # fmt: skip
    axes.plot([c.rank for c in cities], rows, linestyle="none", marker="o", markersize=4.5,
              color=NOMINAL, zorder=3, clip_on=False, label="nominal rank")  # fmt: skip
    axes.set_yticks(rows, [city_label(c) for c in cities])
    axes.set_ylim(count - 0.4, -0.6)  # rank 1 at the top
    axes.set_xlim(0, count + 1)  # room for the markers at rank 1 and rank N
    ticks = [t for t in MaxNLocator(nbins=8, integer=True).tick_values(1, count) if 1 < t < count]
    axes.set_xticks(sorted({1, count, *(int(t) for t in ticks)}))
    axes.tick_params(axis="x", top=True, labeltop=True)
    axes.set_xlabel(f"rank (1 = best, {count} = last ranked)")
    axes.grid(axis="x", color="#dddddd", linewidth=0.5)
    axes.set_axisbelow(True)
