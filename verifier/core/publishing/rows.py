"""A publication's queryable rows checked against its hashed document.

The document (``publication.content``) is what the sha256 and the publish event vouch for.
``publication_value`` and ``publication_evidence`` are copies made for queries, and the
``publication`` row repeats a few of the document's facts; none of them is hashed. Whoever
reads them to show or report a publication checks them here first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from db.models import Edition, Indicator, Publication, PublicationEvidence, PublicationValue
from verifier.core.publishing.snapshot import content_hash

PROBLEMS_NAMED = 20  # per publication; the rest are counted
EVIDENCE_STREAMED = 5_000  # evidence rows fetched at a time


@dataclass
class PublicationCheck:
    """What a publication's stored document and rows say, and where they disagree."""

    publication: Publication
    document: dict[str, Any] | None  # None when the content is not even JSON
    content_intact: bool
    problems: list[str] = field(default_factory=list)
    more_problems: int = 0

    @property
    def rows_intact(self) -> bool:
        return not self.problems

    @property
    def verified(self) -> bool:
        """The content matches its hash and every derived row matches the content."""
        return self.content_intact and self.rows_intact

    def add(self, problem: str) -> None:
        if len(self.problems) < PROBLEMS_NAMED:
            self.problems.append(problem)
        else:
            self.more_problems += 1

    def summary(self) -> str:
        extra = f" (and {self.more_problems} more)" if self.more_problems else ""
        return "; ".join(self.problems) + extra


def parse_document(publication: Publication) -> dict[str, Any] | None:
    try:
        document = json.loads(publication.content)
    except (ValueError, TypeError):
        return None
    return document if isinstance(document, dict) else None


def check_publication(session: Session, publication: Publication) -> PublicationCheck:
    """Compare the publication's row and its value and evidence rows with its document."""
    document = parse_document(publication)
    intact = False
    if document is not None:
        try:
            intact = content_hash(document) == publication.content_sha256
        except (TypeError, ValueError):
            intact = False
    check = PublicationCheck(publication, document, intact)
    if document is None:
        check.add("its stored content is not a JSON document")
        return check
    try:
        _check_facts(session, check, document)
        _check_values(session, check, document)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        check.add(f"its document is not in the publication format ({type(error).__name__})")
    return check


def _check_facts(session: Session, check: PublicationCheck, document: dict[str, Any]) -> None:
    row, meta = check.publication, document["publication"]
    edition = session.get(Edition, row.edition_id)
    facts: list[tuple[str, object, object]] = [
        ("id", row.id, meta["id"]),
        ("edition", edition.code if edition else row.edition_id, document["edition"]["code"]),
        ("number", row.number, meta["number"]),
        ("parent", row.parent_id, meta["parent_id"]),
        ("created_by", row.created_by, meta["created_by"]),
        ("created_at", _stamp(row.created_at), meta["created_at"]),
        ("note", row.note, meta["note"]),
        ("value_count", row.value_count, meta["value_count"]),
        ("coverage", row.coverage, meta["coverage"]),
    ]
    for name, stored, hashed in facts:
        if stored != hashed:
            check.add(
                f"its row says {name} {_shown(stored)}, its hashed content says {_shown(hashed)}"
            )


def _check_values(session: Session, check: PublicationCheck, document: dict[str, Any]) -> None:
    hashed = {(str(v["city"]), str(v["indicator"])): v for v in document["values"]}
    figures_of = {key: _figures(v) for key, v in hashed.items()}  # a malformed one raises
    publication_id = check.publication.id or 0
    stored = _stored_values(session, publication_id)
    by_row = {row.value_id: hashed.get(key) for key, row in stored.items()}
    differences = _evidence_differences(session, publication_id, by_row)
    for key in sorted(hashed.keys() | stored.keys()):
        cell = f"{key[0]} · {key[1]}"
        want, have = hashed.get(key), stored.get(key)
        if want is None:
            check.add(f"value row {cell} is not in its hashed content (a row was added)")
        elif have is None:
            check.add(f"the hashed value {cell} has no value row (the row was deleted)")
        else:
            figures = figures_of[key]
            for name, a, b in zip(("value", "year", "unit"), have.figures, figures, strict=True):
                if a != b:
                    check.add(
                        f"value row {cell} says {name} {_shown(a)}, "
                        f"its hashed content says {_shown(b)}"
                    )
            difference = differences.get(have.value_id)
            if difference is not None:
                check.add(
                    f"the evidence rows of {cell} differ from its hashed content: {difference}"
                )


