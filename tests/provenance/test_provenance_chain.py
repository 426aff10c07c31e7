"""The chain behind a published value: publication, evidence, source, extraction, city match,
review history and conflict resolution, gathered with a fixed number of queries."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from sqlalchemy import event, text

from db.models import Publication
from tests.older_sources import record_source_paths_as_before
from tests.provenance.scenario import build_published
from verifier.core.errors import NotFoundError
from verifier.core.provenance import build_report, render
from verifier.core.provenance.model import ProvenanceReport
from verifier.core.workspace import Workspace

UTC_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def _report(workspace: Workspace, **selection: object) -> ProvenanceReport:
    with workspace.reading() as session:
        return build_report(session, edition_id=1, **selection)  # type: ignore[arg-type]


def test_a_value_carries_its_whole_chain(
    any_published: tuple[Workspace, Publication], tmp_path: Path
) -> None:
    workspace, publication = any_published
    report = _report(workspace, city="sa-riyadh", indicator="TRD-WATER")
    facts = report.publication
    assert facts is not None
    assert (facts.id, facts.number, facts.created_by) == (publication.id, 1, "layla")
    assert facts.sha256 == publication.content_sha256 and facts.content_intact
    [value] = report.values
    assert (value.city.id, value.indicator.code, value.value, value.year) == (
        "sa-riyadh", "TRD-WATER", 99.1, 2023,
    )  # fmt: skip
    assert [item.id for item in value.evidence] == [1, 2]
    first = value.evidence[0]
    # The source document: its file's name and sha256, the document stored in the workspace.
    document = tmp_path / "mini" / "documents" / "yearbook.txt"
    digest = hashlib.sha256(document.read_bytes()).hexdigest()
    assert (first.source.key, first.source.title) == ("yearbook-2023", "Statistical Yearbook 2023")
    assert (first.source.file_sha256, first.source.file_state) == (digest, "stored")
    assert first.source.file_path == "yearbook.txt"
    assert first.source.published_on is not None and first.source.retrieved_on is not None
    assert (first.locator, first.value_text) == ("p. 12, table 3", "٩٩٫١٪")
    assert first.snippet.startswith("نسبة الأسر")
    # The extraction: who, when, which import file and row.
    items_file = tmp_path / "items.csv"
    assert first.extraction.extractor == "omar"
    assert first.extraction.extracted_at is not None
    assert first.extraction.extracted_at.isoformat() == "2026-09-14T07:22:05+00:00"
    assert (first.extraction.file_name, first.extraction.row_number) == ("items.csv", 2)
    assert first.extraction.file_sha256 == hashlib.sha256(items_file.read_bytes()).hexdigest()
    # The city match: the label as written, the city, how and by whom.
    match = first.match
    assert (match.raw_label, match.city and match.city.id, match.method) == (
        "الرياض", "sa-riyadh", "manual",
    )  # fmt: skip
    assert match.confirmed_by == "omar" and match.confirmed_at is not None and match.confirmed
    # Every review event, with actor and time; the verification that counted.
    assert [(e.action, e.actor) for e in first.events] == [("match", "omar"), ("status", "omar")]
    status = first.events[-1]
    assert (status.old_status, status.new_status, status.note) == (
        "unverified", "verified", "checked against p. 12",
    )  # fmt: skip
    assert first.verified_by == status
    assert all(e.seq is not None for e in first.events)
    assert not first.changed_after_publication


def test_a_resolved_conflict_names_who_why_and_the_losers(
    any_published: tuple[Workspace, Publication],
) -> None:
    workspace, _ = any_published
    [value] = _report(workspace, city="Cairo", indicator="trd-water").values
    conflict = value.conflict
    assert conflict is not None
    assert (conflict.state, conflict.chosen_item_id, conflict.resolved_by) == (
        "resolved",
        5,
        "layla",
    )
    assert conflict.reason == "ministry figure is final" and conflict.resolved_at is not None
    assert [(loser.id, loser.value_normalized) for loser in conflict.losers] == [(4, 80.0)]
    assert [i.id for i in value.evidence] == [5]


def test_the_whole_publication_and_the_selectors(published: Workspace) -> None:
    everything = _report(published)
    assert [(v.city.id, v.indicator.code) for v in everything.values] == [
        ("eg-cairo", "TRD-WATER"),
        ("lb-tripoli", "DIG-BROADBAND"),
        ("sa-riyadh", "DIG-BROADBAND"),
        ("sa-riyadh", "TRD-WATER"),
    ]
    assert {v.city.id for v in _report(published, city="Riyadh").values} == {"sa-riyadh"}
    assert {v.indicator.code for v in _report(published, indicator="DIG-BROADBAND").values} == {
        "DIG-BROADBAND"
    }
    by_item = _report(published, item_id=2)
    assert [(v.city.id, [i.id for i in v.evidence]) for v in by_item.values] == [
        ("sa-riyadh", [1, 2])
    ]
    assert by_item.unpublished == ()


def test_ambiguous_or_unknown_selectors_say_what_to_do(published: Workspace) -> None:
    with pytest.raises(NotFoundError, match=r"several cities.*lb-tripoli, ly-tripoli"):
        _report(published, city="Tripoli")
    with pytest.raises(NotFoundError, match="no city 'Atlantis'"):
        _report(published, city="Atlantis")
    with pytest.raises(NotFoundError, match="no indicator 'GDP'"):
        _report(published, indicator="GDP")
    with pytest.raises(NotFoundError, match="no publication 99"):
        _report(published, publication_id=99)


def test_a_changed_or_missing_source_file_is_reported(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only for a source recorded with the path of its local copy (as sources were before they
    kept only the file's name), and a document the workspace does not hold: a stored one is
    what counts."""
    record_source_paths_as_before(monkeypatch)
    build_published(workspace, tmp_path)  # built here: the file it names must be this test's
    published = workspace
    document = tmp_path / "mini" / "documents" / "yearbook.txt"
    [value] = _report(published, city="sa-riyadh", indicator="TRD-WATER").values
    assert value.evidence[0].source.file_state == "ok"
    document.write_text("rewritten\n", encoding="utf-8")
    [value] = _report(published, city="sa-riyadh", indicator="TRD-WATER").values
    assert value.evidence[0].source.file_state == "stored"
    document.unlink()
    [value] = _report(published, city="sa-riyadh", indicator="TRD-WATER").values
    assert value.evidence[0].source.file_state == "stored"
    assert "stored in the workspace" in render(
        _report(published, city="sa-riyadh", indicator="TRD-WATER"), "md"
    )
    _forget_documents(published)
    document.write_text("rewritten\n", encoding="utf-8")
    [value] = _report(published, city="sa-riyadh", indicator="TRD-WATER").values
    source = value.evidence[0].source
    assert source.file_state == "changed"
    assert source.file_sha256_now == hashlib.sha256(b"rewritten\n").hexdigest()
    document.unlink()
    [value] = _report(published, city="sa-riyadh", indicator="TRD-WATER").values
    assert value.evidence[0].source.file_state == "missing"


