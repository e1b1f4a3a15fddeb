"""Spec of `toolkit.parse.sheets`: which sheet is read, and whole sheets from the seed to the starter workbook."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tests.parse.grids import HEADER, SIGNATURE, donors, found, parse, sheet
from tests.workbooks import (
    SEED_DONORS,
    SEED_ORG,
    SEED_TITLE,
    SEED_TOTAL,
    build_workbook,
    plain_rows,
    seed_rows,
)
from toolkit.errors import Severity
from toolkit.parse import parse_sheet, parse_workbook
from toolkit.records import Sheet, Workbook
from toolkit.validate import validate_ledger


def test_seed_figure_2_exactly() -> None:
    ledger = parse_workbook(Workbook("捐款.xlsx", (sheet(seed_rows(), "捐款名单"),)))
    assert ledger.problems == ()
    assert ledger.sheet == "捐款名单"
    assert ledger.groups == 4
    assert ledger.title == SEED_TITLE
    assert [d.serial for d in ledger.donations] == list(range(1, 46))
    assert [(d.donor, d.amount) for d in ledger.donations] == [(n, Decimal(a)) for n, a in SEED_DONORS]
    assert ledger.total == SEED_TOTAL
    assert ledger.declared_total is not None
    assert (ledger.declared_total.value, ledger.declared_total.cell) == (Decimal("50000"), "C14")
    assert ledger.declared_capitals is not None
    assert (ledger.declared_capitals.value, ledger.declared_capitals.cell) == ("伍万元整", "D14")
    assert ledger.signature.receiver == "朱蕊"
    assert ledger.signature.supervisor == "刘刚"
    assert ledger.signature.organisation == SEED_ORG
    assert ledger.signature.date == dt.date(2020, 2, 5)
    first, last = ledger.donations[0], ledger.donations[-1]
    assert (first.cell, first.name_cell, first.sheet) == ("C3", "B3", "捐款名单")
    assert (last.serial, last.donor, last.cell, last.name_cell) == (45, "周立德", "L14", "K14")


def test_seed_total_row_as_the_text_export_prints_it() -> None:
    """The text export shifts donor 45 two columns left (H14:J14); it is still read as one donor."""
    rows = seed_rows()
    rows[13] = [
        "收款金额合计:",
        None,
        "50000元",
        "大写: 伍万元整",
        None,
        None,
        None,
        45,
        "周立德",
        50,
        None,
        None,
    ]
    ledger = parse(rows)
    assert ledger.problems == ()
    assert donors(ledger)[-1] == (45, "周立德", Decimal(50))
    assert ledger.donations[-1].cell == "J14"
    assert ledger.total == SEED_TOTAL


def test_seed_subtotals_by_kind() -> None:
    """The seed's text: 个人捐款 34461.73 元, 单位捐款 15538.27 元."""
    rows: list[list[Any]] = [[SEED_TITLE], [*HEADER, "类型", "备注"]]
    for i, (name, amount) in enumerate(SEED_DONORS, start=1):
        rows.append([i, name, amount, "单位" if i == 1 else "个人", "转账" if i % 2 else None])
    rows += [["合计", None, "50000"], *SIGNATURE]
    ledger = parse(rows)
    assert ledger.problems == ()
    assert ledger.has_kinds
    assert ledger.subtotal("个人") == Decimal("34461.73")
    assert ledger.subtotal("单位") == Decimal("15538.27")
    assert ledger.total == SEED_TOTAL


def test_seed_through_a_real_workbook() -> None:
    read = pytest.importorskip("toolkit.read")
    ledger = parse_workbook(read.read_workbook(build_workbook(seed_rows()), "捐款.xlsx"))
    assert ledger.problems == ()
    assert len(ledger.donations) == 45
    assert ledger.total == SEED_TOTAL
    assert ledger.signature.date == dt.date(2020, 2, 5)


