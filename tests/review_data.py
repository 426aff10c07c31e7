"""Items for the review tests (queue, item view, UI): a few cities in both scripts, a
disagreement, two cities sharing a name, and hostile text."""

from __future__ import annotations

from pathlib import Path

from tests.importing_helpers import row, write_csv
from tests.planted import import_planted
from verifier.core.importing import ImportOptions
from verifier.core.workspace import Workspace

HOSTILE_LABEL = "[@click=app.quit]x[/]"
HOSTILE_SNIPPET = "[link=http://x]y[/] \x1b[31mred\x1b[0m [b]bold[/b] \x9b2J"
ARABIC_SNIPPET = (
    "بلغت نسبة الأسر المتصلة بشبكة المياه في مدينة الرياض ٩٩٫١٪ في عام ٢٠٢٣ وفق التقرير"
)

# Item ids follow this order (one import, no duplicates).
ROWS = [
    # 1: Arabic label and snippet, the value in Arabic-Indic digits (source without a file).
    row("الرياض", "TRD-WATER", "٩٩٫١٪", "", "2023", "ministry-ar", "ص ٤", ARABIC_SNIPPET,
        language="ar"),
    # 2: the same city, indicator and year with another value: a disagreement with item 1.
    row("Riyadh", "TRD-WATER", "98.7%", "", "2023", "yearbook-2023", "p. 12",
        "Riyadh: households with piped water 98.7%"),
    # 3: Latin alias, a value with a thousands separator.
    row("Ar Riyāḑ", "DIG-BROADBAND", "1,234 Mbps", "", "2023", "yearbook-2023", "p. 40",
        "fixed broadband median 1234 Mbps"),
    # 4: Tripoli with a country hint: matched automatically.
    row("Tarabulus", "TRD-DEATHS", "12.5", "per 100k", "2022", "yearbook-2023", "p. 7",
        "12.5 deaths per 100k", country="LY"),
    # 5 and 6: Tripoli in Arabic without a country: two cities share the name (review band).
    row("طرابلس", "TRD-DEATHS", "9.1", "", "2022", "ministry-ar", "ص ٩", "طرابلس ٩٫١ وفاة",
        country="", language="ar"),
    row("طرابلس", "TRD-WATER", "88", "", "2022", "ministry-ar", "ص ١٠", "طرابلس ٨٨٪",
        country="", language="ar"),
    # 7: hostile text in the label and snippet: must show literally and do nothing.
    # (Imports refuse control characters, so its snippet is planted after the import.)
    row(HOSTILE_LABEL, "TRD-WATER", "55", "", "2022", "yearbook-2023", "p. 99", "(hostile)"),
    # 8: Cairo, Arabic.
    row("القاهرة", "TRD-WATER", "97.5", "", "2023", "ministry-ar", "ص ١١",
        "القاهرة ٩٧٫٥٪ من الأسر", country="EG", language="ar"),
]  # fmt: skip


def import_review_items(workspace: Workspace, csv_path: Path, user: str = "omar") -> None:
    """Import ROWS as ``user``, then give item 7 its hostile snippet: imports refuse control
    characters, but a workspace written by an older version (or by hand) may hold them, and
    every screen and output must render them harmless."""
    path = write_csv(csv_path, ROWS)
    import_planted(workspace, path, ImportOptions(user), {7: {"snippet": HOSTILE_SNIPPET}})
