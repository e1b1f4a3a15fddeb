"""Masking donors' names: individuals masked, organisations whole, by the 类型 or by the rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.render.masking import (
    WHOLE_NAME_ENDINGS,
    WHOLE_NAME_WORDS,
    is_individual,
    mask_name,
    masked_names,
)

REALWORLD = Path(__file__).resolve().parents[3] / "shared" / "realworld"


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("张三", "张*"),
        ("王琳萍", "王*"),
        ("欧阳娜娜", "欧*"),
        ("文山江·牙克丹", "文*"),
        ("李四（现金）", "李*（现金）"),
        (" 刘刚 ", "刘*"),
    ],
)
def test_an_individual_keeps_the_first_character_and_one_star(name: str, shown: str) -> None:
    assert is_individual(name)
    assert mask_name(name) == shown


@pytest.mark.parametrize(
    "name",
    [
        "新疆质量协会",
        "中国工商银行",
        "华中科技大学同济医学院附属协和医院",
        "湖北中烟工业有限责任公司武汉卷烟厂",
        "兰溪市财政局",
        "武汉市烟草专卖局全体员工个人",
        "质量工作者等",
        "上海市红十字会人道救助基金",
        "张记小吃店",
        "李氏工作室",
        "某某商会",
        "市民政局",
        "王品（中国）餐饮有限公司",
        "湖北新欣福珍集团（现金）",
    ],
)
def test_an_organisation_stays_whole(name: str) -> None:
    assert not is_individual(name)


@pytest.mark.parametrize("name", ["张*", "*晶晶", "现金", "匿名", "John Smith", "王5", "一二三四五六"])
def test_what_toolkit_cannot_tell_or_that_is_masked_already_stays_as_it_is(name: str) -> None:
    assert not is_individual(name)


def test_the_kind_column_decides_before_the_rules() -> None:
    assert is_individual("质量工作者等", "个人")
    assert not is_individual("张三", "单位")
    assert masked_names(["张三", "张三", "某协会"], ["单位", None, None]) == ["张三", "张*", "某协会"]


def test_the_rules_are_data() -> None:
    assert {
        "公司",
        "协会",
        "银行",
        "医院",
        "学校",
        "集团",
        "基金会",
        "委员会",
        "中心",
        "商会",
        "工作室",
    } <= set(WHOLE_NAME_WORDS)
    assert {"局", "厅", "店", "部"} <= set(WHOLE_NAME_ENDINGS)
    assert "会" not in WHOLE_NAME_ENDINGS  # it ends given names too: such a person stays masked


@pytest.mark.skipif(not REALWORLD.is_dir(), reason="../shared/realworld is not here")
def test_no_company_of_the_real_lists_is_masked() -> None:
    from toolkit.pipeline import check_workbook

    for path in sorted(REALWORLD.glob("*.xlsx")):
        ledger = check_workbook(path.read_bytes(), path.name).ledger
        assert ledger is not None
        names = [d.donor for d in ledger.donations]
        shown = masked_names(names, [d.kind for d in ledger.donations])
        for name, masked in zip(names, shown, strict=True):
            if any(word in name for word in ("公司", "协会", "银行", "医院", "红十字会", "基金")):
                assert masked == name, name
