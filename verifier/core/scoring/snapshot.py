"""Read a publication document (``verifier.publication/1``) into typed, validated records.

The scorer reads publications and nothing else, so everything it needs is checked here once:
types, unknown references, duplicates and impossible weights. Descriptive fields the scorer
does not use are still type-checked, so a malformed export is reported rather than half-read.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from verifier.core.errors import InputFileError
from verifier.core.scoring.errors import SnapshotFormatError
from verifier.core.scoring.snapshot_fields import FieldReader

FORMAT_ID = "verifier.publication/1"
Direction = Literal["higher", "lower"]


@dataclass(frozen=True)
class EditionInfo:
    code: str
    name: str
    name_ar: str | None


@dataclass(frozen=True)
class PublicationInfo:
    id: int
    number: int
    parent_id: int | None
    created_by: str
    created_at: str
    note: str | None
    value_count: int
    coverage: float
    sha256: str


@dataclass(frozen=True)
class Domain:
    code: str
    name_en: str
    name_ar: str


@dataclass(frozen=True)
class Indicator:
    code: str
    domain: str
    name_en: str
    name_ar: str
    unit: str | None
    direction: Direction
    min: float | None
    max: float | None

    @property
    def higher_is_better(self) -> bool:
        return self.direction == "higher"


@dataclass(frozen=True)
class City:
    id: str
    name_en: str
    name_ar: str
    country: str


@dataclass(frozen=True)
class Expert:
    """Raw weights as the expert gave them; a code that is absent has weight 0."""

    code: str
    domain_weights: Mapping[str, float]
    indicator_weights: Mapping[str, float]


@dataclass(frozen=True)
class IndicatorValue:
    city: str
    indicator: str
    value: float
    year: int | None
    unit: str | None
    evidence: tuple[int, ...]


@dataclass(frozen=True)
class PublicationSnapshot:
    edition: EditionInfo
    publication: PublicationInfo
    domains: tuple[Domain, ...]
    indicators: tuple[Indicator, ...]
    cities: tuple[City, ...]
    experts: tuple[Expert, ...]
    values: tuple[IndicatorValue, ...]
    # False when the content no longer matches publication.sha256 (e.g. an edited export).
    hash_verified: bool


def canonical_bytes(doc: Mapping[str, Any]) -> bytes:
    """The canonical form the hash is taken over: the document without publication.sha256."""
    publication = doc.get("publication")
    unhashed = dict(doc)
    if isinstance(publication, Mapping):
        unhashed["publication"] = {k: v for k, v in publication.items() if k != "sha256"}
    text = json.dumps(unhashed, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def snapshot_sha256(doc: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(doc)).hexdigest()


def verify_snapshot_hash(doc: Mapping[str, Any]) -> bool:
    """True when publication.sha256 is the hash of the document's canonical form."""
    publication = doc.get("publication")
    if not isinstance(publication, Mapping):
        return False
    claimed = publication.get("sha256")
    if not isinstance(claimed, str):
        return False
    return claimed.lower() == snapshot_sha256(doc)


