"""Ids given with ``--edition`` must belong to that edition.

Items, publications, import batches and QA samples are numbered across the workspace, so
an id alone never says which edition the user means. When they named one, an id of another
edition is a mistake (a wrong id or a wrong edition): the command refuses it, naming the id
and both editions, before doing anything. Unknown ids are left for the caller to report.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from db.models import Edition, ImportBatch, Item, Publication, QaSample
from verifier.core.errors import InvalidActionError
from verifier.core.workspace import resolve_edition


class Numbered(Enum):
    """What a workspace numbers across its editions: (what it is called, its table)."""

    ITEM = ("item", Item)
    PUBLICATION = ("publication", Publication)
    BATCH = ("import batch", ImportBatch)
    QA_SAMPLE = ("QA sample", QaSample)

    @property
    def noun(self) -> str:
        return str(self.value[0])

    @property
    def model(self) -> Any:
        return self.value[1]


def require_in_edition(
    session: Session, kind: Numbered, ids: Iterable[int | None], edition_code: str | None
) -> None:
    """Refuse the first of ``ids`` that belongs to an edition other than ``edition_code``
    (nothing to check when no edition was named; None ids are skipped)."""
    wanted = [i for i in dict.fromkeys(ids) if i is not None]
    if not edition_code or not wanted:
        return
    named = resolve_edition(session, edition_code)
    model = kind.model
    query = (
        sa_select(col(model.id), col(Edition.code))
        .join(Edition, col(Edition.id) == col(model.edition_id))
        .where(col(model.id).in_(wanted), col(model.edition_id) != named.id)
    )
    other: dict[int, str] = dict(session.connection().execute(query).all())
    for given in wanted:
        if given in other:
            raise InvalidActionError(
                f"{kind.noun} {given} is in edition {other[given]}, not {named.code}"
            )