def test_plain_list_with_total_capitals_and_side_by_side_signature() -> None:
    rows = plain_rows([("张三", 500), ("李四", 300.5)], total=800.5, capitals="捌佰元伍角整")
    ledger = parse(rows)
    assert ledger.problems == ()
    assert ledger.groups == 1
    assert ledger.title == "爱心捐款名单"
    assert donors(ledger) == [(1, "张三", Decimal(500)), (2, "李四", Decimal("300.5"))]
    assert ledger.declared_total is not None
    assert ledger.declared_total.value == Decimal("800.5")
    assert ledger.declared_total.cell == "C5"
    assert ledger.declared_capitals is not None
    assert (ledger.declared_capitals.value, ledger.declared_capitals.cell) == ("捌佰元伍角整", "B6")
    signature = ledger.signature
    assert (signature.receiver, signature.supervisor) == ("朱蕊", "刘刚")
    assert (signature.organisation, signature.date) == (SEED_ORG, dt.date(2020, 2, 5))


def test_every_visible_sheet_with_a_list_is_read_and_the_others_are_noted() -> None:
    """One sheet per bank account: none is lost. Hidden sheets and sheets with no list are named."""
    hidden = Sheet("隐藏", False, [HEADER, [1, "隐", 1]])
    notes = sheet([["说明"], ["请在下一个工作表填写"]], "说明")
    data = sheet([HEADER, [1, "张三", 100]], "名单")
    later = sheet([HEADER, [1, "李四", 200]], "名单2")
    ledger = parse_workbook(Workbook("捐款.xlsx", (hidden, notes, data, later)))
    assert (ledger.file, ledger.sheet) == ("捐款.xlsx", "名单")
    assert [(d.sheet, d.donor) for d in ledger.donations] == [("名单", "张三"), ("名单2", "李四")]
    assert [t.sheet for t in ledger.tables] == ["名单", "名单2"]
    assert ledger.total == Decimal(300)
    assert {(p.code, p.sheet, p.severity) for p in ledger.problems} == {
        ("sheet.skipped", "说明", Severity.WARNING),
        ("sheet.hidden", "隐藏", Severity.WARNING),
    }


def test_header_not_found_lists_what_and_where() -> None:
    hidden = Sheet("隐藏", False, [HEADER, [1, "隐", 1]])
    ledger = parse_workbook(Workbook("捐款.xlsx", (sheet([["你好"]], "甲"), sheet([], "乙"), hidden)))
    assert ledger.donations == ()
    assert found(ledger) == {("header.not_found", "")}
    problem = ledger.problems[0]
    assert (problem.file, problem.severity) == ("捐款.xlsx", Severity.ERROR)
    for text in (
        "甲",
        "乙",
        "前 30 行",
        "序号",
        "编号",
        "捐赠姓名",
        "捐款人",
        "单位/个人",
        "金额/元",
        "捐款金额",
        "隐藏",
    ):
        assert text in problem.message


def test_a_table_of_money_going_out_under_the_list_is_skipped_and_said() -> None:
    rows = [
        ["某协会捐款公示"],
        HEADER,
        [1, "甲", 100],
        [2, "乙", 200],
        ["合计", None, 300],
        [],
        ["二、退款情况"],
        HEADER,
        [1, "丙", 50],
        ["合计", None, 50],
        ["X协会"],
        ["2020年2月10日"],
    ]
    ledger = parse(rows)
    assert [d.donor for d in ledger.donations] == ["甲", "乙"]
    assert ("sheet.skipped", "B8") in found(ledger)
    assert (ledger.signature.organisation, ledger.signature.date) == ("X协会", dt.date(2020, 2, 10))


def test_a_sheet_titled_as_money_going_out_is_no_donor_list() -> None:
    ledger = parse([["某协会善款发放明细"], HEADER, [1, "困难户甲", 100], ["合计", None, 100]])
    assert found(ledger) == {("sheet.not_donor_list", "A2")}
    assert "善款发放明细" in ledger.problems[0].message


@pytest.mark.parametrize(
    "above",
    [[["合计", None, 500]], [[None, "合计金额：", 500]]],
)
def test_a_total_stated_by_a_label_above_the_header_is_checked(above: list[list[Any]]) -> None:
    ledger = parse([["某协会捐款公示"], *above, HEADER, [1, "甲", 100], [2, "乙", 200]])
    assert "total.mismatch" in {p.code for p in ledger.problems if p.is_error}


