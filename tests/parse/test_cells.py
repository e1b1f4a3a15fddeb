"""Spec of `toolkit.parse.cells`: what one cell value is, as the readers see it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from toolkit.parse.cells import SheetCells, blank, numeric_text, parse_date, serial_of, shown
from toolkit.records import Sheet


@pytest.mark.parametrize("value", [None, "", "  ", "\u3000"])
def test_blank(value: Any) -> None:
    assert blank(value)


@pytest.mark.parametrize("value", [0, "0", "a", dt.date(2020, 1, 1)])
def test_not_blank(value: Any) -> None:
    assert not blank(value)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (-5.0, "-5"),
        (1e17, "100000000000000000"),
        (dt.datetime(2020, 2, 5), "2020-02-05"),
        (None, ""),
        ("a", "a"),
    ],
)
def test_shown_as_excel_shows_it(value: Any, text: str) -> None:
    assert shown(value) == text


@pytest.mark.parametrize(
    ("value", "date"),
    [
        (dt.date(2020, 2, 5), dt.date(2020, 2, 5)),
        (dt.datetime(2020, 2, 5, 9, 30), dt.date(2020, 2, 5)),
        (43866, dt.date(2020, 2, 5)),
        ("2020年2月5日", dt.date(2020, 2, 5)),
        ("2020.2.5", dt.date(2020, 2, 5)),
        ("20200205", dt.date(2020, 2, 5)),
        (20200202, dt.date(2020, 2, 2)),
        ("2020-01-30", dt.date(2020, 1, 30)),
        ("2020.01.25", dt.date(2020, 1, 25)),
        ("2020年1月25日", dt.date(2020, 1, 25)),
        ("二〇二〇年一月二十五日", dt.date(2020, 1, 25)),
        ("二零二零年十二月三十一日", dt.date(2020, 12, 31)),
        ("2020年元月25日", dt.date(2020, 1, 25)),
        ("2020年2月10日（星期一）", dt.date(2020, 2, 10)),
        ("2020年2月10日(周一)", dt.date(2020, 2, 10)),
        ("2020-02-16 星期日", dt.date(2020, 2, 16)),
        ("2020年2月10日（星期二）", None),  # the weekday contradicts the date: neither is guessed
        ("星期一", None),
        ("二〇二〇年二月三十日", None),
        ("2020-02-30", None),
        (2020, None),
        ("张三", None),
    ],
)
def test_parse_date(value: Any, date: dt.date | None) -> None:
    assert parse_date(value) == date


@pytest.mark.parametrize(
    ("value", "serial"), [(3, 3), (3.0, 3), (" 3 ", 3), ("", None), (None, None), (1.5, "bad"), ("一", "bad")]
)
def test_serial_of(value: Any, serial: int | str | None) -> None:
    assert serial_of(value) == serial


@pytest.mark.parametrize(
    ("value", "expected"),
    [(5, True), ("５００", True), ("1.5", True), ("1.5.5", False), (True, False), ("a", False)],
)
def test_numeric_text(value: Any, expected: bool) -> None:
    assert numeric_text(value) is expected


def test_sheet_cells_name_and_locate_problems() -> None:
    cells = SheetCells(Sheet("名单", True, [["a", "b"]]), "x.xlsx")
    assert (cells.cell(0, 27), cells.at(0, 1), cells.at(0, 5), cells.at(0, None)) == ("AB1", "b", None, None)
    assert cells.clean(" 张\x0b 三 ", 0, 1) == "张 三"
    [problem] = cells.problems
    assert (problem.code, problem.file, problem.sheet, problem.cell) == (
        "text.illegal_chars",
        "x.xlsx",
        "名单",
        "B1",
    )
