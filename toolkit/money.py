"""Money at the edges: one parser for amounts, and Chinese financial capitals (人民币大写).

Everything here is pure and uses the standard library only, so the CLI can import it without
loading openpyxl or docxtpl.

- `parse_amount` is the one place where a cell value or typed text becomes money. It never rounds.
- `to_capitals` writes an amount in capitals by the People's Bank of China rules, and
  `parse_capitals` reads every form those rules allow, so a 大写 cell can be checked.
- `format_amount` is how an amount is shown in the bulletin.

Every refusal is a `toolkit.errors.InvalidAmount` with a stable English ``code`` and a Chinese
``reason`` for the clerk. Codes: ``amount.empty``, ``amount.not_a_number``, ``amount.negative``,
``amount.too_many_decimals``, ``amount.out_of_range``, ``capitals.empty``, ``capitals.invalid``.

The module is longer than ~400 lines: much of it is the docstrings that state each rule, and
`parse_amount`, `to_capitals` and `parse_capitals` share the amount limit, the digit tables and the
refusals, which a split would scatter over modules that must change together.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
import unicodedata
from decimal import ROUND_HALF_EVEN, Context, Decimal, InvalidOperation

from toolkit import codes
from toolkit.errors import InvalidAmount

__all__ = [
    "excel_number_text",
    "AMOUNT_LIMIT",
    "format_amount",
    "parse_amount",
    "parse_capitals",
    "parse_scaled_amount",
    "to_capitals",
]

AMOUNT_LIMIT = Decimal(10) ** 16
"""Every amount is below this: 10^16 元 (one 亿亿), the largest number the capitals' units can write."""

_LIMIT_INT = 10**16
_FAST_FLOAT_LIMIT = 1e13  # below this a repr with two decimals has at most 15 significant digits
_LIMIT_DIGITS = 16
_CENT = Decimal("0.01")
_ONE = Decimal(1)
# A private context, so a caller's decimal settings (a low precision, say) cannot change our results.
# 40 digits hold any amount below the limit with room to spare; amounts are range-checked first.
_CTX = Context(prec=40, rounding=ROUND_HALF_EVEN, traps=[InvalidOperation])

_HINT = "请填写阿拉伯数字，如 500 或 500.00"
_SHOWN_MAX = 40  # characters of a bad value quoted back in a message


def _shown(text: str) -> str:
    text = text.strip()
    return text if len(text) <= _SHOWN_MAX else text[: _SHOWN_MAX - 1] + "…"


def _refuse(code: str, shown: str, reason: str) -> InvalidAmount:
    return InvalidAmount(code, reason, shown)


# --------------------------------------------------------------------------------------------
# parse_amount
# --------------------------------------------------------------------------------------------

# Strict ASCII: digits, optional thousands separators in exact groups of three, optional decimals.
_AMOUNT_RE = re.compile(r"(?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<frac>[0-9]+))?")
_SCIENTIFIC_RE = re.compile(r"[0-9.,]*[0-9][eE][+-]?[0-9]+")
_SEPARATED_RE = re.compile(r"[0-9][0-9,]*(?:\.[0-9]+)?")
_MINUS = frozenset("-\u2212\u2012\u2013\u2014\ufe63")
_CAPITAL_CHARS = frozenset("零壹贰叁肆伍陆柒捌玖拾佰仟万亿元圆角分整正人民币〇一二三四五六七八九十百千两")


