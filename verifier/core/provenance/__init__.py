"""Where a published value comes from and who checked it: provenance reports for one value,
one item or a whole publication, readable (Markdown, HTML) and checkable (CSV, JSON,
W3C PROV-JSON)."""

from verifier.core.provenance.model import ProvenanceReport, ReportStream
from verifier.core.provenance.render import ReportFormat, render, write_report
from verifier.core.provenance.report import build_report, item_provenance_markdown, stream_report

__all__ = [
    "ProvenanceReport",
    "ReportFormat",
    "ReportStream",
    "build_report",
    "item_provenance_markdown",
    "render",
    "stream_report",
    "write_report",
]
