"""Excel 97-2003 workbooks (.xls, BIFF8; also BIFF5) and WPS .et files, which are the same format.

python-calamine reads every sheet of an .xls as soon as the file is opened, and trusts what the
file declares: a sheet's DIMENSIONS record sizes an allocation (a 2 KB file declaring 4 billion
rows makes it abort the whole process, not raise), and two cells at A1 and IV65536 make it fill
16 million cells. So before it sees the bytes, `read_xls`:

1. refuses a file larger than ``max_unpacked_bytes`` (``file.too_large``);
2. parses the compound file (`toolkit.read.cfb`) with every sector and size checked
   (``file.truncated``, ``file.corrupt``) and tells what it holds: a ``Workbook``/``Book`` stream is
   read; an encrypted OOXML package is ``file.encrypted``; a Word document is ``file.docx``;
   anything else (a WPS format that is not BIFF, say) is ``file.unsupported_format``;
3. walks the BIFF records of the globals and of every sheet: a FILEPASS record means the workbook
   is password-protected (``file.encrypted``); the cell records give each sheet's real used range
   (``sheet.too_large``, ``sheet.too_many_rows``, ``workbook.too_large``), error cells and hidden rows;
4. in a copy of the bytes, neutralises a DIMENSIONS record that declares more than ``max_cells``
   (the cell library uses it only to reserve memory) and, in a BIFF8 file, a CODEPAGE other than
   UTF-16 (BIFF8 strings are UTF-16 whatever it says, but the cell library would decode them with
   it); then lets python-calamine read the cells.
"""

from __future__ import annotations

import io
import logging
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NoReturn

from toolkit import codes
from toolkit.read.caps import SAVE_AS_XLSX, Budget, Limits, corrupt, refuse
from toolkit.read.cfb import CompoundFile, CompoundFileError, Entry
from toolkit.read.grid import build_sheet, cell_library
from toolkit.records import Sheet, Workbook

__all__ = ["read_xls"]

log = logging.getLogger(__name__)

_EOF, _BOF, _FILEPASS, _CODEPAGE, _BOUNDSHEET = 0x000A, 0x0809, 0x002F, 0x0042, 0x0085
_DIMENSIONS, _ROW = 0x0200, 0x0208
_UTF16 = 1200
_FORMULA, _BOOLERR, _MULRK = 0x0006, 0x0205, 0x00BD
# Records holding one value at (row, col) in their first four bytes: NUMBER, LABEL, RK, LABELSST.
_VALUE_RECORDS = frozenset({0x0203, 0x0204, 0x027E, 0x00FD, _BOOLERR, _FORMULA})
_ERRORS = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
    0x2B: "#GETTING_DATA",
}
_CORRUPT_XLS = "这个 Excel 97-2003（.xls）或 WPS 表格文件的内容无法读取"


@dataclass(slots=True)
class _SheetScan:
    """What the BIFF records of one sheet say, positions 0-based."""

    name: str
    first_row: int = 1 << 30
    last_row: int = -1
    last_col: int = -1
    hidden_rows: set[int] = field(default_factory=set)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    dimensions: list[tuple[int, int]] = field(default_factory=list)  # (stream offset, length) of each record

    def note(self, row: int, col: int) -> None:
        self.first_row = min(self.first_row, row)
        self.last_row = max(self.last_row, row)
        self.last_col = max(self.last_col, col)

    @property
    def area(self) -> int:
        return 0 if self.last_row < 0 else (self.last_row - self.first_row + 1) * (self.last_col + 1)


