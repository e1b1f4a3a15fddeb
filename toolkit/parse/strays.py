"""Donors on a footer row (read) and below the end of a table (never read, always reported).

A donor still on a footer row is read with its group (`footer_row_donors`): the seed's last row holds
``收款金额合计:`` and ``大写: 伍万元整`` in the first groups and donor 45 in the fourth.

Rows below the end of the table that still look like donors are not read but reported, once, as the
error ``ledger.rows_after_total`` at the name cell of the first one (the message lists the rows): a
row with no footer label holding a text name and an amount (a number, or text that reads as one) in
the columns of a header group whose 序号 cell is blank or a whole number, or a 序号, a name and an
amount side by side. Not donors: lone lines, label lines, dates, 小计 rows, summary lines such as
``个人捐款 34461.73`` or ``其中单位 …`` (`SUMMARY_NAME`), 11-digit phone numbers, and a 序号 with
nothing else. All rows down to the next table are looked at, not only the footer rows read for the
signature.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal

from toolkit import codes, money
from toolkit.errors import InvalidAmount
from toolkit.parse.cells import SheetCells, blank, is_error_value, numeric_text, parse_date, serial_of, shown
from toolkit.parse.header import Group, Header
from toolkit.parse.labels import match_label
from toolkit.records import CellValue
from toolkit.text import strip_xml_illegal

__all__ = ["SUMMARY_NAME", "footer_row_donors", "stray_donor", "stray_problem"]

SUMMARY_NAME = re.compile(
    r"^其中|^(?:个人|单位|企业|团体|集体)(?:捐款|捐赠|合计|小计|总计|共计|金额|总额|人数|部分)*$"
    r"|(?:合计|小计|总计|共计|总额|人数)$"
)
"""Lines under a 合计 that pair a text with a figure but are no donor: 个人捐款 34461.73, 其中单位…"""
_PHONE = (Decimal(10_000_000_000), Decimal(20_000_000_000))  # 11 digits starting with 1: a mobile
_REFUSED_AMOUNTS = frozenset(
    {codes.AMOUNT_NEGATIVE, codes.AMOUNT_TOO_MANY_DECIMALS, codes.AMOUNT_OUT_OF_RANGE}
)


def stray_donor(header: Header, row: Sequence[CellValue]) -> tuple[int, int] | None:
    """``(name col, amount col)`` of a donor-looking entry on a row below the table's end, if any.

    The row holds no footer label (the caller makes sure).
    """
    width = len(row)
    for g in header.groups:
        if max(g.name, g.amount) >= width:
            continue
        if g.serial is not None and g.serial < width:
            serial = row[g.serial]
            if not blank(serial) and not isinstance(serial_of(serial), int):
                continue  # 联系人 | 朱蕊 | 138…: a line with a label of its own, not a donor
        if _donor_like(row[g.name], row[g.amount]):
            return g.name, g.amount
    for c in range(width - 2):
        if isinstance(serial_of(row[c]), int) and _donor_like(row[c + 1], row[c + 2]):
            return c + 1, c + 2
    return None


def stray_problem(
    cells: SheetCells, stray: list[tuple[int, int, int]], total_row: int | None, footer_start: int
) -> None:
    """One ``ledger.rows_after_total`` error at the name cell of the first stray donor row.

    ``stray`` holds ``(row, name col, amount col)`` of each; ``total_row`` is the 合计's row, if any;
    ``footer_start`` the row where the table ended.
    """
    r, nc, ac = stray[0]
    name, amount = (" ".join(strip_xml_illegal(shown(cells.at(r, c)))[0].split()) for c in (nc, ac))
    name = name if len(name) <= 40 else name[:39] + "…"
    rows = "、".join(str(row + 1) for row, _, _ in stray[:5]) + ("等" if len(stray) > 5 else "")
    count = f"（共 {len(stray)} 行）" if len(stray) > 1 else ""
    found = f"下方还有捐款记录：第 {rows} 行{count}，第一笔是“{name}”，金额 {amount}。"
    if total_row is not None and total_row < r:
        message = (
            f"合计行（第 {total_row + 1} 行）{found}合计行以下的捐款不会读取，没有计入简报和合计；"
            "请把这些行移到合计行上方，或者把合计行移到名单最后，再核对合计金额"
        )
    else:
        start = cells.rows[footer_start]
        label = next((v.strip() for v in start if type(v) is str and match_label(v)), "")
        label = label if len(label) <= 20 else label[:19] + "…"
        message = (
            f"名单在第 {footer_start + 1} 行“{label}”处结束（合计或签名栏），但{found}"
            "这些捐款不会读取，没有计入简报和合计；请把这些行移到签名栏上方、接在名单最后"
            "（如有合计行，移到合计行上方），再核对合计金额"
        )
    cells.problem(codes.LEDGER_ROWS_AFTER_TOTAL, message, r, nc, name)


def _donor_like(name: CellValue, amount: CellValue) -> bool:
    """A name and an amount that read as one donation (see `stray_donor`)."""
    if type(name) is not str or blank(name) or numeric_text(name) or is_error_value(name):
        return False
    text = "".join(unicodedata.normalize("NFKC", name).split())
    if SUMMARY_NAME.search(text) or parse_date(text) is not None or match_label(name) is not None:
        return False
    try:
        value = money.parse_amount(amount)
    except InvalidAmount as exc:
        return exc.code in _REFUSED_AMOUNTS
    return bool(value) and not (_PHONE[0] <= value < _PHONE[1] and value == value.to_integral_value())


def footer_row_donors(
    cells: SheetCells,
    header: Header,
    r: int,
    rest: list[tuple[int, CellValue]],
    consumed: set[int],
    *,
    has_total: bool,
) -> list[tuple[int, Group]]:
    """``(group index, columns)`` of the donors left on footer row ``r``: aligned with their group, or
    (total row only) a 序号, a name and an amount side by side.

    ``rest`` are the filled cells no label or label value took; ``consumed`` the columns they took.
    """
    if not rest:
        return []
    row = cells.rows[r]
    width = len(row)
    found: list[tuple[int, Group]] = []
    for gi, g in enumerate(header.groups):
        if g.name in consumed or g.amount in consumed or g.serial in consumed:
            continue
        name = row[g.name] if g.name < width else None
        amount = row[g.amount] if g.amount < width else None
        serial = serial_of(cells.at(r, g.serial))
        texty = isinstance(name, str) and not blank(name) and not numeric_text(name)
        if texty and (isinstance(serial, int) or numeric_text(amount)):
            found.append((gi, g))
    if found or not has_total:
        return found
    for (c1, v1), (c2, v2), (c3, _) in zip(rest, rest[1:], rest[2:], strict=False):
        if c2 == c1 + 1 and c3 == c2 + 1 and isinstance(serial_of(v1), int) and not numeric_text(v2):
            gi = next((i for i, g in enumerate(header.groups) if c1 <= g.amount), 0)
            return [(gi, Group(c1, c2, c3, None, header.groups[gi].unit))]
    return []
