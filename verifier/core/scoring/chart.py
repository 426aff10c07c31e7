"""A chart of the ranking with its rank intervals, as SVG or PNG.

matplotlib is imported here only, when a chart is asked for, and always with the Agg
canvas, so scoring works without a display. SVG output is byte-for-byte reproducible:
fixed ids (``svg.hashsalt``), no date, glyphs drawn as paths.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from verifier.core.errors import InputFileError
from verifier.core.scoring.errors import ScoringOptionError
from verifier.core.scoring.labels import display_label
from verifier.core.scoring.results import Ranking

CHART_FORMATS = ("svg", "png")


def chart_format(path: Path) -> str:
    """ "svg" or "png" from the file name; ScoringOptionError for anything else."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in CHART_FORMATS:
        raise ScoringOptionError(
            f"cannot tell the chart format from {path.name!r}: use a name ending in .svg or .png"
        )
    return suffix


def write_chart(ranking: Ranking, path: Path) -> None:
    """Nominal rank (dot), 5th–95th percentile rank (bar), one row per ranked city."""
    suffix = chart_format(path)
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with matplotlib.rc_context(
        {
            "svg.hashsalt": "verifier-ranking",
            "svg.fonttype": "path",
            # City names are data: a "$" in a name must not switch on mathtext.
            "text.parse_math": False,
            "font.size": 9,
        }
    ):
        cities = ranking.ranked
        figure = Figure(figsize=(8, max(2.5, 0.22 * len(cities) + 1.6)), layout="constrained")
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        _draw(axes, ranking)
        if cities:
            figure.legend(loc="outside lower center", ncols=3, frameon=False)
        metadata: dict[str, Any] = {"Date": None} if suffix == "svg" else {"Software": None}
        try:
            figure.savefig(path, format=suffix, metadata=metadata)
        except OSError as error:
            raise InputFileError(f"cannot write the chart to {path}: {error}") from error


def _draw(axes: Any, ranking: Ranking) -> None:
    from matplotlib.ticker import MaxNLocator

    cities = ranking.ranked
    axes.set_title(
        display_label(f"{ranking.edition_name}, publication {ranking.publication_number}")
    )
    if not cities:
        axes.text(0.5, 0.5, "No city is ranked.", ha="center", va="center")
        axes.set_axis_off()
        return
    rows = list(range(len(cities)))
    has_intervals = ranking.uncertainty is not None
    if has_intervals:
        low = [c.p5_rank for c in cities]
        high = [c.p95_rank for c in cities]
        axes.hlines(rows, low, high, color="#9ecae1", linewidth=4, label="5th–95th percentile")
        axes.plot([c.median_rank for c in cities], rows, "|", color="#d94801", label="median rank")
    axes.plot([c.rank for c in cities], rows, "o", color="#08306b", label="nominal rank")
    axes.set_yticks(rows, [display_label(c.name_en) for c in cities])
    axes.set_ylim(len(cities) - 0.5, -0.5)  # rank 1 at the top
    axes.set_xlim(0.5, len(cities) + 0.5)
    axes.set_xlabel("rank")
    axes.grid(axis="x", color="#dddddd", linewidth=0.5)
    axes.set_axisbelow(True)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
