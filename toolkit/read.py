"""Workbook bytes → `toolkit.records.Workbook`: every sheet as a grid anchored at A1.

The reader never touches the filesystem. It refuses anything it cannot read safely with an
`UnreadableWorkbook` that carries exactly one `Problem` naming the file, and it checks in this
order, all before any spreadsheet parsing:

1. empty bytes (``file.empty``);
2. the first bytes: zip, OLE2/CFB (``file.encrypted``, ``file.xls_legacy``, ``file.docx``),
   CSV/text (``file.csv``), anything else (``file.not_zip``);
3. the zip directory (``file.truncated``), declared sizes (``file.too_large``) and compression
   ratios (``file.too_compressed``), decided from the directory alone before anything is
   inflated; what the zip holds (``file.docx``, ``file.ods``, ``file.xlsb``,
   ``file.not_workbook``); then every member is inflated with its declared size as a hard limit
   and its CRC checked (``file.corrupt``);
4. DTDs and entity declarations in any member (``file.unsafe_xml``);
5. per sheet, the used range taken from the cell addresses in the sheet XML, so that two cells at
   A1 and XFD1048576 cannot make the cell library allocate terabytes (``sheet.too_large``);
6. cell values with python-calamine (its failures become ``file.corrupt``), formula cells from
   the sheet XML, then ``workbook.no_sheets`` and ``workbook.empty``.

Conventions of `Sheet.rows` (the parse stage relies on them):

* ``rows[r][c]`` is Excel row ``r + 1``, column ``c + 1``; every row of a sheet has the same
  length (up to the rightmost cell with a value, an error or a formula); trailing empty rows are
  dropped, so an empty sheet has ``rows == ()``. ``rows`` is a tuple of tuples; empty rows above
  the first used row are one shared tuple.
* An empty cell is ``""`` (never ``None``; `Sheet.value` returns ``None`` only outside the grid).
* Numbers are ``float`` exactly as stored (``500.0``, ``15538.27``; ``repr`` gives the shortest
  round-trip text, so ``Decimal(repr(x))`` is exact); percentages are the stored fraction
  (``15%`` → ``0.15``). Text stays ``str`` untouched, even when it looks like a number
  (``"123"``); ``_xHHHH_`` escapes come back decoded (``"\\x0b"``), so strip illegal characters
  downstream.
* Booleans are ``bool``. Cells formatted as dates are ``datetime.date`` (or ``datetime.datetime``
  when there is a time part), times are ``datetime.time``, durations ``datetime.timedelta``;
  the 1904 date system is honoured. A date serial in a General cell stays a ``float``.
* A cell holding an Excel error (typed or the saved result of a formula) is its error text, such
  as ``"#DIV/0!"`` or ``"#N/A"``; always a ``str`` starting with ``#``.
* A formula cell without a saved result is ``""`` and is listed in
  `Sheet.formulas_without_value`; a formula whose saved result is the placeholder ``0`` of a
  never-calculated workbook keeps ``0.0`` and is listed in `Sheet.placeholder_formulas`.
* Merged ranges keep their value in the top-left cell only; the other cells are empty (``""``,
  or outside the grid when the merge reaches past the last value).
* Only worksheets are returned; chart sheets and dialog/macro sheets are skipped.

Row cap: a sheet with more rows than ``max_rows`` is cut to its first ``max_rows`` rows and
marked ``Sheet.truncated``; the reader does not refuse it, because the cap may only hit a sheet
nobody uses. A stage that uses a truncated sheet must report it.
"""

from __future__ import annotations

import codecs
import io
import logging
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NoReturn

from toolkit import codes
from toolkit.errors import Problem, UnreadableWorkbook
from toolkit.records import CellValue, Sheet, Workbook, cell_name

if TYPE_CHECKING:
    from python_calamine import CalamineSheet

__all__ = [
    "DEFAULT_MAX_CELLS",
    "DEFAULT_MAX_RATIO",
    "DEFAULT_MAX_ROWS",
    "DEFAULT_MAX_UNPACKED_BYTES",
    "read_workbook",
]

log = logging.getLogger(__name__)

DEFAULT_MAX_UNPACKED_BYTES = 200 * 2**20
"""Refuse workbooks whose parts unpack to more than this (``max_unpacked_mb`` in toolkit.toml)."""
DEFAULT_MAX_RATIO = 200
"""Refuse any part over `RATIO_FLOOR_BYTES` that unpacks to more than this many times its size."""
DEFAULT_MAX_ROWS = 1_048_576
"""Keep at most this many rows per sheet (Excel's own limit)."""
DEFAULT_MAX_CELLS = 5_000_000
"""Refuse a sheet whose used range (from its first used row, from column A) exceeds this many cells."""
RATIO_FLOOR_BYTES = 2**20
"""Parts that unpack to less than this are never refused for their compression ratio."""

