"""What ``verifier items --limit 0`` writes, pinned byte for byte in every form (csv, json,
tab-separated lines when piped, a table on a terminal, bidi on and off), whole and streamed
a chunk at a time: over the hostile workspace (the expected text is in tests/data/listing)
and over a generated one of a few chunks with Arabic labels and notes (its digests)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.safety.hostile import build, invoke, isolated
from tests.scale.generated import fill
from verifier.cli.app import app
from verifier.core.review.decisions import set_status
from verifier.core.workspace import Workspace

EXPECTED = Path(__file__).resolve().parent.parent / "data" / "listing"

# name: (arguments, environment)
FORMS: dict[str, tuple[tuple[str, ...], dict[str, str]]] = {
    "csv": (("--format", "csv"), {}),
    "json": (("--format", "json"), {}),
    "piped": ((), {}),
    "terminal": ((), {"FORCE_COLOR": "1", "COLUMNS": "120"}),
    "terminal-logical": ((), {"FORCE_COLOR": "1", "COLUMNS": "120", "VERIFIER_BIDI": "off"}),
}


def _listing(db: str, form: str, monkeypatch: pytest.MonkeyPatch) -> bytes:
    args, environment = FORMS[form]
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    result = invoke(app, db, "sara", "items", "--limit", "0", *args)
    assert result.code == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("hostile-listing")
    with isolated(folder):
        return build(app, folder)


@pytest.mark.parametrize("form", list(FORMS))
@pytest.mark.parametrize("chunk", [1_000, 3], ids=["whole", "streamed"])
def test_the_hostile_listing_is_written_as_pinned(
    hostile_db: str, form: str, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("verifier.cli.streaming.CHUNK", chunk)
    # A streamed table takes its column widths from its first chunk: its own text.
    name = f"{form}-streamed" if form.startswith("terminal") and chunk == 3 else form
    expected = (EXPECTED / f"hostile-{name}.txt").read_bytes()
    assert _listing(hostile_db, form, monkeypatch) == expected


COUNT = 2_345

# sha256 of each form's bytes over the generated workspace.
DIGESTS = {
    "csv": "cc9ab038807eb8933cbba29ac213e51d5ae8ae79c32dd381690ad2a2dab58190",
    "json": "0ec48fe2c3b2aa41f4574d04c915b73ad4b280fe142f1f918290c7c2265f0518",
    "piped": "24d4b1cbe9ae39d5d7851f7e1b38e4f972574f4b7582549c6ee74b86e2f8cb71",
    "terminal": "bed2426fc31329e89eb52c0c576be42e6879c0335efdb2b26ac1209c51d75334",
    "terminal-logical": "756370efa4ec48f99f7ff475c0a9f409763cc70579d7d40a8c9b657f96662732",
}


def _generated(url: str, folder: Path) -> str:
    workspace = Workspace(url)
    workspace.initialise()
    fill(workspace, folder, COUNT)
    with workspace.session() as session:
        set_status(session, 7, "flagged", "omar", note="انظر الصفحة ٣")
        set_status(session, 1_200, "rejected", "sara", reason="=the 2019 value")
        set_status(session, 2_001, "verified", "omar")
    workspace.close()
    return url


@pytest.fixture(scope="module")
def generated_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("generated-listing")
    return _generated(f"sqlite:///{folder / 'workspace.db'}", folder)


@pytest.mark.parametrize("form", list(FORMS))
def test_a_listing_of_a_few_chunks_is_written_as_pinned(
    generated_db: str, form: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = _listing(generated_db, form, monkeypatch)
    assert written.count(b"\n") > COUNT
    assert hashlib.sha256(written).hexdigest() == DIGESTS[form]


@pytest.mark.postgres
def test_postgresql_writes_the_same_listing(
    pg_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _generated(pg_url, tmp_path)
    for form in FORMS:
        with monkeypatch.context() as patch:
            written = _listing(pg_url, form, patch)
        assert hashlib.sha256(written).hexdigest() == DIGESTS[form], form
