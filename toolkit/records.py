"""Typed, frozen records passed between the pipeline stages.

``read`` produces a `Workbook` of `Sheet` grids; ``parse`` turns its donor lists into a `Ledger` of
`DonorTable` records; ``validate`` returns `Problem` records (see `toolkit.errors`); ``render`` takes a
`Ledger`; ``publish`` records the `Outcome` of each input, which the pipeline reports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter

from toolkit.errors import Outcome, Problem

__all__ = [
    "CellValue",
    "Declared",
    "Donation",
    "DonorTable",
    "Edition",
    "Ledger",
    "Outcome",
    "Section",
    "Sheet",
    "Signature",
    "Subtotal",
    "Workbook",
    "column_letter",
    "cell_name",
]

_AMOUNT = attrgetter("amount")

CellValue = str | float | int | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None
"""A cell as Excel last saved it: empty cells are ``""`` or ``None``; numbers are ``float`` or ``int``."""


def column_letter(col: int) -> str:
    """1 → ``A``, 27 → ``AA``. ``col`` is 1-based."""
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_name(row: int, col: int) -> str:
    """A1 address of a 0-based ``(row, col)`` grid position: ``(6, 2)`` → ``C7``."""
    return f"{column_letter(col + 1)}{row + 1}"


@dataclass(frozen=True, slots=True)
class Sheet:
    """One worksheet as a grid of values, anchored at A1.

    Attributes:
        name: the sheet's tab name.
        visible: False for hidden and very hidden sheets.
        rows: ``rows[r][c]`` is the cell at 0-based row ``r`` and column ``c``; row 0 is Excel row 1.
            Rows may be ragged; a missing position is an empty cell.
        formulas_without_value: 0-based ``(row, col)`` of formula cells that carry no saved result
            (workbook written by a program and never opened in Excel).
        placeholder_formulas: 0-based ``(row, col)`` of formula cells whose saved result is probably a
            placeholder (xlsxwriter stores 0 until Excel recalculates); treat their value as unknown.
        merged: merged ranges as 0-based inclusive ``(first_row, first_col, last_row, last_col)``.
        hidden_rows: 0-based indexes of the rows the workbook marks hidden (a clerk does not see
            them on screen, but they print in a list). Only rows inside ``rows`` are listed; a
            format without hidden rows (.csv) gives none. Hidden sheets are ``visible=False``.
        formula_cells: 0-based ``(row, col)`` of every formula cell the reader saw, with or without a
            saved result (empty when the reader cannot tell, as for .xls and .ods).
        unit_formats: 0-based ``(row, col)`` → ``万元`` or a foreign currency, for the cells whose number
            format shows one (``0"万元"``, ``"$"#,##0.00``): the value alone does not say it (.xlsx only).
    """

    name: str
    visible: bool
    rows: Sequence[Sequence[CellValue]]
    formulas_without_value: frozenset[tuple[int, int]] = frozenset()
    placeholder_formulas: frozenset[tuple[int, int]] = frozenset()
    merged: tuple[tuple[int, int, int, int], ...] = ()
    hidden_rows: frozenset[int] = frozenset()
    formula_cells: frozenset[tuple[int, int]] = frozenset()
    unit_formats: Mapping[tuple[int, int], str] = field(default_factory=dict)

    def value(self, row: int, col: int) -> CellValue:
        """The value at a 0-based position, or ``None`` outside the grid."""
        if 0 <= row < len(self.rows):
            cells = self.rows[row]
            if 0 <= col < len(cells):
                return cells[col]
        return None


@dataclass(frozen=True, slots=True)
class Workbook:
    """Every sheet of one workbook, in tab order, plus the reader's notes.

    Attributes:
        name: the file name the bytes came from (no folder).
        sheets: all sheets in tab order, hidden ones included (``Sheet.visible`` tells).
        never_calculated: True when the workbook asks Excel to recalculate on load, a sign that a
            program wrote it and formula results were never saved.
    """

    name: str
    sheets: tuple[Sheet, ...]
    never_calculated: bool = False


@dataclass(frozen=True, slots=True)
class Donation:
    """One donor and the amount given.

    Attributes:
        serial: the 序号 as written, or ``None`` when the cell is blank.
        donor: the donor's name, stripped, never empty, with XML-illegal characters removed.
        amount: positive, exact, at most two decimal places.
        sheet: the sheet the row came from.
        cell: A1 address of the amount cell.
        name_cell: A1 address of the name cell.
        kind: ``"单位"`` or ``"个人"`` from the row's 类型 cell or, without a 类型 column, from the
            section heading above the row (一、单位捐款); else ``None``.
        serial_cell: A1 address of the 序号 cell (blank or not), ``""`` when the table has no 序号
            column or the donation was built without one; serial problems are reported there.
    """

    serial: int | None
    donor: str
    amount: Decimal
    sheet: str
    cell: str
    name_cell: str
    kind: str | None = None
    serial_cell: str = ""


@dataclass(frozen=True, slots=True)
class Declared:
    """A figure the workbook states itself (合计, 大写, 小计, a count of donors), with where it was found.

    ``value`` is a ``Decimal`` for a 合计, 小计 or count (in 元, already converted from 万元), a
    ``str`` for a 大写, and ``None`` when the cell holds a formula without a usable saved result.
    ``raw`` is the cell as the clerk sees it.
    """

    value: Decimal | str | None
    sheet: str
    cell: str
    raw: str = ""


@dataclass(frozen=True, slots=True)
class Signature:
    """The block under the table. Any field may be missing (``None``); a missing one is a warning."""

    receiver: str | None = None
    supervisor: str | None = None
    organisation: str | None = None
    date: dt.date | None = None
    roles: tuple[tuple[str, str], ...] = ()
    """Other people named under the list, as ``(role, name)``: ``("经手人", "王丽")``, in sheet order."""


@dataclass(frozen=True, slots=True)
class Section:
    """A heading row inside a table (``一、单位捐款``, a date) and the donor rows under it.

    Attributes:
        heading: the heading as written, cleaned.
        kind: ``"单位"`` or ``"个人"`` when the heading names one; it becomes the kind of its donors.
        cell: A1 address of the heading cell.
        donations: the donations read under it, up to the next heading, in row order.
    """

    heading: str
    kind: str | None
    cell: str
    donations: tuple[Donation, ...] = ()


@dataclass(frozen=True, slots=True)
class Subtotal:
    """A 小计 row and the donations it must add up to.

    Attributes:
        declared: the figure and its cell; ``declared.value`` is ``None`` when it cannot be read.
        label: the label as written (``小计``, ``单位小计``).
        scope: what it covers, in Chinese for messages (``第 5～9 行``, ``单位捐款``).
        donations: the donations it covers: the rows since the previous 小计 or heading; for a label
            naming a kind (单位小计), that kind's donations of the table so far.
    """

    declared: Declared
    label: str
    scope: str
    donations: tuple[Donation, ...]

    @property
    def computed(self) -> Decimal:
        return sum((d.amount for d in self.donations), Decimal(0))


@dataclass(frozen=True, slots=True)
class DonorTable:
    """One donor list as the sheet lays it out: a header, donor rows, and the figures it declares.

    A sheet may hold several tables (one per page, per day, per currency); a workbook several sheets.
    Every declared figure is checked against the donations of its own table.

    Attributes:
        sheet: the sheet's tab name.
        header: A1 range of the header row(s), e.g. ``A3:E3`` or ``A3:E4`` for a two-row header.
        title: the title row above the header, if any.
        groups: how many 序号/姓名/金额 groups the table packs side by side.
        unit: ``"元"``, or ``"万元"`` when the amount header says so (amounts are converted to 元).
        donations: its donors in serial order, amounts in 元.
        declared_total: the 合计 (or an unlabelled sum under the amounts), if any.
        declared_capitals: the 大写, if any.
        declared_count: the number of donors it states (``共计746人次``), as a whole ``Decimal``.
        sections: its heading rows, in row order.
        subtotals: its 小计 rows, in row order.
        blank_serials: the 序号 of pre-numbered rows left empty (the starter workbook numbers every
            row): no missing donors, so no gap in the numbering.
    """

    sheet: str
    header: str
    donations: tuple[Donation, ...]
    title: str | None = None
    groups: int = 1
    unit: str = "元"
    declared_total: Declared | None = None
    declared_capitals: Declared | None = None
    declared_count: Declared | None = None
    sections: tuple[Section, ...] = ()
    subtotals: tuple[Subtotal, ...] = ()
    blank_serials: frozenset[int] = frozenset()

    @property
    def total(self) -> Decimal:
        """Exact sum of its donations."""
        return sum(map(_AMOUNT, self.donations), Decimal(0))


@dataclass(frozen=True, slots=True)
class Ledger:
    """Everything one workbook says: donors, declared totals and the signature block.

    A workbook may hold several donor tables (several sheets, or several lists in one sheet):
    ``tables`` holds each with its own declared figures, and ``donations`` all of their donors, table
    after table. The fields ``declared_total``, ``declared_capitals``, ``title`` and ``groups`` describe
    the first table (the totals only when it is the only one), for readers of a single list.

    Attributes:
        file: the workbook's file name.
        sheet: the sheet of the first donor table.
        donations: every donor of every table, each table in serial order (as numbered in the workbook).
        declared_total: the 合计 of the only table, if any.
        declared_capitals: the 大写 of the only table, if any.
        signature: 收款人, 监督人, 单位, 日期 and other roles, from the first sheet that gives each.
        title: the title row above the first header, if any.
        groups: how many 序号/姓名/金额 groups the first table packs side by side (1 for a plain list).
        problems: problems found while parsing (bad amounts, missing names...), errors and warnings.
        tables: the donor tables read, in sheet and row order; empty for a ledger built by hand, which
            then is one table of its own fields (`donor_tables`).
        notes: the ``注：…`` lines under the lists, as written.
    """

    file: str
    sheet: str
    donations: tuple[Donation, ...]
    declared_total: Declared | None = None
    declared_capitals: Declared | None = None
    signature: Signature = field(default_factory=Signature)
    title: str | None = None
    groups: int = 1
    problems: tuple[Problem, ...] = ()
    tables: tuple[DonorTable, ...] = ()
    notes: tuple[str, ...] = ()

    def donor_tables(self) -> tuple[DonorTable, ...]:
        """``tables``, or for a ledger built without them, one table made of its own fields."""
        if self.tables:
            return self.tables
        table = DonorTable(
            sheet=self.sheet,
            header="",
            donations=self.donations,
            title=self.title,
            groups=self.groups,
            declared_total=self.declared_total,
            declared_capitals=self.declared_capitals,
        )
        return (table,)

    @property
    def units(self) -> frozenset[str]:
        """The units the amounts were written in (``{"元"}``, or with ``"万元"``)."""
        return frozenset(table.unit for table in self.donor_tables())

    @property
    def total(self) -> Decimal:
        """Exact sum of all donations."""
        return sum(map(_AMOUNT, self.donations), Decimal(0))

    def subtotal(self, kind: str) -> Decimal:
        """Exact sum of the donations of one kind (``"单位"`` or ``"个人"``)."""
        return sum((d.amount for d in self.donations if d.kind == kind), Decimal(0))

    @property
    def has_kinds(self) -> bool:
        return any(d.kind for d in self.donations)


@dataclass(frozen=True, slots=True)
class Edition:
    """Which bulletin of its series one bulletin is, as the output folder's register says.

    Attributes:
        number: its issue number (第 number 期), at least 1. Given once and kept: later renders of
            the same workbook, and changed settings, never renumber it.
        correction: 0 for the bulletin as first written; ``n`` for the n-th 更正 written after
            an issued version of it.
        running_total: the exact sum of this bulletin's total and the totals of every other
            bulletin in the register numbered up to it, or None when not known.
    """

    number: int
    correction: int = 0
    running_total: Decimal | None = None
