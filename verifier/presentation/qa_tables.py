"""The QA report and a drawn sample as Rich tables, for the command line (``--format
table``) and the review UI. Names and reasons are untrusted: plain ``Text`` cells only."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from verifier.core.qa.figures import Figures
from verifier.core.qa.report import BREAKDOWNS, QaReport
from verifier.core.qa.sampling import SampleDraw
from verifier.core.wording import agree, percent, percent_interval
from verifier.presentation.display import cell, shown
from verifier.presentation.table_fit import FittedTable

FIGURE_COLUMNS = ("reviewed", "agree", "kappa", "error rate", "95% CI", "awaiting")


def figure_cells(f: Figures) -> list[Text]:
    kappa = "undefined" if f.kappa is None else f"{f.kappa:.3f}"
    awaiting = Text(str(len(f.disagreements)), style="bold yellow" if f.disagreements else "")
    error = percent(f.error_rate) + (
        f" {f.errors}/{f.verified_reviewed}" if f.verified_reviewed else ""
    )
    return [
        Text(f"{f.reviewed:,}/{f.size:,}"),
        Text(percent(f.agreement)),
        Text(kappa),
        Text(error),
        Text(percent_interval(f.error_ci.low, f.error_ci.high)),
        awaiting,
    ]


def _table(title: str, first: list[str]) -> Table:
    table = Table(title=Text(title, style="bold"), title_justify="left", show_edge=False)
    for name in first:
        table.add_column(Text(name), overflow="fold", min_width=min(len(name), 12))
    for name in FIGURE_COLUMNS:
        table.add_column(Text(name), justify="right", no_wrap=True)
    return table


def report_tables(report: QaReport, bidi: bool) -> list[RenderableType]:
    if not report.samples:
        return [Text("No QA sample yet (a lead draws one with `verifier qa sample`).")]
    overall = _table(f"QA of {report.edition_code}: overall", ["samples"])
    overall.add_row(Text(str(len(report.samples))), *figure_cells(report.overall))
    by_sample = _table("Per sample", ["sample"])
    for entry in report.samples:
        by_sample.add_row(Text(str(entry.info.id)), *figure_cells(entry.figures))
    drawn = Table(title=Text("Samples drawn", style="bold"), title_justify="left", show_edge=False)
    for name in ("sample", "by", "when (UTC)", "seed", "population", "stratified", "sprint"):
        drawn.add_column(Text(name), overflow="fold")
    for entry in report.samples:
        info = entry.info
        drawn.add_row(
            Text(str(info.id)), cell(info.created_by, bidi=bidi),
            Text(f"{info.created_at:%Y-%m-%d %H:%M}"), Text(str(info.seed)),
            Text(f"{info.population:,}"), Text(info.stratify or "—"),
            cell(info.sprint or "—", bidi=bidi),
        )  # fmt: skip
    out: list[RenderableType] = [overall, Text(""), by_sample, Text(""), drawn, Text("")]
    out.append(disputes_table(report, bidi))
    for name, title, _ in BREAKDOWNS:
        table = _table(f"By {title}", [title])
        reasons = Text()
        for key, figures in report.breakdowns[name]:
            table.add_row(cell(key, bidi=bidi), *figure_cells(figures))
            for text, n in figures.reasons[:5]:
                reasons.append(f"  {shown(key, bidi=bidi)}: ", style="bold")
                reasons.append(f"{n}× ", style="dim")
                reasons.append(shown(text, bidi=bidi) + "\n", style="italic")
        out += [Text(""), table]
        if reasons:
            reasons.rstrip()
            out.append(Group(Text("  second reviewers' reasons:", style="dim"), reasons))
    out += [Text(""), Text(
        "Error: a sampled item first decided verified whose second review was not verified, "
        "unless a lead upheld the verification; 95% Wilson interval (docs/qa.md).", style="dim",
    )]  # fmt: skip
    return out


def disputes_table(report: QaReport, bidi: bool) -> RenderableType:
    if not report.disputes:
        return Text("No disagreement awaits adjudication.", style="green")
    table = Table(
        title=Text(f"Disagreements awaiting adjudication ({len(report.disputes)})", style="bold"),
        title_justify="left",
        show_edge=False,
    )
    for name in ("item", "sample", "first", "by", "second", "by", "reason or note"):
        table.add_column(Text(name), overflow="fold")
    for p in report.disputes:
        table.add_row(
            Text(str(p.item_id)), Text(str(p.sample_id)), Text(p.first_status),
            cell(p.first_reviewer, bidi=bidi), Text(p.second_status or ""),
            cell(p.second_by, bidi=bidi), cell(p.reason_given, bidi=bidi),
        )  # fmt: skip
    hint = Text("A lead settles each: verifier qa adjudicate ITEM --status S --reason R", "dim")
    return Group(table, hint)


def draw_table(draw: SampleDraw, bidi: bool) -> RenderableType:
    strata = f", stratified by {draw.stratify}" if draw.stratify else ""
    head = Text(
        f"QA sample {draw.sample_id}: {len(draw.items)} of {draw.eligible:,} eligible "
        f"{agree(draw.eligible, 'item')} "
        f"(population {draw.population:,}), seed {draw.seed}{strata}",
        style="bold",
    )
    columns = ("#", "item", "first decision", "by", "second reviewer", "stratum")
    rows = [
        (str(item.position), str(item.item_id), item.first_status, item.first_reviewer,
         item.second_reviewer, item.stratum)
        for item in draw.items
    ]  # fmt: skip
    texts = [[shown(row[index], bidi=False) for row in rows] for index in range(len(columns))]
    # A stratum is a source key or a reviewer's name: kept whole, as a user copies it.
    numeric = [True, True, *[False] * (len(columns) - 2)]
    table = FittedTable(head, texts, numeric, keep=("stratum",))
    for name, number in zip(columns, numeric, strict=True):
        table.add_column(Text(name), justify="right" if number else "left")
    for row in rows:
        table.add_row(*(cell(value, bidi=bidi) for value in row))
    load = ", ".join(f"{who} {n}" for who, n in draw.load.items())
    return Group(table, Text(f"Second reviewers: {load}", style="dim"))
