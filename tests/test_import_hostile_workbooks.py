"""Hostile and damaged workbooks are refused whole, naming the file and the reason:
truncated or malformed, entity expansion, a zip bomb, rows past the sheet's last, an
unknown zip version, and any parse without the hardened XML parser; a false dimension is
not trusted."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.importing_checks import OPTIONS, refused_whole
from tests.importing_helpers import rewrite_member, row, write_xlsx
from verifier.core.importing import ImportOptions, import_file
from verifier.core.importing.limits import ImportLimits
from verifier.core.workspace import Workspace

SHEET = "xl/worksheets/sheet1.xml"


def _book(tmp_path: Path, name: str = "b.xlsx") -> Path:
    return write_xlsx(tmp_path / name, [row(), row(locator="p. 2")])


def test_a_truncated_workbook_isrefused_whole(mini: Workspace, tmp_path: Path) -> None:
    path = _book(tmp_path)
    data = path.read_bytes()
    for cut in (len(data) // 3, len(data) - 30):
        path.write_bytes(data[:cut])
        assert "not a readable XLSX workbook" in refused_whole(mini, path)


def test_malformed_sheet_xml_isrefused_whole(mini: Workspace, tmp_path: Path) -> None:
    path = rewrite_member(_book(tmp_path), SHEET, lambda xml: xml[: len(xml) // 2])
    assert "not a readable XLSX workbook (ParseError" in refused_whole(mini, path)


def test_entity_expansion_isrefused_whole(mini: Workspace, tmp_path: Path) -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            b'<!ENTITY lol%d "%s">' % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10)
            for n in range(1, 10)
        )
        + b"]>"
    )

    def plant(xml: bytes) -> bytes:
        return bomb + xml.replace(b"<t>yearbook-2023</t>", b"<t>&lol9;</t>")

    path = rewrite_member(_book(tmp_path), SHEET, plant)
    assert "its XML declares entities or external references, which are refused" in refused_whole(
        mini, path
    )


def test_a_zip_bomb_is_refused_before_it_is_unpacked(mini: Workspace, tmp_path: Path) -> None:
    path = _book(tmp_path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * 3_000_000)  # packs to a few KB
    assert path.stat().st_size < 100_000
    options = ImportOptions(user="omar", auto_match=False, limits=ImportLimits(max_bytes=1_000_000))
    assert "the workbook unpacks to 3,0" in refused_whole(mini, path, options)


def test_a_row_number_past_the_last_row_isrefused_whole(mini: Workspace, tmp_path: Path) -> None:
    def far(xml: bytes) -> bytes:
        return xml.replace(b'r="3"', b'r="999999999999"').replace(b'3" t=', b'999999999999" t=')

    path = rewrite_member(_book(tmp_path), SHEET, far)
    assert "rows past row 1,048,576" in refused_whole(mini, path)


def test_a_false_dimension_is_not_trusted(mini: Workspace, tmp_path: Path) -> None:
    def huge(xml: bytes) -> bytes:
        return xml.replace(b'<dimension ref="A1:M3" />', b'<dimension ref="A1:XFD1048576" />')

    path = rewrite_member(_book(tmp_path), SHEET, huge)
    report = import_file(mini, path, OPTIONS)
    assert (report.accepted, report.rejected, report.blank_rows) == (2, 0, 0)


def test_a_zip_directory_naming_an_unknown_version_isrefused_whole(
    mini: Workspace, tmp_path: Path
) -> None:
    path = _book(tmp_path)
    data = bytearray(path.read_bytes())
    directory = data.rfind(b"PK\x01\x02")  # the last central directory entry
    data[directory + 6] = 64  # "needs version 6.4 to extract"
    path.write_bytes(bytes(data))
    assert "not a readable XLSX workbook (NotImplementedError" in refused_whole(mini, path)


def test_workbooks_are_never_parsed_without_the_hardened_parser(
    mini: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openpyxl

    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    assert "only read through defusedxml" in refused_whole(mini, _book(tmp_path))
