"""Published workspaces for the provenance tests (see scenario.py for what each item is)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import select

from db.models import Publication
from tests.provenance.scenario import build_published
from tests.workspace_templates import TemplateCopy, open_copy
from verifier.core.workspace import Workspace


@pytest.fixture
def published(template_copy: TemplateCopy) -> Iterator[Workspace]:
    """The scenario on SQLite, published once."""
    yield from open_copy(template_copy("sqlite", "history", build_published))


@pytest.fixture(params=["sqlite", "postgresql"])
def any_published(
    request: pytest.FixtureRequest, template_copy: TemplateCopy
) -> Iterator[tuple[Workspace, Publication]]:
    """The scenario on SQLite and on PostgreSQL."""
    for workspace in open_copy(template_copy(request.param, "history", build_published)):
        with workspace.reading() as session:
            publication = session.exec(select(Publication)).one()
        yield workspace, publication
