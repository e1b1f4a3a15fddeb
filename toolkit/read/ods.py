"""OpenDocument spreadsheets (.ods, saved by LibreOffice, WPS or Excel).

After `toolkit.read.package` has checked the zip (the same zip-bomb guards as .xlsx), `read_ods`
scans ``content.xml`` before python-calamine reads it. An .ods compresses runs of equal rows and
cells into one element with ``table:number-rows-repeated`` / ``table:number-columns-repeated``, so
a file of a few hundred bytes can declare a million rows of a thousand cells; the cell library
expands every repeated row or cell that has a value (and the empty rows between two such rows) and
fills the whole rectangle. The scan computes that rectangle first and refuses it over the caps
(``sheet.too_large``, ``sheet.too_many_rows``, ``workbook.too_large``). Trailing empty repeats,
which LibreOffice writes to the end of every sheet, cost nothing and are ignored, as the cell
library ignores them.

The scan also finds what the cell library does not give: hidden rows (``table:visibility`` of
``collapse`` or ``filter``), merged cells (``table:number-columns-spanned`` /
``table:number-rows-spanned``) and the text of error cells. A password-protected file is
``file.encrypted``.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field
from xml.sax.saxutils import unescape

from toolkit import codes
from toolkit.read.caps import SAVE_AS_XLSX, Budget, Limits, corrupt, refuse
from toolkit.read.grid import build_sheet, cell_library
from toolkit.read.package import Package
from toolkit.records import Sheet, Workbook

__all__ = ["read_ods"]

log = logging.getLogger(__name__)

# Start tags of tables, rows and cells (attributes, and "/" when self-closing), and table ends.
_TAG = re.compile(
    rb"<(table:table|table:table-row|table:table-cell|table:covered-table-cell)(?=[\s/>])([^>]*)>|</table:table>"
)
_ATTR = {
    key: re.compile(rb"\s" + key + rb"\s*=\s*[\"']([^\"']*)[\"']")
    for key in (
        b"table:name",
        b"table:number-rows-repeated",
        b"table:number-columns-repeated",
        b"table:number-rows-spanned",
        b"table:number-columns-spanned",
        b"table:visibility",
    )
}
_VALUE_MARKERS = (b"office:value-type", b"table:formula")
_ERROR_MARKER = re.compile(rb"calcext:value-type\s*=\s*[\"']error[\"']")
_CELL_END = b"</table:table-cell>"
_ERROR_TEXT = re.compile(r"#[A-Z0-9/!?_.]{1,20}")


@dataclass(slots=True)
class _TableScan:
    """The rectangle the cell library will fill for one table, and what it leaves out."""

    name: str
    first_row: int = -1
    last_row: int = -1
    width: int = 0
    hidden: list[tuple[int, int]] = field(default_factory=list)  # (first row, count)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)

    @property
    def area(self) -> int:
        return 0 if self.last_row < 0 else (self.last_row - self.first_row + 1) * self.width

    def hidden_rows(self) -> set[int]:
        end = self.last_row + 1
        return {row for first, count in self.hidden for row in range(first, min(first + count, end))}


def read_ods(package: Package, limits: Limits) -> Workbook:
    """The `Workbook` in a checked OpenDocument package."""
    name = package.name
    manifest = package.part("META-INF/manifest.xml") or b""
    if b"encryption-data" in manifest:
        refuse(name, codes.FILE_ENCRYPTED)
    content = package.part("content.xml")
    if content is None:
        corrupt(name, "找不到表格内容（content.xml）", save=SAVE_AS_XLSX)
    scans = _scan_content(content, name)
    budget = Budget(name, limits)
    for scan in scans:
        limits.check_sheet(name, scan.name, scan.first_row, scan.last_row, scan.width - 1)
        budget.spend(scan.name, scan.area)
    return Workbook(name=name, sheets=tuple(_read_sheets(package, scans, limits)))


def _number(attrs: bytes, key: bytes, name: str) -> int:
    match = _ATTR[key].search(attrs)
    if match is None:
        return 1
    text = match.group(1).strip()
    if not text.isdigit() or int(text) < 1:
        corrupt(name, f"{key.decode()}=“{text.decode('utf-8', 'replace')}”不是正整数", save=SAVE_AS_XLSX)
    return int(text)


def _scan_content(xml: bytes, name: str) -> list[_TableScan]:
    walker = _Walker(xml, name)
    for match in _TAG.finditer(xml):
        element, attrs = match.group(1), match.group(2) or b""
        if element is None:  # </table:table>
            walker.end_row()
            walker.table = None
        elif element == b"table:table":
            walker.start_table(attrs)
        elif element == b"table:table-row":
            walker.start_row(attrs)
        elif walker.row_open:  # a cell, or a cell covered by a merge
            walker.cell(element, attrs, match.end())
    walker.end_row()
    return walker.scans


class _Walker:
    """Follows the row and column position through the tags of ``content.xml``."""

    def __init__(self, xml: bytes, name: str) -> None:
        self.xml, self.name = xml, name
        self.scans: list[_TableScan] = []
        self.table: _TableScan | None = None
        self.row = self.col = 0
        self.row_repeat, self.row_width, self.row_hidden, self.row_open = 1, 0, False, False

    def start_table(self, attrs: bytes) -> None:
        self.end_row()
        label = _ATTR[b"table:name"].search(attrs)
        self.table, self.row = None, 0
        if label is not None:  # the cell library reads only named tables
            text = label.group(1).decode("utf-8", "replace")
            self.table = _TableScan(unescape(text, {"&quot;": '"', "&apos;": "'"}))
            self.scans.append(self.table)

    def start_row(self, attrs: bytes) -> None:
        self.end_row()
        self.row_repeat = _number(attrs, b"table:number-rows-repeated", self.name)
        visibility = _ATTR[b"table:visibility"].search(attrs)
        self.row_hidden = visibility is not None and visibility.group(1) in (b"collapse", b"filter")
        self.row_open, self.row_width, self.col = True, 0, 0
        if attrs.endswith(b"/"):
            self.end_row()

    def end_row(self) -> None:
        table = self.table
        if table is not None and self.row_open:
            if self.row_width:
                if table.first_row < 0:
                    table.first_row = self.row
                table.last_row = self.row + self.row_repeat - 1
                table.width = max(table.width, self.row_width)
            if self.row_hidden:
                table.hidden.append((self.row, self.row_repeat))
            self.row += self.row_repeat
        self.row_open = False

    def cell(self, element: bytes, attrs: bytes, end: int) -> None:
        repeat = _number(attrs, b"table:number-columns-repeated", self.name)
        table = self.table
        if any(marker in attrs for marker in _VALUE_MARKERS):
            self.row_width = self.col + repeat
            if table is not None and _ERROR_MARKER.search(attrs) and not attrs.endswith(b"/"):
                _note_error(table, self.xml, end, self.row, self.col)
        if element == b"table:table-cell" and table is not None and b"-spanned" in attrs:
            rows = _number(attrs, b"table:number-rows-spanned", self.name)
            cols = _number(attrs, b"table:number-columns-spanned", self.name)
            if rows > 1 or cols > 1:
                table.merged.append((self.row, self.col, self.row + rows - 1, self.col + cols - 1))
        self.col += repeat


def _note_error(scan: _TableScan, xml: bytes, start: int, row: int, col: int) -> None:
    """Record the text an error cell shows (``#DIV/0!``); the cell library gives ``""``."""
    end = xml.find(_CELL_END, start)
    if end == -1:
        return
    text = unescape(re.sub(rb"<[^>]*>", b"", xml[start:end]).decode("utf-8", "replace")).strip()
    scan.errors[row, col] = text if _ERROR_TEXT.fullmatch(text) else "#VALUE!"


def _read_sheets(package: Package, scans: list[_TableScan], limits: Limits) -> list[Sheet]:
    from python_calamine import CalamineWorkbook, SheetVisibleEnum

    name = package.name
    sheets: list[Sheet] = []
    with cell_library(name, save=SAVE_AS_XLSX):
        book = CalamineWorkbook.from_filelike(io.BytesIO(package.data))
        try:
            metadata = book.sheets_metadata
            if len(metadata) != len(scans):
                corrupt(name, "工作表的数目对不上", save=SAVE_AS_XLSX)
            for meta, scan in zip(metadata, scans, strict=True):
                merged = [m for m in scan.merged if m[0] <= scan.last_row]
                sheets.append(
                    build_sheet(
                        book.get_sheet_by_name(meta.name),
                        meta.name,
                        meta.visible == SheetVisibleEnum.Visible,
                        file=name,
                        limits=limits,
                        errors=scan.errors,
                        hidden_rows=scan.hidden_rows(),
                        merged=merged,
                    )
                )
        finally:
            book.close()
    return sheets
