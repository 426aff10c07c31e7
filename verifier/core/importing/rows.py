"""Turn one raw row into the values of an ``item`` row, or the reason it is refused."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from operator import itemgetter
from typing import Any, TypeVar

from verifier.core.importing.columns import ColumnMap
from verifier.core.importing.limits import quoted
from verifier.core.importing.rawrows import RawRow
from verifier.core.importing.reference import IndicatorRef, ReferenceIndex
from verifier.core.numbers import (
    ValueParseError,
    is_plain_number,
    normalise_numeric_text,
    parse_value,
)
from verifier.core.text import detect_script, match_key, search_fold

MIN_YEAR = 1900
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
# Cells that repeat down a file (years, extraction times) are read once per distinct text;
# each memo is emptied past this many entries, so a file of all-distinct cells stays bounded.
MEMO_ENTRIES = 10_000
_Read = TypeVar("_Read")


# The keys of a validated row, in a fixed order (rows cross process boundaries as tuples).
FIELDS = (
    "row_number", "raw_label", "label_key", "label_script", "country", "indicator_id",
    "value_text", "value_number", "unit", "value_normalized", "year", "source_id", "locator",
    "snippet", "language", "source_url", "search_key", "extractor", "extracted_at", "fingerprint",
)  # fmt: skip


class RowError(ValueError):
    """The row is refused; the message is the reason recorded with it."""


def fingerprint(source_id: int, locator: str, indicator_id: int, label_key: str) -> str:
    """The identity of a fact: same source, locator, indicator and label = same item."""
    text = f"{source_id}\x1f{match_key(locator)}\x1f{indicator_id}\x1f{label_key}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@lru_cache(maxsize=100_000)
def _label_facts(label: str) -> tuple[str, str, str]:
    """Key, script and search form of a label; labels repeat, so this is cached."""
    return match_key(label), detect_script(label).value, search_fold(label)


class RowValidator:
    def __init__(self, columns: ColumnMap, reference: ReferenceIndex, importer: str) -> None:
        self.headers = [(column, header) for column, header in columns.source_headers.items()]
        self.reference = reference
        self.importer = importer
        self.max_year = datetime.now(UTC).year + 1
        self._indicators: dict[str, IndicatorRef | None] = {}
        self._sources: dict[str, tuple[int, str] | None] = {}
        self._columns = tuple(column for column, _ in self.headers)
        # One C call for a row holding every header (a CSV or XLSX row always does).
        getter = itemgetter(*(header for _, header in self.headers))
        self._all_cells: Callable[[dict[str, str]], Any] = getter
        if len(self.headers) == 1:
            self._all_cells = lambda cells: (getter(cells),)
        self._years: dict[str, int | RowError] = {}
        self._times: dict[str, datetime | RowError | None] = {}

    def _cells(self, row: RawRow) -> dict[str, str]:
        """Cells by documented column name (readers have already NFC-normalised them)."""
        try:
            return dict(zip(self._columns, self._all_cells(row.cells), strict=False))
        except KeyError:  # a JSONL line without some of the keys
            get = row.cells.get
            return {column: get(header, "") for column, header in self.headers}

    def validate(self, row: RawRow) -> dict[str, Any]:
        """The item's column values, or RowError with the reason."""
        if row.error:
            raise RowError(row.error)
        for column, header in self.headers if row.structured else ():
            if header in row.structured:
                raise RowError(f"{column} holds a JSON object or array, not text or a number")
        cells = self._cells(row)
        label = cells["city"]
        label_key, script, folded_label = _label_facts(label)
        if not label_key:
            raise RowError("the city label is empty")

        indicator_text = cells["indicator"].strip()
        if indicator_text not in self._indicators:
            self._indicators[indicator_text] = self.reference.indicator(indicator_text)
        indicator = self._indicators[indicator_text]
        if indicator is None:
            raise RowError(f"unknown indicator {quoted(indicator_text)}")

        source_text = cells["source"].strip()
        if source_text not in self._sources:
            self._sources[source_text] = self.reference.source(source_text)
        source = self._sources[source_text]
        if source is None:
            raise RowError(
                f"unknown source {quoted(source_text)} (add it with `verifier source add` "
                "or to the edition's sources.csv)"
            )
        source_id, source_language = source

        language = cells.get("language", "").strip().lower() or source_language
        if language and not _LANGUAGE.match(language):
            raise RowError(f"language {quoted(language)} is not a language code such as ar, en, fr")

        value_text = cells["value"]
        unit = cells["unit"].strip()
        number, normalized, unit = self._value(value_text, unit, indicator, language)

        country = cells.get("country", "").strip().upper()
        if country and not _COUNTRY.match(country):
            raise RowError(f"country {quoted(country)} is not an ISO 3166-1 alpha-2 code")

        locator = cells["locator"].strip()
        snippet = cells["snippet"]
        return {
            "row_number": row.number,
            "raw_label": label,
            "label_key": label_key,
            "label_script": script,
            "country": country,
            "indicator_id": indicator.id,
            "value_text": value_text,
            "value_number": number,
            "unit": unit,
            "value_normalized": normalized,
            "year": _memo(self._years, self._year, cells["year"]),
            "source_id": source_id,
            "locator": locator,
            "snippet": snippet,
            "language": language,
            "source_url": cells.get("source_url", "").strip(),
            "search_key": f"{folded_label} {search_fold(snippet)}",
            "extractor": cells["extractor"].strip() or self.importer,
            "extracted_at": _memo(self._times, self._timestamp, cells.get("extracted_at", "")),
            "fingerprint": fingerprint(source_id, locator, indicator.id, label_key),
        }

    def _value(
        self, text: str, unit: str, indicator: IndicatorRef, language: str
    ) -> tuple[float | None, float | None, str]:
        """(number as written, number in the indicator's unit, the unit as written)."""
        number_text, written_in_value = text, ""
        if is_plain_number(text):
            if not language.startswith("fr"):
                return self._in_unit(float(text), text, "", unit, indicator)
        else:
            split = indicator.units.split_suffix(normalise_numeric_text(text))
            if split is not None and any(ch.isdigit() for ch in split[0]):
                number_text, written_in_value = split
        try:
            parsed = parse_value(number_text, decimal_comma=language.startswith("fr"))
        except ValueParseError as error:
            raise RowError(str(error).replace(f"'{number_text}'", quoted(text))) from None
        return self._in_unit(parsed.number, text, written_in_value or parsed.unit, unit, indicator)

    def _in_unit(
        self,
        number: float | None,
        text: str,
        written_in_value: str,
        unit: str,
        indicator: IndicatorRef,
    ) -> tuple[float | None, float | None, str]:
        """The number checked against the indicator's units and range."""
        if number is not None and not math.isfinite(number):
            raise RowError(f"{quoted(text)} is too large to be a value")
        factors = indicator.units
        if written_in_value and unit and factors.factor(written_in_value) != factors.factor(unit):
            raise RowError(
                f"the value says {quoted(written_in_value)} but the unit column says {quoted(unit)}"
            )
        written_unit = unit or written_in_value
        factor = factors.factor(written_unit)
        if factor is None:
            raise RowError(
                f"unit '{written_unit}' is not a unit of {indicator.code} "
                f"(accepted: {factors.accepted()})"
            )
        if number is None:
            return None, None, written_unit
        normalized = number * factor
        low, high = indicator.min_value, indicator.max_value
        if (low is not None and normalized < low) or (high is not None and normalized > high):
            shown = f"{normalized:g} {factors.canonical}".strip()
            raise RowError(
                f"value {shown} is outside the valid range of {indicator.code} "
                f"({_fmt(low, '-inf')} to {_fmt(high, 'inf')})"
            )
        return number, normalized, written_unit

    def _year(self, text: str) -> int:
        plain = normalise_numeric_text(text)
        if not plain:
            raise RowError("the year is empty")
        if not plain.isdigit():
            raise RowError(f"year {quoted(text)} is not a year")
        year = int(plain)
        if not MIN_YEAR <= year <= self.max_year:
            raise RowError(f"year {year} is outside {MIN_YEAR}-{self.max_year}")
        return year

    def _timestamp(self, text: str) -> datetime | None:
        text = text.strip()
        if not text:
            return None
        if not text.isascii():
            text = normalise_numeric_text(text)
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise RowError(f"extracted_at {quoted(text)} is not an ISO 8601 date or time") from None
        # Spreadsheets store no zone: a naive time is read as UTC (documented).
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _memo(known: dict[str, Any], read: Callable[[str], _Read], text: str) -> _Read:
    """``read(text)``, or the RowError it raises, remembered in ``known``."""
    found = known.get(text, known)
    if found is known:
        if len(known) >= MEMO_ENTRIES:
            known.clear()
        try:
            found = known[text] = read(text)
        except RowError as error:
            found = known[text] = error
    if isinstance(found, RowError):
        raise RowError(str(found))
    return found


def _fmt(bound: float | None, unbounded: str) -> str:
    return unbounded if bound is None else f"{bound:g}"
