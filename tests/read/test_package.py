"""Tests for `toolkit.read.package`: the zip-bomb guards and what a zip holds, for .xlsx and .ods alike."""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Callable

import pytest

from tests.read.helpers import (
    NAME,
    members_of,
    only_sheet,
    openpyxl_bytes,
    refused,
    rezip,
    xlsxwriter_bytes,
    zip_bytes,
)
from tests.read.odf import Table, ods_bytes
from toolkit.read import package, read_workbook


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    """A workbook whose sheet1.xml really inflates to 1.1 GB (about 5 MB on disk)."""
    base = members_of(openpyxl_bytes(lambda b: b.active.__setitem__("A1", 1)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for member, content in base.items():
            if member != "xl/worksheets/sheet1.xml":
                archive.writestr(member, content)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = b"<row/>" * (2**20 // 6)
            for _ in range(1100):
                sheet.write(chunk)
    return out.getvalue()


def test_zip_bomb_is_refused_from_the_directory_alone(
    zip_bomb: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_inflating(*args: object) -> None:
        raise AssertionError("inflated before checking sizes")

    monkeypatch.setattr(package.zlib, "decompressobj", no_inflating)
    problem = refused(zip_bomb)
    assert problem.code == "file.too_large"
    assert "max_unpacked_mb" in problem.message


def test_unpacked_size_cap_is_configurable() -> None:
    data = xlsxwriter_bytes(lambda b: b.add_worksheet().write("A1", "x"))
    total = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())
    problem = refused(data, max_unpacked_bytes=total - 1)
    assert problem.code == "file.too_large"
    assert problem.value.endswith(" MB")
    assert only_sheet(read_workbook(data, NAME, max_unpacked_bytes=total)).rows == (("x",),)


def test_extreme_compression_ratio_is_refused() -> None:
    data = rezip(
        xlsxwriter_bytes(lambda b: b.add_worksheet().write("A1", "x")),
        docProps__app_dot_xml=lambda xml: xml + b" " * (4 * 2**20),
    )
    problem = refused(data)
    assert problem.code == "file.too_compressed"
    assert problem.value == "docProps/app.xml"
    assert only_sheet(read_workbook(data, NAME, max_ratio=10**6)).rows == (("x",),)


def test_small_members_may_compress_well() -> None:
    data = rezip(
        xlsxwriter_bytes(lambda b: b.add_worksheet().write("A1", "x")),
        docProps__app_dot_xml=lambda xml: xml + b" " * (2**20 - 4096),
    )
    assert only_sheet(read_workbook(data, NAME)).rows == (("x",),)


def test_ods_members_are_held_to_the_same_caps() -> None:
    data = ods_bytes(Table("名单", [["x"]]))
    total = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())
    assert refused(data, max_unpacked_bytes=total - 1).code == "file.too_large"
    assert only_sheet(read_workbook(data, NAME, max_unpacked_bytes=total)).rows == (("x",),)


# --------------------------------------------------------------------------- damaged zips and what they hold


def _valid() -> bytes:
    return openpyxl_bytes(lambda b: b.active.__setitem__("A1", "x"))


def _lie_about_size(data: bytes) -> bytes:
    """Shrink the declared size of sheet1.xml in both headers, CRC included."""
    target = b"xl/worksheets/sheet1.xml"
    buffer = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(target.decode())
    local = info.header_offset
    central = data.rindex(b"PK\x01\x02", 0, data.rindex(target))
    struct.pack_into("<I", buffer, local + 22, info.file_size - 10)
    struct.pack_into("<I", buffer, central + 24, info.file_size - 10)
    return bytes(buffer)


def _flip_sheet_bytes(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    buffer = bytearray(data)
    for offset in range(start + 5, start + min(info.compress_size, 40)):
        buffer[offset] ^= 0x55
    return bytes(buffer)


_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
    b"<si><t>&lol3;</t></si></sst>"
)


def _billion_laughs() -> bytes:
    data = xlsxwriter_bytes(lambda b: b.add_worksheet().write("A1", "x"))
    return rezip(data, xl__sharedStrings_dot_xml=lambda _: _LAUGHS)


def _without_sheets() -> bytes:
    return rezip(_valid(), xl__workbook_dot_xml=lambda xml: re.sub(rb"<sheet [^>]*/>", b"", xml))


def _missing_sheet_part() -> bytes:
    members = members_of(_valid())
    del members["xl/worksheets/sheet1.xml"]
    return zip_bytes(members)


CASES: list[tuple[str, Callable[[], bytes], str]] = [
    ("cut in half", lambda: _valid()[: len(_valid()) // 2], "file.truncated"),
    ("last 10 bytes cut", lambda: _valid()[:-10], "file.truncated"),
    ("zip magic only", lambda: b"PK\x03\x04" + bytes(100), "file.truncated"),
    ("docx renamed", lambda: zip_bytes({"word/document.xml": b"<w:document/>"}), "file.docx"),
    (
        "odt renamed",
        lambda: zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}),
        "file.docx",
    ),
    ("xlsb renamed", lambda: zip_bytes({"xl/workbook.bin": b"\x00"}), "file.xlsb"),
    ("apple numbers", lambda: zip_bytes({"Index/Document.iwa": b"\x00"}), "file.unsupported_format"),
    ("plain zip", lambda: zip_bytes({"readme.txt": b"hi"}), "file.not_workbook"),
    ("empty zip", lambda: zip_bytes({}), "file.not_workbook"),
    ("member lies about its size", lambda: _lie_about_size(_valid()), "file.corrupt"),
    ("damaged member", lambda: _flip_sheet_bytes(_valid()), "file.corrupt"),
    ("billion laughs", _billion_laughs, "file.unsafe_xml"),
    ("no sheets", _without_sheets, "workbook.no_sheets"),
    ("all sheets empty", lambda: openpyxl_bytes(lambda b: b.create_sheet("空")), "workbook.empty"),
    ("missing sheet part", _missing_sheet_part, "file.corrupt"),
]


@pytest.mark.parametrize(
    ("make", "code"), [(make, code) for _, make, code in CASES], ids=[c[0] for c in CASES]
)
def test_unreadable_zips_give_one_problem(make: Callable[[], bytes], code: str) -> None:
    assert refused(make()).code == code


def test_unsafe_xml_names_the_part() -> None:
    problem = refused(_billion_laughs())
    assert problem.value == "xl/sharedStrings.xml"


def test_numbers_file_is_told_to_be_saved_as_xlsx() -> None:
    problem = refused(zip_bytes({"Index/Document.iwa": b"\x00"}), "捐款.numbers")
    assert "Numbers" in problem.message and ".xlsx" in problem.message


def test_a_wps_file_that_is_no_known_format_is_told_to_be_saved_as_xlsx() -> None:
    problem = refused(zip_bytes({"et/content.bin": b"\x00"}), "捐款.et")
    assert problem.code == "file.unsupported_format"
    assert "WPS" in problem.message and ".xlsx" in problem.message
