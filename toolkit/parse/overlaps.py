"""Lists on several sheets that would count the same donations twice.

A workbook often holds more than the list to publish: a sheet per account beside a merged one, a
copy, a scratch sheet with a few rows pasted from the list, a summary per department or channel.
`counted_once` keeps the tables whose donations are counted once and refuses, with
``table.double_counted`` at the header of the extra list, each one that would be counted again:

- a table whose donors are mostly the names of the other sheets (交通银行, 支付宝…) sums them up: it
  is left out, with the warning ``sheet.skipped``;
- a copy: the same donors and amounts as another list (two rows or more); names are compared
  without spaces and with full- and half-width brackets alike (``甲公司（北京）`` is ``甲公司(北京)``);
- a near copy on another sheet: two thirds of the rows or more the same (three rows or more), as
  when a copy was corrected in one place or a name mistyped; or the same donors with the same total, grouped
  otherwise (a bank's raw lines beside the cleaned list);
- a part: every donor and amount of a list (two rows or more) is also in a longer list, such as a
  scratch sheet holding the first rows of the real one;
- a merged list: among three lists or more, one whose total is the sum of all the others and that
  names at least half of their donors (a day whose total happens to equal the others' is no merge);
- a summary: a sheet or title named like one (汇总, 统计, 分类, 总表, 按单位…) whose total is that of
  all the other lists, however many they are. Two lists with the same total and no such name are
  both read: two accounts taking in the same sum is common in short lists, and a summary sheet
  listing the donors' departments is told by its name.

Which list to keep is the clerk's to say: the refusal names both.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from decimal import Decimal

from toolkit import codes
from toolkit.errors import Problem, Severity
from toolkit.money import format_amount
from toolkit.records import DonorTable

__all__ = ["SUMMARY_NAME", "counted_once"]

SUMMARY_NAME = re.compile(r"汇总|统计|分类|总表|^按")
"""A sheet name or a title that says the list sums up others: 按单位汇总, 分类统计, 总表."""

_KEEP_ONE = "；两份都读会把捐款算两次，所以没有生成简报。请删除或隐藏其中一份（隐藏的工作表不会读取）"


def counted_once(file: str, tables: list[DonorTable]) -> tuple[list[DonorTable], list[Problem]]:
    """The tables to read, and the problems of those that would count donations twice."""
    problems: list[Problem] = []
    if len(tables) < 2:
        return tables, problems
    kept: list[DonorTable] = []
    for table in tables:
        skipped = _sums_the_sheets(file, table, {t.sheet for t in tables})
        if skipped is None:
            kept.append(table)
        else:
            problems.append(skipped)
    grand = sum((t.total for t in kept), Decimal(0))
    merged = {
        id(t)
        for t in kept
        if len(kept) >= 3
        and t.total > 0
        and t.total == grand - t.total
        and _names_most_of_the_others(t, kept)
    }
    for table in kept:
        what = _twice(table, grand, kept, merged)
        if what is not None:
            problems.append(
                Problem(
                    codes.TABLE_DOUBLE_COUNTED,
                    f"{table.header}处的名单{what}{_KEEP_ONE}",
                    Severity.ERROR,
                    file,
                    table.sheet,
                    table.header.split(":")[0],
                )
            )
    return kept, problems


def _sums_the_sheets(file: str, table: DonorTable, sheets: set[str]) -> Problem | None:
    """``sheet.skipped`` for a table whose donors are mostly the names of the other sheets."""
    others = sorted(name for name in sheets - {table.sheet} if len(name) >= 2)
    named = sum(1 for d in table.donations if any(o in d.donor or d.donor in o for o in others))
    if named < 2 or named * 2 < len(table.donations):
        return None
    return Problem(
        codes.SHEET_SKIPPED,
        f"工作表“{table.sheet}”的名单列的是其他工作表的名称（如“{others[0]}”），看起来是各工作表的汇总，"
        "没有重复计入简报和合计",
        Severity.WARNING,
        file,
        table.sheet,
        table.header.split(":")[0],
    )


def _twice(table: DonorTable, grand: Decimal, kept: list[DonorTable], merged: set[int]) -> str | None:
    """Why ``table`` counts donations another list counts too (the rest of a sentence), or ``None``.

    ``merged`` holds the ids of the lists that merge all the others: a part of one is said once, at
    the merged list.
    """
    total = table.total
    rows = _rows(table)
    before = kept[: next(i for i, t in enumerate(kept) if t is table)]
    others = [t for t in kept if t is not table]
    parts = [t for t in others if id(t) not in merged]
    copy = next((t for t in before if t.total == total and _rows(t) == rows), None)
    if copy is not None and len(table.donations) >= 2:
        return (
            f"和工作表“{copy.sheet}”{copy.header}处的名单完全相同（{len(table.donations)} 笔），是重复的名单"
        )
    near = next((t for t in before if t.sheet != table.sheet and _near_copy(table, t)), None)
    if near is not None:
        return (
            f"和工作表“{near.sheet}”{near.header}处的名单几乎相同（捐赠人大多相同），像是同一份名单的两个版本"
        )
    if len(table.donations) >= 2:
        whole = next(
            (t for t in parts if len(t.donations) > len(table.donations) and not rows - _rows(t)), None
        )
        if whole is not None:
            return (
                f"的 {len(table.donations)} 笔捐款（捐赠人和金额）都在工作表“{whole.sheet}”{whole.header}处的名单里，"
                f"看起来是那份名单的一部分（草稿或摘抄）"
            )
    if total <= 0 or total != grand - total:
        return None
    if id(table) in merged:
        return f"的合计 {format_amount(total)} 等于其他各张名单之和，看起来是把它们合在一起的总名单"
    elsewhere = all(t.sheet != table.sheet for t in others)
    if elsewhere and (SUMMARY_NAME.search(table.sheet) or SUMMARY_NAME.search(table.title or "")):
        names = "、".join(f"“{t.sheet}”" for t in others)
        return (
            f"所在的工作表“{table.sheet}”像是汇总表，它的合计 {format_amount(total)} 等于工作表{names}的合计，"
            "看起来是同一批捐款的汇总"
        )
    return None


def _rows(table: DonorTable) -> Counter[tuple[str, Decimal]]:
    """The donors and amounts of a list, in any order, each as often as it appears."""
    return Counter((_key(d.donor), d.amount) for d in table.donations)


def _key(name: str) -> str:
    """A name as compared: NFKC (full-width brackets made ASCII), no white space."""
    return "".join(unicodedata.normalize("NFKC", name).split())


def _near_copy(table: DonorTable, other: DonorTable) -> bool:
    """Two thirds of the rows the same (three rows or more each), or the same donors and total."""
    small = min(len(table.donations), len(other.donations))
    if small < 3:
        return False
    shared = sum((_rows(table) & _rows(other)).values())
    if shared * 3 >= max(len(table.donations), len(other.donations)) * 2:
        return True
    names = {_key(d.donor) for d in table.donations}
    return table.total == other.total and names == {_key(d.donor) for d in other.donations}


def _names_most_of_the_others(table: DonorTable, kept: list[DonorTable]) -> bool:
    """The list names at least half of the donors of the other lists (a merged list names them all)."""
    names = {_key(d.donor) for d in table.donations}
    others = {_key(d.donor) for t in kept if t is not table for d in t.donations}
    return bool(others) and len(names & others) * 2 >= len(others)
