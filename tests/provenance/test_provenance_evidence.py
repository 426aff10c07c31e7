"""The evidence check in provenance reports: status, page and the sha256 of the document the
stored result was computed against, in every format, and said plainly when that result is
stale (another document, another version of the check) or absent."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import prov
import pytest
from sqlalchemy import text
from sqlmodel import select

from db.models import EvidenceCheck, Publication, Source
from tests.provenance.scenario import HOSTILE, PUBLISHED
from verifier.core.evidence.method import METHOD
from verifier.core.evidence.results import Scope, run_check
from verifier.core.provenance import build_report, render
from verifier.core.provenance.markdown import md_text
from verifier.core.provenance.model import ItemChain, ProvenanceReport
from verifier.core.provenance.prov_vocabulary import NAMESPACE_URI
from verifier.core.sources.registry import SourceFields, upsert_source
from verifier.core.workspace import Workspace


def _report(workspace: Workspace, **selection: object) -> ProvenanceReport:
    with workspace.reading() as session:
        return build_report(session, edition_id=1, **selection)  # type: ignore[arg-type]


def _published_chains(report: ProvenanceReport) -> dict[int, ItemChain]:
    return {item.id: item for value in report.values for item in value.evidence}


def _stored(workspace: Workspace) -> dict[int, EvidenceCheck]:
    with workspace.reading() as session:
        return {row.item_id: row for row in session.exec(select(EvidenceCheck))}


def _yearbook_sha(workspace: Workspace) -> str:
    with workspace.reading() as session:
        return session.exec(select(Source).where(Source.key == "yearbook-2023")).one().file_sha256


def _csv(report: ProvenanceReport) -> dict[str, dict[str, str]]:
    rows = csv.DictReader(io.StringIO(render(report, "csv")))
    return {row["item_id"]: row for row in rows}


def _json_items(report: ProvenanceReport) -> dict[int, dict[str, object]]:
    document = json.loads(render(report, "json"))
    return {item["id"]: item for value in document["values"] for item in value["evidence"]}


def _prov_checks(report: ProvenanceReport) -> dict[str, dict[str, object]]:
    document = json.loads(render(report, "prov-json"))
    assert prov.read(io.StringIO(render(report, "prov-json")), format="json") is not None
    return {
        key: value
        for key, value in document["activity"].items()
        if key.startswith("verifier:evidenceCheck/")
    }


def test_an_item_never_checked_is_reported_as_absent(
    any_published: tuple[Workspace, Publication],
) -> None:
    workspace, _ = any_published
    report = _report(workspace)
    chains = _published_chains(report)
    assert sorted(chains) == sorted(PUBLISHED)
    digest = _yearbook_sha(workspace)
    for chain in chains.values():
        facts = chain.evidence
        assert (facts.state, facts.status, facts.page, facts.sha256) == ("absent", None, None, None)
        assert facts.document_sha256 == digest
    markdown = render(report, "md")
    never = md_text("NOT CHECKED: the evidence check has not been run on this item")
    assert markdown.count(f"**Evidence check:** {never}") == 5
    assert "NOT CHECKED: the evidence check has not been run" in render(report, "html")
    assert {row["evidence_state"] for row in _csv(report).values()} == {"absent"}
    assert {row["evidence_status"] for row in _csv(report).values()} == {""}
    for item in _json_items(report).values():
        assert item["evidence_check"] == {
            "state": "absent", "status": None, "page": None, "sha256": None,
            "document_sha256": digest, "found_value": None, "score": None,
            "checked_by": None, "checked_at": None, "method": None,
            "stale_because": "the evidence check has not been run on this item",
        }  # fmt: skip
    assert _prov_checks(report) == {}


def test_the_stored_result_and_its_document_are_reported_in_every_format(
    any_published: tuple[Workspace, Publication],
) -> None:
    workspace, _ = any_published
    run = run_check(workspace, Scope(1), "omar")
    assert run.checked == 14
    stored = _stored(workspace)
    digest = _yearbook_sha(workspace)
    report = _report(workspace)
    chains = _published_chains(report)
    rows, items, checks = _csv(report), _json_items(report), _prov_checks(report)
    markdown, html = render(report, "md"), render(report, "html")
    for item_id, chain in chains.items():
        check = stored[item_id]
        facts = chain.evidence
        assert check.sha256 == digest
        assert (facts.state, facts.status, facts.page, facts.sha256, facts.document_sha256) == (
            "current", check.status, check.page, digest, digest,
        )  # fmt: skip
        assert (facts.found_value, facts.score, facts.method) == (
            check.found_value, check.score, METHOD,
        )  # fmt: skip
        row = rows[str(item_id)]
        assert (row["evidence_state"], row["evidence_status"], row["evidence_page"]) == (
            "current", check.status, "" if check.page is None else str(check.page),
        )  # fmt: skip
        assert (row["evidence_document_sha256"], row["evidence_note"]) == (digest, "")
        evidence = items[item_id]["evidence_check"]
        assert isinstance(evidence, dict)
        assert (evidence["state"], evidence["status"], evidence["page"], evidence["sha256"]) == (
            "current", check.status, check.page, digest,
        )  # fmt: skip
        assert evidence["stale_because"] is None and evidence["checked_by"] == "omar"
        activity = checks[f"verifier:evidenceCheck/{item_id}"]
        assert activity["verifier:status"] == check.status
        assert activity["verifier:documentSha256"] == digest
        assert activity["verifier:state"] == "current"
    # Item 5 quotes the yearbook's line but gives Cairo's 82: the document prints 99.1.
    assert (stored[5].status, stored[5].page, stored[5].found_value) == ("value_differs", 1, 99.1)
    words = f"value_differs, page 1, the document prints 99.1, score 100; checked against {digest}"
    assert md_text(words.replace("against", "against document")) in markdown
    assert f"checked against document {digest}" in html
    assert NAMESPACE_URI in render(report, "prov-json")


def test_a_result_for_another_document_than_the_published_one_is_stale(
    published: Workspace, tmp_path: Path
) -> None:
    """The source now names a new document; the cache follows it, the publication rests on
    the old one: the report says the result does not describe the published document."""
    run_check(published, Scope(1), "omar")
    old = _yearbook_sha(published)
    revised = tmp_path / "yearbook-revised.txt"
    revised.write_text("Statistical yearbook 2023 (revised)\np. 12: piped water 99.1%\n", "utf-8")
    with published.session() as session:
        upsert_source(
            session, SourceFields("yearbook-2023", "Statistical Yearbook 2023", file=revised),
            "layla",
        )  # fmt: skip
    run_check(published, Scope(1), "omar")
    new = _yearbook_sha(published)
    assert new != old and _stored(published)[5].sha256 == new
    report = _report(published)
    for chain in _published_chains(report).values():
        facts = chain.evidence
        assert (facts.state, facts.sha256, facts.document_sha256) == ("stale", new, old)
        assert facts.why == f"it was computed against document {new}, not {old}"
    markdown = render(report, "md")
    assert markdown.count(md_text(f"STALE: it was computed against document {new}, not {old}")) == 5
    row = _csv(report)["5"]
    assert (row["evidence_state"], row["evidence_document_sha256"]) == ("stale", new)
    assert row["evidence_note"] == f"it was computed against document {new}, not {old}"
    activity = _prov_checks(report)["verifier:evidenceCheck/5"]
    assert (activity["verifier:restsOnSha256"], activity["verifier:documentSha256"]) == (old, new)
    # An item outside the publication rests on the source as it is now: current.
    [entry] = _report(published, item_id=12).unpublished
    assert (entry.item.evidence.state, entry.item.evidence.sha256) == ("current", new)


def test_a_result_of_another_version_of_the_check_is_stale(published: Workspace) -> None:
    run_check(published, Scope(1), "omar")
    with published.engine.begin() as connection:
        connection.execute(text("UPDATE evidence_check SET method = 'evidence-check 0'"))
    facts = _published_chains(_report(published))[5].evidence
    assert (facts.state, facts.status) == ("stale", "value_differs")
    assert facts.why == (
        f"it was computed by another version of the check (evidence-check 0, now {METHOD})"
    )


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "json", "prov-json"])
def test_hostile_text_in_a_stored_result_stays_inert(published: Workspace, fmt: str) -> None:
    run_check(published, Scope(1), "omar")
    with published.engine.begin() as connection:
        connection.execute(
            text("UPDATE evidence_check SET method = :hostile, checked_by = :hostile"),
            {"hostile": HOSTILE},
        )
    rendered = render(_report(published), fmt)
    assert "\x1b" not in rendered and "\u202e" not in rendered and "\x9b" not in rendered
    if fmt in ("md", "html"):
        assert "<script>" not in rendered
