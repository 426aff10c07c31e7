"""The QA report as Markdown and as a self-contained HTML page. Every piece of text that came
from people (names, keys, reasons) goes through ``safe_output``: escaped, never markup."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from verifier.core.qa.figures import Figures
from verifier.core.qa.report import BREAKDOWNS, QaReport
from verifier.core.safe_output import HTML_SECURITY_POLICY, html_text, markdown_text
from verifier.core.wording import percent, percent_interval

DEFINITION = (
    "Error: a sampled item first decided verified whose second review was not verified, "
    "unless a lead's adjudication upheld the verification. 95% Wilson interval. "
    "Formulas and a worked example: docs/qa.md."
)
REASONS_SHOWN = 5


def kappa_text(value: float | None) -> str:
    return "undefined" if value is None else f"{value:.3f}"


def interval_text(figures: Figures) -> str:
    return percent_interval(figures.error_ci.low, figures.error_ci.high)


def ids_text(ids: Sequence[int], limit: int = 30) -> str:
    if not ids:
        return "none"
    shown = ", ".join(str(i) for i in ids[:limit])
    return shown + (f" … ({len(ids) - limit} more)" if len(ids) > limit else "")


def _figure_cells(f: Figures) -> list[str]:
    return [
        str(f.size), str(f.reviewed), percent(f.agreement), kappa_text(f.kappa),
        percent(f.error_rate), interval_text(f), f"{f.errors}/{f.verified_reviewed}",
        str(len(f.disagreements)),
    ]  # fmt: skip


FIGURE_HEADERS = ["size", "reviewed", "agreement", "kappa", "error rate", "95% interval",
                  "errors / verified reviewed", "awaiting adjudication"]  # fmt: skip


def _reasons(f: Figures, escape: Callable[[str | None], str]) -> str:
    text = [f"{escape(r)} ({n})" for r, n in f.reasons[:REASONS_SHOWN]]
    more = len(f.reasons) - REASONS_SHOWN
    return "; ".join(text) + (f"; … {more} more" if more > 0 else "") if text else "—"


# Markdown --------------------------------------------------------------------------------


def _md_row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _md_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    return [_md_row(headers), _md_row(["---"] * len(headers)), *(_md_row(r) for r in rows)]


def render_markdown(report: QaReport) -> str:
    lines = [f"# QA report: {markdown_text(report.edition_code)}", ""]
    lines.append(f"Generated {report.generated_at:%Y-%m-%d %H:%M} UTC. {DEFINITION}")
    lines += ["", "## Overall", ""]
    if not report.samples:
        lines += ["No QA sample yet (a lead draws one with `verifier qa sample`)."]
        return "\n".join(lines) + "\n"
    lines += _md_table(["samples", *FIGURE_HEADERS],
                       [[str(len(report.samples)), *_figure_cells(report.overall)]])  # fmt: skip
    lines += ["", "## Samples", ""]
    rows = []
    for entry in report.samples:
        info = entry.info
        rows.append([
            str(info.id), markdown_text(info.created_by), f"{info.created_at:%Y-%m-%d %H:%M}",
            str(info.seed), str(info.population), info.stratify or "—",
            markdown_text(info.sprint) or "—", *_figure_cells(entry.figures),
        ])  # fmt: skip
    lines += _md_table(["sample", "drawn by", "when (UTC)", "seed", "population",
                        "stratified by", "sprint", *FIGURE_HEADERS], rows)  # fmt: skip
    lines += ["", "## Disagreements awaiting adjudication", ""]
    if report.disputes:
        lines += _md_table(
            ["item", "sample", "first", "by", "second", "by", "reason or note"],
            [[str(p.item_id), str(p.sample_id), p.first_status, markdown_text(p.first_reviewer),
              p.second_status or "", markdown_text(p.second_by),
              markdown_text(p.reason_given) or "—"] for p in report.disputes],
        )  # fmt: skip
        lines += [
            "",
            "A lead settles each with `verifier qa adjudicate ITEM --status S --reason R`.",
        ]
    else:
        lines.append("None.")
    for name, title, _ in BREAKDOWNS:
        lines += ["", f"## By {title}", ""]
        lines += _md_table(
            [title, *FIGURE_HEADERS, "second reviewers' reasons"],
            [[markdown_text(key) or "—", *_figure_cells(f), _reasons(f, markdown_text)]
             for key, f in report.breakdowns[name]],
        )  # fmt: skip
    return "\n".join(lines) + "\n"


# HTML ------------------------------------------------------------------------------------

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 80em; color: #222; }
table { border-collapse: collapse; margin: .5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: .25em .6em; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: bold; margin-bottom: .3em; }
.note { color: #555; }
"""


def _cell(text: str, numeric: bool = False) -> str:
    return f'<td class="n">{text}</td>' if numeric else f'<td dir="auto">{text}</td>'


def _html_table(headers: Sequence[str], rows: Sequence[Sequence[tuple[str, bool]]]) -> str:
    head = "".join(f"<th>{html_text(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(_cell(t, n) for t, n in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _html_figures(f: Figures) -> list[tuple[str, bool]]:
    return [(html_text(c), True) for c in _figure_cells(f)]


def render_html(report: QaReport) -> str:
    title = f"QA report: {html_text(report.edition_code)}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        HTML_SECURITY_POLICY,
        f"<title>{title}</title><style>{STYLE}</style></head><body>",
        f"<h1>{title}</h1>",
        f'<p class="note">Generated {report.generated_at:%Y-%m-%d %H:%M} UTC. '
        f"{html_text(DEFINITION)}</p>",
        "<h2>Overall</h2>",
    ]
    if not report.samples:
        parts.append("<p>No QA sample yet (a lead draws one with <code>verifier qa sample</code>)."
                     "</p></body></html>")  # fmt: skip
        return "\n".join(parts) + "\n"
    parts.append(
        _html_table(
            ["samples", *FIGURE_HEADERS],
            [[(str(len(report.samples)), True), *_html_figures(report.overall)]],
        )
    )
    rows = []
    for entry in report.samples:
        info = entry.info
        rows.append([
            (str(info.id), True), (html_text(info.created_by), False),
            (f"{info.created_at:%Y-%m-%d %H:%M}", False), (str(info.seed), True),
            (str(info.population), True), (html_text(info.stratify) or "—", False),
            (html_text(info.sprint) or "—", False), *_html_figures(entry.figures),
        ])  # fmt: skip
    parts += ["<h2>Samples</h2>", _html_table(
        ["sample", "drawn by", "when (UTC)", "seed", "population", "stratified by", "sprint",
         *FIGURE_HEADERS], rows)]  # fmt: skip
    parts.append("<h2>Disagreements awaiting adjudication</h2>")
    if report.disputes:
        parts.append(_html_table(
            ["item", "sample", "first", "by", "second", "by", "reason or note"],
            [[(str(p.item_id), True), (str(p.sample_id), True), (p.first_status, False),
              (html_text(p.first_reviewer), False), (html_text(p.second_status), False),
              (html_text(p.second_by), False), (html_text(p.reason_given) or "—", False)]
             for p in report.disputes],
        ))  # fmt: skip
    else:
        parts.append("<p>None.</p>")
    for name, title_text, _ in BREAKDOWNS:
        parts.append(f"<h2>By {title_text}</h2>")
        parts.append(_html_table(
            [title_text, *FIGURE_HEADERS, "second reviewers' reasons"],
            [[(html_text(key) or "—", False), *_html_figures(f), (_reasons(f, html_text), False)]
             for key, f in report.breakdowns[name]],
        ))  # fmt: skip
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
