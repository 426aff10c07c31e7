"""The GAZ / QUERIES / RESULTS file contract and ``verifier match`` on the command line."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from verifier.core.errors import InputFileError
from verifier.core.matching import (
    GazetteerFileError,
    Matcher,
    QueryFileError,
    load_gazetteer_csv,
    read_queries_csv,
    write_results_csv,
)

GAZ_HEADER = "id,name_en,name_ar,country,aliases\n"
GAZ = (
    GAZ_HEADER
    + "sa-riyadh,Riyadh,الرياض,SA,Ar Riyāḍ|Er Riad\n"
    + "lb-tripoli,Tripoli,طرابلس,LB,Trablous\n"
    + "ly-tripoli,Tripoli,طرابلس,LY,Tarabulus al Gharb\n"
    + "eg-cairo,Cairo,,EG,\n"
)


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


@pytest.fixture
def gazetteer(tmp_path: Path) -> Path:
    return _write(tmp_path / "gaz.csv", GAZ)


@pytest.fixture
def app() -> typer.Typer:
    from verifier.cli.app import app as root  # the program's own app, `match` included

    return root


def test_gazetteer_loads(gazetteer: Path) -> None:
    entries = load_gazetteer_csv(gazetteer)
    assert [e.city_id for e in entries] == ["sa-riyadh", "lb-tripoli", "ly-tripoli", "eg-cairo"]
    assert entries[0].aliases == ("Ar Riyāḍ", "Er Riad")
    assert entries[3].name_ar == "" and entries[3].aliases == ()


def test_gazetteer_with_bom_and_utf16(tmp_path: Path) -> None:
    assert len(load_gazetteer_csv(_write(tmp_path / "a.csv", GAZ, "utf-8-sig"))) == 4
    tabbed = GAZ.replace(",", "\t")
    assert len(load_gazetteer_csv(_write(tmp_path / "b.txt", tabbed, "utf-16"))) == 4


@pytest.mark.parametrize(
    ("content", "row", "problem"),
    [
        ("id,name,country\nx,Riyadh,SA\n", 1, "wrong header"),
        (GAZ_HEADER + ",Riyadh,الرياض,SA,\n", 2, "missing id"),
        (GAZ_HEADER + "a,Riyadh,,SA,\nb,Jeddah,,SA,\na,Dammam,,SA,\n", 4, "duplicate id 'a'"),
        (GAZ_HEADER + "a,Riyadh,,SA,\nb,,,SA,x\n", 3, "neither name_en nor name_ar"),
        (GAZ_HEADER + "a,Riyadh,,Saudi,\n", 2, "not an ISO 3166-1 alpha-2"),
        (GAZ_HEADER + "a,Riyadh,,XX,\n", 2, "not an ISO 3166-1 alpha-2"),
        (GAZ_HEADER + "a,Riyadh,,SA\n", 2, "has 4 fields, the header has 5"),
        (GAZ_HEADER + 'a,"Riyadh,,SA,\n', 2, "not well-formed"),
        ("", 1, "is empty"),
    ],
)
def test_bad_gazetteer_names_file_row_and_problem(
    tmp_path: Path, content: str, row: int, problem: str
) -> None:
    path = _write(tmp_path / "bad.csv", content)
    with pytest.raises(GazetteerFileError) as caught:
        load_gazetteer_csv(path)
    message = str(caught.value)
    assert str(path) in message and f"row {row}" in message and problem in message
    assert isinstance(caught.value, InputFileError)


def test_undecodable_gazetteer(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes((GAZ_HEADER + "a,Riyadh,,SA,\nb,Sal\xe9,,MA,\n").encode("latin-1"))
    with pytest.raises(GazetteerFileError, match=r"row 3: is not valid UTF-8"):
        load_gazetteer_csv(path)


def test_missing_gazetteer(tmp_path: Path) -> None:
    with pytest.raises(GazetteerFileError, match="no such file"):
        load_gazetteer_csv(tmp_path / "nope.csv")


def test_queries_and_results_round_trip(tmp_path: Path, gazetteer: Path) -> None:
    queries_path = _write(
        tmp_path / "q.csv",
        "query_id,name,country\nq1,ضايرلا,sa\nq2,Tarabulus,\nq3,???,\nq4,Zzzq,\n",
    )
    queries = read_queries_csv(queries_path)
    assert [(q.query_id, q.country) for q in queries][:3] == [
        ("q1", "SA"),
        ("q2", None),
        ("q3", None),
    ]
    matcher = Matcher.from_entries(load_gazetteer_csv(gazetteer))
    results = matcher.match_many([(q.name, q.country) for q in queries], top=2)
    out = tmp_path / "r.csv"
    write_results_csv(out, [(q.query_id, r) for q, r in zip(queries, results, strict=True)], 2)
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0] == ["query_id", "rank", "city_id", "score", "band"]
    assert rows[1][:3] == ["q1", "1", "sa-riyadh"] and rows[1][4] == "auto"
    assert {tuple(r[:3]) for r in rows if r[0] == "q2"} == {
        ("q2", "1", "lb-tripoli"),
        ("q2", "2", "ly-tripoli"),
    }
    assert all(r[4] == "review" for r in rows if r[0] == "q2")
    assert [r for r in rows if r[0] == "q3"] == [["q3", "1", "", "0.00", "none"]]
    assert all(r[4] == "none" for r in rows if r[0] == "q4")


@pytest.mark.parametrize(
    ("content", "row", "problem"),
    [
        ("id,name,country\nq1,Riyadh,\n", 1, "wrong header"),
        ("query_id,name,country\n,Riyadh,SA\n", 2, "missing query_id"),
        ("query_id,name,country\nq1,Riyadh,\nq1,Jeddah,\n", 3, "duplicate query_id 'q1'"),
        ("query_id,name,country\nq1,Riyadh,KSA\n", 2, "not an ISO 3166-1 alpha-2"),
        ("query_id,name,country\nq1,Riyadh\n", 2, "has 2 fields, the header has 3"),
        ("query_id,name,country\nq1,,SA\n", 2, "empty name"),
    ],
)
def test_bad_queries_name_file_row_and_problem(
    tmp_path: Path, content: str, row: int, problem: str
) -> None:
    path = _write(tmp_path / "q.csv", content)
    with pytest.raises(QueryFileError) as caught:
        read_queries_csv(path)
    assert str(path) in str(caught.value) and f"row {row}" in str(caught.value)
    assert problem in str(caught.value)


def test_cli_single_name(app: typer.Typer, gazetteer: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["match", "ﺍﻟﺮﻳﺎﺽ", "--country", "SA", "--top", "2", "--gazetteer", str(gazetteer)],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    for text in ("rank", "city id", "explanation", "sa-riyadh", "Riyadh", "auto", "100.0"):
        assert text in result.output


def test_cli_single_name_ambiguous(app: typer.Typer, gazetteer: Path) -> None:
    result = CliRunner().invoke(
        app, ["match", "Tarabulus", "--gazetteer", str(gazetteer)], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    assert "review" in result.output and "lb-tripoli" in result.output


def test_cli_batch(app: typer.Typer, gazetteer: Path, tmp_path: Path) -> None:
    queries = _write(tmp_path / "q.csv", "query_id,name,country\n1,Er Riad,SA\n2,Tarabulus,LY\n")
    out = tmp_path / "r.csv"
    result = CliRunner().invoke(
        app,
        [
            "match",
            "--gazetteer",
            str(gazetteer),
            "--input",
            str(queries),
            "--output",
            str(out),
            "--top",
            "3",
        ],
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "query_id,rank,city_id,score,band"
    assert "1,1,sa-riyadh," in text and "2,1,ly-tripoli," in text


def test_cli_bad_files_exit_non_zero_with_file_and_row(
    app: typer.Typer, gazetteer: Path, tmp_path: Path
) -> None:
    bad_gaz = _write(tmp_path / "bad-gaz.csv", GAZ + "sa-riyadh,Again,,SA,\n")
    result = CliRunner().invoke(app, ["match", "Riyadh", "--gazetteer", str(bad_gaz)])
    # docs/matching.md: exit status 1, the file, the row (the header is row 1), the problem
    assert result.exit_code == 1
    assert f"error: {bad_gaz}, row 6: duplicate id 'sa-riyadh' (first on row 2)" in result.output
    bad_queries = _write(tmp_path / "q.csv", "query_id,name,country\n1,Riyadh,Saudi\n")
    result = CliRunner().invoke(
        app,
        [
            "match",
            "--gazetteer",
            str(gazetteer),
            "--input",
            str(bad_queries),
            "--output",
            str(tmp_path / "r.csv"),
        ],
    )
    assert result.exit_code == 1
    assert f"error: {bad_queries}, row 2: " in result.output


def test_cli_usage_errors(app: typer.Typer, gazetteer: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    # A usage error exits with status 2 and says what to give instead.
    nothing = runner.invoke(app, ["match", "--gazetteer", str(gazetteer)])
    assert nothing.exit_code == 2
    assert "give a NAME to match, or --input QUERIES.csv with --output" in nothing.output
    queries = _write(tmp_path / "q.csv", "query_id,name,country\n1,Riyadh,\n")
    no_output = runner.invoke(
        app, ["match", "--gazetteer", str(gazetteer), "--input", str(queries)]
    )
    assert no_output.exit_code == 2
    assert "Invalid value for --output: --input needs --output RESULTS.csv" in no_output.output
    bad_hint = runner.invoke(
        app, ["match", "Riyadh", "--country", "Saudi", "--gazetteer", str(gazetteer)]
    )
    assert bad_hint.exit_code == 2
    assert "--country: 'Saudi' is not an ISO 3166-1 alpha-2 country code" in bad_hint.output
    # A missing file is a bad input file (status 1), not a usage error.
    absent = tmp_path / "none.csv"
    missing = runner.invoke(app, ["match", "Riyadh", "--gazetteer", str(absent)])
    assert (missing.exit_code, missing.output) == (1, f"error: {absent}: no such file\n")
