"""The review UI's plain helpers: saved state, bidi wrapping, value highlighting. None of
them may import Textual (the command line uses them)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from verifier.core.review.queue import QueueFilter
from verifier.core.review.saved_state import (
    DEFAULT_FILTER,
    ReviewState,
    load_state,
    save_state,
    state_file,
)
from verifier.presentation.bidiwrap import find_spans, value_needles
from verifier.presentation.display import shown, shown_pieces, wrap_lines

ARABIC = "بلغت نسبة الأسر المتصلة بشبكة المياه في مدينة الرياض ٩٩٫١٪ في عام ٢٠٢٣"


def test_state_round_trip_and_bad_files(tmp_path: Path) -> None:
    path = state_file("omar", "sqlite:///w.db", "las2024")
    assert path.parent == tmp_path / "state" and "omar" not in path.name
    assert path != state_file("sara", "sqlite:///w.db", "las2024")
    assert load_state(path) == ReviewState(DEFAULT_FILTER, None)
    state = ReviewState(QueueFilter(cities=("sa-riyadh",), search="الرياض"), 42)
    save_state(path, state, {"user": "omar"})
    assert load_state(path) == state
    assert json.loads(path.read_text(encoding="utf-8"))["user"] == "omar"
    path.write_text("{not json", encoding="utf-8")
    assert load_state(path) == ReviewState()
    path.write_text(json.dumps({"version": 1, "filter": {"statuses": ["nope"]}}), "utf-8")
    assert load_state(path).filter == DEFAULT_FILTER
    assert list(path.parent.glob(".review-*")) == []  # no temporary file left behind


def test_wrapped_arabic_keeps_its_reading_order() -> None:
    lines = wrap_lines(ARABIC, 24, bidi=True)
    assert len(lines) > 2 and all(len(line) <= 24 for line in lines)
    # The first line holds the first words: wrapping happened before reordering.
    assert shown("بلغت", bidi=True) in lines[0] and shown("عام", bidi=True) in lines[-1]
    assert wrap_lines(ARABIC, 24, bidi=False)[0].startswith("بلغت")
    assert wrap_lines("one\ntwo \x1b[31m", 40, bidi=True) == ["one", "two [31m"]


def test_the_value_is_found_in_either_digit_form() -> None:
    line = wrap_lines("الرياض ٩٩٫١٪ ٢٠٢٣", 80, bidi=True)[0]
    spans = find_spans(line, value_needles("99.1%", 99.1, bidi=True))
    assert [line[a:b] for a, b in spans] == ["٩٩٫١"]
    needles = value_needles("1,234 Mbps", 1234.0, bidi=False)
    assert find_spans("median 1234 Mbps", needles) == [(7, 11)]
    assert find_spans("12.5 and 2.5", ["2.5"]) == [(9, 12)]  # whole numbers only
    assert find_spans("nothing here", value_needles("7", 7.0, bidi=False)) == []


def test_quoted_arabic_in_a_latin_sentence() -> None:
    text = "24.2: Arabic name 'طرابلس'; spelling 'رياض'~'طرابلس' 40"
    shaped = shown_pieces(text, bidi=True)
    assert shaped.startswith("24.2: Arabic name '") and shaped.endswith(" 40")
    assert shown("'رياض'", bidi=True) in shaped
    assert shown_pieces(text, bidi=False) == text


def test_plain_modules_do_not_import_textual() -> None:
    check = (
        "import sys\n"
        "import verifier.presentation.itemrender, verifier.presentation.bidiwrap, verifier.presentation.dashboard\n"
        "import verifier.tui.backend, verifier.tui.errors\n"
        "import verifier.core.review.queue, verifier.core.review.itemview, verifier.core.review.progress\n"
        "import verifier.core.review.sprints, verifier.core.review.saved_state, verifier.core.review.filter_choices\n"
        "import verifier.cli.commands.items_cmds, verifier.cli.commands.sprint_cmds\n"
        "import verifier.cli.commands.review_cmds\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))\n"
    )
    result = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True,
                            check=True, timeout=120)  # fmt: skip
    assert result.stdout.strip() == "[]"
