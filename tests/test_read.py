"""Tests for `toolkit.read`: workbook bytes → `Workbook`, and every refusal as one `Problem`.

Every fixture is built in code: workbooks with openpyxl and xlsxwriter, the hostile files by
writing zip members or compound-file bytes by hand.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import struct
import zipfile
from collections.abc import Callable

import openpyxl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from toolkit import read
from toolkit.errors import Problem, UnreadableWorkbook
from toolkit.read import read_workbook
from toolkit.records import Sheet, Workbook

NAME = "捐款名单.xlsx"
_CJK = re.compile("[\u4e00-\u9fff]")


# --------------------------------------------------------------------------- builders


def openpyxl_bytes(fill: Callable[[openpyxl.Workbook], None]) -> bytes:
    book = openpyxl.Workbook()
    fill(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsxwriter_bytes(fill: Callable[[xlsxwriter.Workbook], None]) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    fill(book)
    book.close()
    return out.getvalue()


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    return out.getvalue()


def members_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def rezip(data: bytes, **changes: Callable[[bytes], bytes]) -> bytes:
    """Rewrite members of a zip; keyword names use ``__`` for ``/`` and ``_dot_`` for ``.``."""
    members = members_of(data)
    for key, change in changes.items():
        member = key.replace("__", "/").replace("_dot_", ".")
        members[member] = change(members[member])
    return zip_bytes(members)


def simple_sheet_xml(cells: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{cells}</sheetData></worksheet>"
    ).encode()


def with_sheet_xml(cells: str) -> bytes:
    """A small xlsxwriter workbook whose first sheet's XML is replaced by ``cells``."""
    base = xlsxwriter_bytes(lambda book: book.add_worksheet("数据").write("A1", "x"))
    return rezip(base, xl__worksheets__sheet1_dot_xml=lambda _: simple_sheet_xml(cells))


def cfb_bytes(*streams: str) -> bytes:
    """A minimal OLE2 compound file: header plus one directory sector naming ``streams``."""
    header = bytearray(512)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHH", header, 24, 0x003E, 0x0003, 0xFFFE)  # minor, major, byte order
    struct.pack_into("<HH", header, 30, 9, 6)  # 512-byte sectors, 64-byte mini sectors
    struct.pack_into("<I", header, 48, 0)  # first directory sector
    directory = bytearray()
    for index, stream in enumerate(("Root Entry", *streams)):
        entry = bytearray(128)
        encoded = stream.encode("utf-16-le") + b"\x00\x00"
        entry[0 : len(encoded)] = encoded
        struct.pack_into("<HBB", entry, 64, len(encoded), 5 if index == 0 else 2, 1)
        directory += entry
    directory += bytes(512 - len(directory) % 512)
    return bytes(header) + bytes(directory) + bytes(512)


def refused(data: bytes, **limits: int) -> Problem:
    with pytest.raises(UnreadableWorkbook) as caught:
        read_workbook(data, NAME, **limits)
    assert len(caught.value.problems) == 1
    problem = caught.value.problems[0]
    assert problem.file == NAME
    assert _CJK.search(problem.message), problem.message
    return problem


def only_sheet(book: Workbook) -> Sheet:
    assert len(book.sheets) == 1
    return book.sheets[0]


# --------------------------------------------------------------------------- values and conventions


def _values(book: openpyxl.Workbook) -> None:
    ws = book.active
    ws.title = "捐款"
    ws["A1"] = 500
    ws["B1"] = 15538.27
    ws["C1"] = 0.15
    ws["C1"].number_format = "0%"
    ws["D1"] = True
    ws["E1"] = dt.date(2020, 2, 5)
    ws["F1"] = dt.datetime(2020, 2, 5, 10, 30)
    ws["G1"] = dt.time(13, 30)
    ws["A2"] = "123"
    ws["B2"] = "张三"
    ws["C2"] = 45296
    ws["D2"] = "x_x000B_y"


