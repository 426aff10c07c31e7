"""The provenance screen of an item under a blind second review: the value, the source,
the extraction and the city match, without the review log, the publication state or who
confirmed the city (any of which would give the first decision away). Every untrusted field
is laid out by ``display``. No Textual import here."""

from __future__ import annotations

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from verifier.core.qa.blind import NOTICE
from verifier.core.review.itemview import ItemView
from verifier.presentation.display import BidiText
from verifier.presentation.itemtables import number, utc


def blind_provenance_renderables(view: ItemView, bidi: bool) -> list[RenderableType]:
    def facts(rows: list[tuple[str, str | Text]]) -> Table:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True, min_width=12)
        grid.add_column(ratio=1)
        for term, value in rows:
            grid.add_row(Text(term), BidiText(value, bidi=bidi, justify_rtl=False))
        return grid

    source = view.source
    value = f"{view.value_text or '(empty)'} {view.unit_written}".strip()
    band = view.stored_band or "unmatched"
    if view.stored_score is not None:
        band += f", score {view.stored_score:.1f}"
    city = (
        f"{view.city_name_en} {view.city_name_ar} ({view.city_id})".strip()
        if view.city_id
        else "none yet"
    )
    return [
        Text(f"Provenance of item {view.id} (blind second review)", "bold"),
        Text(NOTICE, "italic cyan"),
        Text(""),
        facts([
            ("Indicator", f"{view.indicator_code} {view.indicator_name_en}"),
            ("As written", value),
            ("In its unit", f"{number(view.value_normalized)} {view.indicator_unit}".strip()),
            ("Year", str(view.year)),
        ]),
        Text(""),
        Text("Source", "bold underline"),
        facts([
            ("Title", source.title),
            ("Publisher", source.publisher or "—"),
            ("Key", source.key),
            ("URL", view.item_url or source.url or "—"),
            ("Local file", f"{source.file_path or 'none'} ({source.file_state})"),
            ("Locator", view.locator or "—"),
            ("Snippet", view.snippet or "—"),
        ]),
        Text(""),
        Text("Extraction", "bold underline"),
        facts([
            ("Extractor", view.extractor or "unknown"),
            ("Extracted", utc(view.extracted_at) or "—"),
            ("Import", f"batch {view.batch_id}, {view.batch_file} row {view.row_number}"),
        ]),
        Text(""),
        Text("City match", "bold underline"),
        facts([
            ("Label", view.raw_label),
            ("City", city),
            ("Band", band),
            ("Set", view.match_method or "—"),
        ]),
    ]  # fmt: skip
