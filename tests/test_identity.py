"""Who is acting on a SQLite workspace: registered names only, no lookalikes, the first
person bootstraps as lead, and role grants, edition loads and source changes are audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import col, select
from typer.testing import CliRunner

from db.models import ReviewEvent
from tests.conftest import MINI
from verifier.cli.app import app
from verifier.core.errors import InvalidActionError
from verifier.core.people.names import close_matches, normalise_name, skeleton
from verifier.core.workspace import Workspace

runner = CliRunner()


def run(db: str, *args: str, user: str | None = "layla") -> tuple[int, str, str]:
    options = ["--db", db] + (["--user", user] if user is not None else [])
    result = runner.invoke(app, [*options, *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'w.db'}"
    assert run(url, "init")[0] == 0
    code, _, err = run(url, "edition", "load", str(MINI))
    assert code == 0, err
    return url


def events(db: str, action: str) -> list[ReviewEvent]:
    workspace = Workspace(db)
    with workspace.reading() as session:
        rows = session.exec(
            select(ReviewEvent).where(ReviewEvent.action == action).order_by(col(ReviewEvent.seq))
        ).all()
    workspace.close()
    return list(rows)


def test_the_first_person_bootstraps_as_lead(db: str) -> None:
    grants = [(e.actor, e.payload) for e in events(db, "role_grant")]
    assert grants[0] == ("layla", {"reviewer": "layla", "old_role": None, "new_role": "lead"})
    assert ("layla", {"reviewer": "omar", "old_role": None, "new_role": "assistant"}) in grants
    [load] = events(db, "edition_load")
    assert load.actor == "layla" and load.payload["created"] is True
    assert load.payload["changes"]["cities"] == {"added": 4, "changed": 0, "removed": 0}


def test_an_unknown_name_is_refused_with_close_matches(db: str) -> None:
    code, _, err = run(db, "item", "note", "1", "x", user="omr")
    assert code == 1
    assert "'omr' is not a reviewer of this workspace. Did you mean: omar?" in err


def test_a_lookalike_name_is_refused(db: str) -> None:
    code, _, err = run(db, "item", "note", "1", "x", user="lаyla")  # Cyrillic а
    assert code == 1
    assert "it looks like 'layla' but is spelled with other characters" in err
    code, _, err = run(db, "reviewer", "add", "0mar", "--role", "assistant")
    assert code == 1 and "looks like the existing reviewer 'omar'" in err


def test_invisible_and_bidi_characters_are_refused(db: str) -> None:
    for name in ("layla\u200b", "la\u202eyla", "nour\u3164", "a b"):
        code, _, err = run(db, "reviewer", "add", name, "--role", "assistant")
        assert code == 1 and "invisible, a control or a space" in err, name
    with pytest.raises(InvalidActionError):
        normalise_name("\u2800")


def test_names_are_nfkc_and_skeletons_fold_lookalikes() -> None:
    assert normalise_name("ｒａｎｉａ") == "rania"
    assert skeleton("rаnia.haddad") == skeleton("rania.haddad")
    assert skeleton("0mar") == skeleton("omar") != skeleton("omer")
    assert close_matches("nour", ["nour.aziz", "omar", "layla"]) == ["nour.aziz"]


def test_assistants_cannot_load_editions_or_change_sources(db: str) -> None:
    code, _, err = run(db, "edition", "load", str(MINI), user="omar")
    assert code == 1 and "loading an edition needs the lead role; 'omar' is an assistant" in err
    code, _, err = run(db, "source", "add", "new-src", "--title", "T", user="omar")
    assert code == 1 and "adding or changing a source needs the lead role" in err


def test_role_and_source_changes_are_audited(db: str) -> None:
    assert run(db, "reviewer", "add", "omar", "--role", "lead")[0] == 0
    assert run(db, "source", "add", "yearbook-2023", "--title", "Renamed")[0] == 0
    grant = events(db, "role_grant")[-1]
    assert (grant.actor, grant.edition_id, grant.payload) == (
        "layla", None, {"reviewer": "omar", "old_role": "assistant", "new_role": "lead"},
    )  # fmt: skip
    [change] = events(db, "source_change")
    # `source add` on an existing key replaces its metadata: everything not given is cleared.
    assert change.actor == "layla" and change.edition_id is None
    assert change.payload["changed"] == [
        "language", "published_on", "publisher", "retrieved_on", "title", "url",
    ]  # fmt: skip
    assert change.payload["before"]["title"] == "Statistical Yearbook 2023"
    assert change.payload["before"]["publisher"] == "National Statistics Office"
    assert change.payload["after"]["title"] == "Renamed"
    code, out, _ = run(db, "edition", "load", str(MINI))
    assert code == 0 and "Changed:" in out  # the folder's title and omar's role come back


@pytest.mark.parametrize("command", [("import", "items.csv"), ("batches",), ("status",)])
def test_an_older_schema_is_reported_before_an_unknown_name(
    db: str, tmp_path: Path, command: tuple[str, ...]
) -> None:
    """The upgrade the workspace needs comes first, whoever runs the command: the name
    can only be checked against the reviewers of a workspace at the current schema."""
    (tmp_path / "items.csv").write_text("city,indicator,value\n", encoding="utf-8")
    with Workspace(db).engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0009'"))
    args = [str(tmp_path / part) if part.endswith(".csv") else part for part in command]
    code, _, err = run(db, *args, user="nobody")
    assert code != 0
    assert "has schema 0009" in err and "verifier init" in err, err
    assert "not a reviewer" not in err