def test_values_follow_the_documented_conventions() -> None:
    sheet = only_sheet(read_workbook(openpyxl_bytes(_values), NAME))
    assert sheet.name == "捐款"
    assert sheet.visible
    assert sheet.rows == (
        (500.0, 15538.27, 0.15, True, dt.date(2020, 2, 5), dt.datetime(2020, 2, 5, 10, 30), dt.time(13, 30)),
        ("123", "张三", 45296.0, "x\x0by", "", "", ""),
    )
    first = sheet.rows[0]
    assert type(first[0]) is float
    assert repr(first[1]) == "15538.27"
    assert type(first[3]) is bool
    assert isinstance(sheet.rows, tuple)
    assert all(isinstance(row, tuple) for row in sheet.rows)


def test_workbook_records_name_and_sheet_order() -> None:
    def fill(book: openpyxl.Workbook) -> None:
        book.active.title = "说明"
        book.active["A1"] = "说明文字"
        hidden = book.create_sheet("隐藏")
        hidden.sheet_state = "hidden"
        hidden["A1"] = 1
        very = book.create_sheet("深藏")
        very.sheet_state = "veryHidden"
        very["A1"] = 2
        book.create_sheet("名单")["B2"] = "x"

    book = read_workbook(openpyxl_bytes(fill), NAME)
    assert book.name == NAME
    assert [(s.name, s.visible) for s in book.sheets] == [
        ("说明", True),
        ("隐藏", False),
        ("深藏", False),
        ("名单", True),
    ]


def test_rows_are_anchored_at_a1() -> None:
    def fill(book: openpyxl.Workbook) -> None:
        book.active["C3"] = "序号"
        book.active["D4"] = 7

    sheet = only_sheet(read_workbook(openpyxl_bytes(fill), NAME))
    assert sheet.rows == (
        ("", "", "", ""),
        ("", "", "", ""),
        ("", "", "序号", ""),
        ("", "", "", 7.0),
    )
    assert sheet.value(2, 2) == "序号"
    assert sheet.value(9, 9) is None


def test_1904_date_system() -> None:
    def fill(book: openpyxl.Workbook) -> None:
        book.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
        book.active["A1"] = dt.date(2020, 2, 5)
        book.active["B1"] = dt.date(2020, 2, 5)
        book.active["B1"].number_format = 'yyyy"年"m"月"d"日"'

    sheet = only_sheet(read_workbook(openpyxl_bytes(fill), NAME))
    assert sheet.rows == ((dt.date(2020, 2, 5), dt.date(2020, 2, 5)),)


def test_shared_inline_and_rich_strings() -> None:
    def fill(book: xlsxwriter.Workbook) -> None:
        ws = book.add_worksheet()
        bold = book.add_format({"bold": True})
        ws.write_string("A1", "共享")
        ws.write_rich_string("B1", "新疆", bold, "质量", "协会")

    shared = only_sheet(read_workbook(xlsxwriter_bytes(fill), NAME))
    assert shared.rows == (("共享", "新疆质量协会"),)
    inline = only_sheet(
        read_workbook(
            with_sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>内联</t></is></c></row>'), NAME
        )
    )
    assert inline.rows == (("内联",),)


def test_merged_ranges_keep_the_top_left_value() -> None:
    def fill(book: openpyxl.Workbook) -> None:
        book.active.merge_cells("A1:C1")
        book.active["A1"] = "爱心捐款名单"
        book.active.merge_cells("B3:B4")
        book.active["B3"] = 1

    sheet = only_sheet(read_workbook(openpyxl_bytes(fill), NAME))
    assert sorted(sheet.merged) == [(0, 0, 0, 2), (2, 1, 3, 1)]
    assert sheet.rows == (("爱心捐款名单", ""), ("", ""), ("", 1.0))  # as wide as the values, not the merges
    assert sheet.value(3, 1) is None


def test_trailing_empty_rows_are_dropped() -> None:
    cells = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
        '<row r="5"><c r="A5" t="inlineStr"><is><t></t></is></c></row>'
    )
    sheet = only_sheet(read_workbook(with_sheet_xml(cells), NAME))
    assert sheet.rows == (("x",),)


# --------------------------------------------------------------------------- errors and formulas


def test_error_cells_come_back_as_their_text() -> None:
    def fill(book: xlsxwriter.Workbook) -> None:
        ws = book.add_worksheet()
        ws.write_formula("A1", "=1/0", None, "#DIV/0!")
        ws.write_formula("B1", "=NA()", None, "#N/A")
        ws.write_number("C1", 1)

    sheet = only_sheet(read_workbook(xlsxwriter_bytes(fill), NAME))
    assert sheet.rows == (("#DIV/0!", "#N/A", 1.0),)
    assert sheet.formulas_without_value == frozenset()
    assert sheet.placeholder_formulas == frozenset()


