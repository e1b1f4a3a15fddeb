"""Reading donor rows: the 序号, name, amount and 类型 cells of one group become a `Donation`.

Cell rules
    - amounts go through ``money.parse_amount`` (numbers, ``¥8,000.00``, ``500元``, ``\xa0 4,000,000.00\xa0``,
      full-width digits are accepted as they are); zero is refused; a group in 万元 is read with
      ``money.parse_scaled_amount`` and converted exactly to 元;
    - names lose XML-illegal characters (warning ``text.illegal_chars``), outer whitespace (spaces,
      ideographic spaces, tabs) and runs of inner whitespace (kept as one space); masked names (``*晶晶``,
      ``张*``) are kept as written; a name longer than `LONG_NAME` characters (a company listing its
      staff) is the warning ``name.long``, and only one longer than `MAX_NAME_LENGTH` (pasted garbage)
      is refused (``name.too_long``);
    - a name header merged across two columns reads the second column when the first is blank; a
      name merged down over two rows with an amount each is the name of both (amounts never fill down);
    - the 类型 column maps 单位/企业/公司/机构/团体/集体/组织/法人 to ``"单位"`` and 个人/自然人 to ``"个人"``;
      anything else, blank included, is a ``kind.unknown`` warning and the donation has ``kind=None``.

Speed
    `DonorReader.read` is the one reader of donor rows. Each cell takes a fast path when it is the
    common kind (a whole-number or no serial, a short printable name, a positive number as amount),
    and the careful per-cell readers otherwise, which record why a cell is refused; the Decimal of a
    repeated amount cell value is reused. 100,000 donors are read in one loop per group.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import cast

from toolkit import codes, money
from toolkit.errors import InvalidAmount
from toolkit.parse.cells import (
    SheetCells,
    blank,
    error_value_message,
    is_error_value,
    parse_date,
    serial_of,
    shown,
)
from toolkit.parse.header import Group
from toolkit.parse.lines import read_count
from toolkit.parse.vocabulary import KINDS, WAN
from toolkit.records import CellValue, Donation

__all__ = ["LONG_NAME", "MAX_NAME_LENGTH", "DonorReader", "in_serial_order"]

LONG_NAME = 100
"""Longer donor names are kept with the warning ``name.long``."""
MAX_NAME_LENGTH = 1000
"""Longer donor names are refused (``name.too_long``): no donor's name fills a page."""

_CACHED_TYPES = (int, float, str)  # exact types (bool is no amount)
_AMOUNT_CACHE_SIZE = 4096
_AMOUNT_CODES = frozenset(
    {
        codes.AMOUNT_NOT_A_NUMBER,
        codes.AMOUNT_NEGATIVE,
        codes.AMOUNT_TOO_MANY_DECIMALS,
        codes.AMOUNT_OUT_OF_RANGE,
    }
)


