"""Re-computing the review log's hash chain, and the records that point into it.

What a chain stored next to the data can and cannot show is written up in
docs/provenance.md ("What the check detects"). In short: editing, deleting or inserting
events is detected; cutting off the newest events is detected only where something else
(a publication, a conflict resolution, an anchor kept elsewhere) refers to them; and
someone who rewrites every hash after a change is caught only by an anchor.
"""

from __future__ import annotations

from sqlmodel import Session

from verifier.core.audit.chain_walk import check_anchor, check_unchained, walk_chain
from verifier.core.audit.crossrefs import check_publications, check_resolutions
from verifier.core.audit.findings import Anchor, AuditResult
from verifier.core.audit.guards import check_guards


def verify_audit(session: Session, anchors: list[Anchor] | tuple[Anchor, ...] = ()) -> AuditResult:
    """Walk the whole chain, then check the append-only guards, and publications (their
    rows too), resolutions and anchors against the chain."""
    result = AuditResult()
    hashes: dict[int, str] = {}
    walk_chain(session, result, hashes)
    check_unchained(session, result)
    result.findings.sort(key=lambda f: (f.seq is None, f.seq or 0))
    check_guards(session, result.findings)
    result.publications = check_publications(session, result.findings)
    result.resolutions = check_resolutions(session, result.findings)
    for anchor in anchors:
        check_anchor(anchor, hashes, result)
    return result
