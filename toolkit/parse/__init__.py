"""Turn a worksheet grid into a `Ledger`: find the donor table, read each donor, the totals and the signature.

Pure: takes `Sheet`/`Workbook` records from ``toolkit.read`` and returns a `Ledger`; never touches the
filesystem. Problems met on the way (a bad amount, a missing name...) are collected in
``Ledger.problems``, never raised; ``toolkit.validate.validate_ledger`` adds the checks that need the
whole ledger (totals, capitals, serial numbers, signature).

The package, in the order a sheet is read:

- `toolkit.parse.vocabulary`: the words, as data: header words and their roles, units, footer
  labels and what they introduce, donor kinds, how an organisation's name ends.
  **Add a header word, a unit or a label here.**
- `toolkit.parse.cells`: one cell (blank, shown as Excel shows it, a date in any form, a serial) and
  `SheetCells`, the sheet being read with its problems.
- `toolkit.parse.columns`: one header cell read by meaning: its role and its unit.
- `toolkit.parse.header`: header rows (two-row headers, merges), their groups and unit, lists that
  are no donor lists, the title and the date above.
- `toolkit.parse.labels` and `toolkit.parse.lines`: footer labels in a cell; what a lone line is.
- `toolkit.parse.table`: walking one table's rows to its footer or the next table.
- `toolkit.parse.donors`: reading the donor cells of a row into a `Donation`.
- `toolkit.parse.sections`: heading rows and their kinds, 小计 rows.
- `toolkit.parse.totals`: the declared 合计, 大写, count and 小计.
- `toolkit.parse.footer` and `toolkit.parse.strays`: the lines under a table; donors below it.
- `toolkit.parse.facts`: what those lines say about the sheet (signature, roles, notes).
- `toolkit.parse.units`: the unit or currency the text around a header states; titles of money going out.
- `toolkit.parse.currency`: money that is not 元 (foreign columns and rows, unit number formats).
- `toolkit.parse.tables`: one table read whole; `toolkit.parse.sheets`: which sheets, and the one
  place a `Ledger` is built; `toolkit.parse.overlaps`: lists that would count donations twice.

Numbers quoted in messages and in ``Problem.value`` read as Excel shows them: ``-5``, not ``-5.0``;
``100000000000000000``, not ``1e+17``.

Problem codes raised here (all carry file and sheet, and a cell when there is one):
    errors: ``header.not_found``, ``sheet.not_donor_list``, ``amount.not_a_number``,
    ``amount.negative``, ``amount.zero``, ``amount.too_many_decimals``, ``amount.out_of_range``,
    ``amount.missing``, ``amount.foreign_currency``, ``name.missing``, ``name.too_long``,
    ``amount.formula_without_value``, ``cell.error_value``, ``total.not_a_number``,
    ``unit.conflict``, ``ledger.rows_after_total``, ``table.foreign_currency``
    (when no list in 元 is left); warnings: ``total.formula_unknown``, ``capitals.formula_unknown``,
    ``signature.date_unreadable``, ``serial.not_a_number``, ``text.illegal_chars``, ``kind.unknown``,
    ``title.placeholder``, ``name.long``, ``row.hidden``, ``unit.converted``,
    ``table.foreign_currency``, ``sheet.hidden``, ``sheet.skipped``, ``footer.note``,
    ``footer.unrecognised``, ``subtotal.unreadable``.
"""

from __future__ import annotations

from toolkit.parse.donors import LONG_NAME, MAX_NAME_LENGTH
from toolkit.parse.header import HEADER_SCAN_ROWS
from toolkit.parse.sheets import parse_sheet, parse_workbook
from toolkit.parse.table import FOOTER_SCAN_ROWS
from toolkit.parse.vocabulary import FOOTER_LABELS, HEADER_WORDS, UNITS

__all__ = [
    "FOOTER_LABELS",
    "FOOTER_SCAN_ROWS",
    "HEADER_SCAN_ROWS",
    "HEADER_WORDS",
    "LONG_NAME",
    "MAX_NAME_LENGTH",
    "UNITS",
    "parse_sheet",
    "parse_workbook",
]
