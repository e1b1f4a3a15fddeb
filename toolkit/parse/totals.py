"""The figures a table declares about itself: the 合计, the 大写, a count of donors, each 小计.

Each is read from the cell a label points at and returned as a `Declared` that names its cell;
``toolkit.validate`` compares it with the donations. Amounts are in the table's unit (a 合计 of a 万元
table is in 万元) unless the text says its own (``8550.11万元``, ``50000元``), and are converted to 元.

- A formula without a usable saved result gives ``Declared(None, …)`` and a warning
  (``total.formula_unknown`` / ``capitals.formula_unknown``): the total is then computed.
- A 合计 that reads as a count (``共计746人次``) is the declared count; a sentence
  (``共计45笔，合计50000元``) gives both. Anything else that is no amount is ``total.not_a_number``.
- An amount with no name and no 序号 right under the last donor is the table's 合计 when it equals
  the sum of the donations, or when the reader marks it as a formula (it is then checked like any
  合计); otherwise it is a donor without a name (`unlabelled_total`).
- A 小计 that is no amount is the warning ``subtotal.unreadable``: it cannot be checked.
- A total stated above the header (`stated_above`: ``（合计：500元）`` in a title, ``合计`` | | ``500``
  above or beside the header) is checked by `toolkit.parse.sheets` like a declared total.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from decimal import Decimal

from toolkit import codes, money
from toolkit.errors import InvalidAmount
from toolkit.money import excel_number_text, parse_amount, parse_scaled_amount
from toolkit.parse.cells import SheetCells, blank, error_value_message, is_error_value, numeric_text, shown
from toolkit.parse.columns import read_column
from toolkit.parse.header import Header
from toolkit.parse.labels import match_label
from toolkit.parse.lines import read_count, read_summary, stated_total
from toolkit.parse.vocabulary import TOTAL
from toolkit.records import CellValue, Declared
from toolkit.text import strip_xml_illegal

__all__ = [
    "declared_capitals",
    "figure_beside",
    "stated_above",
    "declared_count",
    "declared_subtotal",
    "declared_total",
    "read_amount",
    "unlabelled_total",
]


def read_amount(value: CellValue, exponent: int) -> Decimal:
    """An amount in 元 from a declared figure written in units of 10^``exponent`` 元.

    Text that names its own unit (``8550.11万元``, ``50000元``) is read in that unit.
    """
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        if text.endswith("万元"):
            return money.parse_scaled_amount(text, 4)
        if text.endswith("元"):
            return money.parse_amount(text)
    return money.parse_scaled_amount(value, exponent)


def declared_total(
    cells: SheetCells, r: int, c: int, value: CellValue, *, inline: bool, exponent: int = 0
) -> tuple[Declared | None, Declared | None]:
    """``(total, count)`` declared at ``(r, c)``; ``inline`` when the value shares its label's cell.

    A value reading as a number of donors (``746人次``) is a count and no total.
    """
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
        return Declared(None, cells.name, cell, raw), None
    if is_error_value(value):
        cells.problem(codes.CELL_ERROR_VALUE, error_value_message(value), r, c, value)
        return Declared(None, cells.name, cell, raw), None
    try:
        return Declared(read_amount(value, exponent), cells.name, cell, raw), None
    except InvalidAmount:
        pass
    if isinstance(value, str):
        count = read_count(value)
        if count is not None:
            return None, Declared(Decimal(count), cells.name, cell, raw)
        number, figure = read_summary(value)
        if number is not None or figure is not None:
            total = None
            if figure is not None:
                try:
                    total = Declared(read_amount(figure, exponent), cells.name, cell, raw)
                except InvalidAmount:
                    total = None
            counted = Declared(Decimal(number), cells.name, cell, raw) if number is not None else None
            if total is not None or counted is not None:
                return total, counted
    cells.problem(
        codes.TOTAL_NOT_A_NUMBER,
        f"合计“{raw}”不是金额，请填写阿拉伯数字，如 50000，或删除合计",
        r,
        c,
        value,
    )
    return Declared(None, cells.name, cell, raw), None


def declared_count(cells: SheetCells, r: int, c: int, value: CellValue) -> Declared | None:
    """A number of donors (``45``, ``45人``, ``共计746人次``), or ``None`` when the cell says none."""
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        return Declared(Decimal(int(value)), cells.name, cells.cell(r, c), shown(value))
    if isinstance(value, str):
        text = value.strip()
        count = int(text) if text.isdecimal() else read_count(text)
        if count is None:
            count = read_summary(text)[0]
        if count is not None:
            return Declared(Decimal(count), cells.name, cells.cell(r, c), shown(value))
    return None


def declared_subtotal(cells: SheetCells, r: int, c: int, value: CellValue, *, exponent: int) -> Declared:
    """A 小计; when it is no amount, the warning ``subtotal.unreadable`` and ``value=None``."""
    raw = shown(value)
    if (r, c) not in cells.unknown and not is_error_value(value):
        try:
            return Declared(read_amount(value, exponent), cells.name, cells.cell(r, c), raw)
        except InvalidAmount:
            pass
    cells.problem(
        codes.SUBTOTAL_UNREADABLE,
        f"小计“{raw}”不是可以核对的金额，没有核对这一段的金额；如需核对，请填写阿拉伯数字",
        r,
        c,
        value,
        warn=True,
    )
    return Declared(None, cells.name, cells.cell(r, c), raw)


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
    for prefix in ("(大写)", ":", "人民币(大写)", "(人民币)", ":"):
        text = text.removeprefix(prefix).strip()
    cleaned, _ = strip_xml_illegal(text)
    return Declared(cleaned, cells.name, cell, raw)


def unlabelled_total(
    cells: SheetCells, r: int, c: int, computed: Decimal, *, exponent: int
) -> Declared | None:
    """The figure at ``(r, c)`` as the table's 合计, when it is one (see the module docstring)."""
    value = cells.rows[r][c]
    try:
        amount = read_amount(value, exponent)
    except InvalidAmount:
        return None
    if amount == computed or (r, c) in cells.sheet.formula_cells:
        return Declared(amount, cells.name, cells.cell(r, c), shown(value))
    return None


def stated_above(cells: SheetCells, header: Header, top: int) -> list[tuple[int, int, str, Decimal]]:
    """``(row, col, text, amount)`` of each total stated above the header: in a text (``（合计：500元）``)
    or by a 合计 label with its figure beside it (``合计`` | | ``500``), there or beside the header."""
    found = []
    for r in range(top, header.end + 1):
        row = cells.rows[r]
        for c, value in enumerate(row):
            if not isinstance(value, str) or (r >= header.row and read_column(value).role is not None):
                continue
            figure = stated_total(value) or figure_beside(row, c, value)
            if figure is None:
                continue
            wan = figure.endswith("万元")
            try:
                amount = parse_scaled_amount(figure.removesuffix("万元"), 4) if wan else parse_amount(figure)
            except InvalidAmount:
                continue
            found.append((r, c, " ".join(value.split()), amount))
    return found


def figure_beside(row: Sequence[CellValue], c: int, value: str) -> str | None:
    """The figure right of a 合计 label that carries none itself (``合计金额：`` | ``500``)."""
    label = match_label(value)
    if label is None or label.kind != TOTAL or label.rest:
        return None
    figure = next((v for v in row[c + 1 :] if not blank(v)), None)
    if isinstance(figure, int | float) and not isinstance(figure, bool):
        return excel_number_text(float(figure))
    return figure if isinstance(figure, str) and numeric_text(figure) else None
