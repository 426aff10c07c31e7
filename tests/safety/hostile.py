"""A workspace whose every text field is hostile: console markup, ANSI and OSC sequences,
C1 controls, spreadsheet formulas, HTML and bidi overrides, built through the real command
line (and, for what imports now refuse, written the way an older workspace holds it)."""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import typer
from sqlalchemy import text
from typer.testing import CliRunner

from db.models import ImportBatch
from tests.conftest import MINI
from tests.planted import import_planted
from verifier.core.evidence.results import Scope, run_check
from verifier.core.importing import ImportOptions
from verifier.core.workspace import Workspace

MARKUP = "[@click=app.quit]x[/]"
OSC = "\x1b]0;x\x07"
CSI = "\x1b[2J"
C1 = "\x9b2J"
IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(1)</script>"
BIDI = "\u202eevil\u2066"
# Each field starts with another spreadsheet formula (or a tab or CR before one).
FORMULAS = ('=HYPERLINK("http://x","y")', "+1", "@x", "-1", "\t=1", "\r=1")


def hostile(field: str, index: int = 0) -> str:
    """Everything at once, named after the field it is stored in."""
    start = FORMULAS[index % len(FORMULAS)]
    return f"{start} {field} {MARKUP} {OSC}{CSI}{C1} {IMG} {SCRIPT} {BIDI}"


def printable(field: str, index: int = 0) -> str:
    """What imports accept today: the same without C0/C1 controls and bidi overrides."""
    start = FORMULAS[index % len(FORMULAS)].strip()
    return f"{start} {field} {MARKUP} {IMG} {SCRIPT}"


runner = CliRunner()


@dataclass
class Result:
    code: int
    stdout: bytes
    stderr: bytes


