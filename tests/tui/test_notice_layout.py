"""Notices (toasts) quoting a label or a name go through the one display layout, as plain
text: Arabic shaped and in visual order with bidi on, logical with it off; hostile values
shown as written, never run as markup or sent as control sequences. What is remembered
stays as written."""

from __future__ import annotations

from tests.tui.conftest import make_app, settle
from verifier.presentation.display import shown

LABEL = "الرياض"
MARKUP = "[@click=app.quit]x[/]"
OSC_TITLE = "\x1b]0;x\x07"
FORMULA = '=HYPERLINK("http://x","y")'


async def test_a_notice_quoting_an_arabic_label_is_laid_out(review_url: str) -> None:
    app = make_app(review_url)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        app.bidi = True
        app.notify(f"every item labelled '{LABEL}' is already sa-riyadh", title=f"City {LABEL}")
        await settle(pilot)
        toast = list(app._notifications)[-1]
        assert (
            toast.message == f"every item labelled '{shown(LABEL, bidi=True)}' is already sa-riyadh"
        )
        assert toast.title == f"City {shown(LABEL, bidi=True)}"
        assert app.notices[-1].message == f"every item labelled '{LABEL}' is already sa-riyadh"
        app.bidi = False
        app.notify(f"label '{LABEL}' again")
        await settle(pilot)
        assert list(app._notifications)[-1].message == f"label '{LABEL}' again"


async def test_a_notice_quoting_hostile_values_runs_nothing(review_url: str) -> None:
    app = make_app(review_url)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        app.notify(f"label '{MARKUP}{OSC_TITLE}{FORMULA}' near '{LABEL}'", title=MARKUP)
        await settle(pilot)
        toast = list(app._notifications)[-1]
        assert not toast.markup
        assert f"'{MARKUP}]0;x{FORMULA}'" in toast.message and toast.title == MARKUP
        assert "\x1b" not in toast.message and "\x07" not in toast.message
        assert app.is_running  # the [@click=app.quit] was text, not an action
