"""Records passed between the stages: cell addresses, a sheet's grid, a ledger's sums, an input's outcome."""

from __future__ import annotations

from decimal import Decimal

import pytest

from toolkit.records import Donation, Ledger, Outcome, Sheet, cell_name, column_letter


@pytest.mark.parametrize(
    ("col", "letters"), [(1, "A"), (3, "C"), (26, "Z"), (27, "AA"), (702, "ZZ"), (703, "AAA"), (16384, "XFD")]
)
def test_column_letter(col: int, letters: str) -> None:
    assert column_letter(col) == letters


def test_cell_name_is_a1_of_a_zero_based_position() -> None:
    assert cell_name(6, 2) == "C7"
    assert cell_name(0, 0) == "A1"


def test_a_sheet_is_empty_outside_its_ragged_grid() -> None:
    sheet = Sheet("Sheet1", True, [["序号", "姓名", "金额"], [1, "张三"]])
    assert sheet.value(1, 1) == "张三"
    assert sheet.value(1, 2) is None
    assert sheet.value(5, 0) is None
    assert sheet.value(-1, 0) is None


def donation(amount: str, kind: str | None = None) -> Donation:
    return Donation(None, "某人", Decimal(amount), "Sheet1", "C2", "B2", kind)


def test_ledger_sums_are_exact() -> None:
    ledger = Ledger(
        "a.xlsx", "Sheet1", (donation("0.1", "个人"), donation("0.2", "个人"), donation("100", "单位"))
    )
    assert ledger.total == Decimal("100.3")
    assert ledger.subtotal("个人") == Decimal("0.3")
    assert ledger.subtotal("单位") == Decimal("100")
    assert ledger.has_kinds


def test_an_empty_ledger_sums_to_zero() -> None:
    ledger = Ledger("a.xlsx", "Sheet1", ())
    assert ledger.total == Decimal(0)
    assert not ledger.has_kinds


def test_outcomes_are_members_not_strings() -> None:
    assert [o.value for o in Outcome] == ["rendered", "rejected", "unchanged", "busy", "not_ready", "failed"]
    assert Outcome.RENDERED != "rendered"  # compare members: `outcome is Outcome.RENDERED`
