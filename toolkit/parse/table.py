"""Walking one table: which rows are donors, headings and 小计, where the footer starts and the table ends.

Below the header each group of each row is one donor when its name or amount cell is filled; a row
with only a 序号 (pre-numbered, never filled) is skipped silently. Inside the table:

- a 小计 row (小计, 单位小计, 本页小计, 本周合计…) is a subtotal, checked later against the rows it covers;
- a row carrying a sum between pages (过次页, 承上页, 上期结转) or naming a part again with its figure
  (其中：网络捐款 100) is an aside: never a donor, reported (``row.not_donation``);
- a heading row (``一、单位捐款``, a date on its own between donors) starts a section
  (`toolkit.parse.sections`);
- a second header row ends the table: the next table starts there (a second page, a list in
  another currency, a goods list).

The table ends at the first row carrying a footer label: a total (合计, 总计, 共计, 收款金额合计…),
capitals (大写…), a count (合计人数…), a note (注：…) or a signature label (收款人, 监督人, 单位, 日期,
经手人…), in a 序号/姓名/金额 column. Anywhere else in the row a label ends the table only when the row
holds no donor: a 备注 such as “单位：某公司” beside a donor does not, and a 合计 merged across the date
column of a row whose name cell is blank does.

Lines under the last donor holding one cell (the organisation, a note, a date) are footer lines, not
donors without an amount: all of them when a footer label or a next table follows; otherwise from the
first one that is separated from the donors by a blank row or reads as a footer line
(`toolkit.parse.lines`). A line right above a next header is that table's title.

An amount under the last donor with no name and no 序号 may be an unlabelled 合计: `TableRows.unlabelled`
(see `toolkit.parse.totals`).

The walk looks at two or three characters of a text cell before any NFKC or regex
(`toolkit.parse.labels.label_start`), so a long list is walked in one cheap pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from toolkit.parse.cells import SheetCells, blank, numeric_text, parse_date
from toolkit.parse.header import Header, NotDonorList, header_at
from toolkit.parse.labels import FIRST_LOOK, label_start, match_label
from toolkit.parse.lines import is_footer_line
from toolkit.parse.sections import heading_of
from toolkit.parse.vocabulary import BREAKDOWN, CAPITALS, CARRY, COUNT, SUBTOTAL, TOTAL
from toolkit.records import CellValue

__all__ = ["FOOTER_SCAN_ROWS", "TableRows", "next_header", "walk_table"]

FOOTER_SCAN_ROWS = 100
"""The signature block is looked for in this many rows after the end of the table."""

_FOOTER = "footer"
_ASIDE = "aside"
_MAYBE_HEADER = "header?"
_FIGURES = frozenset({TOTAL, CAPITALS, COUNT, SUBTOTAL})
_TITLE_LINES = 3


@dataclass(slots=True)
class TableRows:
    """Where one table's parts are (0-based rows).

    Attributes:
        header: the table's header.
        per_group: for each header group, the donor rows (name or amount filled), ascending.
        headings: ``(row, col)`` of heading rows inside the table.
        subtotals: rows labelled 小计 inside the table.
        asides: rows inside the table that carry a figure and are no donors: a sum carried between
            pages (过次页, 承上页) or a part named again (其中：网络捐款 100); said, never counted.
        footer: the rows to read as footer: lone lines under the last donor, then the footer.
        footer_start: the first row of the footer (``region_end`` when there is none).
        footer_end: the end of the footer rows read (at most `FOOTER_SCAN_ROWS` after its start).
        region_end: where this table's rows end: the next table's title or header, or the sheet's end.
        next: the header of the next table in the sheet, if any.
        unlabelled: ``(row, group index)`` of an amount without name or 序号 under the last donor.
    """

    header: Header
    per_group: list[list[int]]
    headings: list[tuple[int, int]] = field(default_factory=list)
    subtotals: list[int] = field(default_factory=list)
    asides: list[int] = field(default_factory=list)
    footer: list[int] = field(default_factory=list)
    footer_start: int = 0
    footer_end: int = 0
    region_end: int = 0
    next: Header | NotDonorList | None = None
    unlabelled: tuple[int, int] | None = None

    def donor_rows(self) -> list[int]:
        """Every row holding a donor of any group, ascending."""
        return sorted({r for rows in self.per_group for r in rows})


def walk_table(cells: SheetCells, header: Header) -> TableRows:
    """Walk the rows under ``header`` to the end of its table (see the module docstring)."""
    end = len(cells.rows)
    table = TableRows(header, [[] for _ in header.groups])
    body = _walk_body(cells, table)
    footer_start = body.footer_start
    if table.next is None and footer_start < end:
        table.next = next_header(cells, footer_start + 1, end)
    region_end = end
    if table.next is not None:
        floor = header.end if footer_start == table.next.row else footer_start
        region_end = _title_start(cells, table.next.row, floor)
        for kept in (*table.per_group, body.others, table.subtotals, table.asides):
            kept[:] = [r for r in kept if r < region_end]
    table.region_end = region_end
    _find_headings(cells, table, sorted({*body.others, *body.unpaid}), body.last_paid)
    lines = _footer_lines(cells, table, min(footer_start, region_end), footer_start < end)
    table.footer_start = min(footer_start, region_end)
    table.footer_end = min(region_end, table.footer_start + FOOTER_SCAN_ROWS)
    table.footer = lines + list(range(table.footer_start, table.footer_end))
    table.unlabelled = _unlabelled(cells, table)
    return table


@dataclass(slots=True)
class _Body:
    footer_start: int
    others: list[int] = field(default_factory=list)  # rows with content, none in a name or amount cell
    unpaid: list[int] = field(default_factory=list)  # rows with a name and no amount: maybe a heading
    last_paid: int = -1  # the last row with an amount


def _walk_body(cells: SheetCells, table: TableRows) -> _Body:
    """Rows from under the header down to the first footer label or next header: one cheap pass."""
    header = table.header
    rows = cells.rows
    groups = [(i, g.name, g.amount) for i, g in enumerate(header.groups)]
    group_cols = frozenset(c for g in header.groups for c in (g.serial, g.name, g.amount) if c is not None)
    kind_cols = frozenset(g.kind for g in header.groups if g.kind is not None)
    per_group = table.per_group
    body = _Body(len(rows))
    heads, singles, short, heads3 = FIRST_LOOK
    for r in range(header.end + 1, len(rows)):
        row = rows[r]
        # A cheap look first: a text that may start with a label (labels.FIRST_LOOK, label_start's
        # first look taken inline), or two texts (maybe a next header). Most donor rows stop here.
        texts = 0
        maybe = False
        for value in row:
            if type(value) is str and value:
                texts += 1
                head = value[:2]
                if head not in heads:
                    maybe = (
                        maybe
                        or value[0] in singles
                        or value[0].isspace()
                        or value[1:2].isspace()
                        or (value[0].isdigit() and "计" in value)
                        or "计" in value[:9]
                        or value[-1] in "数总"
                    )
                elif (
                    head in short
                    or not ("\u4e00" <= value[2:3] <= "\u9fff")
                    or value[:3] in heads3
                    or "计" in value[:9]
                    or value[-1] in "数总"
                ):
                    maybe = True
        state = _row_state(row, header, group_cols, kind_cols) if maybe or texts >= 2 else None
        if state == SUBTOTAL:
            table.subtotals.append(r)
            continue
        if state == _ASIDE:
            table.asides.append(r)
            continue
        if state == _FOOTER or (state == _MAYBE_HEADER and _ends_at_header(cells, table, r)):
            body.footer_start = r
            break
        width = len(row)
        filled = paid = False
        for gi, nc, ac in groups:
            name = row[nc] if nc < width else None
            amount = row[ac] if ac < width else None
            if amount is None or amount == "" or (type(amount) is str and amount.isspace()):
                if name is None or name == "" or (type(name) is str and name.isspace()):
                    continue
            else:
                paid = True
            per_group[gi].append(r)
            filled = True
        if paid:
            body.last_paid = r
        elif filled:
            body.unpaid.append(r)
        elif any(not blank(v) for v in row):
            body.others.append(r)
    return body


def _ends_at_header(cells: SheetCells, table: TableRows, r: int) -> bool:
    """Row ``r`` is the header of a next table: record it."""
    found = header_at(cells, r)
    if found is None:
        return False
    table.next = found
    return True


def _row_state(
    row: Sequence[CellValue], header: Header, group_cols: frozenset[int], kind_cols: frozenset[int]
) -> str | None:
    """``footer``, ``subtotal``, ``header?`` (two texts and no number: maybe a next header) or ``None``."""
    footer_elsewhere = figure_elsewhere = False
    texts = 0
    for c, value in enumerate(row):
        if type(value) is not str or not value:
            continue
        texts += 1
        if not label_start(value) or c in kind_cols:
            continue
        label = match_label(value)
        if label is None:
            continue
        if label.kind == SUBTOTAL:
            return SUBTOTAL
        if label.kind == CARRY or (label.kind == BREAKDOWN and _has_number(row)):
            return _ASIDE
        if label.kind == BREAKDOWN:
            continue  # 其中：个人捐款 with no figure: a heading
        if c in group_cols:
            return _FOOTER
        footer_elsewhere = True
        figure_elsewhere = figure_elsewhere or label.kind in _FIGURES
    if footer_elsewhere:
        width = len(row)
        named = any(g.name < width and not blank(row[g.name]) for g in header.groups)
        if not named and (figure_elsewhere or not _has_donor_data(row, header)):
            return _FOOTER
    if texts >= 2 and not any(type(v) is float or type(v) is int for v in row):
        return _MAYBE_HEADER
    return None


def _has_number(row: Sequence[CellValue]) -> bool:
    return any(type(v) is float or type(v) is int or (type(v) is str and numeric_text(v)) for v in row)


def _has_donor_data(row: Sequence[CellValue], header: Header) -> bool:
    """Some group's name or amount cell is filled."""
    width = len(row)
    return any(
        (g.name < width and not blank(row[g.name])) or (g.amount < width and not blank(row[g.amount]))
        for g in header.groups
    )


