"""Spec of `toolkit.validate`: every whole-ledger check, its code, its cell and its severity.

Most ledgers come from `parse_sheet` on small grids, so each case reads as the sheet a clerk would
see; a few are built as `Ledger` records directly to pin one field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import pytest

from tests.workbooks import SEED_ORG, plain_rows, seed_rows
from toolkit.errors import Problem, Severity
from toolkit.parse import parse_sheet
from toolkit.records import Declared, Donation, DonorTable, Ledger, Sheet, Signature, Subtotal
from toolkit.validate import validate_ledger

HEADER = ["序号", "捐赠姓名", "金额/元"]
SIGNATURE = [["收款人: 朱蕊"], ["监督人: 刘刚"], [SEED_ORG], ["日期: 2020年2月5日"]]
FULL = Signature("朱蕊", "刘刚", SEED_ORG, dt.date(2020, 2, 5))


def check(rows: Sequence[Sequence[Any]], **kw: Any) -> tuple[Problem, ...]:
    return validate_ledger(parse_sheet(Sheet("Sheet1", True, [list(r) for r in rows], **kw), "捐款.xlsx"))


def found(problems: Sequence[Problem]) -> list[tuple[str, str]]:
    return [(p.code, p.cell) for p in problems]


def donation(serial: int | None, row: int, amount: str = "100") -> Donation:
    return Donation(serial, f"捐赠人{row}", Decimal(amount), "Sheet1", f"C{row}", f"B{row}")


def ledger(donations: Sequence[Donation], **kw: Any) -> Ledger:
    kw.setdefault("signature", FULL)
    return Ledger("捐款.xlsx", "Sheet1", tuple(donations), **kw)


def test_seed_has_no_problems() -> None:
    assert check(seed_rows()) == ()


def test_plain_list_with_matching_total_and_capitals_has_no_problems() -> None:
    assert check(plain_rows([("张三", 20000), ("李四", "30000")], total=50000, capitals="伍万元整")) == ()


# --- totals --------------------------------------------------------------------------------------


def test_total_mismatch_names_both_figures_and_the_cell() -> None:
    problems = check([HEADER, [1, "张三", 100], [2, "李四", 250.5], ["合计", None, "350元"], *SIGNATURE])
    assert found(problems) == [("total.mismatch", "C4")]
    problem = problems[0]
    assert (problem.severity, problem.value, problem.file, problem.sheet) == (
        Severity.ERROR,
        "350元",
        "捐款.xlsx",
        "Sheet1",
    )
    for figure in ("350", "350.50", "0.50"):
        assert figure in problem.message


def test_total_mismatch_says_when_rows_were_left_out() -> None:
    problems = check([HEADER, [1, "张三", 100], [2, "李四", "abc"], ["合计", None, 300], *SIGNATURE])
    assert found(problems) == [("amount.not_a_number", "C3"), ("total.mismatch", "C4")]
    assert "1 处" in problems[1].message


def test_total_formula_without_value_is_recomputed_not_failed() -> None:
    rows = [HEADER, [1, "张三", 100], ["合计", None, 0], ["大写", "叁佰元整"], *SIGNATURE]
    problems = check(rows, placeholder_formulas=frozenset({(2, 2), (3, 1)}))
    assert found(problems) == [("total.formula_unknown", "C3"), ("capitals.formula_unknown", "B4")]
    assert all(p.severity is Severity.WARNING for p in problems)


def test_capitals_mismatch() -> None:
    rows = [HEADER, [1, "张三", 100], [2, "李四", 200], ["合计", None, 300, "大写：叁佰伍拾元整"], *SIGNATURE]
    problems = check(rows)
    assert found(problems) == [("capitals.mismatch", "D4")]
    assert "叁佰元整" in problems[0].message
    assert problems[0].severity is Severity.ERROR


@pytest.mark.parametrize("text", ["伍万", "五万元整", "abc"])
def test_capitals_invalid(text: str) -> None:
    problems = check([HEADER, [1, "张三", 50000], ["大写", text], *SIGNATURE])
    assert found(problems) == [("capitals.invalid", "B3")]
    assert text in problems[0].message


def test_capitals_compared_with_the_sum_not_the_declared_total() -> None:
    rows = [HEADER, [1, "张三", 100], ["合计", None, 200], ["大写", "贰佰元整"], *SIGNATURE]
    assert found(check(rows)) == [("total.mismatch", "C3"), ("capitals.mismatch", "B4")]


def test_declared_total_with_unknown_value_is_not_compared() -> None:
    assert validate_ledger(ledger([donation(1, 2)], declared_total=Declared(None, "Sheet1", "C9"))) == ()


# --- empty and missing -----------------------------------------------------------------------------


def test_header_without_donors_is_an_empty_ledger() -> None:
    problems = check([["标题"], HEADER, [1, None, None], *SIGNATURE])
    assert found(problems) == [("ledger.empty", "")]
    assert problems[0].severity is Severity.ERROR
    assert problems[0].sheet == "Sheet1"


def test_no_empty_ledger_error_when_row_errors_explain_it() -> None:
    assert found(check([HEADER, [1, "张三", "abc"]])) == [("amount.not_a_number", "C2")]


def test_header_not_found_is_the_only_problem() -> None:
    problems = check([["你好"], ["没有表头"]])
    assert found(problems) == [("header.not_found", "")]


@pytest.mark.parametrize(
    ("missing", "code"),
    [
        ("收款人", "signature.missing_receiver"),
        ("监督人", "signature.missing_supervisor"),
        (SEED_ORG, "signature.missing_organisation"),
        ("日期", "signature.missing_date"),
    ],
)
def test_missing_signature_field_is_a_warning(missing: str, code: str) -> None:
    rows = [HEADER, [1, "张三", 100], ["合计", None, 100], *[r for r in SIGNATURE if missing not in r[0]]]
    problems = check(rows)
    assert found(problems) == [(code, "")]
    assert problems[0].severity is Severity.WARNING
    assert "手写" in problems[0].message


def test_no_signature_at_all_gives_four_warnings() -> None:
    problems = check([HEADER, [1, "张三", 100], ["合计", None, 100]])
    assert [p.code for p in problems] == [
        "signature.missing_receiver",
        "signature.missing_supervisor",
        "signature.missing_organisation",
        "signature.missing_date",
    ]


def test_a_label_left_empty_is_reported_once_at_its_cell() -> None:
    rows = [HEADER, [1, "张三", 100], ["合计", None, 100], ["收款人："], *SIGNATURE[1:]]
    assert found(check(rows)) == [("signature.missing_receiver", "A4")]


def test_unreadable_date_is_not_also_reported_missing() -> None:
    rows = [HEADER, [1, "张三", 100], ["合计", None, 100], *SIGNATURE[:3], ["日期", "二月五日"]]
    assert found(check(rows)) == [("signature.date_unreadable", "B7")]


# --- serial numbers ------------------------------------------------------------------------------


def test_duplicate_serial_names_both_rows() -> None:
    rows = [HEADER, [1, "张三", 1], [2, "李四", 1], [2, "王五", 1], [3, "赵六", 1], ["合计", None, 4]]
    problems = check([*rows, *SIGNATURE])
    assert found(problems) == [("serial.duplicate", "A4")]
    problem = problems[0]
    assert problem.severity is Severity.WARNING
    assert "第 3 行" in problem.message
    assert "第 4 行" in problem.message
    assert problem.value == "2"


@pytest.mark.parametrize(
    ("serials", "expected"),
    [
        ([1, 2, 4], [("serial.out_of_sequence", "A4")]),
        ([1, 2, 6], [("serial.out_of_sequence", "A4")]),
        ([2, 3, 4], [("serial.out_of_sequence", "A2")]),
        ([1, 2, 3], []),
        ([1, None, 2], []),
    ],
)
def test_serial_gaps(serials: list[int | None], expected: list[tuple[str, str]]) -> None:
    rows = [HEADER, *[[s, f"捐赠人{i}", 1] for i, s in enumerate(serials)], ["合计", None, len(serials)]]
    assert found(check([*rows, *SIGNATURE])) == expected


def test_serial_gap_message_names_what_is_missing() -> None:
    problems = validate_ledger(ledger([donation(1, 2), donation(2, 3), donation(6, 4)]))
    assert "缺少 3～5" in problems[0].message
    assert "第 4 行" in problems[0].message


def test_serial_problems_name_the_serial_cell_of_their_group() -> None:
    rows = [HEADER * 2, [1, "甲", 1, 3, "丙", 3], [2, "乙", 2, 3, "丁", 4], [None, None, None, 6, "戊", 5]]
    problems = check([*rows, ["合计", None, 15], *SIGNATURE])
    assert found(problems) == [("serial.duplicate", "D3"), ("serial.out_of_sequence", "D4")]


def test_serial_problems_without_a_serial_cell_fall_back_to_the_name_cell() -> None:
    problems = validate_ledger(ledger([donation(1, 2), donation(1, 3), donation(3, 4)]))
    assert found(problems) == [("serial.duplicate", "B3"), ("serial.out_of_sequence", "B4")]


def test_packed_numbering_across_is_not_out_of_sequence() -> None:
    rows = [HEADER * 2, [1, "甲", 1, 2, "乙", 2], [3, "丙", 3, 4, "丁", 4], ["合计", None, 10], *SIGNATURE]
    assert check(rows) == ()


# --- all problems, in order --------------------------------------------------------------------


def test_all_problems_sorted_by_sheet_row_and_column() -> None:
    rows = [
        HEADER,
        [1, "张三", "abc"],
        [2, None, 5],
        [3, "李\x00四", -1],
        [3, "王五", 5],  # no serial.out_of_sequence: refused rows leave gaps of their own
        ["合计", None, 100],
        ["日期", "明天"],
    ]
    problems = check(rows)
    assert found(problems) == [
        ("amount.not_a_number", "C2"),
        ("name.missing", "B3"),
        ("text.illegal_chars", "B4"),
        ("amount.negative", "C4"),
        ("total.mismatch", "C6"),
        ("signature.date_unreadable", "B7"),
        ("signature.missing_receiver", ""),
        ("signature.missing_supervisor", ""),
        ("signature.missing_organisation", ""),
    ]


def test_columns_sort_numerically() -> None:
    problems = (
        Problem("x.b", "b", cell="AA2", sheet="S"),
        Problem("x.a", "a", cell="B10", sheet="S"),
        Problem("x.c", "c", cell="Z2", sheet="S"),
    )
    result = validate_ledger(ledger([donation(1, 2)], problems=problems))
    assert [p.cell for p in result] == ["Z2", "AA2", "B10"]


def test_every_problem_is_located_and_in_chinese() -> None:
    rows = [HEADER, [1, "张三", "abc"], [1, None, 5], ["合计", None, 1], ["大写", "伍元整"]]
    problems = check(rows)
    assert problems
    for problem in problems:
        assert (problem.file, problem.sheet) == ("捐款.xlsx", "Sheet1")
        assert re.search("[\u4e00-\u9fff]", problem.message)
        assert re.fullmatch(r"[a-z]+\.[a-z_]+", problem.code)


# --- rows the table does not cover -----------------------------------------------------------------


def test_donors_below_the_total_are_one_error_and_nothing_else() -> None:
    rows = [
        ["序号", "姓名", "金额"],
        [1, "甲", 100],
        [2, "乙", 200],
        ["合计", "", 300],
        [3, "丙", 50],
        [4, "丁", 60],
        ["收款人：张三"],
        ["监督人：李四"],
        ["X协会"],
        ["日期：2020年2月5日"],
    ]
    problems = check(rows)
    assert found(problems) == [("ledger.rows_after_total", "B5")]
    assert problems[0].severity is Severity.ERROR


def test_all_donors_below_the_total_is_no_empty_ledger() -> None:
    problems = check([HEADER, ["合计", None, 100], [1, "甲", 100], *SIGNATURE])
    assert found(problems) == [("ledger.rows_after_total", "B3")]


def test_starter_title_is_a_warning_only() -> None:
    problems = check(
        [["××单位爱心捐款名单（请修改标题）"], HEADER, [1, "甲", 100], ["合计", None, 100], *SIGNATURE]
    )
    assert [(p.code, p.cell, p.severity) for p in problems] == [("title.placeholder", "A1", Severity.WARNING)]


# --- several tables, each checked against its own figures ----------------------------------------


def table(sheet: str, rows: Sequence[int], **kw: Any) -> DonorTable:
    donations = tuple(
        Donation(i, f"捐赠人{r}", Decimal(100), sheet, f"C{r}", f"B{r}") for i, r in enumerate(rows, 1)
    )
    return DonorTable(sheet=sheet, header="A1:C1", donations=donations, **kw)


def tabled(*tables: DonorTable) -> Ledger:
    donations = tuple(d for t in tables for d in t.donations)
    return Ledger("捐款.xlsx", tables[0].sheet, donations, signature=FULL, tables=tables)


def test_each_table_is_checked_against_its_own_total_and_serials() -> None:
    first = table("交通银行", [2, 3], declared_total=Declared(Decimal(200), "交通银行", "C4", "200"))
    second = table("农业银行", [2], declared_total=Declared(Decimal(200), "农业银行", "C3", "200"))
    problems = validate_ledger(tabled(first, second))
    assert [(p.code, p.sheet, p.cell) for p in problems] == [("total.mismatch", "农业银行", "C3")]


def test_a_total_under_the_last_table_of_a_sheet_may_be_the_sheets_grand_total() -> None:
    first = table("S", [2, 3], declared_total=Declared(Decimal(200), "S", "C4", "200"))
    second = table("S", [6], declared_total=Declared(Decimal(300), "S", "C7", "300"))
    assert validate_ledger(tabled(first, second)) == ()


def test_a_declared_count_that_differs_is_a_warning_naming_both() -> None:
    problems = validate_ledger(
        tabled(
            table(
                "S",
                [2, 3],
                declared_count=Declared(Decimal(3), "S", "A4", "共3人"),
                declared_total=Declared(Decimal(200), "S", "B4", "200"),
            )
        )
    )
    assert [(p.code, p.cell, p.severity) for p in problems] == [("count.mismatch", "A4", Severity.WARNING)]
    assert "3" in problems[0].message and "2 笔" in problems[0].message


def test_a_subtotal_is_checked_against_the_donations_it_covers() -> None:
    covered = table("S", [2, 3])
    wrong = Subtotal(Declared(Decimal(250), "S", "C4", "250"), "小计", "第 2～3 行", covered.donations)
    problems = validate_ledger(
        tabled(
            table("S", [2, 3], subtotals=(wrong,), declared_total=Declared(Decimal(200), "S", "C5", "200"))
        )
    )
    assert [(p.code, p.cell) for p in problems] == [("subtotal.mismatch", "C4")]
    assert "第 2～3 行" in problems[0].message


def test_a_table_read_without_any_total_gets_a_note() -> None:
    problems = validate_ledger(tabled(table("S", [2, 3])))
    assert [(p.code, p.severity) for p in problems] == [("total.not_declared", Severity.WARNING)]
    assert "200" in problems[0].message


def test_a_grand_total_under_the_last_table_covers_tables_above_without_their_own() -> None:
    first = table("S", [2, 3])
    second = table("S", [6], declared_total=Declared(Decimal(300), "S", "C7", "300"))
    assert validate_ledger(tabled(first, second)) == ()


def test_a_table_without_a_total_among_several_is_named_by_its_header() -> None:
    first = table("S", [2, 3])
    second = table("S", [6], declared_total=Declared(Decimal(100), "S", "C7", "100"))
    problems = validate_ledger(tabled(first, second))
    assert [(p.code, p.sheet) for p in problems] == [("total.not_declared", "S")]
    assert "表头在 A1:C1 的名单" in problems[0].message and "200 元" in problems[0].message
