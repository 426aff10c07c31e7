"""``verifier source show KEY``: a source, its stored document, and that document's pages,
sheets or sections."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer
from rich.text import Text

from verifier.cli.context import state
from verifier.cli.output import OutputFormat, table, write_csv, write_json
from verifier.core.wording import count

if TYPE_CHECKING:  # the database layer loads only when a command runs
    from sqlmodel import Session

    from db.models import Document
    from verifier.core.evidence.reading import DocumentInfo

_FORMAT_NAMES = {
    "pdf": "PDF",
    "xlsx": "XLSX workbook",
    "csv": "CSV file",
    "html": "HTML page",
    "text": "text file",
    "markdown": "Markdown file",
}


def describe(info: DocumentInfo) -> str:
    """``PDF, 12 pages, text layer, 1.2 MB``; a scan says it has no text layer."""
    from verifier.core.evidence.intake import megabytes

    text = "text extracted" if info.has_text else "no text layer (pictures only)"
    return (
        f"{_FORMAT_NAMES.get(info.format, info.format)}, {count(info.unit_count, info.unit)}, "
        f"{text}, {megabytes(info.size)}"
    )


def document_words(sha256: str, document: Document | None) -> str:
    """A source's document in a few words, for listings: ``pdf, 12 pages``, ``pdf, 2 pages,
    no text layer``, ``not stored`` (a sha256 is recorded, the bytes are not) or ""."""
    if document is None:
        return "not stored" if sha256 else ""
    unit = {"pdf": "page", "xlsx": "sheet", "csv": "sheet"}.get(document.format, "section")
    words = f"{document.format}, {count(document.unit_count, unit)}"
    return words if document.text_state == "text" else f"{words}, no text layer"


def stored_line(session: Session, sha256: str) -> str:
    """One line saying what was stored, for ``source add``."""
    from verifier.core.evidence.reading import document_info

    info = document_info(session, sha256)
    if info is None:
        return f"No document is stored for sha256 {sha256[:12]}."
    line = (
        f"Stored {info.original_name or 'the document'}: {describe(info)} (sha256 {sha256[:12]}…)."
    )
    if not info.has_text:
        line += " The evidence check cannot read it: store a copy with a text layer (OCR)."
    return line


def _document_json(info: DocumentInfo | None) -> dict[str, Any] | None:
    if info is None:
        return None
    return {
        "sha256": info.sha256,
        "format": info.format,
        "media_type": info.media_type,
        "original_name": info.original_name,
        "size": info.size,
        "stored_size": info.stored_size,
        "text_state": info.text_state,
        "unit": info.unit,
        "unit_count": info.unit_count,
        "extractor": info.extractor,
        "stored_by": info.stored_by,
        "stored_at": info.stored_at.isoformat(timespec="seconds"),
        "pages": [
            {
                "number": page.number,
                "kind": page.kind,
                "name": page.name,
                "anchor": page.anchor,
                "has_text": page.has_text,
                "chars": page.chars,
                "rows": page.rows,
                "columns": page.columns,
            }
            for page in info.pages
        ],
    }


def _csv_rows(metadata: dict[str, Any], info: DocumentInfo | None) -> list[list[Any]]:
    """``field,value`` rows: the metadata, then the stored document and each of its pages,
    sheets or sections (``page 1``, ``sheet 2``…) with what it holds."""
    rows: list[list[Any]] = [[name, value or ""] for name, value in metadata.items()]
    if info is None:
        return [*rows, ["document", "not stored"]]
    rows += [
        ["document", describe(info)],
        ["document original name", info.original_name or ""],
        ["document stored size", info.stored_size],
        ["document stored at", info.stored_at.isoformat(timespec="seconds")],
        ["document stored by", info.stored_by],
        ["document text read by", info.extractor],
    ]
    for page in info.pages:
        if info.unit == "sheet":
            held = f"{page.name}: {page.rows} rows, {page.columns} columns, {page.chars} chars"
        elif info.unit == "section":
            anchor = f" (#{page.anchor})" if page.anchor else ""
            held = f"{page.name}{anchor}: {page.chars} chars"
        else:
            held = f"{page.chars} chars" if page.has_text else "no text"
        rows.append([f"{info.unit} {page.number}", held])
    return rows


def show_source(
    ctx: typer.Context,
    key: str = typer.Argument(..., help="The source's key."),
    fmt: OutputFormat = typer.Option(
        OutputFormat.TABLE, "--format", help="table, csv (field, value) or json."
    ),
) -> None:
    """A source's metadata and its stored document: format, size stored in the workspace,
    whether it has a text layer, and its pages (PDF), sheets (XLSX, CSV) or sections (HTML,
    text) with how much text each holds.

    \b
    Example: verifier source show qa-psa-2023
    """
    from verifier.core.evidence.reading import source_document

    cli = state(ctx)
    with cli.workspace().reading() as session:
        source, info = source_document(session, key)
        metadata = {
            "key": source.key,
            "title": source.title,
            "publisher": source.publisher,
            "language": source.language,
            "url": source.url,
            "file": source.file_path,
            "sha256": source.file_sha256,
            "published_on": source.published_on.isoformat() if source.published_on else None,
            "retrieved_on": source.retrieved_on.isoformat() if source.retrieved_on else None,
        }
    if fmt == OutputFormat.JSON:
        write_json({**metadata, "document": _document_json(info)})
        return
    if fmt == OutputFormat.CSV:
        write_csv(["field", "value"], _csv_rows(metadata, info))
        return
    out, bidi = cli.console, cli.bidi
    compact = not out.is_terminal
    fields = [(name.replace("_", " "), value) for name, value in metadata.items() if value]
    if info is not None:
        fields += [
            ("document", describe(info)),
            ("stored size", f"{info.stored_size:,} bytes in the workspace"),
            ("stored", f"{info.stored_at:%Y-%m-%d %H:%M} UTC by {info.stored_by}"),
            ("text read by", info.extractor),
        ]
    out.print(table(f"Source {source.key}", ["field", "value"], fields, bidi=bidi,
                    compact=compact))  # fmt: skip
    if info is None:
        hint = (
            f"The document with sha256 {source.file_sha256[:12]}… is not stored in the workspace."
            if source.file_sha256
            else "No document is stored for this source."
        )
        cli.say(f"{hint} Store it with: verifier source add {key} --title TITLE --file FILE")
        return
    if not info.has_text:
        out.print(Text("No text layer: the pages are pictures. Store a copy with a text layer."))
    unit = info.unit
    if unit == "sheet":
        columns = ["#", "sheet", "rows", "columns", "chars"]
        rows: list[list[Any]] = [[p.number, p.name, p.rows, p.columns, p.chars] for p in info.pages]
    elif unit == "section":
        columns = ["#", "section", "anchor", "chars"]
        rows = [[p.number, p.name, p.anchor, p.chars] for p in info.pages]
    else:
        columns = ["#", "text", "chars"]
        rows = [[p.number, "yes" if p.has_text else "no text", p.chars] for p in info.pages]
    out.print(table(f"{count(len(rows), unit).capitalize()}", columns, rows, bidi=bidi,
                    compact=compact))  # fmt: skip
