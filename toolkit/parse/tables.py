"""One donor table: its donors, sections and declared figures, its unit and the currencies it leaves out.

`read_table` reads a table whose rows `toolkit.parse.table.walk_table` found: the footer first (its
totals and lines), then the donors of each group, the kinds their section headings give them, the
小计 rows, an unlabelled total under the amounts, and what must be said about the table:

- a table in 万元 is converted to 元 with the warning ``unit.converted``; a ``单位：万元`` line above the
  header applies to an amount header without a unit (`with_unit`); header and line disagreeing is
  ``unit.conflict``;
- money that is not 元 is never added to 元 (`toolkit.parse.currency`): a foreign amount column is
  left out with ``table.foreign_currency``; a row marked foreign (币种, 备注, name) is refused;
- a second amount column that disagrees with the one read is ``table.two_amounts``; a column of
  each row's 大写 is checked row by row; rows that are asides (过次页, 其中…) are said, and a heading
  naming money going out is ``row.outflow``;
- hidden rows holding donors are read, with ``row.hidden`` naming them;
- lines such as ``个人捐款 34461.73`` under the total are checked when donors have kinds, else reported.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import replace
from decimal import Decimal
from itertools import chain

from toolkit import codes, money
from toolkit.errors import InvalidAmount, Problem, Severity
from toolkit.parse.cells import SheetCells, blank, serial_of, shown
from toolkit.parse.currency import drop_foreign_only, foreign_problem, formatted_units, refuse_foreign_rows
from toolkit.parse.donors import DonorReader, in_serial_order
from toolkit.parse.facts import SheetFacts
from toolkit.parse.footer import FooterReader
from toolkit.parse.header import Group, Header
from toolkit.parse.labels import match_label
from toolkit.parse.sections import SubtotalRow, assemble, heading_kind, read_subtotal
from toolkit.parse.table import TableRows
from toolkit.parse.totals import unlabelled_total
from toolkit.parse.units import foreign_named, outflow_title, unit_line
from toolkit.parse.vocabulary import CARRY, WAN, YUAN
from toolkit.records import CellValue, Donation, DonorTable, Section, Subtotal

__all__ = ["read_table", "with_unit"]


def read_table(
    cells: SheetCells, header: Header, walk: TableRows, title: str | None, facts: SheetFacts
) -> DonorTable:
    """Read the donors, sections and figures of one table in 元 (or 万元)."""
    exponent = 4 if header.unit == WAN else 0
    footer = FooterReader(cells, walk, facts, exponent=exponent)
    footer.read()
    unlabelled = walk.unlabelled if footer.total is None else None
    if unlabelled is not None:
        walk.per_group[unlabelled[1]].remove(unlabelled[0])
    refuse_foreign_rows(cells, header, walk)
    foreign_counts = drop_foreign_only(cells, header, walk)
    reader = DonorReader(cells)
    results: list[tuple[Sequence[int], list[Donation | None]]] = []
    for g, rows, late in zip(header.groups, walk.per_group, footer.late, strict=True):
        results.append((rows, reader.read(rows, g)))
        results += [((r,), reader.read((r,), columns)) for r, columns in late]
    found: Iterable[Donation | None] = chain.from_iterable(donations for _, donations in results)
    for col in header.extra_amounts:
        _second_amount(cells, header, col, results)
    if header.capitals is not None:
        _row_capitals(cells, header.capitals, results)
    if cells.sheet.unit_formats:
        formatted_units(cells, header, walk)
    for r in walk.asides:
        _aside(cells, r)
    for r, col in walk.headings:
        heading = cells.rows[r][col]
        foreign = foreign_named(heading) if isinstance(heading, str) else None
        if foreign is not None:
            cells.problem(
                codes.AMOUNT_FOREIGN_CURRENCY,
                f"第 {r + 1} 行“{cells.clean(str(heading), r, col)}”说明下面的金额是{foreign}，不是人民币，"
                "不能和人民币捐款列在一张名单里相加；请换算成人民币后填写，或把外币捐款另列一张表（表头写明“金额（"
                f"{foreign}）”）",
                r,
                col,
                heading,
            )
        if isinstance(heading, str) and outflow_title(heading):
            cells.problem(
                codes.ROW_OUTFLOW,
                f"第 {r + 1} 行“{cells.clean(heading, r, col)}”说明下面列的是付出去的钱，不是收到的捐款，"
                "这些行不能算作捐款；请把它们移到另一个工作表或删除，再放回文件夹",
                r,
                col,
                heading,
            )
    read_rows = (read_subtotal(cells, header, r, exponent=exponent) for r in walk.subtotals)
    subtotal_rows = [s for s in read_rows if s is not None]
    sections: tuple[Section, ...] = ()
    subtotals: tuple[Subtotal, ...] = ()
    blocks: list[int] | None = None
    if walk.headings or subtotal_rows or footer.subtotals or cells.sheet.hidden_rows:
        read = [(r, d) for rows, ds in results for r, d in zip(rows, ds, strict=True) if d is not None]
        read = _section_kinds(cells, walk, read)
        kept = [d for _, d in read]
        found = kept
        subtotal_rows += _kind_lines(cells, footer.subtotals, kept)
        by_row: dict[int, list[Donation]] = {}
        for r, d in read:
            by_row.setdefault(r, []).append(d)
        sections, subtotals = assemble(cells, walk.headings, subtotal_rows, by_row)
        _hidden_rows(cells, sorted(by_row))
        breaks = sorted({r for r, _ in walk.headings} | set(walk.subtotals))
        blocks = [bisect_right(breaks, r) for r, _ in read]
    donations = in_serial_order(found, blocks)
    del results
    total = footer.total
    if unlabelled is not None:
        r, gi = unlabelled
        g = header.groups[gi]
        computed = sum((d.amount for d in donations), Decimal(0))
        total = unlabelled_total(cells, r, g.amount, computed, exponent=exponent)
        if total is None:
            reader.read((r,), g)  # an amount without a name: name.missing at its cell
    if header.unit == WAN:
        col = header.groups[0].amount
        cells.problem(
            codes.UNIT_CONVERTED,
            "金额的单位是万元，已按 1 万元 = 10000 元换算成元；简报中的金额和合计都以元为单位，请核对",
            header.row,
            col,
            cells.rows[header.row][col] if col < len(cells.rows[header.row]) else "",
            warn=True,
        )
    for col, currency in header.foreign:
        foreign_problem(cells, header, col, currency, foreign_counts[col])
    return DonorTable(
        sheet=cells.name,
        header=_header_range(cells, header),
        donations=donations,
        title=title,
        groups=len(header.groups),
        unit=WAN if header.unit == WAN else YUAN,
        declared_total=total,
        declared_capitals=footer.capitals,
        declared_count=footer.count,
        sections=sections,
        subtotals=subtotals,
        blank_serials=_blank_serials(cells, header, walk, donations),
    )


def _second_amount(
    cells: SheetCells,
    header: Header,
    col: int,
    results: Sequence[tuple[Sequence[int], list[Donation | None]]],
) -> None:
    """A second amount column (捐款金额 | 到账金额) that says the same as the one read, in 元, is no
    matter; one that differs on any donor's row is the error ``table.two_amounts``: which of the two
    the bulletin should show cannot be known."""
    column = header.columns[col]
    exponent = 4 if column.unit == WAN else 0
    differ: list[tuple[int, Donation, CellValue]] = []
    for rows, donations in results:
        for r, d in zip(rows, donations, strict=True):
            if d is None:
                continue
            value = cells.at(r, col)
            try:
                same = money.parse_scaled_amount(value, exponent) == d.amount
            except InvalidAmount:
                same = False
            if not same:
                differ.append((r, d, value))
    if not differ:
        return
    r, d, value = differ[0]
    used = max((g.amount for g in header.groups if g.amount < col), default=header.groups[0].amount)
    other = f" {shown(value)}{'万元' if exponent else ''}" if not blank(value) else "空白"
    cells.problem(
        codes.TABLE_TWO_AMOUNTS,
        f"{cells.letter(col)} 列“{column.text}”也是一列金额，和 {cells.letter(used)} 列"
        f"“{header.columns[used].text}”有 {len(differ)} 行不一样（如第 {r + 1} 行“{d.donor}”："
        f"{money.format_amount(d.amount)} 元和{other}）。简报只按一列金额公示，无法判断该用哪一列；"
        "请删除不用于公示的那一列，或把它的表头改成“备注”，再放回文件夹",
        header.row,
        col,
        column.text,
    )


def _blank_serials(
    cells: SheetCells, header: Header, walk: TableRows, donations: Sequence[Donation]
) -> frozenset[int]:
    """The 序号 of rows numbered in advance and left empty, looked for only when the numbering of the
    donations has a gap (a starter workbook in two groups: 1, 2, 3 filled, then 51)."""
    serials = sorted(d.serial for d in donations if d.serial is not None)
    if all(b == a + 1 for a, b in zip(serials, serials[1:], strict=False)):
        return frozenset()
    found: set[int] = set()
    for r in range(header.end + 1, min(walk.footer_start, len(cells.rows))):
        for g in header.groups:
            serial = serial_of(cells.at(r, g.serial)) if g.serial is not None else None
            if isinstance(serial, int) and blank(cells.at(r, g.name)) and blank(cells.at(r, g.amount)):
                found.add(serial)
    return frozenset(found)


def _row_capitals(
    cells: SheetCells, col: int, results: Sequence[tuple[Sequence[int], list[Donation | None]]]
) -> None:
    """Each row's amount in capitals (a 金额（大写） column) against its amount: a mismatch is the error
    ``capitals.mismatch`` at that cell, since one of the two is wrong."""
    for rows, donations in results:
        for r, d in zip(rows, donations, strict=True):
            value = cells.at(r, col)
            if d is None or not isinstance(value, str) or not value.strip():
                continue
            try:
                same = money.parse_capitals(value) == d.amount
            except InvalidAmount:
                same = False
            if not same:
                cells.problem(
                    codes.CAPITALS_MISMATCH,
                    f"大写“{cells.clean(value, r, col)}”和这一行的金额 {money.format_amount(d.amount)} 对不上，"
                    f"应为“{money.to_capitals(d.amount)}”；请改正大写或金额",
                    r,
                    col,
                    value,
                )


def _aside(cells: SheetCells, r: int) -> None:
    """A row inside the list with a figure that is no donation (过次页 300, 其中：网络捐款 100): said."""
    filled = [(c, v) for c, v in enumerate(cells.rows[r]) if not blank(v)]
    text = " ".join(cells.clean(v, r, c) if isinstance(v, str) else shown(v) for c, v in filled)
    label = next((match_label(v) for _, v in filled if isinstance(v, str) and match_label(v)), None)
    what = (
        "页与页（或上一期）之间转来的数"
        if label is not None and label.kind == CARRY
        else "名单中一部分捐款的小结"
    )
    cells.problem(
        codes.ROW_NOT_DONATION,
        f"第 {r + 1} 行“{text}”是{what}，不是一笔捐款，没有列入简报，也没有计入合计；名单的合计按各笔捐款核对",
        r,
        filled[0][0],
        text,
        warn=True,
    )


def _section_kinds(
    cells: SheetCells, walk: TableRows, read: list[tuple[int, Donation]]
) -> list[tuple[int, Donation]]:
    """Give each donor without a 类型 the kind of the heading above it (一、单位捐款)."""
    kinds: list[tuple[int, str | None]] = []
    for r, col in walk.headings:
        value = cells.rows[r][col]
        kinds.append((r, heading_kind(value)[1] if isinstance(value, str) else None))
    if not any(kind for _, kind in kinds):
        return read
    out: list[tuple[int, Donation]] = []
    for r, d in read:
        kind = next((k for row, k in reversed(kinds) if row < r), None)
        if kind and d.kind is None:
            d = Donation(d.serial, d.donor, d.amount, d.sheet, d.cell, d.name_cell, kind, d.serial_cell)
        out.append((r, d))
    return out


def _kind_lines(cells: SheetCells, lines: list[SubtotalRow], donations: list[Donation]) -> list[SubtotalRow]:
    """Lines such as ``个人捐款 34461.73`` under the list: checked when donors have kinds, else reported."""
    if any(d.kind for d in donations):
        return lines
    for line in lines:
        cells.problems.append(
            Problem(
                codes.FOOTER_UNRECOGNISED,
                f"名单下方写着“{line.label} {line.declared.raw}”，但名单没有分个人和单位（没有“类型”列或"
                "“一、单位捐款”这样的标题），无法核对这个数字，简报也不会用它；请核对",
                Severity.WARNING,
                cells.file,
                cells.name,
                line.declared.cell,
                line.declared.raw,
            )
        )
    return []


def _hidden_rows(cells: SheetCells, rows: list[int]) -> None:
    hidden = [r for r in rows if r in cells.sheet.hidden_rows]
    if not hidden:
        return
    listed = "、".join(str(r + 1) for r in hidden[:10]) + ("等" if len(hidden) > 10 else "")
    cells.problem(
        codes.ROW_HIDDEN,
        f"第 {listed} 行被隐藏了（共 {len(hidden)} 行），但其中的捐款已经列入简报和合计；"
        "如果这些行本来就不该列入，请删除这些行，而不是隐藏",
        hidden[0],
        0,
        "",
        warn=True,
    )


def with_unit(cells: SheetCells, header: Header, top: int) -> Header:
    """The header with the unit of a ``单位：万元`` line above it applied to groups that state none."""
    found = unit_line(cells, header, top)
    if found is None:
        return header
    unit, r, c = found
    groups: list[Group] = []
    for g in header.groups:
        stated = header.columns[g.amount].unit if g.amount < len(header.columns) else None
        if stated is not None and stated != unit and "外币" not in (stated, unit):
            cells.problem(
                codes.UNIT_CONFLICT,
                f"表格上方写着金额单位是“{unit}”，但金额列 {cells.cell(header.row, g.amount)} 写的是“{stated}”，"
                "无法确定金额的单位；请删掉其中不对的一处",
                r,
                c,
                cells.rows[r][c],
            )
            groups.append(g)
        else:
            groups.append(Group(g.serial, g.name, g.amount, g.kind, unit, g.more_names))
    return replace(header, groups=tuple(groups))


def _header_range(cells: SheetCells, header: Header) -> str:
    cols = [c for g in header.groups for c in (g.serial, g.name, g.amount, g.kind) if c is not None]
    return f"{cells.cell(header.row, min(cols))}:{cells.cell(header.end, max(cols))}"
