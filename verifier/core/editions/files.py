"""Parse and check an edition folder. Nothing touches the database until all of it is valid."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from db.models import Direction, Role
from verifier.core.editions.csvfile import Problems, parse_float, read_csv_rows
from verifier.core.errors import InputFileError
from verifier.core.evidence.intake import DEFAULT_MAX_BYTES, DocumentError, sha256_of
from verifier.core.units import parse_alias_list

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


@dataclass
class CityRow:
    id: str
    name_en: str
    name_ar: str
    country: str
    aliases: list[str]


@dataclass
class IndicatorRow:
    code: str
    domain: str
    name_en: str
    name_ar: str
    unit: str
    unit_aliases: list[dict[str, object]]
    direction: str
    min_value: float | None
    max_value: float | None
    description: str


@dataclass
class SourceRow:
    key: str
    title: str
    publisher: str
    language: str
    url: str
    file_path: str  # where the document is read from, on this machine
    file_name: str  # what the workspace records of it, with its sha256
    file_sha256: str
    published_on: date | None
    retrieved_on: date | None


@dataclass
class EditionFiles:
    folder: Path
    code: str
    name: str
    name_ar: str
    description: str
    cities: list[CityRow] = field(default_factory=list)
    domains: list[tuple[str, str, str]] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)
    experts: list[tuple[str, str, str]] = field(default_factory=list)
    weights: list[tuple[str, str, str, float]] = field(default_factory=list)
    sources: list[SourceRow] = field(default_factory=list)
    reviewers: list[tuple[str, str, str]] = field(default_factory=list)
    # [qa] max_error_rate: the publishing gate (verifier.core.qa.gate); None: no gate.
    qa_max_error_rate: float | None = None


def read_edition_dir(
    folder: Path, max_document_bytes: int = DEFAULT_MAX_BYTES, *, files_outside: bool = False
) -> EditionFiles:
    """Read and check the edition folder. The documents named in sources.csv must lie in
    the folder (after following links) unless ``files_outside``: an edition folder received
    from someone else cannot make the load read and store any file the user can read."""
    if not folder.is_dir():
        raise InputFileError(f"{folder}: not a folder")
    problems = Problems()
    edition = _read_toml(folder / "edition.toml", problems)
    problems.raise_if_any()
    for name in ("cities.csv", "domains.csv", "indicators.csv", "experts.csv", "weights.csv"):
        if not (folder / name).is_file():
            problems.add(folder / name, None, "missing (every edition folder needs it)")
    problems.raise_if_any()
    _read_cities(folder / "cities.csv", edition, problems)
    _read_domains(folder / "domains.csv", edition, problems)
    _read_indicators(folder / "indicators.csv", edition, problems)
    _read_experts(folder / "experts.csv", edition, problems)
    _read_weights(folder / "weights.csv", edition, problems)
    if (folder / "sources.csv").is_file():
        limit = None if files_outside else folder.resolve()
        _read_sources(folder / "sources.csv", edition, problems, (max_document_bytes, limit))
    if (folder / "reviewers.csv").is_file():
        _read_reviewers(folder / "reviewers.csv", edition, problems)
    problems.raise_if_any()
    return edition


def _read_toml(path: Path, problems: Problems) -> EditionFiles:
    try:
        meta = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.add(path, None, "missing (it names the edition: code, name, name_ar)")
        return EditionFiles(path.parent, "", "", "", "")
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        problems.add(path, None, f"not valid TOML ({error})")
        return EditionFiles(path.parent, "", "", "", "")
    code, name = str(meta.get("code", "")), str(meta.get("name", ""))
    if not _CODE.match(code):
        problems.add(path, None, f"code '{code}' must be letters, digits, '-', '_' or '.'")
    if not name:
        problems.add(path, None, "name is required")
    edition = EditionFiles(
        path.parent, code, name, str(meta.get("name_ar", "")), str(meta.get("description", ""))
    )
    edition.qa_max_error_rate = _qa_threshold(path, meta.get("qa", {}), problems)
    return edition


def _qa_threshold(path: Path, qa: object, problems: Problems) -> float | None:
    """``[qa] max_error_rate = 0.05``: a number between 0 and 1, or absent."""
    if not isinstance(qa, dict):
        problems.add(path, None, "[qa] must be a table, e.g. [qa] max_error_rate = 0.05")
        return None
    value = qa.get("max_error_rate")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        problems.add(path, None, f"[qa] max_error_rate must be a number from 0 to 1, not {value!r}")
        return None
    return float(value)


def _read_cities(path: Path, edition: EditionFiles, problems: Problems) -> None:
    seen: set[str] = set()
    required = ("id", "name_en", "name_ar", "country", "aliases")
    for row, cells in read_csv_rows(path, required, problems):
        city_id, country = cells["id"], cells["country"].upper()
        if not _CODE.match(city_id):
            problems.add(path, row, f"id '{city_id}' must be letters, digits, '-', '_' or '.'")
        elif city_id in seen:
            problems.add(path, row, f"id '{city_id}' appears twice")
        if not _COUNTRY.match(country):
            problems.add(path, row, f"country '{cells['country']}' is not ISO 3166-1 alpha-2")
        if not cells["name_en"] and not cells["name_ar"]:
            problems.add(path, row, "name_en and name_ar are both empty")
        seen.add(city_id)
        aliases = [a.strip() for a in cells["aliases"].split("|") if a.strip()]
        edition.cities.append(
            CityRow(city_id, cells["name_en"], cells["name_ar"], country, aliases)
        )


def _read_domains(path: Path, edition: EditionFiles, problems: Problems) -> None:
    for row, cells in read_csv_rows(path, ("code", "name_en", "name_ar"), problems):
        if not _CODE.match(cells["code"]):
            problems.add(path, row, f"code '{cells['code']}' is not a valid code")
        if any(d[0] == cells["code"] for d in edition.domains):
            problems.add(path, row, f"domain '{cells['code']}' appears twice")
        edition.domains.append((cells["code"], cells["name_en"], cells["name_ar"]))


def _read_indicators(path: Path, edition: EditionFiles, problems: Problems) -> None:
    domains = {d[0] for d in edition.domains}
    required: tuple[str, ...] = ("code", "domain", "name_en", "name_ar", "unit", "unit_aliases")
    required += ("direction", "min", "max", "description")
    for row, cells in read_csv_rows(path, required, problems):
        code = cells["code"]
        if not _CODE.match(code):
            problems.add(path, row, f"code '{code}' is not a valid code")
        if any(i.code == code for i in edition.indicators):
            problems.add(path, row, f"indicator '{code}' appears twice")
        if cells["domain"] not in domains:
            problems.add(path, row, f"domain '{cells['domain']}' is not in domains.csv")
        if cells["direction"] not in {d.value for d in Direction}:
            problems.add(path, row, f"direction '{cells['direction']}' must be higher or lower")
        low = parse_float(cells["min"], path, row, "min", problems)
        high = parse_float(cells["max"], path, row, "max", problems)
        if low is not None and high is not None and low > high:
            problems.add(path, row, f"min {low:g} is above max {high:g}")
        try:
            aliases = parse_alias_list(cells["unit_aliases"])
        except ValueError:
            problems.add(
                path, row, f"unit_aliases '{cells['unit_aliases']}': use ALIAS or ALIAS*FACTOR"
            )
            aliases = []
        edition.indicators.append(
            IndicatorRow(
                code, cells["domain"], cells["name_en"], cells["name_ar"], cells["unit"],
                aliases, cells["direction"], low, high, cells["description"],
            )
        )  # fmt: skip


def _read_experts(path: Path, edition: EditionFiles, problems: Problems) -> None:
    for row, cells in read_csv_rows(path, ("code", "name", "affiliation"), problems):
        if any(e[0] == cells["code"] for e in edition.experts):
            problems.add(path, row, f"expert '{cells['code']}' appears twice")
        edition.experts.append((cells["code"], cells["name"], cells["affiliation"]))


def _read_weights(path: Path, edition: EditionFiles, problems: Problems) -> None:
    experts = {e[0] for e in edition.experts}
    targets = {
        "domain": {d[0] for d in edition.domains},
        "indicator": {i.code for i in edition.indicators},
    }
    seen: set[tuple[str, str, str]] = set()
    for row, cells in read_csv_rows(path, ("expert", "kind", "code", "weight"), problems):
        expert, kind, code = cells["expert"], cells["kind"], cells["code"]
        if expert not in experts:
            problems.add(path, row, f"expert '{expert}' is not in experts.csv")
        if kind not in targets:
            problems.add(path, row, f"kind '{kind}' must be domain or indicator")
        elif code not in targets[kind]:
            problems.add(path, row, f"{kind} '{code}' is not defined")
        if (expert, kind, code) in seen:
            problems.add(path, row, f"{expert} weights {kind} {code} twice")
        seen.add((expert, kind, code))
        weight = parse_float(cells["weight"], path, row, "weight", problems)
        if weight is not None and weight < 0:
            problems.add(path, row, f"weight {weight:g} is negative")
        edition.weights.append((expert, kind, code, weight or 0.0))
    for expert in sorted(experts):
        if not any(w[0] == expert and w[1] == "domain" and w[3] > 0 for w in edition.weights):
            problems.add(path, None, f"expert '{expert}' gives no positive domain weight")


def _read_sources(
    path: Path, edition: EditionFiles, problems: Problems, documents: tuple[int, Path | None]
) -> None:
    """``documents``: the size limit of a document, and the folder it must lie in (None:
    anywhere)."""
    max_document_bytes, confined_to = documents
    required: tuple[str, ...] = ("key", "title", "publisher", "language", "url", "file")
    required += ("sha256", "published_on", "retrieved_on")
    for row, cells in read_csv_rows(path, required, problems):
        if not cells["key"] or not cells["title"]:
            problems.add(path, row, "key and title are required")
        file_path, file_name, digest = "", "", cells["sha256"].lower()
        if cells["file"]:
            document = (path.parent / cells["file"]).resolve()
            actual = ""
            if confined_to is not None and not document.is_relative_to(confined_to):
                problems.add(
                    path, row,
                    f"file '{cells['file']}' is outside the edition folder ({document}); move "
                    "it into the folder, or load with --allow-outside-files",
                )  # fmt: skip
            elif not document.exists():
                problems.add(path, row, f"file '{cells['file']}' does not exist")
            else:
                try:
                    actual, _ = sha256_of(document, max_document_bytes)
                except DocumentError as error:
                    reason = str(error).removeprefix(f"{document}: ")
                    problems.add(path, row, f"file '{cells['file']}': {reason}")
            if actual:
                if digest and digest != actual:
                    problems.add(
                        path, row, f"sha256 of '{cells['file']}' is {actual}, not {digest}"
                    )
                digest, file_path, file_name = actual, str(document), Path(cells["file"]).name
        edition.sources.append(
            SourceRow(
                cells["key"], cells["title"], cells["publisher"], cells["language"].lower(),
                cells["url"], file_path, file_name, digest,
                _date(cells["published_on"], path, row, problems),
                _date(cells["retrieved_on"], path, row, problems),
            )
        )  # fmt: skip


def _read_reviewers(path: Path, edition: EditionFiles, problems: Problems) -> None:
    for row, cells in read_csv_rows(path, ("username", "display_name", "role"), problems):
        if cells["role"] not in {r.value for r in Role}:
            problems.add(path, row, f"role '{cells['role']}' must be assistant or lead")
        edition.reviewers.append((cells["username"], cells["display_name"], cells["role"]))


def _date(text: str, path: Path, row: int, problems: Problems) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        problems.add(path, row, f"date '{text}' is not YYYY-MM-DD")
        return None