class DonorReader:
    """Reads the donor rows of one sheet; problems go to the sheet's `SheetCells`."""

    def __init__(self, cells: SheetCells) -> None:
        self.cells = cells
        self.kind_cache: dict[str, str | None] = {}
        self.caches: dict[int, dict[CellValue, Decimal]] = {0: {}, 4: {}}

    def read(self, rows: Iterable[int], g: Group) -> list[Donation | None]:
        """One entry per row of group ``g``: the donation, or ``None`` where a problem was recorded.

        A row with a blank name and a blank amount gives ``None`` and no problem.
        """
        cells = self.cells
        sc, nc, ac, kc = g.serial, g.name, g.amount, g.kind
        scale = 4 if g.unit == WAN else 0
        cache = self.caches[scale]
        grid, sheet, unknown = cells.rows, cells.name, cells.unknown
        careful = bool(scale or unknown)
        name_letter, amount_letter = cells.letter(nc), cells.letter(ac)
        serial_letter = "" if sc is None else cells.letter(sc)
        need = max(nc, ac, -1 if sc is None else sc)
        parse_amount, invalid = money.parse_amount, InvalidAmount
        found: list[Donation | None] = []
        append = found.append
        for r in rows:
            row = grid[r]
            if len(row) > need:
                raw_serial = None if sc is None else row[sc]
                raw_name, raw_amount = row[nc], row[ac]
            else:
                raw_serial, raw_name, raw_amount = cells.at(r, sc), cells.at(r, nc), cells.at(r, ac)

            if raw_serial is None:
                serial = None
            elif type(raw_serial) is float and raw_serial.is_integer():
                serial = int(raw_serial)
            elif type(raw_serial) is int:
                serial = raw_serial
            else:
                serial = self.serial(r, cast("int", sc), raw_serial)

            name: str | None
            if (
                type(raw_name) is str
                and raw_name.isprintable()
                and raw_name[:1] != "#"
                and not raw_name[:1].isdigit()  # a date or a count (3人) where a name should be
                and raw_name[:1] != "共"
                and len(raw_name) <= LONG_NAME
                and (name := raw_name.strip())
            ):
                name_col = nc
                if "  " in name:
                    name = " ".join(name.split())
            else:
                name, name_col = self.name_in(r, g, raw_name, raw_amount)

            kind_of_amount = type(raw_amount)
            if careful and (scale or (r, ac) in unknown):
                amount = self.amount(r, ac, raw_amount, name, scale)
            elif kind_of_amount is float or kind_of_amount is int:
                amount = cache.get(raw_amount)
                if amount is None:
                    try:
                        amount = parse_amount(raw_amount)
                    except invalid:
                        amount = None
                    if not amount:  # zero or refused: the careful reader says why
                        amount = self.amount(r, ac, raw_amount, name, 0)
                    elif len(cache) < _AMOUNT_CACHE_SIZE:
                        # Same cell value, same Decimal: lists repeat a few amounts (100, 200, 500).
                        cache[raw_amount] = amount
            else:  # blank, text or anything else: the careful reader (text amounts are cached too)
                amount = (cache.get(raw_amount) if kind_of_amount is str else None) or self.amount(
                    r, ac, raw_amount, name, 0
                )

            if not name or amount is None:
                if name == "" and amount is not None:
                    self.name_missing(r, nc, raw_name, raw_amount)
                append(None)
                continue
            number = str(r + 1)
            append(
                Donation(
                    serial,
                    name,
                    amount,
                    sheet,
                    amount_letter + number,
                    (name_letter if name_col == nc else cells.letter(name_col)) + number,
                    None if kc is None else self.kind(r, kc),
                    serial_letter + number if serial_letter else "",
                )
            )
        return found

    def serial(self, r: int, sc: int, value: CellValue) -> int | None:
        serial = serial_of(value)
        if serial == "bad":
            self.cells.problem(
                codes.SERIAL_NOT_A_NUMBER,
                f"序号“{shown(value)}”不是整数，已当作没有序号；请改为 1、2、3 这样的数字",
                r,
                sc,
                value,
                warn=True,
            )
            return None
        return serial if isinstance(serial, int) else None

    def name(self, r: int, nc: int, value: CellValue) -> str | None:
        """The cleaned name; ``""`` when blank; ``None`` when refused (a problem was recorded)."""
        if blank(value):
            return ""
        if is_error_value(value):
            self.cells.problem(codes.CELL_ERROR_VALUE, error_value_message(value), r, nc, value)
            return None
        name = self.cells.clean(value if isinstance(value, str) else shown(value), r, nc)
        if len(name) > MAX_NAME_LENGTH:
            self.cells.problem(
                codes.NAME_TOO_LONG,
                f"捐赠姓名有 {len(name)} 个字，超过 {MAX_NAME_LENGTH} 个字，请核对是否把多个单元格的内容粘在了一起",
                r,
                nc,
                name[:40] + "…",
            )
            return None
        if read_count(name) is not None:  # 合计 | 3人 | 1100, 销售部 | 2人 | 800: a head count, no donor
            self.cells.problem(
                codes.ROW_NOT_DONATION,
                f"第 {r + 1} 行姓名一栏写的是人数“{name}”，这一行看起来是合计或小计，不是一笔捐款，"
                "没有列入简报，也没有计入合计",
                r,
                nc,
                name,
                warn=True,
            )
            return None
        if isinstance(value, dt.date) or (name[:1].isdigit() and not name.isdigit() and parse_date(name)):
            self.cells.problem(
                codes.NAME_MISSING,
                f"姓名一栏写的是日期“{name}”，不是捐赠人；请在 {self.cells.cell(r, nc)} 填写捐赠人或单位名称",
                r,
                nc,
                name,
            )
            return None
        if len(name) > LONG_NAME:
            self.cells.problem(
                codes.NAME_LONG,
                f"捐赠姓名有 {len(name)} 个字（超过 {LONG_NAME} 个字），已照原样列入简报；"
                "请核对是否把几个单元格的内容粘在了一起，或是否要简写（如“某公司全体员工”）",
                r,
                nc,
                name[:40] + "…",
                warn=True,
            )
        return name

    def name_in(self, r: int, g: Group, value: CellValue, amount: CellValue) -> tuple[str | None, int]:
        """The name of group ``g`` on row ``r`` and its column: the name column, or when that is blank
        and the name header is merged across more columns, the first of them that is filled.

        A blank name cell inside a name merged down from the row above (one donor, two amounts on two
        rows) is that name, when the row has an amount of its own: amounts are never filled down.
        """
        cells = self.cells
        name = self.name(r, g.name, value)
        if name == "":
            for col in g.more_names:
                more = cells.at(r, col)
                if not blank(more):
                    return self.name(r, col, more), col
            origin = cells.merge_origin(r, g.name) if cells.sheet.merged and not blank(amount) else None
            if origin is not None:
                above = cells.at(*origin)
                if type(above) is str and not blank(above):
                    return self.name(origin[0], origin[1], above), g.name
        return name, g.name

    def name_missing(self, r: int, nc: int, raw_name: CellValue, raw_amount: CellValue) -> None:
        self.cells.problem(
            codes.NAME_MISSING,
            f"金额 {shown(raw_amount)} 没有捐赠姓名，请在 {self.cells.cell(r, nc)} 填写捐赠人或单位名称",
            r,
            nc,
            raw_name,
        )

    def amount(self, r: int, ac: int, value: CellValue, name: str | None, scale: int) -> Decimal | None:
        """The amount in 元, or ``None`` with the reason recorded (``name`` is ``""`` when blank).

        ``scale`` is 4 for a column in 万元 (10^4 元), else 0.
        """
        cells = self.cells
        if cells.unknown and (r, ac) in cells.unknown:
            cells.problem(
                codes.AMOUNT_FORMULA_WITHOUT_VALUE,
                "金额是公式，但文件里没有保存计算结果：这个工作簿是由程序生成的，从未在 Excel 中打开保存过。"
                "请用 Excel 或 WPS 打开并保存，再把文件重新放入文件夹",
                r,
                ac,
                value,
            )
            return None
        if blank(value):
            origin = cells.merge_origin(r, ac) if name else None
            if origin is not None and not blank(cells.rows[origin[0]][origin[1]]):
                shared = shown(cells.rows[origin[0]][origin[1]])
                cells.problem(
                    codes.AMOUNT_MERGED,
                    f"金额 {shared} 所在的 {cells.cell(*origin)} 是合并单元格，向下跨到了“{name}”这一行，"
                    f"看不出每一位各捐了多少；请取消合并，给每一行填写各自的金额。"
                    f"如果是几人合捐一笔，请把他们的姓名写在同一格（如“张三、李四”）",
                    r,
                    ac,
                    shared,
                )
            elif name:
                cells.problem(
                    codes.AMOUNT_MISSING,
                    f"“{name}”没有填写金额，请在 {cells.cell(r, ac)} 填写捐款金额，或删除这一行",
                    r,
                    ac,
                    value,
                )
            return None
        if is_error_value(value):
            cells.problem(codes.CELL_ERROR_VALUE, error_value_message(value), r, ac, value)
            return None
        try:
            amount = money.parse_scaled_amount(value, scale)
        except InvalidAmount as exc:
            code = exc.code if exc.code in _AMOUNT_CODES else codes.AMOUNT_NOT_A_NUMBER
            reason = exc.reason
            if scale and code == codes.AMOUNT_TOO_MANY_DECIMALS:
                reason = (
                    f"金额“{shown(value)}”的单位是万元，换算成元后超过两位小数（最小单位是分），"
                    "本工具不会四舍五入；请核对金额，或改用以元为单位的金额"
                )
            cells.problem(code, reason, r, ac, value)
            return None
        cache = self.caches[scale]
        if type(value) in _CACHED_TYPES and amount and len(cache) < _AMOUNT_CACHE_SIZE:
            cache[value] = amount
        if amount == 0:
            cells.problem(
                codes.AMOUNT_ZERO, "金额是 0，捐款金额必须大于 0；请填写实际金额，或删除这一行", r, ac, value
            )
            return None
        return amount

    def kind(self, r: int, kc: int) -> str | None:
        value = self.cells.at(r, kc)
        text = value.strip() if isinstance(value, str) else shown(value)
        if text in self.kind_cache:
            kind = self.kind_cache[text]
        else:
            kind = self.kind_cache[text] = KINDS.get("".join(unicodedata.normalize("NFKC", text).split()))
        if kind is None:
            found = f"类型“{text}”无法识别" if text else "类型为空"
            self.cells.problem(
                codes.KIND_UNKNOWN,
                f"{found}，应填“单位”或“个人”；这一笔不计入单位和个人的小计",
                r,
                kc,
                value,
                warn=True,
            )
        return kind


def in_serial_order(
    found: Iterable[Donation | None], blocks: Sequence[int] | None = None
) -> tuple[Donation, ...]:
    """Donations in serial order; a blank 序号 keeps its place after the donor read before it.

    ``blocks`` (one per donation) keeps sections apart when each numbers its donors from 1: the
    order is by block, then by serial within it.
    """
    donations = [d for d in found if d is not None]
    serials = [d.serial for d in donations]
    keys: list[int] | list[tuple[int, int]]
    if None in serials:
        filled: list[int] = []
        last = 0
        for serial in serials:
            if serial is not None:
                last = serial
            filled.append(last)
        keys = filled
    else:
        keys = cast("list[int]", serials)
    if blocks is not None:
        keys = list(zip(blocks, keys, strict=True))
    if keys != sorted(keys):  # sorting a sorted list is one pass, in C
        order = sorted(range(len(keys)), key=keys.__getitem__)
        return tuple(donations[i] for i in order)
    return tuple(donations)