def test_a_total_beside_the_header_is_checked() -> None:
    ledger = parse([[*HEADER, None, "合计", 500], [1, "甲", 100], [2, "乙", 200]])
    assert "total.mismatch" in {p.code for p in ledger.problems if p.is_error}


def test_parse_sheet_without_header() -> None:
    ledger = parse_sheet(sheet([["姓名"], ["张三"]], "Sheet9"), "x.xlsx")
    assert [(p.code, p.sheet, p.file) for p in ledger.problems] == [("header.not_found", "Sheet9", "x.xlsx")]


def test_header_without_donors_gives_an_empty_ledger() -> None:
    ledger = parse([["标题"], HEADER, *SIGNATURE])
    assert ledger.donations == ()
    assert ledger.problems == ()
    assert ledger.signature.receiver == "朱蕊"


def test_formulas_never_calculated_through_a_real_workbook() -> None:
    """openpyxl writes formulas with no saved result: the amount is refused, the 合计 is recomputed."""
    read = pytest.importorskip("toolkit.read")
    rows = [HEADER, [1, "张三", 100], [2, "李四", "=50*2"], ["合计", None, "=SUM(C2:C3)"]]
    ledger = parse_workbook(read.read_workbook(build_workbook(rows), "捐款.xlsx"))
    assert found(ledger) == {("amount.formula_without_value", "C3"), ("total.formula_unknown", "C4")}
    assert ledger.declared_total is not None
    assert ledger.declared_total.value is None
    assert donors(ledger) == [(1, "张三", Decimal(100))]


def test_unfilled_starter_rows_and_its_footer_are_no_stray_donors() -> None:
    read = pytest.importorskip("toolkit.read")
    starter = pytest.importorskip("toolkit.starter")
    for groups in (1, 4):
        workbook = read.read_workbook(starter.starter_workbook_bytes(groups=groups), "新.xlsx")
        ledger = parse_workbook(workbook)
        assert ledger.donations == ()
        footer = 104 if groups == 1 else 29  # the 1-based row of 收款人, under the 合计 row
        assert {(p.code, p.cell) for p in ledger.problems} == {
            ("title.placeholder", "A1"),
            ("total.formula_unknown", f"C{footer - 1}"),
            # the signature labels are there, still empty: each is to be filled or signed by hand
            ("signature.missing_receiver", f"A{footer + 2}"),
            ("signature.missing_supervisor", f"A{footer + 3}"),
            ("signature.missing_organisation", f"A{footer + 4}"),
            ("signature.missing_date", f"A{footer + 5}"),
        }


# --- several sheets -----------------------------------------------------------------------------------

BANK = ["序号", "捐赠人", "金额"]


def test_one_sheet_per_bank_account_each_checked_against_its_own_total() -> None:
    book = Workbook(
        "捐款.xlsx",
        (
            sheet([BANK, [1, "甲", 100], [2, "乙", 200], ["合计", None, 300]], "交通银行"),
            sheet([BANK, [1, "丙", 50], ["合计", None, 50]], "农业银行"),
            sheet([BANK, [1, "丁", 5], ["合计", None, 6]], "支付宝"),
        ),
    )
    ledger = parse_workbook(book)
    assert [(t.sheet, t.total) for t in ledger.tables] == [("交通银行", 300), ("农业银行", 50), ("支付宝", 5)]
    assert ledger.total == Decimal(355)
    errors = [(p.code, p.sheet, p.cell) for p in validate_ledger(ledger) if p.is_error]
    assert errors == [("total.mismatch", "支付宝", "C3")]


def test_hidden_sheets_are_never_read_and_are_named() -> None:
    book = Workbook(
        "捐款.xlsx", (sheet([BANK, [1, "甲", 100]], "名单"), Sheet("旧版", False, [BANK, [1, "乙", 999]]))
    )
    ledger = parse_workbook(book)
    assert [d.donor for d in ledger.donations] == ["甲"]
    assert found(ledger) == {("sheet.hidden", "")}
    assert "旧版" in ledger.problems[0].message


def test_empty_sheets_are_skipped_silently() -> None:
    ledger = parse_workbook(
        Workbook("捐款.xlsx", (sheet([BANK, [1, "甲", 100]], "名单"), sheet([], "Sheet2")))
    )
    assert ledger.problems == ()


