"""SVG snapshots at the three sizes a research assistant works at (100×30, 160×45, 220×60):
the queue with the item view (an Arabic snippet and locator with brackets and guillemets,
bidi on and off), the provenance screen, a dialog quoting a long Arabic label, and an input
with Arabic typed into it. Update with `pytest tests/tui --snapshot-update` after a
deliberate change, and look at them."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from db.models import ImportBatch, Item
from tests.tui.conftest import make_app, settle
from tests.tui.test_snapshots import (  # noqa: F401 (decided: a fixture)
    MOMENT,
    app_state_filter_all,
    decided,
)
from verifier.core.workspace import Workspace

SIZES = [(100, 30), (160, 45), (220, 60)]
SNIPPET = (
    "بلغت نسبة الأسر المتصلة بشبكة المياه (مدينة الرياض) ٩٩٫١٪ «وفق التقرير السنوي» في عام (٢٠٢٣)"
)
LABEL = "أمانة منطقة الرياض - الإدارة العامة للإحصاء والمعلومات (بيانات عام ٢٠٢٣)"


@pytest.fixture
def bracketed(decided: Workspace) -> Workspace:  # noqa: F811
    """Item 1 with brackets and guillemets in its snippet and locator, and a long label."""
    with decided.session() as session:
        session.exec(  # type: ignore[call-overload]
            update(Item)
            .where(Item.id == 1)
            .values(snippet=SNIPPET, locator="ص ٤، جدول (٣-٢)", raw_label=LABEL)
        )
        # The provenance screen shows when the items were imported: at a fixed moment.
        session.exec(update(ImportBatch).values(imported_at=MOMENT))  # type: ignore[call-overload]
    return decided


def opened(*keys: str):  # type: ignore[no-untyped-def]
    async def run(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("bidi", ["on", "off"])
def test_queue_and_item(bracketed: Workspace, review_url: str, snap_compare, size, bidi) -> None:
    app = make_app(review_url, bidi=bidi)
    app_state_filter_all(app)
    assert snap_compare(app, terminal_size=size, run_before=opened())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_provenance(bracketed: Workspace, review_url: str, snap_compare, size) -> None:
    app = make_app(review_url)
    app_state_filter_all(app)
    assert snap_compare(app, terminal_size=size, run_before=opened("p"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_dialog_with_a_long_arabic_label(
    bracketed: Workspace, review_url: str, snap_compare, size
) -> None:
    app = make_app(review_url)
    app_state_filter_all(app)
    assert snap_compare(app, terminal_size=size, run_before=opened("a"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_arabic_typed_into_an_input(
    bracketed: Workspace, review_url: str, snap_compare, size
) -> None:
    app = make_app(review_url)
    app_state_filter_all(app)

    async def typed(pilot) -> None:  # type: ignore[no-untyped-def]
        from textual.widgets import Input

        await opened("r")(pilot)
        field = pilot.app.screen.query_one(Input)
        field.insert_text_at_cursor("القيمة (٩٩٫١٪) لعام 2022")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=typed)
