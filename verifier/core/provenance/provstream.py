"""The report as PROV-JSON, built a chunk of evidence items at a time.

PROV-JSON groups records by type (every entity, then every activity...), so no record can
be written where the report reaches it. Each chunk is built as a small PROV document
(provjson.ProvBuilder), serialised by the ``prov`` package, and its records appended to
one spooled temporary file per record type; the document is then written from those
files. Memory holds one chunk; the records wait on disk. The text is the one the whole
document would give: the same records in the same order, the blank-node identifiers of
unnamed relations (``_:idN``) numbered on across chunks.
"""

from __future__ import annotations

import json
import re
import shutil
from contextlib import ExitStack
from tempfile import SpooledTemporaryFile
from typing import Any

from prov.model import ProvDocument

from verifier.core.provenance.jsonlayout import member
from verifier.core.provenance.model import ReportStream, TextSink
from verifier.core.provenance.provjson import ProvBuilder

CHUNK = 200  # evidence items per PROV document built in memory
INDENT = 1
SPOOL_BYTES = 1 << 20  # a record type's text kept in memory before it goes to disk
_BLANK = re.compile(r"_:id(\d+)")


def write_prov_json(stream: ReportStream, out: TextSink, chunk: int = CHUNK) -> None:
    report = stream.head
    builder = ProvBuilder(report.publication)
    with ExitStack() as files:
        sections = _Sections(files)
        added = 0
        for value in stream.values:
            for _ in builder.value(value):
                added += 1
                if added % chunk == 0:
                    sections.add(builder.take())
        for entry in report.unpublished:
            builder.unpublished(entry)
        sections.add(builder.take())
        sections.write(out)


class _Sections:
    """The records serialised so far, one spooled file per PROV-JSON record type, in the
    order each type first appeared; and the namespaces they use."""

    def __init__(self, files: ExitStack) -> None:
        self.stack = files
        self.prefix: dict[str, Any] = {}
        self.files: dict[str, Any] = {}
        self.written: set[str] = set()
        self.blank = 0  # unnamed relations numbered so far

    def add(self, document: ProvDocument) -> None:
        container: dict[str, Any] = json.loads(str(document.serialize(format="json")))
        for name, uri in container.pop("prefix", {}).items():
            self.prefix.setdefault(name, uri)
        numbered = 0
        for label, records in container.items():
            spool = self.files.get(label)
            if spool is None:
                spooled = SpooledTemporaryFile(SPOOL_BYTES, mode="w+", encoding="utf-8")  # noqa: SIM115 (the stack closes it)
                spool = self.files[label] = self.stack.enter_context(spooled)
            for identifier, record in records.items():
                blank = _BLANK.fullmatch(identifier)
                if blank:
                    identifier = f"_:id{int(blank.group(1)) + self.blank}"
                    numbered += 1
                separator = ",\n" if label in self.written else ""
                spool.write(separator + member(identifier, record, 2, INDENT))
                self.written.add(label)
        self.blank += numbered

    def write(self, out: TextSink) -> None:
        parts = [member("prefix", self.prefix, 1, INDENT)] if self.prefix else []
        out.write("{\n" + ",\n".join(parts))
        for number, (label, spool) in enumerate(self.files.items()):
            lead = ",\n" if parts or number else ""
            out.write(lead + member(label, {}, 1, INDENT)[:-1] + "\n")
            spool.seek(0)
            shutil.copyfileobj(spool, out)
            out.write("\n }")
        out.write("\n}\n")
