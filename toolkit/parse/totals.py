"""The figures a sheet declares about itself: the 合计 and the 大写.

Each is read from the cell a footer label points at and returned as a `Declared` that names its
cell; ``toolkit.validate`` compares it with the sum. A formula without a usable saved result gives
``Declared(None, …)`` and a warning (``total.formula_unknown`` / ``capitals.formula_unknown``): the
total is then computed. A 合计 that is no amount is the error ``total.not_a_number``.
"""

from __future__ import annotations

import unicodedata

from toolkit import codes, money
from toolkit.errors import InvalidAmount
from toolkit.parse.cells import SheetCells, error_value_message, is_error_value, shown
from toolkit.records import CellValue, Declared
from toolkit.text import strip_xml_illegal

__all__ = ["declared_capitals", "declared_total"]


def declared_total(cells: SheetCells, r: int, c: int, value: CellValue, *, inline: bool) -> Declared:
    """The 合计 at ``(r, c)``; ``inline`` when the value shares its label's cell (``合计：50000``)."""
    cell = cells.cell(r, c)
    raw = shown(value)
    if not inline and (r, c) in cells.unknown:
        cells.problem(
            codes.TOTAL_FORMULA_UNKNOWN,
            "合计是公式，但没有可用的计算结果（文件由程序生成，未在 Excel 中保存过），已按各笔金额重新计算合计；"
            "如需核对，请用 Excel 或 WPS 打开并保存",
            r,
            c,
            value,
            warn=True,
        )
        return Declared(None, cells.name, cell, raw)
    if is_error_value(value):
        cells.problem(codes.CELL_ERROR_VALUE, error_value_message(value), r, c, value)
        return Declared(None, cells.name, cell, raw)
    try:
        amount = money.parse_amount(value)
    except InvalidAmount:
        cells.problem(
            codes.TOTAL_NOT_A_NUMBER,
            f"合计“{raw}”不是金额，请填写阿拉伯数字，如 50000，或删除合计",
            r,
            c,
            value,
        )
        return Declared(None, cells.name, cell, raw)
    return Declared(amount, cells.name, cell, raw)


def declared_capitals(cells: SheetCells, r: int, c: int, value: CellValue, *, inline: bool) -> Declared:
    """The 大写 at ``(r, c)``, as text with ``(大写)`` and a colon removed from its start."""
    cell = cells.cell(r, c)
    raw = shown(value)
    if not inline and (r, c) in cells.unknown:
        cells.problem(
            codes.CAPITALS_FORMULA_UNKNOWN,
            "大写是公式，但没有可用的计算结果（文件由程序生成，未在 Excel 中保存过），无法核对；"
            "简报中的大写按各笔金额重新生成",
            r,
            c,
            value,
            warn=True,
        )
        return Declared(None, cells.name, cell, raw)
    text = unicodedata.normalize("NFKC", raw).strip()
    for prefix in ("(大写)", ":"):
        text = text.removeprefix(prefix).strip()
    cleaned, _ = strip_xml_illegal(text)
    return Declared(cleaned, cells.name, cell, raw)
