"""Walking the table: which rows below the header hold donors, and where the footer starts.

Below the header each group of each row is one donor when its name or amount cell is filled; a row
with only a 序号 (pre-numbered, never filled) is skipped silently. A row labelled 小计/本页小计 is
skipped (never checked, never a donor). The table ends at the first row carrying a footer label: a
total (合计, 总计, 共计, 收款金额合计, 捐款合计...), capitals (大写...), or a signature label (收款人,
监督人, 单位/组织/机构, 日期, 制表人...). Labels in extra columns of a donor row (a 备注 such as
“单位：某公司”) do not end the table. A row whose only content is one text cell with no 序号, right
above the footer, is a footer line (the organisation name of the seed), not a donor without amount.

The walk looks at two or three characters of a text cell before any NFKC or regex
(`toolkit.parse.labels.label_start`), so a long list is walked in one cheap pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from toolkit.parse.cells import SheetCells, blank, numeric_text
from toolkit.parse.header import Header
from toolkit.parse.labels import label_start, match_label
from toolkit.parse.vocabulary import SUBTOTAL
from toolkit.records import CellValue

__all__ = ["FOOTER_SCAN_ROWS", "TableRows", "walk_table"]

FOOTER_SCAN_ROWS = 100
"""The signature block is looked for in this many rows after the end of the table."""

_FOOTER = "footer"


@dataclass(frozen=True, slots=True)
class TableRows:
    """Where the table's parts are (0-based rows).

    Attributes:
        per_group: for each header group, the rows whose name or amount cell is filled, ascending.
        footer: the rows to read as footer: lone text lines right above the footer, then the footer.
        footer_start: the first row of the footer (the sheet's length when there is none).
        footer_end: the end of the footer rows read (at most `FOOTER_SCAN_ROWS` after its start).
    """

    per_group: list[list[int]]
    footer: list[int]
    footer_start: int
    footer_end: int


def walk_table(cells: SheetCells, header: Header) -> TableRows:
    """The rows holding a donor, per group, and the rows of the footer."""
    rows = cells.rows
    groups = [(i, g.name, g.amount) for i, g in enumerate(header.groups)]
    group_cols = frozenset(c for g in header.groups for c in (g.serial, g.name, g.amount) if c is not None)
    kind_cols = frozenset(g.kind for g in header.groups if g.kind is not None)
    per_group: list[list[int]] = [[] for _ in groups]
    end = len(rows)
    footer_start = end
    for r in range(header.row + 1, end):
        row = rows[r]
        width = len(row)
        state = _row_state(row, header, group_cols, kind_cols)
        if state == SUBTOTAL:
            continue
        if state is not None:
            footer_start = r
            break
        for gi, nc, ac in groups:
            name = row[nc] if nc < width else None
            amount = row[ac] if ac < width else None
            if (name is None or name == "" or (type(name) is str and name.isspace())) and (
                amount is None or amount == "" or (type(amount) is str and amount.isspace())
            ):
                continue
            per_group[gi].append(r)
    lone = _lone_rows_before(cells, header, footer_start, per_group)
    footer_end = min(end, footer_start + FOOTER_SCAN_ROWS)
    return TableRows(per_group, lone + list(range(footer_start, footer_end)), footer_start, footer_end)


def _row_state(
    row: Sequence[CellValue], header: Header, group_cols: frozenset[int], kind_cols: frozenset[int]
) -> str | None:
    """``"footer"`` when the row starts the footer, ``"subtotal"`` for a 小计 row, else ``None``."""
    footer_elsewhere = False
    for c, value in enumerate(row):
        if type(value) is not str or not value or not label_start(value) or c in kind_cols:
            continue
        label = match_label(value)
        if label is None:
            continue
        if label[0] == SUBTOTAL:
            return SUBTOTAL
        if c in group_cols:
            return _FOOTER
        footer_elsewhere = True
    if footer_elsewhere and not has_donor_data(row, header):
        return _FOOTER
    return None


def has_donor_data(row: Sequence[CellValue], header: Header) -> bool:
    """Some group's name or amount cell is filled."""
    width = len(row)
    return any(
        (g.name < width and not blank(row[g.name])) or (g.amount < width and not blank(row[g.amount]))
        for g in header.groups
    )


def _lone_rows_before(
    cells: SheetCells, header: Header, footer_start: int, per_group: list[list[int]]
) -> list[int]:
    """Rows right above the footer holding one text cell and nothing else (say, the organisation).

    They are taken out of ``per_group`` and returned, ascending.
    """
    if footer_start >= len(cells.rows):
        return []
    lone: list[int] = []
    r = footer_start - 1
    while r > header.row:
        filled = [v for v in cells.rows[r] if not blank(v)]
        if len(filled) > 1 or (filled and (not isinstance(filled[0], str) or numeric_text(filled[0]))):
            break
        if filled:
            lone.append(r)
        r -= 1
    taken = set(lone)
    for candidates in per_group:
        while candidates and candidates[-1] in taken:
            candidates.pop()
    return sorted(lone)
