"""What the text around a header says about its amounts: their unit, a foreign currency, money going out.

- `unit_line`: the unit stated above the header (``单位：万元``, a title ending ``（单位：万元）`` or
  ``（万元）``), beside the amount header (``（万元）``), or a foreign currency a title or the sheet's
  name names (``美元账户捐款明细``, the sheet ``美元账户``); `toolkit.parse.tables.with_unit` applies it.
- `foreign_named`: the foreign currency a title, heading or sheet name names, unless it says the money
  was converted (折合人民币).
- `outflow_title`: a title saying the money went out (二、退款情况, 善款发放明细) and nothing about
  money coming in: such a table lists no donations.
"""

from __future__ import annotations

import re
import unicodedata

from toolkit.parse.cells import SheetCells
from toolkit.parse.columns import read_column, unit_word
from toolkit.parse.header import Header
from toolkit.parse.vocabulary import OUTFLOW_WORDS, UNITS, WAN, YUAN

__all__ = ["foreign_named", "outflow_title", "unit_line"]

_DOMESTIC = (None, YUAN, WAN)

_INFLOW_WORDS = ("接收", "接受", "收到", "收入", "捐赠明细", "捐款明细", "捐赠名单", "捐款名单")


def outflow_title(title: str | None) -> bool:
    """A title saying the money went out (二、退款情况, 善款发放明细) and nothing about money coming in."""
    return (
        title is not None
        and any(word in title for word in OUTFLOW_WORDS)
        and not any(word in title for word in _INFLOW_WORDS)
    )


# A unit stated at the end of a longer text: “某市慈善总会接收捐款明细（单位：万元）” (after NFKC), or
# in brackets at its end: “…捐款明细（万元）”.
_STATED_UNIT = re.compile(r"(?:金额)?单位:\s*([^\s()]+?)\s*\)?\s*$|\(\s*([^\s()]{1,8}?)\s*\)\s*$")
# A foreign currency named anywhere in a title or a sheet's name: “美元账户捐款明细”, “香港同胞捐款（港币）”;
# never when the text says the money was converted (折合人民币).
_FOREIGN_NAMES = sorted((u for u, unit in UNITS.items() if unit not in (YUAN, WAN) and len(u) >= 2), key=len)
_FOREIGN_IN_TEXT = re.compile("|".join(map(re.escape, reversed(_FOREIGN_NAMES))))
_CONVERTED = ("人民币", "折合", "折算")


def foreign_named(text: str) -> str | None:
    """The foreign currency a title or sheet name names (``美元账户`` → 美元), else ``None``."""
    norm = unicodedata.normalize("NFKC", text).upper()
    m = _FOREIGN_IN_TEXT.search(norm)
    return UNITS[m[0]] if m is not None and not any(word in norm for word in _CONVERTED) else None


def unit_line(cells: SheetCells, header: Header, top: int) -> tuple[str, int, int] | None:
    """``(unit, row, col)`` of a ``单位：万元`` cell in the few rows between ``top`` and the header,
    of a text there that ends by stating the unit (``…明细（单位：万元）``, ``…明细（万元）``) or names a
    foreign currency (``美元账户捐款明细``), or of the sheet's name naming one (the header's cell then).

    The header row itself is looked at too (a ``（万元）`` cell beside the amount header), and a title
    read as the upper row of a two-row header (never in an amount column, whose unit is its own).
    """
    amounts = {g.amount for g in header.groups} | {col for col, _ in header.foreign}
    for r in range(header.end, max(top, header.row - 6) - 1, -1):
        in_header = r >= header.row
        for c, value in enumerate(cells.rows[r]):
            if type(value) is not str or not value:
                continue
            if in_header and (c in amounts or c in header.extra_amounts):
                continue  # an amount column's unit is its own (金额（万元） beside 金额（元）)
            column = read_column(value)
            if column.unit_only and column.unit is not None and (not in_header or column.unit in _DOMESTIC):
                return column.unit, r, c  # 单位：万元 above, or （万元） beside the amount header
            stated = _STATED_UNIT.search(unicodedata.normalize("NFKC", value))
            unit = unit_word(stated[1] or stated[2]) if stated is not None else None
            if unit is not None:
                return unit, r, c
            foreign = None if in_header else foreign_named(value)
            if foreign is not None:
                return foreign, r, c
    foreign = foreign_named(cells.name)
    if foreign is not None and header.groups:
        return foreign, header.row, header.groups[0].amount  # the sheet 美元账户
    return None