def read_xls(data: bytes, name: str, limits: Limits) -> Workbook:
    """The `Workbook` in the compound file ``data``."""
    limits.check_file_size(name, len(data))
    try:
        container = CompoundFile(data)
        entry = container.stream("Workbook") or container.stream("Book")
        if entry is None:
            _refuse_other(container, name)
        stream = container.read(entry)
    except CompoundFileError as exc:
        log.info("%s：复合文档无法读取：%s", name, exc)
        if exc.truncated:
            refuse(name, codes.FILE_TRUNCATED)
        corrupt(name, "复合文档结构损坏", save=SAVE_AS_XLSX)
    scans, codepages = _scan_workbook(stream, name)
    budget = Budget(name, limits)
    for scan in scans:
        limits.check_sheet(name, scan.name, scan.first_row, scan.last_row, scan.last_col)
        budget.spend(scan.name, scan.area)
    patches = [(offset, struct.pack("<H", _UTF16)) for offset in codepages]
    for scan in scans:
        # The cell library only reserves memory with DIMENSIONS: one declaring more than the cap
        # (4 billion rows would make it abort) is made to declare an empty sheet instead.
        patches += [
            (o, bytes(n)) for o, n in scan.dimensions if _declared_cells(stream, o, n) > limits.max_cells
        ]
    patched = _patch(data, container, entry, patches)
    return Workbook(name=name, sheets=tuple(_read_sheets(patched, name, scans, limits)))


def _refuse_other(container: CompoundFile, name: str) -> NoReturn:
    names = container.names()
    if names & {"EncryptedPackage", "EncryptionInfo"}:
        refuse(name, codes.FILE_ENCRYPTED)
    if "WordDocument" in names:
        refuse(name, codes.FILE_DOCX)
    refuse(
        name,
        codes.FILE_UNSUPPORTED_FORMAT,
        kind="一种 toolkit 不认识的表格格式（可能是 WPS 表格的 .et 专用格式）",
    )


def _records(stream: bytes, start: int) -> Iterator[tuple[int, int, int]]:
    """``(type, data offset, data length)`` of each record from ``start`` to the first EOF."""
    pos, end = start, len(stream)
    unpack = struct.Struct("<HH").unpack_from
    while pos + 4 <= end:
        kind, length = unpack(stream, pos)
        yield kind, pos + 4, length
        pos += 4 + length
        if kind == _EOF:
            return


def _scan_workbook(stream: bytes, name: str) -> tuple[list[_SheetScan], list[int]]:
    """The sheets' scans, and the offsets of CODEPAGE records to set to UTF-16 (BIFF8 only)."""
    sheets: list[tuple[int, str]] = []
    biff8, codepage, codepages = True, 1252, []
    for kind, offset, length in _records(stream, 0):
        if kind == _FILEPASS:
            refuse(name, codes.FILE_ENCRYPTED)
        elif kind == _BOF and length >= 2:
            biff8 = struct.unpack_from("<H", stream, offset)[0] == 0x0600
        elif kind == _CODEPAGE and length >= 2:
            codepage = struct.unpack_from("<H", stream, offset)[0]
            codepages.append(offset)
        elif kind == _BOUNDSHEET and length >= 7:
            position = struct.unpack_from("<I", stream, offset)[0]
            sheets.append((position, _sheet_name(stream[offset + 6 : offset + length], biff8, codepage)))
    scans = []
    for position, sheet in sheets:
        if position >= len(stream):
            corrupt(name, f"工作表“{sheet}”的位置超出了文件", save=SAVE_AS_XLSX)
        scans.append(_scan_sheet(stream, position, sheet))
    # BIFF8 stores every string as UTF-16 whatever CODEPAGE says, but the cell library decodes them
    # with it (tafia/calamine#229): a BIFF8 file declaring GBK (936) would read as mojibake.
    return scans, (codepages if biff8 and codepage != _UTF16 else [])


def _sheet_name(raw: bytes, biff8: bool, codepage: int) -> str:
    """A BOUNDSHEET name (ShortXLUnicodeString in BIFF8, code-page bytes in BIFF5)."""
    count = raw[0]
    if not biff8:
        encoding = "utf-16-le" if codepage == 1200 else f"cp{codepage}"
        try:
            return raw[1 : 1 + count].decode(encoding, "replace")
        except LookupError:
            return raw[1 : 1 + count].decode("latin-1")
    if len(raw) > 1 and raw[1] & 0x01:
        return raw[2 : 2 + 2 * count].decode("utf-16-le", "replace")
    return raw[2 : 2 + count].decode("latin-1")


