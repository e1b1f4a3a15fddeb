"""Workbook builders shared by the tests, each one a readable spec of a layout.

Run ``python tests/workbooks.py`` to regenerate the sample in ``watched/`` from `seed_workbook`.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl

# The 45 donors of 图2 in ../shared/seed/bulletin-2020-02-14.txt, in serial order.
SEED_DONORS: tuple[tuple[str, str], ...] = (
    ("新疆质量协会", "15538.27"),
    ("质量工作者等", "20945.73"),
    ("王琳萍", "3000"),
    ("和润萍", "1100"),
    ("马克勤", "666"),
    ("马文莉", "600"),
    ("刘长", "500"),
    ("刘炳文", "500"),
    ("于桂春", "500"),
    ("文山江·牙克丹", "500"),
    ("仲伟军", "500"),
    ("祁明业", "500"),
    ("郑向阳", "500"),
    ("王和林", "500"),
    ("刘相麟", "300"),
    ("周俭英", "200"),
    ("张玉国", "200"),
    ("朱蕊", "200"),
    ("凌慧琴", "200"),
    ("马琳", "200"),
    ("瞿建华", "200"),
    ("刘刚", "200"),
    ("谢雨兵", "200"),
    ("李现振", "200"),
    ("赵亚丽", "150"),
    ("宁水榕", "100"),
    ("陈涛", "100"),
    ("张梦彤", "100"),
    ("芦俊", "100"),
    ("王严斌", "100"),
    ("唐秋菊", "100"),
    ("覃勇", "100"),
    ("朱涛", "100"),
    ("杨文学", "100"),
    ("邱江原", "100"),
    ("陈源祥", "100"),
    ("梁钟文", "100"),
    ("马英彬", "100"),
    ("韦晓明", "100"),
    ("徐敏", "100"),
    ("许峰", "100"),
    ("李纹", "100"),
    ("白保军", "100"),
    ("黄蓓", "50"),
    ("周立德", "50"),
)
SEED_TOTAL = Decimal("50000")
SEED_ORG = "新疆维吾尔自治区质量协会"
SEED_TITLE = "新疆质量协会“抗击新冠肺炎疫情”爱心捐款名单"
SEED_SETTINGS_FILE = Path(__file__).resolve().parent.parent / "examples" / "新疆质协.toml"
"""The shipped example settings that give the sample the seed bulletin's masthead, office and lists."""
SEED_SETTINGS_WORDS = ("全国质协系统", "中国质量协会", "第八期", "国资委", "民政部", "图2")
"""Words of the seed's own settings: none of them may appear in a bulletin made without settings."""


def seed_settings() -> Any:
    """`toolkit.settings.Settings` read from `SEED_SETTINGS_FILE`, as ``--config`` reads it."""
    from toolkit.settings import parse_settings

    return parse_settings(
        SEED_SETTINGS_FILE.read_bytes(), SEED_SETTINGS_FILE.name, folder=SEED_SETTINGS_FILE.parent
    )


def _number(text: str) -> int | float:
    value = Decimal(text)
    return int(value) if value == value.to_integral_value() else float(text)


def seed_rows() -> list[list[Any]]:
    """图2 exactly as printed: a title, a 4-group header, 11 rows of 4 groups, the total row that
    also holds donor 45, then 收款人, 监督人, the organisation and 日期."""
    rows: list[list[Any]] = [[SEED_TITLE], ["序号", "捐赠姓名", "金额/元"] * 4]
    for r in range(11):
        row: list[Any] = []
        for g in range(4):
            serial = g * 11 + r + 1
            name, amount = SEED_DONORS[serial - 1]
            row += [serial, name, _number(amount)]
        rows.append(row)
    rows.append(
        ["收款金额合计:", None, "50000元", "大写: 伍万元整", None, None, None, None, None, 45, "周立德", 50]
    )
    rows += [[], ["收款人: 朱蕊"], [], ["监督人: 刘刚"], [], [SEED_ORG], ["日期: 2020年2月5日"]]
    return rows


