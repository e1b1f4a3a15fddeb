"""Which sheet is read, and the one place a `Ledger` is built from it.

`parse_workbook` reads the **first visible sheet whose first 30 rows hold a donor header**
(`toolkit.parse.header.HEADER_SCAN_ROWS`). Hidden and very hidden sheets are never read. When no
visible sheet has a header, the ledger has no donations and one ``header.not_found`` error that lists
the column names looked for and the sheets searched. `parse_sheet` reads one given sheet.

Both go through `read_sheet`, the one place a ledger is built. (A sheet longer than the row cap never
gets here: the reader refuses it whole, ``sheet.too_many_rows``.)
"""

from __future__ import annotations

import logging

from toolkit.parse.cells import SheetCells
from toolkit.parse.donors import DonorReader, in_serial_order
from toolkit.parse.footer import FooterReader
from toolkit.parse.header import Header, find_header, find_title, header_not_found
from toolkit.parse.table import walk_table
from toolkit.records import Donation, Ledger, Sheet, Workbook

__all__ = ["parse_sheet", "parse_workbook", "read_sheet"]

log = logging.getLogger(__name__)


def parse_workbook(workbook: Workbook) -> Ledger:
    """Parse the donor table of ``workbook``.

    The sheet read is the first *visible* sheet (tab order) with a donor header in its first
    `HEADER_SCAN_ROWS` rows; hidden sheets are skipped even when they hold a table. Without such a sheet
    the ledger has no donations and a ``header.not_found`` error naming the sheets searched.
    """
    visible = [s for s in workbook.sheets if s.visible]
    for sheet in visible:
        header = find_header(sheet)
        if header is not None:
            log.debug("donor header in %s › %s row %d", workbook.name, sheet.name, header.row + 1)
            return read_sheet(sheet, workbook.name, header)
    hidden = [s.name for s in workbook.sheets if not s.visible and find_header(s) is not None]
    problem = header_not_found(workbook.name, "", [s.name for s in visible], hidden)
    first = visible[0].name if visible else ""
    return Ledger(file=workbook.name, sheet=first, donations=(), problems=(problem,))


def parse_sheet(sheet: Sheet, file: str) -> Ledger:
    """Parse the donor table of one sheet (visible or not); ``file`` names the workbook in problems."""
    header = find_header(sheet)
    if header is None:
        problem = header_not_found(file, sheet.name, [sheet.name], [])
        return Ledger(file=file, sheet=sheet.name, donations=(), problems=(problem,))
    return read_sheet(sheet, file, header)


def read_sheet(sheet: Sheet, file: str, header: Header) -> Ledger:
    """The ledger of one sheet whose header is known: donors, totals, signature and every problem."""
    cells = SheetCells(sheet, file)
    table = walk_table(cells, header)
    footer = FooterReader(cells, header, table)
    footer.read()
    reader = DonorReader(cells)
    found: list[Donation | None] = []
    for g, rows, late in zip(header.groups, table.per_group, footer.late, strict=True):
        found += reader.read(rows, g)
        for r, columns in late:
            found += reader.read((r,), columns)
    return Ledger(
        file=file,
        sheet=sheet.name,
        donations=in_serial_order(found),
        declared_total=footer.total,
        declared_capitals=footer.capitals,
        signature=footer.signature(),
        title=find_title(cells, header),
        groups=len(header.groups),
        problems=tuple(cells.problems),
    )
