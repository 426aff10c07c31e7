"""The workspace summary behind ``verifier status``: items by status, indicator, city and
batch, and the rows imports refused.

Plain SQL on a DB-API connection (sqlite3 or psycopg), so that ``status`` can read it
without loading SQLAlchemy; a session's own connection serves as well
(:func:`driver_connection`). Every count comes from the tallies the database keeps
(``item_tally``, see verifier.core.review.tally): the cost does not grow with the number
of items."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from db.vocab import Status
from verifier.core.errors import NotFoundError

STATUSES = tuple(s.value for s in Status)


@dataclass
class BatchLine:
    id: int
    file_name: str
    imported_by: str
    imported_at: str
    accepted: int
    rejected: int
    duplicates: int


@dataclass
class EditionLine:
    id: int
    code: str
    name: str


@dataclass
class EditionSummary:
    edition: EditionLine
    total: int
    by_status: dict[str, int]
    by_indicator: list[tuple[str, dict[str, int]]]
    by_city: list[tuple[str, dict[str, int]]]
    by_band: dict[str, int]
    batches: list[BatchLine] = field(default_factory=list)
    rejected_rows: list[tuple[str, int, str]] = field(default_factory=list)
    rejected_total: int = 0


def driver_connection(session: Any) -> Any:
    """The DB-API connection under a SQLAlchemy session, inside its transaction."""
    return session.connection().connection.driver_connection


def _rows(connection: Any, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """``sql`` with ``?`` placeholders, on sqlite3 or psycopg (which writes ``%s``)."""
    if not _is_sqlite(connection):
        sql = sql.replace("?", "%s")
    cursor = connection.cursor()
    try:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]
    finally:
        cursor.close()


def _is_sqlite(connection: Any) -> bool:
    return type(connection).__module__.startswith("sqlite3")


def find_edition(connection: Any, code: str | None) -> EditionLine:
    """The edition named by ``code``, or the only edition when none is named (the same
    answers and errors as ``verifier.core.workspace.resolve_edition``)."""
    columns = "SELECT id, code, name FROM edition"
    if code:
        found = _rows(connection, f"{columns} WHERE code = ?", code)
        if not found:
            codes = [c for (c,) in _rows(connection, "SELECT code FROM edition")]
            raise NotFoundError(f"no edition '{code}' (editions: {', '.join(codes) or 'none'})")
        return EditionLine(*found[0])
    editions = _rows(connection, f"{columns} ORDER BY id")
    if len(editions) == 1:
        return EditionLine(*editions[0])
    if not editions:
        raise NotFoundError(
            "the workspace has no edition yet. Load one with: verifier edition load DIR"
        )
    listed = ", ".join(c for _, c, _ in editions)
    raise NotFoundError(f"several editions ({listed}); choose one with --edition")


def summarise(connection: Any, edition: EditionLine, rejected_limit: int = 20) -> EditionSummary:
    """Read from the tallies the database keeps: a few hundred rows whatever the size."""
    by_status = dict.fromkeys(STATUSES, 0)
    for status, number in _rows(
        connection,
        "SELECT status, sum(n) FROM item_tally WHERE edition_id = ? GROUP BY status",
        edition.id,
    ):
        by_status[status] = by_status.get(status, 0) + int(number or 0)
    by_band = {
        band or "unmatched": sum(counts.values())
        for band, counts in _pivot(connection, edition.id, "band").items()
    }
    return EditionSummary(
        edition=edition,
        total=sum(by_status.values()),
        by_status=by_status,
        by_indicator=_by_indicator(connection, edition.id),
        by_city=_by_city(connection, edition.id),
        by_band=by_band,
        batches=_batches(connection, edition.id),
        rejected_rows=_rejected(connection, edition.id, rejected_limit),
        rejected_total=_rejected_total(connection, edition.id),
    )


def _pivot(connection: Any, edition_id: int, by: str) -> dict[Any, dict[str, int]]:
    """Items per status for each value of one tally column (``indicator_id``,
    ``city_id`` ('' for no city) or ``band`` ('' for unmatched)); zero counts left out."""
    assert by in ("indicator_id", "city_id", "band")
    rows = _rows(
        connection,
        f"SELECT {by}, status, sum(n) FROM item_tally WHERE edition_id = ? "
        f"GROUP BY {by}, status ORDER BY {by}, status",
        edition_id,
    )
    table: dict[Any, dict[str, int]] = {}
    for key, status, number in rows:
        if number:
            table.setdefault(key, dict.fromkeys(STATUSES, 0))[status] = int(number)
    return table


def _by_indicator(connection: Any, edition_id: int) -> list[tuple[str, dict[str, int]]]:
    """Indicators holding items, in the edition's order."""
    counts = _pivot(connection, edition_id, "indicator_id")
    indicators = _rows(
        connection,
        "SELECT id, code FROM indicator WHERE edition_id = ? ORDER BY position, code",
        edition_id,
    )
    return [(code, counts[i]) for i, code in indicators if i in counts]


def _by_city(connection: Any, edition_id: int) -> list[tuple[str, dict[str, int]]]:
    """Grouped by city id, named with the country: two cities may share a name (Tripoli LY,
    Tripoli LB)."""
    by_id = _pivot(connection, edition_id, "city_id")  # '' is "no city"
    names = {
        city_id: f"{name or city_id} {country}".strip()
        for city_id, name, country in _rows(
            connection,
            "SELECT DISTINCT c.id, c.name_en, c.country FROM item_tally t "
            "JOIN city c ON c.id = t.city_id WHERE t.edition_id = ?",
            edition_id,
        )
    }
    named = [
        (names.get(city_id, city_id) if city_id else "(no city)", counts)
        for city_id, counts in by_id.items()
    ]
    return sorted(named, key=lambda row: (-sum(row[1].values()), row[0]))


def _batches(connection: Any, edition_id: int) -> list[BatchLine]:
    rows = _rows(
        connection,
        "SELECT id, file_name, imported_by, imported_at, accepted_count, rejected_count, "
        "duplicate_count FROM import_batch WHERE edition_id = ? ORDER BY id",
        edition_id,
    )
    return [
        BatchLine(i, name, by, _utc(at).strftime("%Y-%m-%d %H:%M UTC"), a, r, d)
        for i, name, by, at, a, r, d in rows
    ]


def _utc(value: datetime | str) -> datetime:
    """A stored timestamp in UTC: SQLite keeps it as zone-less text in UTC (db.types)."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


INVALID_ROWS = (
    "FROM rejected_row r JOIN import_batch b ON b.id = r.batch_id "
    "WHERE b.edition_id = ? AND r.kind = 'invalid'"
)


def _rejected(connection: Any, edition_id: int, limit: int) -> list[tuple[str, int, str]]:
    sql = (
        f"SELECT b.file_name, r.row_number, r.reason {INVALID_ROWS} "
        "ORDER BY r.batch_id, r.row_number LIMIT ?"
    )
    return [(f, n, r) for f, n, r in _rows(connection, sql, edition_id, limit)]


def _rejected_total(connection: Any, edition_id: int) -> int:
    ((total,),) = _rows(connection, f"SELECT count(*) {INVALID_ROWS}", edition_id)
    return int(total)
