"""Where an import's CPU goes, stage by stage: µs of CPU per row, on one generated file.

Every stage of the preparation is run here in this one process, over the same rows, each
timed on its own with ``time.process_time`` (the CPU of this process, so the load of a
shared machine changes the figures less than wall time, though caches still suffer):

- reading: bytes to decoded NFC lines, then CSV records to ``RawRow``s;
- validation, whole and by field (cells picked, label facts, value and unit, year,
  extraction time, search key of the snippet, fingerprint), then what the workers add
  (import digest, staged form, compact raw cells);
- the transfer to the workers and back (pickling and unpickling a chunk's rows and their
  outcomes);
- city matching (the matcher built, then each distinct label matched once);
- staging: the look-ups of earlier rows in the stage and of the workspace's items, the
  match digest, the inserts into the stage.

The write transaction, and each index and trigger it feeds, is measured by
``import_write_costs.py``. Run with the tree under test first on ``PYTHONPATH``:

    PYTHONPATH=. .venv/bin/python benchmarks/import_stages.py --rows 100000 [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import pickle
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_import import EDITION, fresh_workspace, generate  # noqa: E402

from verifier.core.importing import prepare as prep  # noqa: E402
from verifier.core.importing import rows as rows_module  # noqa: E402
from verifier.core.importing.columns import resolve_columns  # noqa: E402
from verifier.core.importing.limits import ImportLimits  # noqa: E402
from verifier.core.importing.reference import ReferenceIndex  # noqa: E402
from verifier.core.importing.source import FileSource, inspect_file  # noqa: E402
from verifier.core.importing.stream import RowStream, _text_lines, open_rows  # noqa: E402
from verifier.core.importing.validation import CHUNK_ROWS, _validate_rows  # noqa: E402
from verifier.core.workspace import Workspace, resolve_edition  # noqa: E402

Timed = Callable[[], Any]


def cpu(work: Timed, repeat: int) -> float:
    """The median CPU seconds of ``work`` over ``repeat`` runs."""
    runs = []
    for _ in range(repeat):
        started = time.process_time()
        work()
        runs.append(time.process_time() - started)
    return statistics.median(runs)


def chunks(items: list[Any], size: int = CHUNK_ROWS) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class Stages:
    """The rows of one file, read once, and each stage's work over them."""

    def __init__(self, workspace: Workspace, path: Path) -> None:
        self.workspace, self.path = workspace, path
        self.source = FileSource.of(path, ImportLimits())
        self.facts = inspect_file(path, self.source, "csv", None)
        with open_rows(self.source, "csv", self.facts) as stream:
            self.header = stream.header
            self.rows = list(stream.rows)
        columns = resolve_columns(path, self.header, {}, header_row=1)
        with workspace.reading() as session:
            edition = resolve_edition(session, None)
            assert edition.id is not None
            self.edition_id = edition.id
            reference = ReferenceIndex.load(session, edition.id)
        self.validator = rows_module.RowValidator(columns, reference, "bench")
        self.stage = prep.Stage(prep.STAGED, workspace.engine.dialect)
        self.part = prep._WorkerPart("csv", self.stage.timestamp)
        self.values = [self.validator.validate(row) for row in self.rows]
        self.cells = [self.validator._cells(row) for row in self.rows]

    # Reading ------------------------------------------------------------------------------

    def decode(self) -> None:
        with self.source.open() as raw:
            for _ in _text_lines(raw, self.facts, ""):
                pass

    def read(self) -> None:
        with open_rows(self.source, "csv", self.facts) as stream:
            for _ in stream.rows:
                pass

    # Validation ---------------------------------------------------------------------------

    def fresh_memos(self) -> rows_module.RowValidator:
        """The validator as a worker starts it: nothing remembered yet."""
        rows_module._label_facts.cache_clear()
        validator = self.validator
        validator._years, validator._times = {}, {}
        validator._indicators, validator._sources = {}, {}
        return validator

    def validate(self) -> None:
        validate = self.fresh_memos().validate
        for row in self.rows:
            validate(row)

    def pick_cells(self) -> None:
        pick = self.validator._cells
        for row in self.rows:
            pick(row)

    def label_facts(self) -> None:
        self.fresh_memos()
        for cells in self.cells:
            rows_module._label_facts(cells["city"])

    def value_and_unit(self) -> None:
        validator, indicators = self.validator, self.validator.reference
        found = {
            v["indicator_id"]: indicators.indicator(c["indicator"].strip())
            for c, v in zip(self.cells, self.values, strict=True)
        }
        parse = validator._value
        for cells, values in zip(self.cells, self.values, strict=True):
            indicator = found[values["indicator_id"]]
            assert indicator is not None
            parse(cells["value"], cells["unit"].strip(), indicator, "")

    def year(self) -> None:
        validator = self.fresh_memos()
        for cells in self.cells:
            rows_module._memo(validator._years, validator._year, cells["year"])

    def timestamp(self) -> None:
        validator = self.fresh_memos()
        for cells in self.cells:
            rows_module._memo(validator._times, validator._timestamp, cells["extracted_at"])

    def search_key(self) -> None:
        fold = rows_module.search_fold
        for cells in self.cells:
            fold(cells["snippet"])

    def fingerprint(self) -> None:
        make = rows_module.fingerprint
        for v in self.values:
            make(v["source_id"], v["locator"], v["indicator_id"], v["label_key"])

    # What the workers add, and the transfer -----------------------------------------------

    def import_digest(self) -> None:
        digest = prep.import_digest
        for values in self.values:
            digest(values)

    def staged_form(self) -> None:
        part = self.part
        for values, row in zip(self.values, self.rows, strict=True):
            staged = prep.in_fields_order(values, row)
            part.stamp(staged[prep.EXTRACTED_AT])

    def compact_raw(self) -> None:
        compact = self.part.compact
        for row in self.rows:
            compact(row)

    def outcomes(self) -> list[list[Any]]:
        return [_validate_rows(self.validator, self.part, chunk) for chunk in chunks(self.rows)]

    def pickle_rows(self) -> None:
        for chunk in chunks(self.rows):
            pickle.loads(pickle.dumps(chunk, pickle.HIGHEST_PROTOCOL))

    def pickle_outcomes(self, outcomes: list[list[Any]]) -> Timed:
        def work() -> None:
            for chunk in outcomes:
                pickle.loads(pickle.dumps(chunk, pickle.HIGHEST_PROTOCOL))

        return work

    # Matching and staging -----------------------------------------------------------------

    def matcher(self) -> Any:
        from verifier.core.cities.automatic import ImportMatcher

        with self.workspace.reading() as session:
            return ImportMatcher(session, self.edition_id)

    def match(self, outcomes: list[list[Any]]) -> Timed:
        def work() -> None:
            matcher = self.matcher()
            cache: dict[tuple[str, str], tuple[tuple[Any, ...], str]] = {}
            for chunk, results in zip(chunks(self.rows), outcomes, strict=True):
                kept = list(zip(results, chunk, strict=True))
                prep._matches(matcher, kept, self.stage.document, cache)

        return work

    def staging(self, outcomes: list[list[Any]]) -> Timed:
        """The main process's whole share of the preparation but reading and the transfer:
        ``_stage_rows`` over the workers' outcomes, matcher already built."""
        matcher = self.matcher()

        def work() -> None:
            prepared = prep.PreparedImport(
                self.path, "", self.edition_id, "csv", "utf-8", self.header, {}, ()
            )
            dialect = self.workspace.engine.dialect
            try:
                prepared.stage = prep.Stage(prep.STAGED, dialect, counted=True)
            except TypeError:  # the code before the stage counted its items
                prepared.stage = prep.Stage(prep.STAGED, dialect)
            given = prep.validate_chunks
            prep.validate_chunks = lambda *_: zip(chunks(self.rows), outcomes, strict=True)
            try:
                stream = RowStream("csv", "utf-8", self.header, iter(self.rows))
                prep._stage_rows(self.workspace, prepared, stream, self.validator, matcher, 0, None)
            finally:
                prep.validate_chunks = given
                prepared.close()

        return work

    def stage_rows(self, outcomes: list[list[Any]]) -> dict[str, float]:
        """CPU of each staging step over the whole file, into a new stage."""
        stage = prep.Stage(prep.STAGED, self.workspace.engine.dialect)
        spent = dict.fromkeys(
            ("stage look-up", "workspace look-up", "match digest", "stage inserts"), 0.0
        )
        verdict = prep._UNMATCHED[1]
        try:
            for results in outcomes:
                started = time.process_time()
                fingerprints = [values[prep.FINGERPRINT] for values in results]
                stage.first_rows(fingerprints)
                looked = time.process_time()
                with self.workspace.reading() as session:
                    prep.existing_items(session, self.edition_id, fingerprints)
                existing = time.process_time()
                items = []
                for values in results:
                    digests = (
                        imported := values[prep.IMPORT_DIGEST],
                        prep.match_digest_after(imported, verdict),
                    )
                    items.append(
                        (
                            *values[: prep.IMPORT_DIGEST],
                            *prep.NO_MATCH,
                            *digests,
                            values[prep.COMPACT],
                        )
                    )
                digested = time.process_time()
                seen = [(values[prep.FINGERPRINT], values[0]) for values in results]
                stage.add(items, [], seen)
                added = time.process_time()
                for name, took in zip(
                    spent,
                    (looked - started, existing - looked, digested - existing, added - digested),
                    strict=True,
                ):
                    spent[name] += took
            started = time.process_time()
            stage.finish()
            spent["stage inserts"] += time.process_time() - started
        finally:
            stage.close()
        return spent


