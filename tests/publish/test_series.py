"""Notes from the register about a bulletin's place in its series (`toolkit.publish.series`)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from toolkit.publish.register import Register
from toolkit.publish.series import in_issue_order, running_notes, shared_number_notes, shows_running
from toolkit.records import Edition
from toolkit.settings import Settings


def test_a_running_total_is_shown_by_a_setting_or_by_the_template() -> None:
    assert not shows_running(Settings(), frozenset({"intro", "issue"}))
    assert shows_running(Settings(intro_running="累计{running}元。"), frozenset())
    assert shows_running(Settings(), frozenset({"running_total"}))


def test_earlier_issues_come_first_and_new_workbooks_last(tmp_path: Path) -> None:
    register = Register(tmp_path)
    register.number_for("b.xlsx")
    register.number_for("a.xlsx")
    paths = [tmp_path / n for n in ("a.xlsx", "b.xlsx", "c.xlsx", "0.xlsx")]
    assert [p.name for p in in_issue_order(register, paths)] == ["b.xlsx", "a.xlsx", "c.xlsx", "0.xlsx"]


def test_the_notes(tmp_path: Path) -> None:
    register = Register(tmp_path)
    for source, total in (("a.xlsx", Decimal(50000)), ("b.xlsx", Decimal(50000))):
        record = register.number_for(source)
        register.written(
            source,
            Edition(record.number, 0, register.running_total(record, total)),
            source[0] + ".docx",
            total,
            "",
            source[0],
        )
    b = register.get("b.xlsx")
    assert b is not None and running_notes(register, b) == ()
    register.written("a.xlsx", Edition(1, 0, Decimal("0.5")), "a.docx", Decimal("0.5"), "")
    [note] = running_notes(register, b)
    assert "b.docx（第二期）已发出，其中的累计金额 100000 元已过时" in note and "现在应为 50000.50 元" in note
    assert shared_number_notes(register, "c.xlsx", 3) == ()
    assert shared_number_notes(register, "c.xlsx", 2)[0].startswith("第二期也是 b.docx 的期号")
