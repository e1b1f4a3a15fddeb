"""What a file is, told by its bytes alone: never by its name.

`sniff` looks at the first bytes: a zip (``PK``) is an .xlsx, .xlsm, .ods, .xlsb, .docx or Apple
Numbers file (the members tell which, see `toolkit.read.package`); an OLE2 compound file
(``D0 CF 11 E0``) is an .xls, a WPS .et, an encrypted workbook or an old Word document (its streams
tell which, see `toolkit.read.xls`); text is a CSV export, or a web page or XML file that a program
saved under a spreadsheet's name. `text_encoding` picks the encoding a CSV is read with.
"""

from __future__ import annotations

import codecs
import enum

__all__ = ["CFB_MAGIC", "Kind", "decode", "sniff", "text_encoding"]

CFB_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_SAMPLE = 64 * 1024
_DELIMITERS = (",", "\t", ";")


class Kind(enum.Enum):
    """The broad kind of a file, from its first bytes."""

    ZIP = "zip"
    COMPOUND = "compound file"
    TEXT = "delimited text"
    HTML = "web page"
    XML = "xml"
    UNKNOWN = "unknown"


def sniff(data: bytes) -> Kind:
    """The `Kind` of ``data`` (non-empty)."""
    if data.startswith(_ZIP_MAGICS):
        return Kind.ZIP
    if data.startswith(CFB_MAGIC):
        return Kind.COMPOUND
    encoding = text_encoding(data)
    if encoding is None:
        return Kind.UNKNOWN
    text = _decode_sample(data[:_SAMPLE], encoding).lstrip("\ufeff \t\r\n")
    head = text[:4096].lower()
    if head.startswith(("<!doctype html", "<html", "mime-version:")) or (
        head.startswith("<") and "<table" in head
    ):
        return Kind.HTML
    if head.startswith("<?xml") or head.startswith("<"):
        return Kind.XML
    if any(delimiter in text for delimiter in _DELIMITERS):
        return Kind.TEXT
    return Kind.UNKNOWN


def text_encoding(data: bytes) -> str | None:
    """The encoding ``data`` reads as: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030.

    GB18030 is a superset of GBK and GB2312, which Excel and WPS use for CSV on Chinese Windows.
    ``None`` when a sample of the bytes is not printable text in any of them.
    """
    sample = data[:_SAMPLE]
    if sample.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = _decode_sample(sample, encoding)
        except UnicodeDecodeError:
            continue
        if not text.strip() or "\x00" in text:
            continue
        printable = sum(1 for ch in text if ch.isprintable() or ch in "\t\r\n")
        if printable >= 0.95 * len(text):
            return encoding
    return None


def decode(data: bytes, encoding: str) -> str:
    """All of ``data`` as text; UTF-8 that turns out invalid past the sample is read as GB18030.

    Raises:
        UnicodeDecodeError: the bytes are not valid in the encoding.
    """
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        if encoding != "utf-8":
            raise
        return data.decode("gb18030")


def _decode_sample(sample: bytes, encoding: str) -> str:
    # final=False: the sample may end in the middle of a multi-byte character.
    return codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
