"""Workbook bytes → `toolkit.records.Workbook`: every sheet as a grid anchored at A1.

The reader never touches the filesystem. The format is told by the bytes, never by the file name
(`toolkit.read.sniff`), so an .xls renamed .xlsx is read as the .xls it is:

=====================  ====================================================  =====================
format                 bytes                                                 module
=====================  ====================================================  =====================
.xlsx, .xlsm           zip holding ``xl/workbook.xml``                       `toolkit.read.xlsx`
.xls, WPS .et          OLE2 compound file with a BIFF ``Workbook`` stream    `toolkit.read.xls`
.ods                   zip whose ``mimetype`` is an OpenDocument spreadsheet `toolkit.read.ods`
.csv                   UTF-8 (BOM or not), UTF-16 with BOM, GBK/GB18030      `toolkit.read.delimited`
                       text separated by commas, tabs or semicolons
=====================  ====================================================  =====================

Anything else is refused with an `UnreadableWorkbook` that carries exactly one `Problem` naming the
file (``file.*``): encrypted files, .xlsb, Apple Numbers, Word documents, web pages saved as .xls...
Every format is held to the same caps (`toolkit.read.caps.Limits`), checked on the bytes before the
cell library spends memory: a small file that declares a huge sheet is refused (``sheet.too_large``,
``workbook.too_large``), and so is a sheet longer than ``max_rows`` (``sheet.too_many_rows``): a sheet
is never cut short.

Conventions of `Sheet.rows` (the parse stage relies on them), the same for every format:

* ``rows[r][c]`` is Excel row ``r + 1``, column ``c + 1``; every row of a sheet has the same
  length (up to the rightmost cell with a value, an error or a formula); trailing empty rows are
  dropped, so an empty sheet has ``rows == ()``. ``rows`` is a tuple of tuples; empty rows above
  the first used row are one shared tuple.
* An empty cell is ``""`` (never ``None``; `Sheet.value` returns ``None`` only outside the grid).
* Numbers are ``float`` exactly as stored (``500.0``, ``15538.27``; ``repr`` gives the shortest
  round-trip text, so ``Decimal(repr(x))`` is exact); percentages are the stored fraction
  (``15%`` → ``0.15``). Text stays ``str`` untouched, even when it looks like a number
  (``"123"``), except in a CSV, which has no types: there a plain decimal number of at most 15
  significant digits (``500``, ``-3.5``) is a ``float``, as Excel reads it. Rich text is its whole
  plain text. ``_xHHHH_`` escapes come back decoded (``"\\x0b"``), so strip illegal characters
  downstream.
* Booleans are ``bool``. Cells formatted as dates are ``datetime.date`` (or ``datetime.datetime``
  when there is a time part), times are ``datetime.time``, durations ``datetime.timedelta``;
  the 1904 date system is honoured. A date serial in a General cell stays a ``float``; dates in a
  CSV stay text.
* A cell holding an error (typed or the saved result of a formula) is its error text, such
  as ``"#DIV/0!"`` or ``"#N/A"``; always a ``str`` starting with ``#``.
* A formula cell without a saved result is ``""`` and is listed in
  `Sheet.formulas_without_value`; a formula whose saved result is the placeholder ``0`` of a
  never-calculated workbook keeps ``0.0`` and is listed in `Sheet.placeholder_formulas` (.xlsx only:
  .xls and .ods always store results).
* Merged ranges keep their value in the top-left cell only; the other cells are empty (``""``,
  or outside the grid when the merge reaches past the last value).
* Rows marked hidden are listed in `Sheet.hidden_rows`; hidden and very hidden sheets have
  ``visible=False``.
* Only worksheets are returned; chart sheets and dialog/macro sheets are skipped.
"""

from __future__ import annotations

from toolkit import codes
from toolkit.read.caps import (
    CELL_BYTES,
    DEFAULT_MAX_RATIO,
    DEFAULT_MAX_ROWS,
    DEFAULT_MAX_UNPACKED_BYTES,
    Limits,
    refuse,
)
from toolkit.read.sniff import Kind, sniff
from toolkit.records import Workbook

__all__ = [
    "DEFAULT_MAX_CELLS",
    "DEFAULT_MAX_RATIO",
    "DEFAULT_MAX_ROWS",
    "DEFAULT_MAX_UNPACKED_BYTES",
    "read_workbook",
]

DEFAULT_MAX_CELLS = DEFAULT_MAX_UNPACKED_BYTES // CELL_BYTES
"""The cells a sheet, and all sheets together, may span at the default ``max_unpacked_mb``."""

_NOT_A_TABLE = {
    Kind.HTML: "网页（HTML）格式的文件，常见于从网站或系统导出、扩展名写成 .xls 的表格",
    Kind.XML: "XML 格式的表格（如 Excel 2003 XML 表格）",
}


def read_workbook(
    data: bytes,
    name: str,
    *,
    max_unpacked_bytes: int = DEFAULT_MAX_UNPACKED_BYTES,
    max_ratio: int = DEFAULT_MAX_RATIO,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_cells: int | None = None,
) -> Workbook:
    """Read the workbook in ``data`` (the bytes of file ``name``) into a `Workbook`.

    Args:
        data: the file's bytes.
        name: the file name (no folder), used in every `Problem`; never used to tell the format.
        max_unpacked_bytes: refuse a file that unpacks to more than this (a zip's members in
            total; an .xls or .csv itself).
        max_ratio: refuse a zip member larger than 1 MiB that unpacks to more than this many
            times its packed size.
        max_rows: refuse a sheet with more rows than this.
        max_cells: refuse a sheet, or all sheets together, spanning more cells than this; by
            default ``max_unpacked_bytes // 40``.

    Raises:
        UnreadableWorkbook: with exactly one `Problem` (``file.*``, ``sheet.*`` or
            ``workbook.*``) when the bytes are not a workbook toolkit can read.
    """
    limits = Limits(
        max_unpacked_bytes=max_unpacked_bytes,
        max_ratio=max_ratio,
        max_rows=max_rows,
        max_cells=max_unpacked_bytes // CELL_BYTES if max_cells is None else max_cells,
    )
    if not data:
        refuse(name, codes.FILE_EMPTY)
    kind = sniff(data)
    if kind is Kind.ZIP:
        from toolkit.read.package import Package, ZipFormat

        package = Package.open(data, name, limits)
        if package.format is ZipFormat.ODS:
            from toolkit.read.ods import read_ods

            workbook = read_ods(package, limits)
        else:
            from toolkit.read.xlsx import read_xlsx

            workbook = read_xlsx(package, limits)
    elif kind is Kind.COMPOUND:
        from toolkit.read.xls import read_xls

        workbook = read_xls(data, name, limits)
    elif kind is Kind.TEXT:
        from toolkit.read.delimited import read_delimited

        workbook = read_delimited(data, name, limits)
    elif kind in _NOT_A_TABLE:
        refuse(name, codes.FILE_UNSUPPORTED_FORMAT, kind=_NOT_A_TABLE[kind])
    else:
        refuse(name, codes.FILE_NOT_ZIP)
    if not workbook.sheets:
        refuse(name, codes.WORKBOOK_NO_SHEETS)
    if all(not sheet.rows for sheet in workbook.sheets):
        refuse(name, codes.WORKBOOK_EMPTY)
    return workbook