def parse_amount(value: object) -> Decimal:
    """Turn a cell value or typed text into an exact amount of 元, or raise `InvalidAmount`.

    Accepted:
        - ``int`` (not ``bool``);
        - ``float``, read at the 15 significant digits Excel itself shows (``format(x, ".15g")``),
          never ``Decimal(x)``, which would expose binary noise: 1409.5 stays 1409.5, and a 合计
          formula whose saved result is ``300.29999999999995`` (Excel's own binary sum of 100.1 and
          200.2, shown in Excel as 300.3) reads as 300.3. A typed 1.005 still has three decimals and
          is refused. Any number a person can type into Excel has at most 15 significant digits, so
          this never changes a typed value; it only removes the binary noise of computed ones;
        - ``Decimal``;
        - ``str``: NFKC-normalised first (full-width ``１４０９．５０`` and ``１，０００`` become
          ASCII, ``￥`` becomes ``¥``), surrounding white space (including the ideographic space
          and NBSP) stripped, then an optional leading ``¥`` and trailing ``元`` removed, and the
          rest must match ``digits[.digits]``, where the digits may carry ``,`` thousands separators
          in exact groups of three (``1,409.50``; ``1,00`` is refused). ``.5`` and ``5.`` are refused.

    Refused (``code``):
        - ``amount.empty``: ``None``, ``""`` or white space only;
        - ``amount.not_a_number``: ``bool``, dates, ``NaN``, infinities, ``1e3``, digits of other
          scripts such as ``٣٤``, misplaced separators, capitals such as ``伍万元整``, any other text;
        - ``amount.negative``: ``-5``, ``(5)``, ``-¥5``, negative numbers (a float or Decimal
          negative zero is read as zero);
        - ``amount.too_many_decimals``: a non-zero digit after the second decimal, e.g. ``1.005``;
          and text with more than two decimals even when they are zeros: ``"1.000"`` may be one
          thousand written with a dot as the thousands separator, so it is never read as 1.
          Nothing is ever rounded.
        - ``amount.out_of_range``: ``AMOUNT_LIMIT`` (10^16) or more.

    Zero is a valid amount here; whether zero is allowed in a ledger is for validation to decide.

    Returned exponent: the value is returned exactly, with at most two decimal places. Text and
    ``Decimal`` keep the decimals as written (``"500"`` → ``Decimal('500')``, ``"500.00"`` →
    ``Decimal('500.00')``); a ``Decimal`` drops zeros beyond the second decimal
    (``Decimal('1.500')`` → ``Decimal('1.50')``) and a positive exponent becomes 0 (``Decimal('1E+3')`` →
    ``Decimal('1000')``). An ``int`` or a whole ``float`` has exponent 0 (``500.0`` →
    ``Decimal('500')``); other floats have the decimals of their shortest repr (``10.5`` →
    ``Decimal('10.5')``). Use `format_amount` to show it.
    """
    if type(value) is float and 0.0 < value < _FAST_FLOAT_LIMIT:
        # The usual cell (500.0, 10.5, 15538.27): same result as the general path below, faster.
        if value.is_integer():
            return Decimal(int(value))
        shown = repr(value)
        if len(shown) - shown.find(".") <= 3:  # at most two decimals; no exponent in this range
            return Decimal(shown)
    if value is None:
        raise _refuse(codes.AMOUNT_EMPTY, "", f"金额为空，{_HINT}")
    if isinstance(value, bool):
        shown = "TRUE" if value else "FALSE"
        raise _refuse(codes.AMOUNT_NOT_A_NUMBER, shown, f"金额“{shown}”是逻辑值，不是数字，{_HINT}")
    if isinstance(value, int):
        return _from_int(value)
    if isinstance(value, float):
        shown = excel_number_text(value)
        decimal = Decimal(shown)
        if decimal.is_finite() and decimal == decimal.to_integral_value():
            decimal = _CTX.quantize(decimal, _ONE) if abs(decimal) < AMOUNT_LIMIT else decimal
        return _from_decimal(decimal, shown)
    if isinstance(value, Decimal):
        return _from_decimal(value, _shown(str(value)))
    if isinstance(value, str):
        return _from_text(value)
    shown = _shown(str(value))
    if isinstance(value, (dt.date, dt.time, dt.timedelta)):
        raise _refuse(codes.AMOUNT_NOT_A_NUMBER, shown, f"金额“{shown}”是日期或时间，不是数字，{_HINT}")
    raise _refuse(codes.AMOUNT_NOT_A_NUMBER, shown, f"金额“{shown}”不是数字，{_HINT}")


