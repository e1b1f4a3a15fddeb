"""A small BIFF8 writer: real Excel 97-2003 (.xls) files built in code for the reader's tests.

`xls_bytes` writes what Excel and WPS write for a plain list: a compound file (OLE2/CFB, version 3,
512-byte sectors, small streams in the mini stream) holding a ``Workbook`` stream of BIFF8 records:
the globals (BOF, CODEPAGE, XF, BOUNDSHEET8, SST, EOF) and per sheet BOF, DIMENSIONS, ROW, the cell
records, MERGEDCELLS and EOF. Strings go to the shared string table (LABELSST), numbers to NUMBER
records, booleans and errors to BOOLERR, `Formula` cells to FORMULA records with a cached result.
`Sheet.dimensions` overrides the DIMENSIONS record, which is how the hostile files are made.

The format facts come from [MS-XLS] and [MS-CFB]; `tests/read/test_xls.py` checks the output
against files LibreOffice converts, when LibreOffice is installed.
"""

from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

_ERROR_CODES = {
    "#NULL!": 0x00,
    "#DIV/0!": 0x07,
    "#VALUE!": 0x0F,
    "#REF!": 0x17,
    "#NAME?": 0x1D,
    "#NUM!": 0x24,
    "#N/A": 0x2A,
}
_DATE_XF = 1  # index of the XF record whose number format is the built-in date format 14
_EPOCH = dt.date(1899, 12, 30)


@dataclass(frozen=True)
class Rich:
    """A rich-text string: ``runs`` of (text, font index); the reader must give their plain text."""

    runs: tuple[tuple[str, int], ...]

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.runs)


@dataclass(frozen=True)
class Formula:
    """A formula cell ``=SUM(rows[first..last] of column col)`` with its cached ``result``."""

    result: float | str | bool
    first: int = 0
    last: int = 0
    col: int = 0


@dataclass
class Sheet:
    """One worksheet: ``rows[r][c]`` written from A1; ``None`` and ``""`` leave a cell out."""

    name: str
    rows: Sequence[Sequence[Any]] = ()
    state: int = 0  # 0 visible, 1 hidden, 2 very hidden
    hidden_rows: frozenset[int] = frozenset()
    merged: Sequence[tuple[int, int, int, int]] = ()  # (first_row, first_col, last_row, last_col)
    dimensions: tuple[int, int, int, int] | None = None  # (rwMic, rwMac, colMic, colMac)
    extra: list[bytes] = field(default_factory=list)  # raw records appended before EOF


