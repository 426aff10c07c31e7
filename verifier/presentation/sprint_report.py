"""The sprint report for the sprint review meeting, as Markdown or as one self-contained HTML
page with the burn-down as inline SVG. Names and other untrusted text go through
``safe_output``; Arabic stays in logical order (browsers and Markdown viewers apply bidi)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from verifier.core.qa.figures import Figures
from verifier.core.review.sprint_steering import SprintOverview
from verifier.core.safe_output import HTML_SECURITY_POLICY, html_text, markdown_text
from verifier.core.wording import count, percent, percent_interval
from verifier.presentation.burndown import svg_chart, terminal_chart

IDS_LISTED = 200


def _kappa(value: float | None) -> str:
    return "undefined" if value is None else f"{value:.3f}"


def _ids(ids: Sequence[int], total: int | None = None) -> str:
    total = len(ids) if total is None else total
    shown = ", ".join(map(str, ids[:IDS_LISTED]))
    more = total - min(len(ids), IDS_LISTED)
    return shown + (f" … ({more} more)" if more > 0 else "") or "—"


def _qa_lines(f: Figures) -> list[str]:
    if f.size == 0:
        return ["No item of this sprint is in a QA sample yet."]
    return [
        f"- Drawn for a blind second review: {f.size}; reviewed: {f.reviewed}",
        f"- Observed agreement: {percent(f.agreement)}; Cohen's kappa: {_kappa(f.kappa)}",
        f"- Error rate of the verified items: {percent(f.error_rate)} ({f.errors} of "
        f"{f.verified_reviewed}), 95% Wilson interval "
        f"{percent_interval(f.error_ci.low, f.error_ci.high)}",
        f"- Awaiting adjudication: {_ids(f.disagreements) if f.disagreements else 'none'}",
    ]


def _days(o: SprintOverview) -> list[tuple[str, str, str, str]]:
    return [
        (f"{d.day:%Y-%m-%d}", f"{d.planned:g}",
         "—" if d.remaining is None else str(d.remaining),
         "—" if d.remaining is None else str(d.decided))
        for d in o.days
    ]  # fmt: skip


def render_markdown(o: SprintOverview, f: Figures, now: datetime) -> str:
    s = o.sprint
    lines = [
        f"# Sprint report: {markdown_text(s.name)}",
        "",
        f"- **Time box:** {s.starts_at.astimezone():%Y-%m-%d %H:%M} → "
        f"{s.ends_at.astimezone():%Y-%m-%d %H:%M} ({s.state(now)})",
        f"- **Scope:** {markdown_text(s.scope.describe())}",
        f"- **Progress:** {s.decided} of {count(s.assigned, 'item')} decided; {o.remaining} left "
        f"({o.at_start} at the start)",
        f"- **Generated:** {now:%Y-%m-%d %H:%M} UTC",
        "",
        "## Burn-down",
        "",
        "```",
        terminal_chart(o.days, o.at_start).plain.rstrip(),
        "```",
        "",
        "| day | planned left | left | decided that day |",
        "| --- | --- | --- | --- |",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in _days(o)),
        "",
        "## Throughput: decisions per reviewer per day",
        "",
    ]
    days = [d.day for d in o.days if d.day <= o.today]
    if o.throughput and days:
        lines.append("| reviewer | " + " | ".join(f"{d:%m-%d}" for d in days) + " | total |")
        lines.append("| --- |" + " --- |" * (len(days) + 1))
        for who, by_day in o.throughput.items():
            counts = " | ".join(str(by_day.get(d, 0)) for d in days)
            lines.append(f"| {markdown_text(who)} | {counts} | {sum(by_day.values())} |")
    else:
        lines.append("No decision on the sprint's items yet.")
    lines += ["", "## QA", "", *_qa_lines(f), "", "## What each reviewer still has", ""]
    lines += ["| reviewer | assigned | decided | left | flagged | items left |",
              "| --- | --- | --- | --- | --- | --- |"]  # fmt: skip
    for load in o.loads:
        lines.append(
            f"| {markdown_text(load.reviewer)} | {load.assigned} | {load.decided} | "
            f"{load.left} | {load.flagged} | {_ids(load.remaining, load.left)} |"
        )
    return "\n".join(lines) + "\n"


STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222; }
table { border-collapse: collapse; margin: .5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: .25em .6em; text-align: left; vertical-align: top; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.note { color: #555; }
"""


def _table(headers: Sequence[str], rows: Sequence[Sequence[tuple[str, bool]]]) -> str:
    head = "".join(f"<th>{html_text(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f'<td class="n">{t}</td>' if n else f'<td dir="auto">{t}</td>'
                         for t, n in row) + "</tr>"
        for row in rows
    )  # fmt: skip
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(o: SprintOverview, f: Figures, now: datetime) -> str:
    s = o.sprint
    name = html_text(s.name)
    days = [d.day for d in o.days if d.day <= o.today]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        HTML_SECURITY_POLICY,
        f'<title>Sprint report: {name}</title><style>{STYLE}</style></head><body>',
        f'<h1>Sprint report: <span dir="auto">{name}</span></h1>',
        "<ul>",
        f"<li><b>Time box:</b> {s.starts_at.astimezone():%Y-%m-%d %H:%M} → "
        f"{s.ends_at.astimezone():%Y-%m-%d %H:%M} ({s.state(now)})</li>",
        f'<li><b>Scope:</b> <span dir="auto">{html_text(s.scope.describe())}</span></li>',
        f"<li><b>Progress:</b> {s.decided} of {count(s.assigned, 'item')} decided; "
        f"{o.remaining} left "
        f"({o.at_start} at the start)</li>",
        f"<li><b>Generated:</b> {now:%Y-%m-%d %H:%M} UTC</li>",
        "</ul>",
        "<h2>Burn-down</h2>",
        svg_chart(o.days, o.at_start),
        _table(["day", "planned left", "left", "decided that day"],
               [[(a, False), (b, True), (c, True), (d, True)] for a, b, c, d in _days(o)]),
        "<h2>Throughput: decisions per reviewer per day</h2>",
    ]  # fmt: skip
    if o.throughput and days:
        parts.append(_table(
            ["reviewer", *(f"{d:%m-%d}" for d in days), "total"],
            [[(html_text(who), False), *((str(by_day.get(d, 0)), True) for d in days),
              (str(sum(by_day.values())), True)] for who, by_day in o.throughput.items()],
        ))  # fmt: skip
    else:
        parts.append("<p>No decision on the sprint's items yet.</p>")
    parts.append("<h2>QA</h2><ul>")
    parts += [f"<li>{html_text(line.removeprefix('- '))}</li>" for line in _qa_lines(f)]
    parts.append("</ul><h2>What each reviewer still has</h2>")
    parts.append(_table(
        ["reviewer", "assigned", "decided", "left", "flagged", "items left"],
        [[(html_text(load.reviewer), False), (str(load.assigned), True),
          (str(load.decided), True), (str(load.left), True),
          (str(load.flagged), True), (_ids(load.remaining, load.left), False)]
         for load in o.loads],
    ))  # fmt: skip
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
