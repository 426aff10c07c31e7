"""``verifier source add --file`` and ``verifier source show``, and an edition folder's
documents, as a user sees them and as the database holds them."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

from sqlmodel import func, select
from typer.testing import CliRunner

from db.models import Document, DocumentChunk, Source
from tests.conftest import MINI
from tests.evidence.documents import ARABIC_PAGES, make_encrypted_pdf, make_pdf, make_scanned_pdf
from verifier.cli.app import app
from verifier.core.workspace import Workspace

runner = CliRunner()


def invoke(db: str, *args: str, user: str = "layla") -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", db, "--user", user, *args])
    return result.exit_code, result.stdout, result.stderr


def _workspace(tmp_path: Path) -> str:
    db = str(tmp_path / "w.db")
    assert invoke(db, "init")[0] == 0
    assert invoke(db, "edition", "load", str(MINI))[0] == 0
    return db


def _count(db: str, model: type) -> int:
    workspace = Workspace(f"sqlite:///{db}")
    with workspace.reading() as session:
        count = session.exec(select(func.count()).select_from(model)).one()
    workspace.close()
    return int(count)


def test_source_add_stores_the_document_and_show_describes_it(tmp_path: Path) -> None:
    db = _workspace(tmp_path)
    pdf = make_pdf(tmp_path / "telecom-ar.pdf", ARABIC_PAGES)
    code, out, err = invoke(
        db, "source", "add", "telecom-ar", "--title", "تقرير الاتصالات", "--language", "ar",
        "--file", str(pdf),
    )  # fmt: skip
    assert code == 0, err
    assert "Added source telecom-ar" in out
    assert "Stored telecom-ar.pdf: PDF, 3 pages, text extracted" in out
    pdf.unlink()  # the original is no longer needed
    code, out, err = invoke(db, "source", "show", "telecom-ar", "--format", "json")
    assert code == 0, err
    shown = json.loads(out)
    document = shown["document"]
    assert shown["title"] == "تقرير الاتصالات"
    assert (document["format"], document["unit"], document["unit_count"]) == ("pdf", "page", 3)
    assert document["stored_size"] == document["size"] > 1000
    assert document["text_state"] == "text" and document["stored_by"] == "layla"
    assert [p["number"] for p in document["pages"]] == [1, 2, 3]
    assert shown["sha256"] == document["sha256"]
    code, out, _ = invoke(db, "source", "show", "telecom-ar")
    assert code == 0
    assert "PDF, 3 pages, text extracted" in out
    assert f"{document['size']:,} bytes in the workspace" in out


def test_source_show_as_csv_gives_field_value_rows_safe_for_a_spreadsheet(tmp_path: Path) -> None:
    db = _workspace(tmp_path)
    pdf = make_pdf(tmp_path / "telecom-ar.pdf", ARABIC_PAGES)
    title = '=HYPERLINK("http://x") \x1b]0;x\x07[@click=app.quit]x[/]'
    code, _, err = invoke(
        db, "source", "add", "telecom-ar", "--title", title, "--file", str(pdf)
    )  # fmt: skip
    assert code == 0, err
    code, out, err = invoke(db, "source", "show", "telecom-ar", "--format", "csv")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["field", "value"]
    fields = dict(rows[1:])
    assert fields["key"] == "telecom-ar"
    assert fields["title"] == '\'=HYPERLINK("http://x") ]0;x[@click=app.quit]x[/]'
    assert fields["document"].startswith("PDF, 3 pages, text extracted, ")
    assert fields["document stored by"] == "layla"
    assert [name for name, _ in rows if name.startswith("page ")] == ["page 1", "page 2", "page 3"]
    assert "\x1b" not in out and "\x07" not in out
    code, out, _ = invoke(db, "source", "show", "ministry-ar", "--format", "csv")
    assert code == 0
    assert list(csv.reader(io.StringIO(out)))[-1] == ["document", "not stored"]


def test_the_edition_folder_documents_are_stored_once(tmp_path: Path) -> None:
    db = str(tmp_path / "w.db")
    assert invoke(db, "init")[0] == 0
    code, out, _ = invoke(db, "edition", "load", str(MINI))  # sources.csv names yearbook.txt
    assert code == 0 and "Documents: 1 stored, 0 already in the workspace." in out
    assert _count(db, Document) == 1
    code, out, _ = invoke(db, "source", "show", "yearbook-2023")
    assert code == 0 and "text file, 1 section, text extracted" in out
    code, out, _ = invoke(db, "edition", "load", str(MINI))
    assert code == 0 and "Documents: 0 stored, 1 already in the workspace." in out
    assert (_count(db, Document), _count(db, DocumentChunk)) == (1, 1)
    code, out, _ = invoke(db, "source", "show", "ministry-ar")
    assert code == 0 and "No document is stored for this source." in out


def test_a_scan_is_stored_and_said_to_have_no_text_layer(tmp_path: Path) -> None:
    db = _workspace(tmp_path)
    scan = make_scanned_pdf(tmp_path / "scan.pdf")
    code, out, _ = invoke(db, "source", "add", "scan", "--title", "Scan", "--file", str(scan))
    assert code == 0
    assert "no text layer" in out and "store a copy with a text layer" in out
    code, out, _ = invoke(db, "source", "show", "scan", "--format", "json")
    assert json.loads(out)["document"]["text_state"] == "no_text_layer"
    code, out, _ = invoke(db, "source", "list", "--format", "json")
    listed = {s["key"]: s["document"] for s in json.loads(out)}
    assert listed == {
        "ministry-ar": "", "scan": "pdf, 2 pages, no text layer", "yearbook-2023": "text, 1 section",
    }  # fmt: skip


def test_a_bad_document_is_a_one_line_error_and_nothing_changes(tmp_path: Path) -> None:
    db = _workspace(tmp_path)
    secret = make_encrypted_pdf(tmp_path / "secret.pdf")
    code, out, err = invoke(db, "source", "add", "secret", "--title", "S", "--file", str(secret))
    assert code == 1
    assert "secret.pdf: the PDF is encrypted" in err and "Traceback" not in err + out
    assert _count(db, Document) == 1
    workspace = Workspace(f"sqlite:///{db}")
    with workspace.reading() as session:
        assert session.exec(select(Source).where(Source.key == "secret")).first() is None
    workspace.close()


def test_the_size_limit_is_a_setting(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    db = _workspace(tmp_path)
    big = tmp_path / "big.txt"
    big.write_bytes(b"Riyadh 25.4\n" * 200_000)  # 2.4 MB
    monkeypatch.setenv("VERIFIER_MAX_DOCUMENT_MB", "2")
    code, _, err = invoke(db, "source", "add", "big", "--title", "Big", "--file", str(big))
    assert code == 1 and "larger than the 2.0 MB limit" in err


def test_an_edition_folder_with_a_bad_document_is_not_loaded(tmp_path: Path) -> None:
    folder = tmp_path / "edition"
    shutil.copytree(MINI, folder)
    make_encrypted_pdf(folder / "documents" / "locked.pdf")
    with (folder / "sources.csv").open("a", encoding="utf-8") as handle:
        handle.write("locked,Locked report,Office,en,,documents/locked.pdf,,,\n")
    db = str(tmp_path / "w.db")
    invoke(db, "init")
    code, _, err = invoke(db, "edition", "load", str(folder))
    assert code == 1
    assert (
        "source 'locked'" in err and "the PDF is encrypted" in err and "nothing was loaded" in err
    )
    assert _count(db, Document) == 0 and _count(db, Source) == 0


def test_a_fifo_in_sources_csv_is_reported_with_its_row(tmp_path: Path) -> None:
    import os

    folder = tmp_path / "edition"
    shutil.copytree(MINI, folder)
    os.mkfifo(folder / "documents" / "pipe.txt")
    with (folder / "sources.csv").open("a", encoding="utf-8") as handle:
        handle.write("pipe,Pipe,Office,en,,documents/pipe.txt,,,\n")
    db = str(tmp_path / "w.db")
    invoke(db, "init")
    code, _, err = invoke(db, "edition", "load", str(folder))
    assert code == 1
    assert "sources.csv:4: file 'documents/pipe.txt': not a regular file (a named pipe)" in err