def parse_scaled_amount(value: object, exponent: int) -> Decimal:
    """An amount written in units of 10^``exponent`` 元 (万元: 4), converted exactly to 元.

    ``parse_scaled_amount(12.5, 4) == Decimal("125000")``. Accepts what `parse_amount` accepts (text
    may also end in 万元 or 万 when ``exponent`` is 4); the value as written may have
    ``2 + exponent`` decimals, and the amount in 元 must have at most two: ``1.2345678`` 万元 is
    12345.678 元 and refused (``amount.too_many_decimals``), never rounded. Other refusals are those
    of `parse_amount`, quoting the value as written.
    """
    if exponent == 0:
        return parse_amount(value)
    if isinstance(value, bool) or value is None or not isinstance(value, int | float | Decimal | str):
        return parse_amount(value)  # refused with parse_amount's reason
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        if exponent == 4:
            text = text.removesuffix("万元").removesuffix("万").rstrip()
        shown = _shown(value)
        decimal = _from_text(text, 2 + exponent) if text else _from_text(value)
    elif isinstance(value, float):
        shown = excel_number_text(value)
        decimal = Decimal(shown)
    elif isinstance(value, int):
        shown = str(value)
        decimal = Decimal(value)
    else:
        shown = _shown(str(value))
        decimal = value
    if decimal.is_finite():
        decimal = decimal.scaleb(exponent, _CTX)
    return _from_decimal(decimal, shown)


def excel_number_text(value: float) -> str:
    """A float as Excel shows it in a General cell: 15 significant digits, no exponent, no ``.0``.

    ``-5.0`` → ``-5``, ``1e17`` → ``100000000000000000``, ``1e-05`` → ``0.00001``; a computed
    ``300.29999999999995`` → ``300.3``. Used for reading amounts and for quoting cells in messages.
    """
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if not math.isfinite(value):
        return repr(value)
    text = format(value, ".15g")
    if "e" in text:
        text = format(Decimal(text), "f")
    return text


def _negative(shown: str) -> InvalidAmount:
    return _refuse(
        codes.AMOUNT_NEGATIVE, shown, f"金额“{shown}”是负数，捐款金额不能为负，请填写正数，如 500 或 500.00"
    )


def _out_of_range(shown: str) -> InvalidAmount:
    return _refuse(
        codes.AMOUNT_OUT_OF_RANGE,
        shown,
        f"金额“{shown}”太大，超出了可以处理的范围（须小于 1 亿亿元，即 10 的 16 次方元），请核对金额",
    )


def _too_many_decimals(shown: str) -> InvalidAmount:
    return _refuse(
        codes.AMOUNT_TOO_MANY_DECIMALS,
        shown,
        f"金额“{shown}”超过两位小数（最小单位是分），本工具不会四舍五入，"
        f"请改为最多两位小数，如 1409.50；若是公式结果，请在 Excel 中用 ROUND(…, 2)",
    )


def _dot_thousands(shown: str, whole: str, fraction: str) -> InvalidAmount:
    return _refuse(
        codes.AMOUNT_TOO_MANY_DECIMALS,
        shown,
        f"金额“{shown}”有三位小数，看不出“.”是小数点还是千位分隔符（有的国家把 1000 写成 1.000）；"
        f"若是 {whole}{fraction} 元，请写成 {whole}{fraction} 或 {whole},{fraction}；"
        f"若是 {whole}.{fraction[:2]} 元，请最多写两位小数",
    )


def _from_int(value: int) -> Decimal:
    if value < 0:
        raise _negative(str(value))
    if value >= _LIMIT_INT:
        raise _out_of_range(_shown(str(value)))
    return Decimal(value)


def _from_decimal(value: Decimal, shown: str) -> Decimal:
    if not value.is_finite():
        raise _refuse(codes.AMOUNT_NOT_A_NUMBER, shown, f"金额“{shown}”不是数字，{_HINT}")
    if value < 0:
        raise _negative(shown)
    if value >= AMOUNT_LIMIT:
        raise _out_of_range(shown)
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite
    if exponent < -2:
        cents = _CTX.quantize(value, _CENT)
        if cents != value:
            raise _too_many_decimals(shown)
        value = cents
    elif exponent > 0:
        value = _CTX.quantize(value, _ONE)
    return value.copy_abs()  # a negative zero becomes zero


