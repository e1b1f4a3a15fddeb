"""CSV and other delimited text exports: one sheet, named after the file, as Excel opens them.

The encoding is UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text") or
GB18030, the superset of the GBK that Excel and WPS write on Chinese Windows
(`toolkit.read.sniff.text_encoding`). The delimiter is the one of comma, tab and semicolon that
splits the first lines most consistently; a first line ``sep=;`` (written by Excel) names it.

A CSV has no cell types. Like Excel, the reader turns a plain decimal number (``500``, ``-3.5``, at
most 15 significant digits) into a ``float``; everything else stays text, including amounts with
separators (``1,000.00``), long digit strings such as transaction numbers, and dates, which the
parse stage reads from text. The caps: the file's size (``max_unpacked_mb``), then the rows
(``max_rows``) and the cells (``max_cells``), checked as the lines are read.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from toolkit import codes
from toolkit.read.caps import SAVE_AS_XLSX, Limits, corrupt, refuse
from toolkit.read.sniff import decode, text_encoding
from toolkit.records import CellValue, Sheet, Workbook

__all__ = ["read_delimited"]

_DELIMITERS = (",", "\t", ";")
_SAMPLE_LINES = 50
_NUMBER = re.compile(r"[+-]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
_MAX_DIGITS = 15


def read_delimited(data: bytes, name: str, limits: Limits) -> Workbook:
    """The `Workbook` of one sheet in the delimited text ``data``."""
    limits.check_file_size(name, len(data))
    try:
        text = decode(data, text_encoding(data) or "utf-8")
    except UnicodeDecodeError:
        refuse(name, codes.FILE_NOT_ZIP)
    text = text.removeprefix("\ufeff")
    first, _, rest = text.partition("\n")
    declared = re.fullmatch(r"sep=(.)", first.strip())
    if declared:
        text = rest
    delimiter = declared.group(1) if declared else _delimiter(text[:65536].splitlines()[:_SAMPLE_LINES])
    sheet = _sheet_name(name)
    # A line's fields are at most its delimiters plus one: a line that would make a row wider than
    # the cell cap is refused before the csv module splits it.
    if text.count(delimiter) >= limits.max_cells:
        for number, line in enumerate(text.split("\n")):
            if line.count(delimiter) >= limits.max_cells:
                limits.check_sheet(name, sheet, number, number, line.count(delimiter))
    rows = _rows(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), name, sheet, limits)
    return Workbook(name=name, sheets=(Sheet(sheet, True, rows),))


def _delimiter(sample: list[str]) -> str:
    """The delimiter that splits most sample lines into the same number (above one) of fields."""

    def score(delimiter: str) -> tuple[int, int]:
        counts = [len(row) for row in csv.reader(sample, delimiter=delimiter) if row]
        split = [n for n in counts if n > 1]
        common = max((split.count(n) for n in set(split)), default=0)
        return common, len(split)

    return max(_DELIMITERS, key=score)


def _rows(reader: Any, name: str, sheet: str, limits: Limits) -> tuple[tuple[CellValue, ...], ...]:
    rows: list[tuple[CellValue, ...]] = []
    width = used = 0
    try:
        for fields in reader:
            rows.append(tuple(_value(field) for field in fields))
            if any(fields):
                used = len(rows)
                width = max(width, len(fields))
                if used * width > limits.max_cells:
                    limits.check_sheet(name, sheet, 0, used - 1, width - 1)
                if used > limits.max_rows:
                    # Count the rest without keeping it, so the report names the real length.
                    for number, rest in enumerate(reader, start=used + 1):
                        if any(rest):
                            used = number
                    limits.check_rows(name, sheet, used)
    except csv.Error as exc:
        corrupt(name, f"第 {reader.line_num} 行不是有效的 CSV（{exc}）", save=SAVE_AS_XLSX)
    del rows[used:]
    # Rows of empty fields may be wider than the used columns: every row is cut or padded to width.
    return tuple(row if len(row) == width else (row + ("",) * width)[:width] for row in rows)


def _value(field: str) -> CellValue:
    if _NUMBER.fullmatch(field) and sum(ch.isdigit() for ch in field.lstrip("+-0.")) <= _MAX_DIGITS:
        return float(field)
    return field


def _sheet_name(file: str) -> str:
    """Excel names a CSV's sheet after the file: the name without its extension, at most 31
    characters, with the characters a sheet name cannot hold (``[]:*?/\\``) replaced by ``_``."""
    stem = file.rsplit(".", 1)[0] if "." in file.lstrip(".") else file
    stem = re.sub(r"[\[\]:*?/\\]", "_", stem).strip("'")
    return (stem or "Sheet1")[:31]
