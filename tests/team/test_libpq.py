"""Connections follow libpq's conventions: a service from pg_service.conf (or PGSERVICE),
with sslmode, and no password on the command line or in the config."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from verifier.cli.app import app


def test_a_service_names_the_server_database_and_schema(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = make_url(pg_url)
    service = tmp_path / "pg_service.conf"
    service.write_text(
        "[rankings]\n"
        f"host={url.host}\nport={url.port or 5432}\nuser={url.username}\n"
        f"dbname={url.database}\nsslmode=disable\noptions={url.query['options']}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("PGSERVICEFILE", str(service))
    runner = CliRunner()
    result = runner.invoke(app, ["--db", "postgresql:///?service=rankings", "init"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Created workspace postgresql+psycopg:///?service=rankings")
    monkeypatch.setenv("PGSERVICE", "rankings")
    result = runner.invoke(app, ["--db", "postgresql://", "edition", "list"])
    assert result.exit_code == 0, result.stderr