def test_typed_error_cell_without_formula() -> None:
    def fill(book: openpyxl.Workbook) -> None:
        book.active["B2"] = "#REF!"  # openpyxl stores error strings as error cells

    sheet = only_sheet(read_workbook(openpyxl_bytes(fill), NAME))
    assert sheet.rows[1][1] == "#REF!"


FORMULA_CELLS = ["B2", "D2", "C7", "AA10"]


def _formulas_openpyxl(book: openpyxl.Workbook) -> None:
    ws = book.active
    ws["A1"] = 1
    for ref in FORMULA_CELLS:
        ws[ref] = "=A1*2"


def _formulas_xlsxwriter(book: xlsxwriter.Workbook) -> None:
    ws = book.add_worksheet()
    ws.write_number("A1", 1)
    for ref in FORMULA_CELLS:
        ws.write_formula(ref, "=A1*2")


def _positions(refs: list[str]) -> frozenset[tuple[int, int]]:
    from openpyxl.utils.cell import coordinate_to_tuple

    return frozenset((row - 1, col - 1) for row, col in map(coordinate_to_tuple, refs))


def test_openpyxl_formulas_have_no_value_and_scan_agrees_with_cells() -> None:
    book = read_workbook(openpyxl_bytes(_formulas_openpyxl), NAME)
    sheet = only_sheet(book)
    assert book.never_calculated
    assert sheet.formulas_without_value == _positions(FORMULA_CELLS)
    assert sheet.placeholder_formulas == frozenset()
    for row, col in sheet.formulas_without_value:
        assert sheet.rows[row][col] == ""


def test_xlsxwriter_formulas_have_placeholder_zero_and_scan_agrees_with_cells() -> None:
    book = read_workbook(xlsxwriter_bytes(_formulas_xlsxwriter), NAME)
    sheet = only_sheet(book)
    assert book.never_calculated
    assert sheet.placeholder_formulas == _positions(FORMULA_CELLS)
    assert sheet.formulas_without_value == frozenset()
    for row, col in sheet.placeholder_formulas:
        assert sheet.rows[row][col] == 0.0


def test_calculated_workbook_keeps_zero_results() -> None:
    calculated = rezip(
        xlsxwriter_bytes(_formulas_xlsxwriter),
        xl__workbook_dot_xml=lambda xml: xml.replace(b' fullCalcOnLoad="1"', b""),
    )
    book = read_workbook(calculated, NAME)
    assert not book.never_calculated
    assert only_sheet(book).placeholder_formulas == frozenset()


@pytest.mark.parametrize(
    ("cell", "missing"),
    [
        ('<c r="B1"><f>A1</f></c>', True),
        ('<c r="B1"><f>A1</f><v/></c>', True),
        ('<c r="B1"><f>A1</f><v></v></c>', True),
        ('<c r="B1" t="str"><f>IF(A1="","","x")</f><v></v></c>', False),
        ('<c r="B1"><f>A1</f><v>3</v></c>', False),
        ('<c r="B1" s="1"><f t="shared" si="0"/></c>', True),
        ('<c s="1" r="B1"><f>A1</f></c>', True),
    ],
)
def test_formula_without_result(cell: str, missing: bool) -> None:
    xml = f'<row r="1"><c r="A1"><v>1</v></c>{cell}</row>'
    sheet = only_sheet(read_workbook(with_sheet_xml(xml), NAME))
    assert sheet.formulas_without_value == (frozenset({(0, 1)}) if missing else frozenset())


def test_cells_without_address_are_numbered_in_order() -> None:
    xml = '<row><c><v>1</v></c><c t="e"><v>#N/A</v></c></row><row><c/><c><f>A1</f></c><c><v>2</v></c></row>'
    sheet = only_sheet(read_workbook(with_sheet_xml(xml), NAME))
    assert sheet.rows == ((1.0, "#N/A", ""), ("", "", 2.0))
    assert sheet.formulas_without_value == frozenset({(1, 1)})


