"""Someone changes what an import wrote, or the city the matching engine set, on an item no
person has decided on (an ``UPDATE item`` behind the application's back): ``audit verify``
names the item and ``publish`` refuses, naming it. A lead's ``rematch`` records what it
changed, and does not bless a forged row. On SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import col, select
from typer.testing import CliRunner

from db.models import Edition, Item, ReviewEvent, Status
from tests.audit.test_audit_tamper import audit
from tests.audit.test_tamper_item_rows import forge, publications, run
from tests.conftest import MINI
from tests.importing_helpers import row, write_csv
from verifier.cli.app import app
from verifier.core.cities.automatic import rematch
from verifier.core.cities.decisions import learn_alias
from verifier.core.editions import load_edition
from verifier.core.eventlog.import_digest import (
    DIGEST_KEY,
    REMATCH_KEY,
    import_digest,
    match_digest,
)
from verifier.core.importing import ImportOptions, import_file
from verifier.core.publishing import PublishRefusedError, publish
from verifier.core.review.decisions import set_status
from verifier.core.workspace import Workspace

IMPORTED = (
    "(batch 1): its imported fields (value, unit, year, label, source, locator, snippet…) no "
    "longer hash to the digest written at import: changed without an event"
)


def imported_findings(workspace: Workspace) -> list[str]:
    return [f.message for f in audit(workspace).findings if f.kind == "imported"]


@pytest.fixture
def matched(any_workspace: Workspace, tmp_path: Path) -> Workspace:
    """The mini edition's items imported with the engine's match (items 1-4, all 'auto'),
    and one label the engine cannot place (item 5)."""
    load_edition(any_workspace, MINI, "layla")
    import_file(any_workspace, MINI / "items.csv", ImportOptions("omar"))
    path = write_csv(tmp_path / "more.csv", [row(city="Qwxyz", locator="p. 99")])
    import_file(any_workspace, path, ImportOptions("omar"))
    return any_workspace


def test_the_import_event_records_the_batch_digest(history: Workspace) -> None:
    with history.reading() as session:
        event = session.exec(select(ReviewEvent).where(ReviewEvent.action == "import")).one()
    assert len(event.payload[DIGEST_KEY]) == 64
    result = audit(history)
    assert result.intact and result.items_without_digest == 0


def test_a_forged_value_on_an_undecided_item_is_named_by_audit_and_publish(
    matched: Workspace,
) -> None:
    with matched.session() as session:
        set_status(session, 1, Status.VERIFIED, "omar")  # something to publish
    # Item 4 (Tarabulus, 12.5 per 100k) has no event: nobody decided on it.
    forge(matched, "UPDATE item SET value_number = 1, value_normalized = 1 WHERE id = 4")
    assert imported_findings(matched) == [f"item 4 {IMPORTED}"]
    code, out, err = run(matched, "--user", "layla", "publish", "--note", "forged")
    assert code == 1
    assert (
        "1 item or batch no longer hashes to what their import recorded (changed without "
        "an event); not published: item 4 (batch 1): its imported fields" in err
    )
    assert publications(matched) == 0
    code, out, _ = run(matched, "audit", "verify")
    assert code == 1 and f"- [imported] item 4 {IMPORTED}" in out


def test_a_forged_snippet_locator_or_source_is_named(history: Workspace) -> None:
    forge(history, "UPDATE item SET snippet = 'made up' WHERE id = 9")
    forge(history, "UPDATE item SET locator = 'p. 1' WHERE id = 10")
    forge(history, "UPDATE item SET year = 2024 WHERE id = 3")  # a decided item too
    assert imported_findings(history) == [f"item {i} {IMPORTED}" for i in (3, 9, 10)]


def test_rewriting_the_digest_with_the_value_is_caught_by_the_batch_digest(
    matched: Workspace,
) -> None:
    forge(matched, "UPDATE item SET value_number = 1 WHERE id = 4")
    with matched.reading() as session:
        stored = session.get(Item, 4)
        assert stored is not None
        item = stored.model_dump()
    imported = import_digest(item)
    forge(
        matched,
        f"UPDATE item SET import_digest = '{imported}', "
        f"match_digest = '{match_digest(item, imported)}' WHERE id = 4",
    )
    (finding,) = imported_findings(matched)
    assert finding.startswith(
        "import batch 1: its items' digests no longer hash to the digest event #7 recorded ("
    )
    with matched.session() as session:
        set_status(session, 1, Status.VERIFIED, "omar")
    with matched.session() as session, pytest.raises(PublishRefusedError) as refused:
        publish(session, session.exec(select(Edition)).one(), "layla", "forged")
    assert "import batch 1: its items' digests no longer hash" in str(refused.value)


def test_deleting_an_item_or_its_digest_is_caught(history: Workspace) -> None:
    forge(history, "UPDATE item SET import_digest = NULL, match_digest = NULL WHERE id = 10")
    (finding,) = imported_findings(history)
    assert finding.startswith("import batch 1: its items' digests no longer hash")


def test_a_forged_engine_city_on_an_undecided_item_is_named(matched: Workspace) -> None:
    assert audit(matched).intact
    forge(matched, "UPDATE item SET city_id = 'eg-cairo' WHERE id = 2")  # engine: sa-riyadh
    forge(matched, "UPDATE item SET city_id = 'sa-riyadh', match_method = 'auto' WHERE id = 5")
    assert imported_findings(matched) == [
        "item 2 (batch 1): its city or match method, which no person decided, (city "
        '"eg-cairo", method "auto") is not what the matching engine set: changed without an '
        "event",
        "item 5 (batch 2): its city or match method, which no person decided, (city "
        '"sa-riyadh", method "auto") is not what the matching engine set: changed without an '
        "event",
    ]
    with matched.session() as session:
        set_status(session, 1, Status.VERIFIED, "omar")
    with matched.session() as session, pytest.raises(PublishRefusedError) as refused:
        publish(session, session.exec(select(Edition)).one(), "layla", "forged")
    assert "item 2 (batch 1): its city or match method" in str(refused.value)


def test_rematch_records_what_it_changed_and_keeps_the_trail_intact(matched: Workspace) -> None:
    with matched.session() as session:
        learn_alias(session, "sa-riyadh", "Qwxyz", "layla")
    with matched.session() as session:
        rematch(session, session.exec(select(Edition)).one().id or 0, "layla")
    with matched.reading() as session:
        event = session.exec(select(ReviewEvent).where(ReviewEvent.action == "rematch")).one()
        city = session.connection().execute(text("SELECT city_id FROM item WHERE id = 5"))
        assert city.scalar_one() == "sa-riyadh"
    assert event.payload["changed"] == 1
    assert sorted(event.payload[REMATCH_KEY]) == ["2"]
    assert audit(matched).intact
    forge(matched, "UPDATE item SET city_id = NULL, match_method = NULL WHERE id = 5")
    (finding,) = imported_findings(matched)
    assert finding.startswith('item 5 (batch 2): its city or match method, which no person '
                              'decided, (city null, method null)')  # fmt: skip


def test_rematch_does_not_bless_a_forged_value(matched: Workspace) -> None:
    forge(matched, "UPDATE item SET value_number = 7 WHERE id = 5")
    with matched.session() as session:
        learn_alias(session, "sa-riyadh", "Qwxyz", "layla")
    with matched.session() as session:
        rematch(session, session.exec(select(Edition)).one().id or 0, "layla")
    assert imported_findings(matched) == [
        "item 5 (batch 2): its imported fields (value, unit, year, label, source, locator, "
        "snippet…) no longer hash to the digest written at import: changed without an event"
    ]


def test_a_persons_match_is_not_the_engines_business(matched: Workspace) -> None:
    code, _, err = (
        CliRunner()
        .invoke(
            app, ["--db", matched.url, "--user", "omar", "item", "match", "2", "--city", "eg-cairo"]
        )
        .exit_code,
        "",
        "",
    )
    assert code == 0, err
    assert audit(matched).intact
    with matched.reading() as session:
        ids = session.exec(select(col(ReviewEvent.item_id)).where(ReviewEvent.action == "match"))
        assert list(ids) == [2]