def build_workbook(rows: Sequence[Sequence[Any]], *, sheet: str = "捐款名单", extra: Any = None) -> bytes:
    """An .xlsx with ``rows`` written from A1 into one sheet; ``extra(ws)`` may add more."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None and value != "":
                ws.cell(row=r, column=c, value=value)
    if extra is not None:
        extra(ws)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def seed_workbook() -> bytes:
    """The sample shipped in ``watched/``: the seed's 图2, column widths set for reading."""

    def widths(ws: Any) -> None:
        for col, width in zip("ABCDEFGHIJKL", [6, 16, 10] * 4, strict=True):
            ws.column_dimensions[col].width = width
        ws.merge_cells("A1:L1")

    return build_workbook(seed_rows(), extra=widths)


def plain_rows(
    donors: Sequence[tuple[str, Any]],
    *,
    total: Any = None,
    capitals: str | None = None,
    signature: bool = True,
    title: str | None = "爱心捐款名单",
) -> list[list[Any]]:
    """A one-group list: title, header, donors, optional 合计/大写, signature block."""
    rows: list[list[Any]] = [[title]] if title else []
    rows.append(["序号", "捐赠姓名", "金额/元"])
    rows += [[i, name, amount] for i, (name, amount) in enumerate(donors, start=1)]
    if total is not None:
        rows.append(["合计", None, total])
    if capitals is not None:
        rows.append(["大写", capitals])
    if signature:
        rows += [["收款人", "朱蕊"], ["监督人", "刘刚"], ["单位", SEED_ORG], ["日期", dt.date(2020, 2, 5)]]
    return rows


@dataclass(frozen=True)
class SheetSpec:
    """One sheet for `build_xlsx`: rows written from A1, and what Excel or WPS adds to a real list.

    Attributes:
        name: the tab name.
        rows: values from A1; ``None`` and ``""`` leave a cell empty; ``datetime.date`` values are
            written as dates.
        merged: ranges to merge, A1 style (``"B65:C65"``); the top-left value stays.
        hidden_rows: 1-based rows to hide.
        state: ``"visible"``, ``"hidden"`` or ``"very hidden"``.
        formulas: A1 cell → ``(formula, saved result)``, as Excel saves a calculated workbook.
        rich: A1 cell → text pieces written as rich text (every other piece bold).
    """

    name: str
    rows: Sequence[Sequence[Any]]
    merged: Sequence[str] = ()
    hidden_rows: Sequence[int] = ()
    state: str = "visible"
    formulas: Mapping[str, tuple[str, Any]] = field(default_factory=dict)
    rich: Mapping[str, Sequence[str]] = field(default_factory=dict)


def build_xlsx(*sheets: SheetSpec) -> bytes:
    """An .xlsx holding ``sheets``, written by xlsxwriter, which saves formula results as Excel does."""
    import xlsxwriter
    from xlsxwriter.utility import xl_cell_to_rowcol

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    bold = book.add_format({"bold": True})
    for spec in sheets:
        ws = book.add_worksheet(spec.name)
        values: dict[tuple[int, int], Any] = {}
        for r, row in enumerate(spec.rows):
            for c, value in enumerate(row):
                if value is None or value == "":
                    continue
                values[r, c] = value
                if isinstance(value, dt.date):
                    ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_format)
                else:
                    ws.write(r, c, value)
        for cell, (formula, result) in spec.formulas.items():
            ws.write_formula(cell, formula, None, result)
        for cell, pieces in spec.rich.items():
            parts: list[Any] = []
            for i, piece in enumerate(pieces):
                parts += [bold, piece] if i % 2 else [piece]
            ws.write_rich_string(cell, *parts)
        for area in spec.merged:
            first = xl_cell_to_rowcol(area.split(":")[0])
            ws.merge_range(area, values.get(first, ""))
        for row in spec.hidden_rows:
            ws.set_row(row - 1, None, None, {"hidden": True})
        if spec.state == "hidden":
            ws.hide()
        elif spec.state == "very hidden":
            ws.very_hidden()
    book.close()
    return buf.getvalue()


if __name__ == "__main__":
    target = Path(__file__).resolve().parent.parent / "watched" / "捐款名单.xlsx"
    target.parent.mkdir(exist_ok=True)
    target.write_bytes(seed_workbook())
    print(f"wrote {target.name}")
