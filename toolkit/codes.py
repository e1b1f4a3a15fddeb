"""Every stable problem code, in one place.

A code is the English identifier a `Problem` carries (``amount.not_a_number``). Codes never change once
released: scripts read them from ``toolkit check --json``. Use these constants, never the bare string;
``tests/test_codes.py`` checks that no module writes one as a bare string, that the README's table of
codes lists exactly these, and that some test uses each of them.

To add a code: add the constant here (in its group, alphabetically), raise it where the problem is
found, test that it is produced, and add its row (severity, meaning, the clerk's fix) to the README's
table of codes.
"""

from __future__ import annotations

from typing import Final

# a donor amount
AMOUNT_EMPTY: Final = "amount.empty"
AMOUNT_FORMULA_WITHOUT_VALUE: Final = "amount.formula_without_value"
AMOUNT_FOREIGN_CURRENCY: Final = "amount.foreign_currency"
AMOUNT_MERGED: Final = "amount.merged"
AMOUNT_MISSING: Final = "amount.missing"
AMOUNT_NEGATIVE: Final = "amount.negative"
AMOUNT_NOT_A_NUMBER: Final = "amount.not_a_number"
AMOUNT_OUT_OF_RANGE: Final = "amount.out_of_range"
AMOUNT_TOO_MANY_DECIMALS: Final = "amount.too_many_decimals"
AMOUNT_ZERO: Final = "amount.zero"

# the declared 大写
CAPITALS_EMPTY: Final = "capitals.empty"
CAPITALS_FORMULA_UNKNOWN: Final = "capitals.formula_unknown"
CAPITALS_INVALID: Final = "capitals.invalid"
CAPITALS_MISMATCH: Final = "capitals.mismatch"

# any cell
CELL_ERROR_VALUE: Final = "cell.error_value"

# a count of donors the list states (共计746人次)
COUNT_MISMATCH: Final = "count.mismatch"

# the file as a whole (read)
FILE_CORRUPT: Final = "file.corrupt"
FILE_DOCX: Final = "file.docx"
FILE_EMPTY: Final = "file.empty"
FILE_ENCRYPTED: Final = "file.encrypted"
FILE_IS_FOLDER: Final = "file.is_folder"
FILE_NOT_FOUND: Final = "file.not_found"
FILE_NOT_REGULAR: Final = "file.not_regular"
FILE_NOT_WORKBOOK: Final = "file.not_workbook"
FILE_NOT_ZIP: Final = "file.not_zip"
FILE_SYMLINK: Final = "file.symlink"
FILE_TOO_COMPRESSED: Final = "file.too_compressed"
FILE_TOO_LARGE: Final = "file.too_large"
FILE_TRUNCATED: Final = "file.truncated"
FILE_UNREADABLE: Final = "file.unreadable"
FILE_UNSAFE_XML: Final = "file.unsafe_xml"
FILE_UNSUPPORTED_FORMAT: Final = "file.unsupported_format"
FILE_XLSB: Final = "file.xlsb"

# a folder named by --watched or --output (render_folder, watch_folder)
FOLDER_IS_FILE: Final = "folder.is_file"
FOLDER_MISSING: Final = "folder.missing"
FOLDER_UNREADABLE: Final = "folder.unreadable"
FOLDER_UNWRITABLE: Final = "folder.unwritable"

# lines under the donor list
FOOTER_NOTE: Final = "footer.note"
FOOTER_UNRECOGNISED: Final = "footer.unrecognised"

# the donor table header
HEADER_NOT_FOUND: Final = "header.not_found"

# the 类型 column
KIND_UNKNOWN: Final = "kind.unknown"

# the donor list as a whole
LEDGER_EMPTY: Final = "ledger.empty"
LEDGER_ROWS_AFTER_TOTAL: Final = "ledger.rows_after_total"

# a donor name
NAME_MISSING: Final = "name.missing"
NAME_LONG: Final = "name.long"
NAME_TOO_LONG: Final = "name.too_long"

# a PDF of the bulletin (toolkit render --pdf)
PDF_FAILED: Final = "pdf.failed"
PDF_NO_LIBREOFFICE: Final = "pdf.no_libreoffice"
PDF_TIMEOUT: Final = "pdf.timeout"

# the register of bulletins (toolkit issue)
REGISTER_BUSY: Final = "register.busy"
REGISTER_UNKNOWN_BULLETIN: Final = "register.unknown_bulletin"