def invoke(app: typer.Typer, db: str, user: str, *args: str) -> Result:
    result = runner.invoke(app, ["--db", db, "--user", user, *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Result(result.exit_code, result.stdout_bytes, result.stderr_bytes)


def _must(result: Result, what: str) -> Result:
    assert result.code == 0, f"{what}: {result.stdout!r} {result.stderr!r}"
    return result


def write_edition(folder: Path) -> Path:
    """The mini edition with hostile names, units, titles and display names."""
    shutil.copytree(MINI, folder)
    (folder / "edition.toml").write_text(
        'code = "mini"\n'
        f"name = {json.dumps(hostile('edition name'))}\n"
        f"name_ar = {json.dumps(hostile('edition name_ar', 1))}\n"
        f"description = {json.dumps(hostile('edition description', 2))}\n",
        encoding="utf-8",
    )
    _rewrite(folder / "cities.csv", {"name_en": "city name_en", "name_ar": "city name_ar"})
    _rewrite(folder / "domains.csv", {"name_en": "domain name_en", "name_ar": "domain name_ar"})
    _rewrite(folder / "indicators.csv", {"name_en": "indicator name", "description": "descr"})
    _rewrite(folder / "experts.csv", {"name": "expert name", "affiliation": "affiliation"})
    _rewrite(folder / "sources.csv", {"title": "source title", "publisher": "publisher"})
    _rewrite(folder / "reviewers.csv", {"display_name": "reviewer name"})
    document = folder / "documents" / "yearbook.txt"
    document.write_text(
        document.read_text(encoding="utf-8") + f"\n{hostile('document text')}\n", encoding="utf-8"
    )
    return folder


def _rewrite(path: Path, columns: dict[str, str]) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for index, row in enumerate(rows):
        for column, field in columns.items():
            row[column] = hostile(f"{field} {index}", index)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def write_items(folder: Path) -> Path:
    """Items in every shape the review needs, and rows the import refuses, in a file whose
    very name is hostile."""
    from tests.importing_helpers import row, write_csv

    p = printable
    rows = [
        # 1 and 2: the same city, indicator and year, two values: a conflict once matched.
        row(p("label"), "TRD-WATER", "55", "", "2023", "yearbook-2023", p("locator"),
            p("snippet"), extractor=p("extractor", 1)),
        row("Ar Riyāḑ", "TRD-WATER", "60", "", "2023", "ministry-ar", p("locator", 2),
            p("snippet", 3), language="ar"),
        row("Ar Riyāḑ", "DIG-BROADBAND", "1,234 Mbps", "", "2023", "yearbook-2023", "p. 40",
            p("snippet", 4)),
        row("Tarabulus", "TRD-DEATHS", "12.5", "per 100k", "2022", "yearbook-2023", "p. 7",
            p("snippet", 5), country="LY"),
        row("Cairo", "TRD-WATER", "70", "", "2023", "yearbook-2023", "p. 8", p("snippet", 0),
            country="EG"),
        row("Cairo", "DIG-BROADBAND", "500", "", "2023", "yearbook-2023", "p. 9",
            p("snippet", 1), country="EG"),
        row("Cairo", "TRD-DEATHS", "9", "", "2022", "yearbook-2023", "p. 10", p("snippet", 2),
            country="EG"),
        row("Riyadh", "TRD-DEATHS", "7", "", "2022", "yearbook-2023", "p. 11", p("snippet", 3)),
        # Refused: an unknown indicator and a value that is no number, both quoted back.
        row(hostile("rejected label"), hostile("unknown indicator", 1), "5", "", "2023"),
        row("Riyadh", "TRD-WATER", hostile("bad value", 2), "", "2021"),
    ]  # fmt: skip
    return write_csv(folder / f"items {hostile('file name', 3).replace('/', '')}.csv", rows)


# Columns an older workspace may hold raw (imports now refuse controls in a cell).
RAW_COLUMNS = {
    "raw_label": "label",
    "snippet": "snippet",
    "locator": "locator",
    "extractor": "extractor",
    "source_url": "url",
}


@contextmanager
def isolated(folder: Path) -> Iterator[None]:
    """No developer's config or saved state while a module's workspace is built in
    ``folder`` (module fixtures run outside the isolation each test gets)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("VERIFIER_CONFIG", str(folder / "no-config.toml"))
        patch.setenv("VERIFIER_STATE_DIR", str(folder / "state"))
        yield


def build(app: typer.Typer, folder: Path) -> str:
    """The hostile workspace: two publications, a resolved conflict, a sprint, a QA sample
    with a second review and an adjudication, notes, reasons and a changed source."""
    db = f"sqlite:///{folder / 'hostile.db'}"
    lead, omar, sara = "layla", "omar", "sara"

    def run(user: str, *args: str) -> Result:
        return _must(invoke(app, db, user, *args), " ".join(args))

    run(lead, "init")
    run(lead, "edition", "load", str(write_edition(folder / "edition")))
    _import_with_raw_text(db, write_items(folder), omar)
    for item, city in ((1, "sa-riyadh"), (2, "sa-riyadh"), (3, "sa-riyadh"),
                       (4, "ly-tripoli"), (5, "eg-cairo"), (6, "eg-cairo"), (7, "eg-cairo"),
                       (8, "sa-riyadh")):  # fmt: skip
        run(omar, "item", "match", str(item), "--city", city, "--note", hostile("match note"))
    run(omar, "item", "set-status", "1", "2", "3", "4", "5", "--status", "verified",
        "--note", hostile("verify note", 1))  # fmt: skip
    run(omar, "item", "set-status", "6", "--status", "flagged", "--note", hostile("flag", 2))
    run(sara, "item", "set-status", "7", "--status", "rejected", "--reason", hostile("reason"))
    run(sara, "item", "note", "8", "--", hostile("item note", 3))
    run(lead, "conflict", "resolve", "1", "--reason", hostile("conflict reason", 4))
    run(lead, "publish", "--note", hostile("publication note", 5))
    run(lead, "sprint", "create", hostile("sprint name").replace(",", ";"),
        "--start", "2026-01-01", "--end", "2036-01-01", "--assign", "omar,sara")  # fmt: skip
    run(lead, "qa", "sample", "--size", "3", "--seed", "7", "--assign", "omar,sara")
    _second_reviews(app, db)
    run(lead, "source", "add", "yearbook-2023", "--title", hostile("changed title", 1),
        "--publisher", hostile("changed publisher", 2))  # fmt: skip
    run(omar, "item", "set-status", "8", "--status", "verified", "--note", hostile("late", 3))
    run(lead, "publish", "--note", hostile("second publication note", 4))
    run(lead, "reviewer", "add", "nadia", "--role", "assistant", "--name", hostile("name"))
    _store_raw_evidence(db)
    return db


def _store_raw_evidence(db: str) -> None:
    """Evidence check results with hostile text where a workspace could hold it: who ran
    the check and the check's version (which also makes the result stale, so reports quote
    it in their explanation). Last, so that no later command recomputes them."""
    workspace = Workspace(db)
    try:
        with workspace.session() as session:
            session.execute(
                text(
                    "UPDATE evidence_check SET checked_by = :checker, method = :method "
                    "WHERE item_id IN (1, 2)"
                ),
                {"checker": hostile("raw checker", 2), "method": hostile("raw method", 3)},
            )
    finally:
        workspace.close()


def _import_with_raw_text(db: str, path: Path, user: str) -> None:
    """The items, with the text of items 1 and 2 as a workspace imported before the stricter
    import may hold it (the import digests cover it: the audit trail is intact), and their
    evidence check, as the `import` command runs it."""
    workspace = Workspace(db)
    try:
        raw = {column: hostile(f"raw {field}", 1) for column, field in RAW_COLUMNS.items()}
        options = ImportOptions(user, auto_match=False)
        batch_id = import_planted(workspace, path, options, {1: raw, 2: raw})
        with workspace.reading() as session:
            batch = session.get(ImportBatch, batch_id)
            assert batch is not None
        run_check(workspace, Scope(batch.edition_id, batch_id=batch_id), user)  # as `import` does
    finally:
        workspace.close()


def _second_reviews(app: typer.Typer, db: str) -> None:
    """Each sampled item reviewed by its second reviewer, disagreeing with a hostile reason;
    the lead adjudicates the first disagreement."""
    from sqlmodel import select

    from db.models import QaSampleItem

    workspace = Workspace(db)
    try:
        with workspace.reading() as session:
            drawn = [(a.item_id, a.second_reviewer) for a in session.exec(select(QaSampleItem))]
    finally:
        workspace.close()
    for index, (item_id, reviewer) in enumerate(drawn):
        _must(
            invoke(app, db, reviewer, "qa", "review", str(item_id), "--status", "rejected",
                   "--reason", hostile("qa reason", index), "--note", hostile("qa note")),
            "qa review",
        )  # fmt: skip
    item_id = drawn[0][0]
    _must(
        invoke(app, db, "layla", "qa", "adjudicate", str(item_id), "--status", "verified",
               "--reason", hostile("adjudication", 2), "--note", hostile("adjudication note")),
        "qa adjudicate",
    )  # fmt: skip
