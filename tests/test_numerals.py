"""Issue numbers as bulletins write them: 第八期, 第十期, 第二十一期, 第一百期, and back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from toolkit.numerals import MAX_ISSUE, chinese_number, issue_line, read_issue, read_number, stated_issue


@pytest.mark.parametrize(
    ("number", "written"),
    [
        (1, "一"),
        (8, "八"),
        (10, "十"),
        (11, "十一"),
        (20, "二十"),
        (21, "二十一"),
        (99, "九十九"),
        (100, "一百"),
        (101, "一百零一"),
        (110, "一百一十"),
        (111, "一百一十一"),
        (1000, "一千"),
        (1010, "一千零一十"),
        (2024, "二千零二十四"),
        (10000, "一万"),
        (10010, "一万零一十"),
        (100000, "十万"),
        (12345678, "一千二百三十四万五千六百七十八"),
    ],
)
def test_numbers_as_issue_numbers_are_written(number: int, written: str) -> None:
    assert chinese_number(number) == written
    assert read_number(written) == number


@given(st.integers(min_value=1, max_value=MAX_ISSUE))
def test_every_number_reads_back(number: int) -> None:
    assert read_number(chinese_number(number)) == number


@pytest.mark.parametrize("number", [0, -1, MAX_ISSUE + 1])
def test_out_of_range_is_refused(number: int) -> None:
    with pytest.raises(ValueError, match="out of range"):
        chinese_number(number)


@pytest.mark.parametrize(
    ("text", "number"),
    [("第八期", 8), ("八", 8), ("第8期", 8), ("8", 8), ("第 ８ 期", 8), ("两百", 200), ("第一百零五期", 105)],
)
def test_an_issue_as_a_clerk_types_it(text: str, number: int) -> None:
    assert read_issue(text) == number


@pytest.mark.parametrize("text", ["", "abc", "第零期", "0", "十百", "二三", "第八", "第期"])
def test_what_is_not_an_issue_number(text: str) -> None:
    assert read_issue(text) is None


def test_a_number_stated_in_a_title_or_a_file_name() -> None:
    assert stated_issue("武汉市红十字会接收社会捐赠公示（第7期—1）") == 7
    assert stated_issue(None, "三月捐款第9期.xlsx") == 9
    assert stated_issue("抗疫捐款第十二期名单") == 12
    assert stated_issue("第一批捐款名单", "捐款名单.xlsx") is None


@pytest.mark.parametrize(
    ("number", "correction", "line"),
    [(8, 0, "第八期"), (8, 1, "第八期（更正）"), (21, 2, "第二十一期（第二次更正）"), (100, 0, "第一百期")],
)
def test_the_issue_line(number: int, correction: int, line: str) -> None:
    assert issue_line(number, correction) == line
