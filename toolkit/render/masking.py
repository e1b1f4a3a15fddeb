"""Masking donors' names in a public bulletin: an individual's given name is hidden, an organisation's
name stays whole (the ``mask_names`` setting).

A masked name keeps its first character and puts one ``*`` for the rest, whatever its length:
``张三`` → ``张*``, ``欧阳娜娜`` → ``欧*``, ``文山江·牙克丹`` → ``文*``. A note in brackets at the end
stays: ``李四（现金）`` → ``李*（现金）``.

Who is an individual (`is_individual`):

1. The 类型 column decides where the sheet has one: 个人 is masked, 单位 is not.
2. Otherwise the name decides, by the rules below, read from the data tables `WHOLE_NAME_WORDS`
   and `WHOLE_NAME_ENDINGS`. A name is an organisation (kept whole) when it holds one of the
   organisation words anywhere (公司, 协会, 银行, 医院, 学校, 集团, 基金会, 委员会, 中心, 商会,
   工作室…) or ends with one of the organisation endings (局, 厅, 店, 部, 厂, 院…). It is an
   individual when it then looks like a person's name: 2 to 4 Chinese characters, or Chinese parts
   joined by a middle dot (``·``), as minority names are written. Anything else (names with Latin
   letters or digits, longer names) is kept whole, since toolkit cannot tell; give the sheet a
   类型 column to decide each one.

A name already masked (holding ``*``), and a row that names nobody (`NOT_NAMES`: 现金, 匿名…), is
shown as it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = [
    "NOT_NAMES",
    "WHOLE_NAME_ENDINGS",
    "WHOLE_NAME_WORDS",
    "is_individual",
    "mask_name",
    "masked_names",
]

WHOLE_NAME_WORDS: tuple[str, ...] = (
    "公司", "协会", "学会", "商会", "基金会", "委员会", "联合会", "银行", "医院", "卫生院", "诊所",
    "学校", "大学", "学院", "中学", "小学", "幼儿园", "集团", "基金", "中心", "工作室", "政府",
    "党委", "支部", "红十字", "慈善", "合作社", "事务所", "研究院", "研究所", "俱乐部", "超市",
    "药店", "药房", "酒店", "饭店", "门诊", "社区", "村委", "居委", "办公室", "有限", "股份",
    "全体", "员工", "职工", "同学", "校友", "家人", "工作者", "志愿者", "爱心人士", "团队", "单位",
    "部门", "机关", "企业", "工厂", "商行", "车队", "协作组",
)  # fmt: skip
"""Words that make a name an organisation's (or a group's) wherever they stand in it."""

WHOLE_NAME_ENDINGS: tuple[str, ...] = (
    "局", "厅", "店", "部", "厂", "院", "所", "社", "队", "站", "馆", "处", "室", "团", "组",
    "班", "校", "们",
)  # fmt: skip
"""Last characters that make a name an organisation's. Characters that also end given names
(会, 行, 园, 科…) are not listed: a person named so must never be left unmasked. This is why the
list is not `toolkit.parse.vocabulary.ORGANISATION_ENDINGS`, which finds the organisation's line
under a list and may be generous."""

NOT_NAMES: frozenset[str] = frozenset({"现金", "匿名", "无名氏", "佚名", "不具名", "不留名"})
"""Rows that name nobody (cash in the box, an anonymous gift): shown as they are."""

INDIVIDUAL, ORGANISATION = "个人", "单位"
"""The 类型 values that decide without the rules."""

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_DOTS = re.compile(r"[·•・‧]")
_NOTE = re.compile(r"^(?P<base>[^（(]+?)\s*(?P<note>[（(][^（()）]*[)）])$")
_MASK = "*"


def _looks_like_a_person(name: str) -> bool:
    parts = _DOTS.split(name)
    if len(parts) == 1:
        return bool(_HAN.fullmatch(name)) and 2 <= len(name) <= 4
    return all(_HAN.fullmatch(part) for part in parts)


def _base_and_note(name: str) -> tuple[str, str]:
    found = _NOTE.match(name)
    return (found.group("base"), found.group("note")) if found else (name, "")


def is_individual(name: str, kind: str | None = None) -> bool:
    """Whether ``name`` (of 类型 ``kind``, if the sheet has one) is a person's, to be masked."""
    text = name.strip()
    if not text or _MASK in text or "＊" in text or text in NOT_NAMES:
        return False
    if kind == INDIVIDUAL:
        return True
    if kind == ORGANISATION:
        return False
    if any(word in text for word in WHOLE_NAME_WORDS):
        return False
    base, _ = _base_and_note(text)
    return not base.endswith(WHOLE_NAME_ENDINGS) and _looks_like_a_person(base)


def mask_name(name: str) -> str:
    """``张三`` → ``张*``; a note in brackets at the end stays (``李四（现金）`` → ``李*（现金）``)."""
    base, note = _base_and_note(name.strip())
    return f"{base[:1]}{_MASK}{note}"


def masked_names(names: Sequence[str], kinds: Sequence[str | None]) -> list[str]:
    """``names`` as the bulletin shows them: individuals masked, organisations whole."""
    return [mask_name(n) if is_individual(n, k) else n for n, k in zip(names, kinds, strict=True)]
