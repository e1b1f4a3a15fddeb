"""Single cells: what a value is (blank, a number, a date, a serial) and the sheet being read.

`SheetCells` is what every reader of one sheet shares: the grid, the A1 names of its cells and the
list of problems found so far, each located at its cell. The functions read one value and never
record anything.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from toolkit import codes, money
from toolkit.errors import Problem, Severity
from toolkit.parse.vocabulary import ERROR_VALUES
from toolkit.records import CellValue, Sheet, column_letter
from toolkit.text import strip_xml_illegal

__all__ = [
    "SheetCells",
    "blank",
    "error_value_message",
    "is_error_value",
    "numeric_text",
    "parse_date",
    "serial_of",
    "shown",
]

_DATE_TEXT = re.compile(
    r"^(\d{4})\s*(?:年|[-/.])\s*(\d{1,2})\s*(?:月|[-/.])\s*(\d{1,2})\s*(?:日|号)?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DATE_CHINESE = re.compile(
    r"^([〇○零一二三四五六七八九]{4})年(元|[一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})[日号]$"
)
# A weekday after the date: 2020年2月10日（星期一）, 2020-02-10 周一 (after NFKC).
_WEEKDAY = re.compile(r"\s*\(?\s*(?:星期|周|礼拜)([一二三四五六日天])\s*\)?$")
_WEEKDAYS = "一二三四五六日"
_CHINESE_DIGITS = {ch: i for i, ch in enumerate("零一二三四五六七八九")} | {"〇": 0, "○": 0}
_COMPACT_NUMBERS = (19_000_101, 21_001_231)  # 20200205 typed as a number
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SERIAL_DATES = (10_000, 100_000)  # Excel serials accepted as dates: 1927 to 2173


class SheetCells:
    """One sheet being read: grid access, A1 names and the problems found, in the order found."""

    def __init__(self, sheet: Sheet, file: str) -> None:
        self.sheet = sheet
        self.name = sheet.name
        self.file = file
        self.rows = sheet.rows
        self.problems: list[Problem] = []
        self.unknown = sheet.formulas_without_value | sheet.placeholder_formulas
        """Formula cells whose saved value cannot be trusted (none, or a placeholder 0)."""
        self.letters: dict[int, str] = {}
        self._merged_down: dict[tuple[int, int], tuple[int, int]] | None = None

    def merge_origin(self, row: int, col: int) -> tuple[int, int] | None:
        """The top-left cell of a range merged *down* over ``(row, col)`` from a row above, if any."""
        if self._merged_down is None:
            self._merged_down = {
                (r, c): (r0, c0)
                for r0, c0, r1, c1 in self.sheet.merged
                if r1 > r0
                for r in range(r0 + 1, r1 + 1)
                for c in range(c0, c1 + 1)
            }
        return self._merged_down.get((row, col))

    def letter(self, col: int) -> str:
        """The column letters of a 0-based column, cached: ``2`` → ``C``."""
        letter = self.letters.get(col)
        if letter is None:
            letter = self.letters[col] = column_letter(col + 1)
        return letter

    def cell(self, row: int, col: int) -> str:
        """A1 name of a 0-based position."""
        return f"{self.letter(col)}{row + 1}"

    def at(self, row: int, col: int | None) -> CellValue:
        """The value at a 0-based position; ``None`` for no column or past the row's end."""
        if col is None:
            return None
        cells = self.rows[row]
        return cells[col] if col < len(cells) else None

    def problem(
        self, code: str, message: str, row: int, col: int, value: CellValue, *, warn: bool = False
    ) -> None:
        """Record a problem at ``(row, col)``, quoting ``value`` as Excel shows it."""
        severity = Severity.WARNING if warn else Severity.ERROR
        self.problems.append(
            Problem(code, message, severity, self.file, self.name, self.cell(row, col), shown(value))
        )

    def clean(self, text: str, row: int, col: int) -> str:
        """Remove XML-illegal characters (warning ``text.illegal_chars``) and collapse whitespace."""
        cleaned, changed = strip_xml_illegal(text)
        result = " ".join(cleaned.split())
        if changed:
            self.problem(
                codes.TEXT_ILLEGAL_CHARS,
                f"文字中有不可见的控制字符，已删除，请核对内容：“{result}”",
                row,
                col,
                result,
                warn=True,
            )
        return result


