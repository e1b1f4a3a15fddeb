"""Turn a worksheet grid into a `Ledger`: find the donor table, read each donor, the totals and the signature.

Pure: takes `Sheet`/`Workbook` records from ``toolkit.read`` and returns a `Ledger`; never touches the
filesystem. Problems met on the way (a bad amount, a missing name...) are collected in
``Ledger.problems``, never raised; ``toolkit.validate.validate_ledger`` adds the checks that need the
whole ledger (totals, capitals, serial numbers, signature).

Which sheet
    `parse_workbook` reads the **first visible sheet whose first 30 rows hold a donor header**
    (`HEADER_SCAN_ROWS`). Hidden and very hidden sheets are never read. When no visible sheet has a
    header, the ledger has no donations and one ``header.not_found`` error that lists the column names
    looked for and the sheets searched.

The header
    A row with at least one name column and one amount column. Cells are compared after NFKC (full-width
    brackets, colons and digits become ASCII), with spaces, a trailing colon and a unit suffix
    (``（元）`` ``(元)`` ``/元`` ``元``) removed:

    - 序号 (optional; without it every serial is ``None``): 序号, 编号;
    - name: 捐赠姓名, 姓名, 捐赠人, 捐款人, 单位/个人, 捐赠单位, 名称 and a few close variants (`NAME_HEADERS`);
    - amount: 金额/元, 金额（元）, 金额(元), 捐款金额, 捐赠金额, 金额 (`AMOUNT_HEADERS`);
    - 类型 (optional donor kind): 类型, 类别, 捐赠类型, 捐款类型.

    Other columns (备注, 日期...) are ignored. A header that repeats 序号/姓名/金额 side by side is a
    *packed* table: each repetition is a group (``Ledger.groups``); numbering runs down each group, then
    across. The title is the nearest text row above the header that is not a ``label: value`` line
    (制表 lines and the like are skipped). A title still holding the starter workbook's
    ``（请修改标题）`` is the warning ``title.placeholder`` at its first cell.

Donor rows
    Below the header each group of each row is one donor when its name or amount cell is filled; a row
    with only a 序号 (pre-numbered, never filled) is skipped silently. A row labelled 小计/本页小计 is
    skipped (never checked, never a donor). The table ends at the first row carrying a footer label:
    a total (合计, 总计, 共计, 收款金额合计, 捐款合计...), capitals (大写...), or a signature label
    (收款人, 监督人, 单位/组织/机构, 日期, 制表人...). Labels in extra columns of a donor row (a 备注 such
    as “单位：某公司”) do not end the table. A row whose only content is one text cell with no 序号, right
    above the footer, is a footer line (the organisation name of the seed), not a donor without amount.

    Donors still present on a total row are read: the seed's last row holds ``收款金额合计:`` and
    ``大写: 伍万元整`` in the first groups and donor 45 in the fourth group. Donations are returned in
    serial order; a donor with a blank 序号 keeps its place after the donor read before it (down each
    group, then across).

    Rows below the end of the table that still look like donors are not read but reported, once, as
    the error ``ledger.rows_after_total`` at the name cell of the first one (the message lists the
    rows): a row with no footer label holding a text name and an amount (a number, or text that reads
    as one) in the columns of a header group whose 序号 cell is blank or a whole number, or a 序号,
    a name and an amount side by side. Not donors: lone lines (the organisation), label lines
    (说明：…, 制表人：…), dates, 小计 rows, summary lines such as ``个人捐款 34461.73`` or
    ``其中单位 …``, 11-digit phone numbers, and a 序号 with nothing else (the unused slots of the
    starter workbook sit above its 合计 anyway). All rows below the table are looked at, not only
    the `FOOTER_SCAN_ROWS` read for the signature.

Cell rules
    - amounts go through ``money.parse_amount`` (numbers, ``¥8,000.00``, ``500元``, full-width digits are
      accepted as they are); zero is refused;
    - names and signature texts lose XML-illegal characters (warning ``text.illegal_chars``), outer
      whitespace and runs of inner whitespace (kept as one space); names longer than `MAX_NAME_LENGTH`
      are refused;
    - the 类型 column maps 单位/企业/公司/机构/团体/集体/组织/法人 to ``"单位"`` and 个人/自然人 to ``"个人"``;
      anything else, blank included, is a ``kind.unknown`` warning and the donation has ``kind=None``.

Footer
    ``合计``/``大写``/``收款人``/``监督人``/``单位``/``日期`` labels take their value from the same cell
    (``收款人: 朱蕊``, ``收款人：朱蕊``, ``收款人 朱蕊``, ``合计：50000``) or from the next filled cell to the
    right. A value glued to its label is read only where it cannot start an ordinary name (``合计50000``,
    ``大写伍万元整``, ``收款人朱蕊``), so donors such as 单位员工 or 大写意文化公司 stay donors. One cell may
    hold several labels (``收款人：朱蕊  监督人：刘刚``). The first 合计 and the first 大写 count; 小计 rows
    are subtotals and never checked. A lone text cell in the footer that is no label is the organisation when no 单位 label gave
    one (the nearest one above 日期). Dates may be Excel dates, text (``2020年2月5日``, ``2020-02-05``,
    ``2020/2/5``, ``2020.2.5``, ``20200205``) or an Excel serial number in a General cell (1900 system,
    e.g. 43866). The footer is read for at most `FOOTER_SCAN_ROWS` rows.

Speed
    100,000 donors parse in about a quarter of a second: label checks look at two or three characters
    before any NFKC or regex, common rows (a whole-number or no serial, a short printable name, a
    positive number as amount) are read inline in one loop per group and anything else goes through
    the careful per-cell readers, and the Decimal of a repeated amount cell value is reused.

Problem codes raised here (all carry file, sheet and cell):
    errors: ``header.not_found``, ``amount.not_a_number``, ``amount.negative``, ``amount.zero``,
    ``amount.too_many_decimals``, ``amount.out_of_range``, ``amount.missing``, ``name.missing``,
    ``name.too_long``, ``amount.formula_without_value``, ``cell.error_value``, ``total.not_a_number``,
    ``ledger.rows_after_total``; warnings: ``total.formula_unknown``, ``capitals.formula_unknown``,
    ``signature.date_unreadable``, ``serial.not_a_number``, ``text.illegal_chars``, ``kind.unknown``,
    ``title.placeholder``. Numbers quoted in messages and in ``Problem.value`` read as Excel shows
    them: ``-5``, not ``-5.0``; ``100000000000000000``, not ``1e+17``.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from toolkit import codes, money
from toolkit.errors import Problem, Severity
from toolkit.records import (
    CellValue,
    Declared,
    Donation,
    Ledger,
    Sheet,
    Signature,
    Workbook,
    column_letter,
)
from toolkit.text import strip_xml_illegal

__all__ = [
    "AMOUNT_HEADERS",
    "FOOTER_SCAN_ROWS",
    "HEADER_SCAN_ROWS",
    "MAX_NAME_LENGTH",
    "NAME_HEADERS",
    "SERIAL_HEADERS",
    "parse_sheet",
    "parse_workbook",
]

log = logging.getLogger(__name__)

HEADER_SCAN_ROWS = 30
"""The header must sit within this many rows from the top of the sheet."""
FOOTER_SCAN_ROWS = 100
"""The signature block is looked for in this many rows after the end of the table."""
MAX_NAME_LENGTH = 100
"""Longer donor names are refused (``name.too_long``)."""

SERIAL_HEADERS = frozenset({"序号", "编号"})
NAME_HEADERS = frozenset(
    {
        "捐赠姓名",
        "捐款姓名",
        "姓名",
        "捐赠人",
        "捐款人",
        "捐赠者",
        "捐款者",
        "单位/个人",
        "个人/单位",
        "姓名/单位",
        "单位/姓名",
        "捐赠人/单位",
        "捐款人/单位",
        "捐赠单位",
        "捐款单位",
        "单位名称",
        "名称",
    }
)
AMOUNT_HEADERS = frozenset({"金额", "捐款金额", "捐赠金额", "捐款额", "捐赠额", "捐款数额", "善款金额"})
KIND_HEADERS = frozenset({"类型", "类别", "捐赠类型", "捐款类型"})

_UNIT_SUFFIX = re.compile(r"(?:\((?:人民币)?元\)|/元|元)$")

_KINDS = {
    **dict.fromkeys(("单位", "企业", "公司", "机构", "团体", "集体", "组织", "法人"), "单位"),
    **dict.fromkeys(("个人", "自然人"), "个人"),
}

_CACHED_TYPES = (int, float, str)  # exact types (bool is no amount); see `_SheetParser.amount`
_AMOUNT_CACHE_SIZE = 4096
_ERROR_VALUES = frozenset(
    {"#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#N/A", "#NUM!", "#NULL!", "#SPILL!", "#CALC!", "#GETTING_DATA"}
)

# Footer labels, by what they introduce.
_TOTAL = "total"
_SUBTOTAL = "subtotal"
_CAPITALS = "capitals"
_RECEIVER = "receiver"
_SUPERVISOR = "supervisor"
_ORG = "organisation"
_DATE = "date"
_OTHER = "other"

_LABELS: dict[str, str] = {
    **dict.fromkeys(
        (
            "合计",
            "总计",
            "共计",
            "合计金额",
            "总金额",
            "总额",
            "金额合计",
            "捐款合计",
            "捐赠合计",
            "捐款总计",
            "捐款总额",
            "捐赠总额",
            "收款合计",
            "收款金额合计",
            "收款总额",
        ),
        _TOTAL,
    ),
    **dict.fromkeys(("小计", "本页小计", "本页合计"), _SUBTOTAL),
    **dict.fromkeys(
        (
            "大写",
            "大写金额",
            "金额大写",
            "合计大写",
            "合计(大写)",
            "金额(大写)",
            "人民币大写",
            "人民币(大写)",
            "大写(人民币)",
        ),
        _CAPITALS,
    ),
    **dict.fromkeys(("收款人", "收款员", "收款", "经收人", "收款经办人"), _RECEIVER),
    **dict.fromkeys(("监督人", "监督员", "监督"), _SUPERVISOR),
    **dict.fromkeys(
        ("单位", "组织", "机构", "组织单位", "主办单位", "组织机构", "单位名称", "收款单位", "主办"), _ORG
    ),
    **dict.fromkeys(("日期", "收款日期", "捐款日期", "统计日期", "截止日期", "时间"), _DATE),
    **dict.fromkeys(
        (
            "制表",
            "制表人",
            "制表单位",
            "制表日期",
            "填表",
            "填表人",
            "填表单位",
            "填表日期",
            "填报单位",
            "编制单位",
            "经办人",
            "审核",
            "审核人",
            "负责人",
            "会计",
            "出纳",
            "备注",
            "说明",
            "联系电话",
            "电话",
            "合计人数",
            "捐款人数",
            "人数",
        ),
        _OTHER,
    ),
}
# Labels may be spaced out for alignment (“收 款 人：”); the longest label wins.
_LABEL_RE = re.compile(
    "^(?P<label>"
    + "|".join(r"\s*".join(map(re.escape, label)) for label in sorted(_LABELS, key=len, reverse=True))
    + r")(?P<gap>\s*:?\s*)(?P<rest>.*)$",
    re.DOTALL,
)
_LABEL_HEADS = frozenset(label[:2] for label in _LABELS)
# A third look for the common names that share two characters with a label (捐赠人… vs 捐赠合计):
# a label of two characters, or the first three characters of a longer one.
_SHORT_LABELS = frozenset(label for label in _LABELS if len(label) == 2)
_LABEL_HEADS3 = frozenset(label[:3] for label in _LABELS if len(label) > 2)
# A rest glued to the label (“合计50000”, “收款人朱蕊”) is taken only for these kinds.
_CAPITAL_START = frozenset("零壹贰叁肆伍陆柒捌玖拾人")
# A signature cell may hold several labels: “收款人：朱蕊  监督人：刘刚”.
_INNER_LABEL = re.compile(
    r"\s+(?=(?:" + "|".join(map(re.escape, sorted(_LABELS, key=len, reverse=True))) + r")\s*:)"
)
_KEY_VALUE_LINE = re.compile(r"^\s*\S{1,8}?\s*[:：]")

# Lines under a 合计 that pair a text with a figure but are no donor: “个人捐款 34461.73”, “其中单位”,
# “个人小计”; and 11-digit numbers starting with 1 (a mobile phone number, not an amount).
_SUMMARY_NAME = re.compile(
    r"^其中|^(?:个人|单位|企业|团体|集体)(?:捐款|捐赠|合计|小计|总计|共计|金额|总额|人数|部分)*$"
    r"|(?:合计|小计|总计|共计|总额|人数)$"
)
_PHONE = (Decimal(10_000_000_000), Decimal(20_000_000_000))
_REFUSED_AMOUNTS = frozenset(
    {codes.AMOUNT_NEGATIVE, codes.AMOUNT_TOO_MANY_DECIMALS, codes.AMOUNT_OUT_OF_RANGE}
)

_PLACEHOLDER_TITLE = "请修改标题"  # in the title of the starter workbook (``toolkit.starter.TITLE``)

_DATE_TEXT = re.compile(r"^(\d{4})\s*(?:年|[-/.])\s*(\d{1,2})\s*(?:月|[-/.])\s*(\d{1,2})\s*(?:日|号)?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIAL_DATES = (10_000, 100_000)  # Excel serials accepted as dates: 1927 to 2173

_AMOUNT_CODES = frozenset(
    {
        codes.AMOUNT_NOT_A_NUMBER,
        codes.AMOUNT_NEGATIVE,
        codes.AMOUNT_TOO_MANY_DECIMALS,
        codes.AMOUNT_OUT_OF_RANGE,
    }
)


def parse_workbook(workbook: Workbook) -> Ledger:
    """Parse the donor table of ``workbook``.

    The sheet read is the first *visible* sheet (tab order) with a donor header in its first
    `HEADER_SCAN_ROWS` rows; hidden sheets are skipped even when they hold a table. Without such a sheet
    the ledger has no donations and a ``header.not_found`` error naming the sheets searched.
    """
    visible = [s for s in workbook.sheets if s.visible]
    for sheet in visible:
        header = _find_header(sheet)
        if header is not None:
            log.debug("donor header in %s › %s row %d", workbook.name, sheet.name, header.row + 1)
            return _SheetParser(sheet, workbook.name, header).parse()
    hidden = [s.name for s in workbook.sheets if not s.visible and _find_header(s) is not None]
    problem = _header_not_found(workbook.name, "", [s.name for s in visible], hidden)
    first = visible[0].name if visible else ""
    return Ledger(file=workbook.name, sheet=first, donations=(), problems=(problem,))


def parse_sheet(sheet: Sheet, file: str) -> Ledger:
    """Parse the donor table of one sheet (visible or not); ``file`` names the workbook in problems."""
    header = _find_header(sheet)
    if header is None:
        problem = _header_not_found(file, sheet.name, [sheet.name], [])
        return Ledger(file=file, sheet=sheet.name, donations=(), problems=(problem,))
    return _SheetParser(sheet, file, header).parse()


# --- header -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Group:
    """Column indexes (0-based) of one 序号/姓名/金额 group; ``serial`` and ``kind`` may be absent."""

    serial: int | None
    name: int
    amount: int
    kind: int | None


@dataclass(frozen=True, slots=True)
class _Header:
    row: int
    groups: tuple[_Group, ...]


def _header_role(value: CellValue) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    text = "".join(unicodedata.normalize("NFKC", value).split()).rstrip(":")
    text = _UNIT_SUFFIX.sub("", text) if text not in NAME_HEADERS else text
    if text in NAME_HEADERS:
        return "name"
    if text in AMOUNT_HEADERS:
        return "amount"
    if text in SERIAL_HEADERS:
        return "serial"
    if text in KIND_HEADERS:
        return "kind"
    return None


def _groups(row: Sequence[CellValue]) -> tuple[_Group, ...]:
    """Split a header row into groups: a group starts at a 序号, or at a name when the current one has one."""
    groups: list[_Group] = []
    current: dict[str, int] = {}

    def close() -> None:
        if "name" in current and "amount" in current:
            groups.append(
                _Group(current.get("serial"), current["name"], current["amount"], current.get("kind"))
            )
        current.clear()

    for col, value in enumerate(row):
        role = _header_role(value)
        if role is None:
            continue
        starts_group = role == "serial" and ("serial" in current or "name" in current)
        if starts_group or role in current:
            close()
        current[role] = col
    close()
    return tuple(groups)


def _find_header(sheet: Sheet) -> _Header | None:
    for r, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
        groups = _groups(row)
        if groups:
            return _Header(r, groups)
    return None


def _header_not_found(file: str, sheet: str, searched: list[str], hidden: list[str]) -> Problem:
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


# --- labels and cells ---------------------------------------------------------------------------


_LABEL_FOLD = str.maketrans({"：": ":", "\u3000": " ", "\u00a0": " ", "﹕": ":"})


_TEXT_KINDS = frozenset({_RECEIVER, _SUPERVISOR, _ORG})


def _match_label(text: str) -> tuple[str, str] | None:
    """``("total", "50000")`` for ``合计：50000``; ``None`` when ``text`` is no footer label."""
    # Only colons and spaces are folded to half width: the value keeps what the clerk typed, so
    # full-width brackets in an organisation's name stay full-width.
    norm = unicodedata.normalize("NFKC", text).strip()
    m = _LABEL_RE.match(norm)
    if m is None:
        return None
    kind = _LABELS["".join(m["label"].split())]
    rest = m["rest"].strip()
    if kind in _TEXT_KINDS:
        narrow = _LABEL_RE.match(text.translate(_LABEL_FOLD).strip())
        if narrow is not None and _LABELS["".join(narrow["label"].split())] == kind:
            rest = narrow["rest"].strip()
    if rest and not m["gap"] and not _glued_ok(kind, m["label"], rest):
        return None
    return kind, rest


def _glued_ok(kind: str, label: str, rest: str) -> bool:
    """May a value follow the label with no colon or space (“合计50000”, “收款人朱蕊”)?

    Only when it cannot be the start of an ordinary name: a number after a total or a date, a
    capital numeral after 大写, a name after a label ending in 人 or 员.
    """
    first = rest[0]
    if kind in (_TOTAL, _SUBTOTAL, _DATE):
        return first.isdigit() or first == "¥"
    if kind == _CAPITALS:
        return first in _CAPITAL_START
    return kind in (_RECEIVER, _SUPERVISOR) and label[-1] in "人员"


def _blank(value: CellValue) -> bool:
    return value is None or value == "" or (type(value) is str and not value.strip())


def _shown(value: CellValue) -> str:
    """A cell value as the clerk would read it."""
    if value is None:
        return ""
    if isinstance(value, float):
        return money.excel_number_text(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _donor_like(name: CellValue, amount: CellValue) -> bool:
    """A name and an amount that read as one donation (see `_SheetParser.stray_donor`)."""
    if type(name) is not str or _blank(name) or _numeric_text(name) or _is_error_value(name):
        return False
    text = "".join(unicodedata.normalize("NFKC", name).split())
    if _SUMMARY_NAME.search(text) or _parse_date(text) is not None or _match_label(name) is not None:
        return False
    try:
        value = money.parse_amount(amount)
    except money.InvalidAmount as exc:
        return exc.code in _REFUSED_AMOUNTS
    return bool(value) and not (_PHONE[0] <= value < _PHONE[1] and value == value.to_integral_value())


def _is_error_value(value: CellValue) -> bool:
    return type(value) is str and value[:1] == "#" and value.strip() in _ERROR_VALUES


def _numeric_text(value: CellValue) -> bool:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return True
    if isinstance(value, str):
        return unicodedata.normalize("NFKC", value).strip().replace(".", "", 1).isdigit()
    return False


def _parse_date(value: CellValue) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and _SERIAL_DATES[0] <= value < _SERIAL_DATES[1]:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        return None
    if not isinstance(value, str):
        return None
    text = unicodedata.normalize("NFKC", value).strip()
    m = _DATE_TEXT.match(text) or _DATE_COMPACT.match(text)
    if m is None:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _serial_of(value: CellValue) -> int | None | str:
    """The 序号 as an int, ``None`` when blank, or ``"bad"`` when it is no whole number."""
    if value is None or value == "":
        return None
    if type(value) is int:
        return value
    if type(value) is float:
        return int(value) if value.is_integer() else "bad"
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        return int(text) if text.isdecimal() else "bad"
    return "bad"


# --- one sheet ----------------------------------------------------------------------------------

_Candidate = tuple[int, int | None, int, int, int | None]
"""(row, serial col, name col, amount col, kind col) of a donor found on a footer row."""


class _SheetParser:
    """Reads one sheet whose header is known; collects problems as it goes."""

    def __init__(self, sheet: Sheet, file: str, header: _Header) -> None:
        self.sheet = sheet
        self.sheet_name = sheet.name
        self.file = file
        self.header = header
        self.rows = sheet.rows
        self.problems: list[Problem] = []
        self.unknown = sheet.formulas_without_value | sheet.placeholder_formulas
        self.group_cols = frozenset(
            c for g in header.groups for c in (g.serial, g.name, g.amount) if c is not None
        )
        self.kind_cols = frozenset(g.kind for g in header.groups if g.kind is not None)
        self.letters: dict[int, str] = {
            c: column_letter(c + 1)
            for g in header.groups
            for c in (g.serial, g.name, g.amount)
            if c is not None
        }
        self.kind_cache: dict[str, str | None] = {}
        self.amount_cache: dict[CellValue, Decimal] = {}
        self.total: Declared | None = None
        self.capitals: Declared | None = None
        self.signature: dict[str, str | dt.date] = {}
        self.date_row: int | None = None
        self.lone_texts: list[tuple[int, str]] = []
        self.per_group: list[list[int]] = []
        self.late: list[list[_Candidate]] = [[] for _ in header.groups]
        self.footer_start = len(sheet.rows)
        self.footer_end = len(sheet.rows)
        self.total_row: int | None = None
        self.stray: list[tuple[int, int, int]] = []  # (row, name col, amount col) below the table's end

    # helpers

    def cell(self, row: int, col: int) -> str:
        letter = self.letters.get(col)
        if letter is None:
            letter = self.letters[col] = column_letter(col + 1)
        return f"{letter}{row + 1}"

    def at(self, row: int, col: int | None) -> CellValue:
        if col is None:
            return None
        cells = self.rows[row]
        return cells[col] if col < len(cells) else None

    def problem(
        self, code: str, message: str, row: int, col: int, value: CellValue, *, warn: bool = False
    ) -> None:
        severity = Severity.WARNING if warn else Severity.ERROR
        cell = self.cell(row, col)
        self.problems.append(
            Problem(code, message, severity, self.file, self.sheet.name, cell, _shown(value))
        )

    def clean(self, text: str, row: int, col: int) -> str:
        """Remove XML-illegal characters (warning) and collapse whitespace."""
        cleaned, changed = strip_xml_illegal(text)
        result = " ".join(cleaned.split())
        if changed:
            self.problem(
                codes.TEXT_ILLEGAL_CHARS,
                f"文字中有不可见的控制字符，已删除，请核对内容：“{result}”",
                row,
                col,
                result,
                warn=True,
            )
        return result

    # the whole sheet

    def parse(self) -> Ledger:
        self.per_group, footer_rows = self.scan_table()
        for r in footer_rows:
            self.read_footer_row(r)
        for r in range(self.footer_end, len(self.rows)):
            row = self.rows[r]
            found = self.stray_donor(row)
            if found is not None and not any(type(v) is str and _match_label(v) for v in row):
                self.stray.append((r, *found))
        if self.stray:
            self.stray_problem()
        donations = self.build()
        organisation = self.signature.get(_ORG)
        if organisation is None and self.lone_texts:
            organisation = self.pick_organisation()
        date = self.signature.get(_DATE)
        signature = Signature(
            receiver=_as_text(self.signature.get(_RECEIVER)),
            supervisor=_as_text(self.signature.get(_SUPERVISOR)),
            organisation=_as_text(organisation),
            date=date if isinstance(date, dt.date) else None,
        )
        return Ledger(
            file=self.file,
            sheet=self.sheet.name,
            donations=donations,
            declared_total=self.total,
            declared_capitals=self.capitals,
            signature=signature,
            title=self.find_title(),
            groups=len(self.header.groups),
            problems=tuple(self.problems),
        )

    def find_title(self) -> str | None:
        for r in range(self.header.row - 1, -1, -1):
            texts = [(c, v) for c, v in enumerate(self.rows[r]) if isinstance(v, str) and v.strip()]
            if not texts:
                continue
            first = texts[0][1]
            if _match_label(first) is not None or _KEY_VALUE_LINE.match(first):
                continue
            title = " ".join(self.clean(v, r, c) for c, v in texts)
            if _PLACEHOLDER_TITLE in title:
                self.problem(
                    codes.TITLE_PLACEHOLDER,
                    f"标题还是模板里的示例“{title}”，简报会原样用它作标题；"
                    f"请把 {self.cell(r, texts[0][0])} 改成这次捐款的真实标题，如“某某协会抗击疫情爱心捐款名单”",
                    r,
                    texts[0][0],
                    title,
                    warn=True,
                )
            return title or None
        return None

    # the table

    def scan_table(self) -> tuple[list[list[int]], list[int]]:
        """The rows holding a donor, per group (ascending), and the rows of the footer."""
        rows = self.rows
        groups = [(i, g.name, g.amount) for i, g in enumerate(self.header.groups)]
        per_group: list[list[int]] = [[] for _ in groups]
        end = len(rows)
        footer_start = end
        for r in range(self.header.row + 1, end):
            row = rows[r]
            width = len(row)
            state = self.row_state(row)
            if state == _SUBTOTAL:
                continue
            if state is not None:
                footer_start = r
                break
            for gi, nc, ac in groups:
                name = row[nc] if nc < width else None
                amount = row[ac] if ac < width else None
                if (name is None or name == "" or (type(name) is str and name.isspace())) and (
                    amount is None or amount == "" or (type(amount) is str and amount.isspace())
                ):
                    continue
                per_group[gi].append(r)
        lone = self.lone_rows_before(footer_start, per_group)
        self.footer_start, self.footer_end = footer_start, min(end, footer_start + FOOTER_SCAN_ROWS)
        footer = lone + list(range(footer_start, self.footer_end))
        return per_group, footer

    def row_state(self, row: Sequence[CellValue]) -> str | None:
        """``"footer"`` when the row starts the footer, ``"subtotal"`` for a 小计 row, else ``None``."""
        footer_elsewhere = False
        heads, short, heads3 = _LABEL_HEADS, _SHORT_LABELS, _LABEL_HEADS3
        for c, value in enumerate(row):
            if type(value) is not str or not value:
                continue
            head = value[:2]
            if head not in heads:
                if not value[0].isspace() and not value[1:2].isspace():
                    continue  # cheap pre-check: no label starts with these two characters
            elif head not in short and "\u4e00" <= value[2:3] <= "\u9fff" and value[:3] not in heads3:
                continue  # a CJK ideograph (NFKC leaves it alone) that continues no label
            if c in self.kind_cols:
                continue
            label = _match_label(value)
            if label is None:
                continue
            if label[0] == _SUBTOTAL:
                return _SUBTOTAL
            if c in self.group_cols:
                return "footer"
            footer_elsewhere = True
        if footer_elsewhere and not self.has_donor_data(row):
            return "footer"
        return None

    def has_donor_data(self, row: Sequence[CellValue]) -> bool:
        width = len(row)
        return any(
            (g.name < width and not _blank(row[g.name])) or (g.amount < width and not _blank(row[g.amount]))
            for g in self.header.groups
        )

    def lone_rows_before(self, footer_start: int, per_group: list[list[int]]) -> list[int]:
        """Rows right above the footer holding one text cell and nothing else (say, the organisation)."""
        if footer_start >= len(self.rows):
            return []
        lone: list[int] = []
        r = footer_start - 1
        while r > self.header.row:
            filled = [v for v in self.rows[r] if not _blank(v)]
            if len(filled) > 1 or (filled and (not isinstance(filled[0], str) or _numeric_text(filled[0]))):
                break
            if filled:
                lone.append(r)
            r -= 1
        taken = set(lone)
        for candidates in per_group:
            while candidates and candidates[-1] in taken:
                candidates.pop()
        return sorted(lone)

    # donors

    def build(self) -> tuple[Donation, ...]:
        """Donations in serial order; a blank 序号 keeps its place after the donor read before it."""
        found: list[Donation | None] = []
        for g, rows, late in zip(self.header.groups, self.per_group, self.late, strict=True):
            found += self.plain_donations(rows, g)
            found += [self.donation(*cand) for cand in late]
        donations = [d for d in found if d is not None]
        serials = [d.serial for d in donations]
        if None in serials:
            keys: list[int] = []
            last = 0
            for serial in serials:
                if serial is not None:
                    last = serial
                keys.append(last)
        else:
            keys = cast("list[int]", serials)
        if keys != sorted(keys):  # sorting a sorted list is one pass, in C
            order = sorted(range(len(keys)), key=keys.__getitem__)
            return tuple(donations[i] for i in order)
        return tuple(donations)

    def plain_donations(self, rows: list[int], g: _Group) -> list[Donation | None]:
        """`donation` for each row of one group, with the common rows read inline.

        A row whose serial is a whole number (or absent), whose name is short printable text and
        whose amount is a positive number is built here, with no problem to report; any other row
        goes through `donation`, so the result and the problems are the same, in the same order.
        """
        sc, nc, ac, kc = g.serial, g.name, g.amount, g.kind
        letters = self.letters
        if kc is not None or self.unknown or ac not in letters or nc not in letters:
            return [self.donation(r, sc, nc, ac, kc) for r in rows]
        grid, sheet, cache = self.rows, self.sheet_name, self.amount_cache
        name_letter, amount_letter = letters[nc], letters[ac]
        serial_letter = "" if sc is None else letters[sc]
        need = max(nc, ac, -1 if sc is None else sc)
        parse_amount, invalid = money.parse_amount, money.InvalidAmount
        found: list[Donation | None] = []
        append = found.append
        for r in rows:
            row = grid[r]
            if len(row) <= need:
                append(self.donation(r, sc, nc, ac, kc))
                continue
            name, raw_amount = row[nc], row[ac]
            serial = None if sc is None else row[sc]
            kind_of_amount = type(raw_amount)
            if (
                type(name) is not str
                or not name.isprintable()
                or name[:1] == "#"
                or len(name) > MAX_NAME_LENGTH
                or (kind_of_amount is not float and kind_of_amount is not int)
                or not (
                    serial is None or type(serial) is int or (type(serial) is float and serial.is_integer())
                )
            ):
                append(self.donation(r, sc, nc, ac, kc))
                continue
            name = name.strip()
            amount = cache.get(raw_amount)
            if amount is None:
                try:
                    amount = parse_amount(raw_amount)
                except invalid:
                    amount = None
                if amount and len(cache) < _AMOUNT_CACHE_SIZE:
                    cache[raw_amount] = amount
            if not name or not amount:  # blank name, zero or refused amount: the careful reader says why
                append(self.donation(r, sc, nc, ac, kc))
                continue
            if "  " in name:
                name = " ".join(name.split())
            number = str(r + 1)
            append(
                Donation(
                    int(serial) if serial is not None else None,
                    name,
                    amount,
                    sheet,
                    amount_letter + number,
                    name_letter + number,
                    None,
                    serial_letter + number if serial_letter else "",
                )
            )
        return found

    def donation(self, r: int, sc: int | None, nc: int, ac: int, kc: int | None) -> Donation | None:
        """One donor, or ``None`` with the reason recorded as a problem (or nothing to read)."""
        row = self.rows[r]
        width = len(row)
        raw_name = row[nc] if nc < width else None
        raw_amount = row[ac] if ac < width else None
        # Fast paths for the common cells; anything unusual goes through the careful readers.
        raw_serial = row[sc] if sc is not None and sc < width else None
        if type(raw_serial) is int:
            serial: int | None = raw_serial
        elif type(raw_serial) is float and raw_serial.is_integer():
            serial = int(raw_serial)
        else:
            serial = self.serial(r, sc)
        if (
            type(raw_name) is str
            and raw_name.isprintable()
            and raw_name[:1] != "#"
            and len(raw_name) <= MAX_NAME_LENGTH
        ):
            name: str | None = raw_name.strip()
            if name and "  " in name:
                name = " ".join(name.split())
        else:
            name = self.name(r, nc, raw_name)
        amount = self.amount_cache.get(raw_amount) if type(raw_amount) in _CACHED_TYPES else None
        if amount is None or (self.unknown and (r, ac) in self.unknown):
            amount = self.amount(r, ac, raw_amount, name)
        if name == "" and amount is not None:
            self.problem(
                codes.NAME_MISSING,
                f"金额 {_shown(raw_amount)} 没有捐赠姓名，请在 {self.cell(r, nc)} 填写捐赠人或单位名称",
                r,
                nc,
                raw_name,
            )
        if not name or amount is None:
            return None
        kind = self.kind(r, kc) if kc is not None else None
        serial_cell = "" if sc is None else self.cell(r, sc)
        letters = self.letters
        if ac in letters and nc in letters:
            number = str(r + 1)
            return Donation(
                serial,
                name,
                amount,
                self.sheet_name,
                letters[ac] + number,
                letters[nc] + number,
                kind,
                serial_cell,
            )
        return Donation(
            serial, name, amount, self.sheet_name, self.cell(r, ac), self.cell(r, nc), kind, serial_cell
        )

    def serial(self, r: int, sc: int | None) -> int | None:
        value = self.at(r, sc)
        serial = _serial_of(value)
        if serial == "bad":
            assert sc is not None
            self.problem(
                codes.SERIAL_NOT_A_NUMBER,
                f"序号“{_shown(value)}”不是整数，已当作没有序号；请改为 1、2、3 这样的数字",
                r,
                sc,
                value,
                warn=True,
            )
            return None
        return serial if isinstance(serial, int) else None

    def name(self, r: int, nc: int, value: CellValue) -> str | None:
        """The cleaned name; ``""`` when blank; ``None`` when refused (a problem was recorded)."""
        if _blank(value):
            return ""
        if _is_error_value(value):
            self.problem(codes.CELL_ERROR_VALUE, _error_value_message(value), r, nc, value)
            return None
        name = self.clean(value if isinstance(value, str) else _shown(value), r, nc)
        if len(name) > MAX_NAME_LENGTH:
            self.problem(
                codes.NAME_TOO_LONG,
                f"捐赠姓名有 {len(name)} 个字，超过 {MAX_NAME_LENGTH} 个字，请核对是否把多个单元格的内容粘在了一起",
                r,
                nc,
                name[:40] + "…",
            )
            return None
        return name

    def amount(self, r: int, ac: int, value: CellValue, name: str | None) -> Decimal | None:
        """The amount, or ``None`` with the reason recorded (``name`` is ``""`` when blank)."""
        if self.unknown and (r, ac) in self.unknown:
            self.problem(
                codes.AMOUNT_FORMULA_WITHOUT_VALUE,
                "金额是公式，但文件里没有保存计算结果：这个工作簿是由程序生成的，从未在 Excel 中打开保存过。"
                "请用 Excel 或 WPS 打开并保存，再把文件重新放入文件夹",
                r,
                ac,
                value,
            )
            return None
        if _blank(value):
            if name:
                self.problem(
                    codes.AMOUNT_MISSING,
                    f"“{name}”没有填写金额，请在 {self.cell(r, ac)} 填写捐款金额，或删除这一行",
                    r,
                    ac,
                    value,
                )
            return None
        if _is_error_value(value):
            self.problem(codes.CELL_ERROR_VALUE, _error_value_message(value), r, ac, value)
            return None
        try:
            amount = money.parse_amount(value)
        except money.InvalidAmount as exc:
            code = exc.code if exc.code in _AMOUNT_CODES else codes.AMOUNT_NOT_A_NUMBER
            self.problem(code, exc.reason, r, ac, value)
            return None
        if type(value) in _CACHED_TYPES and amount and len(self.amount_cache) < _AMOUNT_CACHE_SIZE:
            # Same cell value, same Decimal: donation lists repeat a few amounts (100, 200, 500) many times.
            self.amount_cache[value] = amount
        if amount == 0:
            self.problem(
                codes.AMOUNT_ZERO, "金额是 0，捐款金额必须大于 0；请填写实际金额，或删除这一行", r, ac, value
            )
            return None
        return amount

    def kind(self, r: int, kc: int) -> str | None:
        value = self.at(r, kc)
        text = value.strip() if isinstance(value, str) else _shown(value)
        if text in self.kind_cache:
            kind = self.kind_cache[text]
        else:
            kind = self.kind_cache[text] = _KINDS.get("".join(unicodedata.normalize("NFKC", text).split()))
        if kind is None:
            found = f"类型“{text}”无法识别" if text else "类型为空"
            self.problem(
                codes.KIND_UNKNOWN,
                f"{found}，应填“单位”或“个人”；这一笔不计入单位和个人的小计",
                r,
                kc,
                value,
                warn=True,
            )
        return kind

    # footer

    def read_footer_row(self, r: int) -> None:
        row = self.rows[r]
        filled = [(c, v) for c, v in enumerate(row) if not _blank(v) or (r, c) in self.unknown]
        if not filled:
            return
        consumed: set[int] = set()
        has_total = False
        for i, (c, value) in enumerate(filled):
            if c in consumed or not isinstance(value, str):
                continue
            label = _match_label(value)
            if label is None:
                continue
            kind, inline = label
            consumed.add(c)
            has_total = has_total or kind in (_TOTAL, _CAPITALS)
            if inline:
                first, *others = _INNER_LABEL.split(inline)
                self.take(kind, r, c, first, inline=True)
                for other in others:
                    more = _match_label(other)
                    if more is not None:
                        self.take(more[0], r, c, more[1], inline=True)
                continue
            target = next(
                (
                    (c2, v2)
                    for c2, v2 in filled[i + 1 :]
                    if c2 not in consumed and not (isinstance(v2, str) and _match_label(v2))
                ),
                None,
            )
            if target is not None:
                consumed.add(target[0])
                self.take(kind, r, target[0], target[1], inline=False)
        if not consumed:
            if len(filled) == 1 and isinstance(filled[0][1], str) and not _numeric_text(filled[0][1]):
                self.lone_texts.append((r, self.clean(filled[0][1], r, filled[0][0])))
            elif len(filled) > 1 and r > self.footer_start:
                found = self.stray_donor(row)
                if found is not None:
                    self.stray.append((r, *found))
            return
        self.footer_donors(r, [(c, v) for c, v in filled if c not in consumed], consumed, has_total)

    def take(self, kind: str, r: int, c: int, value: CellValue, *, inline: bool) -> None:
        """Record the value of a footer label found at ``(r, c)`` (or inline in the label cell)."""
        if kind == _TOTAL and self.total is None:
            self.total_row = r
            self.total = self.declared_total(r, c, value, inline=inline)
        elif kind == _CAPITALS and self.capitals is None:
            self.capitals = self.declared_capitals(r, c, value, inline=inline)
        elif kind == _DATE and _DATE not in self.signature:
            date = _parse_date(value)
            self.date_row = r
            if date is None:
                self.problem(
                    codes.SIGNATURE_DATE_UNREADABLE,
                    f"日期“{_shown(value)}”无法识别，请写成 2020年2月5日 或 2020-02-05；简报中的日期将留空",
                    r,
                    c,
                    value,
                    warn=True,
                )
            self.signature[_DATE] = date if date is not None else ""
        elif kind in (_RECEIVER, _SUPERVISOR, _ORG) and kind not in self.signature:
            text = self.clean(value if isinstance(value, str) else _shown(value), r, c)
            if text:
                self.signature[kind] = text

    def declared_total(self, r: int, c: int, value: CellValue, *, inline: bool) -> Declared:
        cell = self.cell(r, c)
        raw = _shown(value)
        if not inline and (r, c) in self.unknown:
            self.problem(
                codes.TOTAL_FORMULA_UNKNOWN,
                "合计是公式，但没有可用的计算结果（文件由程序生成，未在 Excel 中保存过），已按各笔金额重新计算合计；"
                "如需核对，请用 Excel 或 WPS 打开并保存",
                r,
                c,
                value,
                warn=True,
            )
            return Declared(None, self.sheet.name, cell, raw)
        if _is_error_value(value):
            self.problem(codes.CELL_ERROR_VALUE, _error_value_message(value), r, c, value)
            return Declared(None, self.sheet.name, cell, raw)
        try:
            amount = money.parse_amount(value)
        except money.InvalidAmount:
            self.problem(
                codes.TOTAL_NOT_A_NUMBER,
                f"合计“{raw}”不是金额，请填写阿拉伯数字，如 50000，或删除合计",
                r,
                c,
                value,
            )
            return Declared(None, self.sheet.name, cell, raw)
        return Declared(amount, self.sheet.name, cell, raw)

    def declared_capitals(self, r: int, c: int, value: CellValue, *, inline: bool) -> Declared:
        cell = self.cell(r, c)
        raw = _shown(value)
        if not inline and (r, c) in self.unknown:
            self.problem(
                codes.CAPITALS_FORMULA_UNKNOWN,
                "大写是公式，但没有可用的计算结果（文件由程序生成，未在 Excel 中保存过），无法核对；"
                "简报中的大写按各笔金额重新生成",
                r,
                c,
                value,
                warn=True,
            )
            return Declared(None, self.sheet.name, cell, raw)
        text = unicodedata.normalize("NFKC", raw).strip()
        for prefix in ("(大写)", ":"):
            text = text.removeprefix(prefix).strip()
        cleaned, _ = strip_xml_illegal(text)
        return Declared(cleaned, self.sheet.name, cell, raw)

    def footer_donors(
        self, r: int, rest: list[tuple[int, CellValue]], consumed: set[int], has_total: bool
    ) -> None:
        """Donors left on a footer row: aligned with their group, or (total row only) three cells in a row.

        ``rest`` are the filled cells no label or label value took; ``consumed`` the columns they took.
        """
        if not rest:
            return
        row = self.rows[r]
        width = len(row)
        found = False
        for gi, g in enumerate(self.header.groups):
            if g.name in consumed or g.amount in consumed or g.serial in consumed:
                continue
            name = row[g.name] if g.name < width else None
            amount = row[g.amount] if g.amount < width else None
            serial = _serial_of(self.at(r, g.serial))
            texty = isinstance(name, str) and not _blank(name) and not _numeric_text(name)
            if texty and (isinstance(serial, int) or _numeric_text(amount)):
                self.late[gi].append((r, g.serial, g.name, g.amount, g.kind))
                found = True
        if found or not has_total:
            return
        for (c1, v1), (c2, v2), (c3, _) in zip(rest, rest[1:], rest[2:], strict=False):
            if c2 == c1 + 1 and c3 == c2 + 1 and isinstance(_serial_of(v1), int) and not _numeric_text(v2):
                gi = next((i for i, g in enumerate(self.header.groups) if c1 <= g.amount), 0)
                self.late[gi].append((r, c1, c2, c3, None))
                return

    def stray_donor(self, row: Sequence[CellValue]) -> tuple[int, int] | None:
        """``(name col, amount col)`` of a donor-looking entry on a row below the table's end, if any.

        Donor-looking: a text name and an amount (a number, or text ``money`` reads as one, even a
        refused one such as ``-5``) in the columns of a header group whose 序号 cell is blank or a
        whole number; or a 序号, a name and an amount in three cells side by side. The row holds no
        footer label (the caller makes sure).
        """
        width = len(row)
        for g in self.header.groups:
            if max(g.name, g.amount) >= width:
                continue
            if g.serial is not None and g.serial < width:
                serial = row[g.serial]
                if not _blank(serial) and not isinstance(_serial_of(serial), int):
                    continue  # 联系人 | 朱蕊 | 138…: a line with a label of its own, not a donor
            if _donor_like(row[g.name], row[g.amount]):
                return g.name, g.amount
        for c in range(width - 2):
            if isinstance(_serial_of(row[c]), int) and _donor_like(row[c + 1], row[c + 2]):
                return c + 1, c + 2
        return None

    def stray_problem(self) -> None:
        """One ``ledger.rows_after_total`` error at the name cell of the first stray donor row."""
        r, nc, ac = self.stray[0]
        name, amount = (" ".join(strip_xml_illegal(_shown(self.at(r, c)))[0].split()) for c in (nc, ac))
        name = name if len(name) <= 40 else name[:39] + "…"
        rows = "、".join(str(row + 1) for row, _, _ in self.stray[:5]) + ("等" if len(self.stray) > 5 else "")
        count = f"（共 {len(self.stray)} 行）" if len(self.stray) > 1 else ""
        found = f"下方还有捐款记录：第 {rows} 行{count}，第一笔是“{name}”，金额 {amount}。"
        if self.total_row is not None and self.total_row < r:
            message = (
                f"合计行（第 {self.total_row + 1} 行）{found}合计行以下的捐款不会读取，没有计入简报和合计；"
                "请把这些行移到合计行上方，或者把合计行移到名单最后，再核对合计金额"
            )
        else:
            start = self.rows[self.footer_start]
            label = next((v.strip() for v in start if type(v) is str and _match_label(v)), "")
            label = label if len(label) <= 20 else label[:19] + "…"
            message = (
                f"名单在第 {self.footer_start + 1} 行“{label}”处结束（合计或签名栏），但{found}"
                "这些捐款不会读取，没有计入简报和合计；请把这些行移到签名栏上方、接在名单最后"
                "（如有合计行，移到合计行上方），再核对合计金额"
            )
        self.problem(codes.LEDGER_ROWS_AFTER_TOTAL, message, r, nc, name)

    def pick_organisation(self) -> str:
        if self.date_row is not None:
            above = [text for row, text in self.lone_texts if row < self.date_row]
            if above:
                return above[-1]
        return self.lone_texts[0][1]


def _as_text(value: str | dt.date | None) -> str | None:
    return value if isinstance(value, str) and value else None


def _error_value_message(value: CellValue) -> str:
    return f"单元格是错误值“{_shown(value)}”（公式出错），请改正公式或直接填写数字"
