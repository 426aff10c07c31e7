"""A source's local file: only a regular file within the size limit is ever read (a path
swapped for a FIFO or a link to a device no longer hangs the item view and the reports), and
an edition's sources.csv cannot name documents outside the edition folder unless allowed."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from db.models import Source
from tests.conftest import MINI
from tests.review_data import import_review_items
from verifier.cli.app import app
from verifier.core.editions import load_edition
from verifier.core.editions.csvfile import EditionFileError
from verifier.core.review.itemview import load_item_view
from verifier.core.sources.files import file_state
from verifier.core.workspace import Workspace


@pytest.fixture(autouse=True)
def never_hang() -> Iterator[None]:
    """Reading a FIFO would block forever: fail the test instead of hanging the suite."""

    def hung(*_: object) -> None:
        raise AssertionError("reading the source file hung")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def _fifo(tmp_path: Path) -> Path:
    path = tmp_path / "yearbook.txt"
    os.mkfifo(path)
    return path


def test_a_fifo_a_device_and_a_huge_file_are_unreadable_without_reading(tmp_path):
    assert file_state(str(_fifo(tmp_path)), "") == ("unreadable", "")
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")
    assert file_state(str(zero), "") == ("unreadable", "")
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 2048)
    assert file_state(str(big), "", max_bytes=1024) == ("unreadable", "")
    assert file_state(str(big), "", max_bytes=4096)[0] == "ok"
    assert file_state(str(tmp_path), "") == ("unreadable", "")


@pytest.fixture
def items(workspace: Workspace, tmp_path: Path) -> Workspace:
    load_edition(workspace, MINI, "layla")
    import_review_items(workspace, tmp_path / "review.csv")
    return workspace


NOT_STORED = "f" * 64  # the sha256 of a document the workspace does not hold


def _point_source_at(workspace: Workspace, path: Path, recorded: str = NOT_STORED) -> None:
    with workspace.session() as session:
        source = session.exec(select(Source).where(Source.key == "yearbook-2023")).one()
        source.file_path = str(path)
        source.file_sha256 = recorded
        session.add(source)


def test_a_stored_document_counts_whatever_its_local_copy(tmp_path: Path) -> None:
    digest = hashlib.sha256(b"the yearbook").hexdigest()
    present = tmp_path / "yearbook.txt"
    present.write_bytes(b"the yearbook")
    assert file_state(str(present), digest, stored=True) == ("ok", digest)
    assert file_state(str(tmp_path / "gone.txt"), digest, stored=True) == ("stored", "")
    assert file_state("", digest, stored=True) == ("stored", "")
    (tmp_path / "pipe").mkdir()
    assert file_state(str(_fifo(tmp_path / "pipe")), digest, stored=True) == ("stored", "")
    present.write_bytes(b"rewritten")
    rewritten = hashlib.sha256(b"rewritten").hexdigest()
    assert file_state(str(present), digest, stored=True) == ("stored", rewritten)
    # Without a stored document the local copy is all there is.
    assert file_state(str(present), digest) == ("changed", rewritten)
    assert file_state(str(tmp_path / "gone.txt"), digest) == ("missing", "")
    # Nothing recorded, nothing that can be stored under it.
    assert file_state(str(tmp_path / "gone.txt"), "", stored=True) == ("missing", "")


@pytest.mark.parametrize("kind", ["gone", "fifo"])
def test_the_item_view_and_reports_use_the_stored_document(
    items: Workspace, tmp_path: Path, kind: str
) -> None:
    """The edition load stored the yearbook: its original path is no longer needed."""
    with items.reading() as session:
        digest = session.exec(select(Source).where(Source.key == "yearbook-2023")).one()
        recorded = digest.file_sha256
    target = _fifo(tmp_path) if kind == "fifo" else tmp_path / "moved-away.txt"
    _point_source_at(items, target, recorded)
    with items.reading() as session:
        source = load_item_view(session, 2).source
    assert (source.file_state, source.file_problem) == ("stored", None)
    db = ["--db", items.url, "--user", "sara"]
    shown = CliRunner().invoke(app, [*db, "item", "show", "2"], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    assert "stored in the workspace" in shown.stdout and "missing" not in shown.stdout


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_item_show_and_reports_do_not_hang(items: Workspace, tmp_path: Path, kind: str) -> None:
    if kind == "fifo":
        swapped = _fifo(tmp_path)
    else:
        swapped = tmp_path / "yearbook.txt"
        swapped.symlink_to("/dev/zero")
    _point_source_at(items, swapped)
    with items.reading() as session:
        source = load_item_view(session, 2).source
    assert source.file_state == "unreadable"
    assert "cannot be read (not a regular file" in (source.file_problem or "")
    db = ["--db", items.url, "--user", "sara"]
    shown = CliRunner().invoke(app, [*db, "item", "show", "2"], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    assert "cannot be read" in shown.stdout
    report = CliRunner().invoke(
        app, [*db, "report", "provenance", "--item", "2", "--format", "csv"]
    )
    assert report.exit_code == 0, report.output
    # Nothing is published yet: the item's row says why, and that its file cannot be read.
    [row] = csv.DictReader(io.StringIO(report.stdout))
    assert (row["item_id"], row["source_file_state"]) == ("2", "unreadable")
    assert row["not_published_because"] == (
        "nothing has been published in this edition yet; its status is unverified"
    )


# sources.csv confined to the edition folder ------------------------------------------------


def _edition_with_file(tmp_path: Path, file_cell: str) -> Path:
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    sources = folder / "sources.csv"
    text = sources.read_text(encoding="utf-8")
    sources.write_text(text.replace("documents/yearbook.txt", file_cell, 1), encoding="utf-8")
    return folder


def test_a_document_outside_the_folder_is_refused(workspace: Workspace, tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the edition", encoding="utf-8")
    folder = _edition_with_file(tmp_path, "../secret.txt")
    with pytest.raises(EditionFileError) as error:
        load_edition(workspace, folder, "layla")
    message = str(error.value)
    assert f"{folder / 'sources.csv'}:2:" in message
    assert f"file '../secret.txt' is outside the edition folder ({secret})" in message
    assert "--allow-outside-files" in message
    with workspace.reading() as session:
        assert session.exec(select(Source)).all() == []  # nothing half-written


def test_an_absolute_path_and_a_link_out_are_refused_too(workspace: Workspace, tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the edition", encoding="utf-8")
    folder = _edition_with_file(tmp_path, str(secret))
    with pytest.raises(EditionFileError, match="is outside the edition folder"):
        load_edition(workspace, folder, "layla")
    shutil.rmtree(folder)
    folder = _edition_with_file(tmp_path, "documents/link.txt")
    (folder / "documents" / "link.txt").symlink_to(secret)
    with pytest.raises(EditionFileError, match=r"'documents/link\.txt' is outside the edition"):
        load_edition(workspace, folder, "layla")


def test_outside_files_when_allowed(workspace: Workspace, tmp_path: Path):
    secret = tmp_path / "shared.txt"
    secret.write_text("a document shared by several editions", encoding="utf-8")
    folder = _edition_with_file(tmp_path, "../shared.txt")
    db = ["--db", workspace.url, "--user", "layla"]
    refused = CliRunner().invoke(app, [*db, "edition", "load", str(folder)])
    assert refused.exit_code == 1 and "is outside the edition folder" in refused.stderr
    loaded = CliRunner().invoke(app, [*db, "edition", "load", str(folder), "--allow-outside-files"])
    assert loaded.exit_code == 0, loaded.output
    with workspace.reading() as session:
        source = session.exec(select(Source).where(Source.key == "yearbook-2023")).one()
    assert source.file_path == "shared.txt"  # its name: where it was is nobody's business
