"""The LAS 2024 fixtures: the generator reproduces the committed files, and they are coherent."""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import re
import subprocess
import sys
import unicodedata
from collections import Counter
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from tests.fixture_documents import pdf_pages, workbook_rows

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "las2024"
ITEM_COLUMNS = [
    "city", "indicator", "value", "unit", "year", "source", "locator", "snippet", "extractor",
    "country", "language", "source_url", "extracted_at",
]  # fmt: skip
XLSX = "items/03-international-datasets.xlsx"
CAPITALS = {
    "dz-algiers", "bh-manama", "km-moroni", "dj-djibouti", "eg-cairo", "iq-baghdad", "jo-amman",
    "kw-kuwait-city", "lb-beirut", "ly-tripoli", "mr-nouakchott", "ma-rabat", "om-muscat",
    "ps-jerusalem", "qa-doha", "sa-riyadh", "so-mogadishu", "sd-khartoum", "sy-damascus",
    "tn-tunis", "ae-abu-dhabi", "ye-sanaa",
}  # fmt: skip


def _csv(name: str) -> list[dict[str, str]]:
    with (FIXTURE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _rows(text: str, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _item_tables(folder: Path) -> dict[str, list[list[str]]]:
    """Every items file as rows (header first), each decoded in its declared encoding."""
    items = folder / "items"
    yearbooks = (items / "01-statistics-yearbooks.csv").read_bytes()
    assert yearbooks.startswith(b"\xef\xbb\xbf")
    reports = (items / "02-ministry-reports.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        reports.decode("utf-8")  # really Windows-1256, not UTF-8
    unicode_text = (items / "05-excel-unicode-text.txt").read_bytes()
    assert unicode_text.startswith(b"\xff\xfe")
    sheet = openpyxl.load_workbook(folder / XLSX).active
    assert sheet is not None
    jsonl = (items / "04-web-extracts.jsonl").read_text(encoding="utf-8").splitlines()
    return {
        "01": _rows(yearbooks.decode("utf-8-sig")),
        "02": _rows(reports.decode("cp1256")),
        "03": [
            ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
        ],
        "04": [ITEM_COLUMNS] + [[json.loads(line)[c] for c in ITEM_COLUMNS] for line in jsonl],
        "05": _rows(unicode_text[2:].decode("utf-16-le"), "\t"),
    }


@functools.cache
def _items(folder: Path = FIXTURE) -> list[dict[str, str]]:
    rows = []
    for table in _item_tables(folder).values():
        assert table[0] == ITEM_COLUMNS
        # Rows with a field too many or too few are kept, cut or padded to the 13 columns.
        rows += [dict(zip(ITEM_COLUMNS, [*row, ""][:13], strict=True)) for row in table[1:]]
    return rows


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("las2024")
    script = FIXTURE / "generate.py"
    subprocess.run([sys.executable, str(script), "--out", str(out)], check=True, timeout=600)
    return out


def _generated(folder: Path) -> set[str]:
    files = {"sources.csv", "weights.csv", "label-truth.csv", "evidence-truth.csv"}
    for sub in ("documents", "items"):
        files |= {p.relative_to(folder).as_posix() for p in (folder / sub).iterdir()}
    return files


def _packaged(name: str) -> bool:
    """Workbooks and PDFs: their bytes also depend on the writing library's version."""
    return name.endswith((".xlsx", ".pdf"))


def test_generator_reproduces_committed_files(regenerated: Path) -> None:
    assert _generated(regenerated) == _generated(FIXTURE)
    for name in sorted(n for n in _generated(FIXTURE) if not _packaged(n)):
        assert (regenerated / name).read_bytes() == (FIXTURE / name).read_bytes(), name


def test_generator_reproduces_workbook_cells_and_pdf_text(regenerated: Path) -> None:
    for name in sorted(n for n in _generated(FIXTURE) if n.endswith(".xlsx")):
        assert workbook_rows(regenerated / name) == workbook_rows(FIXTURE / name), name
    for name in sorted(n for n in _generated(FIXTURE) if n.endswith(".pdf")):
        fresh, committed = regenerated / name, FIXTURE / name
        if fresh.read_bytes() != committed.read_bytes():
            assert pdf_pages(fresh) == pdf_pages(committed), name


def test_cities() -> None:
    cities = _csv("cities.csv")
    ids = [city["id"] for city in cities]
    assert len(cities) == 62 and len(set(ids)) == 62
    assert {"ly-tripoli", "lb-tripoli"} <= set(ids)
    assert set(ids) >= CAPITALS
    assert len({city["country"] for city in cities}) == 22
    for city in cities:
        assert re.fullmatch(r"[a-z]{2}-[a-z0-9]+(-[a-z0-9]+)*", city["id"])
        assert city["id"][:2].upper() == city["country"]
        assert city["name_en"] and city["name_ar"] and city["aliases"]
    assert (FIXTURE / "cities.csv").read_bytes()[:2] == b"id"  # no BOM


def test_domains_and_indicators() -> None:
    domains = {row["code"] for row in _csv("domains.csv")}
    assert domains == {"traditional", "digital", "institutional"}
    indicators = _csv("indicators.csv")
    assert len(indicators) == 11
    assert {row["domain"] for row in indicators} == domains
    assert {row["direction"] for row in indicators} == {"higher", "lower"}
    assert sum(row["direction"] == "lower" for row in indicators) >= 2
    for row in indicators:
        assert Decimal(row["min"]) < Decimal(row["max"])
        for alias in row["unit_aliases"].split("|"):
            name, _, factor = alias.rpartition("*") if "*" in alias else (alias, "", "1")
            assert name and Decimal(factor) > 0


def test_every_expert_weights_everything() -> None:
    experts = [row["code"] for row in _csv("experts.csv")]
    assert experts == [f"E{n:02d}" for n in range(1, 19)]
    codes = {("domain", row["code"]) for row in _csv("domains.csv")}
    codes |= {("indicator", row["code"]) for row in _csv("indicators.csv")}
    given: dict[str, set[tuple[str, str]]] = {}
    for row in _csv("weights.csv"):
        assert Decimal(row["weight"]) > 0
        given.setdefault(row["expert"], set()).add((row["kind"], row["code"]))
    assert given == dict.fromkeys(experts, codes)


def test_sources_match_their_documents() -> None:
    sources = _csv("sources.csv")
    assert 20 <= len(sources) <= 32
    assert len({source["key"] for source in sources}) == len(sources)
    for source in sources:
        assert source["language"] in ("ar", "en", "fr")
        if source["file"]:
            digest = hashlib.sha256((FIXTURE / source["file"]).read_bytes()).hexdigest()
            assert digest == source["sha256"], source["key"]
        else:
            assert source["sha256"] == "" and source["url"]


def test_items_are_coherent() -> None:
    items = _items()
    assert 2800 <= len(items) <= 3300
    assistants = {row["username"] for row in _csv("reviewers.csv") if row["role"] == "assistant"}
    assert {item["extractor"] for item in items} == assistants
    typed = {
        (row["source"], row["locator"], row["indicator"], row["city"], row["value"])
        for row in _csv("evidence-truth.csv")
        if row["error"] in ("transposed_digits", "neighbour_row_value", "neighbour_year_value")
    }
    for item in items:
        key = (item["source"], item["locator"], item["indicator"], item["city"], item["value"])
        # A planted value error quotes the document and gives another value.
        assert (item["value"] in item["snippet"]) != (key in typed), item
    languages = Counter(item["language"] for item in items)
    assert set(languages) == {"ar", "en", "fr"}


def test_only_the_planted_duplicates_share_an_identity() -> None:
    """Source, locator, indicator and label identify an item, except the ten copied rows."""
    by_identity: dict[tuple[str, ...], list[dict[str, str]]] = {}
    for item in _items():
        key = (item["source"], item["locator"], item["indicator"], item["city"])
        by_identity.setdefault(key, []).append(item)
    shared = [rows for rows in by_identity.values() if len(rows) > 1]
    assert len(shared) == 10
    assert all(len(rows) == 2 and rows[0] == rows[1] for rows in shared)


def test_label_truth_covers_every_label() -> None:
    truth = {(row["label"], row["country"]): row["city_id"] for row in _csv("label-truth.csv")}
    city_ids = {city["id"] for city in _csv("cities.csv")}
    assert set(truth.values()) <= city_ids | {""}
    labels = {(item["city"], item["country"]) for item in _items() if item["city"]}
    assert labels == set(truth)
    # NFC, so a label reads back unchanged from a workspace that stores NFC text.
    assert all(unicodedata.is_normalized("NFC", label) for label, _ in truth)
    tripolis = {label: city for (label, _), city in truth.items() if label.startswith("طرابلس")}
    lebanese = [city for label, city in tripolis.items() if "الشام" in label]
    libyan = [city for label, city in tripolis.items() if "الغرب" in label]
    assert lebanese and set(lebanese) == {"lb-tripoli"}
    assert libyan and set(libyan) == {"ly-tripoli"}
    ambiguous = {truth[label, ""] for label in ("Tripoli", "طرابلس") if (label, "") in truth}
    assert ambiguous, "some Tripoli rows carry no country hint"