def record(kind: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _unicode(text: str, length_bytes: int = 2) -> bytes:
    """XLUnicodeString (cch u16) or ShortXLUnicodeString (cch u8), always UTF-16LE."""
    head = struct.pack("<H" if length_bytes == 2 else "<B", len(text)) + b"\x01"
    return head + text.encode("utf-16-le")


class _StringTable:
    def __init__(self) -> None:
        self.index: dict[object, int] = {}
        self.items: list[str | Rich] = []
        self.total = 0

    def add(self, value: str | Rich) -> int:
        self.total += 1
        if value not in self.index:
            self.index[value] = len(self.items)
            self.items.append(value)
        return self.index[value]

    def records(self) -> bytes:
        """SST, split into CONTINUE records at string boundaries (each string is under 8 KB)."""
        parts = []
        for item in self.items:
            if isinstance(item, Rich):
                text = item.text
                runs = b""
                at = 0
                for run_text, font in item.runs:
                    runs += struct.pack("<HH", at, font)
                    at += len(run_text)
                parts.append(
                    struct.pack("<HBH", len(text), 0x09, len(item.runs)) + text.encode("utf-16-le") + runs
                )
            else:
                parts.append(struct.pack("<HB", len(item), 0x01) + item.encode("utf-16-le"))
        out, current, kind = b"", struct.pack("<II", self.total, len(self.items)), 0x00FC
        for part in parts:
            if len(current) + len(part) > 8224:
                out += record(kind, current)
                current, kind = b"", 0x003C
            current += part
        return out + record(kind, current)


def _xf(number_format: int) -> bytes:
    return record(0x00E0, struct.pack("<HHHBBBBIIH", 0, number_format, 0x0001, 0x20, 0, 0, 0, 0, 0, 0x20C0))


def _cells(sheet: Sheet, strings: _StringTable) -> tuple[bytes, tuple[int, int, int, int]]:
    out = b""
    first_row, last_row, first_col, last_col = 1 << 30, -1, 1 << 30, -1
    rows_out = b""
    for r, row in enumerate(sheet.rows):
        used = [c for c, v in enumerate(row) if v is not None and v != ""]
        hidden = r in sheet.hidden_rows
        if used or hidden:
            lo, hi = (min(used), max(used) + 1) if used else (0, 0)
            flags = 0x0100 | (0x20 if hidden else 0) | (0x40 if hidden else 0)
            rows_out += record(0x0208, struct.pack("<HHHHHHHH", r, lo, hi, 0x00FF, 0, 0, flags, 0x000F))
        for c in used:
            first_row, last_row = min(first_row, r), max(last_row, r)
            first_col, last_col = min(first_col, c), max(last_col, c)
            out += _cell(r, c, row[c], strings)
    for r in sorted(sheet.hidden_rows):
        if r >= len(sheet.rows):
            rows_out += record(0x0208, struct.pack("<HHHHHHHH", r, 0, 0, 0x00FF, 0, 0, 0x0160, 0x000F))
    if last_row < 0:
        return rows_out + out, (0, 0, 0, 0)
    return rows_out + out, (first_row, last_row + 1, first_col, last_col + 1)


def _cell(r: int, c: int, value: Any, strings: _StringTable) -> bytes:
    if isinstance(value, bool):
        return record(0x0205, struct.pack("<HHHBB", r, c, 0, int(value), 0))
    if isinstance(value, str) and value in _ERROR_CODES:
        return record(0x0205, struct.pack("<HHHBB", r, c, 0, _ERROR_CODES[value], 1))
    if isinstance(value, (str, Rich)):
        return record(0x00FD, struct.pack("<HHHI", r, c, 0, strings.add(value)))
    if isinstance(value, dt.date):
        return record(0x0203, struct.pack("<HHHd", r, c, _DATE_XF, float((value - _EPOCH).days)))
    if isinstance(value, Formula):
        return _formula(r, c, value)
    return record(0x0203, struct.pack("<HHHd", r, c, 0, float(value)))


def _formula(r: int, c: int, f: Formula) -> bytes:
    # =SUM(area): PtgArea (0x25) then PtgFuncVar (0x22) with one argument, function 4 (SUM).
    rgce = struct.pack("<BHHHH", 0x25, f.first, f.last, 0xC000 | f.col, 0xC000 | f.col) + struct.pack(
        "<BBH", 0x22, 1, 4
    )
    tail = struct.pack("<HIH", 0, 0, len(rgce)) + rgce
    result = f.result
    if isinstance(result, bool):
        value = struct.pack("<BBBBHH", 1, 0, int(result), 0, 0, 0xFFFF)
    elif isinstance(result, str) and result in _ERROR_CODES:
        value = struct.pack("<BBBBHH", 2, 0, _ERROR_CODES[result], 0, 0, 0xFFFF)
    elif isinstance(result, str):
        value = struct.pack("<BBBBHH", 0 if result else 3, 0, 0, 0, 0, 0xFFFF)
        out = record(0x0006, struct.pack("<HHH", r, c, 0) + value + tail)
        return out + (record(0x0207, _unicode(result)) if result else b"")
    else:
        value = struct.pack("<d", float(result))
    return record(0x0006, struct.pack("<HHH", r, c, 0) + value + tail)


def workbook_stream(sheets: Sequence[Sheet], *, codepage: int = 1200, globals_extra: bytes = b"") -> bytes:
    """The BIFF8 ``Workbook`` stream for ``sheets``."""
    strings = _StringTable()
    bodies = []
    for sheet in sheets:
        cells, used = _cells(sheet, strings)
        dims = sheet.dimensions if sheet.dimensions is not None else used
        body = record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 0x06))
        body += record(0x0200, struct.pack("<IIHHH", *dims, 0)) + cells
        if sheet.merged:
            refs = b"".join(struct.pack("<HHHH", r0, r1, c0, c1) for r0, c0, r1, c1 in sheet.merged)
            body += record(0x00E5, struct.pack("<H", len(sheet.merged)) + refs)
        body += b"".join(sheet.extra) + record(0x000A)
        bodies.append(body)

    head = record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x06))
    head += record(0x0042, struct.pack("<H", codepage)) + globals_extra
    # Cells use XF 0 (General) and XF 1 (the built-in date format 14); Excel writes 16 XFs at least.
    head += _xf(0) + _xf(14) + b"".join(_xf(0) for _ in range(14))
    tail = strings.records() + record(0x000A)
    bound_sizes = [len(record(0x0085, b"\x00" * 6 + _unicode(s.name, 1))) for s in sheets]
    offset = len(head) + sum(bound_sizes) + len(tail)
    bound = b""
    for sheet, body in zip(sheets, bodies, strict=True):
        bound += record(0x0085, struct.pack("<IBB", offset, sheet.state, 0) + _unicode(sheet.name, 1))
        offset += len(body)
    return head + bound + tail + b"".join(bodies)


