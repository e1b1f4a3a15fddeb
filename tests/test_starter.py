"""Spec for `toolkit.starter`: ``toolkit init`` writes a ready-to-fill donor workbook toolkit can read."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from toolkit.settings import MAX_GROUPS
from toolkit.starter import (
    DATE_FORMAT,
    SHEET,
    SIGNATURE_LABELS,
    StarterLayout,
    starter_layout,
    starter_workbook_bytes,
    write_starter_workbook,
)


def _pipeline_missing() -> str | None:
    """Why the read → parse → validate chain cannot run yet, or ``None`` when it can."""
    for module in ("toolkit.read", "toolkit.parse", "toolkit.validate", "toolkit.money"):
        try:
            importlib.import_module(module)
        except ImportError as exc:
            return f"{module} does not import yet ({exc})"
    return None


PIPELINE_MISSING = _pipeline_missing()


def open_sheet(data: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data))[SHEET]


def values(ws: Any, row: int) -> list[Any]:
    """Values of a 1-based row, trailing blanks dropped."""
    cells = [c.value for c in ws[row]]
    while cells and cells[-1] is None:
        cells.pop()
    return cells


def validations(ws: Any) -> dict[str, Any]:
    """``{sqref: DataValidation}`` of a sheet."""
    return {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}


@pytest.mark.parametrize(
    ("groups", "kinds", "header"),
    [
        (1, False, ["序号", "捐赠姓名", "金额/元"]),
        (1, True, ["序号", "捐赠姓名", "金额/元", "类型"]),
        (4, False, ["序号", "捐赠姓名", "金额/元"] * 4),
        (4, True, ["序号", "捐赠姓名", "金额/元", "类型"] * 4),
    ],
)
def test_title_and_header(groups: int, kinds: bool, header: list[str]) -> None:
    ws = open_sheet(starter_workbook_bytes(groups=groups, kinds=kinds))
    assert "请修改标题" in ws["A1"].value
    assert ws["A1"].font.b
    last = openpyxl.utils.get_column_letter(len(header))
    assert f"A1:{last}1" in {str(r) for r in ws.merged_cells.ranges}
    assert values(ws, 2) == header
    assert ws.freeze_panes == "A3"
    assert ws.print_title_rows == "$2:$2"


def test_four_groups_give_twelve_header_columns() -> None:
    ws = open_sheet(starter_workbook_bytes(groups=4))
    assert len(values(ws, 2)) == 12
    assert ws.max_column == 12


@pytest.mark.parametrize(
    ("groups", "rows", "data_rows", "serials_row_3"),
    [(1, 100, 100, [1]), (4, 100, 25, [1, 26, 51, 76]), (3, 100, 34, [1, 35, 69]), (2, 5, 3, [1, 4])],
)
def test_serials_are_prefilled_down_each_group(
    groups: int, rows: int, data_rows: int, serials_row_3: list[int]
) -> None:
    layout = starter_layout(groups=groups, rows=rows)
    assert layout.data_rows == data_rows
    assert groups * data_rows >= rows
    ws = open_sheet(starter_workbook_bytes(groups=groups, rows=rows))
    assert [ws.cell(3, 1 + 3 * g).value for g in range(groups)] == serials_row_3
    last = 3 + data_rows - 1
    assert ws.cell(last, 1 + 3 * (groups - 1)).value == groups * data_rows
    assert all(ws.cell(r, 2).value is None and ws.cell(r, 3).value is None for r in range(3, last + 1))
    assert ws.cell(3, 3).number_format == "0.00"


@pytest.mark.parametrize(
    ("groups", "formula"), [(1, "=SUM(C3:C102)"), (4, "=SUM(C3:C27,F3:F27,I3:I27,L3:L27)")]
)
def test_total_row_sums_every_amount_column(groups: int, formula: str) -> None:
    ws = open_sheet(starter_workbook_bytes(groups=groups))
    total_row = 3 + starter_layout(groups=groups).data_rows
    assert ws.cell(total_row, 1).value == "合计"
    assert ws.cell(total_row, 3).value == formula
    assert ws.cell(total_row + 1, 1).value == "大写"
    assert ws.cell(total_row + 1, 2).value is None


def test_kinds_total_skips_the_kind_columns() -> None:
    assert starter_layout(groups=2, kinds=True).sum_formula() == "=SUM(C3:C52,G3:G52)"


def test_signature_block_and_note() -> None:
    layout = starter_layout()
    ws = open_sheet(starter_workbook_bytes())
    for label in SIGNATURE_LABELS:
        row = layout.signature_row(label) + 1
        assert ws.cell(row, 1).value == label
        value = ws.cell(row, 2)
        assert value.value is None
        assert value.fill.fill_type == "solid", label
    date_cell = ws.cell(layout.signature_row("日期") + 1, 2)
    assert date_cell.number_format == DATE_FORMAT
    note = ws.cell(layout.note_row + 1, 1).value
    assert note.startswith("说明：")
    assert "watched" in note


def test_data_validation() -> None:
    ws = open_sheet(starter_workbook_bytes(groups=2, kinds=True))
    rules = validations(ws)
    assert rules["A3:A52"].type == "whole"
    assert rules["A3:A52"].operator == "greaterThanOrEqual"
    assert rules["A3:A52"].formula1 == "1"
    assert rules["C3:C52"].type == "custom"
    assert rules["C3:C52"].formula1 == "AND(ISNUMBER(C3),C3>0,ROUND(C3,2)=C3)"
    assert "两位小数" in rules["C3:C52"].error
    assert rules["G3:G52"].formula1 == "AND(ISNUMBER(G3),G3>0,ROUND(G3,2)=G3)"
    assert rules["D3:D52"].type == "list"
    assert rules["D3:D52"].formula1 == '"个人,单位"'
    assert rules["H3:H52"].type == "list"
    date_ref = f"B{starter_layout(groups=2, kinds=True).signature_row('日期') + 1}"
    assert rules[date_ref].type == "date"
    assert all(dv.showErrorMessage for dv in rules.values())


def test_no_kind_dropdown_without_kinds() -> None:
    assert all(dv.type != "list" for dv in validations(open_sheet(starter_workbook_bytes())).values())


def test_print_setup() -> None:
    ws = open_sheet(starter_workbook_bytes(groups=4))
    assert ws.page_setup.paperSize == 9
    assert ws.page_setup.orientation == "portrait"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_options.horizontalCentered
    assert ws.page_margins.left == pytest.approx(0.5)
    assert ws.print_area == f"'{SHEET}'!$A$1:$L${starter_layout(groups=4).note_row + 1}"


def test_column_widths() -> None:
    ws = open_sheet(starter_workbook_bytes(groups=2, kinds=True))
    widths = [ws.column_dimensions[c].width for c in "ABCDEFGH"]
    assert widths[0] < widths[2] < widths[1]
    assert widths[:4] == widths[4:]


@pytest.mark.parametrize(("groups", "rows"), [(0, 100), (MAX_GROUPS + 1, 100), (1, 0), (1, 10_001)])
def test_out_of_range_arguments_are_refused(groups: int, rows: int) -> None:
    with pytest.raises(ValueError, match="between"):
        starter_workbook_bytes(groups=groups, rows=rows)


def test_write_creates_the_file(tmp_path: Path) -> None:
    target = tmp_path / "新捐款名单.xlsx"
    write_starter_workbook(target, groups=4, kinds=True)
    assert len(values(open_sheet(target.read_bytes()), 2)) == 16
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_write_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "捐款名单.xlsx"
    target.write_bytes(b"the clerk's work")
    with pytest.raises(FileExistsError):
        write_starter_workbook(target)
    assert target.read_bytes() == b"the clerk's work"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_xlsxwriter_stores_a_placeholder_total() -> None:
    """Why parse must treat the 合计 result of an unopened starter as unknown, not as 0."""
    data = starter_workbook_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>SUM(C3:C102)</f><v>0</v>" in xml


DONORS: tuple[tuple[str, str, str], ...] = (
    ("新疆质量协会", "15538.27", "单位"),
    ("质量工作者等", "20945.73", "个人"),
    ("王琳萍", "3000", "个人"),
    ("文山江·牙克丹", "500.5", "个人"),
    ("周立德", "50", "个人"),
)


def fill(data: bytes, layout: StarterLayout, donors: Sequence[tuple[str, str, str]], *, title: str) -> bytes:
    """What a clerk (or a script) does: type names, amounts and the signature, then save — no Excel."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb[SHEET]
    ws["A1"] = title
    for i, (name, amount, kind) in enumerate(donors):
        group, row = divmod(i, layout.data_rows)
        r = layout.first_data_row + row + 1
        ws.cell(r, layout.name_col(group) + 1, name)
        number = Decimal(amount)
        ws.cell(
            r, layout.amount_col(group) + 1, int(number) if number == number.to_integral() else float(amount)
        )
        kind_col = layout.kind_col(group)
        if kind_col is not None:
            ws.cell(r, kind_col + 1, kind)
    signature: dict[str, Any] = {
        "收款人": "朱蕊",
        "监督人": "刘刚",
        "单位": "新疆维吾尔自治区质量协会",
        "日期": dt.datetime(2020, 2, 5),
    }
    for label, value in signature.items():
        ws.cell(layout.signature_row(label) + 1, 2, value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.skipif(PIPELINE_MISSING is not None, reason=f"read/parse/validate not ready: {PIPELINE_MISSING}")
@pytest.mark.parametrize(
    ("groups", "kinds", "rows"),
    [(1, False, 100), (4, False, 100), (2, True, 100), (4, False, 5), (MAX_GROUPS, True, 100)],
)
def test_filled_starter_passes_the_check(groups: int, kinds: bool, rows: int) -> None:
    from toolkit.pipeline import check_workbook

    layout = starter_layout(groups=groups, kinds=kinds, rows=rows)
    data = fill(
        starter_workbook_bytes(groups=groups, kinds=kinds, rows=rows), layout, DONORS, title="爱心捐款名单"
    )
    checked = check_workbook(data, "捐款名单.xlsx")
    assert [p.format() for p in checked.problems if p.is_error] == []
    ledger = checked.ledger
    assert ledger is not None
    assert [(d.serial, d.donor, d.amount) for d in ledger.donations] == [
        (i, name, Decimal(amount)) for i, (name, amount, _) in enumerate(DONORS, start=1)
    ]
    assert ledger.total == Decimal("40034.50")
    assert ledger.groups == groups
    assert ledger.title == "爱心捐款名单"
    assert ledger.signature.receiver == "朱蕊"
    assert ledger.signature.supervisor == "刘刚"
    assert ledger.signature.organisation == "新疆维吾尔自治区质量协会"
    assert ledger.signature.date == dt.date(2020, 2, 5)
    if kinds:
        assert [d.kind for d in ledger.donations] == [k for _, _, k in DONORS]
    assert ledger.declared_total is not None
    assert ledger.declared_total.value is None  # formula never calculated: unknown, not 0


@pytest.mark.skipif(PIPELINE_MISSING is not None, reason=f"read/parse/validate not ready: {PIPELINE_MISSING}")
def test_blank_organisation_is_not_taken_from_the_note() -> None:
    layout = starter_layout()
    data = fill(starter_workbook_bytes(), layout, DONORS[:1], title="爱心捐款名单")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    wb[SHEET].cell(layout.signature_row("单位") + 1, 2).value = None
    buf = io.BytesIO()
    wb.save(buf)
    from toolkit.pipeline import check_workbook

    ledger = check_workbook(buf.getvalue(), "捐款名单.xlsx").ledger
    assert ledger is not None
    assert ledger.signature.organisation is None


@pytest.mark.skipif(PIPELINE_MISSING is not None, reason=f"read/parse/validate not ready: {PIPELINE_MISSING}")
def test_unfilled_starter_has_no_donors() -> None:
    from toolkit.pipeline import check_workbook

    checked = check_workbook(starter_workbook_bytes(groups=4), "新.xlsx")
    assert checked.ledger is not None
    assert checked.ledger.donations == ()
