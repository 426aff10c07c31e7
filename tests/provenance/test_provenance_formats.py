"""Each output format: readable in both scripts, untrusted text inert, machine forms that load
back (CSV, the documented JSON schema, W3C PROV-JSON with the prov package)."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser

import prov
import pytest

from tests.provenance.scenario import FORMULA, HOSTILE
from verifier.core.provenance import build_report, render
from verifier.core.provenance.csvfile import COLUMNS
from verifier.core.provenance.markdown import md_text
from verifier.core.provenance.model import ProvenanceReport
from verifier.core.provenance.prov_vocabulary import NAMESPACE_URI
from verifier.core.provenance.provjson import report_prov
from verifier.core.workspace import Workspace


@pytest.fixture
def report(published: Workspace) -> ProvenanceReport:
    with published.reading() as session:
        return build_report(session, edition_id=1)


def test_markdown_never_turns_data_into_markup(report: ProvenanceReport) -> None:
    text = render(report, "md")
    for syntax in (r"\[@click", r"<script>", r"!\[i\]\(", r"\]\("):
        assert not re.search(r"(?<!\\)" + syntax, text), syntax  # only escaped forms remain
    assert r"\[@click=app\.quit\]x\[/\]" in text and r"\<script\>" in text
    assert "\x1b" not in text and "\u202e" not in text and "\x9b" not in text
    # Arabic is kept as written, in logical order.
    assert "نسبة الأسر المتصلة بشبكة المياه في الرياض ٩٩٫١٪" in text
    assert md_text("a*b_c`d") == r"a\*b\_c\`d"


@pytest.mark.parametrize("flavour", ["commonmark", "gfm-like"])  # gfm-like: the review UI's
def test_markdown_parses_without_links_images_or_html(
    report: ProvenanceReport, flavour: str
) -> None:
    from markdown_it import MarkdownIt

    kinds: set[str] = set()
    for token in MarkdownIt(flavour).parse(render(report, "md")):
        kinds.add(token.type)
        kinds.update(child.type for child in token.children or [])
    assert not kinds & {"link_open", "image", "html_inline", "html_block"}, kinds


@pytest.mark.parametrize("hostile", [
    "http://evil.example/x.png", "www.evil.com", "evil.com/path", "a@b.com",
    "mailto:a@b.com", "http://مثال.إختبار", "[x](javascript:alert(1))", "<http://a.b>",
    "*bold* _it_ `code` ~~del~~ | a | b |", "&lt;b&gt;",
])  # fmt: skip
def test_markdown_text_renders_back_to_itself(hostile: str) -> None:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("gfm-like").parse(f"Quoted: {md_text(hostile)}")
    children = [child for token in tokens for child in token.children or []]
    assert [child.type for child in children] == ["text"]
    assert children[0].content == f"Quoted: {hostile}"


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.open: list[tuple[str, dict[str, str | None]]] = []
        self.arabic_without_direction: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in ("meta", "br"):
            self.open.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if re.search("[\u0600-\u06ff]", data):
            directed = any(attrs.get("dir") in ("rtl", "auto") for _, attrs in self.open)
            if not directed:
                self.arabic_without_direction.append(data)


def test_html_is_escaped_self_contained_and_marks_right_to_left(report: ProvenanceReport) -> None:
    page = render(report, "html")
    parser = _Collector()
    parser.feed(page)
    tags = {tag for tag, _ in parser.tags}
    assert "script" not in tags and "img" not in tags and "link" not in tags
    assert not any("src" in attrs for _, attrs in parser.tags)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "\x1b" not in page and "\u202e" not in page and "\x9b" not in page
    assert parser.arabic_without_direction == []
    assert '<blockquote dir="rtl" lang="ar">نسبة الأسر' in page
    assert "<style>" in page and "Content-Security-Policy" in page
    links = [attrs["href"] for tag, attrs in parser.tags if tag == "a"]
    assert links and all(str(h).startswith("https://") for h in links)


def test_csv_has_a_row_per_value_and_item_and_no_formulas(report: ProvenanceReport) -> None:
    rows = list(csv.DictReader(io.StringIO(render(report, "csv"))))
    assert list(rows[0]) == list(COLUMNS)
    pairs = [(r["city_id"], r["indicator"], r["item_id"]) for r in rows]
    assert pairs == [
        ("eg-cairo", "TRD-WATER", "5"),
        ("lb-tripoli", "DIG-BROADBAND", "13"),
        ("sa-riyadh", "DIG-BROADBAND", "6"),
        ("sa-riyadh", "TRD-WATER", "1"),
        ("sa-riyadh", "TRD-WATER", "2"),
    ]
    formula = next(r for r in rows if r["item_id"] == "2")["snippet"]
    assert formula == "'" + FORMULA
    for cells in rows:
        for cell in cells.values():
            assert not cell or cell[0] not in "=+-@\t\r"
    riyadh = next(r for r in rows if r["item_id"] == "1")
    assert (riyadh["value"], riyadh["published"], riyadh["verified_by"]) == ("99.1", "yes", "omar")
    assert riyadh["source_file_state"] == "stored" and riyadh["extracted_at"].endswith("Z")


def test_json_follows_the_documented_schema(report: ProvenanceReport) -> None:
    text = render(report, "json")
    assert "\x9b" not in text and "\u202e" not in text  # escaped, not raw
    document = json.loads(text)
    assert document["format"] == "verifier.provenance/1"
    assert set(document) == {
        "format", "generated_at", "edition", "selection", "publication", "values",
        "unpublished_items",
    }  # fmt: skip
    value = document["values"][0]
    assert set(value) == {"city", "indicator", "value", "unit", "year", "conflict", "evidence"}
    item = value["evidence"][0]
    assert set(item) >= {
        "id", "status", "value_as_written", "value", "year", "locator", "snippet", "source",
        "extraction", "city_match", "verified_by", "events",
    }  # fmt: skip
    assert set(item["source"]["file"]) == {"path", "sha256", "state", "sha256_now"}
    hostile = next(i for v in document["values"] for i in v["evidence"] if i["id"] == 6)
    assert hostile["snippet"] == HOSTILE  # exact, once parsed


def test_prov_json_loads_and_keeps_its_records_on_a_round_trip(report: ProvenanceReport) -> None:
    text = render(report, "prov-json")
    document = prov.read(io.StringIO(text), format="json")
    assert document is not None
    again = prov.read(io.StringIO(document.serialize(format="json")), format="json")
    assert again == document
    assert len(again.records) == len(document.records) == len(report_prov(report).records)
    raw = json.loads(text)
    assert raw["prefix"] == {"verifier": NAMESPACE_URI}
    for relation in ("wasDerivedFrom", "wasGeneratedBy", "used", "wasAssociatedWith",
                     "wasAttributedTo"):  # fmt: skip
        assert raw.get(relation), relation
    entities, activities, agents = raw["entity"], raw["activity"], raw["agent"]
    assert "verifier:publication/1" in entities and "verifier:item/1" in entities
    assert "verifier:source/yearbook-2023" in entities
    assert "verifier:value/1/sa-riyadh/TRD-WATER" in entities
    assert {"verifier:extraction/1", "verifier:matching/1", "verifier:publishing/1"} <= set(
        activities
    )
    assert any(name.startswith("verifier:verification/") for name in activities)
    assert {"verifier:person/omar", "verifier:person/layla"} <= set(agents)
    derived = {
        (r["prov:generatedEntity"], r["prov:usedEntity"]) for r in raw["wasDerivedFrom"].values()
    }
    assert ("verifier:value/1/sa-riyadh/TRD-WATER", "verifier:item/2") in derived
    assert ("verifier:item/1", "verifier:source/yearbook-2023") in derived