def _from_text(raw: str, decimals: int = 2) -> Decimal:
    """Text as an amount with at most ``decimals`` decimal places, refused with more (even zeros:
    ``1.000`` may be a thousand written the European way)."""
    shown = _shown(raw)
    text = unicodedata.normalize("NFKC", raw).strip()
    if not text:
        raise _refuse(codes.AMOUNT_EMPTY, "", f"金额为空，{_HINT}")
    body, negative = _undecorate(text)
    match = _AMOUNT_RE.fullmatch(body)
    if match is None:
        raise _refuse(codes.AMOUNT_NOT_A_NUMBER, shown, _not_a_number_reason(body, shown))
    if negative:
        raise _negative(shown)
    whole = match["int"].replace(",", "").lstrip("0") or "0"
    fraction = match["frac"] or ""
    if len(fraction) > decimals:
        if decimals == 2 and len(fraction) == 3 and re.fullmatch(r"[1-9][0-9]{0,2}", match["int"]):
            raise _dot_thousands(shown, match["int"], fraction)
        raise _too_many_decimals(shown)
    if len(whole) > _LIMIT_DIGITS:
        raise _out_of_range(shown)
    return Decimal(f"{whole}.{fraction}" if fraction else whole)


_CURRENCY_PREFIXES = ("人民币", "RMB", "CNY", "¥")


def _undecorate(text: str) -> tuple[str, bool]:
    """Strip ``(…)``, a minus sign, a currency prefix (``¥``, ``人民币``, ``RMB``, ``CNY``) and a
    trailing ``元``/``元整``/``元正``; report whether the text was marked negative."""
    negative = False
    if len(text) >= 2 and text[0] == "(" and text[-1] == ")":
        negative, text = True, text[1:-1].strip()
    if text[:1] in _MINUS:
        negative, text = True, text[1:].lstrip()
    for prefix in _CURRENCY_PREFIXES:
        if text[: len(prefix)].upper() == prefix:
            text = text[len(prefix) :].lstrip()
            break
    if text[:1] in _MINUS:
        negative, text = True, text[1:].lstrip()
    for suffix in ("元整", "元正", "元"):
        if text.endswith(suffix):
            text = text[: -len(suffix)].rstrip()
            break
    return text, negative


def _not_a_number_reason(body: str, shown: str) -> str:
    if _SCIENTIFIC_RE.fullmatch(body):
        return f"金额“{shown}”是科学计数法，请直接写出全部数字，如 1000 或 1000.00"
    foreign = next((ch for ch in body if ch.isdigit() and not ch.isascii()), None)
    if foreign is not None:
        return f"金额“{shown}”含有非阿拉伯数字“{foreign}”，请改用 0–9 填写，如 500 或 500.00"
    if body and all(ch in _CAPITAL_CHARS for ch in body):
        return f"金额“{shown}”是中文大写或中文数字，金额栏请填写阿拉伯数字，如 50000 或 50000.00"
    if "," in body and _SEPARATED_RE.fullmatch(body):
        return f"金额“{shown}”中的逗号不在千位上，请去掉逗号，小数点用“.”，如 1409.50"
    return f"金额“{shown}”不是数字，{_HINT}"


