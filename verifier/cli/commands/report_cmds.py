"""``verifier report provenance``: where published values come from and who checked them."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer
from rich.text import Text

from verifier.cli.context import state
from verifier.cli.output import FORCE_HELP, check_output_file, output_file
from verifier.cli.stdout_writers import EchoWriter, LineWriter, streamed_stdout

report_app = typer.Typer(help="Reports on published values.", no_args_is_help=True)


class ProvenanceFormat(StrEnum):
    """The names of verifier.core.provenance.ReportFormat, without importing the renderers
    (and the prov package) each time the command line starts."""

    MD = "md"
    HTML = "html"
    CSV = "csv"
    JSON = "json"
    PROV_JSON = "prov-json"


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")


@report_app.command("provenance")
def provenance(
    ctx: typer.Context,
    publication: int | None = typer.Option(
        None, "--publication", metavar="ID", help="Publication id (default: the latest)."
    ),
    city: str | None = typer.Option(None, "--city", help="City id or name."),
    indicator: str | None = typer.Option(None, "--indicator", help="Indicator code or name."),
    item: int | None = typer.Option(
        None, "--item", metavar="ID", help="One item; says why when it is not published."
    ),
    fmt: ProvenanceFormat = typer.Option(
        ProvenanceFormat.MD, "--format", help="md, html, csv, json or prov-json."
    ),
    output: Path | None = typer.Option(None, "--output", "-o", help="File (default: stdout)."),
    force: bool = typer.Option(False, "--force", help=FORCE_HELP),
) -> None:
    """Where published values come from and who checked them.

    For each value: the publication, its evidence items, their source documents (and
    whether the files still match their sha256), the extraction, the city match, every
    review event and any conflict resolution. An item that is not published is reported
    with the reasons why.

    \b
    Example: verifier report provenance --city sa-riyadh --indicator DIG-BROADBAND
    """
    from verifier.core.edition_scope import Numbered, require_in_edition
    from verifier.core.items import require_edition
    from verifier.core.provenance import ReportFormat, stream_report, write_report
    from verifier.core.workspace import resolve_edition

    cli = state(ctx)
    if output is not None:
        check_output_file(output, force=force)
    with cli.workspace().reading() as session:
        if item is not None:
            require_edition(session, [item], cli.edition_code)
        require_in_edition(session, Numbered.PUBLICATION, [publication], cli.edition_code)
        edition_id = None
        if publication is None and item is None:
            edition_id = resolve_edition(session, cli.edition_code).id
        report = stream_report(
            session,
            edition_id=edition_id,
            publication_id=publication,
            city=city,
            indicator=indicator,
            item_id=item,
        )
        chosen = ReportFormat(fmt.value)
        if output is not None:
            with output_file(output, force=force) as handle:
                write_report(report, chosen, handle)
        elif cli.console.is_terminal and fmt == ProvenanceFormat.MD:
            # On a terminal, each line is laid out like everything else shown: wrapped in
            # logical order, Arabic shaped and reordered when bidi is on. Piped: as written.
            from verifier.presentation.display import wrap_lines

            def show(line: str) -> None:
                for shown in wrap_lines(line, cli.console.width, bidi=cli.bidi) or [""]:
                    typer.echo(shown)

            with streamed_stdout(LineWriter(show)) as out:
                write_report(report, chosen, out)
        else:
            with streamed_stdout(EchoWriter()) as out:
                write_report(report, chosen, out)
    if output is not None:
        cli.err.print(Text(f"wrote {output}"))