def blank(value: CellValue) -> bool:
    """An empty cell: ``None``, ``""`` or white space only."""
    return value is None or value == "" or (type(value) is str and not value.strip())


def shown(value: CellValue) -> str:
    """A cell value as the clerk would read it: ``-5``, not ``-5.0``; dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, float):
        return money.excel_number_text(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def is_error_value(value: CellValue) -> bool:
    """An Excel error such as ``#DIV/0!``."""
    return type(value) is str and value[:1] == "#" and value.strip() in ERROR_VALUES


def error_value_message(value: CellValue) -> str:
    return f"单元格是错误值“{shown(value)}”（公式出错），请改正公式或直接填写数字"


def numeric_text(value: CellValue) -> bool:
    """A number, or text made of digits with at most one decimal point."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return True
    if isinstance(value, str):
        return unicodedata.normalize("NFKC", value).strip().replace(".", "", 1).isdigit()
    return False


def parse_date(value: CellValue) -> dt.date | None:
    """A date from an Excel date, a number or text.

    Numbers: an Excel serial in a General cell (1900 system, 43866 is 2020-02-05) or a date typed
    as digits (20200205). Text: ``2020年2月5日``, ``2020-02-05``, ``2020/2/5``, ``2020.02.05``,
    ``20200205``, ``2020年元月5日``, ``二〇二〇年二月五日``, a time after the date being ignored.
    A weekday after the date (``2020年2月10日（星期一）``, ``(周一)``) must be the date's own: a text
    whose weekday contradicts its date is no date (which of the two is wrong is the clerk's to say).
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not float(value).is_integer():
            return None
        if _SERIAL_DATES[0] <= value < _SERIAL_DATES[1]:
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        if _COMPACT_NUMBERS[0] <= value <= _COMPACT_NUMBERS[1]:
            return parse_date(str(int(value)))
        return None
    if not isinstance(value, str):
        return None
    text = unicodedata.normalize("NFKC", value).strip().replace("元月", "1月")
    weekday = _WEEKDAY.search(text)
    if weekday is not None and weekday.start() > 0:
        date = parse_date(text[: weekday.start()])
        day = _WEEKDAYS.index(weekday[1].replace("天", "日"))
        return date if date is not None and date.weekday() == day else None
    m = _DATE_TEXT.match(text) or _DATE_COMPACT.match(text)
    if m is not None:
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    else:
        m = _DATE_CHINESE.match(text)
        if m is None:
            return None
        year = int("".join(str(_CHINESE_DIGITS[ch]) for ch in m[1]))
        month, day = _chinese_number(m[2]), _chinese_number(m[3])
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _chinese_number(text: str) -> int:
    """一 → 1, 十 → 10, 十五 → 15, 二十 → 20, 三十一 → 31; 元 (元月) → 1."""
    if text == "元":
        return 1
    tens, ten, ones = text.partition("十")
    if not ten:
        return _CHINESE_DIGITS.get(text, 99)
    return (_CHINESE_DIGITS.get(tens, 99) if tens else 1) * 10 + (
        _CHINESE_DIGITS.get(ones, 99) if ones else 0
    )


def serial_of(value: CellValue) -> int | None | str:
    """The 序号 as an int, ``None`` when blank, or ``"bad"`` when it is no whole number."""
    if value is None or value == "":
        return None
    if type(value) is int:
        return value
    if type(value) is float:
        return int(value) if value.is_integer() else "bad"
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        return int(text) if text.isdecimal() else "bad"
    return "bad"
