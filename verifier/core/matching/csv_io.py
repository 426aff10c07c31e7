"""Gazetteer, query and result files of ``verifier match``.

    GAZ.csv      id,name_en,name_ar,country,aliases    aliases separated by "|"
    QUERIES.csv  query_id,name,country                 country may be empty
    RESULTS.csv  query_id,rank,city_id,score,band      up to K rows per query

Files are UTF-8 (a BOM is fine) or UTF-16 with a BOM; a file whose header has tabs and no
commas is read as tab-separated (Excel's "Unicode Text"). Any problem stops the load with a
message naming the file, the row (the header is row 1) and what to fix.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from verifier.core.errors import InputFileError
from verifier.core.matching.countries import normalise_country
from verifier.core.matching.gazetteer import GazetteerEntry
from verifier.core.matching.result import MatchResult
from verifier.core.safe_output import write_csv_rows

GAZETTEER_HEADER = ("id", "name_en", "name_ar", "country", "aliases")
QUERIES_HEADER = ("query_id", "name", "country")
RESULTS_HEADER = ("query_id", "rank", "city_id", "score", "band")
ALIAS_SEPARATOR = "|"


class MatchFileError(InputFileError):
    """A gazetteer or query file that cannot be used as it is."""

    def __init__(self, path: str | Path, problem: str, row: int | None = None) -> None:
        self.path = str(path)
        self.row = row
        self.problem = problem
        where = f"{self.path}, row {row}" if row is not None else self.path
        super().__init__(f"{where}: {problem}")


class GazetteerFileError(MatchFileError):
    """The gazetteer CSV is missing, unreadable or has a bad row."""


class QueryFileError(MatchFileError):
    """The queries CSV is missing, unreadable or has a bad row."""


@dataclass(frozen=True)
class Query:
    query_id: str
    name: str
    country: str | None = None


def _decode(path: Path, error: type[MatchFileError]) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise error(path, "no such file") from None
    except IsADirectoryError:
        raise error(path, "is a directory, not a CSV file") from None
    except OSError as exc:
        raise error(path, f"cannot be read ({exc.strerror})") from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        raise error(
            path,
            f"is not valid {encoding.removesuffix('-sig').upper()} text "
            f"(byte 0x{data[exc.start]:02x}); save it as UTF-8 CSV",
            row,
        ) from None


def _rows(
    path: Path, expected: tuple[str, ...], error: type[MatchFileError]
) -> Iterator[tuple[int, list[str]]]:
    """(row number, stripped values in the order of ``expected``) for each non-blank data
    row, header checked."""
    text = _decode(path, error)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise error(path, f"is empty; expected the header {','.join(expected)}", 1)
        columns = [name.strip().lower() for name in header]
        if sorted(columns) != sorted(expected):
            raise error(
                path,
                f"wrong header {','.join(header)!r}; expected {','.join(expected)}",
                1,
            )
        order = [columns.index(name) for name in expected]
        width = len(columns)
        in_order = order == list(range(width))
        for values in reader:
            if len(values) != width:
                if not any(value.strip() for value in values):
                    continue
                raise error(
                    path,
                    f"has {len(values)} fields, the header has {width} "
                    f"(quote values that contain '{delimiter}')",
                    reader.line_num,
                )
            if in_order:  # the usual header: no reordering
                stripped = list(map(str.strip, values))
            else:
                stripped = [values[index].strip() for index in order]
            if any(stripped):
                yield reader.line_num, stripped
    except csv.Error as exc:
        raise error(path, f"is not well-formed CSV ({exc})", reader.line_num) from None


def _country(value: str, path: Path, row: int, error: type[MatchFileError], column: str) -> str:
    if not value:
        return ""
    try:
        return normalise_country(value)
    except ValueError as exc:
        raise error(path, f"{column}: {exc}", row) from None


def load_gazetteer_csv(path: str | Path) -> list[GazetteerEntry]:
    """The cities of a GAZ.csv file (id,name_en,name_ar,country,aliases)."""
    path = Path(path)
    entries: list[GazetteerEntry] = []
    first_row: dict[str, int] = {}
    countries: dict[str, str] = {}
    for row, (city_id, name_en, name_ar, country, alias_text) in _rows(
        path, GAZETTEER_HEADER, GazetteerFileError
    ):
        if not city_id:
            raise GazetteerFileError(path, "missing id", row)
        if city_id in first_row:
            raise GazetteerFileError(
                path, f"duplicate id {city_id!r} (first on row {first_row[city_id]})", row
            )
        first_row[city_id] = row
        if not name_en and not name_ar:
            raise GazetteerFileError(path, f"city {city_id!r} has neither name_en nor name_ar", row)
        aliases = (
            tuple(alias.strip() for alias in alias_text.split(ALIAS_SEPARATOR) if alias.strip())
            if alias_text
            else ()
        )
        code = countries.get(country)
        if code is None:
            code = countries[country] = _country(country, path, row, GazetteerFileError, "country")
        entries.append(GazetteerEntry(city_id, code, name_en, name_ar, aliases))
    if not entries:
        raise GazetteerFileError(path, "has a header but no cities")
    return entries


def read_queries_csv(path: str | Path) -> list[Query]:
    """The queries of a QUERIES.csv file (query_id,name,country)."""
    path = Path(path)
    queries: list[Query] = []
    first_row: dict[str, int] = {}
    for row, (query_id, name, country_text) in _rows(path, QUERIES_HEADER, QueryFileError):
        if not query_id:
            raise QueryFileError(path, "missing query_id", row)
        if query_id in first_row:
            raise QueryFileError(
                path, f"duplicate query_id {query_id!r} (first on row {first_row[query_id]})", row
            )
        first_row[query_id] = row
        if not name:
            raise QueryFileError(path, f"query {query_id!r} has an empty name", row)
        country = _country(country_text, path, row, QueryFileError, "country")
        queries.append(Query(query_id, name, country or None))
    return queries


def result_rows(query_id: str, result: MatchResult, top: int) -> list[list[str]]:
    """RESULTS.csv rows for one query. A query with no candidate at all still gets one row
    (rank 1, empty city_id, score 0, band none) so that every query_id appears."""
    if not result.candidates:
        return [[query_id, "1", "", "0.00", result.band]]
    return [
        [query_id, str(rank), candidate.city_id, f"{candidate.score:.2f}", result.band]
        for rank, candidate in enumerate(result.candidates[:top], start=1)
    ]


def write_results_csv(
    path: str | Path, results: Sequence[tuple[str, MatchResult]], top: int
) -> None:
    """Write (query_id, result) pairs as RESULTS.csv, in the order given."""
    Path(path).write_text(results_csv_text(results, top), encoding="utf-8", newline="")


def results_csv_text(results: Sequence[tuple[str, MatchResult]], top: int) -> str:
    """RESULTS.csv as text, for a caller that writes the file its own way."""
    rows = (row for query_id, result in results for row in result_rows(query_id, result, top))
    buffer = io.StringIO(newline="")
    write_csv_rows(buffer, RESULTS_HEADER, rows)
    return buffer.getvalue()