# rendering the bulletin
RENDER_DOCXTPL: Final = "render.docxtpl"
RENDER_DONOR_MISSING: Final = "render.donor_missing"
RENDER_INVALID_XML: Final = "render.invalid_xml"

# the annotated error workbook
REPORT_UNREADABLE: Final = "report.unreadable"

# rows of the donor list
ROW_HIDDEN: Final = "row.hidden"
ROW_NOT_DONATION: Final = "row.not_donation"
ROW_OUTFLOW: Final = "row.outflow"

# the 序号 column
SERIAL_DUPLICATE: Final = "serial.duplicate"
SERIAL_NOT_A_NUMBER: Final = "serial.not_a_number"
SERIAL_OUT_OF_SEQUENCE: Final = "serial.out_of_sequence"

# toolkit.toml and command-line settings
SETTINGS_ENCODING: Final = "settings.encoding"
SETTINGS_INVALID: Final = "settings.invalid"
SETTINGS_PLACEHOLDER: Final = "settings.placeholder"
SETTINGS_SYNTAX: Final = "settings.syntax"

# one worksheet
SHEET_HIDDEN: Final = "sheet.hidden"
SHEET_NOT_DONOR_LIST: Final = "sheet.not_donor_list"
SHEET_SKIPPED: Final = "sheet.skipped"
SHEET_TOO_LARGE: Final = "sheet.too_large"
SHEET_TOO_MANY_ROWS: Final = "sheet.too_many_rows"

# the signature block
SIGNATURE_DATE_UNREADABLE: Final = "signature.date_unreadable"
SIGNATURE_MISSING_DATE: Final = "signature.missing_date"
SIGNATURE_MISSING_ORGANISATION: Final = "signature.missing_organisation"
SIGNATURE_MISSING_RECEIVER: Final = "signature.missing_receiver"
SIGNATURE_MISSING_SUPERVISOR: Final = "signature.missing_supervisor"

# a declared 小计
SUBTOTAL_MISMATCH: Final = "subtotal.mismatch"
SUBTOTAL_UNREADABLE: Final = "subtotal.unreadable"

# one donor table of a sheet
TABLE_DOUBLE_COUNTED: Final = "table.double_counted"
TABLE_FOREIGN_CURRENCY: Final = "table.foreign_currency"
TABLE_TWO_AMOUNTS: Final = "table.two_amounts"

# the Word template
TEMPLATE_FULLWIDTH_BRACES: Final = "template.fullwidth_braces"
TEMPLATE_MISSING: Final = "template.missing"
TEMPLATE_NO_DONOR_LIST: Final = "template.no_donor_list"
TEMPLATE_PRINTS_LIST: Final = "template.prints_list"
TEMPLATE_RENDER: Final = "template.render"
TEMPLATE_SPLIT_TAG: Final = "template.split_tag"
TEMPLATE_SYNTAX: Final = "template.syntax"
TEMPLATE_UNDEFINED: Final = "template.undefined"
TEMPLATE_UNKNOWN_FILTER: Final = "template.unknown_filter"
TEMPLATE_UNKNOWN_VARIABLE: Final = "template.unknown_variable"
TEMPLATE_UNREADABLE: Final = "template.unreadable"
TEMPLATE_UNSAFE: Final = "template.unsafe"
TEMPLATE_UNSUPPORTED: Final = "template.unsupported"

# any text cell
TEXT_ILLEGAL_CHARS: Final = "text.illegal_chars"

# the title row
TITLE_PLACEHOLDER: Final = "title.placeholder"

# the declared 合计
TOTAL_FORMULA_UNKNOWN: Final = "total.formula_unknown"
TOTAL_MISMATCH: Final = "total.mismatch"
TOTAL_NOT_DECLARED: Final = "total.not_declared"
TOTAL_NOT_A_NUMBER: Final = "total.not_a_number"

# the unit of the amount column (元, 万元)
UNIT_CONFLICT: Final = "unit.conflict"
UNIT_CONVERTED: Final = "unit.converted"

# the workbook as a whole
WORKBOOK_EMPTY: Final = "workbook.empty"
WORKBOOK_NO_SHEETS: Final = "workbook.no_sheets"
WORKBOOK_TOO_LARGE: Final = "workbook.too_large"

ALL: Final[frozenset[str]] = frozenset(
    value for name, value in dict(globals()).items() if name.isupper() and isinstance(value, str)
)
"""Every code above."""
