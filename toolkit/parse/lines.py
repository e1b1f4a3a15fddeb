"""A line under a donor list, standing alone in its row: what is it?

Real lists end with lines that are no donors: a ``注：…`` note, the organisation, a date in any form,
a line of roles (``经手人：王丽 审核人：赵刚``), a count (``共45人``), a unit (``单位：元``), the form's
``以下空白`` (nothing follows). `line_kind`
names what a lone cell is; the table walk uses it to tell such lines from a donor without an amount,
and the footer reader to read them. A line of none of these kinds is reported, never counted.

Above a list, a sentence (``截至…，我会共接收捐款3笔，金额合计900元，现公示如下：``) is an introduction,
never the title (`is_intro`); the total it or the title states (`stated_total`) is checked against the
list.

The organisation: a line ending like one (协会, 公司…), its stamp mark removed (``X协会（盖章）``), but
never a line of thanks (``特别感谢某某物流公司``). A bank (``中国农业银行某某支行``, under 捐款账户) is
the organisation only when no other line names one (`is_bank`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence

from toolkit.parse.cells import blank, parse_date
from toolkit.parse.columns import read_column
from toolkit.parse.labels import KEY_VALUE_LINE, match_label
from toolkit.parse.vocabulary import COUNT_UNITS, NOTE, ORGANISATION_ENDINGS, UNITS
from toolkit.records import CellValue

__all__ = [
    "BANK_ENDINGS",
    "DATE_LINE",
    "END_LINE",
    "LABEL_LINE",
    "NOTE_LINE",
    "ORGANISATION_LINE",
    "SUMMARY_LINE",
    "THANKS_WORDS",
    "UNIT_LINE",
    "is_footer_line",
    "line_kind",
    "is_bank",
    "is_intro",
    "looks_like_organisation",
    "organisation_name",
    "read_count",
    "read_summary",
    "stated_total",
    "stated_unit",
]

NOTE_LINE = "note"
DATE_LINE = "date"
LABEL_LINE = "label"
SUMMARY_LINE = "summary"
UNIT_LINE = "unit"
ORGANISATION_LINE = "organisation"
END_LINE = "end"
"""``以下空白``: the form's mark that nothing follows; nothing to read."""

THANKS_WORDS = ("感谢", "鸣谢", "致谢", "谢谢", "谢意", "致敬")
"""A line holding one of these thanks someone (特别感谢某某物流公司): it never names the organisation."""
BANK_ENDINGS = ("银行", "支行", "分行", "营业部", "信用社", "储蓄所", "分理处")
"""How a bank's name ends: under a list it is the account's bank, the organisation only as a last resort."""
_STAMP = re.compile(r"\s*[(（]\s*(?:盖章|盖公章|章|公章|签章|印章|签字盖章|签名盖章)\s*[)）]\s*$")
"""A stamp mark after the organisation's name: ``（盖章）``, ``(签章)``."""
_END_MARK = re.compile(r"^[(（]?\s*以下(?:空白|无正文|无内容|无|为空)\s*[)）]?[。.]?$")
_NOTE_START = re.compile(r"^(?:注|备注|说明|附注|注释|※)\s*[0-9一二三]?\s*[:：、.]")
_UNITS = "|".join(sorted(COUNT_UNITS, key=len, reverse=True))
_COUNT = re.compile(rf"(\d+)\s*(?:{_UNITS})|(?:人数|笔数)\s*[:：]?\s*(\d+)")
_COUNT_ONLY = re.compile(rf"^(?:共计|共|合计|总计|计)?\s*(?:捐款|捐赠|收到)?\s*(\d+)\s*(?:{_UNITS})(?:次)?$")
_SUMMARY_START = re.compile(r"^(?:共计|共|合计|总计|累计共|捐赠人数|捐款人数)")
_NUMBER = r"([¥]?\s*\d[\d,]*(?:\.\d+)?)"
# An amount in a sentence: after 金额/合计/共计…, or followed by 元; never a number of donors (45笔).
_AMOUNT_IN_TEXT = re.compile(
    rf"(?:金额|总额|合计|共计|总计|计|捐款|善款)\s*[:：]?\s*(?:人民币)?\s*{_NUMBER}(?![\d.,]|\s*(?:{_UNITS}))\s*(万元|元)?"
    rf"|{_NUMBER}\s*(万元|元)"
)


