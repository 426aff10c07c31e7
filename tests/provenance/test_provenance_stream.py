"""A report over a publication is written as it is read: the same text as the report built
whole, its evidence loaded a chunk at a time and released once written."""

from __future__ import annotations

import io
import json
import weakref
from datetime import datetime
from typing import Any

import prov
import pytest
from sqlmodel import Session

import verifier.core.provenance.report as report_module
import verifier.core.provenance.stream as stream_module
from verifier.core.provenance import (
    ReportFormat,
    build_report,
    render,
    stream_report,
    write_report,
)
from verifier.core.provenance.chains import load_item_chains
from verifier.core.provenance.model import ItemChain
from verifier.core.provenance.provstream import write_prov_json
from verifier.core.workspace import Workspace

SELECTIONS: list[dict[str, Any]] = [
    {"edition_id": 1},
    {"publication_id": 1},
    {"edition_id": 1, "city": "sa-riyadh", "indicator": "TRD-WATER"},
    {"item_id": 5},
    {"item_id": 7},  # not published: explained, no value
    {"edition_id": 1, "city": "ly-tripoli", "indicator": "TRD-WATER"},  # nothing published
]


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_module, "utcnow", lambda: datetime(2026, 1, 2, 3, 4, 5))


def streamed(session: Session, fmt: ReportFormat, **selection: Any) -> str:
    out = io.StringIO()
    write_report(stream_report(session, **selection), fmt, out)
    return out.getvalue()


@pytest.mark.parametrize("fmt", list(ReportFormat))
def test_streamed_text_is_the_report_built_whole(
    published: Workspace, monkeypatch: pytest.MonkeyPatch, fmt: ReportFormat
) -> None:
    for chunk in (1, 2, 500):
        monkeypatch.setattr(stream_module, "CHUNK", chunk)
        for selection in SELECTIONS:
            with published.reading() as session:
                whole = render(build_report(session, **selection), fmt)
                assert streamed(session, fmt, **selection) == whole, (chunk, selection)


def test_prov_json_built_a_chunk_at_a_time_is_the_whole_document(published: Workspace) -> None:
    with published.reading() as session:
        whole = render(build_report(session, edition_id=1), ReportFormat.PROV_JSON)
        for chunk in (1, 2, 3):
            out = io.StringIO()
            write_prov_json(stream_report(session, edition_id=1), out, chunk=chunk)
            assert out.getvalue() == whole
    document = prov.read(io.StringIO(whole), format="json")
    assert len(document.records) > 20
    assert '"_:id1"' in whole  # unnamed relations, numbered on across chunks
    assert json.loads(whole)["prefix"]


class CountingSink(io.StringIO):
    """Records how much text had been written each time a chunk of chains is loaded."""

    def __init__(self) -> None:
        super().__init__()
        self.written_at_load: list[int] = []


@pytest.mark.parametrize("fmt", list(ReportFormat))
def test_chains_are_loaded_in_chunks_and_released_once_written(
    published: Workspace, monkeypatch: pytest.MonkeyPatch, fmt: ReportFormat
) -> None:
    monkeypatch.setattr(stream_module, "CHUNK", 1)
    sink = CountingSink()
    batches: list[int] = []
    alive_at_load: list[int] = []
    loaded: list[weakref.ref[ItemChain]] = []
    real = load_item_chains

    def counting(session: Session, ids: list[int], *args: Any, **kwargs: Any) -> Any:
        alive_at_load.append(sum(1 for ref in loaded if ref() is not None))
        sink.written_at_load.append(len(sink.getvalue()))
        batches.append(len(ids))
        chains = real(session, ids, *args, **kwargs)
        loaded.extend(weakref.ref(chain) for chain in chains.values())
        return chains

    monkeypatch.setattr(stream_module, "load_item_chains", counting)
    with published.reading() as session:
        write_report(stream_report(session, edition_id=1), fmt, sink)
    assert len(batches) >= 3 and set(batches) == {1}  # one evidence item per chunk
    # Earlier chunks are let go as the report moves on: at most the one being written
    # (the writer's loop still names its last item) is alive when the next is loaded.
    assert max(alive_at_load) <= 1
    if fmt != ReportFormat.PROV_JSON:  # PROV-JSON waits for every record of each type
        assert sink.written_at_load[-1] > sink.written_at_load[0]
