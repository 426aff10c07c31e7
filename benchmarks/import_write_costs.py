"""What each part of an import's write transaction costs on SQLite: µs of CPU per row.

A generated file is prepared once (``prepare_import``: read, validated, matched, staged).
Its stage is then written (``write_prepared``, the import's whole write transaction) into
fresh copies of the same empty workspace: once as it is, and once per variant with one
thing taken away from the copy (an index of ``item``, the unique constraint on
(edition, fingerprint), the trigram index's trigger, the tallies' trigger, foreign keys).
A variant's saving against the plain write is what that part costs. Each write is timed
with ``time.process_time`` (the write runs in this process, on one core); the median of
``--repeat`` runs is shown. The plain write is also profiled once (cProfile on a CPU
clock) to split it into the items' copy, the refused rows, the digests and events.

    PYTHONPATH=. .venv/bin/python benchmarks/import_write_costs.py --rows 100000 [--repeat 3]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_import import EDITION, fresh_workspace, generate  # noqa: E402
from sqlalchemy import event  # noqa: E402

from verifier.core.importing import ImportOptions  # noqa: E402
from verifier.core.importing.prepare import PreparedImport, prepare_import  # noqa: E402
from verifier.core.importing.writer import write_prepared  # noqa: E402
from verifier.core.workspace import Workspace  # noqa: E402

INDEXES = (
    "ix_item_batch_id", "ix_item_edition_city", "ix_item_edition_indicator",
    "ix_item_source_id", "ix_item_edition_label", "ix_item_edition_city_value",
    "ix_item_person_match", "ix_item_edition_status_id",
)  # fmt: skip
UNIQUE = "CONSTRAINT uq_item_edition_id_fingerprint UNIQUE (edition_id, fingerprint)"
# Parts of the plain write named in its profile: (label, function name).
PROFILED = (
    ("items copied (INSERT … SELECT, indexes)", "copy_attached"),
    ("refused rows copied", "insert_refused"),
    ("import event: digests of the batch", "digests_of_import"),
    ("events recorded (log, hash chain)", "record_event"),
)


def variant(path: Path, name: str) -> None:
    """Take ``name`` away from the empty workspace at ``path`` (a scratch copy)."""
    db = sqlite3.connect(path)
    if name.startswith("index "):
        db.execute(f'DROP INDEX "{name.split()[1]}"')
    elif name.startswith("trigger "):
        db.execute(f'DROP TRIGGER "{name.split()[1]}"')
    elif name == "unique (edition, fingerprint)":
        # An empty table: its schema text is edited in place and the index's entry removed.
        db.execute("PRAGMA writable_schema = ON")
        sql = db.execute("SELECT sql FROM sqlite_master WHERE name = 'item'").fetchone()[0]
        cut = sql.replace(f", \n\t{UNIQUE}", "")
        assert cut != sql, "the unique constraint is written as expected"
        db.execute("UPDATE sqlite_master SET sql = ? WHERE name = 'item'", (cut,))
        db.execute("DELETE FROM sqlite_master WHERE name = 'sqlite_autoindex_item_1'")
        db.commit()
    db.commit()
    db.close()


def timed_write(
    empty: Path, folder: Path, prepared: PreparedImport, name: str, profile: bool = False
) -> tuple[float, pstats.Stats | None]:
    copy = folder / "write.db"
    shutil.copy(empty, copy)
    if name != "plain":
        variant(copy, name)
    workspace = Workspace(f"sqlite:///{copy}")
    if name == "foreign keys off":

        @event.listens_for(workspace.engine, "connect")
        def no_foreign_keys(dbapi_connection: sqlite3.Connection, _record: object) -> None:
            dbapi_connection.execute("PRAGMA foreign_keys = OFF")

    with workspace.reading():  # the connection opened before the clock starts
        pass
    profiler = cProfile.Profile(time.process_time) if profile else None
    started = time.process_time()
    if profiler is not None:
        profiler.enable()
    with workspace.session() as session:
        write_prepared(session, prepared, "bench")
    if profiler is not None:
        profiler.disable()
    spent = time.process_time() - started
    workspace.close()
    copy.unlink()
    return spent, None if profiler is None else pstats.Stats(profiler)


def cumulative(stats: pstats.Stats, function: str) -> float:
    return sum(
        row[3]
        for (_, _, name), row in stats.stats.items()  # type: ignore[attr-defined]
        if name == function
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3, help="writes per variant (median)")
    parser.add_argument("--plain-only", action="store_true", help="only the write as it is")
    args = parser.parse_args()
    import verifier

    print(f"code: {Path(verifier.__file__).parent.parent}; load {os.getloadavg()[0]:.1f}")
    variants = [
        "plain",
        *(f"index {name}" for name in INDEXES),
        "unique (edition, fingerprint)",
        "trigger item_search_insert",
        "trigger item_tally_insert",
        "foreign keys off",
    ]
    if args.plain_only:
        variants = variants[:1]
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        csv_path = folder / "items.csv"
        generate(csv_path, args.rows, EDITION)
        fresh_workspace(folder, EDITION).close()
        empty = folder / "bench.db"
        source = Workspace(f"sqlite:///{empty}")
        prepared = prepare_import(source, csv_path, ImportOptions(user="bench"))
        source.close()
        rows = args.rows
        try:
            _, stats = timed_write(empty, folder, prepared, "plain", profile=True)
            assert stats is not None
            runs = {v: [timed_write(empty, folder, prepared, v)[0] for _ in range(args.repeat)]
                    for v in variants}  # fmt: skip
        finally:
            prepared.close()
    plain = statistics.median(runs["plain"])
    print(f"{'write transaction, part':<48}{'CPU s':>8}{'µs/row':>9}")
    print(f"{'whole write (median)':<48}{plain:>8.2f}{plain / rows * 1e6:>9.1f}")
    for label, function in PROFILED:
        took = cumulative(stats, function)
        print(f"{'  ' + label:<48}{took:>8.2f}{took / rows * 1e6:>9.1f}")
    print("saved by taking away (plain minus variant, medians):")
    for name in variants[1:]:
        saved = plain - statistics.median(runs[name])
        print(f"{'  ' + name:<48}{saved:>8.2f}{saved / rows * 1e6:>9.1f}")
    print(f"runs: { {k: [round(s, 2) for s in v] for k, v in runs.items()} }")
    print(f"load after {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
