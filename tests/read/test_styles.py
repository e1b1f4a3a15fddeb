"""Spec of `toolkit.read.styles`: number formats that show 万元 or a foreign currency."""

from __future__ import annotations

import pytest
import xlsxwriter

from tests.read.helpers import NAME, only_sheet, xlsxwriter_bytes
from toolkit.read import read_workbook
from toolkit.read.styles import format_unit


@pytest.mark.parametrize(
    ("code", "unit"),
    [
        ('0"万元"', "万元"),
        ('#,##0.00"万"', "万元"),
        ('"$"#,##0.00', "美元"),
        ("[$$-409]#,##0.00", "美元"),
        ("[$US$-409]#,##0.00", "美元"),
        ("[$HK$-C04]#,##0.00", "港币"),
        ("[$€-2] #,##0.00", "欧元"),
        ('#,##0.00"美元"', "美元"),
        ("[$¥-804]#,##0.00", None),
        ('"¥"#,##0.00', None),
        ('#,##0.00"元"', None),
        ("#,##0.00_ ;[Red]-#,##0.00 ", None),
        ('[$-804]yyyy"年"m"月"d"日"', None),
        ("General", None),
    ],
)
def test_format_units(code: str, unit: str | None) -> None:
    assert format_unit(code) == unit


def test_cells_formatted_with_a_unit_are_named_and_others_are_not() -> None:
    def fill(book: xlsxwriter.Workbook) -> None:
        sheet = book.add_worksheet("S")
        sheet.write_row(0, 0, ["姓名", "金额"])
        sheet.write(1, 1, 10, book.add_format({"num_format": '0"万元"'}))
        sheet.write(2, 1, 100, book.add_format({"num_format": '"$"#,##0.00'}))
        sheet.write(3, 1, 5, book.add_format({"num_format": "[$¥-804]#,##0.00"}))
        sheet.write(4, 1, 6, book.add_format({"bold": True}))

    sheet = only_sheet(read_workbook(xlsxwriter_bytes(fill), NAME))
    assert dict(sheet.unit_formats) == {(1, 1): "万元", (2, 1): "美元"}


def test_a_workbook_without_such_formats_names_no_cell() -> None:
    def fill(book: xlsxwriter.Workbook) -> None:
        book.add_worksheet("S").write(0, 0, 1, book.add_format({"num_format": "#,##0.00"}))

    assert dict(only_sheet(read_workbook(xlsxwriter_bytes(fill), NAME)).unit_formats) == {}