_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_CFB_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_TEXT_SAMPLE = 64 * 1024
_INFLATE_CHUNK = 1 << 20
_ERROR_TEXT = re.compile(r"#[A-Z0-9/!?_.]{1,20}")

_ZIP_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    EOFError,
    IndexError,
    KeyError,
    NotImplementedError,
    OSError,
    OverflowError,
    struct.error,
    UnicodeDecodeError,
    ValueError,
)

# Chinese messages, one per code. Placeholders are filled by `_refuse`.
_MESSAGES: dict[str, str] = {
    codes.FILE_EMPTY: "文件是空的（0 字节），可能还没有复制完，或者保存时出了错。请等复制完成后再试；如果仍是空的，请在 Excel 中重新保存原文件，再把它放进来。",
    codes.FILE_ENCRYPTED: "工作簿设置了打开密码，无法读取。请在 Excel 中输入密码打开它，点 文件 ▸ 信息 ▸ 保护工作簿 ▸ 用密码进行加密，清空密码并确定，保存后再把文件放进来。",
    codes.FILE_XLS_LEGACY: "这是 Excel 97-2003 格式（.xls）的文件，不能直接读取。请在 Excel 中打开它，点 文件 ▸ 另存为，保存类型选“Excel 工作簿 (*.xlsx)”，再把新保存的 .xlsx 文件放进来。",
    codes.FILE_DOCX: "这是 Word 文档，不是 Excel 工作簿。请放入捐款名单的 Excel 文件（.xlsx）。",
    codes.FILE_CSV: "这是 CSV 或文本文件，不是 Excel 工作簿（.xlsx）。请用 Excel 打开它，点 文件 ▸ 另存为，保存类型选“Excel 工作簿 (*.xlsx)”，再把新保存的文件放进来。",
    codes.FILE_NOT_ZIP: "无法识别这个文件：它不是 Excel 工作簿（.xlsx）。请确认选对了文件；如果是其他软件导出的表格，请用 Excel 打开后另存为“Excel 工作簿 (*.xlsx)”。",
    codes.FILE_TRUNCATED: "文件已损坏或没有复制完整（文件末尾的目录缺失）。请重新复制一次；如果仍然不行，请在 Excel 中打开原文件重新保存，再把它放进来。",
    codes.FILE_TOO_LARGE: "文件解压后约 {size_mb} MB，超过了上限 {cap_mb} MB，为安全起见不予读取。请删除用不到的工作表、图片和多余的行列后重新保存；如确需处理这么大的文件，可调大 toolkit.toml 中的 max_unpacked_mb 设置。",
    codes.FILE_TOO_COMPRESSED: "文件中的“{part}”解压后约 {size_mb} MB，是压缩后大小的 {ratio} 倍，远超正常的 Excel 文件（可能是“压缩炸弹”），为安全起见不予读取。请在 Excel 中打开原文件，复制需要的内容到新工作簿保存后再放进来。",
    codes.FILE_CORRUPT: "文件内容已损坏，无法读取（{detail}）。请在 Excel 中打开原文件重新保存，或重新复制一份再放进来。",
    codes.FILE_ODS: "这是 OpenDocument 格式（.ods，WPS 或 LibreOffice 保存）的表格，不是 .xlsx。请打开它，点 文件 ▸ 另存为，保存类型选“Excel 工作簿 (*.xlsx)”，再把新保存的文件放进来。",
    codes.FILE_XLSB: "这是 Excel 二进制工作簿（.xlsb），不能直接读取。请在 Excel 中打开它，点 文件 ▸ 另存为，保存类型选“Excel 工作簿 (*.xlsx)”，再把新保存的文件放进来。",
    codes.FILE_NOT_WORKBOOK: "这是一个压缩包（zip），里面没有 Excel 工作簿。请确认选对了文件，放入捐款名单的 .xlsx 文件。",
    codes.FILE_UNSAFE_XML: "文件中的“{part}”含有正常 Excel 文件不会有的 XML 声明（DOCTYPE/ENTITY），为安全起见不予读取。请在 Excel 中打开原文件，另存为新的 .xlsx 文件再放进来；如果文件来自他人，请向对方确认来源。",
    codes.SHEET_TOO_LARGE: "工作表“{sheet}”的使用范围 {area} 太大（约 {cells} 个单元格），通常是在很远的行或列误填了内容。请在 Excel 中删除多余的行和列（Ctrl+End 可以找到最后一个单元格）后保存，再把文件放进来。",
    codes.WORKBOOK_NO_SHEETS: "工作簿里没有任何工作表，无法读取。请在 Excel 中打开确认后重新保存，再把文件放进来。",
    codes.WORKBOOK_EMPTY: "表格里没有任何内容（所有工作表都是空的）。请确认选对了文件，并且填写后已经保存。",
}