def line_kind(value: CellValue) -> str | None:
    """What a lone cell under a list is: one of the ``*_LINE`` kinds, or ``None`` (unrecognised)."""
    if isinstance(value, dt.date):
        return DATE_LINE
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    if not isinstance(value, str):
        return DATE_LINE if parse_date(value) is not None else None
    text = unicodedata.normalize("NFKC", value).strip()
    if not text:
        return None
    if read_column(text).unit_only:
        return UNIT_LINE
    if _NOTE_START.match(text):
        return NOTE_LINE
    if _END_MARK.match(text):
        return END_LINE
    label = match_label(value)
    if label is not None:
        return NOTE_LINE if label.kind == NOTE else LABEL_LINE
    if parse_date(text) is not None:
        return DATE_LINE
    if _SUMMARY_START.match(text) and (_COUNT.search(text) or _AMOUNT_IN_TEXT.search(text)):
        return SUMMARY_LINE
    if looks_like_organisation(text):
        return ORGANISATION_LINE
    if KEY_VALUE_LINE.match(text):
        return LABEL_LINE
    return None


def is_footer_line(row: Sequence[CellValue]) -> bool:
    """The row's one filled cell reads as a footer line (note, date, label, organisation…)."""
    filled = [v for v in row if not blank(v)]
    return len(filled) == 1 and line_kind(filled[0]) is not None


def looks_like_organisation(text: str) -> bool:
    """Ending like an organisation's name (协会, 红十字会, 公司…), with a name before the ending:
    ``X协会``, ``新疆质协``, but not ``会`` or a person's name such as ``李会``."""
    text = organisation_name("".join(text.split()))
    if KEY_VALUE_LINE.match(text) or any(word in text for word in THANKS_WORDS):
        return False
    ending = next((e for e in ORGANISATION_ENDINGS if text.endswith(e)), None)
    return ending is not None and len(text) >= max(len(ending) + 1, 4 if len(ending) == 1 else 3)


def organisation_name(text: str) -> str:
    """The organisation's name without a stamp mark after it: ``X协会（盖章）`` → ``X协会``."""
    return _STAMP.sub("", text)


def is_bank(text: str) -> bool:
    """A bank's name: ``中国农业银行某某支行``, ``某某信用社``."""
    return organisation_name("".join(text.split())).endswith(BANK_ENDINGS)


_INTRO_LENGTH = 50
_INTRO_END = (":", "。")
# A total stated in a sentence or a title: 金额合计900元, （合计：500元）, 共收到捐款1.2万元; never a
# threshold (捐款1000元以上) and never a cumulative figure (累计, skipped whole).
_STATED = re.compile(
    rf"(?:(?:合计|共计|总计|总额|总金额)\s*:?\s*(?:人民币)?\s*{_NUMBER}\s*(万元|元)?"
    rf"|共[^\d,]{{0,12}}?{_NUMBER}\s*(万元|元))(?![\d.]|\s*(?:以上|以下|及以上|及以下))"
)


def is_intro(text: str) -> bool:
    """A sentence rather than a title: long, or with a comma and ending in a colon or a full stop
    (``…，现公示如下：``)."""
    norm = unicodedata.normalize("NFKC", text).strip()
    return len(norm) > _INTRO_LENGTH or ("," in norm and norm.endswith(_INTRO_END)) or norm.endswith("如下:")


def stated_total(text: str) -> str | None:
    """The total a title or an introduction states, with its unit (``900元``, ``1.2万元``), or ``None``;
    a cumulative figure (``累计``) is no total of this list."""
    norm = unicodedata.normalize("NFKC", text)
    if "累计" in norm:
        return None
    m = _STATED.search(norm)
    if m is None:
        return None
    number, unit = (m[1], m[2]) if m[1] is not None else (m[3], m[4])
    return "".join(number.split()) + (unit or "")


def read_count(text: str) -> int | None:
    """The number of donors in ``746人次``, ``共45人``, ``60笔``; ``None`` for any other text."""
    m = _COUNT_ONLY.match("".join(unicodedata.normalize("NFKC", text).split()))
    return int(m[1]) if m else None


def read_summary(text: str) -> tuple[int | None, str | None]:
    """``(count, amount text)`` found in a sentence such as ``共计45笔，合计50000元``; either may be None.

    The amount text keeps its unit (``8550.11万元``) so that the caller reads it in the right unit.
    """
    norm = unicodedata.normalize("NFKC", text)
    count = _COUNT.search(norm)
    amount = _AMOUNT_IN_TEXT.search(norm)
    figure = None
    if amount is not None:
        number, unit = (amount[1], amount[2]) if amount[1] is not None else (amount[3], amount[4])
        figure = "".join(number.split()) + (unit or "")
    return (int(count[1] or count[2]) if count else None), figure


_STATED_UNIT = re.compile(
    r"单位\s*(?:为|是|:)?\s*(人民币万元|人民币元|人民币|万元|美元|港币|港元|欧元|日元|英镑|元)"
)


def stated_unit(text: str) -> str | None:
    """The unit a sentence says the amounts are in (``注：金额单位为万元`` → 万元), a key of `UNITS`."""
    m = _STATED_UNIT.search(unicodedata.normalize("NFKC", text))
    return m[1] if m is not None and m[1] in UNITS else None