# --------------------------------------------------------------------------------------------
# to_capitals
# --------------------------------------------------------------------------------------------

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_DIGIT_VALUE = {ch: i for i, ch in enumerate(_DIGITS)}
_PLACE = ("仟", "佰", "拾", "")
_SECTION_UNIT = ("万", "亿", "万", "")  # sections of four digits, highest first: 万亿, 亿, 万, 元
_SECTION_DIGITS = tuple((s // 1000, s // 100 % 10, s // 10 % 10, s % 10) for s in range(10_000))

# Markers inside a rendering pattern, where the rules leave a choice.
_ZERO_ON = "\x01"  # a 零 we write, though the rules make it optional
_ZERO_OFF = "\x02"  # a 零 we leave out, though the rules allow it
_ZHENG_ON = "\x03"  # 整 after 角: we write it ([M] requires it, [P] makes it optional)
_MARKERS = re.compile(f"([{_ZERO_ON}{_ZERO_OFF}{_ZHENG_ON}])")
_WRITTEN = str.maketrans({_ZERO_ON: "零", _ZERO_OFF: None, _ZHENG_ON: "整"})
_CHOICES = {_ZERO_ON: ("", "零"), _ZERO_OFF: ("", "零"), _ZHENG_ON: ("", "整")}


def to_capitals(amount: Decimal, *, prefix: bool = False) -> str:
    """Write ``amount`` in Chinese financial capitals (人民币大写), by the PBOC rules.

    ``amount`` is a `Decimal` (or ``int``) with 0 ≤ amount < 10^16 and at most two decimal places
    (trailing zeros beyond are fine: ``1.500`` is 1.5). Anything else raises `InvalidAmount`
    (``amount.negative``, ``amount.out_of_range``, ``amount.too_many_decimals``,
    ``amount.not_a_number``); a ``float`` or other type raises ``TypeError``: pass it through
    `parse_amount` first. ``prefix=True`` puts 人民币 directly in front, with no space.

    Where the rules leave a choice, this writes the form that is valid under every reading:

    - 整 after 元 and after 角, never after 分: 1409.50 → 壹仟肆佰零玖元伍角整,
      6007.14 → 陆仟零柒元壹角肆分.
    - A run of zeros inside the number is one 零: 6007 → 陆仟零柒; 100.01 → 壹佰元零壹分.
    - Every 拾 has its digit, leading ones too: 15 → 壹拾伍元整, 100000 → 壹拾万元整,
      10^9 → 壹拾亿元整.
    - Zeros at the end of a four-digit section (万, 亿) are not written when the next section starts
      with a non-zero 仟: 107000 → 壹拾万柒仟 (PBOC's first form). But a whole empty section behind
      亿 or 万 is written as 零: 100005000 → 壹亿零伍仟元整, 1000005000 → 壹拾亿零伍仟元整; and a
      section that starts with zeros gets 零: 1000500 → 壹佰万零伍佰, 100010000 → 壹亿零壹万.
    - 10^12 and above count 亿s in 万: 10^12 → 壹万亿元整, 1000100000000 → 壹万零壹亿元整.
    - 元 digit 0 and 角 non-zero: 零 after 元 (1680.32 → 壹仟陆佰捌拾元零叁角贰分,
      10.5 → 壹拾元零伍角整). 角 0 and 分 non-zero: 元零X分 (16409.02 → 壹万陆仟肆佰零玖元零贰分),
      never 元零角X分.
    - Zero is 零元整. Under 1元 the 元 is left out: 0.50 → 伍角整, 0.05 → 伍分, 0.55 → 伍角伍分.
    """
    yuan, jiao, fen = _split(amount)
    text = _pattern(yuan, jiao, fen).translate(_WRITTEN)
    return "人民币" + text if prefix else text


def _split(amount: Decimal) -> tuple[int, int, int]:
    """``(元, 角, 分)`` of a valid amount, or raise `InvalidAmount`."""
    if isinstance(amount, bool) or not isinstance(amount, (Decimal, int)):
        raise TypeError(f"to_capitals() needs a Decimal amount, not {type(amount).__name__}")
    if isinstance(amount, int):
        amount = _from_int(amount)
    shown = _shown(str(amount))
    if not amount.is_finite():
        raise _refuse(codes.AMOUNT_NOT_A_NUMBER, shown, f"金额“{shown}”不是数字，{_HINT}")
    if amount < 0:
        raise _negative(shown)
    if amount >= AMOUNT_LIMIT:
        raise _out_of_range(shown)
    cents = _CTX.quantize(amount, _CENT)
    if cents != amount:
        raise _too_many_decimals(shown)
    yuan, rest = divmod(int(_CTX.scaleb(cents, 2)), 100)
    return yuan, rest // 10, rest % 10


def _pattern(yuan: int, jiao: int, fen: int) -> str:
    """The capitals of a valid amount, with markers where the rules leave a choice."""
    if yuan == 0:
        if jiao == 0:
            return _DIGITS[fen] + "分" if fen else "零元整"
        return _DIGITS[jiao] + "角" + (_DIGITS[fen] + "分" if fen else _ZHENG_ON)
    return _integer(yuan) + "元" + _fraction(jiao, fen, yuan % 10 == 0)


def _fraction(jiao: int, fen: int, ends_in_zero: bool) -> str:
    """What follows 元 when the integer part is not zero."""
    if jiao == 0:
        return "零" + _DIGITS[fen] + "分" if fen else "整"
    head = _ZERO_ON if ends_in_zero else ""
    return head + _DIGITS[jiao] + "角" + (_DIGITS[fen] + "分" if fen else _ZHENG_ON)


def _integer(number: int) -> str:
    """0 < number < 10^16 in capitals, without 元."""
    sections = (number // 10**12, number // 10**8 % 10_000, number // 10**4 % 10_000, number % 10_000)
    out: list[str] = []
    started = False  # a non-zero digit has been written
    zeros = False  # zeros were passed since the last non-zero digit written
    empty_section = False  # ... and among them a whole empty section
    for index, section in enumerate(sections):
        if section == 0:
            if started:
                zeros = empty_section = True
            continue
        for place, digit in enumerate(_SECTION_DIGITS[section]):
            if digit == 0:
                if started:
                    zeros = True
                continue
            if zeros:
                if place == 0:  # the zeros end a higher section; the rules make this 零 optional
                    out.append(_ZERO_ON if empty_section else _ZERO_OFF)
                else:
                    out.append("零")
            out.append(_DIGITS[digit])
            out.append(_PLACE[place])
            started, zeros, empty_section = True, False, False
        out.append(_SECTION_UNIT[index])
        if index == 0 and sections[1] == 0:
            out.append("亿")  # 壹万亿
    return "".join(out)


# --------------------------------------------------------------------------------------------
# parse_capitals
# --------------------------------------------------------------------------------------------

_CAPITALS_ALLOWED = frozenset(_DIGITS + "拾佰仟万亿元圆角分整正")
# Traditional forms the PBOC rules allow (貳, 參, 陸, 萬, 億, 圓) and a variant of 贰, as their simplified forms.
_TRADITIONAL = str.maketrans(
    {
        "貳": "贰",
        "貮": "贰",
        "參": "叁",
        "叄": "叁",
        "陸": "陆",
        "萬": "万",
        "億": "亿",
        "圓": "元",
        "幣": "币",
    }
)
_LOWERCASE = frozenset("〇○一二三四五六七八九十百千两念毛另廿卅")
_FRACTION_RE = re.compile(f"零?(?:([{_DIGITS}])角)?零?(?:([{_DIGITS}])分)?整?")
_SMALL_UNIT = {"拾": 10, "佰": 100, "仟": 1000}
_CAPITALS_EXAMPLE = "如 1409.50 写作“壹仟肆佰零玖元伍角整”"


def parse_capitals(text: str) -> Decimal:
    """Read an amount written in capitals; the inverse of `to_capitals`.

    Accepts every form the PBOC rules allow, not only the one `to_capitals` writes:

    - an optional 人民币 directly in front (no space after it) and white space around the whole;
    - the traditional forms 貳 (貮), 參 (叄), 陸, 萬, 億, 圓 and 人民幣, read as 贰, 叁, 陆, 万, 亿, 元, 人民币;
    - 元 or 圆; 整 or 正 (required after 元, optional after 角, refused after 分);
    - the optional 零s: after 元 when the 元 digit is 0 and 角 is not (壹仟陆佰捌拾元叁角贰分);
      at the end of a 万 or 亿 section when the next section starts with a non-zero 仟
      (壹拾万零柒仟元整, 壹亿伍仟元整);
    - under 1元: 伍角整, 伍角, 伍分, 伍角伍分, and the same after 零元 (零元伍角整, 零元伍分,
      零元零伍分).

    Refused with `InvalidAmount` (``capitals.empty`` or ``capitals.invalid``): lower-case numerals
    (一二三, 十, 两), a bare leading 拾, repeated or misplaced 零, a missing 整 after 元, 整 after 分,
    anything else.

    Returns a whole ``Decimal`` (exponent 0) when there is no 角 or 分, otherwise one with two
    decimals: ``parse_capitals("伍万元整") == Decimal("50000")``, ``"伍角整"`` → ``Decimal("0.50")``.
    For every valid amount ``x``, ``parse_capitals(to_capitals(x)) == x``.
    """
    shown = _shown(text)
    body = unicodedata.normalize("NFKC", text).strip().translate(_TRADITIONAL)
    if not body:
        raise _refuse(codes.CAPITALS_EMPTY, "", f"大写金额为空，请按人民币大写填写，{_CAPITALS_EXAMPLE}")
    if body.startswith("人民币"):
        body = body[3:]
        if body[:1].isspace():
            raise _refuse(
                codes.CAPITALS_INVALID,
                shown,
                f"大写金额“{shown}”的“人民币”后面有空格，金额要紧接在“人民币”之后，如“人民币伍万元整”",
            )
    _check_characters(body, shown)
    body = body.replace("圆", "元").replace("正", "整")
    parts = _loose_parts(body)
    if parts is None or body not in _allowed_forms(*parts):
        raise _refuse(codes.CAPITALS_INVALID, shown, _capitals_reason(body, shown, parts))
    yuan, jiao, fen = parts
    return Decimal(yuan) if jiao == fen == 0 else Decimal(f"{yuan}.{jiao}{fen}")


def _check_characters(body: str, shown: str) -> None:
    bad = next((ch for ch in body if ch not in _CAPITALS_ALLOWED), None)
    if bad is None:
        return
    if bad in _LOWERCASE:
        reason = (
            f"大写金额“{shown}”用了小写数字“{bad}”，请用 零壹贰叁肆伍陆柒捌玖 和 拾佰仟万亿，"
            f"{_CAPITALS_EXAMPLE}"
        )
    elif bad.isdigit():
        reason = f"大写金额“{shown}”含有数字“{bad}”，大写金额只用汉字，{_CAPITALS_EXAMPLE}"
    else:
        reason = f"大写金额“{shown}”含有不属于人民币大写的字符“{bad}”，{_CAPITALS_EXAMPLE}"
    raise _refuse(codes.CAPITALS_INVALID, shown, reason)


def _loose_parts(body: str) -> tuple[int, int, int] | None:
    """Read ``(元, 角, 分)`` loosely; the result is trusted only if `_allowed_forms` contains ``body``."""
    if "元" in body:
        head, _, tail = body.partition("元")
        yuan = _loose_integer(head)
        if yuan is None:
            return None
    else:
        yuan, tail = 0, body
        if "角" not in tail and "分" not in tail:
            return None
    match = _FRACTION_RE.fullmatch(tail)
    if match is None:
        return None
    jiao, fen = (_DIGIT_VALUE[group] if group else 0 for group in match.groups())
    return yuan, jiao, fen


def _loose_integer(text: str) -> int | None:
    """The value of digits and units, without judging their order; None if out of range."""
    if not text:
        return None
    total = below_yi = section = digit = 0
    for ch in text:
        if ch in _DIGIT_VALUE:
            digit = _DIGIT_VALUE[ch]
        elif ch in _SMALL_UNIT:
            section, digit = section + digit * _SMALL_UNIT[ch], 0
        elif ch == "万":
            below_yi, section, digit = below_yi + (section + digit) * 10_000, 0, 0
        elif ch == "亿":
            total, below_yi, section, digit = (total + below_yi + section + digit) * 10**8, 0, 0, 0
        else:
            return None
    number = total + below_yi + section + digit
    return number if number < _LIMIT_INT else None


def _allowed_forms(yuan: int, jiao: int, fen: int) -> set[str]:
    """Every spelling the rules allow for an amount, after 圆→元 and 正→整."""
    patterns = [_pattern(yuan, jiao, fen)]
    if yuan == 0 and (jiao or fen):
        patterns.append("零元" + (_ZERO_ON + _DIGITS[fen] + "分" if jiao == 0 else _pattern(0, jiao, fen)))
    forms: set[str] = set()
    for pattern in patterns:
        pieces = _MARKERS.split(pattern)
        options = [_CHOICES.get(piece, (piece,)) for piece in pieces]
        forms.update("".join(choice) for choice in itertools.product(*options))
    return forms


def _capitals_reason(body: str, shown: str, parts: tuple[int, int, int] | None) -> str:
    if "零零" in body:
        return f"大写金额“{shown}”连续写了几个“零”，一串零只写一个“零”，如 6007.14 写作“陆仟零柒元壹角肆分”"
    if body.endswith("元"):
        return f"大写金额“{shown}”到元为止，元后面要写“整”（或“正”），如“伍万元整”"
    if body.endswith("分整"):
        return f"大写金额“{shown}”在“分”后面写了“整”，到分为止的金额不写“整”，如“叁佰贰拾伍元零肆分”"
    if body.startswith("拾"):
        return f"大写金额“{shown}”开头的“拾”要写成“壹拾”，如 15 写作“壹拾伍元整”"
    reason = f"大写金额“{shown}”不符合人民币大写的写法，请对照金额重写"
    if parts is not None:
        yuan, jiao, fen = parts
        written = _pattern(yuan, jiao, fen).translate(_WRITTEN)
        number = format_amount(Decimal(yuan) + Decimal(jiao * 10 + fen) / 100)
        return f"{reason}；若金额是 {number}，应写作“{written}”"
    return f"{reason}，{_CAPITALS_EXAMPLE}"


# --------------------------------------------------------------------------------------------
# format_amount
# --------------------------------------------------------------------------------------------


def format_amount(amount: Decimal) -> str:
    """Show an amount as the bulletin does: ``500``, ``50000``, ``15538.27``, ``10.50``.

    Whole amounts have no decimals (``Decimal("500.00")`` → ``500``); any other amount has exactly
    two (``Decimal("10.5")`` → ``10.50``). No thousands separators, no currency sign: the seed
    bulletin's 金额/元 column and its ``50000元`` total look like this. A negative amount keeps its
    minus sign (for messages about differences). More than two decimals or a non-finite value
    raises `InvalidAmount`; the value is never rounded.
    """
    if type(amount) is Decimal:
        # The usual amount (500, 10.5, 15538.27, 500.00): read off its text, same result as below.
        whole_text, dot, fraction = str(amount).partition(".")
        if whole_text.isdigit() and len(whole_text) <= _LIMIT_DIGITS:
            if not dot:
                return whole_text
            if 0 < len(fraction) <= 2 and fraction.isdigit():
                return whole_text if fraction.strip("0") == "" else f"{whole_text}.{fraction:0<2}"
    if isinstance(amount, bool) or not isinstance(amount, (Decimal, int)):
        raise TypeError(f"format_amount() needs a Decimal amount, not {type(amount).__name__}")
    shown = _shown(str(amount))
    if isinstance(amount, int):
        return str(amount)
    if not amount.is_finite():
        raise _refuse(codes.AMOUNT_NOT_A_NUMBER, shown, f"金额“{shown}”不是数字，{_HINT}")
    try:
        cents = _CTX.quantize(amount, _CENT)
    except InvalidOperation:
        raise _out_of_range(shown) from None
    if cents != amount:
        raise _too_many_decimals(shown)
    if cents == 0:
        return "0"
    whole = cents == cents.to_integral_value()
    return f"{cents:.0f}" if whole else f"{cents:.2f}"