def _refuse(name: str, code: str, *, sheet: str = "", value: str = "", **fields: object) -> NoReturn:
    """Raise `UnreadableWorkbook` with the one `Problem` for ``code``."""
    message = _MESSAGES[code].format(sheet=sheet, **fields)
    raise UnreadableWorkbook(Problem(code, message, file=name, sheet=sheet, value=value))


def _corrupt(name: str, detail: str, *, sheet: str = "") -> NoReturn:
    _refuse(name, codes.FILE_CORRUPT, sheet=sheet, detail=detail)


def _mb(size: int) -> str:
    return f"{size / 2**20:,.0f}"


# --------------------------------------------------------------------------- public entry point


def read_workbook(
    data: bytes,
    name: str,
    *,
    max_unpacked_bytes: int = DEFAULT_MAX_UNPACKED_BYTES,
    max_ratio: int = DEFAULT_MAX_RATIO,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_cells: int = DEFAULT_MAX_CELLS,
) -> Workbook:
    """Read the workbook in ``data`` (the bytes of file ``name``) into a `Workbook`.

    Args:
        data: the file's bytes.
        name: the file name (no folder), used in every `Problem`.
        max_unpacked_bytes: refuse when the zip's parts unpack to more than this in total.
        max_ratio: refuse a part larger than 1 MiB that unpacks to more than this many times its
            packed size.
        max_rows: keep at most this many rows of each sheet and mark it `Sheet.truncated`.
        max_cells: refuse a sheet whose used range spans more cells than this.

    Raises:
        UnreadableWorkbook: with exactly one `Problem` (``file.*``, ``sheet.too_large`` or
            ``workbook.*``) when the bytes are not a workbook toolkit can read.
    """
    if not data:
        _refuse(name, codes.FILE_EMPTY)
    if not data.startswith(_ZIP_MAGICS):
        _refuse_non_zip(data, name)
    package = _Package.open(data, name, max_unpacked_bytes=max_unpacked_bytes, max_ratio=max_ratio)
    layout = _WorkbookLayout.parse(package)
    sheets = _read_sheets(data, package, layout, max_rows=max_rows, max_cells=max_cells)
    if not sheets:
        _refuse(name, codes.WORKBOOK_NO_SHEETS)
    if all(not sheet.rows for sheet in sheets):
        _refuse(name, codes.WORKBOOK_EMPTY)
    return Workbook(name=name, sheets=tuple(sheets), never_calculated=layout.never_calculated)


# --------------------------------------------------------------------------- sniffing non-zip bytes


def _refuse_non_zip(data: bytes, name: str) -> NoReturn:
    if data.startswith(_CFB_MAGIC):
        streams = _cfb_stream_names(data)
        if streams & {"EncryptedPackage", "EncryptionInfo"}:
            _refuse(name, codes.FILE_ENCRYPTED)
        if "WordDocument" in streams:
            _refuse(name, codes.FILE_DOCX)
        # "Workbook" (BIFF8) or "Book" (BIFF5); an unrecognised compound file is most likely an
        # old workbook too, and "save as .xlsx" is the right advice for it.
        _refuse(name, codes.FILE_XLS_LEGACY)
    if _looks_like_delimited_text(data):
        _refuse(name, codes.FILE_CSV)
    _refuse(name, codes.FILE_NOT_ZIP)


_CFB_NAMES = ("EncryptedPackage", "EncryptionInfo", "Workbook", "Book", "WordDocument")


def _cfb_stream_names(data: bytes) -> set[str]:
    """Names of known streams in an OLE2 compound file, found without walking its FAT.

    A directory entry is 128 bytes: the name in UTF-16LE with a terminating NUL, padded to 64
    bytes, then the name's byte length (terminator included) as a little-endian u16. Directory
    sectors are whole multiples of 128 bytes after the 512-byte header, so an entry always starts
    at an offset divisible by 128.
    """
    found: set[str] = set()
    for stream in _CFB_NAMES:
        encoded = stream.encode("utf-16-le") + b"\x00\x00"
        length = struct.pack("<H", len(encoded))
        start = data.find(encoded, 512)
        while start != -1:
            if start % 128 == 0 and data[start + 64 : start + 66] == length:
                found.add(stream)
                break
            start = data.find(encoded, start + 1)
    return found


