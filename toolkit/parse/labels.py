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

from toolkit.parse.vocabulary import (
    CAPITALS,
    DATE,
    FOOTER_LABELS,
    ORGANISATION,
    RECEIVER,
    SUBTOTAL,
    SUPERVISOR,
    TOTAL,
)

__all__ = ["KEY_VALUE_LINE", "label_start", "match_label", "split_labels"]

_BY_LENGTH = sorted(FOOTER_LABELS, key=len, reverse=True)
_LABEL_RE = re.compile(
    "^(?P<label>"
    + "|".join(r"\s*".join(map(re.escape, label)) for label in _BY_LENGTH)
    + r")(?P<gap>\s*:?\s*)(?P<rest>.*)$",
    re.DOTALL,
)
_HEADS = frozenset(label[:2] for label in FOOTER_LABELS)
# A third look for the common names that share two characters with a label (捐赠人… vs 捐赠合计):
# a label of two characters, or the first three characters of a longer one.
_SHORT = frozenset(label for label in FOOTER_LABELS if len(label) == 2)
_HEADS3 = frozenset(label[:3] for label in FOOTER_LABELS if len(label) > 2)
# A rest glued to the label (“合计50000”, “收款人朱蕊”) is taken only for these kinds.
_CAPITAL_START = frozenset("零壹贰叁肆伍陆柒捌玖拾人")
# A signature cell may hold several labels: “收款人：朱蕊  监督人：刘刚”.
_INNER_LABEL = re.compile(r"\s+(?=(?:" + "|".join(map(re.escape, _BY_LENGTH)) + r")\s*[:：])")
_FOLD = str.maketrans({"：": ":", "\u3000": " ", "\u00a0": " ", "﹕": ":"})
_TEXT_KINDS = frozenset({RECEIVER, SUPERVISOR, ORGANISATION})

KEY_VALUE_LINE = re.compile(r"^\s*\S{1,8}?\s*[:：]")
"""A ``label: value`` line (制表人：…), never a title."""


def label_start(value: str) -> bool:
    """False when ``value`` (non-empty text) surely starts with no label; True when it may.

    Looks at two or three characters only, so that the table walk stays fast.
    """
    head = value[:2]
    if head not in _HEADS:
        return value[0].isspace() or value[1:2].isspace()
    # a CJK ideograph (NFKC leaves it alone) that continues no label
    return head in _SHORT or not ("\u4e00" <= value[2:3] <= "\u9fff") or value[:3] in _HEADS3


def match_label(text: str) -> tuple[str, str] | None:
    """``("total", "50000")`` for ``合计：50000``; ``None`` when ``text`` is no footer label."""
    # Only colons and spaces are folded to half width: the value keeps what the clerk typed, so
    # full-width brackets in an organisation's name stay full-width.
    norm = unicodedata.normalize("NFKC", text).strip()
    m = _LABEL_RE.match(norm)
    if m is None:
        return None
    kind = FOOTER_LABELS["".join(m["label"].split())]
    rest = m["rest"].strip()
    if kind in _TEXT_KINDS:
        narrow = _LABEL_RE.match(text.translate(_FOLD).strip())
        if narrow is not None and FOOTER_LABELS["".join(narrow["label"].split())] == kind:
            rest = narrow["rest"].strip()
    if rest and not m["gap"] and not _glued_ok(kind, m["label"], rest):
        return None
    return kind, rest


def split_labels(value: str) -> list[str]:
    """The parts of a cell holding several labels: ``收款人：朱蕊  监督人：刘刚`` → two parts."""
    return _INNER_LABEL.split(value)


def _glued_ok(kind: str, label: str, rest: str) -> bool:
    """May a value follow the label with no colon or space (“合计50000”, “收款人朱蕊”)?

    Only when it cannot be the start of an ordinary name: a number after a total or a date, a
    capital numeral after 大写, a name after a label ending in 人 or 员.
    """
    first = rest[0]
    if kind in (TOTAL, SUBTOTAL, DATE):
        return first.isdigit() or first == "¥"
    if kind == CAPITALS:
        return first in _CAPITAL_START
    return kind in (RECEIVER, SUPERVISOR) and label[-1] in "人员"
