"""``verifier backup DEST``: a consistent copy of a live SQLite workspace, WAL included."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from verifier.cli.app import app


def _backup(url: str, *args: str):
    return CliRunner().invoke(app, ["--db", url, "--user", "layla", "backup", *args])


def _db_file(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def test_the_copy_holds_what_is_still_in_the_wal(mini, tmp_path):
    source = _db_file(mini.url)
    mini.engine.dispose()
    # Another program holds the workspace open with a committed write that is still only
    # in the write-ahead log: a plain file copy would miss it.
    writer = sqlite3.connect(source)
    try:
        assert writer.execute("pragma journal_mode").fetchone()[0] == "wal"
        writer.execute("pragma wal_autocheckpoint=0")
        writer.execute("update city set name_en = 'Riyadh (renamed)' where id = 'sa-riyadh'")
        writer.commit()
        assert Path(f"{source}-wal").stat().st_size > 0
        plain = tmp_path / "plain-copy.db"
        plain.write_bytes(source.read_bytes())
        destination = tmp_path / "backup.db"
        result = _backup(mini.url, str(destination))
    finally:
        writer.close()
    assert result.exit_code == 0, result.output
    assert f"Backed up {source} to {destination}" in result.stdout
    assert "passed the integrity check" in result.stdout
    copy = sqlite3.connect(destination)
    try:
        assert copy.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert copy.execute("pragma journal_mode").fetchone()[0] == "delete"
        name = "select name_en from city where id = 'sa-riyadh'"
        assert copy.execute(name).fetchone()[0] == "Riyadh (renamed)"
        assert copy.execute("select count(*) from city").fetchone()[0] == 4
    finally:
        copy.close()
    stale = sqlite3.connect(plain)
    try:
        assert stale.execute(name).fetchone()[0] != "Riyadh (renamed)"
    finally:
        stale.close()
    assert not Path(f"{destination}-wal").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_the_copy_opens_as_a_workspace(mini, tmp_path):
    destination = tmp_path / "backup.db"
    assert _backup(mini.url, str(destination)).exit_code == 0
    result = CliRunner().invoke(app, ["--db", f"sqlite:///{destination}", "status"])
    assert result.exit_code == 0, result.output


def test_an_existing_file_needs_force_and_the_workspace_is_never_the_target(mini, tmp_path):
    destination = tmp_path / "backup.db"
    destination.write_text("precious", encoding="utf-8")
    result = _backup(mini.url, str(destination))
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"error: {destination} already exists (a file); add --force to replace it"
    )
    assert destination.read_text(encoding="utf-8") == "precious"
    assert _backup(mini.url, str(destination), "--force").exit_code == 0
    assert destination.read_bytes().startswith(b"SQLite format 3\x00")
    itself = _backup(mini.url, str(_db_file(mini.url)), "--force")
    assert itself.exit_code == 1 and "is the workspace itself" in itself.stderr


def test_a_missing_folder_or_workspace_is_one_line(mini, tmp_path):
    result = _backup(mini.url, str(tmp_path / "missing" / "backup.db"))
    assert result.exit_code == 1 and "does not exist" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    absent = f"sqlite:///{tmp_path / 'absent.db'}"
    result = _backup(absent, str(tmp_path / "backup.db"))
    assert result.exit_code == 1
    assert "no workspace at" in result.stderr and "nothing to back up" in result.stderr
    assert not (tmp_path / "absent.db").exists()


def test_postgresql_is_refused_with_the_pg_dump_command(tmp_path):
    url = "postgresql+psycopg://alice:secret@db.example:5432/las"
    result = _backup(url, str(tmp_path / "backup.db"))
    assert result.exit_code == 1
    message = result.stderr.strip()
    assert message.startswith("error: verifier backup copies SQLite workspaces")
    assert "pg_dump --format=custom --file=verifier.dump" in message
    assert "postgresql://alice:***@db.example:5432/las" in message
    assert "secret" not in message
    assert "pg_restore" in message
    assert not (tmp_path / "backup.db").exists()


def test_a_plain_path_names_the_workspace_as_the_readme_shows(mini, tmp_path):
    """``verifier --db las.db backup DEST`` (or VERIFIER_DB=las.db): a path, not a URL."""
    destination = tmp_path / "backup.db"
    result = _backup(str(_db_file(mini.url)), str(destination))
    assert result.exit_code == 0, result.output
    assert destination.read_bytes().startswith(b"SQLite format 3\x00")
    result = CliRunner().invoke(app, ["--db", str(destination), "status"])
    assert result.exit_code == 0, result.output
