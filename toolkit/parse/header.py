"""Header rows: where a table starts, its column groups and unit, and the title and date above it.

A donor header is a row with at least one name column and one amount column (`toolkit.parse.columns`
reads each cell by meaning). The first one must sit within the first `HEADER_SCAN_ROWS` rows; later
ones (a second table in the sheet) anywhere below. Other columns (备注, 日期...) are kept out of the
groups. A header that repeats 序号/姓名/金额 side by side is a *packed* table: each repetition is a group.

Two-row headers: when the row under a header row holds only header words or units (``捐赠金额`` above
``（元）``, or ``捐赠金额`` merged across ``人民币`` | ``美元``), the two rows are read together, column by
column, and the table starts under the second. A name header merged across two columns reads the
name from the second column when the first is blank.

Units: the amount header's unit decides (`toolkit.parse.vocabulary.UNITS`); without one, what the
text around the header states (`toolkit.parse.units`: a ``单位：万元`` line, a title ending
``（单位：万元）``, a title or sheet name naming a foreign currency); without that, 元. A header and a
unit line that disagree are the error ``unit.conflict``. An amount column in a foreign currency beside a 元 column is kept out
of the groups (``Header.foreign``); a header whose only amounts are foreign is a foreign table.

A row with two or more header words but no donor-name column (goods lists, transaction numbers only,
per-day income) is a `NotDonorList`, described for the clerk.

The title is the nearest text row above the header that is not a ``label: value`` line (制表 lines
and the like are skipped) nor an introduction, a sentence ending ``…，现公示如下：``. A title still holding the starter workbook's ``（请修改标题）`` is the
warning ``title.placeholder`` at its first cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from toolkit import codes
from toolkit.errors import Problem, Severity
from toolkit.parse.cells import SheetCells, blank, parse_date
from toolkit.parse.columns import NO_COLUMN, Column, read_column
from toolkit.parse.labels import KEY_VALUE_LINE, match_label
from toolkit.parse.lines import is_intro
from toolkit.parse.vocabulary import (
    AMOUNT,
    CAPITALS_COLUMN,
    CURRENCY,
    DATE,
    GOODS,
    KIND,
    NAME,
    PLACEHOLDER_TITLE,
    SERIAL,
    TRANSACTION,
    WAN,
    YUAN,
)
from toolkit.records import CellValue

__all__ = [
    "HEADER_SCAN_ROWS",
    "Group",
    "Header",
    "NotDonorList",
    "find_header",
    "find_title",
    "header_at",
    "date_above",
    "header_not_found",
    "may_be_header",
]

HEADER_SCAN_ROWS = 30
"""The first header must sit within this many rows from the top of the sheet."""

_DOMESTIC = (None, YUAN, WAN)
_TABLE_ROLES = frozenset({SERIAL, NAME, AMOUNT, KIND})


@dataclass(frozen=True, slots=True)
class Group:
    """Column indexes (0-based) of one 序号/姓名/金额 group; ``serial`` and ``kind`` may be absent.

    ``unit`` is what the amounts are written in (元, 万元 or a foreign currency); ``more_names`` are
    further columns the name header is merged across, read when the name column is blank.
    """

    serial: int | None
    name: int
    amount: int
    kind: int | None
    unit: str = YUAN
    more_names: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Header:
    """A donor table's header.

    Attributes:
        row: the first header row (0-based); ``end`` the last (``row + 1`` for a two-row header).
        groups: its groups, left to right.
        columns: what each header cell says (for messages).
        foreign: ``(column, currency)`` of amount columns in a foreign currency beside 元 ones.
        currency: the 币种 column, if any.
        extra_amounts: further amount columns in 元 or 万元 that no group reads (捐款金额 | 到账金额):
            checked against the amounts read (`toolkit.parse.tables`).
        capitals: a column of each row's amount in capitals (金额（大写）), checked row by row.
    """

    row: int
    end: int
    groups: tuple[Group, ...]
    columns: tuple[Column, ...] = ()
    foreign: tuple[tuple[int, str], ...] = ()
    currency: int | None = None
    extra_amounts: tuple[int, ...] = ()
    capitals: int | None = None

    @property
    def unit(self) -> str:
        """元, 万元 (when any group is in 万元), or the foreign currency of a foreign table."""
        units = {g.unit for g in self.groups}
        foreign = units - {YUAN, WAN}
        if foreign:
            return min(foreign)
        return WAN if WAN in units else YUAN

    @property
    def is_foreign(self) -> bool:
        return self.unit not in (YUAN, WAN)


@dataclass(frozen=True, slots=True)
class NotDonorList:
    """A table that lists no donations: a header with no donor-name column (goods, transaction
    numbers, per-day income…), or a table whose title says the money went out (退款, 支出, 发放…)."""

    row: int
    columns: tuple[Column, ...]
    outflow: str = ""
    """The title that says the money went out, when that is why."""

    @property
    def looks_like(self) -> str:
        """What the sheet looks like, in Chinese: 物资清单, 交易流水, 按日期汇总的收入表…"""
        if self.outflow:
            return f"付出去的钱的清单（标题是“{self.outflow}”），不是收到的捐款"
        roles = {c.role for c in self.columns}
        if GOODS in roles:
            return "物资清单（有品名、规格或数量，不是现金捐款）"
        if TRANSACTION in roles:
            return "交易流水（只有交易单号等，没有捐赠人姓名）"
        if DATE in roles and AMOUNT in roles:
            return "按日期汇总的收入表（只有日期和金额，没有捐赠人姓名）"
        return "一张没有捐赠人姓名列的表格"

    @property
    def words(self) -> str:
        return "、".join(c.text for c in self.columns if c.role is not None)


def may_be_header(row: Sequence[CellValue]) -> bool:
    """A cheap look: two text cells and no number, one of them with a header character in it."""
    texts = 0
    hint = False
    for value in row:
        if isinstance(value, str):
            if value:
                texts += 1
                hint = hint or "额" in value or "款" in value or "名" in value or "号" in value
        elif type(value) is float or type(value) is int:
            return False
    return texts >= 2 and hint


def header_at(cells: SheetCells, r: int) -> Header | NotDonorList | None:
    """The header starting at row ``r`` (one row, or two read together), if the row is one."""
    rows = cells.rows
    top = [read_column(v) for v in rows[r]]
    columns = top
    end = r
    if r + 1 < len(rows) and _continues(rows[r + 1]) and any(c.role for c in top):
        columns = _two_rows(cells, r)
        end = r + 1
    roles = [c.role for c in columns if c.role is not None]
    if NAME in roles and AMOUNT not in roles and any(map(_currency_only, columns)):
        # 姓名 | 人民币（元） | 美元: a column headed by its currency alone holds amounts in it
        columns = [Column(AMOUNT, c.unit, c.text) if _currency_only(c) else c for c in columns]
        roles = [c.role for c in columns if c.role is not None]
    if GOODS in roles and len(roles) >= 2:
        return NotDonorList(r, tuple(columns))  # goods, whatever else the header says
    groups, foreign = _groups(columns)
    if groups:
        spans = _name_spans(cells, r)
        groups = [_with_spans(g, spans) for g in groups]
        currency = next((i for i, c in enumerate(columns) if c.role == CURRENCY), None)
        taken = {g.amount for g in groups} | {col for col, _ in foreign}
        extra = tuple(i for i, c in enumerate(columns) if c.role == AMOUNT and i not in taken)
        capitals = next((i for i, c in enumerate(columns) if c.role == CAPITALS_COLUMN), None)
        return Header(r, end, tuple(groups), tuple(columns), tuple(foreign), currency, extra, capitals)
    if len(roles) >= 2 and NAME not in roles and (AMOUNT in roles or TRANSACTION in roles):
        return NotDonorList(r, tuple(columns))
    return None


def _currency_only(column: Column) -> bool:
    """A header naming a currency and nothing else (人民币, 美元(USD)); a bare 元 or 万元 is no amount
    header: it may head the 元 column of a 元 | 角 | 分 layout."""
    core = column.text.strip("()")
    return (
        column.unit_only
        and core not in ("元", "万元", "万")
        and not core.startswith(("单位:", "金额单位:", "币种:"))
    )


def find_header(cells: SheetCells, start: int, stop: int) -> Header | NotDonorList | None:
    """The first header in rows ``start``..``stop`` (exclusive); a donor header wins over a list
    that is no donor list only when it comes first."""
    for r in range(start, min(stop, len(cells.rows))):
        if any(type(v) is str and v for v in cells.rows[r]):
            found = header_at(cells, r)
            if found is not None:
                return found
    return None


def _continues(row: Sequence[CellValue]) -> bool:
    """A row that finishes the header above it: header words and units only, no number."""
    filled = [v for v in row if not blank(v)]
    if not filled:
        return False
    for value in filled:
        if type(value) is not str:
            return False
        column = read_column(value)
        if column.role is None and not column.unit_only:
            return False
    return True


def _two_rows(cells: SheetCells, r: int) -> list[Column]:
    """Each column's text from two header rows, the upper one spread across its horizontal merge."""
    upper = list(cells.rows[r])
    lower = list(cells.rows[r + 1])
    width = max(len(upper), len(lower))
    upper += [""] * (width - len(upper))
    lower += [""] * (width - len(lower))
    for r0, c0, r1, c1 in cells.sheet.merged:
        if r0 <= r <= r1 and c1 > c0:
            for c in range(c0 + 1, min(c1 + 1, width)):
                if blank(upper[c]):
                    upper[c] = cells.sheet.value(r0, c0)
    columns: list[Column] = []
    for a, b in zip(upper, lower, strict=True):
        if blank(b):
            columns.append(read_column(a))
            continue
        if blank(a):
            columns.append(read_column(b))
            continue
        joined = read_column(f"{a}{b}") if isinstance(a, str) and isinstance(b, str) else NO_COLUMN
        below = read_column(b)
        above = read_column(a)
        if joined.role is not None:
            columns.append(joined)
        elif below.role is not None:
            columns.append(below)
        elif below.unit_only and above.role is not None:
            columns.append(Column(above.role, below.unit, above.text + below.text))
        else:
            columns.append(above)
    return columns


