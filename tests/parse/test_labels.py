"""Spec of `toolkit.parse.labels`: which cell texts are footer labels, and the value each carries."""

from __future__ import annotations

import pytest

from toolkit.parse.labels import label_start, match_label, split_labels


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("合计", ("total", "")),
        ("合计：50000", ("total", "50000")),
        ("合计50000", ("total", "50000")),
        ("合 计", ("total", "")),
        ("收款金额合计:", ("total", "")),
        ("小计", ("subtotal", "")),
        ("大写：伍万元整", ("capitals", "伍万元整")),
        ("大写伍万元整", ("capitals", "伍万元整")),
        ("人民币（大写）：伍万元整", ("capitals", "伍万元整")),
        ("收 款 人：朱蕊", ("receiver", "朱蕊")),
        ("收款人朱蕊", ("receiver", "朱蕊")),
        ("监督人: 刘刚", ("supervisor", "刘刚")),
        ("单位：新疆（乌鲁木齐）质量协会", ("organisation", "新疆（乌鲁木齐）质量协会")),
        ("日期：2020年2月5日", ("date", "2020年2月5日")),
        ("制表人：朱蕊", ("role", "朱蕊")),
        ("经手人：王丽", ("role", "王丽")),
        ("注：以上为大额捐赠", ("note", "以上为大额捐赠")),
        ("共计746人次", ("total", "746人次")),
        ("总金额61609585.05", ("total", "61609585.05")),
        ("单位小计", ("subtotal", "")),
        ("合计人数：45", ("count", "45")),
        ("合计（45人）", ("total", "")),
        ("合计(元)：50000", ("total", "50000")),
        ("本次合计", ("total", "")),
        ("以上合计：300", ("total", "300")),
        ("公示单位：X慈善会", ("organisation", "X慈善会")),
        ("2月1日小计", ("subtotal", "")),
        ("2020.2.1合计：300", ("subtotal", "300")),
        ("2020年2月1日（周六）合计", ("subtotal", "")),
        ("2月份合计", ("subtotal", "")),
        ("本周合计", ("subtotal", "")),
        ("网络捐款合计", ("subtotal", "")),
        ("本表合计", ("total", "")),
        ("以上总计：300", ("total", "300")),
        ("捐款总数", ("total", "")),
        ("汇总", ("total", "")),
        ("Total", ("total", "")),
        ("合计人民币", ("total", "")),
        ("过次页", ("carry", "")),
        ("承上页", ("carry", "")),
        ("上期结转", ("carry", "")),
        ("上期累计", ("carry", "")),
        ("其中：网络捐款", ("breakdown", "网络捐款")),
        ("公示日期：2020年2月10日", ("date", "2020年2月10日")),
    ],
)
def test_labels_and_their_values(text: str, expected: tuple[str, str]) -> None:
    label = match_label(text)
    assert label is not None
    assert (label.kind, label.rest) == expected


@pytest.mark.parametrize(
    "text",
    [
        "大写意文化公司",
        "单位员工",
        "收款室",
        "合计划公司",
        "日期达人",
        "张三",
        "金星",
        "2020年1月合计捐款单位",
        "3M中国",
    ],
)
def test_names_that_start_like_a_label_are_no_label(text: str) -> None:
    assert match_label(text) is None


@pytest.mark.parametrize(
    "text", ["合计", "合 计", " 合计", "收款人：朱蕊", "大写", "捐赠合计", "日期", "2月1日小计", "本次合计"]
)
def test_label_start_never_rejects_a_label(text: str) -> None:
    assert label_start(text)


@pytest.mark.parametrize("text", ["张三", "新疆质量协会", "王五", "质量工作者等"])
def test_label_start_rejects_ordinary_names_cheaply(text: str) -> None:
    assert not label_start(text)


def test_several_labels_in_one_cell_are_split() -> None:
    assert split_labels("收款人：朱蕊  监督人：刘刚") == ["收款人：朱蕊", "监督人：刘刚"]


def test_a_bracket_after_a_total_qualifies_it_and_may_count_the_donors() -> None:
    label = match_label("合计（共45人）")
    assert label is not None
    assert (label.kind, label.qualifier, label.rest) == ("total", "共45人", "")
