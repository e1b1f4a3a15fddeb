"""Spec of `toolkit.parse.facts`: which organisation line a sheet's facts name."""

from __future__ import annotations

from toolkit.parse.facts import SheetFacts
from toolkit.parse.vocabulary import ORGANISATION


def test_a_labelled_organisation_wins_over_lines() -> None:
    facts = SheetFacts(values={ORGANISATION: "甲协会"}, organisations=[(5, "乙协会")])
    assert facts.organisation() == "甲协会"


def test_the_line_nearest_above_the_date_wins() -> None:
    facts = SheetFacts(organisations=[(3, "甲协会"), (6, "乙协会"), (9, "丙协会")], date_row=7)
    assert facts.organisation() == "乙协会"


def test_without_a_date_the_first_line_wins_and_without_lines_there_is_none() -> None:
    assert SheetFacts(organisations=[(3, "甲协会"), (6, "乙协会")]).organisation() == "甲协会"
    assert SheetFacts().organisation() is None


def test_a_bank_is_the_organisation_only_when_no_other_line_names_one() -> None:
    """捐款账户 / 某某市慈善协会 / 中国农业银行某某支行 / 账号 / 日期: the bank is where the money is kept."""
    facts = SheetFacts(organisations=[(5, "某某市慈善协会"), (6, "中国农业银行某某支行")], date_row=8)
    assert facts.organisation() == "某某市慈善协会"
    assert SheetFacts(organisations=[(6, "中国农业银行某某支行")]).organisation() == "中国农业银行某某支行"


def test_the_stamp_mark_is_no_part_of_the_organisation() -> None:
    assert SheetFacts(organisations=[(5, "某某市慈善协会（盖章）")]).organisation() == "某某市慈善协会"
    assert SheetFacts(values={ORGANISATION: "某某市慈善协会(公章)"}).organisation() == "某某市慈善协会"