@pytest.mark.parametrize(
    ("header", "looks"),
    [
        (["序号", "品名", "规格型号", "数量", "捐赠单位"], "物资清单"),
        (["交易单号", "金额", "交易时间"], "交易流水"),
        (["日期", "收入金额", "笔数"], "按日期汇总的收入表"),
    ],
)
def test_a_workbook_whose_only_list_has_no_donor_names_is_refused(header: list[str], looks: str) -> None:
    ledger = parse_workbook(Workbook("x.xlsx", (sheet([["某某明细"], header, ["T1", 1, 2, 3, 4]], "表1"),)))
    assert ledger.donations == ()
    assert found(ledger) == {("sheet.not_donor_list", "A2")}
    problem = ledger.problems[0]
    assert problem.severity is Severity.ERROR
    assert looks in problem.message
    assert header[1] in problem.message
    assert [p.code for p in validate_ledger(ledger)] == ["sheet.not_donor_list"]


def test_a_goods_sheet_beside_a_cash_list_is_skipped_with_a_note() -> None:
    goods = sheet([["序号", "品名", "数量"], [1, "口罩", 100]], "物资")
    ledger = parse_workbook(Workbook("x.xlsx", (sheet([BANK, [1, "甲", 100]], "现金"), goods)))
    assert [d.donor for d in ledger.donations] == ["甲"]
    assert found(ledger) == {("sheet.skipped", "")}
    assert "物资清单" in ledger.problems[0].message


def test_a_goods_table_under_a_cash_list_in_the_same_sheet_is_skipped_with_a_note() -> None:
    rows = [
        BANK,
        [1, "甲", 100],
        ["合计", None, 100],
        [],
        ["物资捐赠"],
        ["序号", "捐赠单位", "品名", "数量"],
        [1, "乙公司", "口罩", 100],
    ]
    ledger = parse(rows)
    assert [d.donor for d in ledger.donations] == ["甲"]
    assert found(ledger) == {("sheet.skipped", "A6")}


# --- money in other currencies and units -------------------------------------------------------


def test_a_second_table_in_dollars_is_left_out_and_named_never_added() -> None:
    rows = [
        ["序号", "捐赠人", "金额（元）"],
        [1, "甲", 100],
        [2, "乙", 200],
        ["合计", None, 300],
        [],
        ["外币捐赠"],
        ["序号", "捐赠人", "金额（美元）"],
        [1, "John", 1000],
        [2, "Mary", 500],
        ["合计", None, 1500],
        [],
        ["武汉市红十字会"],
        ["2020年1月30日"],
    ]
    ledger = parse(rows)
    assert [d.donor for d in ledger.donations] == ["甲", "乙"]
    assert ledger.total == Decimal(300)
    assert found(ledger) == {("table.foreign_currency", "C7")}
    problem = ledger.problems[0]
    assert problem.severity is Severity.WARNING
    for text in ("美元", "第 7 行", "2 行", "没有列入简报"):
        assert text in problem.message
    assert (ledger.signature.organisation, ledger.signature.date) == ("武汉市红十字会", dt.date(2020, 1, 30))
    assert not [p for p in validate_ledger(ledger) if p.is_error]


def test_a_workbook_with_dollars_only_is_refused() -> None:
    ledger = parse([["序号", "捐赠人", "金额（美元）"], [1, "John", 1000]])
    assert ledger.donations == ()
    assert [(p.code, p.severity) for p in ledger.problems] == [("table.foreign_currency", Severity.ERROR)]


def test_rows_in_another_currency_of_a_currency_column_are_refused_at_their_cell() -> None:
    ledger = parse(
        [
            ["序号", "捐赠人", "金额", "币种"],
            [1, "甲", 100, "人民币"],
            [2, "乙", 200, "美元"],
            [3, "丙", 50, None],
        ]
    )
    assert [d.donor for d in ledger.donations] == ["甲", "丙"]
    assert found(ledger) == {("amount.foreign_currency", "D3")}
    assert ledger.problems[0].severity is Severity.ERROR