def _looks_like_delimited_text(data: bytes) -> bool:
    """True for bytes that read as UTF-8, UTF-16 (with BOM) or GBK text with commas or tabs."""
    sample = data[:_TEXT_SAMPLE]
    candidates: list[tuple[bytes, str]]
    if sample.startswith(codecs.BOM_UTF8):
        candidates = [(sample[3:], "utf-8")]
    elif sample.startswith(codecs.BOM_UTF16_LE):
        candidates = [(sample[2:], "utf-16-le")]
    elif sample.startswith(codecs.BOM_UTF16_BE):
        candidates = [(sample[2:], "utf-16-be")]
    else:
        candidates = [(sample, "utf-8"), (sample, "gb18030")]
    for raw, encoding in candidates:
        try:
            # final=False: the sample may end in the middle of a multi-byte character.
            text = codecs.getincrementaldecoder(encoding)().decode(raw, final=False)
        except UnicodeDecodeError:
            continue
        if not text or "\x00" in text:
            continue
        printable = sum(1 for ch in text if ch.isprintable() or ch in "\t\r\n")
        if printable < 0.95 * len(text):
            continue
        return any(sep in text for sep in (",", "\t", "，", ";"))
    return False


# --------------------------------------------------------------------------- the zip package


def _has_unsafe_xml(content: bytes) -> bool:
    """True when an XML part declares a DTD or entities (ASCII-compatible or UTF-16 encoded)."""
    if b"<!" not in content and b"<\x00!" not in content:
        return False  # one pass settles the usual case: no markup declaration at all
    return any(marker in content for marker in _UNSAFE_MARKERS)


_UNSAFE_MARKERS = tuple(
    token.encode(encoding)
    for token in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("ascii", "utf-16-le", "utf-16-be")
)


@dataclass
class _Package:
    """The zip's members after the size, kind, CRC and XML-safety checks."""

    data: bytes
    name: str
    infos: dict[str, zipfile.ZipInfo]
    cache: dict[str, bytes] = field(default_factory=dict)

    @classmethod
    def open(cls, data: bytes, name: str, *, max_unpacked_bytes: int, max_ratio: int) -> _Package:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                infos = archive.infolist()
        except _ZIP_ERRORS as exc:
            log.info("%s: zip directory unreadable: %s", name, exc)
            _refuse(name, codes.FILE_TRUNCATED)

        total = sum(info.file_size for info in infos)
        if total > max_unpacked_bytes:
            _refuse(
                name,
                codes.FILE_TOO_LARGE,
                value=f"{_mb(total)} MB",
                size_mb=_mb(total),
                cap_mb=_mb(max_unpacked_bytes),
            )
        for info in infos:
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > RATIO_FLOOR_BYTES and ratio > max_ratio:
                _refuse(
                    name,
                    codes.FILE_TOO_COMPRESSED,
                    value=info.filename,
                    part=info.filename,
                    size_mb=_mb(info.file_size),
                    ratio=f"{ratio:,.0f}",
                )

        by_name: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            if info.filename in by_name:
                _corrupt(name, f"压缩包中“{info.filename}”出现了两次")
            by_name[info.filename] = info
        _refuse_if_not_workbook(by_name, name)

        package = cls(data, name, by_name)
        for info in infos:
            # Every member, whatever its name: the cell library follows the relationships, not
            # the file extensions, so any member may be one it parses.
            content = package._inflate(info)
            if _has_unsafe_xml(content):
                _refuse(name, codes.FILE_UNSAFE_XML, value=info.filename, part=info.filename)
            if info.filename.startswith("xl/") and info.filename.lower().endswith(".xml"):
                package.cache[info.filename] = content
        return package

    def part(self, member: str) -> bytes | None:
        """The inflated bytes of ``member``, or ``None`` when the zip has no such member."""
        if member in self.cache:
            return self.cache[member]
        info = self.infos.get(member)
        if info is None:
            return None
        content = self._inflate(info)
        self.cache[member] = content
        return content

    def _inflate(self, info: zipfile.ZipInfo) -> bytes:
        """Inflate one member, never producing more than its declared size, and check its CRC.

        The cell library inflates members itself and does not stop at the declared size, so a
        member whose deflate stream produces more than the directory says is refused here.
        """
        name, data, member = self.name, self.data, info.filename
        offset = info.header_offset
        header = data[offset : offset + 30]
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            _corrupt(name, f"找不到“{member}”的数据")
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        start = offset + 30 + name_len + extra_len
        packed = memoryview(data)[start : start + info.compress_size]
        if len(packed) < info.compress_size:
            _refuse(name, codes.FILE_TRUNCATED)
        if info.flag_bits & 0x1:
            _corrupt(name, f"“{member}”使用了压缩包密码")
        if info.compress_type == zipfile.ZIP_STORED:
            content = bytes(packed)
        elif info.compress_type == zipfile.ZIP_DEFLATED:
            content = self._inflate_deflated(packed, info)
        else:
            _corrupt(name, f"“{member}”使用了不支持的压缩方式 {info.compress_type}")
        if len(content) != info.file_size or zlib.crc32(content) != info.CRC:
            _corrupt(name, f"“{member}”校验失败")
        return content

    def _inflate_deflated(self, packed: memoryview, info: zipfile.ZipInfo) -> bytes:
        inflater = zlib.decompressobj(-15)
        chunks: list[bytes] = []
        produced = 0

        def take(pending: bytes | memoryview) -> None:
            nonlocal produced
            while True:
                chunk = inflater.decompress(pending, _INFLATE_CHUNK)
                pending = inflater.unconsumed_tail
                produced += len(chunk)
                if produced > info.file_size:
                    _corrupt(self.name, f"“{info.filename}”的实际大小与记录不符")
                chunks.append(chunk)
                # Stop when the stream ended, or when this input is used up and nothing more
                # comes out (an empty call drains output zlib still holds).
                if inflater.eof or (not pending and not chunk):
                    return

        try:
            for begin in range(0, len(packed), _INFLATE_CHUNK):
                take(packed[begin : begin + _INFLATE_CHUNK])
                if inflater.eof:
                    break
            if not inflater.eof:
                take(b"")
        except zlib.error as exc:
            log.info("%s: %s does not inflate: %s", self.name, info.filename, exc)
            _corrupt(self.name, f"“{info.filename}”无法解压")
        if not inflater.eof:
            _corrupt(self.name, f"“{info.filename}”的压缩数据不完整")
        return b"".join(chunks)


