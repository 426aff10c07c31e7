"""Team mode's policy: the roles, what each group may write, the events only a lead may
record, and the columns where the database writes the login (see ``db.team``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

KINDS = ("owner", "lead", "assistant", "analyst")
GROUPS = ("lead", "assistant", "analyst")  # the ones a reviewer can be a member of

# The columns of ``item`` a decision or a match changes; the values themselves never change.
ITEM_DECISION_COLUMNS = (
    "status, status_changed_by, status_changed_at, suggested_city_id, match_score, "
    "match_band, match_detail, city_id, match_method, match_confirmed_by, "
    "match_confirmed_at, match_digest, version"
)

# Table -> extra privileges per group, beyond SELECT, which every group has on every table.
# A lead also has what an assistant has (lead is a member of assistant).
TABLE_GRANTS: dict[str, dict[str, str]] = {
    "alembic_version": {},
    "team_role": {},
    "reviewer": {},  # role grants: only the administrator (verifier reviewer add)
    "edition": {"lead": "INSERT, UPDATE"},
    "city": {"lead": "INSERT, UPDATE"},
    "edition_city": {"lead": "INSERT, DELETE"},
    # Assistants learn aliases from their city decisions (and forget them on undo); a
    # trigger limits them to learned aliases. Curated ones are the lead's (edition load).
    "city_alias": {"assistant": "INSERT, DELETE", "lead": "UPDATE"},
    "domain": {"lead": "INSERT, UPDATE"},
    "indicator": {"lead": "INSERT, UPDATE"},
    "expert": {"lead": "INSERT, UPDATE, DELETE"},
    "expert_domain_weight": {"lead": "INSERT, DELETE"},
    "expert_indicator_weight": {"lead": "INSERT, DELETE"},
    "source": {"lead": "INSERT, UPDATE"},
    # Each state of a source's metadata, written with its event; append-only (triggers).
    "source_version": {"lead": "INSERT"},
    "import_batch": {"assistant": "INSERT, UPDATE"},
    "rejected_row": {"assistant": "INSERT"},
    # New items arrive unverified (a trigger checks); decisions change only their
    # decision columns, and only together with the event (a check at commit).
    "item": {
        "assistant": f"INSERT, UPDATE ({ITEM_DECISION_COLUMNS})",
        # A lead's seal gives items imported before digests existed their import digest.
        "lead": "UPDATE (import_digest)",
    },
    # Progress tallies: written only by item's triggers (functions run as their owner).
    "item_tally": {},
    "reviewer_tally": {},
    "review_event": {"assistant": "INSERT"},  # never UPDATE or DELETE, for anyone
    "sprint": {"lead": "INSERT"},
    "sprint_assignment": {"lead": "INSERT, UPDATE"},  # UPDATE: reassigning what is left
    "publication": {"lead": "INSERT"},
    "publication_value": {"lead": "INSERT"},
    "publication_evidence": {"lead": "INSERT"},
    "conflict_resolution": {"lead": "INSERT"},
    # QA: leads draw samples and adjudicate; second reviewers (assistants too) record their
    # second decisions. All append-only (triggers), like the review log.
    "qa_sample": {"lead": "INSERT"},
    "qa_frame_item": {"lead": "INSERT"},
    "qa_sample_item": {"lead": "INSERT"},
    "qa_review": {"assistant": "INSERT"},
    "qa_adjudication": {"lead": "INSERT"},
    # Source documents: leads store them (source add, edition load); everyone reads them.
    # Content-addressed, so a stored document is never changed: INSERT only.
    "document": {"lead": "INSERT"},
    "document_chunk": {"lead": "INSERT"},
    "document_page": {"lead": "INSERT"},
    "document_cell": {"lead": "INSERT"},
    # The evidence check's results: derived from items and documents, recomputed after an
    # import (assistants import) and when a document changes, so assistants replace them.
    "evidence_check": {"assistant": "INSERT, UPDATE, DELETE"},
}

# Events only a lead may record, and the one only a role administrator may.
LEAD_ACTIONS = (
    "publish",
    "resolve_conflict",
    "edition_load",
    "source_add",
    "source_change",
    "sprint_create",
    "sprint_reassign",
    "qa_sample",
    "qa_adjudicate",
    "rematch",
    "seal",
)
# Columns naming who did something: in team mode the database writes the login there.
WHO_COLUMNS = {
    "publication": "created_by",
    "conflict_resolution": "resolved_by",
    "import_batch": "imported_by",
    "sprint": "created_by",
    "qa_sample": "created_by",
    "qa_review": "reviewer",
    "qa_adjudication": "adjudicated_by",
    "document": "stored_by",
    "source_version": "recorded_by",
    "evidence_check": "checked_by",
}


@dataclass(frozen=True)
class TeamRoles:
    owner: str
    lead: str
    assistant: str
    analyst: str

    def of(self, kind: str) -> str:
        name: str = getattr(self, kind)
        return name

    @classmethod
    def with_prefix(cls, prefix: str) -> TeamRoles:
        return cls(*(f"{prefix}_{kind}" for kind in KINDS))


def default_prefix(database: str, schema: str) -> str:
    """``verifier_<database>`` (and ``_<schema>`` outside ``public``), folded to
    [a-z0-9_] and short enough for PostgreSQL's 63-byte names."""
    base = f"verifier_{database}" + ("" if schema == "public" else f"_{schema}")
    folded = re.sub(r"[^a-z0-9_]+", "_", base.lower()).strip("_")
    return folded[: 63 - len("_assistant")]


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
