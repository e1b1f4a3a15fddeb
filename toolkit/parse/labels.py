"""Footer labels: does a cell start with 合计, 大写, 收款人…, and what value does it carry?

The labels and their kinds are data (`toolkit.parse.vocabulary.FOOTER_LABELS`); this module matches
them. Labels may be spaced out for alignment (``收 款 人：``), followed by a colon or a space, and
the longest label wins. A value glued to its label is read only where it cannot start an ordinary
name (``合计50000``, ``大写伍万元整``, ``收款人朱蕊``), so donors such as 单位员工 or 大写意文化公司
stay donors. One cell may hold several labels (``收款人：朱蕊  监督人：刘刚``).

`label_start` is the cheap test the table walk runs on every text cell before any NFKC or regex.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

from toolkit.parse.vocabulary import (
    BREAKDOWN,
    CAPITALS,
    COUNT,
    DATE,
    FOOTER_LABELS,
    ORGANISATION,
    RECEIVER,
    ROLE,
    SUBTOTAL,
    SUPERVISOR,
    TOTAL,
    UNITS,
)

__all__ = ["FIRST_LOOK", "KEY_VALUE_LINE", "Label", "label_start", "match_label", "split_labels"]


class Label(NamedTuple):
    """A footer label found at the start of a cell."""

    kind: str
    """What it introduces: `toolkit.parse.vocabulary.TOTAL`, ``RECEIVER``…"""
    rest: str
    """The value in the same cell after the label (and its colon), stripped; ``""`` when none."""
    label: str
    """The label as found, spaces removed: ``合计``, ``经手人``."""
    qualifier: str = ""
    """What a bracket right after a 合计 or 小计 says: ``2人`` in ``合计（2人）``, ``元`` in ``合计(元)``."""


_BY_LENGTH = sorted(FOOTER_LABELS, key=len, reverse=True)
_LABEL_RE = re.compile(
    "^(?P<label>"
    + "|".join(r"\s*".join(map(re.escape, label)) for label in _BY_LENGTH)
    + r")(?P<gap>\s*:?\s*)(?P<rest>.*)$",
    re.DOTALL,
)
# the heads as typed too: NFKC turns a full-width bracket into an ASCII one
_HEADS = frozenset(head for label in FOOTER_LABELS for head in (label[:2], label[:2].replace("(", "（")))
# A third look for the common names that share two characters with a label (捐赠人… vs 捐赠合计):
# a label of two characters, or the first three characters of a longer one.
_SHORT = frozenset(label for label in FOOTER_LABELS if len(label) == 2)
_SINGLE = frozenset(label for label in FOOTER_LABELS if len(label) == 1)
_LONGER: dict[str, tuple[str, ...]] = {}
for _label in _BY_LENGTH:
    if len(_label) > 2:
        _LONGER[_label[:3]] = (*_LONGER.get(_label[:3], ()), _label)
# A rest glued to the label (“合计50000”, “收款人朱蕊”) is taken only for these kinds.
_CAPITAL_START = frozenset("零壹贰叁肆伍陆柒捌玖拾人")
# A signature cell may hold several labels: “收款人：朱蕊  监督人：刘刚”.
_INNER_LABEL = re.compile(r"\s+(?=(?:" + "|".join(map(re.escape, _BY_LENGTH)) + r")\s*[:：])")
_FOLD = str.maketrans({"：": ":", "\u3000": " ", "\u00a0": " ", "﹕": ":"})
_TEXT_KINDS = frozenset({RECEIVER, SUPERVISOR, ORGANISATION, ROLE})
_FIGURE_KINDS = frozenset({TOTAL, SUBTOTAL})
# A day's 小计 or 合计 inside a list: “2月1日小计”, “2020.2.1合计”, “2020年2月1日（周六）合计” (after NFKC).
_DATED = re.compile(
    r"^(?:\d{2,4}\s*[年./-]\s*)?\d{1,2}\s*(?:月份?|[月./-]\s*\d{1,2}\s*日?)\s*(?:\([^()]{0,8}\))?\s*(?=[小合共])"
)
# A 合计 after a few words (本周合计, 二月份合计, 本表合计, 捐款总数, 汇总): the words say whose sum it is.
_SUFFIXED = re.compile(
    r"^(?P<prefix>[^\d\s:()]{1,5}?)\s*(?P<label>合\s*计|总\s*计|共\s*计|总\s*数|汇\s*总|小\s*计)"
    r"(?P<gap>\s*(?:\((?P<qualifier>[^()]*)\))?\s*:?\s*)(?P<rest>.*)$",
    re.DOTALL,
)
_WHOLE = frozenset(("本表", "以上", "全部", "本次", "本批", "本期", "总", "共", "全", "捐款", "捐赠", "所有"))
"""Words before a 合计 that make it the whole list's; after any other (本周, 二月份, 网络捐款) it is a 小计."""
_SUFFIX_ENDS = "数总"

FIRST_LOOK = (_HEADS, _SINGLE, _SHORT, frozenset(_LONGER))
"""The sets of `label_start`'s first look, for a hot loop that takes it inline (the table walk):
two-character heads, one-character labels, two-character labels, three-character heads. A text
passes the first look when its first two characters are a head and (they are a label, or the third
is no CJK ideograph, or the first three are a three-character head), or when it starts with a
one-character label or a space, or with a digit and holds 计 (a day's 小计), or holds 计 in its
first nine characters or ends in 数 or 总 (本周合计, 汇总)."""