def test_hidden_rows_inside_the_list_are_read_with_a_warning_naming_them() -> None:
    ledger = parse(
        [BANK, [1, "甲", 100], [2, "乙", 200], [3, "丙", 300], ["合计", None, 600]],
        hidden_rows=frozenset({2}),
    )
    assert ledger.total == Decimal(600)
    assert found(ledger) == {("row.hidden", "A3")}
    assert "第 3 行" in ledger.problems[0].message


# --- never counted twice -----------------------------------------------------------------------------


def banks(*more: Sheet) -> Workbook:
    return Workbook(
        "捐款.xlsx",
        (
            sheet([BANK, [1, "甲", 100], [2, "乙", 200], ["合计", None, 300]], "交通银行"),
            sheet([BANK, [1, "丙", 50], ["合计", None, 50]], "支付宝"),
            *more,
        ),
    )


def test_a_summary_sheet_of_the_other_sheets_is_left_out() -> None:
    summary = sheet(
        [["序号", "单位名称", "金额"], [1, "交通银行账户", 300], [2, "支付宝", 50], ["合计", None, 350]],
        "汇总",
    )
    ledger = parse_workbook(banks(summary))
    assert ledger.total == Decimal(350)
    assert [t.sheet for t in ledger.tables] == ["交通银行", "支付宝"]
    assert found(ledger) == {("sheet.skipped", "A1")}


def test_a_copied_sheet_is_refused_never_counted_twice() -> None:
    copy = sheet([BANK, [1, "甲", 100], [2, "乙", 200], ["合计", None, 300]], "交通银行 (2)")
    ledger = parse_workbook(banks(copy))
    assert [(p.code, p.sheet, p.severity) for p in ledger.problems] == [
        ("table.double_counted", "交通银行 (2)", Severity.ERROR)
    ]
    assert "交通银行" in ledger.problems[0].message


def test_a_merged_list_beside_its_parts_is_refused() -> None:
    merged = sheet([BANK, [1, "甲", 100], [2, "乙", 200], [3, "丙", 50], ["合计", None, 350]], "全部")
    ledger = parse_workbook(banks(merged))
    assert [(p.code, p.sheet) for p in ledger.problems] == [("table.double_counted", "全部")]
    assert "350" in ledger.problems[0].message


def test_two_lists_with_the_same_total_by_chance_are_both_read() -> None:
    ledger = parse_workbook(
        Workbook(
            "捐款.xlsx", (sheet([BANK, [1, "甲", 100]], "交通银行"), sheet([BANK, [1, "乙", 100]], "支付宝"))
        )
    )
    assert ledger.total == Decimal(200)
    assert not [p for p in ledger.problems if p.is_error]


def test_the_title_of_several_lists_is_what_their_titles_share() -> None:
    """One account's title must not head the merged table of all accounts."""
    sheets = [
        sheet(
            [[f"武汉市红十字会接收社会捐赠明细（{bank}账户）"], ["捐赠人", "金额"], [f"{bank}甲", 100]],
            name=bank,
        )
        for bank in ("交通银行", "农业银行")
    ]
    ledger = parse_workbook(Workbook("x.xlsx", tuple(sheets)))
    assert len(ledger.donations) == 2
    assert ledger.title == "武汉市红十字会接收社会捐赠明细"


@pytest.mark.parametrize(
    ("titles", "shared"),
    [
        (("某某协会第一批捐款公示", "某某协会第二批捐款公示"), None),  # never “某某协会第”
        (("某某协会捐款明细（一）", "某某协会捐款明细（二）"), "某某协会捐款明细"),
        (("某某协会捐款明细-微信", "某某协会捐款明细-银行"), "某某协会捐款明细"),
        (("某某协会捐款明细", "某某协会捐款明细（续）"), "某某协会捐款明细"),
        (("某某协会捐款明细表", "某某协会捐款明细单"), None),
    ],
)
def test_a_shared_title_is_never_cut_in_the_middle(titles: tuple[str, str], shared: str | None) -> None:
    sheets = [
        sheet([[title], ["捐赠人", "金额"], [f"捐赠人{i}", 100]], name=f"第{i}张")
        for i, title in enumerate(titles)
    ]
    assert parse_workbook(Workbook("x.xlsx", tuple(sheets))).title == shared


