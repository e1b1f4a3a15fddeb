"""Turn a worksheet grid into a `Ledger`: find the donor table, read each donor, the totals and the signature.

Pure: takes `Sheet`/`Workbook` records from ``toolkit.read`` and returns a `Ledger`; never touches the
filesystem. Problems met on the way (a bad amount, a missing name...) are collected in
``Ledger.problems``, never raised; ``toolkit.validate.validate_ledger`` adds the checks that need the
whole ledger (totals, capitals, serial numbers, signature).

The package, in the order a sheet is read:

- `toolkit.parse.vocabulary`: the words, as data: header words and their roles, footer labels and
  what they introduce, donor kinds. **Add a header word or a label here.**
- `toolkit.parse.cells`: one cell (blank, shown as Excel shows it, a date, a serial) and
  `SheetCells`, the sheet being read with its problems.
- `toolkit.parse.labels`: matching footer labels in a cell.
- `toolkit.parse.header`: the header row, its column groups, the title above it.
- `toolkit.parse.table`: walking the rows below the header to the footer.
- `toolkit.parse.donors`: reading the donor cells of a row into a `Donation`.
- `toolkit.parse.totals`: the declared 合计 and 大写.
- `toolkit.parse.footer`: the signature block, donors on the total row, donors below the table.
- `toolkit.parse.sheets`: which sheet is read; the one place a `Ledger` is built.

Numbers quoted in messages and in ``Problem.value`` read as Excel shows them: ``-5``, not ``-5.0``;
``100000000000000000``, not ``1e+17``.

Problem codes raised here (all carry file, sheet and cell):
    errors: ``header.not_found``, ``amount.not_a_number``, ``amount.negative``, ``amount.zero``,
    ``amount.too_many_decimals``, ``amount.out_of_range``, ``amount.missing``, ``name.missing``,
    ``name.too_long``, ``amount.formula_without_value``, ``cell.error_value``, ``total.not_a_number``,
    ``ledger.rows_after_total``; warnings: ``total.formula_unknown``,
    ``capitals.formula_unknown``, ``signature.date_unreadable``, ``serial.not_a_number``,
    ``text.illegal_chars``, ``kind.unknown``, ``title.placeholder``.
"""

from __future__ import annotations

from toolkit.parse.donors import MAX_NAME_LENGTH
from toolkit.parse.header import HEADER_SCAN_ROWS
from toolkit.parse.sheets import parse_sheet, parse_workbook
from toolkit.parse.table import FOOTER_SCAN_ROWS
from toolkit.parse.vocabulary import AMOUNT_HEADERS, NAME_HEADERS, SERIAL_HEADERS

__all__ = [
    "AMOUNT_HEADERS",
    "FOOTER_SCAN_ROWS",
    "HEADER_SCAN_ROWS",
    "MAX_NAME_LENGTH",
    "NAME_HEADERS",
    "SERIAL_HEADERS",
    "parse_sheet",
    "parse_workbook",
]