def _forget_documents(workspace: Workspace) -> None:
    """A workspace that never stored its documents (as before documents were kept)."""
    with workspace.engine.begin() as connection:
        for table in ("evidence_check", "document_cell", "document_page", "document_chunk",
                      "document"):  # fmt: skip
            connection.execute(text(f"DELETE FROM {table}"))


def test_an_item_changed_after_publication_is_marked(published: Workspace) -> None:
    from db.models import Status
    from verifier.core.review.decisions import set_status

    with published.session() as session:
        set_status(session, 2, Status.REJECTED, "layla", reason="misread the table")
    [value] = _report(published, city="sa-riyadh", indicator="TRD-WATER").values
    first, second = value.evidence
    assert not first.changed_after_publication and second.changed_after_publication
    # Who verified it before the publication still shows, with the later rejection in its history.
    assert second.verified_by is not None and second.verified_by.new_status == "verified"
    assert second.status == "rejected" and second.events[-1].reason == "misread the table"


def test_the_report_reads_the_chain_in_a_fixed_number_of_queries(published: Workspace) -> None:
    def statements(**selection: object) -> int:
        seen: list[str] = []

        def count(*args: object) -> None:
            seen.append(str(args[2]))

        event.listen(published.engine, "before_cursor_execute", count)
        try:
            _report(published, **selection)
        finally:
            event.remove(published.engine, "before_cursor_execute", count)
        return len(seen)

    one_value = statements(city="eg-cairo", indicator="TRD-WATER")
    all_values = statements()
    # Four values cost no more than one (which also looks up the city and indicator names):
    # nothing is queried per value, item or event.
    assert all_values <= one_value
    assert all_values <= 20


def test_timestamps_are_utc_with_z(published: Workspace) -> None:
    from verifier.core.provenance.jsondoc import report_document

    document = report_document(_report(published))
    stamps = [document["generated_at"], document["publication"]["created_at"]]
    for value in document["values"]:
        for item in value["evidence"]:
            stamps += [item["extraction"]["extracted_at"], item["extraction"]["imported_at"]]
            stamps += [e["at"] for e in item["events"]]
    assert stamps and all(UTC_Z.match(s) for s in stamps), stamps
