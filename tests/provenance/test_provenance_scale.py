"""The full report of a LAS-sized publication (fixtures/las2024), in every format.

benchmarks/bench_provenance.py measures it against the 3-second budget; this test checks
only that every format is complete at that size (tests time nothing).
"""

from __future__ import annotations

import io
from pathlib import Path

import prov
import pytest

from benchmarks.bench_provenance import build_workspace
from verifier.core.audit import verify_audit
from verifier.core.provenance import ReportFormat, build_report, render

pytestmark = pytest.mark.slow


def test_a_full_publication_in_every_format(tmp_path: Path) -> None:
    workspace, _ = build_workspace(f"sqlite:///{tmp_path / 'las.db'}")
    try:
        with workspace.reading() as session:
            report = build_report(session, edition_id=1)
        assert report.publication is not None
        assert len(report.values) == report.publication.value_count >= 600
        assert all(value.evidence for value in report.values)
        for fmt in ReportFormat:
            with workspace.reading() as session:
                text = render(build_report(session, edition_id=1), fmt)
            assert text, fmt
            if fmt == ReportFormat.PROV_JSON:
                assert prov.read(io.StringIO(text), format="json") is not None
        with workspace.reading() as session:
            assert verify_audit(session).intact
    finally:
        workspace.close()