def _figures(value: dict[str, Any]) -> tuple[float, int, str]:
    return float(value["value"]), int(value["year"]), str(value["unit"])


@dataclass(frozen=True)
class _ValueRow:
    value_id: int
    figures: tuple[float, int, str]  # value, year, unit


def _stored_values(session: Session, publication_id: int) -> dict[tuple[str, str], _ValueRow]:
    """The value rows of one publication keyed like the document (one row per value: as
    many as the publication has cities times indicators, never its evidence)."""
    values = session.connection().execute(
        sa_select(
            col(PublicationValue.id), col(PublicationValue.city_id),
            col(PublicationValue.indicator_id), col(Indicator.code), col(PublicationValue.value),
            col(PublicationValue.year), col(PublicationValue.unit),
        )
        .join(Indicator, col(Indicator.id) == col(PublicationValue.indicator_id), isouter=True)
        .where(col(PublicationValue.publication_id) == publication_id)
    ).all()  # fmt: skip
    return {
        (str(city), str(code) if code is not None else f"indicator id {indicator_id}"): _ValueRow(
            int(value_id or 0), (float(value), int(year), str(unit))
        )
        for value_id, city, indicator_id, code, value, year, unit in values
    }


def _evidence_differences(
    session: Session, publication_id: int, hashed: dict[int, dict[str, Any] | None]
) -> dict[int, str]:
    """How each value row's evidence rows differ from its hashed value's evidence, by value
    row id (only those that differ). The rows are read in (value, item) order through the
    primary key, streamed, and compared one value at a time: what is held is one value's
    evidence, however large the publication."""
    rows = (
        session.connection()
        .execution_options(stream_results=True, yield_per=EVIDENCE_STREAMED)
        .execute(
            sa_select(col(PublicationEvidence.value_id), col(PublicationEvidence.item_id))
            .join(PublicationValue, col(PublicationValue.id) == col(PublicationEvidence.value_id))
            .where(col(PublicationValue.publication_id) == publication_id)
            .order_by(col(PublicationValue.id), col(PublicationEvidence.item_id))
        )
    )
    differences: dict[int, str] = {}
    unread = set(hashed)
    for value_id, group in groupby(rows, key=itemgetter(0)):
        unread.discard(value_id)
        _compare(differences, value_id, [int(item_id) for _, item_id in group], hashed)
    for value_id in unread:  # a value row left with no evidence row at all
        _compare(differences, value_id, [], hashed)
    return differences


def _compare(
    differences: dict[int, str],
    value_id: int,
    have: list[int],
    hashed: dict[int, dict[str, Any] | None],
) -> None:
    value = hashed.get(value_id)
    if value is None:  # a row the document does not hold: reported as such, not here
        return
    want = sorted(int(i) for i in value["evidence"])
    if have == want:
        return
    added = sorted(set(have) - set(want))
    dropped = sorted(set(want) - set(have))
    differences[value_id] = ", ".join(
        part
        for part in (
            f"items {_ids(added)} added" if added else "",
            f"items {_ids(dropped)} missing" if dropped else "",
        )
        if part
    )


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _shown(value: object) -> str:
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=True)  # quoted, and no control characters
    return str(value)


def _ids(ids: list[int]) -> str:
    shown = ", ".join(str(i) for i in ids[:10])
    return shown + (f" (+{len(ids) - 10} more)" if len(ids) > 10 else "")
