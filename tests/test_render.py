"""toolkit.render (the package's ``__init__``): `render_bulletin` and `render_context`, end to end.

Golden files in ``tests/golden/`` hold the normalised text of rendered bulletins (never zip bytes).
Refresh them after an intended change with ``UPDATE_GOLDEN=1 pytest tests/test_render.py``
and review the diff.
"""

from __future__ import annotations

import pytest

from tests.render.helpers import (
    SEED_SETTINGS,
    W,
    body,
    check_golden,
    default_with,
    document_text,
    make_ledger,
    make_template,
    numbered,
    table_shape,
)
from tests.workbooks import SEED_DONORS, SEED_ORG
from toolkit.errors import TemplateError
from toolkit.records import Signature
from toolkit.render import (
    BulletinTemplate,
    build_context,
    load_template,
    render_bulletin,
    render_context,
)
from toolkit.render.fast import render_fast
from toolkit.settings import Settings


def test_seed_bulletin_golden(default_template: BulletinTemplate) -> None:
    docx = render_bulletin(make_ledger(SEED_DONORS), SEED_SETTINGS, default_template)
    text = document_text(docx)
    check_golden("seed_bulletin.txt", text)
    lines = text.splitlines()
    assert lines[:3] == ["全国质协系统抗击疫情防控工作 简报", "第八期", "中国质量协会宣传部\t2020年2月14日"]
    assert "收款金额合计：50000元　　大写：伍万元整" in lines
    assert lines[-8:-3] == [
        "收款人：朱蕊",
        "监督人：刘刚",
        SEED_ORG,
        "日期：2020年2月5日",
        f"图2 {SEED_ORG}爱心捐款名单",
    ]
    assert lines[-3:] == [
        "报送：国资委协会党建局、协会党委、协会抗击疫情领导小组",
        "抄报：民政部社会组织管理局",
        "发送：协会各党支部、全国质协系统、协会会员单位",
    ]


@pytest.mark.parametrize(("count", "height"), [(1, 1), (4, 1), (5, 2), (45, 12), (1000, 250)])
def test_packed_table_shape(default_template: BulletinTemplate, count: int, height: int) -> None:
    docx = render_bulletin(make_ledger(numbered(count)), Settings(), default_template)
    # header, one row per `height`, the total row spanning all columns
    assert table_shape(docx) == [12] + [12] * height + [1]
    tbl = body(docx).find(f"{W}tbl")
    header = tbl.find(f"{W}tr")
    assert header.find(f"{W}trPr/{W}tblHeader") is not None
    span = tbl.findall(f"{W}tr")[-1].find(f"{W}tc/{W}tcPr/{W}gridSpan")
    assert span.get(f"{W}val") == "12"
    rows = document_text(docx).splitlines()
    first = rows.index("序号 | 捐赠姓名 | 金额/元 | " * 3 + "序号 | 捐赠姓名 | 金额/元") + 1
    assert rows[first].split(" | ")[0::3] == [
        str(1 + g * height) if g * height < count else "" for g in range(4)
    ]


def test_missing_signature_leaves_lines_to_sign(default_template: BulletinTemplate) -> None:
    ledger = make_ledger(numbered(2), signature=Signature(organisation="某协会"))
    lines = document_text(render_bulletin(ledger, Settings(), default_template)).splitlines()
    assert "收款人：__________" in lines
    assert "监督人：__________" in lines
    assert "日期：______年___月___日" in lines


def test_missing_organisation_leaves_a_line(default_template: BulletinTemplate) -> None:
    ledger = make_ledger(numbered(2), signature=Signature(receiver="朱蕊", supervisor="刘刚"))
    lines = document_text(render_bulletin(ledger, Settings(), default_template)).splitlines()
    assert "____________________" in lines


