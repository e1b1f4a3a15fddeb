"""Spec for `toolkit.money`: amounts in, capitals (人民币大写) out, and back.

Every expected string below was written by hand from the PBOC rules (see the docstring of
`to_capitals`), not produced by running the code.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.errors import InvalidAmount, Problem, Severity, ToolkitError
from toolkit.money import (
    AMOUNT_LIMIT,
    format_amount,
    parse_amount,
    parse_capitals,
    parse_scaled_amount,
    to_capitals,
)

# --------------------------------------------------------------------------------------------
# to_capitals
# --------------------------------------------------------------------------------------------

CAPITALS = [
    # PBOC's official examples [P 四], in the form valid under every reading (整 after 角, 零 after 元).
    ("1409.50", "壹仟肆佰零玖元伍角整"),
    ("6007.14", "陆仟零柒元壹角肆分"),
    ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),
    ("107000.53", "壹拾万柒仟元零伍角叁分"),
    ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
    ("325.04", "叁佰贰拾伍元零肆分"),
    # zero and amounts under 1元
    ("0", "零元整"),
    ("0.00", "零元整"),
    ("0.05", "伍分"),
    ("0.50", "伍角整"),
    ("0.5", "伍角整"),
    ("0.55", "伍角伍分"),
    ("0.78", "柒角捌分"),
    ("0.01", "壹分"),
    # small amounts, 壹拾
    ("1.00", "壹元整"),
    ("1", "壹元整"),
    ("1.500", "壹元伍角整"),
    ("10", "壹拾元整"),
    ("10.5", "壹拾元零伍角整"),
    ("10.05", "壹拾元零伍分"),
    ("15", "壹拾伍元整"),
    ("110", "壹佰壹拾元整"),
    ("100.01", "壹佰元零壹分"),
    ("666", "陆佰陆拾陆元整"),
    ("1100", "壹仟壹佰元整"),
    ("10010", "壹万零壹拾元整"),
    # sections: 万, 亿, 万亿
    ("100000", "壹拾万元整"),
    ("1000000", "壹佰万元整"),
    ("1001000", "壹佰万壹仟元整"),
    ("1000500", "壹佰万零伍佰元整"),
    ("10000000.10", "壹仟万元零壹角整"),
    ("100000000", "壹亿元整"),
    ("100010000", "壹亿零壹万元整"),
    ("100005000", "壹亿零伍仟元整"),
    ("1000005000", "壹拾亿零伍仟元整"),
    ("1000000000", "壹拾亿元整"),
    ("1000000000.05", "壹拾亿元零伍分"),
    ("1000000000000", "壹万亿元整"),
    ("10000000000000", "壹拾万亿元整"),
    ("1000100000000", "壹万零壹亿元整"),
    ("1200000000000", "壹万贰仟亿元整"),
    ("1000000005000", "壹万亿零伍仟元整"),
    ("1000050000000", "壹万亿零伍仟万元整"),
    (
        "9999999999999999.99",
        "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分",
    ),
    # the seed bulletin
    ("15538.27", "壹万伍仟伍佰叁拾捌元贰角柒分"),
    ("20945.73", "贰万零玖佰肆拾伍元柒角叁分"),
    ("34461.73", "叁万肆仟肆佰陆拾壹元柒角叁分"),
    ("50000", "伍万元整"),
]


@pytest.mark.parametrize(("amount", "expected"), CAPITALS)
def test_to_capitals(amount: str, expected: str) -> None:
    assert to_capitals(Decimal(amount)) == expected


@pytest.mark.parametrize(("amount", "expected"), CAPITALS)
def test_parse_capitals_reads_what_to_capitals_writes(amount: str, expected: str) -> None:
    assert parse_capitals(expected) == Decimal(amount)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("1409.50", "人民币壹仟肆佰零玖元伍角整"),
        ("50000", "人民币伍万元整"),
        ("0", "人民币零元整"),
    ],
)
def test_to_capitals_prefix(amount: str, expected: str) -> None:
    assert to_capitals(Decimal(amount), prefix=True) == expected


def test_to_capitals_accepts_int() -> None:
    assert to_capitals(50000) == "伍万元整"


def test_a_low_caller_precision_changes_nothing() -> None:
    with localcontext() as ctx:
        ctx.prec = 3
        assert to_capitals(Decimal("15538.27")) == "壹万伍仟伍佰叁拾捌元贰角柒分"
        assert str(parse_amount(Decimal("15538.270"))) == "15538.27"
        assert str(parse_amount(Decimal("1.5E+4"))) == "15000"
        assert str(parse_amount(15538.27)) == "15538.27"
        assert format_amount(Decimal("15538.270")) == "15538.27"
        assert parse_capitals("壹万伍仟伍佰叁拾捌元贰角柒分") == Decimal("15538.27")


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        (Decimal("-1"), "amount.negative"),
        (Decimal("-0.01"), "amount.negative"),
        (-1, "amount.negative"),
        (Decimal("1.005"), "amount.too_many_decimals"),
        (Decimal("0.001"), "amount.too_many_decimals"),
        # more digits than the default 28-digit precision: must not be rounded into 0.01
        (Decimal("0.01" + "0" * 30 + "1"), "amount.too_many_decimals"),
        (AMOUNT_LIMIT, "amount.out_of_range"),
        (Decimal("1E+16"), "amount.out_of_range"),
        (Decimal("1E+100"), "amount.out_of_range"),
        (10**16, "amount.out_of_range"),
        (Decimal("NaN"), "amount.not_a_number"),
        (Decimal("sNaN"), "amount.not_a_number"),
        (Decimal("Infinity"), "amount.not_a_number"),
    ],
)
def test_to_capitals_refuses(amount: Decimal, code: str) -> None:
    with pytest.raises(InvalidAmount) as caught:
        to_capitals(amount)
    assert caught.value.code == code


@pytest.mark.parametrize("amount", [1.5, "1.5", True, None])
def test_to_capitals_needs_a_decimal(amount: object) -> None:
    with pytest.raises(TypeError):
        to_capitals(amount)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# parse_capitals
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # PBOC's examples as printed [P 四], both forms where two are given
        ("人民币壹仟肆佰零玖元伍角", "1409.50"),
        ("人民币壹仟肆佰零玖元伍角整", "1409.50"),
        ("人民币陆仟零柒元壹角肆分", "6007.14"),
        ("人民币壹仟陆佰捌拾元零叁角贰分", "1680.32"),
        ("人民币壹仟陆佰捌拾元叁角贰分", "1680.32"),
        ("人民币壹拾万柒仟元零伍角叁分", "107000.53"),
        ("人民币壹拾万零柒仟元伍角叁分", "107000.53"),
        ("人民币壹拾万柒仟元伍角叁分", "107000.53"),
        ("人民币壹拾万零柒仟元零伍角叁分", "107000.53"),
        ("人民币壹万陆仟肆佰零玖元零贰分", "16409.02"),
        ("人民币叁佰贰拾伍元零肆分", "325.04"),
        # 整 / 正, 元 / 圆, prefix, white space
        ("伍万元整", "50000"),
        ("伍万元正", "50000"),
        ("伍万圆整", "50000"),
        ("伍万圆正", "50000"),
        ("人民币伍万元整", "50000"),
        ("\u3000伍万元整 ", "50000"),
        ("\xa0人民币伍万元整\n", "50000"),
        ("壹拾元零伍角", "10.50"),
        ("壹拾元伍角整", "10.50"),
        ("壹拾元伍角正", "10.50"),
        # under 1元, with and without 零元
        ("零元整", "0"),
        ("零圆正", "0"),
        ("伍角", "0.50"),
        ("伍角整", "0.50"),
        ("零元伍角整", "0.50"),
        ("零元伍角", "0.50"),
        ("伍分", "0.05"),
        ("零元伍分", "0.05"),
        ("零元零伍分", "0.05"),
        ("伍角伍分", "0.55"),
        ("零元伍角伍分", "0.55"),
        # optional 零 at a section end before a non-zero 仟
        ("壹佰万零壹仟元整", "1001000"),
        ("壹亿伍仟元整", "100005000"),
        ("壹拾亿伍仟元整", "1000005000"),
        ("壹万亿伍仟元整", "1000000005000"),
        # traditional forms the PBOC rules allow
        ("伍萬圓整", "50000"),
        ("伍萬元整", "50000"),
        ("貳拾萬元整", "200000"),
        ("貮佰元整", "200"),
        ("參佰陸拾圓整", "360"),
        ("叄億元整", "300000000"),
        ("人民幣壹仟零伍拾圓整", "1050"),
        ("人民币壹拾萬零柒仟圓伍角叁分", "107000.53"),
    ],
)
def test_parse_capitals_accepts(text: str, expected: str) -> None:
    assert parse_capitals(text) == Decimal(expected)


def test_parse_capitals_exponent() -> None:
    assert str(parse_capitals("伍万元整")) == "50000"
    assert str(parse_capitals("伍角整")) == "0.50"
    assert str(parse_capitals("壹拾元零伍分")) == "10.05"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "capitals.empty"),
        ("\u3000 ", "capitals.empty"),
        ("一二三", "capitals.invalid"),
        ("一百元整", "capitals.invalid"),
        ("壹佰元整一", "capitals.invalid"),
        ("两元整", "capitals.invalid"),
        ("贰拾两元整", "capitals.invalid"),
        ("伍毛", "capitals.invalid"),
        ("伍万美元整", "capitals.invalid"),
        ("500元", "capitals.invalid"),
        ("人民币 伍万元整", "capitals.invalid"),
        ("人民币", "capitals.invalid"),
        ("伍万元", "capitals.invalid"),  # 整 is required after 元
        ("伍元伍分整", "capitals.invalid"),  # never 整 after 分
        ("伍角伍分正", "capitals.invalid"),
        ("壹仟零零伍元整", "capitals.invalid"),
        ("陆仟零零柒元壹角肆分", "capitals.invalid"),
        ("壹佰零元整", "capitals.invalid"),
        ("伍万元整零", "capitals.invalid"),
        ("伍拾万零元整", "capitals.invalid"),
        ("零伍角整", "capitals.invalid"),
        ("拾伍元整", "capitals.invalid"),  # a leading 拾 is written 壹拾
        ("伍角伍", "capitals.invalid"),
        ("伍分伍角", "capitals.invalid"),
        ("壹元零角伍分", "capitals.invalid"),  # filler 零角
        ("壹仟肆佰零玖元零伍角整", "capitals.invalid"),  # 元 digit 9 is not zero
        ("陆仟柒元整", "capitals.invalid"),  # the zero inside a section needs 零
        ("壹佰万伍佰元整", "capitals.invalid"),  # 0500 starts with zeros: 零 required
        ("壹亿壹万元整", "capitals.invalid"),
        ("壹贰元整", "capitals.invalid"),
        ("壹元元整", "capitals.invalid"),
        ("元整", "capitals.invalid"),
        ("整", "capitals.invalid"),
        ("零", "capitals.invalid"),
        ("零零元整", "capitals.invalid"),
        ("伍万", "capitals.invalid"),
        ("伍亿万元整", "capitals.invalid"),
        ("壹亿亿元整", "capitals.invalid"),
        ("壹万万元整", "capitals.invalid"),
        ("玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿元整", "capitals.invalid"),
    ],
)
def test_parse_capitals_refuses(text: str, code: str) -> None:
    with pytest.raises(InvalidAmount) as caught:
        parse_capitals(text)
    assert caught.value.code == code
    assert caught.value.reason.startswith("大写金额")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("伍万元", "大写金额“伍万元”到元为止，元后面要写“整”（或“正”），如“伍万元整”"),
        (
            "伍元伍分整",
            "大写金额“伍元伍分整”在“分”后面写了“整”，到分为止的金额不写“整”，如“叁佰贰拾伍元零肆分”",
        ),
        (
            "壹仟零零伍元整",
            "大写金额“壹仟零零伍元整”连续写了几个“零”，一串零只写一个“零”，如 6007.14 写作“陆仟零柒元壹角肆分”",
        ),
        ("拾伍元整", "大写金额“拾伍元整”开头的“拾”要写成“壹拾”，如 15 写作“壹拾伍元整”"),
        (
            "一百元整",
            "大写金额“一百元整”用了小写数字“一”，请用 零壹贰叁肆伍陆柒捌玖 和 拾佰仟万亿，如 1409.50 写作“壹仟肆佰零玖元伍角整”",
        ),
        (
            "伍万美元整",
            "大写金额“伍万美元整”含有不属于人民币大写的字符“美”，如 1409.50 写作“壹仟肆佰零玖元伍角整”",
        ),
        (
            "人民币 伍万元整",
            "大写金额“人民币 伍万元整”的“人民币”后面有空格，金额要紧接在“人民币”之后，如“人民币伍万元整”",
        ),
        ("", "大写金额为空，请按人民币大写填写，如 1409.50 写作“壹仟肆佰零玖元伍角整”"),
        (
            "壹佰零元整",
            "大写金额“壹佰零元整”不符合人民币大写的写法，请对照金额重写；若金额是 100，应写作“壹佰元整”",
        ),
    ],
)
def test_parse_capitals_reason(text: str, expected: str) -> None:
    with pytest.raises(InvalidAmount) as caught:
        parse_capitals(text)
    assert caught.value.reason == expected


# --------------------------------------------------------------------------------------------
# parse_amount
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (500, "500"),
        (0, "0"),
        (9999999999999999, "9999999999999999"),
        (1409.5, "1409.5"),
        (500.0, "500"),
        (0.78, "0.78"),
        (15538.27, "15538.27"),
        (0.1 + 0.2, "0.3"),  # a formula's binary noise: read at Excel's 15 significant digits
        (100.1 + 200.2, "300.3"),  # a SUM's saved result 300.29999999999995, shown by Excel as 300.3
        ("人民币500元", "500"),
        ("500元整", "500"),
        ("RMB 100", "100"),
        (-0.0, "0"),
        (Decimal("500.00"), "500.00"),
        (Decimal("1.500"), "1.50"),
        (Decimal("1E+3"), "1000"),
        (Decimal("-0.00"), "0.00"),
        ("1409.5", "1409.5"),
        ("1,409.50", "1409.50"),
        ("¥1409.50", "1409.50"),
        ("￥1409.50", "1409.50"),
        ("¥ 1,000.00", "1000.00"),
        ("1409.50元", "1409.50"),
        ("１４０９．５０", "1409.50"),
        ("１，０００", "1000"),
        ("￥１，０００．００", "1000.00"),
        ("1,000,000", "1000000"),
        ("500", "500"),
        ("500.00", "500.00"),
        ("0", "0"),
        ("0.00", "0.00"),
        ("007", "7"),
        (" 500 ", "500"),
        ("\u3000500\u3000", "500"),
        ("\xa0500\xa0", "500"),
        ("\t500\n", "500"),
        ("9999999999999999.99", "9999999999999999.99"),
    ],
)
def test_parse_amount_accepts(value: object, expected: str) -> None:
    result = parse_amount(value)
    assert isinstance(result, Decimal)
    assert str(result) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (None, "amount.empty"),
        ("", "amount.empty"),
        ("   ", "amount.empty"),
        ("\u3000", "amount.empty"),
        ("abc", "amount.not_a_number"),
        ("NaN", "amount.not_a_number"),
        ("nan", "amount.not_a_number"),
        ("inf", "amount.not_a_number"),
        ("Infinity", "amount.not_a_number"),
        (float("nan"), "amount.not_a_number"),
        (float("inf"), "amount.not_a_number"),
        (Decimal("NaN"), "amount.not_a_number"),
        (Decimal("sNaN"), "amount.not_a_number"),
        (Decimal("-Infinity"), "amount.not_a_number"),
        ("1e3", "amount.not_a_number"),
        ("1E3", "amount.not_a_number"),
        ("٣٤", "amount.not_a_number"),
        ("١٠٠.٥٠", "amount.not_a_number"),
        (True, "amount.not_a_number"),
        (False, "amount.not_a_number"),
        ("1,00", "amount.not_a_number"),
        ("10,00,000", "amount.not_a_number"),
        ("1000,000", "amount.not_a_number"),
        ("1,000.", "amount.not_a_number"),
        ("1 000", "amount.not_a_number"),
        (".5", "amount.not_a_number"),
        ("5.", "amount.not_a_number"),
        ("+5", "amount.not_a_number"),
        ("1.2.3", "amount.not_a_number"),
        ("¥", "amount.not_a_number"),
        ("元", "amount.not_a_number"),
        ("伍万元整", "amount.not_a_number"),
        ("1409。50", "amount.not_a_number"),
        (dt.date(2020, 2, 5), "amount.not_a_number"),
        (dt.datetime(2020, 2, 5, 9, 30), "amount.not_a_number"),
        (["500"], "amount.not_a_number"),
        ("-5", "amount.negative"),
        ("-0", "amount.negative"),
        ("−5", "amount.negative"),
        ("(5)", "amount.negative"),
        ("（5）", "amount.negative"),
        ("-¥5", "amount.negative"),
        ("¥-5", "amount.negative"),
        ("(¥1,000.00)", "amount.negative"),
        (-5, "amount.negative"),
        (-5.0, "amount.negative"),
        (Decimal("-0.01"), "amount.negative"),
        ("1.005", "amount.too_many_decimals"),
        ("1.001", "amount.too_many_decimals"),
        ("1.000", "amount.too_many_decimals"),  # a thousand, European style? never 1 元
        ("1.500", "amount.too_many_decimals"),
        ("1,000.000", "amount.too_many_decimals"),
        ("1.0000", "amount.too_many_decimals"),
        (1.005, "amount.too_many_decimals"),
        (0.005, "amount.too_many_decimals"),
        (1e-05, "amount.too_many_decimals"),
        (Decimal("1.005"), "amount.too_many_decimals"),
        (Decimal("0.01" + "0" * 30 + "1"), "amount.too_many_decimals"),
        ("10000000000000000", "amount.out_of_range"),
        ("10,000,000,000,000,000.00", "amount.out_of_range"),
        (10**16, "amount.out_of_range"),
        (1e16, "amount.out_of_range"),
        (1e300, "amount.out_of_range"),
        (Decimal("1E+16"), "amount.out_of_range"),
    ],
)
def test_parse_amount_refuses(value: object, code: str) -> None:
    with pytest.raises(InvalidAmount) as caught:
        parse_amount(value)
    error = caught.value
    assert error.code == code
    assert error.reason.startswith("金额")
    assert "请" in error.reason


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("abc", "金额“abc”不是数字，请填写阿拉伯数字，如 500 或 500.00"),
        (None, "金额为空，请填写阿拉伯数字，如 500 或 500.00"),
        (" -5 ", "金额“-5”是负数，捐款金额不能为负，请填写正数，如 500 或 500.00"),
        ("1e3", "金额“1e3”是科学计数法，请直接写出全部数字，如 1000 或 1000.00"),
        ("٣٤", "金额“٣٤”含有非阿拉伯数字“٣”，请改用 0–9 填写，如 500 或 500.00"),
        ("1,00", "金额“1,00”中的逗号不在千位上，请去掉逗号，小数点用“.”，如 1409.50"),
        (
            "1.000",
            "金额“1.000”有三位小数，看不出“.”是小数点还是千位分隔符（有的国家把 1000 写成 1.000）；"
            "若是 1000 元，请写成 1000 或 1,000；若是 1.00 元，请最多写两位小数",
        ),
    ],
)
def test_parse_amount_reason(value: object, expected: str) -> None:
    with pytest.raises(InvalidAmount) as caught:
        parse_amount(value)
    assert caught.value.reason == expected


def test_parse_amount_quotes_a_long_value_shortened() -> None:
    with pytest.raises(InvalidAmount) as caught:
        parse_amount("x" * 200)
    assert caught.value.value == "x" * 39 + "…"


def test_invalid_amount_is_a_toolkit_error_with_one_problem() -> None:
    with pytest.raises(ToolkitError) as caught:
        parse_amount("abc")
    error = caught.value
    assert isinstance(error, InvalidAmount)
    assert error.problems == (
        Problem("amount.not_a_number", "金额“abc”不是数字，请填写阿拉伯数字，如 500 或 500.00", value="abc"),
    )
    located = error.problem(file="捐款.xlsx", sheet="Sheet1", cell="C7")
    assert located.severity is Severity.ERROR
    assert located.format() == (
        "捐款.xlsx > Sheet1 > C7：金额“abc”不是数字，请填写阿拉伯数字，如 500 或 500.00 [amount.not_a_number]"
    )


# --------------------------------------------------------------------------------------------
# format_amount
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("500"), "500"),
        (Decimal("500.00"), "500"),
        (Decimal("50000"), "50000"),
        (Decimal("15538.27"), "15538.27"),
        (Decimal("10.5"), "10.50"),
        (Decimal("0.05"), "0.05"),
        (Decimal("0"), "0"),
        (Decimal("-0.00"), "0"),
        (Decimal("1E+3"), "1000"),
        (Decimal("1.500"), "1.50"),
        (Decimal("1234567.8"), "1234567.80"),
        (Decimal("-0.5"), "-0.50"),
        (Decimal("9999999999999999.99"), "9999999999999999.99"),
        (50000, "50000"),
    ],
)
def test_format_amount(amount: Decimal, expected: str) -> None:
    assert format_amount(amount) == expected


@pytest.mark.parametrize(
    ("amount", "code"),
    [
        (Decimal("1.005"), "amount.too_many_decimals"),
        (Decimal("NaN"), "amount.not_a_number"),
        (Decimal("1E+100"), "amount.out_of_range"),
    ],
)
def test_format_amount_refuses(amount: Decimal, code: str) -> None:
    with pytest.raises(InvalidAmount) as caught:
        format_amount(amount)
    assert caught.value.code == code


# --------------------------------------------------------------------------------------------
# properties
# --------------------------------------------------------------------------------------------

CAPITAL_CHARACTERS = re.compile("[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]+")
DIGIT_OF = {ch: str(i) for i, ch in enumerate("零壹贰叁肆伍陆柒捌玖")}

any_cents = st.integers(min_value=0, max_value=10**18 - 1)
# Zero-heavy amounts: a few non-zero digits scattered over the 18 cent places (10000.01, 100100.1...).
sparse_cents = st.dictionaries(
    st.integers(min_value=0, max_value=17), st.integers(min_value=1, max_value=9), max_size=4
).map(lambda digits: sum(d * 10**place for place, d in digits.items()))
cents = st.one_of(any_cents, sparse_cents)


def as_amount(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


@settings(max_examples=400, deadline=None)
@given(cents)
def test_capitals_round_trip(cents: int) -> None:
    amount = as_amount(cents)
    text = to_capitals(amount)
    assert parse_capitals(text) == amount
    assert parse_capitals(to_capitals(amount, prefix=True)) == amount


@settings(max_examples=400, deadline=None)
@given(cents)
def test_capitals_shape(cents: int) -> None:
    text = to_capitals(as_amount(cents))
    assert CAPITAL_CHARACTERS.fullmatch(text)
    assert "零零" not in text
    assert text.endswith(("整", "分"))
    assert "分整" not in text
    assert not re.search("零[元角分万亿整]", text) or text == "零元整"
    # the non-zero digits appear in the same order as in the number
    nonzero = [DIGIT_OF[ch] for ch in text if ch in DIGIT_OF and ch != "零"]
    assert nonzero == [d for d in str(cents) if d != "0"]


@settings(max_examples=200, deadline=None)
@given(cents)
def test_amount_text_round_trip(cents: int) -> None:
    amount = as_amount(cents)
    shown = format_amount(amount)
    assert parse_amount(shown) == amount
    assert parse_amount(f"¥{int(amount):,}{shown[shown.find('.') :] if '.' in shown else ''}") == amount


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=10**18, max_value=10**30))
def test_out_of_range_is_refused(cents: int) -> None:
    with pytest.raises(InvalidAmount) as caught:
        to_capitals(as_amount(cents))
    assert caught.value.code == "amount.out_of_range"


# --------------------------------------------------------------------------------------------
# parse_scaled_amount
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12.5, "125000"),
        (3, "30000"),
        ("12.3456", "123456"),
        ("0.0001", "1"),
        ("8550.11万元", "85501100"),
        ("1,234.5", "12345000"),
        (Decimal("0.000123"), "1.23"),
        (0.01, "100"),
    ],
)
def test_parse_scaled_amount_converts_wan_exactly(value: object, expected: str) -> None:
    assert parse_scaled_amount(value, 4) == Decimal(expected)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("1.2345678", "amount.too_many_decimals"),
        (0.0000001, "amount.too_many_decimals"),
        (-1, "amount.negative"),
        ("abc", "amount.not_a_number"),
        (None, "amount.empty"),
        (True, "amount.not_a_number"),
        (10**12, "amount.out_of_range"),
    ],
)
def test_parse_scaled_amount_refuses_and_never_rounds(value: object, code: str) -> None:
    with pytest.raises(InvalidAmount) as caught:
        parse_scaled_amount(value, 4)
    assert caught.value.code == code


def test_parse_scaled_amount_at_exponent_zero_is_parse_amount() -> None:
    assert parse_scaled_amount("1,409.50", 0) == parse_amount("1,409.50")
