"""One header cell: what its column holds (a donor's name, an amount, a date…) and in which unit.

A header is read by meaning, not by spelling. Its text is normalised (NFKC, every kind of bracket
made ASCII, white space and no-break spaces removed, Latin letters upper-cased, a trailing colon
dropped); its unit is taken off (in brackets ``（万元）`` ``（单位：元）``, after a slash ``/元``, or
glued ``金额元`` ``美元金额``); what is left is cut at separators (``/`` ``、`` ``及`` ``和`` ``或``,
brackets) and each piece into words of `toolkit.parse.vocabulary.HEADER_WORDS`, longest first. A
header with a word the vocabulary does not know is no column of ours.

How the words' roles combine:

- a goods word (品名, 规格, 数量…) makes the column a goods column, whatever else it says;
- 大写 makes it a column of capitals (``金额（大写）``), never the amount: each row's 大写 is checked;
- one role besides name words and fillers wins: 捐赠人类型 is a kind, 捐赠日期 a date;
- name words alone make a name column: 捐赠单位（个人）, 捐赠(单位/姓名）个人, 姓名/单位; but 单位 or 个人
  alone is not a name (a goods list's 单位 is a unit of measure);
- two roles besides name words (金额日期) make no column.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from toolkit.parse.vocabulary import (
    CAPITALS_COLUMN,
    FILLER,
    GOODS,
    HEADER_WORDS,
    NAME,
    NAME_PART,
    UNITS,
)
from toolkit.records import CellValue

__all__ = ["NO_COLUMN", "Column", "describe", "normalise", "read_column", "unit_word"]

_BRACKETS = str.maketrans(
    {"【": "(", "】": ")", "〔": "(", "〕": ")", "[": "(", "]": ")", "{": "(", "}": ")"}
)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff\u2060"))
_BRACKETED = re.compile(r"\(([^()]*)\)|\(([^()]*)$")
_SEPARATORS = re.compile(r"[/()、,;&+|\\-]+|及|和|与|或")
_GLUED_UNITS = sorted((u for u in UNITS if len(u) >= 2 or u == "元"), key=len, reverse=True)
_WORDS = sorted(HEADER_WORDS, key=len, reverse=True)
_LONGEST_WORD = max(map(len, HEADER_WORDS))
_NAME_ROLES = frozenset({NAME, NAME_PART})


@dataclass(frozen=True, slots=True)
class Column:
    """What a header cell says.

    Attributes:
        role: a role of `toolkit.parse.vocabulary` (``"name"``, ``"amount"``, ``"serial"``…), or
            ``None`` when the cell names nothing we know.
        unit: the unit its text names (``"元"``, ``"万元"``, ``"美元"``…), ``None`` when it names none.
        text: the normalised text, for messages.
        unit_only: the cell is a unit and nothing else (``（元）`` under ``捐赠金额`` in a two-row header).
    """

    role: str | None
    unit: str | None = None
    text: str = ""
    unit_only: bool = False


NO_COLUMN = Column(None)


def normalise(text: str) -> str:
    """NFKC, ASCII brackets, no white space or invisible characters, upper case, no trailing colon."""
    folded = unicodedata.normalize("NFKC", text).translate(_BRACKETS).translate(_INVISIBLE)
    return "".join(folded.split()).upper().rstrip(":")


def read_column(value: CellValue) -> Column:
    """The `Column` a header cell describes; `NO_COLUMN` for anything that is not text."""
    if type(value) is not str or not value or value.isspace():
        return NO_COLUMN
    return _read_text(value)


@lru_cache(maxsize=4096)
def _read_text(value: str) -> Column:
    text = normalise(value)
    unit, core = _take_unit(text)
    if not core:
        return Column(None, unit, text, unit_only=unit is not None)
    return Column(_role(core), unit, text)


def _take_unit(text: str) -> tuple[str | None, str]:
    """The unit named in ``text`` and the text without it. A foreign unit wins over 元."""
    whole = unit_word(text)
    if whole is not None:
        return whole, ""
    units: list[str] = []

    def bracket(m: re.Match[str]) -> str:
        unit = unit_word(m[1] if m[1] is not None else m[2])
        if unit is None:
            return m[0]
        units.append(unit)
        return ""

    core = _BRACKETED.sub(bracket, text)
    if "/" in core:
        head, _, tail = core.rpartition("/")
        if tail in UNITS:
            units.append(UNITS[tail])
            core = head
    for unit in _GLUED_UNITS:
        if core.endswith(unit) and len(core) > len(unit) and _role(core[: -len(unit)]) is not None:
            units.append(UNITS[unit])
            core = core[: -len(unit)]
            break
        if core.startswith(unit) and len(core) > len(unit) and _role(core[len(unit) :]) is not None:
            units.append(UNITS[unit])
            core = core[len(unit) :]
            break
    if core in UNITS:  # 人民币（元）, 美元(USD): a unit and nothing else
        units.append(UNITS[core])
        core = ""
    if not units:
        return None, core
    foreign = [u for u in units if u not in ("元", "万元")]
    return (foreign[0] if foreign else units[0]), core


def unit_word(text: str) -> str | None:
    """The unit a normalised text names on its own: ``元``, ``单位:万元``, ``金额单位:元`` → 元 / 万元."""
    for prefix in ("金额单位:", "单位:", "币种:"):
        text = text.removeprefix(prefix)
    return UNITS.get(text)


@lru_cache(maxsize=4096)
def _role(core: str) -> str | None:
    """The role of a header's text without its unit (see the module docstring)."""
    role = HEADER_WORDS.get(core)
    if role is not None:
        return None if role in (FILLER, NAME_PART) else role
    words: list[str] = []
    for part in _SEPARATORS.split(core):
        if part:
            found = _segment(part)
            if found is None:
                return None
            words += found
    roles = {HEADER_WORDS[word] for word in words} - {FILLER}
    if GOODS in roles:
        return GOODS
    if CAPITALS_COLUMN in roles:
        return CAPITALS_COLUMN
    specific = roles - _NAME_ROLES
    if len(specific) == 1:
        return specific.pop()
    if specific or not roles:
        return None
    if NAME in roles or len(words) >= 2:
        return NAME
    return None


def _segment(part: str) -> list[str] | None:
    """``part`` cut into vocabulary words, longest first from the left; ``None`` if it cannot be."""
    words: list[str] = []
    i = 0
    while i < len(part):
        for size in range(min(_LONGEST_WORD, len(part) - i), 0, -1):
            if part[i : i + size] in HEADER_WORDS:
                words.append(part[i : i + size])
                i += size
                break
        else:
            return None
    return words


def describe(columns: list[Column]) -> str:
    """The header as the clerk wrote it, for messages: ``序号、品名、规格型号、数量``."""
    return "、".join(c.text for c in columns if c.text)
