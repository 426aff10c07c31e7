"""The tamper-evident audit trail: the review log's hash chain and its verification."""

from verifier.core.audit.chain import ChainHead, read_head
from verifier.core.audit.hashing import GENESIS, canonical_event, event_hash
from verifier.core.audit.verify import Anchor, AuditResult, Finding, parse_anchor, verify_audit

__all__ = [
    "GENESIS",
    "Anchor",
    "AuditResult",
    "ChainHead",
    "Finding",
    "canonical_event",
    "event_hash",
    "parse_anchor",
    "read_head",
    "verify_audit",
]
