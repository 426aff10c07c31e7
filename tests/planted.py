"""Workspaces holding what today's import refuses (control characters in a cell), as an
older version's import may have stored them: the planted values are written by the import
itself, so the import digests cover them (and the search key derived from them agrees):
the audit trail stays intact."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from verifier.core.eventlog.import_digest import import_digest, match_digest
from verifier.core.importing.batch import ImportOptions
from verifier.core.importing.prepare import prepare_import
from verifier.core.importing.writer import write_prepared
from verifier.core.text import search_fold
from verifier.core.workspace import Workspace


def import_planted(
    workspace: Workspace, path: Path, options: ImportOptions, planted: dict[int, dict[str, Any]]
) -> int:
    """Import ``path`` with the columns of some items replaced: ``planted`` maps an item's
    place in the file (1 for the first accepted row) to its replaced columns. The batch id."""
    prepared = prepare_import(workspace, path, options)
    stage = prepared.stage
    assert stage is not None
    try:
        names = ", ".join(f'"{c}"' for c in stage.columns)
        rows = stage.db.execute(f"SELECT {names} FROM items ORDER BY row_number").fetchall()
        for place, values in planted.items():
            item = dict(zip(stage.columns, rows[place - 1], strict=True))
            item.update(values)
            moment = item["extracted_at"]
            if isinstance(moment, str):  # staged as the driver takes it
                parsed = datetime.fromisoformat(moment)
                item["extracted_at"] = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
            imported = import_digest(item)
            item.update(import_digest=imported, match_digest=match_digest(item, imported))
            changed = {**values, "import_digest": imported, "match_digest": item["match_digest"]}
            # The search key is derived from the label and snippet (derived_columns).
            changed["search_key"] = (
                f"{search_fold(item['raw_label'])} {search_fold(item['snippet'])}"
            )
            sets = ", ".join(f'"{column}" = ?' for column in changed)
            stage.db.execute(
                f"UPDATE items SET {sets} WHERE row_number = ?",
                (*changed.values(), item["row_number"]),
            )
        with workspace.session() as session:
            written = write_prepared(session, prepared, options.user)
    finally:
        prepared.close()
    assert written.batch_id is not None
    return written.batch_id
