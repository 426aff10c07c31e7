"""What an import left in a workspace: rows counted, the items and rejected rows in file
order, and a file refused whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import func, select

from db.models import ImportBatch, Item, RejectedRow
from verifier.core.errors import InputFileError
from verifier.core.importing import ImportOptions, import_file
from verifier.core.workspace import Workspace

OPTIONS = ImportOptions(user="omar", auto_match=False)


def count_rows(workspace: Workspace, model: type) -> int:
    with workspace.reading() as session:
        return session.exec(select(func.count()).select_from(model)).one()


def items_in_order(workspace: Workspace) -> list[Item]:
    with workspace.reading() as session:
        return list(session.exec(select(Item).order_by(Item.row_number)))


def rejects_in_order(workspace: Workspace) -> list[RejectedRow]:
    with workspace.reading() as session:
        return list(session.exec(select(RejectedRow).order_by(RejectedRow.row_number)))


def refused_whole(workspace: Workspace, path: Path, options: ImportOptions = OPTIONS) -> str:
    """The file is refused whole: a clear error naming it, and nothing written."""
    with pytest.raises(InputFileError) as error:
        import_file(workspace, path, options)
    assert count_rows(workspace, ImportBatch) == 0 and count_rows(workspace, Item) == 0
    message = str(error.value)
    assert message.startswith(str(path))
    return message