KEY_VALUE_LINE = re.compile(r"^\s*\S{1,8}?\s*[:：]")
"""A ``label: value`` line (制表人：…), never a title."""


def label_start(value: str) -> bool:
    """False when ``value`` (non-empty text) surely starts with no label; True when it may.

    Looks at two or three characters only, so that the table walk stays fast; a text starting with a
    digit may be a day's 小计 (``2月1日小计``) when it holds 计.
    """
    if value[0].isdigit():
        return "计" in value
    if "计" in value[:9] or value[-1] in _SUFFIX_ENDS:
        return True  # maybe 本周合计, 汇总
    head = value[:2]
    if head not in _HEADS:
        return value[0] in _SINGLE or value[0].isspace() or value[1:2].isspace()
    if head in _SHORT or not ("\u4e00" <= value[2:3] <= "\u9fff"):
        return True
    # A CJK ideograph (NFKC leaves it alone) third: the start of a longer label, or no label at all
    # (捐赠人甲 is no 捐赠人数).
    longer = _LONGER.get(value[:3])
    if longer is None:
        return False
    if value.startswith(longer):
        return True
    start = value[:16]
    if start.isalnum():
        return False  # no bracket, colon or space for NFKC to change: the label would have matched
    return "".join(unicodedata.normalize("NFKC", start).split()).startswith(longer)


def match_label(text: str) -> Label | None:
    """``Label("total", "50000", "合计")`` for ``合计：50000``; ``None`` when ``text`` is no footer label."""
    # Only colons and spaces are folded to half width: the value keeps what the clerk typed, so
    # full-width brackets in an organisation's name stay full-width.
    norm = unicodedata.normalize("NFKC", text).strip()
    if norm[:1].isdigit():
        return _dated_subtotal(norm)
    m = _LABEL_RE.match(norm)
    if m is None:
        return _suffixed(norm)
    label = "".join(m["label"].split())
    kind = FOOTER_LABELS[label]
    rest = m["rest"].strip()
    gap = m["gap"]
    qualifier = ""
    if kind in _FIGURE_KINDS and rest.startswith("(") and ")" in rest:
        # 合计（2人）, 合计(元): the bracket qualifies the label; the figure follows it or is beside it
        qualifier, _, rest = rest[1:].partition(")")
        qualifier, rest, gap = qualifier.strip(), rest.strip().removeprefix(":").strip(), ")"
    elif kind in _FIGURE_KINDS and rest in UNITS:  # 合计人民币, 合计元
        qualifier, rest = rest, ""
    if kind in _TEXT_KINDS:
        narrow = _LABEL_RE.match(text.translate(_FOLD).strip())
        if narrow is not None and FOOTER_LABELS["".join(narrow["label"].split())] == kind:
            rest = narrow["rest"].strip()
    if rest and not gap and not _glued_ok(kind, label, rest):
        return _suffixed(norm)
    return Label(kind, rest, label, qualifier)


def _suffixed(norm: str) -> Label | None:
    """``本周合计`` (a 小计), ``本表合计`` (a 合计), ``汇总：300``; ``None`` for a name (某某总计划)."""
    if len(norm) > 40 or not ("计" in norm[:9] or norm[-1:] in _SUFFIX_ENDS or ":" in norm):
        return None
    m = _SUFFIXED.match(norm)
    if m is None:
        return None
    rest = m["rest"].strip()
    if rest and ":" not in m["gap"] and not (rest[0].isdigit() or rest[0] == "¥"):
        return None
    label = "".join(m["label"].split())
    kind = TOTAL if m["prefix"] in _WHOLE and label != "小计" else SUBTOTAL
    return Label(kind, rest, m["prefix"] + label, (m["qualifier"] or "").strip())


def _dated_subtotal(norm: str) -> Label | None:
    """A day's 小计 or 合计 (``2月1日小计``, ``1.25合计：300``) is a 小计 of the list; else ``None``."""
    m = _DATED.match(norm)
    if m is None:
        return None
    label = match_label(norm[m.end() :])
    if label is None or label.kind not in _FIGURE_KINDS:
        return None
    return label._replace(kind=SUBTOTAL)


def split_labels(value: str) -> list[str]:
    """The parts of a cell holding several labels: ``收款人：朱蕊  监督人：刘刚`` → two parts."""
    return _INNER_LABEL.split(value)


def _glued_ok(kind: str, label: str, rest: str) -> bool:
    """May a value follow the label with no colon or space (“合计50000”, “收款人朱蕊”)?

    Only when it cannot be the start of an ordinary name: a number after a total, a count or a date,
    a capital numeral after 大写, a name after a label ending in 人 or 员 (收款人朱蕊, 经手人王丽).
    """
    first = rest[0]
    if kind in (TOTAL, SUBTOTAL, DATE, COUNT):
        return first.isdigit() or first == "¥"
    if kind == CAPITALS:
        return first in _CAPITAL_START
    if kind == BREAKDOWN:
        return True  # 其中网络捐款
    return kind in (RECEIVER, SUPERVISOR, ROLE) and label[-1] in "人员"
