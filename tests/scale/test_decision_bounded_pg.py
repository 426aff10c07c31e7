"""On PostgreSQL too, one decision issues the same statements in a workspace ten times
larger, and the progress counts read the tally: the proof of tests/scale/
test_decision_bounded.py, run against the server a team uses (each size in its own
schema, dropped afterwards)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import _pg_unavailable
from tests.pg_schemas import SchemaOwner
from tests.scale.generated import fill
from tests.scale.test_decision_bounded import LARGE, SMALL, Work, _measure
from verifier.core.review import item_peers
from verifier.core.workspace import Workspace

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def measured(
    tmp_path_factory: pytest.TempPathFactory, schema_owner: SchemaOwner | None
) -> Iterator[dict[int, tuple[Work, Work]]]:
    reason = _pg_unavailable()
    if reason is not None:
        if os.environ.get("VERIFIER_REQUIRE_PG"):
            pytest.fail(f"VERIFIER_REQUIRE_PG is set but {reason}")
        pytest.skip(f"{reason}; set VERIFIER_TEST_PG to run the PostgreSQL tests")
    patch = pytest.MonkeyPatch()
    for name in ("SIBLINGS_COUNTED", "SAME_LABEL_COUNTED", "SIBLINGS_SHOWN"):
        patch.setattr(item_peers, name, 4)  # as in the SQLite test: both sizes pass the cap
    results = {}
    try:
        for count in (SMALL, LARGE):
            folder: Path = tmp_path_factory.mktemp(f"scale-pg-{count}")
            assert schema_owner is not None
            with schema_owner.fresh_schema() as url:
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
