"""The QA report and a drawn sample as Rich tables, for the command line (``--format
table``) and the review UI. Names and reasons are untrusted: plain ``Text`` cells only."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from verifier.core.qa.figures import Figures
from verifier.core.qa.report import BREAKDOWNS, QaReport
from verifier.core.qa.sampling import SampleDraw
from verifier.core.wording import agree, percent, percent_interval
from verifier.presentation.display import cell, shown
from verifier.presentation.table_fit import Cell, fitted_table

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


def _figures_table(title: str, first: str, rows: Sequence[tuple[Cell, Figures]],
                   *, number: bool = False) -> Table:  # fmt: skip
    """The figures of each row, after its first cell: a number (``number``) or a name or
    key, kept whole as a user copies it."""
    return fitted_table(
        Text(title, style="bold"), [first, *FIGURE_COLUMNS],
        [[name, *figure_cells(figures)] for name, figures in rows],
        [number, *[False] * (len(FIGURE_COLUMNS) - 1), True],
        right=FIGURE_COLUMNS, keep=() if number else (first,),
    )  # fmt: skip


def report_tables(report: QaReport, bidi: bool) -> list[RenderableType]:
    if not report.samples:
        return [Text("No QA sample yet (a lead draws one with `verifier qa sample`).")]
    overall = _figures_table(f"QA of {report.edition_code}: overall", "samples",
                             [(_number(len(report.samples)), report.overall)],
                             number=True)  # fmt: skip
    by_sample = _figures_table("Per sample", "sample",
                               [(_number(e.info.id), e.figures) for e in report.samples],
                               number=True)  # fmt: skip
    drawn_rows: list[list[Cell]] = [
        [
            _number(info.id), cell(info.created_by, bidi=bidi),
            Text(f"{info.created_at:%Y-%m-%d %H:%M}"), _number(info.seed),
            Text(f"{info.population:,}"), Text(info.stratify or "—"),
            cell(info.sprint or "—", bidi=bidi),
        ]
        for info in (entry.info for entry in report.samples)
    ]  # fmt: skip
    drawn = fitted_table(
        Text("Samples drawn", style="bold"),
        ["sample", "by", "when (UTC)", "seed", "population", "stratified", "sprint"],
        drawn_rows, [True, False, False, True, True, False, False], keep=("by", "sprint"),
    )  # fmt: skip
    out: list[RenderableType] = [overall, Text(""), by_sample, Text(""), drawn, Text("")]
    out.append(disputes_table(report, bidi))
    for name, title, _ in BREAKDOWNS:
        rows = [(cell(key, bidi=bidi), figures) for key, figures in report.breakdowns[name]]
        table = _figures_table(f"By {title}", title, rows)
        reasons = Text()
        for key, figures in report.breakdowns[name]:
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
    title = Text(f"Disagreements awaiting adjudication ({len(report.disputes)})", style="bold")
    rows: list[list[Cell]] = [
        [
            _number(p.item_id), _number(p.sample_id), Text(p.first_status),
            cell(p.first_reviewer, bidi=bidi), Text(p.second_status or ""),
            cell(p.second_by, bidi=bidi), cell(p.reason_given, bidi=bidi),
        ]
        for p in report.disputes
    ]  # fmt: skip
    # The two reviewers kept whole, as a lead names them; the reason read to its end.
    table = fitted_table(
        title, ["item", "sample", "first", "by", "second", "by", "reason or note"], rows,
        [True, True, False, False, False, False, False], keep=("by",),
        whole=("reason or note",),
    )  # fmt: skip
    hint = Text("A lead settles each: verifier qa adjudicate ITEM --status S --reason R", "dim")
    return Group(table, hint)


def _number(value: int) -> Text:
    return Text(str(value))


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
        [cell(value, bidi=bidi) for value in (
            str(item.position), str(item.item_id), item.first_status, item.first_reviewer,
            item.second_reviewer, item.stratum)]
        for item in draw.items
    ]  # fmt: skip
    # A stratum is a source key or a reviewer's name: kept whole, as a user copies it.
    numeric = [True, True, *[False] * (len(columns) - 2)]
    table = fitted_table(head, columns, rows, numeric, keep=("stratum",))
    load = ", ".join(f"{who} {n}" for who, n in draw.load.items())
    return Group(table, Text(f"Second reviewers: {load}", style="dim"))
