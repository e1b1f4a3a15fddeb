"""Money that is not 元 in a donor table: never added to 元.

- An amount column in a foreign currency beside the 元 one is left out with the warning
  ``table.foreign_currency``, naming the currency, its header cell and how many rows it holds
  (`foreign_problem`); rows with only a foreign amount are no 元 donors (`drop_foreign_only`).
- A row that says its amount is foreign (a 币种 cell, a 备注 saying 美元, a name ending （美元）) is
  refused at that cell (``amount.foreign_currency``, `refuse_foreign_rows`), unless the note says
  the amount was converted (折合人民币).
- Amount cells whose number format shows 万元 under a header that does not say it, or a foreign
  currency (``"$"#,##0.00``), are refused (`formatted_units`).
"""

from __future__ import annotations

import re
import unicodedata

from toolkit import codes
from toolkit.parse.cells import SheetCells, blank, shown
from toolkit.parse.columns import normalise, unit_word
from toolkit.parse.header import Header
from toolkit.parse.table import TableRows
from toolkit.parse.units import foreign_named
from toolkit.parse.vocabulary import NOTE, WAN, YUAN
from toolkit.records import CellValue

__all__ = ["drop_foreign_only", "foreign_problem", "formatted_units", "refuse_foreign_rows"]


def refuse_foreign_rows(cells: SheetCells, header: Header, walk: TableRows) -> None:
    """Rows whose 币种 cell names another currency, or whose 备注 (美元) or name (Tom（美元）) says the
    amount is in one: refused at that cell, never added to 元."""
    notes = [c for c, column in enumerate(header.columns) if column.role == NOTE]
    for g, rows in zip(header.groups, walk.per_group, strict=True):
        keep: list[int] = []
        for r in rows:
            found = _foreign_mark(cells, r, header.currency, notes, g.name)
            if found is None:
                keep.append(r)
                continue
            col, value, currency = found
            where = (
                "币种" if col == header.currency else "姓名" if col == g.name else header.columns[col].text
            )
            cells.problem(
                codes.AMOUNT_FOREIGN_CURRENCY,
                f"{where}写的是“{shown(value)}”，金额是{currency}，"
                "不是人民币：这一笔不能和人民币捐款相加，没有列入简报；请换算成人民币后填写，或把外币捐款另列一张表",
                r,
                col,
                value,
            )
        rows[:] = keep


def _foreign_mark(
    cells: SheetCells, r: int, currency_col: int | None, notes: list[int], name_col: int
) -> tuple[int, CellValue, str] | None:
    """``(col, value, currency)`` of the cell saying row ``r``'s amount is in a foreign currency."""
    if currency_col is not None:
        value = cells.at(r, currency_col)
        unit = unit_word(normalise(value)) if isinstance(value, str) and value.strip() else YUAN
        if unit not in (YUAN, WAN) and not blank(value):
            return currency_col, value, str(unit)
    for col in notes:
        value = cells.at(r, col)
        foreign = foreign_named(value) if isinstance(value, str) else None
        if foreign is not None:
            return col, value, foreign
    name = cells.at(r, name_col)
    if isinstance(name, str) and ("(" in name or "（" in name):
        bracketed = re.search(r"\(([^()]*)\)\s*$", unicodedata.normalize("NFKC", name))
        unit = unit_word(normalise(bracketed[1])) if bracketed is not None else None
        if unit not in (None, YUAN, WAN):
            return name_col, name, str(unit)
    return None


def drop_foreign_only(cells: SheetCells, header: Header, walk: TableRows) -> dict[int, int]:
    """How many rows fill each foreign amount column; rows whose 元 amount is blank but whose foreign
    amount is filled are dropped: counted in the foreign column's warning, not refused as a 元 donor
    without an amount."""
    if not header.foreign:
        return {}
    foreign = [col for col, _ in header.foreign]
    rows_with = walk.donor_rows()
    counts = {col: sum(1 for r in rows_with if not blank(cells.at(r, col))) for col in foreign}
    for g, rows in zip(header.groups, walk.per_group, strict=True):
        rows[:] = [
            r
            for r in rows
            if not (blank(cells.at(r, g.amount)) and any(not blank(cells.at(r, col)) for col in foreign))
        ]
    return counts


def foreign_problem(cells: SheetCells, header: Header, col: int, currency: str, rows: int) -> None:
    """``table.foreign_currency`` at the amount header naming the currency: never added to 元."""
    value = cells.rows[header.row][col] if col < len(cells.rows[header.row]) else ""
    title = header.columns[col].text if col < len(header.columns) else shown(value)
    if header.is_foreign:
        what = f"第 {header.row + 1} 行起的名单，金额列“{title}”是{currency}（共 {rows} 行）"
    else:
        what = f"{cells.letter(col)} 列“{title}”的金额是{currency}（有 {rows} 笔）"
    cells.problem(
        codes.TABLE_FOREIGN_CURRENCY,
        f"{what}，不是人民币：这些捐款没有列入简报，也没有计入合计。简报只列人民币捐款；"
        "如需列出，请换算成人民币后填入人民币名单",
        header.row,
        col,
        value,
        warn=True,
    )


def formatted_units(cells: SheetCells, header: Header, walk: TableRows) -> None:
    """Amount cells whose number format shows a unit the header does not say (``10`` shown as
    ``10万元`` under a plain 金额, ``100`` shown as ``$100.00``): the amounts' unit is unknown, so they
    are refused, once per unit, at the first such cell."""
    formats = cells.sheet.unit_formats
    found: dict[str, list[tuple[int, int]]] = {}
    for g, rows in zip(header.groups, walk.per_group, strict=True):
        for r in rows:
            unit = formats.get((r, g.amount))
            if unit is not None and not (unit == WAN and g.unit == WAN):
                found.setdefault(unit, []).append((r, g.amount))
    for unit, where in found.items():
        r, c = where[0]
        value = cells.at(r, c)
        cells_named = f"金额单元格 {cells.cell(r, c)}" + (
            f" 等 {len(where)} 个单元格" if len(where) > 1 else ""
        )
        if unit == WAN:
            code = codes.UNIT_CONFLICT
            said = f"的格式把金额显示成“{shown(value)}万元”，但金额列的表头没有写万元，按元读会少算一万倍"
            fix = "请在金额列的表头写明单位，如“金额（万元）”，或把单元格格式改成“常规”并填写以元为单位的金额"
        else:
            code = codes.AMOUNT_FOREIGN_CURRENCY
            said = f"的格式显示的是{unit}（如 {shown(value)}），不是人民币，不能和人民币捐款相加"
            fix = "请换算成人民币后填写，并把单元格格式改成“常规”或人民币格式"
        cells.problem(
            code,
            f"{cells_named}{said}；{fix}",
            r,
            c,
            value,
        )