def load_snapshot_file(path: Path) -> dict[str, Any]:
    """The JSON document in ``path``; InputFileError when it cannot be read as JSON."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputFileError(f"cannot read {path}: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise InputFileError(f"{path} is not UTF-8 text: {error.reason}") from error
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputFileError(
            f"{path} is not valid JSON (line {error.lineno}, column {error.colno}): {error.msg}"
        ) from error
    if not isinstance(doc, dict):
        raise InputFileError(f"{path} holds a JSON {type(doc).__name__}, not a publication object")
    return doc


def parse_snapshot(doc: Any) -> PublicationSnapshot:
    """Validate a publication document and return it as records; SnapshotFormatError if not."""
    root = FieldReader.root(doc)
    found_format = root.text("format")
    if found_format != FORMAT_ID:
        raise SnapshotFormatError(
            f"snapshot: format is {found_format!r}; this scorer reads {FORMAT_ID!r} documents"
        )
    edition = _edition(root.child("edition"))
    publication = _publication(root.child("publication"))
    domains = tuple(_domain(item) for item in root.items("domains", non_empty=True))
    _require_unique("domains", "code", [d.code for d in domains])
    domain_codes = {d.code for d in domains}
    indicators = tuple(_indicator(item, domain_codes) for item in root.items("indicators", True))
    _require_unique("indicators", "code", [i.code for i in indicators])
    indicator_codes = {i.code for i in indicators}
    cities = tuple(_city(item) for item in root.items("cities"))
    _require_unique("cities", "id", [c.id for c in cities])
    experts = tuple(
        _expert(item, domain_codes, indicator_codes) for item in root.items("experts", True)
    )
    _require_unique("experts", "code", [e.code for e in experts])
    city_ids = {c.id for c in cities}
    values = tuple(_value(item, city_ids, indicator_codes) for item in root.items("values"))
    _require_unique("values", "(city, indicator)", [f"{v.city}/{v.indicator}" for v in values])
    return PublicationSnapshot(
        edition=edition,
        publication=publication,
        domains=domains,
        indicators=indicators,
        cities=cities,
        experts=experts,
        values=values,
        hash_verified=verify_snapshot_hash(doc),
    )


def _edition(node: FieldReader) -> EditionInfo:
    return EditionInfo(
        code=node.text("code"), name=node.text("name"), name_ar=node.optional_text("name_ar")
    )


def _publication(node: FieldReader) -> PublicationInfo:
    return PublicationInfo(
        id=node.integer("id"),
        number=node.integer("number"),
        parent_id=node.optional_integer("parent_id"),
        created_by=node.text("created_by"),
        created_at=node.text("created_at"),
        note=node.optional_text("note"),
        value_count=node.integer("value_count"),
        coverage=node.number("coverage"),
        sha256=node.text("sha256"),
    )


def _domain(node: FieldReader) -> Domain:
    return Domain(
        code=node.text("code"), name_en=node.text("name_en"), name_ar=node.text("name_ar")
    )


def _indicator(node: FieldReader, domain_codes: set[str]) -> Indicator:
    direction = node.text("direction")
    if direction not in ("higher", "lower"):
        node.fail("direction", f"must be 'higher' or 'lower', not {direction!r}")
    low, high = node.optional_number("min"), node.optional_number("max")
    if low is not None and high is not None and low > high:
        node.fail("min", f"({low}) is above max ({high})")
    return Indicator(
        code=node.text("code"),
        domain=node.reference("domain", domain_codes, "domain"),
        name_en=node.text("name_en"),
        name_ar=node.text("name_ar"),
        unit=node.optional_text("unit"),
        direction="higher" if direction == "higher" else "lower",
        min=low,
        max=high,
    )


def _city(node: FieldReader) -> City:
    return City(
        id=node.text("id"),
        name_en=node.text("name_en"),
        name_ar=node.text("name_ar"),
        country=node.text("country"),
    )


def _expert(node: FieldReader, domain_codes: set[str], indicator_codes: set[str]) -> Expert:
    return Expert(
        code=node.text("code"),
        domain_weights=node.weights("domain_weights", domain_codes, "domain"),
        indicator_weights=node.weights("indicator_weights", indicator_codes, "indicator"),
    )


def _value(node: FieldReader, city_ids: set[str], indicator_codes: set[str]) -> IndicatorValue:
    number = node.number("value")
    if not math.isfinite(number):
        node.fail("value", "must be a finite number")
    return IndicatorValue(
        city=node.reference("city", city_ids, "city"),
        indicator=node.reference("indicator", indicator_codes, "indicator"),
        value=number,
        year=node.optional_integer("year"),
        unit=node.optional_text("unit"),
        evidence=node.integer_list("evidence"),
    )


def _require_unique(section: str, key: str, keys: list[str]) -> None:
    seen: set[str] = set()
    for item in keys:
        if item in seen:
            raise SnapshotFormatError(f"snapshot: {section} lists {key} {item!r} twice")
        seen.add(item)
