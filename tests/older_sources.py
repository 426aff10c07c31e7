"""Edition loads as they were before sources kept only their document's file name."""

from __future__ import annotations

import pytest

from verifier.core.editions import files as edition_files


def record_source_paths_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on in this test, a loaded source (its row, event and version) records the
    absolute path its document was read from, as loads did before."""
    read = edition_files.read_edition_dir

    def as_before(*args: object, **options: object) -> edition_files.EditionFiles:
        loaded = read(*args, **options)  # type: ignore[arg-type]
        for row in loaded.sources:
            row.file_name = row.file_path
        return loaded

    monkeypatch.setattr("verifier.core.editions.load.read_edition_dir", as_before)
