"""The change report: what a 监督人 checks before signing, donor by donor, with the totals."""

from __future__ import annotations

from decimal import Decimal

from toolkit.changes import Change, changes_report, compare_donors


def donors(*pairs: tuple[str, str]) -> list[tuple[str, Decimal]]:
    return [(name, Decimal(amount)) for name, amount in pairs]


def test_one_donor_added_and_one_amount_changed() -> None:
    old = donors(("张三", "100"), ("李四", "200"))
    new = donors(("张三", "150"), ("李四", "200"), ("王五", "300"))
    changes = compare_donors(old, new, ["C3", "C4", "C5"])
    assert changes.added == (Change("王五", None, Decimal(300), "C5"),)
    assert changes.changed == (Change("张三", Decimal(100), Decimal(150), "C3"),)
    assert changes.removed == ()
    assert changes.lines() == [
        "新增 王五 300 元（C5）",
        "金额 张三 100 元 → 150 元（C3）",
        "合计 300 元 → 650 元（增加 350 元）",
    ]


def test_a_donor_removed() -> None:
    changes = compare_donors(donors(("张三", "100"), ("李四", "0.5")), donors(("张三", "100")))
    assert changes.lines() == ["删除 李四 0.50 元", "合计 100.50 元 → 100 元（减少 0.50 元）"]


def test_the_same_list_has_no_changes() -> None:
    same = donors(("张三", "100"), ("张三", "100.00"))
    assert not compare_donors(same, list(reversed(same)))


def test_a_donor_who_gives_twice_is_matched_amount_for_amount() -> None:
    old = donors(("张三", "100"), ("李四", "50"), ("张三", "200"))
    new = donors(("张三", "200"), ("李四", "50"))
    changes = compare_donors(old, new)
    assert (changes.added, changes.changed) == ((), ())
    assert changes.removed == (Change("张三", Decimal(100), None),)  # not "200 → 100" and a removal


def test_a_second_gift_with_another_amount_reads_as_a_change_then_an_addition() -> None:
    changes = compare_donors(donors(("张三", "100")), donors(("张三", "120"), ("张三", "80")))
    assert [c.line() for c in changes.changed + changes.added] == [
        "金额 张三 100 元 → 120 元",
        "新增 张三 80 元",
    ]


def test_the_report_file_is_utf8_with_bom_and_crlf_and_names_everything_in_full() -> None:
    changes = compare_donors(donors(("张三", "100")), donors(("张三", "100"), ("王五", "300")), ["C3", "C4"])
    data = changes_report("捐款.xlsx", changes)
    assert data.startswith(b"\xef\xbb\xbf") and data.endswith(b"\r\n")
    assert data.decode("utf-8-sig").split("\r\n") == [
        "变化报告：捐款.xlsx",
        "与上次生成的简报相比：新增 1 位，删除 0 位，金额改动 0 处。监督人签字前请逐条核对。",
        "",
        "新增 王五 300 元（C4）",
        "合计 100 元 → 400 元（增加 300 元）",
        "",
    ]