def _refuse_if_not_workbook(infos: dict[str, zipfile.ZipInfo], name: str) -> None:
    if "xl/workbook.xml" in infos:
        return
    if "word/document.xml" in infos:
        _refuse(name, codes.FILE_DOCX)
    if "content.xml" in infos or "mimetype" in infos:
        _refuse(name, codes.FILE_ODS)
    if "xl/workbook.bin" in infos:
        _refuse(name, codes.FILE_XLSB)
    _refuse(name, codes.FILE_NOT_WORKBOOK)


# --------------------------------------------------------------------------- workbook.xml and rels


@dataclass(frozen=True, slots=True)
class _WorkbookLayout:
    """Which zip member holds each sheet, and the workbook's calculation flag."""

    sheet_parts: dict[str, str]
    never_calculated: bool

    @classmethod
    def parse(cls, package: _Package) -> _WorkbookLayout:
        from defusedxml import ElementTree

        workbook_xml = package.part("xl/workbook.xml") or b""
        rels_xml = package.part("xl/_rels/workbook.xml.rels")
        try:
            workbook = ElementTree.fromstring(workbook_xml)
            rels = ElementTree.fromstring(rels_xml) if rels_xml else None
        except Exception as exc:  # ParseError, defusedxml's ValueErrors, expat limits
            log.info("%s: workbook.xml unreadable: %s", package.name, exc)
            _corrupt(package.name, "工作簿目录无法解析")

        targets: dict[str, str] = {}
        if rels is not None:
            for rel in rels:
                if _local(rel.tag) == "Relationship" and rel.get("TargetMode") != "External":
                    targets[rel.get("Id", "")] = _resolve_target(rel.get("Target", ""))

        sheet_parts: dict[str, str] = {}
        never_calculated = False
        for element in workbook.iter():
            tag = _local(element.tag)
            if tag == "sheet":
                rel_id = next((v for k, v in element.attrib.items() if _local(k) == "id"), "")
                if rel_id in targets:
                    sheet_parts[element.get("name", "")] = targets[rel_id]
            elif tag == "calcPr":
                never_calculated = element.get("fullCalcOnLoad", "0").lower() in {"1", "true"}
        return cls(sheet_parts, never_calculated)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _resolve_target(target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join("xl", target))


# --------------------------------------------------------------------------- sheet XML scan


@dataclass(slots=True)
class _SheetScan:
    """What the sheet XML says before the cell library reads it (positions 0-based).

    ``first_row``, ``last_row`` and ``last_col`` bound the cells that carry content; they may
    overestimate, never underestimate. ``errors`` maps error cells to their text.
    """

    first_row: int = 0
    last_row: int = -1
    last_col: int = -1
    missing: set[tuple[int, int]] = field(default_factory=set)
    placeholders: set[tuple[int, int]] = field(default_factory=set)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)

    @property
    def area(self) -> int:
        """Cells the grid spans from its first used row, counting from column A."""
        if self.last_row < self.first_row:
            return 0
        return (self.last_row - self.first_row + 1) * (self.last_col + 1)

    def note(
        self, row: int, col: int, *, formula: bool, kind: bytes, value: bytes | None, never_calculated: bool
    ) -> None:
        """Record one formula or error cell; ``value`` is the text of its <v>, None without one."""
        if kind == b"e" and value is not None:
            text = value.strip().decode("ascii", "replace")
            if _ERROR_TEXT.fullmatch(text):
                self.errors[row, col] = text
                return
        if not formula:
            return
        if value is None or (value == b"" and kind not in {b"str", b"inlineStr"}):
            # No saved result. An empty <v> of a string formula is a real "" (=IF(A1="","",…)).
            self.missing.add((row, col))
        elif never_calculated and kind in {b"", b"n"} and _is_zero(value):
            self.placeholders.add((row, col))


