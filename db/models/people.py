"""Reviewers, their roles, and verification sprints."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint
from sqlmodel import Field, SQLModel

from db.types import UTCDateTime, utcnow
from db.vocab import Role, check_in


class Reviewer(SQLModel, table=True):
    __table_args__ = (CheckConstraint(check_in("role", Role), name="role"),)

    username: str = Field(primary_key=True, max_length=64)
    display_name: str = ""
    role: str = Field(default=Role.ASSISTANT, max_length=16)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class TeamRole(SQLModel, table=True):
    """Team mode (PostgreSQL): the database roles ``verifier team init`` created for this
    workspace, by kind (owner, lead, assistant, analyst). Empty on SQLite and before it."""

    __tablename__ = "team_role"

    kind: str = Field(primary_key=True, max_length=16)
    role_name: str = Field(unique=True, max_length=63)


class Sprint(SQLModel, table=True):
    """A time-boxed verification push over a scope of items."""

    id: int | None = Field(default=None, primary_key=True)
    edition_id: int = Field(foreign_key="edition.id", index=True, ondelete="CASCADE")
    name: str
    starts_at: datetime = Field(sa_type=UTCDateTime)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    # The queue filters that chose the items (verifier.core.review.filters.QueueFilter).
    scope: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    created_by: str = ""
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SprintAssignment(SQLModel, table=True):
    __tablename__ = "sprint_assignment"

    sprint_id: int = Field(foreign_key="sprint.id", primary_key=True, ondelete="CASCADE")
    item_id: int = Field(foreign_key="item.id", primary_key=True, ondelete="CASCADE")
    reviewer: str = Field(foreign_key="reviewer.username", index=True)
