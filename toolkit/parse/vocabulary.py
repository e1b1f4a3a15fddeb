"""The words a donation list is written in, as data: header words, footer labels and donor kinds.

This is where a newcomer adds a word. A header word gives a column its role; a footer label says
what the cell next to it (or the rest of its own cell) holds. Everything here is compared after
NFKC (full-width brackets, colons and digits become ASCII) with white space removed.

Nothing in this module decides anything: the readers in ``toolkit.parse`` look words up here.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = [
    "AMOUNT_HEADERS",
    "CAPITALS",
    "DATE",
    "ERROR_VALUES",
    "FOOTER_LABELS",
    "KINDS",
    "KIND_HEADERS",
    "NAME_HEADERS",
    "ORGANISATION",
    "OTHER",
    "PLACEHOLDER_TITLE",
    "RECEIVER",
    "SERIAL_HEADERS",
    "SUBTOTAL",
    "SUPERVISOR",
    "TOTAL",
    "UNIT_SUFFIX",
]

# --- header words: the column's role --------------------------------------------------------------

SERIAL_HEADERS: Final = frozenset({"序号", "编号"})
"""A 序号 column (optional)."""

NAME_HEADERS: Final = frozenset(
    {
        "捐赠姓名",
        "捐款姓名",
        "姓名",
        "捐赠人",
        "捐款人",
        "捐赠者",
        "捐款者",
        "单位/个人",
        "个人/单位",
        "姓名/单位",
        "单位/姓名",
        "捐赠人/单位",
        "捐款人/单位",
        "捐赠单位",
        "捐款单位",
        "单位名称",
        "名称",
    }
)
"""The donor's name."""

AMOUNT_HEADERS: Final = frozenset(
    {"金额", "捐款金额", "捐赠金额", "捐款额", "捐赠额", "捐款数额", "善款金额"}
)
"""The amount given."""

KIND_HEADERS: Final = frozenset({"类型", "类别", "捐赠类型", "捐款类型"})
"""The donor's kind, 单位 or 个人 (optional)."""

UNIT_SUFFIX: Final = re.compile(r"(?:\((?:人民币)?元\)|/元|元)$")
"""A unit after an amount header (``金额（元）``, ``金额/元``), removed before the lookup."""

# --- donor kinds: what a 类型 cell may say ----------------------------------------------------------

KINDS: Final[dict[str, str]] = {
    **dict.fromkeys(("单位", "企业", "公司", "机构", "团体", "集体", "组织", "法人"), "单位"),
    **dict.fromkeys(("个人", "自然人"), "个人"),
}

# --- footer labels, by what they introduce ---------------------------------------------------------

TOTAL: Final = "total"
SUBTOTAL: Final = "subtotal"
CAPITALS: Final = "capitals"
RECEIVER: Final = "receiver"
SUPERVISOR: Final = "supervisor"
ORGANISATION: Final = "organisation"
DATE: Final = "date"
OTHER: Final = "other"

FOOTER_LABELS: Final[dict[str, str]] = {
    **dict.fromkeys(
        (
            "合计",
            "总计",
            "共计",
            "合计金额",
            "总金额",
            "总额",
            "金额合计",
            "捐款合计",
            "捐赠合计",
            "捐款总计",
            "捐款总额",
            "捐赠总额",
            "收款合计",
            "收款金额合计",
            "收款总额",
        ),
        TOTAL,
    ),
    **dict.fromkeys(("小计", "本页小计", "本页合计"), SUBTOTAL),
    **dict.fromkeys(
        (
            "大写",
            "大写金额",
            "金额大写",
            "合计大写",
            "合计(大写)",
            "金额(大写)",
            "人民币大写",
            "人民币(大写)",
            "大写(人民币)",
        ),
        CAPITALS,
    ),
    **dict.fromkeys(("收款人", "收款员", "收款", "经收人", "收款经办人"), RECEIVER),
    **dict.fromkeys(("监督人", "监督员", "监督"), SUPERVISOR),
    **dict.fromkeys(
        ("单位", "组织", "机构", "组织单位", "主办单位", "组织机构", "单位名称", "收款单位", "主办"),
        ORGANISATION,
    ),
    **dict.fromkeys(("日期", "收款日期", "捐款日期", "统计日期", "截止日期", "时间"), DATE),
    **dict.fromkeys(
        (
            "制表",
            "制表人",
            "制表单位",
            "制表日期",
            "填表",
            "填表人",
            "填表单位",
            "填表日期",
            "填报单位",
            "编制单位",
            "经办人",
            "审核",
            "审核人",
            "负责人",
            "会计",
            "出纳",
            "备注",
            "说明",
            "联系电话",
            "电话",
            "合计人数",
            "捐款人数",
            "人数",
        ),
        OTHER,
    ),
}
"""Every footer label and what its value is. The longest label that starts a cell wins."""

# --- cells --------------------------------------------------------------------------------------

ERROR_VALUES: Final = frozenset(
    {"#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#N/A", "#NUM!", "#NULL!", "#SPILL!", "#CALC!", "#GETTING_DATA"}
)
"""Excel's error values, as the reader returns them."""

PLACEHOLDER_TITLE: Final = "请修改标题"
"""In the title of the starter workbook (``toolkit.starter.TITLE``): a title left unchanged."""
