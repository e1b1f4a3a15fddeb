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