def test_escaping_golden(default_template: BulletinTemplate) -> None:
    donors = [("A&B <公司>", "10"), ("{{ x }}", "20"), ("张\x0b三", "30"), ("\"引号\" '单'", "40")]
    settings = Settings(groups=2, masthead="简报 <&>", distribution=(("报送", "甲&乙"),))
    docx = render_bulletin(make_ledger(donors), settings, default_template)
    text = document_text(docx)
    check_golden("escaping.txt", text)
    assert "A&B <公司>" in text
    assert "{{ x }}" in text
    assert "张三" in text
    assert "\"引号\" '单'" in text
    assert text.startswith("简报 <&>\n")
    assert "报送：甲&乙" in text


def test_no_distribution_hides_the_block(default_template: BulletinTemplate) -> None:
    text = document_text(
        render_bulletin(
            make_ledger(numbered(2)), SEED_SETTINGS.with_overrides(distribution=()), default_template
        )
    )
    assert "报送" not in text
    assert text.splitlines()[-1].startswith("图2 ")


def test_template_is_reusable(default_template: BulletinTemplate) -> None:
    first = render_bulletin(make_ledger(numbered(3)), Settings(), default_template)
    other = render_bulletin(make_ledger(numbered(5)), Settings(groups=2), default_template)
    again = render_bulletin(make_ledger(numbered(3)), Settings(), default_template)
    assert document_text(first) == document_text(again) != document_text(other)


def test_paragraph_loop_falls_back_to_plain_render() -> None:
    data = make_template(["{%p for d in donors %}"], ["{{ d.serial }}. {{ d.donor }}"], ["{%p endfor %}"])
    template = load_template(data)
    context = build_context(make_ledger(numbered(3)), Settings())
    assert render_fast(context, template) is None  # the sentinel is not in a table row
    text = document_text(render_context(context, template))
    assert text.split("\n")[:3] == ["1. 捐赠人1", "2. 捐赠人2", "3. 捐赠人3"]


def test_unknown_donor_field_is_a_template_error() -> None:
    template = load_template(
        make_template(["{%p for d in donors %}"], ["{{ d.nickname }}"], ["{%p endfor %}"])
    )
    with pytest.raises(TemplateError) as info:
        render_bulletin(make_ledger(numbered(1)), Settings(), template)
    problem = info.value.problems[0]
    assert problem.code == "template.undefined"
    assert "nickname" in problem.message
    assert "masthead" in problem.message


@pytest.mark.parametrize(
    ("runs", "code"),
    [
        (['{{ "{0.__class__}".format(org) }}'], "template.unsafe"),
        (["{{ count / 0 }}"], "template.render"),
        (["{{ range(10000000000)|list }}"], "template.render"),
    ],
    ids=["sandbox", "zero-division", "huge-range"],
)
def test_errors_while_rendering_are_chinese_template_errors(runs: list[str], code: str) -> None:
    template = load_template(default_with(runs))
    with pytest.raises(TemplateError) as info:
        render_bulletin(make_ledger(numbered(3)), Settings(), template)
    problem = info.value.problems[0]
    assert problem.code == code
    assert problem.message.startswith("Word 模板")
    assert not any(word in problem.message for word in ("unsafe", "division", "Range", "Error"))


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "plain"])
def test_with_masking_individuals_are_masked_organisations_whole_and_the_totals_unchanged(
    default_template: BulletinTemplate, fast: bool
) -> None:
    settings = SEED_SETTINGS.with_overrides(mask_names=True)
    context = build_context(make_ledger(SEED_DONORS), settings)
    text = document_text(render_context(context, default_template, fast=fast))
    for shown in ("| 新疆质量协会 |", "| 质量工作者等 |", "| 王* |", "| 文* |", "| 周* |"):
        assert shown in text, shown
    for name, _ in SEED_DONORS[2:]:
        assert f"| {name} |" not in text, name
    assert "收款金额合计：50000元　　大写：伍万元整" in text
    assert "共计收到爱心捐款50000元（大写：伍万元整），捐款共45笔" in text
    assert "收款人：朱蕊" in text  # who signs is no donor: never masked
