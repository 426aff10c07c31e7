"""Renderers and chart: CSV, JSON, Markdown, the terminal table and SVG/PNG files."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ElementTree

import pytest
from rich.console import Console

from verifier.core.scoring import (
    ScoringOptionError,
    ScoringOptions,
    parse_snapshot,
    score,
    to_csv,
    to_json,
    to_markdown,
)
from verifier.presentation.chart import city_label, write_chart
from verifier.presentation.ranking import ranking_table

MARKUP_NAME = "[@click=app.quit]x[/]"


@pytest.fixture
def ranking(worked_example):
    return score(parse_snapshot(worked_example), ScoringOptions(uncertainty_runs=100))


@pytest.fixture
def hostile_ranking(make_doc):
    doc = make_doc(
        [("X", "only", "higher")],
        {"m": {"X": 3}, "n": {"X": 1}, "p": {"X": 2}},
        {"E": ({"only": 1}, {"X": 1})},
        cities=[
            ("m", MARKUP_NAME, "[bold]عربي[/bold]"),
            ("n", "Pipe | $x^2$ \x1b[31mred", "نص"),
            ("p", "Plain", "الرياض"),
        ],
    )
    return score(parse_snapshot(doc), ScoringOptions(uncertainty_runs=50))


def test_csv_header_and_rows(ranking):
    rows = list(csv.reader(io.StringIO(to_csv(ranking))))
    assert rows[0] == [
        "rank",
        "city_id",
        "name_en",
        "name_ar",
        "country",
        "ranked",
        "overall",
        "domain_trad",
        "domain_digi",
        "coverage",
        "indicators_with_value",
        "median_rank",
        "p5_rank",
        "p95_rank",
        "not_ranked_because",
        "hash_verified",
    ]
    assert len(rows) == 7
    assert {row[-1] for row in rows[1:]} == {"yes"}
    assert rows[1][:7] == ["1", "a", "Alpha", "ألفا", "XX", "yes", "90.625"]
    f = rows[5]
    assert f[1] == "f" and f[0] == "" and f[5] == "no" and f[8] == "" and f[9] == "0.75"


def test_json_shape(ranking):
    text = to_json(ranking)
    assert "ألفا" in text  # Arabic written as itself, not \u escapes
    data = json.loads(text)
    assert data["format"] == "verifier.ranking/1"
    assert set(data) == {
        "format",
        "edition",
        "publication",
        "options",
        "domains",
        "indicators",
        "uncertainty",
        "cities",
        "warnings",
    }
    assert data["publication"] == {
        "id": 7,
        "number": 2,
        "sha256": ranking.publication_sha256,
        "hash_verified": True,
    }
    assert data["options"]["normalisation"] == "minmax"
    assert data["uncertainty"]["runs"] == 100
    first = data["cities"][0]
    assert first["id"] == "a" and first["rank"] == 1 and first["overall"] == 90.625
    assert first["domain_scores"] == {"trad": 84.375, "digi": 100.0}
    assert set(first) >= {"median_rank", "p5_rank", "p95_rank", "coverage", "not_ranked_because"}
    assert data["cities"][-1]["ranked"] is False
    assert data["indicators"][-1] == {
        "code": "D2",
        "domain": "digi",
        "direction": "higher",
        "included": False,
        "domain_weight": pytest.approx(0.4),
        "within_domain_weight": 0.0,
        "effective_weight": 0.0,
    }
    assert data["warnings"][0]["kind"] == "indicator_left_out"


def test_markdown_table(ranking):
    text = to_markdown(ranking)
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| Rank |"))
    assert lines[header + 1].startswith("| ---: |")
    assert lines[header + 2].startswith("| 1 | Alpha | ألفا | XX | 90.62 |")
    assert "## Not ranked" in text and "| Foxtrot | فوكستروت | 75.0% |" in text
    assert "indicator D2 has the same value" in text


def test_markdown_escapes_every_syntax_character(hostile_ranking):
    text = to_markdown(hostile_ranking)
    assert "Pipe \\| $x^2$ \\[31mred" in text  # the escape character itself is gone
    assert "\\[bold\\]عربي\\[/bold\\]" in text
    assert "\x1b" not in text


def render(table) -> str:
    buffer = io.StringIO()
    Console(file=buffer, width=200, color_system=None).print(table)
    return buffer.getvalue()


def test_table_shows_markup_like_names_literally(hostile_ranking):
    text = render(ranking_table(hostile_ranking, bidi=False))
    assert MARKUP_NAME in text
    assert "[bold]عربي[/bold]" in text
    assert "\x1b" not in text  # the escape sequence in a name is not passed to the terminal
    assert "Pipe | $x^2$" in text


def test_table_lists_unranked_cities_after(ranking):
    text = render(ranking_table(ranking, bidi=False))
    assert text.index("Delta") < text.index("Foxtrot") < text.index("Echo")
    assert "no value in domain digi" in text
    assert "ألفا" in text


def test_a_piped_table_keeps_one_line_per_city_at_80_columns(ranking):
    buffer = io.StringIO()
    Console(file=buffer, width=80, color_system=None).print(ranking_table(ranking, compact=True))
    lines = buffer.getvalue().splitlines()
    assert max(len(line) for line in lines) <= 80
    [echo] = [line for line in lines if "Echo" in line]
    [foxtrot] = [line for line in lines if "Foxtrot" in line]
    assert echo.endswith("— coverage 50% < 75%")
    assert "no value in domain digi" in foxtrot
    for city in ranking.ranked:  # each ranked city on one line, its score whole
        [line] = [line for line in lines if f"{city.name_en} {city.country}" in line]
        assert f"{city.overall:.1f}" in line


def test_the_chart_is_fit_for_a_report(tmp_path, ranking):
    path = tmp_path / "ranking.svg"
    write_chart(ranking, path)
    svg = path.read_text(encoding="utf-8")
    texts = [
        "".join(node.itertext())
        for node in ElementTree.parse(path).getroot().iter()
        if node.tag.endswith("text")
    ]
    assert "<path" in svg and texts  # text is kept as text, not drawn as glyph paths
    for city in ranking.ranked:  # bilingual, with the country: same names told apart
        label = f"{city.name_en} {city.country}" + (f" · {city.name_ar}" if city.name_ar else "")
        assert label in texts
    count = len(ranking.ranked)
    assert "1" in texts and str(count) in texts  # both ends of the rank axis
    title = " ".join(t for t in texts if "runs" in t or "seed" in t)
    runs = ranking.uncertainty.runs
    assert f"over {runs:,} runs" in title and f"seed {ranking.options.seed}" in title
    assert "minmax, arithmetic" in " ".join(texts)


def test_svg_chart_is_valid_and_deterministic(tmp_path, hostile_ranking):
    first, second = tmp_path / "one.svg", tmp_path / "two.svg"
    write_chart(hostile_ranking, first)
    write_chart(hostile_ranking, second)
    root = ElementTree.parse(first).getroot()
    assert root.tag.endswith("svg")
    texts = " ".join("".join(node.itertext()) for node in root.iter())
    assert "<script" not in first.read_text(encoding="utf-8") and "\x1b" not in texts
    assert all(city_label(city) in texts for city in hostile_ranking.ranked)
    assert first.read_bytes() == second.read_bytes()


def test_png_chart(tmp_path, ranking):
    path = tmp_path / "ranking.PNG"
    write_chart(ranking, path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_chart_without_monte_carlo(tmp_path, worked_example):
    no_runs = score(parse_snapshot(worked_example), ScoringOptions(uncertainty_runs=0))
    write_chart(no_runs, tmp_path / "a.svg")
    root = ElementTree.parse(tmp_path / "a.svg").getroot()
    texts = ["".join(node.itertext()) for node in root.iter() if node.tag.endswith("text")]
    # Every ranked city still has its row, and the title claims no Monte Carlo runs.
    assert [city_label(city) for city in no_runs.ranked if city_label(city) in texts] == [
        city_label(city) for city in no_runs.ranked
    ]
    assert not any("runs" in text for text in texts)


def test_nobody_ranked(tmp_path, make_doc):
    # each city has values in one domain only, so none is ranked
    doc = make_doc(
        [("X", "dx", "higher"), ("Y", "dy", "higher")],
        {"p": {"X": 1}, "q": {"X": 2}, "r": {"Y": 1}, "s": {"Y": 3}},
        {"E": ({"dx": 1, "dy": 1}, {"X": 1, "Y": 1})},
    )
    ranking = score(parse_snapshot(doc))
    assert ranking.ranked == () and ranking.uncertainty is None
    assert [w.kind for w in ranking.warnings] == ["nothing_ranked"]
    write_chart(ranking, tmp_path / "empty.svg")
    # Each city still has its row: its one domain score (X 1..2, Y 1..3: 0 or 100), no rank.
    assert to_csv(ranking).splitlines()[1:] == [
        ",p,P,مدينة p,XX,no,,0.0,,0.5,1,,,,coverage 50% < 75%; no value in domain dy,yes",
        ",q,Q,مدينة q,XX,no,,100.0,,0.5,1,,,,coverage 50% < 75%; no value in domain dy,yes",
        ",r,R,مدينة r,XX,no,,,0.0,0.5,1,,,,coverage 50% < 75%; no value in domain dx,yes",
        ",s,S,مدينة s,XX,no,,,100.0,0.5,1,,,,coverage 50% < 75%; no value in domain dx,yes",
    ]
    assert [c["rank"] for c in json.loads(to_json(ranking))["cities"]] == [None] * 4
    assert "Not ranked" in to_markdown(ranking)
    render(ranking_table(ranking))


def test_chart_format_comes_from_the_extension(tmp_path, ranking):
    with pytest.raises(ScoringOptionError, match=r"\.svg or \.png"):
        write_chart(ranking, tmp_path / "ranking.pdf")