class _NeedsPositions(Exception):
    """A formula or error cell has no r attribute: fall back to numbering cells in order."""


@lru_cache(maxsize=8)
def _patterns(prefix: bytes) -> dict[str, re.Pattern[bytes]]:
    """Regexes for sheet XML whose main-namespace elements carry ``prefix`` (``b""`` or ``b"x:"``)."""
    p = re.escape(prefix)
    c, f, v = b"<" + p + b"c", b"<" + p + b"f", b"<" + p + b"v"
    value = v + rb"\s*/>|" + v + rb"(?:\s[^>]*)?>([^<]*)</" + p + b"v>"
    return {
        # A cell whose first child is <f> (the schema puts it first): attributes, the whole <v>
        # element (empty when absent) and its text.
        "formula": re.compile(
            c + rb"(\s[^>]*)?>\s*" + f + rb"(?:\s[^>]*)?(?:/>|>[^<]*</" + p + rb"f>)\s*(" + value + b")?"
        ),
        # A cell typed as an error: attributes, its <f> if any, the whole <v> element and its text.
        "error": re.compile(
            c
            + rb"(\s[^>]*?\st\s*=\s*[\"']e[\"'][^>]*)>\s*("
            + f
            + rb"(?:\s[^>]*)?(?:/>|>[^<]*</"
            + p
            + rb"f>))?\s*("
            + value
            + b")?"
        ),
        "value": re.compile(value),
        "has_formula": re.compile(f + rb"[\s/>]"),
        # Cells whose first attribute is not r, or that have none: candidates for a missing r.
        "unaddressed": re.compile(c + rb"(?:[>/]|\s+(?!r\s*=))"),
        # Every <row> and <c> start tag, in document order.
        "tag": re.compile(b"<" + p + rb"(row|c)(?=[\s/>])([^>]*?)(/?)>"),
    }


_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet[\s>]")
_REF_ATTR = re.compile(rb"\sr\s*=\s*[\"']([A-Z]{1,3})([0-9]{1,7})[\"']")
_ROW_ATTR = re.compile(rb"\sr\s*=\s*[\"']([0-9]{1,7})[\"']")
_TYPE_ATTR = re.compile(rb"\st\s*=\s*[\"']([A-Za-z]*)[\"']")
# Cheap bounds first: only rows from 100000 and only columns from AA are picked out.
_FAR_ROWS = re.compile(rb"r\s*=\s*[\"'][A-Z]{1,3}([0-9]{6,7})[\"']")
_FAR_COLS = re.compile(rb"r\s*=\s*[\"']([A-Z]{2,3})[0-9]")
# The end of the start tag tells whether the cell has content: "/>" or ">" + "</c>" means none.
_ALL_REFS = re.compile(rb"r\s*=\s*[\"']([A-Z]{1,3})([0-9]{1,7})[\"'][^>]*?(/>|>\s*</(?:[\w.-]+:)?c>|>)")


def _col_index(letters: bytes) -> int:
    """``b"A"`` → 0, ``b"AA"`` → 26."""
    index = 0
    for byte in letters:
        index = index * 26 + (byte - 64)
    return index - 1


def _is_zero(value: bytes) -> bool:
    if value == b"0":
        return True
    try:
        return float(value) == 0.0
    except ValueError:
        return False


def _scan_sheet(xml: bytes, *, never_calculated: bool, max_cells: int) -> _SheetScan:
    """Find the used range, formula cells without a result, placeholder results and error cells."""
    root = _ROOT.search(xml, 0, 65536)
    prefix = (root.group(1) or b"") if root else b""
    pats = _patterns(prefix)
    if _has_unaddressed_cells(xml, pats):
        return _scan_by_position(xml, prefix, never_calculated)
    try:
        return _scan_by_address(xml, pats, never_calculated, max_cells)
    except _NeedsPositions:
        return _scan_by_position(xml, prefix, never_calculated)


def _has_unaddressed_cells(xml: bytes, pats: dict[str, re.Pattern[bytes]]) -> bool:
    """True when some <c> has no r attribute (Excel and the usual writers always write r first)."""
    for match in pats["unaddressed"].finditer(xml):
        end = xml.find(b">", match.start())
        if _REF_ATTR.search(xml, match.start(), end + 1 if end != -1 else len(xml)) is None:
            return True
    return False