def test_namespace_prefixed_sheet_xml() -> None:
    xml = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
        b'<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c><x:c r="B1"><x:f>A1</x:f></x:c>'
        b'<x:c r="C1" t="e"><x:v>#N/A</x:v></x:c></x:row></x:sheetData></x:worksheet>'
    )
    base = xlsxwriter_bytes(lambda book: book.add_worksheet().write("A1", "x"))
    sheet = only_sheet(read_workbook(rezip(base, xl__worksheets__sheet1_dot_xml=lambda _: xml), NAME))
    assert sheet.rows == ((1.0, "", "#N/A"),)
    assert sheet.formulas_without_value == frozenset({(0, 1)})


def test_chart_sheets_are_skipped() -> None:
    def fill(book: xlsxwriter.Workbook) -> None:
        book.add_worksheet("数据").write_column("A1", [1, 2, 3])
        chart = book.add_chart({"type": "column"})
        chart.add_series({"values": "=数据!$A$1:$A$3"})
        book.add_chartsheet("图表").set_chart(chart)

    book = read_workbook(xlsxwriter_bytes(fill), NAME)
    assert [sheet.name for sheet in book.sheets] == ["数据"]


# --------------------------------------------------------------------------- size and shape limits


def test_row_cap_truncates_and_marks_the_sheet() -> None:
    def fill(book: openpyxl.Workbook) -> None:
        for row in range(1, 11):
            book.active.cell(row, 1, row)
        book.active["B9"] = "=A1"

    sheet = only_sheet(read_workbook(openpyxl_bytes(fill), NAME, max_rows=5))
    assert sheet.truncated
    assert sheet.rows == tuple((float(n),) for n in range(1, 6))
    assert sheet.formulas_without_value == frozenset()
    assert not only_sheet(read_workbook(openpyxl_bytes(fill), NAME, max_rows=10)).truncated


def test_lone_cell_on_the_last_row_is_cheap() -> None:
    sheet = only_sheet(read_workbook(openpyxl_bytes(lambda b: b.active.__setitem__("A1048576", "x")), NAME))
    assert len(sheet.rows) == 1_048_576
    assert sheet.rows[-1] == ("x",)
    # All the empty rows above are one shared tuple, not a million row objects.
    assert sheet.rows[0] is sheet.rows[500_000]
    assert sheet.rows[0] == ("",)


def test_formatting_far_away_does_not_stretch_the_grid() -> None:
    def fill(book: openpyxl.Workbook) -> None:
        book.active["A1"] = "x"
        book.active["XFD1048576"].font = openpyxl.styles.Font(bold=True)

    assert only_sheet(read_workbook(openpyxl_bytes(fill), NAME)).rows == (("x",),)


def test_two_cells_spanning_the_whole_sheet_are_refused() -> None:
    def fill(book: openpyxl.Workbook) -> None:
        book.active.title = "名单"
        book.active["A1"] = "x"
        book.active["XFD1048576"] = "y"

    problem = refused(openpyxl_bytes(fill))
    assert problem.code == "sheet.too_large"
    assert problem.sheet == "名单"
    assert problem.value == "A1:XFD1048576"


def test_far_cell_is_found_when_cells_lack_addresses() -> None:
    xml = '<row r="1"><c><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>'
    problem = refused(with_sheet_xml(xml))
    assert problem.code == "sheet.too_large"
    assert problem.value == "A1:XFD1048576"


def test_cell_cap_is_configurable() -> None:
    def fill(book: openpyxl.Workbook) -> None:
        book.active["A1"] = 1
        book.active["J20"] = 1

    data = openpyxl_bytes(fill)  # A1:J20 is 200 cells
    assert refused(data, max_cells=199).code == "sheet.too_large"
    assert only_sheet(read_workbook(data, NAME, max_cells=200)).rows[19][9] == 1.0


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

    monkeypatch.setattr(read.zlib, "decompressobj", no_inflating)
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


# --------------------------------------------------------------------------- damaged and foreign files


def _valid() -> bytes:
    return openpyxl_bytes(lambda b: b.active.__setitem__("A1", "x"))


