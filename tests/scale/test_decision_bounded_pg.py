"""On PostgreSQL too, one decision issues the same statements in a workspace ten times
larger, and the progress counts read the tally: the proof of tests/scale/
test_decision_bounded.py, run against the server a team uses (each size in its own
schema, dropped afterwards)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import _pg_unavailable, _pg_url
from tests.scale.generated import fill
from tests.scale.test_decision_bounded import LARGE, SMALL, Work, _measure
from verifier.core.review import itemview
from verifier.core.workspace import Workspace

pytestmark = pytest.mark.postgres


@contextmanager
def _schema() -> Iterator[str]:
    """A URL whose search_path is a new schema; the schema is dropped on leaving."""
    schema = f"t_scale_{uuid.uuid4().hex[:12]}"
    base = make_url(_pg_url()).set(drivername="postgresql+psycopg")
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = base.update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[int, tuple[Work, Work]]]:
    reason = _pg_unavailable()
    if reason is not None:
        if os.environ.get("VERIFIER_REQUIRE_PG"):
            pytest.fail(f"VERIFIER_REQUIRE_PG is set but {reason}")
        pytest.skip(f"{reason}; set VERIFIER_TEST_PG to run the PostgreSQL tests")
    patch = pytest.MonkeyPatch()
    for name in ("SIBLINGS_COUNTED", "SAME_LABEL_COUNTED", "SIBLINGS_SHOWN"):
        patch.setattr(itemview, name, 4)  # as in the SQLite test: both sizes pass the cap
    results = {}
    try:
        for count in (SMALL, LARGE):
            folder: Path = tmp_path_factory.mktemp(f"scale-pg-{count}")
            with _schema() as url:
                workspace = Workspace(url)
                workspace.initialise()
                fill(workspace, folder, count)
                workspace.close()
                results[count] = _measure(url)
    finally:
        patch.undo()
    yield results


def test_a_decision_issues_the_same_statements_whatever_the_size(measured):
    small, large = measured[SMALL][0], measured[LARGE][0]
    assert len(small.statements) <= 5 * 25  # five decisions
    assert len(large.statements) == len(small.statements)
    assert large.statements == small.statements  # the same statements, in the same order
    assert not [s for s in large.statements if "GROUP BY" in s]


def test_progress_counts_read_the_tally_not_the_items_on_postgresql(measured):
    small, large = measured[SMALL][1], measured[LARGE][1]
    assert large.statements == small.statements
    grouped = [s for s in large.statements if "GROUP BY" in s]
    assert grouped
    assert all("item_tally" in s for s in grouped)
