"""Grids for the parse tests, built as `Sheet` records directly (row 0 is Excel row 1).

Each test then reads as the sheet a clerk would see; a few tests go through a real .xlsx and
``toolkit.read`` as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from tests.workbooks import SEED_ORG
from toolkit.parse import parse_sheet
from toolkit.records import Ledger, Sheet

HEADER = ["序号", "捐赠姓名", "金额/元"]
SIGNATURE = [["收款人: 朱蕊"], ["监督人: 刘刚"], [SEED_ORG], ["日期: 2020年2月5日"]]
SIGNED = [["收款人：张三"], ["监督人：李四"], ["X协会"], ["日期：2020年2月5日"]]


def sheet(rows: Sequence[Sequence[Any]], name: str = "Sheet1", **kw: Any) -> Sheet:
    return Sheet(name, True, [list(r) for r in rows], **kw)


def parse(rows: Sequence[Sequence[Any]], **kw: Any) -> Ledger:
    return parse_sheet(sheet(rows, **kw), "捐款.xlsx")


def found(ledger: Ledger) -> set[tuple[str, str]]:
    return {(p.code, p.cell) for p in ledger.problems}


def donors(ledger: Ledger) -> list[tuple[int | None, str, Decimal]]:
    return [(d.serial, d.donor, d.amount) for d in ledger.donations]


def packed(names: Sequence[tuple[str, Any]], groups: int) -> list[list[Any]]:
    """Donors numbered down each group, then across, ``groups`` groups side by side."""
    height = -(-len(names) // groups)
    rows: list[list[Any]] = [HEADER * groups]
    for r in range(height):
        row: list[Any] = []
        for g in range(groups):
            i = g * height + r
            row += [i + 1, *names[i]] if i < len(names) else [None, None, None]
        rows.append(row)
    return rows