def _groups(columns: list[Column]) -> tuple[list[Group], list[tuple[int, str]]]:
    """Groups of 序号/姓名/金额/类型; a group starts at a 序号, or at a name when the current one has one.

    Amount columns in a foreign currency are kept out of the groups when a 元 column is present.
    """
    domestic = any(c.role == AMOUNT and c.unit in _DOMESTIC for c in columns)
    groups: list[Group] = []
    foreign: list[tuple[int, str]] = []
    current: dict[str, int] = {}

    def close() -> None:
        if NAME in current and AMOUNT in current:
            unit = columns[current[AMOUNT]].unit or YUAN
            groups.append(Group(current.get(SERIAL), current[NAME], current[AMOUNT], current.get(KIND), unit))
        current.clear()

    for col, column in enumerate(columns):
        role = column.role
        if role not in _TABLE_ROLES:
            continue
        if role == AMOUNT and domestic and column.unit not in _DOMESTIC:
            foreign.append((col, str(column.unit)))
            continue
        starts_group = role == SERIAL and (SERIAL in current or NAME in current)
        if starts_group or role in current:
            close()
        current[role] = col
    close()
    return groups, foreign


def _name_spans(cells: SheetCells, r: int) -> dict[int, tuple[int, ...]]:
    """For each header cell merged across columns: its first column → the other columns."""
    return {
        c0: tuple(range(c0 + 1, c1 + 1)) for r0, c0, r1, c1 in cells.sheet.merged if r0 <= r <= r1 and c1 > c0
    }