def _scan_by_address(
    xml: bytes, pats: dict[str, re.Pattern[bytes]], never_calculated: bool, max_cells: int
) -> _SheetScan:
    scan = _SheetScan()
    # Used range: a cheap overestimate, and an exact pass only when that is too big.
    scan.last_row = max((int(r) - 1 for r in _FAR_ROWS.findall(xml)), default=99_999)
    scan.last_col = max((_col_index(c) for c in set(_FAR_COLS.findall(xml))), default=25)
    if scan.area > max_cells:
        scan.first_row, scan.last_row, scan.last_col = _exact_extent(xml)

    if pats["has_formula"].search(xml):
        for attrs, v_element, v_text in pats["formula"].findall(xml):
            if v_text and not (never_calculated and _is_zero(v_text)):
                continue  # a saved result: the common case, decided without parsing attributes
            ref = _REF_ATTR.search(attrs)
            if ref is None:
                raise _NeedsPositions
            kind = _TYPE_ATTR.search(attrs)
            scan.note(
                int(ref.group(2)) - 1,
                _col_index(ref.group(1)),
                formula=True,
                kind=kind.group(1) if kind else b"",
                value=v_text if v_element else None,
                never_calculated=never_calculated,
            )
    if b't="e"' in xml or b"t='e'" in xml:
        for attrs, f_element, v_element, v_text in pats["error"].findall(xml):
            if attrs.endswith(b"/"):
                continue  # <c t="e"/> holds nothing
            ref = _REF_ATTR.search(attrs)
            if ref is None:
                raise _NeedsPositions
            scan.note(
                int(ref.group(2)) - 1,
                _col_index(ref.group(1)),
                formula=bool(f_element),
                kind=b"e",
                value=v_text if v_element else None,
                never_calculated=never_calculated,
            )
    return scan


def _note_cell(
    scan: _SheetScan,
    row: int,
    col: int,
    attrs: bytes,
    content: bytes,
    pats: dict[str, re.Pattern[bytes]],
    never_calculated: bool,
) -> None:
    kind = _TYPE_ATTR.search(attrs)
    value = pats["value"].search(content)
    scan.note(
        row,
        col,
        formula=pats["has_formula"].search(content) is not None,
        kind=kind.group(1) if kind else b"",
        value=(value.group(1) or b"") if value else None,
        never_calculated=never_calculated,
    )


def _exact_extent(xml: bytes) -> tuple[int, int, int]:
    """First row, last row and last column (0-based) of the cells that have content."""
    first_row, last_row, last_col = 1 << 30, -1, -1
    for letters, digits, ending in _ALL_REFS.findall(xml):
        if ending != b">":
            continue  # <c r="XFD1048576" s="1"/> or <c ...></c>: formatting only, no value
        row = int(digits) - 1
        first_row = min(first_row, row)
        last_row = max(last_row, row)
        last_col = max(last_col, _col_index(letters))
    if last_row < 0:
        return 0, -1, -1
    return first_row, last_row, last_col


def _scan_by_position(xml: bytes, prefix: bytes, never_calculated: bool) -> _SheetScan:
    """Walk every <row> and <c> in order, numbering cells that have no r attribute as Excel does."""
    scan = _SheetScan(first_row=1 << 30)
    row, col = -1, -1
    pats = _patterns(prefix)
    end_tag = b"</" + prefix + b"c>"
    tags = list(pats["tag"].finditer(xml))
    for index, match in enumerate(tags):
        element, attrs, self_closing = match.groups()
        if element == b"row":
            row_ref = _ROW_ATTR.search(attrs)
            row = int(row_ref.group(1)) - 1 if row_ref else row + 1
            col = -1
            continue
        ref = _REF_ATTR.search(attrs)
        if ref:
            row, col = int(ref.group(2)) - 1, _col_index(ref.group(1))
        else:
            col += 1
        # The content ends at </c>, looked for only up to the next tag, so the walk stays linear.
        limit = tags[index + 1].start() if index + 1 < len(tags) else len(xml)
        end = xml.find(end_tag, match.end(), limit)
        content = xml[match.end() : end if end != -1 else limit]
        if self_closing or not content.strip():
            continue
        scan.first_row = min(scan.first_row, row)
        scan.last_row = max(scan.last_row, row)
        scan.last_col = max(scan.last_col, col)
        if pats["has_formula"].search(content) or b't="e"' in attrs or b"t='e'" in attrs:
            _note_cell(scan, row, col, attrs, content, pats, never_calculated)
    if scan.last_row < 0:
        scan.first_row = 0
    return scan


# --------------------------------------------------------------------------- reading the cells


