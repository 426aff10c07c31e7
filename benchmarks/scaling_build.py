"""bench_scaling's workspaces: built once per size with the project's generator (imported
from the shell in files of IMPORT_FILE_ROWS rows), then every automatically matched item
of the latest year verified and the edition published; the figures of the building are
kept in a JSON file beside the workspace, for the runs that reuse it."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

from scaling_run import LEAD, SCRIPT, Child, cli, run_child

IMPORT_FILE_ROWS = 250_000
DECISIONS_PER_TRANSACTION = 2_000
LATEST_YEAR = 2023  # bench_review.write_items: 2020-2023


def build(url: str, count: int, figures_file: Path, decide: bool = True) -> dict[str, str]:
    """bench_review's workspace at ``url`` (any backend), unless it holds items already;
    the figures of building it (kept in ``figures_file`` for a later run)."""
    import bench_review
    from sqlalchemy import func
    from sqlmodel import select

    from db.models import Item, Role
    from verifier.core.editions import load_edition
    from verifier.core.people.reviewers import set_reviewer
    from verifier.core.workspace import Workspace

    workspace = Workspace(url)
    workspace.initialise()
    with workspace.reading() as session:
        present = int(session.exec(select(func.count()).select_from(Item)).one())
    if present:
        workspace.close()
        figures = json.loads(figures_file.read_text()) if figures_file.exists() else {}
        if decide and "publish" not in figures:  # an earlier run stopped after its import
            try:
                figures |= decide_and_publish(url)
            except Exception as error:
                print(f"  decisions or publish failed: {error}", flush=True)
                return figures
            figures_file.write_text(json.dumps(figures))
        return figures
    folder = bench_review.edition_folder()
    load_edition(workspace, folder, "bench")
    with workspace.session() as session:  # the reviewers bench_review.measure opens as
        set_reviewer(session, LEAD, Role.LEAD, LEAD, granted_by="bench")
        for name in ("bench-0", "bench-1", "bench-2"):
            set_reviewer(session, name, Role.ASSISTANT, name, granted_by="bench")
    workspace.close()
    seconds, cpu, peak = 0.0, 0.0, 0
    with tempfile.TemporaryDirectory() as tmp:
        for start in range(0, count, IMPORT_FILE_ROWS):
            rows = min(IMPORT_FILE_ROWS, count - start)
            path = Path(tmp) / f"items-{start}.csv"
            bench_review.write_items(path, rows, folder, start=start, agree=True)
            child = run_child(cli(url, "import", str(path), "--no-check"))
            path.unlink()
            seconds, cpu, peak = seconds + child.seconds, cpu + child.cpu, max(peak, child.peak)
            load = os.getloadavg()[0]
            print(f"  imported {start + rows:,} of {count:,}: {child.took()}, load {load:.1f}",
                  flush=True)  # fmt: skip
    files = -(-count // IMPORT_FILE_ROWS)
    shown = Child(seconds, cpu, peak, "").rate(count, "rows")
    figures = {"import": shown + (f" ({files} files)" if files > 1 else "")}
    figures_file.write_text(json.dumps(figures))
    if not decide:
        return figures
    try:
        figures |= decide_and_publish(url)
    except Exception as error:  # the review figures are still worth measuring
        print(f"  decisions or publish failed: {error}", flush=True)
        return figures
    figures_file.write_text(json.dumps(figures))
    return figures


def decide_and_publish(url: str) -> dict[str, str]:
    """Every auto-matched item of the latest year verified (a child process), then
    ``verifier publish`` from the shell."""
    child = run_child([sys.executable, str(SCRIPT), "--child-decide", url])
    decided = int(child.err.strip().splitlines()[-1])
    figures = {"decisions": child.rate(decided, "decisions")}
    print(f"  {decided:,} decisions: {child.took()}", flush=True)
    child = run_child(cli(url, "publish", "--note", "bench_scaling"))
    evidence = evidence_count(url)
    figures["publish"] = child.rate(evidence, "items")
    print(f"  publish, {evidence:,} evidence items: {child.took()}", flush=True)
    figures["evidence items"] = f"{evidence:,}"
    return figures


def evidence_count(url: str) -> int:
    """Evidence items of the latest publication."""
    from sqlalchemy import func
    from sqlmodel import col, select

    from db.models import Publication, PublicationEvidence, PublicationValue
    from verifier.core.workspace import Workspace

    workspace = Workspace(url)
    with workspace.reading() as session:
        latest = session.exec(select(func.max(Publication.id))).one()
        query = (
            select(func.count())
            .select_from(PublicationEvidence)
            .join(PublicationValue, col(PublicationValue.id) == col(PublicationEvidence.value_id))
            .where(col(PublicationValue.publication_id) == latest)
        )
        count = int(session.exec(query).one())
    workspace.close()
    return count


def child_decide(url: str) -> None:
    """Verify every automatically matched item of the latest year, in transactions of
    DECISIONS_PER_TRANSACTION, through the decision function (one event each); resolve
    any conflict a doubtful automatic match leaves. Prints the number verified."""
    from sqlmodel import col, select

    from db.models import Edition, Item, MatchMethod, Status
    from verifier.core.publishing import open_conflicts, resolve_conflict
    from verifier.core.review.decisions import set_status
    from verifier.core.workspace import Workspace

    workspace = Workspace(url)
    with workspace.reading() as session:
        query = select(Item.id).where(
            col(Item.match_method) == MatchMethod.AUTO.value,
            col(Item.value_normalized).is_not(None),
            col(Item.year) == LATEST_YEAR,
            col(Item.status) == Status.UNVERIFIED.value,
        )
        ids = [i for i in session.exec(query.order_by(col(Item.id))) if i is not None]
    for start in range(0, len(ids), DECISIONS_PER_TRANSACTION):
        with workspace.session() as session:
            for item_id in ids[start : start + DECISIONS_PER_TRANSACTION]:
                set_status(session, item_id, Status.VERIFIED, LEAD, note="matches the source")
    with workspace.session() as session:
        edition = session.exec(select(Edition)).one()
        assert edition.id is not None
        for conflict in open_conflicts(session, edition.id):
            _, items = conflict.values[-1]
            resolve_conflict(session, items[0], LEAD, "the more recent printing")
    workspace.close()
    sys.stderr.write(f"{len(ids)}\n")
