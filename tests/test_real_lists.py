"""Real published donation lists, end to end: read right, refused with the reason at its cell, never wrong.

Three real files from ``../shared/realworld`` (skipped when that folder is absent) are checked against
their right answers. Every pattern of its field guide is built here as a real .xlsx
(`tests.workbooks.build_xlsx`, written as Excel saves it: merges, saved formula results, rich text,
hidden sheets) and read through ``toolkit.read``. The wrong bulletins issue 11 found cannot happen.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest

from tests.workbooks import SheetSpec, build_xlsx
from toolkit.parse import parse_workbook
from toolkit.pipeline import Outcome, check_workbook, render_folder
from toolkit.read import read_workbook
from toolkit.records import Ledger
from toolkit.settings import Settings
from toolkit.validate import validate_ledger

REALWORLD = Path(__file__).resolve().parent.parent.parent / "shared" / "realworld"


def real(name: str) -> Ledger:
    path = REALWORLD / name
    if not path.exists():
        pytest.skip(f"{path} is absent")
    return parse_workbook(read_workbook(path.read_bytes(), path.name))


def codes_of(ledger: Ledger) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for problem in validate_ledger(ledger):
        found.setdefault(problem.code, []).append(problem.cell)
    return found


def ledger_of(*sheets: SheetSpec) -> Ledger:
    return parse_workbook(read_workbook(build_xlsx(*sheets), "捐款.xlsx"))


def docx_text(path: Path) -> str:
    from docx import Document

    doc = Document(io.BytesIO(path.read_bytes()))
    return "\n".join(
        "".join(t.text or "" for t in block.iter() if t.tag.endswith("}t"))
        for block in doc.element.body.iter()
        if block.tag.endswith("}p")
    )


# --- the three real files ----------------------------------------------------------------------------


def test_wuhan_cash_list_without_a_total() -> None:
    ledger = real("wuhan-cash-list-no-total.xlsx")
    assert len(ledger.donations) == 100
    assert ledger.total == Decimal("77319319.01")
    assert ledger.signature.organisation == "武汉市红十字会"
    assert ledger.signature.date == dt.date(2020, 1, 30)
    assert ledger.title == "武汉市红十字会接收社会捐赠现金一览表"
    assert ledger.notes and ledger.notes[0].startswith("注：以上为大额捐赠")
    found = codes_of(ledger)
    assert not [code for code, _ in found.items() if code in {"amount.missing", "name.missing"}]
    assert {"footer.note", "total.not_declared"} <= set(found)
    assert not any(p.is_error for p in validate_ledger(ledger))


def test_wuhan_bank_account_list_with_a_count_one_too_many() -> None:
    ledger = real("wuhan-bank-account-count-total.xlsx")
    assert len(ledger.donations) == 745
    assert ledger.total == Decimal("61609585.05")
    assert ledger.donations[-1].amount == Decimal("0.01")
    assert ledger.donations[2].donor == "金地（集团）股份有限公司"  # padded with ideographic spaces
    problems = validate_ledger(ledger)
    assert not any(p.is_error for p in problems)
    [count] = [p for p in problems if p.code == "count.mismatch"]
    assert (count.cell, count.value) == ("A748", "746人次")
    assert "746" in count.message and "745" in count.message


def test_hubei_list_with_a_merged_total() -> None:
    ledger = real("hubei-list-merged-total.xlsx")
    assert len(ledger.donations) == 60
    assert ledger.total == Decimal("3482232.11")
    assert ledger.declared_total is not None
    assert ledger.declared_total.value == Decimal("3482232.11")
    assert [d.serial for d in ledger.donations] == list(range(1, 61))
    assert not any(p.is_error for p in validate_ledger(ledger))


# --- field guide patterns as real .xlsx files ----------------------------------------------------------

HUBEI_HEADER = ["序号", "捐赠日期", "捐赠(单位/姓名）", "捐赠金额（元）", "备注"]


def test_a_sum_formula_with_its_saved_value_under_a_merged_total_label() -> None:
    rows = [
        [None, "2020年新型肺炎捐款信息"],
        [None, None, None, None, "单位：元"],
        HUBEI_HEADER,
        [1, "2020.01.22", "王宽", 100],
        [2, "2020.01.23", "万得信息技术股份有限公司", None, "定向：武汉"],
        [],
        [None, "合计"],
    ]
    ledger = ledger_of(
        SheetSpec(
            "接收捐款总数",
            rows,
            merged=["B1:E1", "B7:C7"],
            formulas={"D5": ("=250000+250000", 500000), "D7": ("=SUM(D4:D6)", 500100)},
        )
    )
    assert [(d.donor, d.amount) for d in ledger.donations] == [
        ("王宽", 100),
        ("万得信息技术股份有限公司", 500000),
    ]
    assert ledger.declared_total is not None
    assert (ledger.declared_total.value, ledger.declared_total.cell) == (Decimal(500100), "D7")
    assert not any(p.is_error for p in validate_ledger(ledger))


def test_an_unlabelled_sum_formula_that_no_longer_covers_every_row_is_a_total_mismatch() -> None:
    rows = [["捐赠人", "金额"], ["甲", 100], ["乙", 200], ["丙", 300]]
    ledger = ledger_of(SheetSpec("Sheet1", rows, formulas={"B5": ("=SUM(B2:B3)", 300)}))
    assert [(p.code, p.cell) for p in validate_ledger(ledger) if p.is_error] == [("total.mismatch", "B5")]


def test_rich_text_names_and_amounts_typed_as_text_with_no_break_spaces() -> None:
    rows = [["姓名", "金额"], [None, "\xa0 \xa0 4,000,000.00\xa0"], ["李四", "1,000"]]
    ledger = ledger_of(SheetSpec("Sheet1", rows, rich={"A2": ["张", "三"]}))
    assert [(d.donor, d.amount) for d in ledger.donations] == [
        ("张三", Decimal("4000000.00")),
        ("李四", Decimal(1000)),
    ]


def test_two_row_header_merged_down_and_across() -> None:
    rows = [["序号", "捐赠人", "捐赠金额"], [None, None, "（元）"], [1, "甲", 100], [2, "乙", 200]]
    ledger = ledger_of(SheetSpec("Sheet1", rows, merged=["A1:A2", "B1:B2"]))
    assert [(d.serial, d.donor, d.amount) for d in ledger.donations] == [(1, "甲", 100), (2, "乙", 200)]


def test_hidden_rows_inside_the_list_are_read_with_a_warning() -> None:
    rows = [["序号", "捐赠人", "金额"], [1, "甲", 100], [2, "乙", 200], [3, "丙", 300], ["合计", None, 600]]
    ledger = ledger_of(SheetSpec("Sheet1", rows, hidden_rows=[3]))
    assert ledger.total == Decimal(600)
    assert [(p.code, p.cell) for p in ledger.problems] == [("row.hidden", "A3")]


def test_hidden_and_very_hidden_sheets_are_never_read() -> None:
    ledger = ledger_of(
        SheetSpec("名单", [["捐赠人", "金额"], ["甲", 100]]),
        SheetSpec("旧版", [["捐赠人", "金额"], ["乙", 999]], state="hidden"),
        SheetSpec("更旧", [["捐赠人", "金额"], ["丙", 999]], state="very hidden"),
    )
    assert [d.donor for d in ledger.donations] == ["甲"]
    assert sorted(p.sheet for p in ledger.problems if p.code == "sheet.hidden") == ["旧版", "更旧"]


# --- the wrong bulletins of issue 11 cannot happen ---------------------------------------------------


def render(tmp_path: Path, data: bytes, settings: Settings | None = None) -> tuple[Outcome, str]:
    watched, output = tmp_path / "watched", tmp_path / "output"
    watched.mkdir()
    (watched / "捐款.xlsx").write_bytes(data)
    [result] = render_folder(watched, output, settings=settings)
    docx = output / "捐款.docx"
    return result.outcome, docx_text(docx) if docx.exists() else ""


def test_a_workbook_with_one_sheet_per_bank_account_loses_no_sheet(tmp_path: Path) -> None:
    header = ["序号", "捐赠人", "金额"]
    data = build_xlsx(
        SheetSpec("交通银行", [header, [1, "甲", 100], [2, "乙", 200], ["合计", None, 300]]),
        SheetSpec("农业银行", [header, [1, "丙", 50], ["合计", None, 50]]),
        SheetSpec("支付宝", [header, [1, "丁", 5], ["合计", None, 5], ["武汉市红十字会"], ["2020年1月30日"]]),
    )
    outcome, text = render(tmp_path, data)
    assert outcome is Outcome.RENDERED
    for name in ("甲", "乙", "丙", "丁"):
        assert name in text
    assert "355" in text
    assert "叁佰伍拾伍元整" in text
    assert "其中交通银行300元（2笔），农业银行50元（1笔），支付宝5元（1笔）。" in text


def test_a_line_of_roles_never_becomes_the_organisation_and_the_date_line_is_read(tmp_path: Path) -> None:
    rows = [
        ["序号", "捐赠人", "金额"],
        [1, "甲", 100],
        ["合计", None, 100],
        ["经手人：王丽 审核人：赵刚"],
        ["2020.01.25"],
    ]
    outcome, text = render(
        tmp_path, build_xlsx(SheetSpec("Sheet1", rows)), Settings(organisation="某某红十字会")
    )
    assert outcome is Outcome.RENDERED
    assert "经手人" not in text.split("\n收款人")[0]
    assert "某某红十字会" in text
    assert "2020年1月25日" in text


def test_a_sheet_longer_than_the_row_cap_is_refused_never_cut_short(tmp_path: Path) -> None:
    rows = [["序号", "捐赠人", "金额"], *[[i, f"捐赠人{i}", 10] for i in range(1, 61)], ["合计", None, 600]]
    data = build_xlsx(SheetSpec("Sheet1", rows))
    checked = check_workbook(data, "捐款.xlsx", Settings(max_rows=30))
    assert checked.has_errors
    assert any("max_rows" in p.message for p in checked.problems if p.is_error)
    outcome, text = render(tmp_path, data, Settings(max_rows=30))
    assert outcome is Outcome.REJECTED
    assert text == ""
