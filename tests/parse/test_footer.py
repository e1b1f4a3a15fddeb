"""Spec of `toolkit.parse.footer`: the signature block, and donors left on or below the footer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from tests.parse.grids import HEADER, SIGNATURE, SIGNED, donors, found, parse
from tests.workbooks import (
    SEED_ORG,
)
from toolkit.errors import Severity


def test_organisation_label_wins_over_a_lone_line() -> None:
    rows = [HEADER, [1, "张三", 100], ["单位：某协会"], ["另一行文字"], ["日期", "2020-02-05"]]
    assert parse(rows).signature.organisation == "某协会"


@pytest.mark.parametrize(
    "row",
    [
        ["收款人: 朱蕊"],
        ["收款人：朱蕊"],
        ["收款人 朱蕊"],
        ["收款人朱蕊"],
        ["收 款 人：朱蕊"],
        ["收款人", "朱蕊"],
        ["收款人：", None, " 朱蕊 "],
    ],
)
def test_receiver_label_and_value_in_one_cell_or_side_by_side(row: list[Any]) -> None:
    assert parse([HEADER, [1, "甲", 1], row]).signature.receiver == "朱蕊"


def test_signature_labels_on_one_row() -> None:
    rows = [
        HEADER,
        [1, "甲", 1],
        ["收款人：朱蕊", None, "监督人：刘刚"],
        ["组织单位", "某协会", "日期", "2020/2/5"],
    ]
    signature = parse(rows).signature
    assert (signature.receiver, signature.supervisor) == ("朱蕊", "刘刚")
    assert (signature.organisation, signature.date) == ("某协会", dt.date(2020, 2, 5))


def test_a_phone_number_after_a_signature_is_no_donation() -> None:
    ledger = parse([HEADER, [1, "甲", 1], ["收款人", "朱蕊", 13800000000]])
    assert ledger.problems == ()
    assert len(ledger.donations) == 1
    assert ledger.signature.receiver == "朱蕊"


def test_several_labels_in_one_cell() -> None:
    rows = [HEADER, [1, "甲", 1], ["收款人：朱蕊  监督人：刘刚"], ["单位：某协会 日期：2020年2月5日"]]
    signature = parse(rows).signature
    assert (signature.receiver, signature.supervisor) == ("朱蕊", "刘刚")
    assert (signature.organisation, signature.date) == ("某协会", dt.date(2020, 2, 5))


@pytest.mark.parametrize(
    "row",
    [
        ["日期", dt.date(2020, 2, 5)],
        ["日期", dt.datetime(2020, 2, 5, 9, 30)],
        ["日期: 2020年2月5日"],
        ["日期：2020-02-05"],
        ["日期", "2020/2/5"],
        ["日期", "2020.2.5"],
        ["日期", "２０２０年２月５日"],
        ["日期", 43866],
        ["日期", 43866.0],
        ["日期", "20200205"],
        ["日期", 20200205],
        ["日期", "二〇二〇年二月五日"],
        ["日期", "二零二零年二月五日"],
        ["日期", "2020-02-05 10:30"],
    ],
)
def test_date_forms(row: list[Any]) -> None:
    ledger = parse([HEADER, [1, "甲", 1], row])
    assert ledger.signature.date == dt.date(2020, 2, 5)
    assert ledger.problems == ()


@pytest.mark.parametrize(
    ("value", "cell"), [("二〇二〇年二月三十日", "B3"), ("2020-02-30", "B3"), (2020, "B3")]
)
def test_unreadable_date_is_a_warning(value: Any, cell: str) -> None:
    ledger = parse([HEADER, [1, "甲", 1], ["日期", value]])
    assert found(ledger) == {("signature.date_unreadable", cell)}
    assert ledger.problems[0].severity is Severity.WARNING
    assert ledger.signature.date is None


def test_missing_signature_is_left_to_validate() -> None:
    ledger = parse([HEADER, [1, "甲", 1]])
    assert ledger.problems == ()
    assert ledger.signature.receiver is None
    assert ledger.signature.date is None


@pytest.mark.parametrize(
    ("row", "code", "field"),
    [
        (["收款人："], "signature.missing_receiver", "receiver"),
        (["收 款 人:", None, None], "signature.missing_receiver", "receiver"),
        (["监督人："], "signature.missing_supervisor", "supervisor"),
        (["单位："], "signature.missing_organisation", "organisation"),
        (["日期："], "signature.missing_date", "date"),
    ],
)
def test_a_label_left_without_a_value_is_a_warning_at_its_cell(row: list[Any], code: str, field: str) -> None:
    ledger = parse([HEADER, [1, "甲", 1], row])
    assert found(ledger) == {(code, "A3")}
    (problem,) = ledger.problems
    assert problem.severity is Severity.WARNING
    assert "后面没有填写" in problem.message and "手写" in problem.message
    assert getattr(ledger.signature, field) is None


def test_an_empty_label_before_another_label_in_one_cell_is_reported_not_taken_as_its_value() -> None:
    ledger = parse([HEADER, [1, "甲", 1], ["收款人：监督人：刘刚"]])
    assert (ledger.signature.receiver, ledger.signature.supervisor) == (None, "刘刚")
    assert found(ledger) == {("signature.missing_receiver", "A3")}


def test_an_empty_organisation_label_is_no_problem_when_a_line_names_it() -> None:
    ledger = parse([HEADER, [1, "甲", 1], ["单位："], ["某某协会"], ["日期：2020年2月5日"]])
    assert ledger.signature.organisation == "某某协会"
    assert ledger.problems == ()


def test_signature_values_keep_full_width_brackets() -> None:
    rows = [HEADER, [1, "甲", 1], ["单位：新疆（乌鲁木齐）质量协会"], ["收款人：朱蕊（出纳）"]]
    signature = parse(rows).signature
    assert signature.organisation == "新疆（乌鲁木齐）质量协会"
    assert signature.receiver == "朱蕊（出纳）"


@pytest.mark.parametrize(
    ("rows", "cell", "name"),
    [
        # below the 合计 (the QA repro)
        (
            [
                HEADER,
                [1, "甲", 100],
                [2, "乙", 200],
                ["合计", "", 300],
                [3, "丙", 50],
                [4, "丁", 60],
                *SIGNED,
            ],
            "B5",
            "丙",
        ),
        # below the whole signature block
        ([HEADER, [1, "甲", 100], [2, "乙", 200], ["合计", "", 300], *SIGNED, [3, "丙", 50]], "B9", "丙"),
        # inside the signature block, no 合计, no serial, amount typed as text
        ([HEADER, [1, "甲", 100], [2, "乙", 200], SIGNED[0], [None, "丙", "50元"], *SIGNED[1:]], "B5", "丙"),
        # right of the footer labels in a packed table
        (
            [
                HEADER * 2,
                [1, "甲", 100, 3, "丙", 50],
                [2, "乙", 200],
                ["合计", None, 350],
                [None, None, None, 4, "丁", 60],
            ],
            "E5",
            "丁",
        ),
        # shifted out of the group's columns: 序号, name and amount side by side
        ([HEADER, [1, "甲", 100], ["合计", None, 100], [None, 2, "乙", 200.5]], "C4", "乙"),
    ],
)
def test_donor_rows_below_the_total_or_the_signature_are_an_error(
    rows: list[list[Any]], cell: str, name: str
) -> None:
    ledger = parse(rows)
    assert found(ledger) == {("ledger.rows_after_total", cell)}
    problem = ledger.problems[0]
    assert (problem.severity, problem.value) == (Severity.ERROR, name)
    for text in (name, "没有计入", "合计行上方"):
        assert text in problem.message
    assert name not in [d.donor for d in ledger.donations]


def test_rows_after_total_error_counts_the_rows_and_names_the_end_of_the_table() -> None:
    rows = [HEADER, [1, "甲", 100], [2, "乙", 200], ["合计", "", 300], [3, "丙", 50], [4, "丁", 60], *SIGNED]
    ledger = parse(rows)
    assert donors(ledger) == [(1, "甲", Decimal(100)), (2, "乙", Decimal(200))]
    message = ledger.problems[0].message
    for text in ("第 4 行", "合计", "第 5、6 行", "50"):
        assert text in message


def test_donor_rows_past_the_footer_scan_window_are_still_found() -> None:
    rows = [HEADER, [1, "甲", 100], ["合计", None, 100], *SIGNED, *[[]] * 120, [2, "乙", 200]]
    assert found(parse(rows)) == {("ledger.rows_after_total", "B128")}


@pytest.mark.parametrize(
    "row",
    [
        [SEED_ORG],
        ["说明：以上捐款已全部转入协会账户，共 45 人", None, 45],
        ["制表人：", "朱蕊"],
        ["2020年2月5日"],
        [None, "2020年2月5日", 1],
        ["小计", None, 300],
        [None, "个人小计", 34461.73],
        [None, "个人捐款", 34461.73],
        [None, "其中单位", 15538.27],
        ["联系人", "朱蕊", 13800000000],
        [None, "朱蕊", 13800000000],
        ["经手人", "朱蕊", None, "电话", 13800000000],
        [3, None, None],
        [None, "捐赠姓名", "金额/元"],
        [None, 123, 456],
    ],
)
def test_lines_below_the_total_that_are_no_donors(row: list[Any]) -> None:
    rows = [HEADER, [1, "甲", 100], [2, "乙", 200], ["合计", None, 300], row, *SIGNATURE]
    ledger = parse(rows)
    assert "ledger.rows_after_total" not in {p.code for p in ledger.problems}
    assert len(ledger.donations) == 2


def test_rows_after_total_message_quotes_a_clean_name() -> None:
    rows = [HEADER, [1, "甲", 100], ["合计", None, 100], [2, " 乙\x0b  二 ", "¥200"]]
    problem = parse(rows).problems[0]
    assert (problem.code, problem.cell, problem.value) == ("ledger.rows_after_total", "B4", "乙 二")
    assert "“乙 二”，金额 ¥200" in problem.message


# --- lines under the list, as real lists write them ---------------------------------------------


def test_a_line_of_roles_is_never_the_organisation() -> None:
    """The wrong bulletin of issue 11: 经手人：王丽 审核人：赵刚 became the organisation, and the date blank."""
    rows = [HEADER, [1, "甲", 100], ["合计", None, 100], ["经手人：王丽 审核人：赵刚"], ["2020.01.25"]]
    signature = parse(rows).signature
    assert signature.organisation is None
    assert signature.date == dt.date(2020, 1, 25)
    assert signature.roles == (("经手人", "王丽"), ("审核人", "赵刚"))


@pytest.mark.parametrize(
    "row",
    [
        ["复核人：赵刚"],
        ["会计：赵刚"],
        ["出纳：赵刚"],
        ["制表人：赵刚"],
        ["经手人", "赵刚"],
    ],
)
def test_other_roles_are_kept_for_the_template(row: list[Any]) -> None:
    signature = parse([HEADER, [1, "甲", 100], row, ["某某协会"]]).signature
    assert signature.roles[0][1] == "赵刚"
    assert signature.organisation == "某某协会"


def test_receiver_and_supervisor_in_one_cell_with_ideographic_spaces() -> None:
    rows = [HEADER, [1, "甲", 100], ["收款人：张敏\u3000\u3000监督人：李军"]]
    signature = parse(rows).signature
    assert (signature.receiver, signature.supervisor) == ("张敏", "李军")


@pytest.mark.parametrize(
    "line",
    [
        dt.date(2020, 1, 30),
        dt.datetime(2020, 1, 30),
        43860,
        43860.0,
        "2020-01-30",
        "2020.01.30",
        "2020年1月30日",
        "二〇二〇年一月三十日",
    ],
)
def test_the_date_on_its_own_line_in_every_form(line: Any) -> None:
    ledger = parse([HEADER, [1, "甲", 100], [], ["武汉市红十字会"], [line]])
    assert ledger.signature.date == dt.date(2020, 1, 30)
    assert ledger.signature.organisation == "武汉市红十字会"
    assert [d.donor for d in ledger.donations] == ["甲"]


def test_a_note_is_kept_and_reported() -> None:
    rows = [HEADER, [1, "甲", 100], ["合计", None, 100], ["注：二维码扫码捐赠明细暂不包括。"]]
    ledger = parse(rows)
    assert ledger.notes == ("注：二维码扫码捐赠明细暂不包括。",)
    assert found(ledger) == {("footer.note", "A4")}
    assert ledger.problems[0].severity is Severity.WARNING


def test_the_organisation_nearest_above_the_date_wins_and_other_lines_are_reported() -> None:
    rows = [
        HEADER,
        [1, "甲", 100],
        ["合计", None, 100],
        ["感谢社会各界的爱心"],
        ["某某协会"],
        ["某某红十字会"],
        ["2020年2月5日"],
    ]
    ledger = parse(rows)
    assert ledger.signature.organisation == "某某红十字会"
    assert found(ledger) == {("footer.unrecognised", "A4"), ("footer.unrecognised", "A5")}
    assert all(p.severity is Severity.WARNING for p in ledger.problems)


def test_a_unit_line_under_the_list_is_no_organisation() -> None:
    assert parse([HEADER, [1, "甲", 100], ["单位：元"]]).signature.organisation is None


def test_lines_nobody_reads_are_reported_never_counted() -> None:
    rows = [
        HEADER,
        [1, "甲", 100],
        ["合计", None, 100],
        [],
        ["以上捐款已全部转入"],
        [None, "朱蕊", 13800000000],
    ]
    ledger = parse(rows)
    assert found(ledger) == {("footer.unrecognised", "A5"), ("footer.unrecognised", "B6")}
    assert ledger.total == Decimal(100)


def test_the_forms_end_mark_is_no_donor_and_no_unread_line() -> None:
    """以下空白 under the last donor (before the 合计) or under the 合计: nothing follows, nothing to say."""
    rows = [
        HEADER,
        [1, "甲", 100],
        [None, "以下空白", None],
        ["合计", None, 100],
        ["（以下空白）"],
        *SIGNATURE,
    ]
    ledger = parse(rows)
    assert ledger.problems == ()
    assert [d.donor for d in ledger.donations] == ["甲"]


def test_a_name_like_an_organisation_between_the_donors_and_the_total_is_never_the_organisation() -> None:
    """某某科技有限公司 with no amount above the 合计 is most likely a donor missing its amount:
    reported at its cell, and the bulletin never names it as the organisation."""
    rows = [HEADER, [1, "甲", 100], [None, "某某科技有限公司", None], ["合计", None, 100], ["X协会"]]
    ledger = parse(rows)
    assert ledger.signature.organisation == "X协会"
    assert ("footer.unrecognised", "B3") in found(ledger)


@pytest.mark.parametrize("line", ["注：金额单位为万元", "单位：万元"])
def test_a_unit_stated_under_the_list_that_the_header_does_not_say_is_refused(line: str) -> None:
    ledger = parse([HEADER, [1, "甲公司", 10], ["合计", None, 10], [line], *SIGNATURE])
    assert ("unit.conflict", "A4") in found(ledger)


def test_a_key_value_line_of_no_known_label_is_reported_never_read() -> None:
    ledger = parse([HEADER, [1, "甲", 100], ["合计", None, 100], ["补录：王五 500元"], *SIGNATURE])
    assert ("footer.unrecognised", "A4") in found(ledger)
    assert ledger.total == Decimal(100)


def test_a_count_and_capitals_on_the_total_row_are_read() -> None:
    ledger = parse([HEADER, [1, "甲", 100], [2, "乙", 200], ["合计", "3人", 300], *SIGNATURE])
    assert ledger.tables[0].declared_count is not None
    assert ledger.tables[0].declared_count.value == Decimal(3)
    ledger = parse([HEADER, [1, "甲", 100], [2, "乙", 200], ["合计：叁佰元整", None, 300], *SIGNATURE])
    assert ledger.problems == ()
    assert (ledger.declared_total.value, ledger.declared_capitals.value) == (Decimal(300), "叁佰元整")


@pytest.mark.parametrize(
    "lines",
    [
        [["X协会 2020年2月10日"]],
        [["X协会\n2020年2月10日"]],
        [["X协会", None, "2020年2月10日"]],
    ],
)
def test_organisation_and_date_in_one_cell_or_one_row(lines: list[list[Any]]) -> None:
    ledger = parse([HEADER, [1, "甲", 100], ["合计", None, 100], *lines])
    assert (ledger.signature.organisation, ledger.signature.date) == ("X协会", dt.date(2020, 2, 10))
    assert "footer.unrecognised" not in {p.code for p in ledger.problems}
