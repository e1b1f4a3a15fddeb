"""Spec of `toolkit.parse.lines`: what a lone line under a list is."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from toolkit.parse.lines import (
    is_bank,
    is_intro,
    line_kind,
    organisation_name,
    read_count,
    read_summary,
    stated_total,
)


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("注：以上为大额捐赠单位（个人）明细，其它捐赠明细请点击下方附件下载。", "note"),
        ("注 1：二维码扫码捐赠明细暂不包括", "note"),
        ("说明：以上捐款已全部转入协会账户", "note"),
        ("武汉市红十字会", "organisation"),
        ("新疆维吾尔自治区质量协会", "organisation"),
        ("X协会", "organisation"),
        ("新疆质协", "organisation"),
        (dt.date(2020, 1, 30), "date"),
        (43860.0, "date"),
        ("2020-01-30", "date"),
        ("2020.01.25", "date"),
        ("2020年1月25日", "date"),
        ("二〇二〇年一月二十五日", "date"),
        ("共45人", "summary"),
        ("共计收到捐款45笔，合计50000元", "summary"),
        ("捐赠人数：45", "summary"),
        ("单位：元", "unit"),
        ("经手人：王丽 审核人：赵刚", "label"),
        ("开户行：中国农业银行", "label"),
        ("以下空白", "end"),
        ("（以下无正文）", "end"),
        ("感谢各位爱心人士", None),
        ("特别感谢某某物流公司", None),  # thanks, never the organisation
        ("衷心感谢某某科技有限公司", None),
        ("鸣谢单位：某某集团", "label"),
        ("某某市慈善协会（盖章）", "organisation"),
        ("某某市慈善协会(签章)", "organisation"),
        ("某某市慈善协会（公章）", "organisation"),
        ("中国农业银行某某支行", "organisation"),
        ("张三", None),
        (3, None),
    ],
)
def test_line_kinds(value: Any, kind: str | None) -> None:
    assert line_kind(value) == kind


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("746人次", 746),
        ("共计746人次", 746),
        ("共45人", 45),
        ("60笔", 60),
        ("合计：45", None),
        ("张三", None),
    ],
)
def test_read_count(text: str, count: int | None) -> None:
    assert read_count(text) == count


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("共计45笔，合计50000元", (45, "50000元")),
        ("共计746人次，总金额61609585.05", (746, "61609585.05")),
        ("合计人民币8550.11万元", (None, "8550.11万元")),
        ("捐赠人数：45", (45, None)),
        ("感谢", (None, None)),
    ],
)
def test_read_summary(text: str, found: tuple[int | None, str | None]) -> None:
    assert read_summary(text) == found


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("某某市慈善协会（盖章）", "某某市慈善协会"),
        ("某某市慈善协会 (章)", "某某市慈善协会"),
        ("某某市慈善协会（签字盖章）", "某某市慈善协会"),
        ("某某市慈善协会（筹）", "某某市慈善协会（筹）"),
    ],
)
def test_organisation_name_drops_the_stamp_mark(text: str, name: str) -> None:
    assert organisation_name(text) == name


@pytest.mark.parametrize(
    ("text", "bank"),
    [
        ("中国农业银行某某支行", True),
        ("中国工商银行某某分行营业部", True),
        ("某某农村信用社", True),
        ("某某市慈善协会", False),
        ("时间银行志愿者协会", False),
    ],
)
def test_is_bank(text: str, bank: bool) -> None:
    assert is_bank(text) == bank


INTRO = "截至2020年2月10日，我会共接收社会各界捐款3笔，金额合计900元，现公示如下："


@pytest.mark.parametrize(
    ("text", "intro"),
    [
        (INTRO, True),
        ("现将捐款情况公示如下：", True),
        ("经统计，本次共收到捐款。", True),
        ("某某协会抗击新冠肺炎疫情捐款公示", False),
        ("某某协会第3批捐款公示（2020年2月1日-2月10日，共2笔）", False),
        ("武汉市红十字会接收社会捐赠明细（农业银行账户）", False),
    ],
)
def test_is_intro(text: str, intro: bool) -> None:
    assert is_intro(text) == intro


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        (INTRO, "900元"),
        ("某某协会捐款明细（合计：500元）", "500元"),
        ("共收到捐款1.2万元", "1.2万元"),
        ("某某协会第3批捐款公示（共2笔）", None),
        ("某某协会捐款1000元以上名单", None),  # a threshold, no total
        ("截至2月10日累计接收捐款10000元", None),  # cumulative, no total of this list
        ("某某协会抗击新冠肺炎疫情捐款公示", None),
    ],
)
def test_stated_total(text: str, figure: str | None) -> None:
    assert stated_total(text) == figure