def _read_sheets(
    data: bytes, package: _Package, layout: _WorkbookLayout, *, max_rows: int, max_cells: int
) -> list[Sheet]:
    from python_calamine import CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    name = package.name
    sheets: list[Sheet] = []
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        try:
            for meta in book.sheets_metadata:
                if meta.typ != SheetTypeEnum.WorkSheet:
                    log.info("%s: skipping %s %r", name, meta.typ, meta.name)
                    continue
                part = layout.sheet_parts.get(meta.name)
                xml = package.part(part) if part else None
                if xml is None:
                    _corrupt(name, f"找不到工作表“{meta.name}”的数据", sheet=meta.name)
                scan = _scan_sheet(xml, never_calculated=layout.never_calculated, max_cells=max_cells)
                if scan.area > max_cells:
                    area = f"{cell_name(scan.first_row, 0)}:{cell_name(scan.last_row, scan.last_col)}"
                    _refuse(
                        name,
                        codes.SHEET_TOO_LARGE,
                        sheet=meta.name,
                        value=area,
                        area=area,
                        cells=f"{scan.area:,}",
                    )
                visible = meta.visible == SheetVisibleEnum.Visible
                source = book.get_sheet_by_name(meta.name)
                sheets.append(_build_sheet(source, meta.name, visible, scan, max_rows=max_rows))
        finally:
            book.close()
    except UnreadableWorkbook:
        raise
    except Exception as exc:  # CalamineError and whatever else the Rust side raises
        log.info("%s: cell library failed: %r", name, exc)
        _corrupt(name, "单元格数据无法解析")
    except BaseException as exc:  # a Rust panic surfaces as pyo3's PanicException(BaseException)
        if type(exc).__name__ != "PanicException":
            raise
        log.info("%s: cell library panicked: %r", name, exc)
        _corrupt(name, "单元格数据无法解析")
    return sheets


def _build_sheet(
    source: CalamineSheet, name: str, visible: bool, scan: _SheetScan, *, max_rows: int
) -> Sheet:
    start = source.start
    row0, col0 = start if start is not None else (0, 0)
    height = source.height if start is not None else 0
    truncated = row0 + height > max_rows
    if truncated:
        log.warning("sheet %r has more than %d rows; keeping the first %d", name, max_rows, max_rows)
    wanted = min(height, max_rows - row0)
    block: list[list[Any]] = source.to_python(skip_empty_area=True, nrows=wanted) if wanted > 0 else []
    while block and all(value == "" for value in block[-1]):
        block.pop()
    rows = _anchor(block, row0, col0)

    # The cell library turns error cells into "" and may leave formula cells without a result
    # outside its range: put the error text back and make sure every listed cell is in the grid.
    missing = {p for p in scan.missing if p[0] < max_rows}
    errors = {p: text for p, text in scan.errors.items() if p[0] < max_rows}
    if missing or errors:
        rows = _patch(rows, missing, errors)
    merged = tuple((r0, c0, r1, c1) for (r0, c0), (r1, c1) in source.merged_cell_ranges or ())
    return Sheet(
        name=name,
        visible=visible,
        rows=rows,
        formulas_without_value=frozenset(missing),
        placeholder_formulas=frozenset(p for p in scan.placeholders if p[0] < max_rows),
        merged=merged,
        truncated=truncated,
    )


Grid = tuple[tuple[CellValue, ...], ...]


def _patch(rows: Grid, missing: set[tuple[int, int]], errors: dict[tuple[int, int], str]) -> Grid:
    """Widen and lengthen ``rows`` to cover ``missing`` and ``errors``, and write the error texts."""
    positions = missing | errors.keys()
    width = max(len(rows[0]) if rows else 0, 1 + max(col for _, col in positions))
    height = max(len(rows), 1 + max(row for row, _ in positions))
    grown = [row + ("",) * (width - len(row)) if len(row) < width else row for row in rows]
    if height > len(grown):
        grown.extend([("",) * width] * (height - len(grown)))
    for (row, col), text in errors.items():
        if grown[row][col] == "":
            grown[row] = grown[row][:col] + (text,) + grown[row][col + 1 :]
    return tuple(grown)


def _anchor(block: Sequence[Sequence[CellValue]], row0: int, col0: int) -> Grid:
    """Shift the used block to A1 and give every row the same length.

    The empty rows above the block share one tuple, so a lone value at A1048576 costs one
    pointer per row rather than a million row objects.
    """
    if not block:
        return ()
    width = max(len(row) for row in block)
    if col0 == 0 and all(len(row) == width for row in block):
        body = tuple(map(tuple, block))  # the usual case: calamine's rows are already uniform
    else:
        pad: tuple[CellValue, ...] = ("",) * col0
        body = tuple(pad + tuple(row) + ("",) * (width - len(row)) for row in block)
    if row0 == 0:
        return body
    blank: tuple[CellValue, ...] = ("",) * (col0 + width)
    return (blank,) * row0 + body
