"""Checking the workspace against its review log: the hash chain, publications, resolutions."""

from verifier.core.audit.findings import Anchor, AuditResult, Finding, parse_anchor
from verifier.core.audit.verify import verify_audit

__all__ = ["Anchor", "AuditResult", "Finding", "parse_anchor", "verify_audit"]
