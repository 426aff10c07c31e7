"""How long the display layout takes: lines of the bidi corpus, and whole item views of
the demo edition at the two layouts of the review UI (wide: two columns; narrow: one).

    .venv/bin/python benchmarks/bench_layout.py [--items 200]

Builds a temporary workspace from fixtures/las2024 (a minute), then prints, for each
measure, the wall-clock time and the process's CPU time (the machine may be shared).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verifier.core.editions import load_edition  # noqa: E402
from verifier.core.importing import ImportOptions, import_file  # noqa: E402
from verifier.core.review.itemview import ItemView, load_item_view  # noqa: E402
from verifier.core.workspace import Workspace  # noqa: E402
from verifier.presentation import display  # noqa: E402
from verifier.presentation.itemrender import ShownItem, shown_item  # noqa: E402

FIXTURE = ROOT / "fixtures" / "las2024"
CORPUS = ROOT / "tests" / "data" / "bidi_corpus.txt"


def timed(label: str, count: int, unit: str, run: Callable[[], object]) -> None:
    display.configure(harakat=True)  # also empties the layout caches
    wall, cpu = time.perf_counter(), time.process_time()
    run()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{label}: {wall / count * 1000:.2f} ms per {unit} "
          f"(CPU {cpu / count * 1000:.2f} ms), {count} {unit}s")  # fmt: skip


def lay_out(views: list[ItemView], width: int) -> list[ShownItem]:
    return [shown_item(v, width, True) for v in views]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=200)
    args = parser.parse_args()
    lines = [x for x in CORPUS.read_text(encoding="utf-8").splitlines() if x[:1] != "#"]
    timed("corpus line, bidi on", len(lines), "line",
          lambda: [display.layout(x, bidi=True) for x in lines])  # fmt: skip

    def cut() -> None:
        for line in lines:
            display.layout(line, bidi=True, width=12, keep_number=True)

    timed("corpus line cut to 12 cells", len(lines), "line", cut)
    with tempfile.TemporaryDirectory() as folder:
        workspace = Workspace(f"sqlite:///{folder}/layout.db")
        workspace.initialise()
        load_edition(workspace, FIXTURE, "rania.haddad")
        for path in sorted((FIXTURE / "items").iterdir()):
            import_file(workspace, path, ImportOptions("nour.aziz"))
        with workspace.reading() as session:
            views = [load_item_view(session, i) for i in range(1, args.items + 1)]
        workspace.close()
    for width, name in ((157, "wide (160 columns)"), (97, "narrow (100 columns)")):
        timed(f"item view, {name}", len(views), "item", partial(lay_out, views, width))


if __name__ == "__main__":
    main()