def _gbk_csv() -> bytes:
    return "序号,捐赠姓名,金额\n1,张三,500\n".encode("gbk")


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
    ("empty", lambda: b"", "file.empty"),
    ("utf-8 csv", lambda: "序号,姓名,金额\n1,张三,500\n".encode(), "file.csv"),
    ("utf-8 csv with bom", lambda: "\ufeff序号,姓名\n".encode(), "file.csv"),
    ("gbk csv", _gbk_csv, "file.csv"),
    ("utf-16 tab text", lambda: "序号\t姓名\n1\t张三\n".encode("utf-16"), "file.csv"),
    ("text without separators", lambda: b"hello world\n", "file.not_zip"),
    ("random bytes", lambda: random.Random(7).randbytes(4096), "file.not_zip"),
    ("pdf", lambda: b"%PDF-1.7\n\x00\x01\x02\xff\xfe binary", "file.not_zip"),
    ("cut in half", lambda: _valid()[: len(_valid()) // 2], "file.truncated"),
    ("last 10 bytes cut", lambda: _valid()[:-10], "file.truncated"),
    ("zip magic only", lambda: b"PK\x03\x04" + bytes(100), "file.truncated"),
    ("docx renamed", lambda: zip_bytes({"word/document.xml": b"<w:document/>"}), "file.docx"),
    (
        "ods renamed",
        lambda: zip_bytes(
            {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}
        ),
        "file.ods",
    ),
    ("xlsb renamed", lambda: zip_bytes({"xl/workbook.bin": b"\x00"}), "file.xlsb"),
    ("plain zip", lambda: zip_bytes({"readme.txt": b"hi"}), "file.not_workbook"),
    ("empty zip", lambda: zip_bytes({}), "file.not_workbook"),
    ("legacy xls", lambda: cfb_bytes("Workbook", "\x05SummaryInformation"), "file.xls_legacy"),
    ("legacy biff5", lambda: cfb_bytes("Book"), "file.xls_legacy"),
    ("unknown compound file", lambda: cfb_bytes("Something"), "file.xls_legacy"),
    (
        "encrypted",
        lambda: cfb_bytes("EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"),
        "file.encrypted",
    ),
    ("legacy doc", lambda: cfb_bytes("WordDocument", "1Table"), "file.docx"),
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
def test_unreadable_files_give_one_problem(make: Callable[[], bytes], code: str) -> None:
    assert refused(make()).code == code


def test_unsafe_xml_names_the_part() -> None:
    problem = refused(_billion_laughs())
    assert problem.value == "xl/sharedStrings.xml"


def test_encrypted_message_tells_how_to_remove_the_password() -> None:
    problem = refused(cfb_bytes("EncryptionInfo", "EncryptedPackage"))
    assert "用密码进行加密" in problem.message


def test_name_in_the_stream_data_is_not_a_directory_entry() -> None:
    # "Workbook" in UTF-16 inside stream data, off the 128-byte grid, must not count.
    data = cfb_bytes("EncryptedPackage") + b"\x00" * 3 + "Workbook".encode("utf-16-le") + b"\x00\x00"
    assert refused(data).code == "file.encrypted"


# --------------------------------------------------------------------------- fuzzing: nothing else escapes


def outcome(data: bytes) -> Workbook | tuple[Problem, ...]:
    """The workbook read from ``data``, or the problems it was refused with."""
    try:
        return read_workbook(data, NAME)
    except UnreadableWorkbook as exc:
        return exc.problems


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    prefix=st.sampled_from([b"", b"PK\x03\x04", bytes.fromhex("D0CF11E0A1B11AE1")]),
    body=st.binary(max_size=2048),
)
def test_arbitrary_bytes_never_raise_anything_else(prefix: bytes, body: bytes) -> None:
    result = outcome(prefix + body)
    assert isinstance(result, Workbook) or len(result) == 1


_VALID = openpyxl_bytes(_values)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    flips=st.lists(st.tuples(st.integers(0, len(_VALID) - 1), st.integers(1, 255)), min_size=1, max_size=8)
)
def test_damaged_workbooks_never_raise_anything_else(flips: list[tuple[int, int]]) -> None:
    data = bytearray(_VALID)
    for offset, mask in flips:
        data[offset] ^= mask
    result = outcome(bytes(data))
    assert (isinstance(result, Workbook) and result.sheets) or len(result) == 1
