"""Finding the donor table's header row, its column groups and the title above it.

The header is a row, within the first `HEADER_SCAN_ROWS` rows, with at least one name column and
one amount column (the words are in `toolkit.parse.vocabulary`). Cells are compared after NFKC
(full-width brackets, colons and digits become ASCII), with spaces, a trailing colon and a unit
suffix (``（元）`` ``(元)`` ``/元`` ``元``) removed. Other columns (备注, 日期...) are ignored.

A header that repeats 序号/姓名/金额 side by side is a *packed* table: each repetition is a group.
The title is the nearest text row above the header that is not a ``label: value`` line (制表 lines
and the like are skipped). A title still holding the starter workbook's ``（请修改标题）`` is the
warning ``title.placeholder`` at its first cell.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from toolkit import codes
from toolkit.errors import Problem, Severity
from toolkit.parse.cells import SheetCells
from toolkit.parse.labels import KEY_VALUE_LINE, match_label
from toolkit.parse.vocabulary import (
    AMOUNT_HEADERS,
    KIND_HEADERS,
    NAME_HEADERS,
    PLACEHOLDER_TITLE,
    SERIAL_HEADERS,
    UNIT_SUFFIX,
)
from toolkit.records import CellValue, Sheet

__all__ = ["HEADER_SCAN_ROWS", "Group", "Header", "find_header", "find_title", "header_not_found"]

HEADER_SCAN_ROWS = 30
"""The header must sit within this many rows from the top of the sheet."""


@dataclass(frozen=True, slots=True)
class Group:
    """Column indexes (0-based) of one 序号/姓名/金额 group; ``serial`` and ``kind`` may be absent."""

    serial: int | None
    name: int
    amount: int
    kind: int | None


@dataclass(frozen=True, slots=True)
class Header:
    """The header row (0-based) and its groups, left to right."""

    row: int
    groups: tuple[Group, ...]


def header_role(value: CellValue) -> str | None:
    """``"serial"``, ``"name"``, ``"amount"``, ``"kind"`` or ``None`` for a header cell."""
    if not isinstance(value, str) or not value:
        return None
    text = "".join(unicodedata.normalize("NFKC", value).split()).rstrip(":")
    text = UNIT_SUFFIX.sub("", text) if text not in NAME_HEADERS else text
    if text in NAME_HEADERS:
        return "name"
    if text in AMOUNT_HEADERS:
        return "amount"
    if text in SERIAL_HEADERS:
        return "serial"
    if text in KIND_HEADERS:
        return "kind"
    return None


def groups_of(row: Sequence[CellValue]) -> tuple[Group, ...]:
    """Split a header row into groups: a group starts at a 序号, or at a name when the current one has one."""
    groups: list[Group] = []
    current: dict[str, int] = {}

    def close() -> None:
        if "name" in current and "amount" in current:
            groups.append(
                Group(current.get("serial"), current["name"], current["amount"], current.get("kind"))
            )
        current.clear()

    for col, value in enumerate(row):
        role = header_role(value)
        if role is None:
            continue
        starts_group = role == "serial" and ("serial" in current or "name" in current)
        if starts_group or role in current:
            close()
        current[role] = col
    close()
    return tuple(groups)


def find_header(sheet: Sheet) -> Header | None:
    """The first row within `HEADER_SCAN_ROWS` that holds at least one group, if any."""
    for r, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        groups = groups_of(row)
        if groups:
            return Header(r, groups)
    return None


def header_not_found(file: str, sheet: str, searched: list[str], hidden: list[str]) -> Problem:
    """``header.not_found``: the column names looked for, the sheets searched, hidden sheets with a list."""
    where = "、".join(f"“{name}”" for name in searched) if searched else "（没有可见的工作表）"
    message = (
        f"没有找到捐款名单的表头：已查看工作表{where}的前 {HEADER_SCAN_ROWS} 行，"
        "要找的是同一行里的 序号列（序号/编号，可省略）、姓名列（捐赠姓名/姓名/捐赠人/捐款人/单位/个人/捐赠单位/名称）"
        "和金额列（金额/元、金额（元）、捐款金额、捐赠金额、金额）。请在名单上方加上这样一行表头"
    )
    if hidden:
        names = "、".join(f"“{name}”" for name in hidden)
        message += f"；隐藏的工作表{names}里有名单，但隐藏的工作表不会被读取，请取消隐藏"
    return Problem(codes.HEADER_NOT_FOUND, message, Severity.ERROR, file, sheet, "", "")


def find_title(cells: SheetCells, header: Header) -> str | None:
    """The nearest text row above the header that is no ``label: value`` line, its cells joined."""
    for r in range(header.row - 1, -1, -1):
        texts = [(c, v) for c, v in enumerate(cells.rows[r]) if isinstance(v, str) and v.strip()]
        if not texts:
            continue
        first = texts[0][1]
        if match_label(first) is not None or KEY_VALUE_LINE.match(first):
            continue
        title = " ".join(cells.clean(v, r, c) for c, v in texts)
        if PLACEHOLDER_TITLE in title:
            cells.problem(
                codes.TITLE_PLACEHOLDER,
                f"标题还是模板里的示例“{title}”，简报会原样用它作标题；"
                f"请把 {cells.cell(r, texts[0][0])} 改成这次捐款的真实标题，如“某某协会抗击疫情爱心捐款名单”",
                r,
                texts[0][0],
                title,
                warn=True,
            )
        return title or None
    return None
