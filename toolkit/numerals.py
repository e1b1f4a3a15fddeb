"""Issue numbers as bulletins write them: 第八期, 第十期, 第二十一期, 第一百期, and back.

Pure. `chinese_number` writes a whole number in everyday Chinese numerals (not the financial capitals
of `toolkit.money`): ``8`` → 八, ``10`` → 十, ``21`` → 二十一, ``100`` → 一百, ``105`` → 一百零五,
``110`` → 一百一十. `read_number` reads those back, Arabic digits (half- or full-width) too.
`issue_line` is the issue line of a bulletin (第八期, 第八期（更正）), and `stated_issue` finds a
number a clerk wrote into a workbook's title or its file name (``第9期``, ``第七期—1``).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "MAX_ISSUE",
    "chinese_number",
    "correction_mark",
    "issue_line",
    "read_issue",
    "read_number",
    "stated_issue",
]

MAX_ISSUE = 99_999_999
"""The largest issue number toolkit writes or reads (九千九百九十九万…)."""

_DIGITS = "零一二三四五六七八九"
_DIGIT_VALUES = {ch: i for i, ch in enumerate(_DIGITS)} | {"〇": 0, "两": 2}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_PLACES = ((1000, "千"), (100, "百"), (10, "十"), (1, ""))


def _below_10000(n: int, *, leading: bool) -> str:
    """1 ≤ n < 10000. ``leading`` drops the 一 of a leading 一十 (十一, not 一十一)."""
    out: list[str] = []
    zero = False
    for value, unit in _PLACES:
        digit = n // value % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        if not (digit == 1 and value == 10 and leading and not out):
            out.append(_DIGITS[digit])
        out.append(unit)
    return "".join(out)


def chinese_number(n: int) -> str:
    """A whole number in Chinese numerals, as an issue number is written: 21 → 二十一.

    Raises:
        ValueError: ``n`` is below 1 or above `MAX_ISSUE`.
    """
    if not 1 <= n <= MAX_ISSUE:
        raise ValueError(f"issue number out of range: {n}")
    high, low = divmod(n, 10_000)
    if not high:
        return _below_10000(low, leading=True)
    text = _below_10000(high, leading=True) + "万"
    if low:
        text += ("零" if low < 1000 else "") + _below_10000(low, leading=False)
    return text


def _read_below_10000(text: str) -> int | None:
    total = 0
    digit: int | None = None
    last_unit = 10_000
    for ch in text:
        if ch in _DIGIT_VALUES:
            if digit is not None and digit != 0:
                return None  # two digits in a row: 二三
            digit = _DIGIT_VALUES[ch]
        elif ch in _UNITS:
            unit = _UNITS[ch]
            if unit >= last_unit:
                return None  # 十百, 百百
            if digit == 0:
                return None  # 零十
            total += (1 if digit is None else digit) * unit
            digit = None
            last_unit = unit
        else:
            return None
    if digit:
        total += digit
    return total


def read_number(text: str) -> int | None:
    """The whole number written in ``text`` (八, 二十一, 一百零五, 8, ８), or None if it is not one."""
    text = unicodedata.normalize("NFKC", text).strip()
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return int(text)
    high, sep, low = text.partition("万")
    if sep:
        upper = _read_below_10000(high) if high else None
        lower = _read_below_10000(low) if low else 0
        if upper is None or lower is None:
            return None
        return upper * 10_000 + lower
    return _read_below_10000(text)


_ISSUE = re.compile(r"第\s*([0-9０-９]+|[〇零一二两三四五六七八九十百千万]+)\s*期")


def read_issue(text: str) -> int | None:
    """An issue number as a clerk may type it: ``第八期``, ``八``, ``第8期``, ``8``; None otherwise."""
    text = text.strip()
    found = _ISSUE.fullmatch(text)
    number = read_number(found.group(1) if found else text)
    return number if number is not None and 1 <= number <= MAX_ISSUE else None


def stated_issue(*texts: str | None) -> int | None:
    """The first issue number written as ``第…期`` in ``texts`` (a title row, a file name)."""
    for text in texts:
        for found in _ISSUE.finditer(text or ""):
            number = read_number(found.group(1))
            if number is not None and 1 <= number <= MAX_ISSUE:
                return number
    return None


def correction_mark(correction: int) -> str:
    """What marks a correction: ``""`` for none, ``（更正）``, then ``（第二次更正）``…"""
    if correction <= 0:
        return ""
    return "（更正）" if correction == 1 else f"（第{chinese_number(correction)}次更正）"


def issue_line(number: int, correction: int = 0) -> str:
    """The issue line: ``第八期``; a correction adds ``（更正）``, a later one ``（第二次更正）``."""
    return f"第{chinese_number(number)}期{correction_mark(correction)}"