def test_lists_with_unrelated_titles_have_no_shared_title() -> None:
    sheets = [
        sheet([[title], ["捐赠人", "金额"], [f"{title}甲", 100]], name=title)
        for title in ("一月捐款", "二月捐款")
    ]
    assert parse_workbook(Workbook("x.xlsx", tuple(sheets))).title is None


@pytest.mark.parametrize(
    ("tail", "organisation", "warned"),
    [
        ([["特别感谢某某物流公司"], ["2020年2月10日"]], None, {"A5"}),
        ([["某某市慈善协会（盖章）"], ["2020年2月10日"]], "某某市慈善协会", set()),
        ([["单位：某某市慈善协会（章）"], ["2020年2月10日"]], "某某市慈善协会", set()),
        (
            [
                ["捐款账户"],
                ["某某市慈善协会"],
                ["中国农业银行某某支行"],
                ["6228480000000000"],
                ["2020年2月10日"],
            ],
            "某某市慈善协会",
            {"A5", "A7", "A8"},
        ),
    ],
)
def test_the_signing_organisation_is_never_a_line_of_thanks_or_a_bank(
    tail: list[list[Any]], organisation: str | None, warned: set[str]
) -> None:
    ledger = parse([HEADER, [1, "甲", 100], [2, "乙", 200], ["合计", None, 300], *tail])
    assert ledger.signature.organisation == organisation
    assert ledger.signature.date == dt.date(2020, 2, 10)
    assert {p.cell for p in ledger.problems if p.code == "footer.unrecognised"} == warned
    assert not [p for p in ledger.problems if p.is_error]


# --- a total stated above the list ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("above", "cell", "title"),
    [
        ([["某某协会捐款明细（合计：500元）"]], "A1", None),  # never the contradicting heading
        (
            [["某某协会捐款公示"], ["截至2月10日，我会共接收捐款2笔，金额合计900元，现公示如下："]],
            "A2",
            "某某协会捐款公示",
        ),
    ],
)
def test_a_total_stated_above_that_contradicts_the_list_is_refused_at_its_cell(
    above: list[list[Any]], cell: str, title: str | None
) -> None:
    ledger = parse([*above, HEADER, [1, "甲", 100], [2, "乙", 200], ["合计", None, 300]])
    assert [(p.code, p.cell, p.severity) for p in ledger.problems] == [
        ("total.mismatch", cell, Severity.ERROR)
    ]
    assert "300" in ledger.problems[0].message
    assert ledger.title == title


@pytest.mark.parametrize(
    "line",
    [
        "某某协会捐款明细（合计：300元）",
        "截至2月10日，我会累计接收捐款9000元，本期明细如下：",  # cumulative: no total of this list
        "某某协会捐款1000元以上名单",  # a threshold
    ],
)
def test_a_total_stated_above_that_agrees_or_is_no_total_is_no_problem(line: str) -> None:
    ledger = parse([[line], HEADER, [1, "甲", 100], [2, "乙", 200], ["合计", None, 300]])
    assert ledger.problems == ()


def test_a_total_stated_above_may_be_the_whole_sheet_s() -> None:
    rows = [
        ["捐款公示（合计：1300元）"],
        ["序号", "单位名称", "金额"],
        [1, "甲公司", 1000],
        ["合计", None, 1000],
        [],
        ["个人捐款"],
        HEADER,
        [1, "张三", 300],
        ["合计", None, 300],
    ]
    assert not [p for p in parse(rows).problems if p.is_error]


def test_a_goods_table_above_the_cash_list_is_skipped_and_the_list_read() -> None:
    rows = [
        ["一、物资捐赠"],
        ["序号", "捐赠单位", "物资名称", "数量"],
        [1, "某某药业", "消毒液", "500瓶"],
        ["二、资金捐赠"],
        HEADER,
        [1, "甲公司", 50000],
        [2, "乙", 200],
        ["合计", None, 50200],
    ]
    ledger = parse(rows)
    assert [d.donor for d in ledger.donations] == ["甲公司", "乙"]
    assert ("sheet.skipped", "A2") in found(ledger)
    assert not any(p.is_error for p in ledger.problems)
