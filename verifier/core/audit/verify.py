"""Re-computing the review log's hash chain, and the records that point into it.

What a chain stored next to the data can and cannot show is written up in
docs/provenance.md ("What the check detects"). In short: editing, deleting or inserting
events is detected; cutting off the newest events is detected only where something else
(a publication, a conflict resolution, an anchor kept elsewhere) refers to them; and
someone who rewrites every hash after a change is caught only by an anchor.
"""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from verifier.core.audit.anchor_file import read_anchor_file
from verifier.core.audit.chain_walk import check_anchor, check_unchained, walk_chain
from verifier.core.audit.crossrefs import check_publications, last_publish_seq
from verifier.core.audit.findings import Anchor, AuditResult, Finding
from verifier.core.audit.guards import check_guards
from verifier.core.audit.item_checks import (
    check_batch_records,
    check_derived_columns,
    check_imported_items,
    check_item_rows,
)
from verifier.core.audit.resolutions import check_resolutions
from verifier.core.audit.sources import check_sources
from verifier.core.eventlog.findings import NAMED


def verify_audit(
    session: Session,
    anchors: list[Anchor] | tuple[Anchor, ...] = (),
    anchor_file: Path | None = None,
    batch_size: int | None = None,
    limit: int | None = NAMED,
) -> AuditResult:
    """Walk the whole chain, then check the append-only guards, and publications (their
    rows too), resolutions, sources, item rows, imported items, import batches, derived
    item columns and anchors against the chain.

    ``batch_size``: events read per query while walking the chain (bounds memory; the
    chain walk's BATCH unless given). ``limit``: items or batches each item check names
    (None: all); the rest are counted."""
    if batch_size is not None and batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, not {batch_size}")
    result = AuditResult()
    given = list(anchors)
    found = read_anchor_file(session, anchor_file) if anchor_file is not None else None
    if found is not None:
        given += found.anchors
    hashes: dict[int, str] = {}
    walk_chain(session, result, hashes, {anchor.seq for anchor in given}, batch_size)
    check_unchained(session, result)
    result.findings.sort(key=lambda f: (f.seq is None, f.seq or 0))
    check_guards(session, result.findings)
    result.publications = check_publications(session, result.findings)
    result.resolutions = check_resolutions(session, result.findings)
    result.sources = check_sources(session, result.findings)
    log_intact = not result.findings
    check_item_rows(session, result, limit)
    check_imported_items(session, result, limit)
    check_batch_records(session, result, limit)
    check_derived_columns(session, result, limit, log_intact)
    if found is not None:
        result.anchor_file = str(found.path)
        result.anchor_file_other_logs = found.other_logs
        result.findings += [
            Finding("anchor", f"anchor file {found.path}: {problem}") for problem in found.malformed
        ]
    for anchor in given:
        check_anchor(anchor, hashes, result)
    result.anchors = len(given)
    result.newest_anchor = max((a.seq for a in given), default=0)
    result.covered_seq = min(result.head_seq, max(result.newest_anchor, last_publish_seq(session)))
    return result