def _scan_sheet(stream: bytes, start: int, name: str) -> _SheetScan:
    scan = _SheetScan(name)
    cell = struct.Struct("<HH").unpack_from
    for kind, offset, length in _records(stream, start):
        if offset + length > len(stream):
            break  # a cut record: the cell library stops there too
        if kind in _VALUE_RECORDS and length >= 6:
            row, col = cell(stream, offset)
            scan.note(row, col)
            if kind == _BOOLERR and length >= 8 and stream[offset + 7] == 1:
                scan.errors[row, col] = _ERRORS.get(stream[offset + 6], "#VALUE!")
            elif (
                kind == _FORMULA
                and length >= 14
                and stream[offset + 12 : offset + 14] == b"\xff\xff"
                and stream[offset + 6] == 2
            ):
                scan.errors[row, col] = _ERRORS.get(stream[offset + 8], "#VALUE!")
        elif kind == _MULRK and length >= 6:
            row, col = cell(stream, offset)
            last = struct.unpack_from("<H", stream, offset + length - 2)[0]
            scan.note(row, col)
            scan.note(row, max(col, last))
        elif kind == _ROW and length >= 16:
            if stream[offset + 12] & 0x20:  # fDyZero: the row's height is zero, so it is hidden
                scan.hidden_rows.add(struct.unpack_from("<H", stream, offset)[0])
        elif kind == _DIMENSIONS:
            scan.dimensions.append((offset, length))
    return scan


def _declared_cells(stream: bytes, offset: int, length: int) -> int:
    """What the cell library reserves for a DIMENSIONS record, computed as it does (u32 wrapping)."""
    if length == 14:
        first_row, end_row, first_col, end_col = struct.unpack_from("<IIHH", stream, offset)
    elif length == 10:
        first_row, end_row, first_col, end_col = struct.unpack_from("<HHHH", stream, offset)
    else:
        return 0  # the cell library refuses the file itself
    if end_row < 1 or end_col < 1:
        return 1
    rows = (end_row - 1 - first_row + 1) & 0xFFFFFFFF
    cols = (end_col - 1 - first_col + 1) & 0xFFFFFFFF
    return int(rows * cols)


def _patch(data: bytes, container: CompoundFile, entry: Entry, patches: list[tuple[int, bytes]]) -> bytes:
    """``data``, or a copy with ``patches`` (stream offset, new bytes) written into the stream."""
    if not patches:
        return data
    offsets, unit = container.locate(entry)
    patched = bytearray(data)
    for offset, content in patches:
        for i, byte in enumerate(content):
            at = offset + i
            patched[offsets[at // unit] + at % unit] = byte
    return bytes(patched)


def _read_sheets(data: bytes, name: str, scans: list[_SheetScan], limits: Limits) -> list[Sheet]:
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    sheets: list[Sheet] = []
    with cell_library(name, save=SAVE_AS_XLSX):
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        try:
            metadata = book.sheets_metadata
            if len(metadata) != len(scans):
                corrupt(name, _CORRUPT_XLS, save=SAVE_AS_XLSX)
            for meta, scan in zip(metadata, scans, strict=True):
                if meta.typ != SheetTypeEnum.WorkSheet:
                    log.info("%s：跳过 %s %r", name, meta.typ, meta.name)
                    continue
                sheets.append(
                    build_sheet(
                        book.get_sheet_by_name(meta.name),
                        meta.name,
                        meta.visible == SheetVisibleEnum.Visible,
                        file=name,
                        limits=limits,
                        errors=scan.errors,
                        hidden_rows=scan.hidden_rows,
                        numbers_as_float=True,
                    )
                )
        finally:
            book.close()
    return sheets
