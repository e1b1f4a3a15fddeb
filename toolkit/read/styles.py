"""Number formats that show a unit: a cell holding ``10`` shown as ``10万元`` or ``$10.00``.

Excel shows a number through its cell's number format. A clerk who formats the amount column as
``0"万元"`` types ``10`` for 100,000 元, and one who formats it as ``"$"#,##0.00`` types US dollars;
the value alone says neither. `unit_styles` reads ``xl/styles.xml`` once per workbook and names the
cell styles whose format shows 万元 or a foreign currency; `unit_cells` finds the cells of one sheet
that use them. Workbooks without such a format (nearly all) cost one small parse and nothing per cell.

A format's literal text (``"万元"``), its locale currency (``[$$-409]``, ``[$¥-804]``) and bare symbols
(``$``, ``€``, ``£``) are read; 元, ¥ and ￥ are 人民币 and give nothing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

__all__ = ["unit_cells", "unit_styles"]

log = logging.getLogger(__name__)

WAN_YUAN = "万元"

_LOCALE = re.compile(r"\[\$([^\]-]*)(?:-[0-9A-Fa-f]+)?\]")
_QUOTED = re.compile(r'"([^"]*)"')
_OTHER_BRACKETS = re.compile(r"\[[^\]]*\]")
_SYMBOLS = {
    "US$": "美元",
    "USD": "美元",
    "HK$": "港币",
    "HKD": "港币",
    "NT$": "新台币",
    "S$": "新加坡元",
    "A$": "澳元",
    "C$": "加元",
    "$": "美元",
    "€": "欧元",
    "EUR": "欧元",
    "£": "英镑",
    "GBP": "英镑",
    "JPY": "日元",
    "美元": "美元",
    "港币": "港币",
    "港元": "港币",
    "欧元": "欧元",
    "日元": "日元",
    "英镑": "英镑",
}
_BY_LENGTH = sorted(_SYMBOLS, key=len, reverse=True)
_CELL = re.compile(rb"<(?:[\w.-]+:)?c\s([^>]*?)/?>")
_STYLE = re.compile(rb"\ss\s*=\s*[\"']([0-9]{1,6})[\"']")
_REF = re.compile(rb"\br\s*=\s*[\"']([A-Z]{1,3})([0-9]{1,7})[\"']")


def format_unit(code: str) -> str | None:
    """``万元`` or a foreign currency's name when the number format ``code`` shows one, else ``None``."""
    texts = [m for m in _LOCALE.findall(code)] + _QUOTED.findall(code)
    bare = _OTHER_BRACKETS.sub("", _QUOTED.sub("", _LOCALE.sub("", code)))
    texts.append(bare.replace("\\", ""))
    for text in texts:
        if "万" in text:
            return WAN_YUAN
        for symbol in _BY_LENGTH:
            if symbol in text:
                return _SYMBOLS[symbol]
    return None


def unit_styles(styles_xml: bytes | None) -> dict[int, str]:
    """Cell style index → the unit its number format shows, for the styles that show one."""
    if not styles_xml or b"numFmt " not in styles_xml:
        return {}
    from defusedxml import ElementTree

    try:
        root = ElementTree.fromstring(styles_xml)
    except Exception as exc:  # a broken styles part hides no value: read the cells as they are
        log.info("styles.xml 无法读取，不检查数字格式：%s", exc)
        return {}
    units: dict[str, str] = {}
    for element in root.iter():
        if element.tag.rpartition("}")[2] == "numFmt":
            unit = format_unit(element.get("formatCode", ""))
            if unit is not None:
                units[element.get("numFmtId", "")] = unit
    if not units:
        return {}
    styles: dict[int, str] = {}
    for parent in root.iter():
        if parent.tag.rpartition("}")[2] == "cellXfs":
            xfs = [child for child in parent if child.tag.rpartition("}")[2] == "xf"]
            for index, xf in enumerate(xfs):
                unit = units.get(xf.get("numFmtId", ""))
                if unit is not None:
                    styles[index] = unit
    return styles


def unit_cells(sheet_xml: bytes, styles: Mapping[int, str]) -> dict[tuple[int, int], str]:
    """0-based ``(row, col)`` → unit, for the cells of one sheet whose style shows a unit."""
    if not styles:
        return {}
    found: dict[tuple[int, int], str] = {}
    for match in _CELL.finditer(sheet_xml):
        attrs = match.group(1)
        style = _STYLE.search(attrs)
        if style is None or int(style.group(1)) not in styles:
            continue
        ref = _REF.search(attrs)
        if ref is None:
            continue
        col = 0
        for letter in ref.group(1):
            col = col * 26 + letter - 64
        found[int(ref.group(2)) - 1, col - 1] = styles[int(style.group(1))]
    return found
