"""Measure the evidence check on the demo edition's real documents and planted errors.

The workspace is built from fixtures/las2024 as a team would (edition loaded with its 28
documents, every items file imported, ``--no-check``), then:

- **recall**: of the items that carry a planted extraction error (evidence-truth.csv),
  the share whose status is not ``match``, and the share whose status is the expected one;
- **false alarms**: of every other item whose source has a stored document (all correct:
  the generator copies their quote and value from the place the locator names), the share
  whose status is not ``match``;
- **throughput**: items checked per second, the whole edition at once, the documents'
  text read from the database and folded from cold;
- **threshold sweep**: recall and false alarms for each fuzzy-match threshold, and the
  alignment scores of the quotes that were not found exactly, to show where the
  threshold sits between correct quotes and wrong ones;
- **a long PDF**: storing and extracting the generated 300-page Arabic yearbook
  (``generate.py --long-pdf``), then checking 1,000 quotes taken from it.

    .venv/bin/python benchmarks/bench_evidence.py [--keep DIR] [--pages 300] [--no-long]
    .venv/bin/python benchmarks/bench_evidence.py --heldout [--seed 7] [--per-kind 25]

The threshold was chosen on this fixture's planted errors (the sweep above), so its recall
and false alarms are upper bounds. ``--heldout`` measures on a set it was not chosen on:
the generator's edition of another seed (``generate.py --out DIR --seed N --per-kind K``:
other values, labels, documents and items, and other planted errors), generated into a
scratch folder and measured the same way, with no sweep (nothing may be tuned on it).

Every miss and every false alarm is listed, with its file and row; the load average is
printed with the figures.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from sqlmodel import col, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import verifier.core.evidence.check as check_module  # noqa: E402
from db.engine import create_workspace_engine  # noqa: E402
from db.models import ImportBatch, Item, Source  # noqa: E402
from verifier.core.editions import load_edition  # noqa: E402
from verifier.core.evidence import search  # noqa: E402
from verifier.core.evidence.check import ItemToCheck, Outcome, check_item  # noqa: E402
from verifier.core.evidence.extraction import Limits  # noqa: E402
from verifier.core.evidence.results import Scope, compute  # noqa: E402
from verifier.core.evidence.store import store_document  # noqa: E402
from verifier.core.importing import ImportOptions, import_file  # noqa: E402
from verifier.core.workspace import Workspace, resolve_edition  # noqa: E402

FIXTURE = ROOT / "fixtures" / "las2024"
ASSISTANT = "nour.aziz"
LEAD = "rania.haddad"
HAND_WRITTEN = (
    "edition.toml", "cities.csv", "domains.csv", "indicators.csv", "experts.csv",
    "reviewers.csv",
)  # fmt: skip
THRESHOLDS = (60, 70, 75, 80, 85, 88, 90, 92, 95, 98, 100)


def build(url: str, fixture: Path = FIXTURE) -> Workspace:
    workspace = Workspace(url, create_workspace_engine(url))
    workspace.initialise()
    started = time.perf_counter()
    load_edition(workspace, fixture, LEAD)
    for path in sorted((fixture / "items").iterdir()):
        import_file(workspace, path, ImportOptions(ASSISTANT, auto_match=False))
    print(f"workspace built in {time.perf_counter() - started:.1f} s")
    return workspace


def _where(workspace: Workspace) -> dict[int, tuple[str, int]]:
    """Item id -> (items file, row), the keys of evidence-truth.csv."""
    with workspace.reading() as session:
        rows = session.exec(
            select(Item.id, ImportBatch.file_name, Item.row_number)
            .join(ImportBatch, col(ImportBatch.id) == col(Item.batch_id))
            .join(Source, col(Source.id) == col(Item.source_id))
        ).all()
    return {item_id: (Path(name).name, row) for item_id, name, row in rows if item_id}


def _run(workspace: Workspace) -> tuple[list[tuple[int, str | None, Outcome]], float]:
    search._cache.clear()  # cold: every document's text read and folded again
    with workspace.reading() as session:
        scope = Scope(resolve_edition(session, None).id)
        started = time.perf_counter()
        results = compute(session, scope, force=True)
        return results, time.perf_counter() - started


def measure(workspace: Workspace, *, verbose: bool, fixture: Path = FIXTURE) -> dict[str, float]:
    truth = {
        (r["file"], int(r["row"])): r
        for r in csv.DictReader((fixture / "evidence-truth.csv").open(encoding="utf-8"))
    }
    where = _where(workspace)
    results, seconds = _run(workspace)
    planted = [(i, o) for i, _, o in results if where[i] in truth]
    correct = [(i, o) for i, sha, o in results if where[i] not in truth and sha is not None]
    missed = [(i, o) for i, o in planted if o.status == "match"]
    exact = [(i, o) for i, o in planted if o.status == truth[where[i]]["expected_status"]]
    alarms = [(i, o) for i, o in correct if o.status != "match"]
    figures = {
        "items": len(results),
        "seconds": seconds,
        "items_per_s": len(results) / seconds,
        "planted_items": len(planted),
        "planted_in_truth": len(truth),
        "recall": (len(planted) - len(missed)) / len(planted),
        "expected_status": len(exact) / len(planted),
        "correct_items": len(correct),
        "false_alarm_rate": len(alarms) / len(correct),
    }
    print(f"statuses: {dict(Counter(o.status.value for _, _, o in results))}")
    kinds = Counter(row["error"] for row in truth.values())
    caught = Counter(truth[where[i]]["error"] for i, o in planted if o.status != "match")
    print("recall by kind: " + ", ".join(f"{k} {caught[k]}/{n}" for k, n in sorted(kinds.items())))
    absent = sorted(set(truth) - {where[i] for i, _ in planted})
    for key in absent:
        print(f"  planted row not among the imported items: {key[0]}:{key[1]}")
    for item_id, outcome in missed:
        file, row = where[item_id]
        print(f"  MISS {file}:{row} ({truth[(file, row)]['error']}) score {outcome.score}")
    for item_id, outcome in planted:
        expected = truth[where[item_id]]["expected_status"]
        if outcome.status not in ("match", expected) and verbose:
            file, row = where[item_id]
            print(f"  other status {file}:{row}: {outcome.status} (expected {expected})")
    for item_id, outcome in alarms:
        file, row = where[item_id]
        print(f"  FALSE ALARM {file}:{row}: {outcome.status} score {outcome.score} {outcome.hint}")
    _scores(planted, correct, truth, where)
    return figures


def _scores(planted: list, correct: list, truth: dict, where: dict) -> None:
    """The alignment scores of quotes not found exactly: correct ones must score above the
    threshold, paraphrased and foreign ones below it."""
    wrong_quotes = [
        o.score for i, o in planted
        if truth[where[i]]["expected_status"] == "snippet_not_found"
    ]  # fmt: skip
    fuzzy_correct = [o.score for _, o in correct if o.score < 100 and o.page is not None]
    print(
        f"quote errors ({len(wrong_quotes)}): best alignment {min(wrong_quotes):.1f} to "
        f"{max(wrong_quotes):.1f}; correct quotes found by alignment ({len(fuzzy_correct)}): "
        + (f"{min(fuzzy_correct):.1f} to {max(fuzzy_correct):.1f}" if fuzzy_correct else "none")
    )


def sweep(workspace: Workspace) -> None:
    print("threshold  recall  expected-status  false-alarms")
    saved = check_module.THRESHOLD
    try:
        for threshold in THRESHOLDS:
            check_module.THRESHOLD = float(threshold)
            figures = measure_quiet(workspace)
            print(
                f"{threshold:>9}  {figures['recall']:.3f}  {figures['expected_status']:.3f}"
                f"            {figures['false_alarm_rate']:.4f}"
            )
    finally:
        check_module.THRESHOLD = saved


def measure_quiet(workspace: Workspace) -> dict[str, float]:
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()):
        return measure(workspace, verbose=False)


def long_pdf(folder: Path, pages: int) -> None:
    path = folder / f"long-{pages}.pdf"
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, str(FIXTURE / "generate.py"), "--long-pdf", str(path),
         "--pages", str(pages)],
        check=True, capture_output=True,
    )  # fmt: skip
    print(f"generated {path.name} ({path.stat().st_size:,} bytes) in "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    url = f"sqlite:///{folder / 'long.db'}"
    workspace = Workspace(url, create_workspace_engine(url))
    workspace.initialise()
    load_edition(workspace, ROOT / "tests" / "data" / "mini", "layla")
    started = time.perf_counter()
    with workspace.session() as session:
        stored = store_document(session, path, "layla", Limits())
    took = time.perf_counter() - started
    print(f"stored and extracted {stored.unit_count} pages in {took:.1f} s (target < 30 s)")
    with workspace.reading() as session:
        search._cache.clear()
        text = search.load_text(session, stored.sha256)
        lines = [
            (page.number, line)
            for page in text.pages
            for line in page.text.splitlines()
            if any(ch.isdigit() for ch in line) and len(line) > 12
        ][:: max(1, sum(len(p.text.splitlines()) for p in text.pages) // 1000)][:1000]
        started = time.perf_counter()
        statuses: Counter[str] = Counter()
        for index, (page, line) in enumerate(lines):
            item = ItemToCheck(index, line, f"p. {page}", "", None, None, 0)
            statuses[check_item(item, text).status.value] += 1
        took = time.perf_counter() - started
    print(f"checked {len(lines)} quotes of the long PDF in {took:.2f} s "
          f"({len(lines) / took:,.0f} items/s): {dict(statuses)}")  # fmt: skip
    workspace.close()


def heldout(folder: Path, seed: int, per_kind: int) -> Path:
    """The generator's edition of another seed, with other planted errors."""
    out = folder / f"heldout-{seed}"
    out.mkdir(parents=True, exist_ok=True)
    for name in HAND_WRITTEN:  # the generator writes the rest
        shutil.copy(FIXTURE / name, out / name)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, str(FIXTURE / "generate.py"), "--out", str(out), "--seed", str(seed),
         "--per-kind", str(per_kind)],
        check=True, capture_output=True,
    )  # fmt: skip
    print(f"held-out edition (seed {seed}, {per_kind} planted errors per kind) generated in "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    return out


def report(figures: dict[str, float], label: str) -> None:
    print(
        f"[{label}] recall on planted errors: {figures['recall']:.3f} "
        f"({figures['planted_items']:.0f} planted items imported of "
        f"{figures['planted_in_truth']:.0f}; target >= 0.98); expected status: "
        f"{figures['expected_status']:.3f}"
    )
    print(f"[{label}] false alarms on correct items: {figures['false_alarm_rate']:.2%} of "
          f"{figures['correct_items']:.0f} (target <= 2 %)")  # fmt: skip
    print(f"[{label}] throughput: {figures['items']:.0f} items in {figures['seconds']:.2f} s = "
          f"{figures['items_per_s']:,.0f} items/s (target >= 200)")  # fmt: skip
    print(f"[{label}] load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="build the workspace in this folder")
    parser.add_argument("--pages", type=int, default=300, help="pages of the long PDF")
    parser.add_argument("--no-long", action="store_true", help="skip the long PDF")
    parser.add_argument("--no-sweep", action="store_true", help="skip the threshold sweep")
    parser.add_argument(
        "--heldout", action="store_true",
        help="measure on the generator's edition of another seed instead (no sweep, no long PDF)",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=7, help="the held-out edition's seed (7)")
    parser.add_argument("--per-kind", type=int, default=25, help="its planted errors per kind")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        if args.heldout:
            fixture = heldout(folder, args.seed, args.per_kind)
            workspace = build(f"sqlite:///{folder / 'heldout.db'}", fixture)
            report(measure(workspace, verbose=True, fixture=fixture), f"held-out seed {args.seed}")
            workspace.close()
            return
        workspace = build(f"sqlite:///{folder / 'evidence.db'}")
        report(measure(workspace, verbose=True), "tuning fixture")
        if not args.no_sweep:
            sweep(workspace)
        workspace.close()
        if not args.no_long:
            long_pdf(folder, args.pages)


if __name__ == "__main__":
    main()
