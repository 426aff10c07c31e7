"""Closed vocabularies stored as strings. Check constraints keep the database honest."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    UNVERIFIED = "unverified"
    VERIFIED = "verified"
    REJECTED = "rejected"
    FLAGGED = "flagged"


class Role(StrEnum):
    ASSISTANT = "assistant"  # records decisions, notes and match changes
    LEAD = "lead"  # also publishes, resolves conflicts, loads editions, manages sources
    ANALYST = "analyst"  # reads only


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


class Band(StrEnum):
    AUTO = "auto"
    REVIEW = "review"
    NONE = "none"


class MatchMethod(StrEnum):
    """How an item's city was set."""

    AUTO = "auto"  # the engine, in the auto band
    CONFIRMED = "confirmed"  # a person accepted the engine's suggestion
    MANUAL = "manual"  # a person picked another city
    BULK = "bulk"  # confirmed for every item with the same raw label


class Script(StrEnum):
    ARABIC = "arab"
    LATIN = "latn"
    MIXED = "mixed"
    OTHER = "other"


class AliasOrigin(StrEnum):
    CURATED = "curated"
    LEARNED = "learned"


class SourceOrigin(StrEnum):
    CURATED = "curated"  # loaded with the edition's reference data
    IMPORT = "import"  # first named by an import row


class EvidenceStatus(StrEnum):
    """In order of precedence: the first that applies is the item's status."""

    NO_DOCUMENT = "no_document"  # the source has no stored document
    NO_TEXT = "no_text"  # the document has no text layer
    SNIPPET_NOT_FOUND = "snippet_not_found"  # the quote is nowhere in the document
    VALUE_DIFFERS = "value_differs"  # the quote is there, the number there is another
    PAGE_MISMATCH = "page_mismatch"  # quote and value there, on another page than named
    MATCH = "match"  # quote and value where the locator says


def check_in(column: str, values: type[StrEnum]) -> str:
    """SQL for a CHECK constraint limiting ``column`` to an enum's values."""
    quoted = ", ".join(f"'{member.value}'" for member in values)
    return f"{column} IN ({quoted})"
