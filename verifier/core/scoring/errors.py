"""Errors of the scorer. Each message names the offending field or option and what to change."""

from __future__ import annotations

from verifier.core.errors import VerifierError


class SnapshotFormatError(VerifierError):
    """A publication document does not follow the ``verifier.publication/1`` format."""


class ScoringOptionError(VerifierError):
    """A scoring option is out of range or unknown."""


class NonFiniteScoreError(VerifierError):
    """A value makes a step of the scoring overflow, so some score is not a finite number."""
