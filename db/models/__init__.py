"""The workspace schema. Importing this package registers every table on SQLModel.metadata."""

from sqlalchemy import Table
from sqlmodel import SQLModel

# Named constraints let migrations alter them on every backend (SQLite batch mode needs names).
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
# Rows are built and read through SQLAlchemy, never validated by pydantic: its validators
# and serialisers are built on first use, not for every table at import (a seventh of the
# review UI's imports).
SQLModel.model_config["defer_build"] = True

# ruff: noqa: E402

from db.models.documents import (
    Document,
    DocumentCell,
    DocumentChunk,
    DocumentFormat,
    DocumentPage,
    TextState,
    UnitKind,
)
from db.models.evidence import EvidenceCheck, EvidenceStatus
from db.models.items import ImportBatch, Item, ItemTally, RejectedRow, ReviewerTally
from db.models.people import Reviewer, Sprint, SprintAssignment, TeamRole
from db.models.publication import Publication, PublicationEvidence, PublicationValue
from db.models.qa import QaAdjudication, QaFrameItem, QaReview, QaSample, QaSampleItem
from db.models.reference import (
    City,
    CityAlias,
    Domain,
    Edition,
    EditionCity,
    Expert,
    ExpertDomainWeight,
    ExpertIndicatorWeight,
    Indicator,
    Source,
)
from db.models.review import ConflictResolution, ReviewEvent
from db.models.source_history import SourceVersion
from db.vocab import (
    AliasOrigin,
    Band,
    Direction,
    MatchMethod,
    Role,
    Script,
    SourceOrigin,
    Status,
)


def table_of(model: type[SQLModel]) -> Table:
    """The Core table behind a model, for bulk statements."""
    return SQLModel.metadata.tables[model.__tablename__]  # type: ignore[index]


__all__ = [
    "AliasOrigin",
    "Band",
    "City",
    "CityAlias",
    "ConflictResolution",
    "Direction",
    "Document",
    "DocumentCell",
    "DocumentChunk",
    "DocumentFormat",
    "DocumentPage",
    "Domain",
    "Edition",
    "EditionCity",
    "EvidenceCheck",
    "EvidenceStatus",
    "Expert",
    "ExpertDomainWeight",
    "ExpertIndicatorWeight",
    "ImportBatch",
    "Indicator",
    "Item",
    "ItemTally",
    "MatchMethod",
    "Publication",
    "PublicationEvidence",
    "PublicationValue",
    "QaAdjudication",
    "QaFrameItem",
    "QaReview",
    "QaSample",
    "QaSampleItem",
    "RejectedRow",
    "ReviewEvent",
    "Reviewer",
    "ReviewerTally",
    "Role",
    "Script",
    "Source",
    "SourceOrigin",
    "SourceVersion",
    "Sprint",
    "SprintAssignment",
    "Status",
    "TeamRole",
    "TextState",
    "UnitKind",
    "table_of",
]
