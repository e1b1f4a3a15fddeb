"""toolkit.render.context: a ledger and settings become the one `BulletinContext`, formatted once."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from tests.render.helpers import (
    SEED_SETTINGS,
    make_ledger,
    numbered,
)
from tests.workbooks import SEED_DONORS, SEED_ORG, SEED_TITLE
from toolkit.errors import SettingsError
from toolkit.records import Donation, Edition, Ledger, Signature
from toolkit.render import EMPTY_CELL, TEMPLATE_VARIABLES, build_context
from toolkit.render.context import placeholder_values
from toolkit.settings import MAX_GROUPS, PLACEHOLDERS, Settings


def test_context_reproduces_the_seed_figures() -> None:
    context = build_context(make_ledger(SEED_DONORS), SEED_SETTINGS)
    assert (context.total, context.total_capitals, context.count) == ("50000", "伍万元整", 45)
    assert (context.org, context.date, context.issue_date) == (SEED_ORG, "2020年2月5日", "2020年2月14日")
    assert (context.receiver, context.supervisor) == ("朱蕊", "刘刚")
    assert context.title == f"{SEED_ORG}爱心捐款情况"
    assert context.heading == SEED_TITLE
    assert context.caption == f"图2 {SEED_ORG}爱心捐款名单"
    assert context.intro.startswith(f"截至2020年2月5日，{SEED_ORG}共计收到爱心捐款50000元（大写：伍万元整）")
    assert [(d.label, d.text[:4]) for d in context.distribution] == [
        ("报送", "国资委协"),
        ("抄报", "民政部社"),
        ("发送", "协会各党"),
    ]
    assert set(context.as_template_vars()) == set(TEMPLATE_VARIABLES)


@pytest.mark.parametrize(
    ("count", "groups", "first_row", "last_row"),
    [
        (1, 4, ["1", "", "", ""], ["1", "", "", ""]),
        (4, 4, ["1", "2", "3", "4"], ["1", "2", "3", "4"]),
        (5, 4, ["1", "3", "5", ""], ["2", "4", "", ""]),
        (45, 4, ["1", "13", "25", "37"], ["12", "24", "36", ""]),
        (7, 1, ["1"], ["7"]),
        (10, 6, ["1", "3", "5", "7", "9", ""], ["2", "4", "6", "8", "10", ""]),
    ],
)
def test_rows_run_down_each_group_then_across(
    count: int, groups: int, first_row: list[str], last_row: list[str]
) -> None:
    context = build_context(make_ledger(numbered(count)), Settings(groups=groups))
    rows = list(context.rows)
    assert len(rows) == math.ceil(count / groups)
    assert all(len(row) == groups for row in rows)
    assert [cell.serial for cell in rows[0]] == first_row
    assert [cell.serial for cell in rows[-1]] == last_row
    cells = [cell for row in rows for cell in row]
    assert cells.count(EMPTY_CELL) == len(rows) * groups - count  # padding only at the end


def test_context_fills_placeholders_and_falls_back() -> None:
    settings = Settings(
        title="{org}募集爱心捐款{count}笔",
        caption="图3 {org}",
        issue_date="{date}",
        receiver="默认收款人",
        organisation="默认单位",
    )
    ledger = make_ledger(numbered(3), signature=Signature(), title=None)
    context = build_context(ledger, settings)
    assert context.title == "默认单位募集爱心捐款3笔"
    assert context.caption == "图3 默认单位"
    assert context.heading == "默认单位爱心捐款名单"
    assert (context.receiver, context.supervisor, context.date) == ("默认收款人", "", "")
    assert context.issue_date == "目前"  # {date} without a date in the workbook
    assert context.intro.startswith("截至目前，默认单位共计收到爱心捐款")


def test_intro_adds_the_kinds_sentence_when_donors_are_typed() -> None:
    ledger = make_ledger([("甲公司", "15538.27"), ("乙", "34461.73")], kinds=["单位", "个人"])
    context = build_context(ledger, Settings())
    assert context.has_kinds
    assert (context.personal_total, context.company_total) == ("34461.73", "15538.27")
    assert context.intro.endswith("其中个人捐款34461.73元，单位捐款15538.27元。")
    assert [d.kind for d in context.donors] == ["单位", "个人"]


def test_intro_accounts_for_donors_without_a_kind() -> None:
    donations = (
        Donation(1, "甲", Decimal("100.50"), "Sheet1", "C2", "B2", kind="个人"),
        Donation(2, "乙公司", Decimal("200.25"), "Sheet1", "C3", "B3", kind="单位"),
        Donation(3, "丙", Decimal("3"), "Sheet1", "C4", "B4"),
    )
    context = build_context(Ledger("x.xlsx", "Sheet1", donations), Settings())
    assert "其中个人捐款100.50元，单位捐款200.25元。另有未注明个人或单位的捐款3元。" in context.intro


def test_serials_are_renumbered_when_the_workbook_has_none() -> None:
    context = build_context(make_ledger(numbered(3), serials=False), Settings())
    assert [d.serial for d in context.donors] == ["1", "2", "3"]


def test_sections_numbered_each_from_one_are_numbered_on_in_the_bulletin() -> None:
    """一、单位捐款 1…2, 二、个人捐款 1…2: one table in the bulletin, numbered 1…4."""
    from dataclasses import replace

    ledger = make_ledger(numbered(4), kinds=["单位", "单位", "个人", "个人"])
    restarted = [replace(d, serial=s) for d, s in zip(ledger.donations, (1, 2, 1, 2), strict=True)]
    context = build_context(replace(ledger, donations=tuple(restarted)), Settings())
    assert [d.serial for d in context.donors] == ["1", "2", "3", "4"]
    context = build_context(ledger, Settings())
    assert [d.serial for d in context.donors] == ["1", "2", "3", "4"]


def test_a_list_with_pre_numbered_rows_left_empty_is_numbered_on_in_the_bulletin() -> None:
    from dataclasses import replace

    from toolkit.records import DonorTable

    ledger = make_ledger(numbered(4))
    gapped = [replace(d, serial=s) for d, s in zip(ledger.donations, (1, 2, 3, 51), strict=True)]
    table = DonorTable("Sheet1", "A2:F2", tuple(gapped), blank_serials=frozenset(range(4, 51)))
    context = build_context(replace(ledger, donations=tuple(gapped), tables=(table,)), Settings())
    assert [d.serial for d in context.donors] == ["1", "2", "3", "4"]


def test_context_uses_the_given_money_functions() -> None:
    context = build_context(
        make_ledger([("甲", "12.5")]), Settings(), capitals_fn=lambda a: f"<{a}>", amount_fn=lambda a: f"¥{a}"
    )
    assert (context.total, context.total_capitals, context.donors[0].amount) == ("¥12.5", "<12.5>", "¥12.5")


def test_every_placeholder_is_filled() -> None:
    ledger = make_ledger([("甲公司", "15538.27"), ("乙", "34461.73")], kinds=["单位", "个人"])
    caption = "|".join("{" + name + "}" for name in PLACEHOLDERS)
    edition = Edition(3, running_total=Decimal("80000"))
    shown = build_context(ledger, Settings(caption=caption), edition=edition).caption.split("|")
    assert dict(zip(PLACEHOLDERS, shown, strict=True)) == {
        "org": SEED_ORG,
        "date": "2020年2月5日",
        "total": "50000",
        "capitals": "伍万元整",
        "count": "2",
        "personal": "34461.73",
        "company": "15538.27",
        "running": "80000",
    }
    values = placeholder_values(ledger, Settings(), ledger.total, str, str)
    assert tuple(values) == PLACEHOLDERS


def test_a_bad_placeholder_lists_the_placeholders() -> None:
    with pytest.raises(SettingsError) as info:
        build_context(make_ledger(numbered(1)), Settings(intro="共{money}元"))
    problem = info.value.problems[0]
    assert problem.code == "settings.placeholder"
    assert all("{" + name + "}" in problem.message for name in PLACEHOLDERS)


@pytest.mark.parametrize("groups", [0, MAX_GROUPS + 1])
def test_groups_outside_one_to_the_limit_are_refused(groups: int) -> None:
    with pytest.raises(SettingsError) as info:
        build_context(make_ledger(numbered(3)), Settings(), groups=groups)
    problem = info.value.problems[0]
    assert problem.code == "settings.invalid"
    assert f"应在 1 到 {MAX_GROUPS} 之间" in problem.message


def test_the_most_groups_are_allowed() -> None:
    context = build_context(make_ledger(numbered(13)), Settings(groups=MAX_GROUPS))
    assert context.group_numbers == tuple(range(1, MAX_GROUPS + 1))
    assert all(len(row) == MAX_GROUPS for row in context.rows)


# --- several lists, units, the people and notes under the list ----------------------------------


def _tables_ledger() -> Ledger:
    from toolkit.records import DonorTable

    first = (
        Donation(1, "甲", Decimal(100), "交通银行", "C2", "B2"),
        Donation(2, "乙", Decimal(200), "交通银行", "C3", "B3"),
    )
    second = (Donation(1, "丙", Decimal(50), "支付宝", "C2", "B2"),)
    tables = (DonorTable("交通银行", "A1:C1", first), DonorTable("支付宝", "A1:C1", second))
    return Ledger(
        "x.xlsx", "交通银行", first + second, signature=Signature(organisation="某协会"), tables=tables
    )


def test_lists_from_several_sheets_are_numbered_across_and_named_in_the_intro() -> None:
    context = build_context(_tables_ledger(), Settings())
    assert [line.serial for line in context.donors] == ["1", "2", "3"]
    assert [(t.name, t.count, t.total) for t in context.tables] == [
        ("交通银行", "2", "300"),
        ("支付宝", "1", "50"),
    ]
    assert context.intro.endswith("其中交通银行300元（2笔），支付宝50元（1笔）。")
    assert context.total == "350"


def test_one_list_keeps_its_numbering_and_its_intro() -> None:
    ledger = Ledger("x.xlsx", "S", (Donation(5, "甲", Decimal(100), "S", "C2", "B2"),))
    context = build_context(ledger, Settings())
    assert [line.serial for line in context.donors] == ["5"]
    assert "其中" not in context.intro
    assert [(t.name, t.count) for t in context.tables] == [("S", "1")]


def test_amounts_from_wan_say_so_and_roles_and_notes_are_offered() -> None:
    from toolkit.records import DonorTable

    donations = (Donation(1, "甲公司", Decimal(125000), "S", "C2", "B2"),)
    ledger = Ledger(
        "x.xlsx",
        "S",
        donations,
        signature=Signature(roles=(("经手人", "王丽"), ("审核人", "赵刚"))),
        tables=(DonorTable("S", "A1:C1", donations, unit="万元"),),
        notes=("注：以上为大额捐赠明细",),
    )
    context = build_context(ledger, Settings())
    assert context.source_unit == "万元"
    assert context.intro.endswith("名单中的金额原以万元为单位，已换算为元。")
    assert context.total == "125000"
    assert [(r.role, r.name) for r in context.roles] == [("经手人", "王丽"), ("审核人", "赵刚")]
    assert context.notes == ("注：以上为大额捐赠明细",)
    assert build_context(_tables_ledger(), Settings()).source_unit == ""


def test_the_issue_line_is_written_from_the_edition() -> None:
    ledger = make_ledger(numbered(2))
    assert build_context(ledger, Settings()).issue == "第一期"  # no register: the first issue
    assert build_context(ledger, Settings(issue=8)).issue == "第八期"
    context = build_context(ledger, Settings(issue=8), edition=Edition(21, correction=1))
    assert (context.issue, context.issue_number, context.correction) == ("第二十一期（更正）", 21, 1)


def test_the_running_total_is_stated_only_when_earlier_bulletins_count() -> None:
    ledger = make_ledger([("甲", "100")])
    settings = Settings(intro_running="截至{date}，累计接收捐款{running}元。")
    first = build_context(ledger, settings, edition=Edition(1, running_total=Decimal("100")))
    assert "累计" not in first.intro and first.running_total == "100"
    later = build_context(ledger, settings, edition=Edition(2, running_total=Decimal("350.5")))
    assert later.intro.endswith("捐款共1笔。截至2020年2月5日，累计接收捐款350.50元。")
    assert later.running_total == "350.50"
    assert (
        "累计"
        not in build_context(ledger, Settings(), edition=Edition(2, running_total=Decimal("350"))).intro
    )
