"""Zip-based workbooks (.xlsx, .xlsm, .ods): the zip-bomb guards, then what the zip holds.

`Package.open` checks, in this order and before the cell library sees the bytes:

1. the zip directory (``file.truncated``), the declared sizes (``file.too_large``) and compression
   ratios (``file.too_compressed``), decided from the directory alone, before anything is inflated;
2. what the zip holds: an OOXML workbook (``xl/workbook.xml``) or an OpenDocument spreadsheet
   (``mimetype``), else ``file.docx``, ``file.xlsb``, ``file.unsupported_format`` (Apple Numbers)
   or ``file.not_workbook``;
3. every member is inflated with its declared size as a hard limit and its CRC checked
   (``file.corrupt``); the cell library inflates members itself and does not stop at the declared
   size, so a member whose deflate stream produces more than the directory says is refused here;
4. DTDs and entity declarations in any member (``file.unsafe_xml``).
"""

from __future__ import annotations

import enum
import io
import logging
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from toolkit import codes
from toolkit.read.caps import RATIO_FLOOR_BYTES, Limits, corrupt, refuse

__all__ = ["Package", "ZipFormat"]

log = logging.getLogger(__name__)

_INFLATE_CHUNK = 1 << 20
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"

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


class ZipFormat(enum.Enum):
    XLSX = "xlsx"
    ODS = "ods"


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
class Package:
    """The zip's members after the size, kind, CRC and XML-safety checks.

    ``cache`` holds the inflated members the format reader asked to keep; `part` inflates others
    again on demand.
    """

    data: bytes
    name: str
    format: ZipFormat
    infos: dict[str, zipfile.ZipInfo]
    cache: dict[str, bytes] = field(default_factory=dict)

    @classmethod
    def open(cls, data: bytes, name: str, limits: Limits) -> Package:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                infos = archive.infolist()
        except _ZIP_ERRORS as exc:
            log.info("%s：压缩包目录无法读取：%s", name, exc)
            refuse(name, codes.FILE_TRUNCATED)

        limits.check_file_size(name, sum(info.file_size for info in infos))
        for info in infos:
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > RATIO_FLOOR_BYTES and ratio > limits.max_ratio:
                refuse(
                    name,
                    codes.FILE_TOO_COMPRESSED,
                    value=info.filename,
                    part=info.filename,
                    size_mb=f"{info.file_size / 2**20:,.0f}",
                    ratio=f"{ratio:,.0f}",
                )

        by_name: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            if info.filename in by_name:
                corrupt(name, f"压缩包中“{info.filename}”出现了两次")
            by_name[info.filename] = info
        package = cls(data, name, ZipFormat.XLSX, by_name)
        package.format = package._format()
        keep = _KEEP[package.format]
        for info in infos:
            # Every member, whatever its name: the cell library follows the relationships, not
            # the file extensions, so any member may be one it parses.
            content = package._inflate(info)
            if _has_unsafe_xml(content):
                refuse(name, codes.FILE_UNSAFE_XML, value=info.filename, part=info.filename)
            if keep(info.filename):
                package.cache[info.filename] = content
        return package

    def _format(self) -> ZipFormat:
        infos, name = self.infos, self.name
        if "xl/workbook.xml" in infos:
            return ZipFormat.XLSX
        if "mimetype" in infos and self._inflate(infos["mimetype"]).startswith(_ODS_MIMETYPE):
            return ZipFormat.ODS
        if "word/document.xml" in infos or (
            "mimetype" in infos and self._inflate(infos["mimetype"]).startswith(_ODT_MIMETYPE)
        ):
            refuse(name, codes.FILE_DOCX)
        if "xl/workbook.bin" in infos:
            refuse(name, codes.FILE_XLSB)
        if "Index/Document.iwa" in infos or "Index.zip" in infos:
            refuse(name, codes.FILE_UNSUPPORTED_FORMAT, kind="Apple Numbers 表格（.numbers）")
        if name.lower().endswith((".et", ".ett")):  # the bytes said "zip"; the name only words the advice
            refuse(name, codes.FILE_UNSUPPORTED_FORMAT, kind="一种 toolkit 不认识的 WPS 表格格式")
        refuse(name, codes.FILE_NOT_WORKBOOK)

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
        """Inflate one member, never producing more than its declared size, and check its CRC."""
        name, data, member = self.name, self.data, info.filename
        offset = info.header_offset
        header = data[offset : offset + 30]
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            corrupt(name, f"找不到“{member}”的数据")
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        start = offset + 30 + name_len + extra_len
        packed = memoryview(data)[start : start + info.compress_size]
        if len(packed) < info.compress_size:
            refuse(name, codes.FILE_TRUNCATED)
        if info.flag_bits & 0x1:
            corrupt(name, f"“{member}”使用了压缩包密码")
        if info.compress_type == zipfile.ZIP_STORED:
            content = bytes(packed)
        elif info.compress_type == zipfile.ZIP_DEFLATED:
            content = self._inflate_deflated(packed, info)
        else:
            corrupt(name, f"“{member}”使用了不支持的压缩方式 {info.compress_type}")
        if len(content) != info.file_size or zlib.crc32(content) != info.CRC:
            corrupt(name, f"“{member}”校验失败")
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
                    corrupt(self.name, f"“{info.filename}”的实际大小与记录不符")
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
            log.info("%s：%s 无法解压：%s", self.name, info.filename, exc)
            corrupt(self.name, f"“{info.filename}”无法解压")
        if not inflater.eof:
            corrupt(self.name, f"“{info.filename}”的压缩数据不完整")
        return b"".join(chunks)


_KEEP: dict[ZipFormat, Callable[[str], bool]] = {
    ZipFormat.XLSX: lambda member: member.startswith("xl/") and member.lower().endswith(".xml"),
    ZipFormat.ODS: lambda member: member in {"content.xml", "META-INF/manifest.xml"},
}