def xls_bytes(sheets: Sequence[Sheet] | Sheet, **kwargs: Any) -> bytes:
    """A whole .xls file: the compound file holding the ``Workbook`` stream for ``sheets``."""
    if isinstance(sheets, Sheet):
        sheets = [sheets]
    return compound_file({"Workbook": workbook_stream(sheets, **kwargs)})


# --------------------------------------------------------------------------- the compound file

_FREE, _END, _FAT_SECTOR = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
_SECTOR, _MINI, _CUTOFF = 512, 64, 4096


def compound_file(streams: dict[str, bytes], *, major: int = 3) -> bytes:
    """An OLE2 compound file (version 3, 512-byte sectors) holding ``streams`` at its root."""
    assert major == 3
    sectors: list[bytes] = []
    fat: list[int] = []

    def chain(content: bytes) -> int:
        """Store ``content`` in new sectors chained in the FAT; return the first sector."""
        if not content:
            return _END
        start = len(sectors)
        count = -(-len(content) // _SECTOR)
        for i in range(count):
            sectors.append(content[i * _SECTOR : (i + 1) * _SECTOR].ljust(_SECTOR, b"\x00"))
            fat.append(start + i + 1 if i + 1 < count else _END)
        return start

    mini_stream, mini_fat = b"", []
    placed: dict[str, tuple[int, int]] = {}
    for name, content in streams.items():
        if len(content) >= _CUTOFF:
            placed[name] = (chain(content), len(content))
        elif content:
            start = len(mini_stream) // _MINI
            count = -(-len(content) // _MINI)
            mini_stream += content.ljust(count * _MINI, b"\x00")
            mini_fat += [start + i + 1 if i + 1 < count else _END for i in range(count)]
            placed[name] = (start, len(content))
        else:
            placed[name] = (_END, 0)
    root_start = chain(mini_stream)
    mini_fat_bytes = struct.pack(f"<{len(mini_fat)}I", *mini_fat) if mini_fat else b""
    mini_fat_bytes = mini_fat_bytes.ljust(-(-len(mini_fat_bytes) // _SECTOR) * _SECTOR, b"\xff")
    mini_fat_start = chain(mini_fat_bytes) if mini_fat else _END

    # Directory: root, then the streams as a chain of right siblings in the tree's name order.
    names = sorted(streams, key=lambda n: (len(n), n.upper()))
    entries = [_dir_entry("Root Entry", 5, root_start, len(mini_stream), child=1 if names else _FREE)]
    for i, name in enumerate(names):
        start, size = placed[name]
        right = i + 2 if i + 1 < len(names) else _FREE
        entries.append(_dir_entry(name, 2, start, size, right=right))
    directory = b"".join(entries)
    directory = directory.ljust(-(-len(directory) // _SECTOR) * _SECTOR, b"\x00")
    dir_start = chain(directory)

    # FAT sectors describe themselves too: add them until they cover every sector.
    fat_sectors = 0
    while fat_sectors * (_SECTOR // 4) < len(fat) + fat_sectors:
        fat_sectors += 1
    assert fat_sectors <= 109
    fat_start = len(sectors)
    fat += [_FAT_SECTOR] * fat_sectors
    fat += [_FREE] * (fat_sectors * (_SECTOR // 4) - len(fat))
    table = struct.pack(f"<{len(fat)}I", *fat)
    sectors += [table[i * _SECTOR : (i + 1) * _SECTOR] for i in range(fat_sectors)]

    header = bytearray(_SECTOR)
    header[0:8] = bytes.fromhex("D0CF11E0A1B11AE1")
    struct.pack_into("<HHHHH", header, 24, 0x003E, 3, 0xFFFE, 9, 6)
    struct.pack_into(
        "<IIIIIIIII",
        header,
        40,
        0,
        fat_sectors,
        dir_start,
        0,
        _CUTOFF,
        mini_fat_start,
        len(mini_fat_bytes) // _SECTOR,
        _END,
        0,
    )
    difat = [fat_start + i for i in range(fat_sectors)] + [_FREE] * (109 - fat_sectors)
    struct.pack_into("<109I", header, 76, *difat)
    return bytes(header) + b"".join(sectors)


def _dir_entry(
    name: str, kind: int, start: int, size: int, *, child: int = _FREE, right: int = _FREE
) -> bytes:
    entry = bytearray(128)
    encoded = name.encode("utf-16-le") + b"\x00\x00"
    entry[0 : len(encoded)] = encoded
    struct.pack_into("<HBBIII", entry, 64, len(encoded), kind, 1, _FREE, right, child)
    struct.pack_into("<IQ", entry, 116, start, size)
    return bytes(entry)