def _with_spans(g: Group, spans: dict[int, tuple[int, ...]]) -> Group:
    more = tuple(c for c in spans.get(g.name, ()) if c not in (g.amount, g.serial, g.kind))
    if not more:
        return g
    return Group(g.serial, g.name, g.amount, g.kind, g.unit, more)


def find_title(cells: SheetCells, header: Header, top: int = 0) -> str | None:
    """The nearest text row above the header (down to ``top``) that is no ``label: value`` line and
    no introduction (a sentence such as ``…，现公示如下：``, `toolkit.parse.lines.is_intro`).

    Unit cells (``单位：元``) are no part of a title.
    """
    for r in range(header.row - 1, top - 1, -1):
        texts = [
            (c, v)
            for c, v in enumerate(cells.rows[r])
            if isinstance(v, str) and v.strip() and not read_column(v).unit_only
        ]
        if not texts:
            continue
        first = texts[0][1]
        if match_label(first) is not None or KEY_VALUE_LINE.match(first):
            continue
        title = " ".join(cells.clean(v, r, c) for c, v in texts)
        if is_intro(title):
            continue  # 截至…，共接收捐款3笔，现公示如下：the title, if any, is above it
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


def date_above(cells: SheetCells, header: Header, top: int) -> dt.date | None:
    """A date standing alone in a cell above the header (``20200202``, ``2020年2月2日``), if any."""
    for r in range(header.row - 1, top - 1, -1):
        for value in cells.rows[r]:
            if blank(value) or isinstance(value, bool):
                continue
            if isinstance(value, int | float) and not 19_000_101 <= value <= 21_001_231:
                continue  # a small number above the header is no date; an Excel serial would be a guess
            date = parse_date(value)
            if date is not None:
                return date
    return None


def header_not_found(file: str, sheet: str, searched: list[str], hidden: list[str]) -> Problem:
    """``header.not_found``: the column names looked for, the sheets searched, hidden sheets with a list."""
    where = "、".join(f"“{name}”" for name in searched) if searched else "（没有可见的工作表）"
    message = (
        f"没有找到捐款名单的表头：已查看工作表{where}的前 {HEADER_SCAN_ROWS} 行，"
        "要找的是同一行里的 序号列（序号/编号，可省略）、姓名列（捐赠姓名/姓名/捐赠人/捐款人/捐赠单位/单位名称/名称，或“单位/个人”）"
        "和金额列（金额/元、金额（元）、捐款金额、捐赠金额、金额）。请在名单上方加上这样一行表头"
    )
    if hidden:
        names = "、".join(f"“{name}”" for name in hidden)
        message += f"；隐藏的工作表{names}里有名单，但隐藏的工作表不会被读取，请取消隐藏"
    return Problem(codes.HEADER_NOT_FOUND, message, Severity.ERROR, file, sheet, "", "")
