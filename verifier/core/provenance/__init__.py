"""Where a published value comes from and who checked it: provenance reports for one value,
one item or a whole publication, readable (Markdown, HTML) and checkable (CSV, JSON,
W3C PROV-JSON)."""

from verifier.core.provenance.model import ProvenanceReport
from verifier.core.provenance.render import ReportFormat, render
from verifier.core.provenance.report import build_report, item_provenance_markdown

__all__ = [
    "ProvenanceReport",
    "ReportFormat",
    "build_report",
    "item_provenance_markdown",
    "render",
]
