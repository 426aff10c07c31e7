"""Choosing an output format by name."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from verifier.core.provenance.csvfile import render_csv
from verifier.core.provenance.html import render_html
from verifier.core.provenance.jsondoc import render_json
from verifier.core.provenance.markdown import render_markdown
from verifier.core.provenance.model import ProvenanceReport
from verifier.core.provenance.provjson import render_prov_json


class ReportFormat(StrEnum):
    MD = "md"
    HTML = "html"
    CSV = "csv"
    JSON = "json"
    PROV_JSON = "prov-json"


RENDERERS: dict[ReportFormat, Callable[[ProvenanceReport], str]] = {
    ReportFormat.MD: render_markdown,
    ReportFormat.HTML: render_html,
    ReportFormat.CSV: render_csv,
    ReportFormat.JSON: render_json,
    ReportFormat.PROV_JSON: render_prov_json,
}


def render(report: ProvenanceReport, fmt: ReportFormat | str) -> str:
    return RENDERERS[ReportFormat(fmt)](report)
