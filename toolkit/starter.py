"""The starter workbook behind ``toolkit init``: a donor list laid out the way toolkit reads it.

Sheet ``捐款名单``: a merged title row, the header ``序号 | 捐赠姓名 | 金额/元`` (plus ``类型`` with
``kinds``) repeated ``groups`` times side by side, a data area with pre-filled serial numbers (a row
with only a serial is an unused slot and is ignored when parsing), a ``合计`` row with a ``SUM``
formula, a ``大写`` row, the signature block (收款人, 监督人, 单位, 日期) and a short note for the clerk.
Data validation keeps amounts positive with at most two decimals; the sheet prints on A4 with the
header repeated on every page.

`starter_workbook_bytes` is pure; `write_starter_workbook` is the one function that writes a file.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.records import column_letter
from toolkit.settings import MAX_GROUPS

__all__ = ["SHEET", "StarterLayout", "starter_layout", "starter_workbook_bytes", "write_starter_workbook"]

log = logging.getLogger(__name__)

SHEET = "捐款名单"
TITLE = "××单位爱心捐款名单（请修改标题）"
GROUP_HEADER = ("序号", "捐赠姓名", "金额/元")
KIND_HEADER = "类型"
KINDS = ("个人", "单位")
SIGNATURE_LABELS = ("收款人", "监督人", "单位", "日期")
TOTAL_LABEL = "合计"
CAPITALS_LABEL = "大写"
NOTE = (
    "说明：① 把第 1 行改成本次活动的标题；② 从第 3 行起每人占一行，左边的编号已排好，"
    "只需填名字和数字（以元为单位，最多两位小数，例如 500 或 500.50，不要写“元”字）；"
    "③ 表格下方浅黄色的格子填签名栏；④ 保存后把文件放进 watched 文件夹，toolkit 会自动核对并生成简报。"
)
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
AMOUNT_FORMAT = "0.00"
_WIDTHS = {"序号": 6, "捐赠姓名": 16, "金额/元": 12, KIND_HEADER: 8}
_MAX_ROWS = 10_000


@dataclass(frozen=True, slots=True)
class StarterLayout:
    """Where everything sits in a starter sheet; all positions are 0-based ``(row, col)``.

    Attributes:
        groups: donor groups side by side.
        kinds: whether each group has a ``类型`` column.
        data_rows: rows in the data area; ``groups * data_rows`` donor slots in all.
        width: columns per group (3, or 4 with ``kinds``).
    """

    groups: int
    kinds: bool
    data_rows: int
    width: int

    title_row: int = 0
    header_row: int = 1
    first_data_row: int = 2

    @property
    def columns(self) -> int:
        return self.groups * self.width

    @property
    def last_data_row(self) -> int:
        return self.first_data_row + self.data_rows - 1

    @property
    def total_row(self) -> int:
        return self.last_data_row + 1

    @property
    def capitals_row(self) -> int:
        return self.total_row + 1

    def signature_row(self, label: str) -> int:
        """Row of a `SIGNATURE_LABELS` entry: label in column A, value in column B."""
        return self.capitals_row + 2 + SIGNATURE_LABELS.index(label)

    @property
    def note_row(self) -> int:
        return self.signature_row(SIGNATURE_LABELS[-1]) + 2

    def serial_col(self, group: int) -> int:
        return group * self.width

    def name_col(self, group: int) -> int:
        return group * self.width + 1

    def amount_col(self, group: int) -> int:
        return group * self.width + 2

    def kind_col(self, group: int) -> int | None:
        return group * self.width + 3 if self.kinds else None

    def serial(self, group: int, row: int) -> int:
        """The pre-filled 序号 of data row ``row`` (0-based within the data area): numbered down each group."""
        return group * self.data_rows + row + 1

    def sum_formula(self) -> str:
        """``=SUM(C3:C102)``, or one range per group: ``=SUM(C3:C27,F3:F27,...)``."""
        first, last = self.first_data_row + 1, self.last_data_row + 1
        ranges = []
        for g in range(self.groups):
            col = _letter(self.amount_col(g))
            ranges.append(f"{col}{first}:{col}{last}")
        return f"=SUM({','.join(ranges)})"


def _letter(col: int) -> str:
    """0-based column index → letters: 0 → ``A``."""
    return column_letter(col + 1)


def starter_layout(*, groups: int = 1, kinds: bool = False, rows: int = 100) -> StarterLayout:
    """The layout for ``groups`` side-by-side groups and at least ``rows`` donor slots.

    The data area is ``ceil(rows / groups)`` rows tall, so 100 slots make 100 rows for one group
    and 25 rows for four.

    Raises:
        ValueError: ``groups`` is not 1–`MAX_GROUPS` (6) or ``rows`` is not 1–10000.
    """
    if not 1 <= groups <= MAX_GROUPS:
        raise ValueError(f"groups must be between 1 and {MAX_GROUPS}, got {groups}")
    if not 1 <= rows <= _MAX_ROWS:
        raise ValueError(f"rows must be between 1 and {_MAX_ROWS}, got {rows}")
    return StarterLayout(groups=groups, kinds=kinds, data_rows=-(-rows // groups), width=4 if kinds else 3)


def starter_workbook_bytes(*, groups: int = 1, kinds: bool = False, rows: int = 100) -> bytes:
    """An empty, ready-to-fill donor workbook (.xlsx bytes) laid out as `starter_layout` describes.

    Pure: built in memory with xlsxwriter. The ``合计`` formula carries xlsxwriter's placeholder
    result 0 until Excel or WPS recalculates; toolkit treats that as unknown, not as 0.

    Raises:
        ValueError: ``groups`` or ``rows`` out of range (see `starter_layout`).
    """
    import xlsxwriter

    layout = starter_layout(groups=groups, kinds=kinds, rows=rows)
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    fmt = _formats(wb)
    ws = wb.add_worksheet(SHEET)
    _write_table(ws, layout, fmt)
    _write_validation(ws, layout)
    _write_footer_block(ws, layout, fmt)
    _set_up_page(ws, layout)
    wb.close()
    return buf.getvalue()


def write_starter_workbook(path: Path, *, groups: int = 1, kinds: bool = False) -> None:
    """Write `starter_workbook_bytes` to ``path``, never replacing an existing file.

    Writing is `toolkit.publish.files.write_new`'s job: ``path`` is never seen half written.

    Raises:
        FileExistsError: ``path`` already exists.
        ValueError: ``groups`` out of range.
        OSError: the folder cannot be written.
    """
    from toolkit.publish.files import write_new

    write_new(path, starter_workbook_bytes(groups=groups, kinds=kinds))
    log.info("写出了空白名单 %s（%d 组%s）", path.name, groups, "，带类型列" if kinds else "")


def _formats(wb: Any) -> dict[str, Any]:
    border = {"border": 1, "valign": "vcenter"}
    fill = {"bg_color": "#FFF2CC", "bottom": 1, "valign": "vcenter"}
    return {
        "title": wb.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"}),
        "header": wb.add_format({**border, "bold": True, "align": "center", "bg_color": "#D9E1F2"}),
        "serial": wb.add_format({**border, "align": "center", "num_format": "0"}),
        "name": wb.add_format(border),
        "amount": wb.add_format({**border, "num_format": AMOUNT_FORMAT}),
        "kind": wb.add_format({**border, "align": "center"}),
        "label": wb.add_format({"bold": True, "valign": "vcenter"}),
        "total": wb.add_format({"bold": True, "num_format": AMOUNT_FORMAT, "top": 1, "bottom": 6}),
        "value": wb.add_format(fill),
        "date": wb.add_format({**fill, "num_format": DATE_FORMAT, "align": "left"}),
        "note": wb.add_format({"text_wrap": True, "valign": "top", "font_size": 10, "font_color": "#595959"}),
    }


def _write_table(ws: Any, layout: StarterLayout, fmt: dict[str, Any]) -> None:
    last_col = layout.columns - 1
    ws.merge_range(layout.title_row, 0, layout.title_row, last_col, TITLE, fmt["title"])
    ws.set_row(layout.title_row, 30)
    header = (*GROUP_HEADER, KIND_HEADER) if layout.kinds else GROUP_HEADER
    for g in range(layout.groups):
        for i, title in enumerate(header):
            col = g * layout.width + i
            ws.write_string(layout.header_row, col, title, fmt["header"])
            ws.set_column(col, col, _WIDTHS[title])
        for r in range(layout.data_rows):
            row = layout.first_data_row + r
            ws.write_number(row, layout.serial_col(g), layout.serial(g, r), fmt["serial"])
            ws.write_blank(row, layout.name_col(g), None, fmt["name"])
            ws.write_blank(row, layout.amount_col(g), None, fmt["amount"])
            kind_col = layout.kind_col(g)
            if kind_col is not None:
                ws.write_blank(row, kind_col, None, fmt["kind"])
    ws.freeze_panes(layout.first_data_row, 0)
    ws.set_selection(layout.first_data_row, 1, layout.first_data_row, 1)


def _write_validation(ws: Any, layout: StarterLayout) -> None:
    first, last = layout.first_data_row, layout.last_data_row
    for g in range(layout.groups):
        serial = layout.serial_col(g)
        ws.data_validation(
            first,
            serial,
            last,
            serial,
            {
                "validate": "integer",
                "criteria": ">=",
                "value": 1,
                "error_title": "序号不对",
                "error_message": "序号请填写从 1 开始的整数，例如 1、2、3。",
            },
        )
        amount = layout.amount_col(g)
        ref = f"{_letter(amount)}{first + 1}"
        ws.data_validation(
            first,
            amount,
            last,
            amount,
            {
                "validate": "custom",
                "value": f"=AND(ISNUMBER({ref}),{ref}>0,ROUND({ref},2)={ref})",
                "error_title": "金额不对",
                "error_message": "金额请填写大于 0 的数字，最多两位小数，例如 500 或 500.50；不要写“元”或其他文字。",
                "input_title": "金额/元",
                "input_message": "只填阿拉伯数字，例如 500 或 500.50",
            },
        )
        kind = layout.kind_col(g)
        if kind is not None:
            ws.data_validation(
                first,
                kind,
                last,
                kind,
                {
                    "validate": "list",
                    "source": list(KINDS),
                    "error_title": "类型不对",
                    "error_message": "类型请从下拉列表中选择“个人”或“单位”。",
                },
            )


def _write_footer_block(ws: Any, layout: StarterLayout, fmt: dict[str, Any]) -> None:
    ws.write_string(layout.total_row, 0, TOTAL_LABEL, fmt["label"])
    ws.write_formula(layout.total_row, layout.amount_col(0), layout.sum_formula(), fmt["total"])
    ws.write_string(layout.capitals_row, 0, CAPITALS_LABEL, fmt["label"])
    for label in SIGNATURE_LABELS:
        row = layout.signature_row(label)
        ws.write_string(row, 0, label, fmt["label"])
        ws.write_blank(row, 1, None, fmt["date" if label == "日期" else "value"])
    date_row = layout.signature_row("日期")
    ws.data_validation(
        date_row,
        1,
        date_row,
        1,
        {
            "validate": "date",
            "criteria": "between",
            "minimum": dt.date(2000, 1, 1),
            "maximum": dt.date(2099, 12, 31),
            "error_title": "日期不对",
            "error_message": "请填写日期，例如 2020/2/5 或 2020-2-5，表格会显示成 2020年2月5日。",
        },
    )
    note_row = layout.note_row
    last_col = max(layout.columns - 1, 1)
    ws.merge_range(note_row, 0, note_row, last_col, NOTE, fmt["note"])
    ws.set_row(note_row, 15 * max(2, -(-len(NOTE) * 2 // _table_width(layout)) + 1))


def _table_width(layout: StarterLayout) -> int:
    """Width of the table in character units (a Chinese character is about two)."""
    per_group = sum(_WIDTHS[t] for t in GROUP_HEADER) + (_WIDTHS[KIND_HEADER] if layout.kinds else 0)
    return per_group * layout.groups


def _set_up_page(ws: Any, layout: StarterLayout) -> None:
    ws.set_paper(9)  # A4
    ws.set_portrait()
    ws.fit_to_pages(1, 0)  # one page wide, as many pages tall as needed
    ws.repeat_rows(layout.header_row)
    ws.center_horizontally()
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.set_footer("&C第 &P 页，共 &N 页")
    ws.print_area(0, 0, layout.note_row, layout.columns - 1)
