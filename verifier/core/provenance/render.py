"""Choosing an output format by name."""

from __future__ import annotations

import io
from collections.abc import Callable
from enum import StrEnum

from verifier.core.provenance.csvfile import write_csv
from verifier.core.provenance.html import write_html
from verifier.core.provenance.jsondoc import write_json
from verifier.core.provenance.markdown import write_markdown
from verifier.core.provenance.model import ProvenanceReport, ReportStream, TextSink
from verifier.core.provenance.provstream import write_prov_json


class ReportFormat(StrEnum):
    MD = "md"
    HTML = "html"
    CSV = "csv"
    JSON = "json"
    PROV_JSON = "prov-json"


WRITERS: dict[ReportFormat, Callable[[ReportStream, TextSink], None]] = {
    ReportFormat.MD: write_markdown,
    ReportFormat.HTML: write_html,
    ReportFormat.CSV: write_csv,
    ReportFormat.JSON: write_json,
    ReportFormat.PROV_JSON: write_prov_json,
}


def render(report: ProvenanceReport, fmt: ReportFormat | str) -> str:
    out = io.StringIO()
    write_report(ReportStream.of(report), fmt, out)
    return out.getvalue()


def write_report(stream: ReportStream, fmt: ReportFormat | str, out: TextSink) -> None:
    """Write the report to ``out`` as it is read: values and evidence a chunk at a time."""
    WRITERS[ReportFormat(fmt)](stream, out)
