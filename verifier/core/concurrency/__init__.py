"""Concurrent writers: retrying what is safe to retry, and explaining what is not."""

from verifier.core.concurrency.retry import (
    explain_database_error,
    is_retryable,
    is_role_refusal,
    is_stale,
    with_retries,
)

__all__ = ["explain_database_error", "is_retryable", "is_role_refusal", "is_stale", "with_retries"]
