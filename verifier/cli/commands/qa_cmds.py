"""``verifier qa sample|review|show|adjudicate|report``: blind second reviews of seeded
samples of decided items, their agreement and the error rate of the verified data."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer
from rich.text import Text

from verifier.cli.context import state
from verifier.cli.output import FORCE_HELP, write_json, write_output_file
from verifier.cli.queue_options import FilterOptions, queue_filter, queue_filter_options
from verifier.core.safe_output import json_text

qa_app = typer.Typer(
    help="Quality assurance: blind second reviews, agreement, error rate.", no_args_is_help=True
)


class SampleFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


class ReportFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    MD = "md"
    HTML = "html"


QA_STATUSES = ("verified", "rejected", "flagged")


def register(app: typer.Typer) -> None:
    app.add_typer(qa_app, name="qa")


def _status(value: str) -> str:
    if value not in QA_STATUSES:
        raise typer.BadParameter("verified, rejected or flagged", param_hint="--status")
    return value


@qa_app.command("sample")
@queue_filter_options(assignment=False)
def sample(
    ctx: typer.Context,
    filters: FilterOptions,
    size: int = typer.Option(..., "--size", "-n", help="How many items to draw."),
    assign: str = typer.Option(..., "--assign", help="Second reviewers, comma-separated."),
    seed: int | None = typer.Option(
        None, "--seed", help="Random seed (the same seed redraws the same items); default: new."
    ),
    sprint: str | None = typer.Option(None, "--sprint", help="Only items of this sprint."),
    stratify: str | None = typer.Option(
        None, "--stratify", help="reviewer, source or extractor: every group gets its share."
    ),
    fmt: SampleFormat = typer.Option(SampleFormat.TABLE, "--format", help="table or json."),
) -> None:
    """Draw a seeded random sample of decided items for a blind second review (leads only).

    Each item goes to a reviewer named in --assign other than the one who decided it; the
    draw is refused when that is impossible. --status defaults to verified,rejected; the
    other queue filters narrow the population too. Items drawn by an earlier sample are
    not drawn again.

    \b
    Examples:
      verifier --user layla qa sample --size 50 --seed 7 --assign omar,sara
      verifier --user layla qa sample --size 30 --sprint "week 41" --stratify extractor
        --assign omar,sara --format json
    """
    from verifier.core.edition_scope import Numbered, require_in_edition
    from verifier.core.qa.sampling import Stratify, draw_sample
    from verifier.core.review.sprints import parse_reviewers
    from verifier.core.workspace import resolve_edition
    from verifier.presentation.qa_tables import draw_table

    if stratify is not None and stratify not in {s.value for s in Stratify}:
        raise typer.BadParameter("reviewer, source or extractor", param_hint="--stratify")
    cli = state(ctx)
    scope = queue_filter(cli, filters)
    with cli.workspace().session() as session:
        require_in_edition(session, Numbered.BATCH, scope.batches, cli.edition_code)
        edition = resolve_edition(session, cli.edition_code)
        assert edition.id is not None
        draw = draw_sample(
            session, edition.id, size=size, reviewers=parse_reviewers(assign), actor=cli.user,
            scope=scope, seed=seed, sprint=sprint, stratify=stratify,
        )  # fmt: skip
    if fmt == SampleFormat.JSON:
        write_json({
            "sample_id": draw.sample_id,
            "item_ids": draw.item_ids,
            "seed": draw.seed,
            "size": len(draw.items),
            "population": draw.population,
            "eligible": draw.eligible,
            "stratify": draw.stratify or None,
            "assignments": [
                {"item_id": i.item_id, "second_reviewer": i.second_reviewer,
                 "stratum": i.stratum}
                for i in draw.items
            ],
        })  # fmt: skip
        return
    cli.console.print(draw_table(draw, cli.bidi))


@qa_app.command("review")
def review(
    ctx: typer.Context,
    item_id: int = typer.Argument(..., metavar="ITEM", help="An item drawn for you."),
    status: str = typer.Option(..., "--status", help="verified, rejected or flagged."),
    reason: str = typer.Option("", "--reason", help="Why (a rejection needs one)."),
    note: str = typer.Option("", "--note", help="A note (a flag needs one)."),
    sample_id: int | None = typer.Option(None, "--sample", help="The QA sample, if several."),
) -> None:
    """Record your blind second decision on an item a QA sample gave you. It is an event of
    its own and never changes the item's status. See the item without its first decision
    with `verifier qa show ITEM`.

    \b
    Example: verifier --user sara qa review 42 --status rejected --reason "value is for 2019"
    """
    from verifier.core.edition_scope import Numbered, require_in_edition
    from verifier.core.items import require_edition
    from verifier.core.qa.reviews import record_second_review

    cli = state(ctx)
    with cli.workspace().session() as session:
        require_edition(session, [item_id], cli.edition_code)
        require_in_edition(session, Numbered.QA_SAMPLE, [sample_id], cli.edition_code)
        saved = record_second_review(
            session, item_id, _status(status), cli.user, reason=reason, note=note,
            sample_id=sample_id,
        )  # fmt: skip
        line = f"item {item_id}: second decision {saved.status} (QA sample {saved.sample_id})"
    cli.console.print(Text(line))


@qa_app.command("show")
def show(
    ctx: typer.Context, item_id: int = typer.Argument(..., metavar="ITEM", help="Item id.")
) -> None:
    """The item as a blind second reviewer sees it: everything but the first decision (no
    status, no reviewer, no notes, no history).

    \b
    Example: verifier --user sara qa show 42
    """
    from verifier.core.items import require_edition
    from verifier.core.qa.blind import blind_view
    from verifier.core.review.itemview import load_item_view
    from verifier.presentation import itemrender
    from verifier.presentation.item_qa import blind_notice

    cli = state(ctx)
    with cli.workspace().reading() as session:
        require_edition(session, [item_id], cli.edition_code)
        view = blind_view(load_item_view(session, item_id))
    out = cli.console
    for section in itemrender.full_sections(view, out.width, cli.bidi, (blind_notice(),)):
        out.print(section)


@qa_app.command("adjudicate")
def adjudicate(
    ctx: typer.Context,
    item_id: int = typer.Argument(..., metavar="ITEM", help="An item whose decisions differ."),
    status: str = typer.Option(..., "--status", help="verified, rejected or flagged."),
    reason: str = typer.Option(..., "--reason", help="Why (kept in the audit trail)."),
    note: str = typer.Option("", "--note", help="A note for the item's history."),
    sample_id: int | None = typer.Option(None, "--sample", help="The QA sample, if several."),
) -> None:
    """Settle a disagreement between the first and the second decision (leads only). The
    item takes STATUS through the normal status change, with its event.

    \b
    Example: verifier --user layla qa adjudicate 42 --status rejected --reason "p. 41 says 2019"
    """
    from verifier.core.edition_scope import Numbered, require_in_edition
    from verifier.core.items import require_edition
    from verifier.core.qa.adjudication import adjudicate as settle

    cli = state(ctx)
    with cli.workspace().session() as session:
        require_edition(session, [item_id], cli.edition_code)
        require_in_edition(session, Numbered.QA_SAMPLE, [sample_id], cli.edition_code)
        verdict = settle(
            session, item_id, _status(status), cli.user, reason, note=note, sample_id=sample_id
        )
        changed = "status changed" if verdict.status_event_id else "status unchanged"
        line = (
            f"item {item_id}: adjudicated {verdict.status} "
            f"({changed}; QA sample {verdict.sample_id})"
        )
    cli.console.print(Text(line))


@qa_app.command("report")
def report(
    ctx: typer.Context,
    sample_id: int | None = typer.Argument(None, metavar="[SAMPLE]", help="One sample only."),
    fmt: ReportFormat = typer.Option(ReportFormat.TABLE, "--format", help="table, json, md, html."),
    output: Path | None = typer.Option(None, "--output", "-o", help="File (default: stdout)."),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
) -> None:
    """Agreement, Cohen's kappa and the error rate of the verified data (95% Wilson
    interval), per sample and overall, broken down by first reviewer, source and extractor,
    with the disagreements awaiting adjudication. The JSON is documented in docs/qa.md.

    \b
    Examples:
      verifier qa report
      verifier qa report 3 --format json
      verifier qa report --format html -o qa.html
    """
    from verifier.core.edition_scope import Numbered, require_in_edition
    from verifier.core.qa.render import render_html, render_markdown
    from verifier.core.qa.report import build_qa_report, report_document
    from verifier.core.workspace import resolve_edition
    from verifier.presentation.qa_tables import report_tables

    cli = state(ctx)
    with cli.workspace().reading() as session:
        require_in_edition(session, Numbered.QA_SAMPLE, [sample_id], cli.edition_code)
        edition = resolve_edition(session, cli.edition_code)
        built = build_qa_report(session, edition, sample_id)
    if fmt == ReportFormat.TABLE and output is None:
        for renderable in report_tables(built, cli.bidi):
            # Its sentences wrap between words, not where the terminal's edge falls.
            cli.console.print(renderable, soft_wrap=False)
        return
    if fmt == ReportFormat.JSON:
        text = json_text(report_document(built)) + "\n"
    elif fmt == ReportFormat.MD:
        text = render_markdown(built)
    elif fmt == ReportFormat.HTML:
        text = render_html(built)
    else:
        raise typer.BadParameter("--output needs json, md or html", param_hint="--format")
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_output_file(output, text, force=force)
        cli.err.print(Text(f"wrote {output}"))