def next_header(cells: SheetCells, start: int, stop: int) -> Header | NotDonorList | None:
    """The next header row below a footer, if any (cheap look first: two texts and no number)."""
    for r in range(start, stop):
        row = cells.rows[r]
        texts = 0
        for value in row:
            kind = type(value)
            if kind is float or kind is int:
                texts = -1
                break
            if kind is str and value:
                texts += 1
        if texts >= 2:
            found = header_at(cells, r)
            if found is not None:
                return found
    return None


def _title_start(cells: SheetCells, header_row: int, floor: int) -> int:
    """The first row of the lines right above a header (its title), at most `_TITLE_LINES` of them."""
    r = header_row
    while r - 1 > floor and header_row - (r - 1) <= _TITLE_LINES:
        filled = [v for v in cells.rows[r - 1] if not blank(v)]
        if len(filled) != 1 or not isinstance(filled[0], str) or match_label(filled[0]) is not None:
            break
        r -= 1
    return r


def _find_headings(cells: SheetCells, table: TableRows, candidates: list[int], last_paid: int) -> None:
    """Take heading rows (一、单位捐款; a date between donors) out of the donor rows.

    ``candidates`` are the rows with no amount; ``last_paid`` the last row with one.
    """
    header = table.header
    for r in candidates:
        if r >= table.region_end:
            break
        col = heading_of(cells.rows[r], header, inside=r < last_paid)
        if col is not None:
            table.headings.append((r, col))
    if table.headings:
        taken = {r for r, _ in table.headings}
        for rows in table.per_group:
            rows[:] = [r for r in rows if r not in taken]