def report(rows: int, figures: list[tuple[str, float]]) -> None:
    print(f"{'stage':<46}{'CPU s':>8}{'µs/row':>9}")
    for name, seconds in figures:
        print(f"{name:<46}{seconds:>8.2f}{seconds / rows * 1e6:>9.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per stage (median)")
    args = parser.parse_args()
    import verifier

    print(f"code: {Path(verifier.__file__).parent.parent}; load {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as folder:
        csv_path = Path(folder) / "items.csv"
        generate(csv_path, args.rows, EDITION)
        workspace = fresh_workspace(Path(folder), EDITION)
        stages = Stages(workspace, csv_path)
        n, repeat = len(stages.rows), args.repeat
        outcomes = stages.outcomes()
        decode = cpu(stages.decode, repeat)
        figures = [
            ("read: bytes to NFC lines", decode),
            ("read: lines to RawRows (CSV, checks)", cpu(stages.read, repeat) - decode),
            ("validate, whole (fresh memos)", cpu(stages.validate, repeat)),
            ("  cells picked by column", cpu(stages.pick_cells, repeat)),
            ("  label key, script, search form (cached)", cpu(stages.label_facts, repeat)),
            ("  value and unit", cpu(stages.value_and_unit, repeat)),
            ("  year (memo)", cpu(stages.year, repeat)),
            ("  extraction time (memo)", cpu(stages.timestamp, repeat)),
            ("  snippet's search form", cpu(stages.search_key, repeat)),
            ("  fingerprint", cpu(stages.fingerprint, repeat)),
            ("worker: import digest", cpu(stages.import_digest, repeat)),
            ("worker: staged tuple, extraction time", cpu(stages.staged_form, repeat)),
            ("worker: compact raw cells", cpu(stages.compact_raw, repeat)),
            ("transfer: rows pickled and unpickled", cpu(stages.pickle_rows, repeat)),
            (
                "transfer: outcomes pickled and unpickled",
                cpu(stages.pickle_outcomes(outcomes), repeat),
            ),
            ("match: matcher built", cpu(stages.matcher, repeat)),
            ("match: built, then every row (cached)", cpu(stages.match(outcomes), repeat)),
        ]
        figures.append(
            ("staging, whole (_stage_rows, matcher built)", cpu(stages.staging(outcomes), repeat))
        )
        figures += list(stages.stage_rows(outcomes).items())
        stages.stage.close()
        workspace.close()
    report(n, figures)
    print(f"load after {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
