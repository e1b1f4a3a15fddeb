"""Spec of `toolkit.parse.table`: which rows below the header are donors, and where the footer starts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.parse.grids import HEADER, SIGNATURE, donors, found, parse
from tests.workbooks import (
    SEED_ORG,
)


def test_signature_right_after_the_last_donor() -> None:
    rows = [HEADER, [1, "张三", 100], [2, "李四", 200], *SIGNATURE]
    ledger = parse(rows)
    assert ledger.problems == ()
    assert len(ledger.donations) == 2
    assert ledger.signature.organisation == SEED_ORG
    assert ledger.signature.receiver == "朱蕊"


def test_organisation_line_in_the_name_column_is_not_a_donor() -> None:
    rows = [HEADER, [1, "张三", 100], [None, SEED_ORG, None], ["日期", "2020-02-05"]]
    ledger = parse(rows)
    assert ledger.problems == ()
    assert len(ledger.donations) == 1
    assert ledger.signature.organisation == SEED_ORG


def test_pre_numbered_empty_rows_are_skipped() -> None:
    rows = [HEADER, [1, "张三", 100], [2, None, None], [3, "  ", ""], ["合计", None, 100]]
    ledger = parse(rows)
    assert ledger.problems == ()
    assert donors(ledger) == [(1, "张三", Decimal(100))]


def test_subtotal_rows_are_skipped() -> None:
    rows = [HEADER, [1, "张三", 100], ["小计", None, 100], [2, "李四", 200], ["合计", None, 300]]
    ledger = parse(rows)
    assert [d.donor for d in ledger.donations] == ["张三", "李四"]
    assert ledger.declared_total is not None
    assert ledger.declared_total.value == Decimal(300)


def test_kind_column_values_do_not_end_the_table() -> None:
    rows = [["序号", "类型", "姓名", "金额"], [1, "单位", "质协", 100], [2, "个人", "张三", 50]]
    ledger = parse(rows)
    assert [(d.donor, d.kind) for d in ledger.donations] == [("质协", "单位"), ("张三", "个人")]


def test_ragged_rows_and_none_cells() -> None:
    rows: list[list[Any]] = [HEADER, [1, "张三"], [2, "李四", 200, None, None], [None], [3, "王五", 300]]
    ledger = parse(rows)
    assert found(ledger) == {("amount.missing", "C2")}
    assert [d.donor for d in ledger.donations] == ["李四", "王五"]


@pytest.mark.parametrize(
    "name", ["大写意文化公司", "单位员工", "收款室", "合计划公司", "日期达人", "时间胶囊工作室", "金星"]
)
def test_names_that_start_like_a_label_are_donors(name: str) -> None:
    ledger = parse([HEADER, [None, name, 100], [2, "乙", 200]])
    assert ledger.problems == ()
    assert [d.donor for d in ledger.donations] == [name, "乙"]