def _footer_lines(cells: SheetCells, table: TableRows, stop: int, hard_end: bool) -> list[int]:
    """Lone lines at the bottom of the donor rows that belong to the footer; taken out of ``per_group``.

    ``hard_end``: a footer label or a next table follows, so every lone line above it is footer.
    """
    header = table.header
    block: list[tuple[int, bool]] = []  # (row, a blank row lies between it and the row above)
    r = stop - 1
    blank_below = False
    while r > header.end:
        filled = [(c, v) for c, v in enumerate(cells.rows[r]) if not blank(v)]
        if not filled:
            blank_below = True
            r -= 1
            continue
        if not _lone_line(filled, header):
            break
        if block:
            block[-1] = (block[-1][0], blank_below)
        block.append((r, False))
        blank_below = False
        r -= 1
    if not block:
        return []
    if block:
        block[-1] = (block[-1][0], blank_below)
    block.reverse()  # top to bottom
    lines: list[int] = []
    for i, (row, gap_above) in enumerate(block):
        if hard_end or gap_above or lines or is_footer_line(cells.rows[row]):
            lines = [b for b, _ in block[i:]]
            break
    taken = set(lines)
    for rows in table.per_group:
        while rows and rows[-1] in taken:
            rows.pop()
    return lines


def _lone_line(filled: list[tuple[int, CellValue]], header: Header) -> bool:
    """One filled cell, text (no number in it) or a date, and no 序号 beside it."""
    if len(filled) != 1:
        return False
    col, value = filled[0]
    if any(col == g.amount for g in header.groups):
        return False
    if isinstance(value, str):
        return not numeric_text(value) or parse_date(value) is not None
    return parse_date(value) is not None  # an Excel date, or a date serial in a General cell


def _unlabelled(cells: SheetCells, table: TableRows) -> tuple[int, int] | None:
    """The last donor row, when it holds an amount and nothing else of its group: maybe a 合计."""
    last = max((r for rows in table.per_group for r in rows), default=None)
    if last is None:
        return None
    row = cells.rows[last]
    for gi, g in enumerate(table.header.groups):
        if last not in table.per_group[gi]:
            continue
        names = [g.name, *g.more_names]
        if any(c < len(row) and not blank(row[c]) for c in names):
            return None
        if g.serial is not None and g.serial < len(row) and not blank(row[g.serial]):
            return None
        if numeric_text(row[g.amount]) and sum(not blank(v) for v in row) == 1:
            return last, gi
    return None
