"""toolkit.render.measure: the size and face a run is printed in, and how wide a figure is."""

from __future__ import annotations

import pytest
from lxml import etree

from toolkit.render.measure import Styles, cell_margins, figure_width, is_figure, widest

NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def xml(text: str) -> etree._Element:
    """One WordprocessingML element written with the ``w:`` prefix."""
    return etree.fromstring(f"<root {NS}>{text}</root>")[0]


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("12", True),
        ("15538.27", True),
        ("¥1,000.00元", True),
        ("-3.50", True),
        ("", False),
        (".", False),  # no digit
        ("王琳萍", False),
        ("3M中国", False),
        ("No. 7", False),
    ],
)
def test_is_figure(text: str, figure: bool) -> None:
    assert is_figure(text) is figure


@pytest.mark.parametrize(
    ("text", "size", "face", "twips"),
    [
        ("77319319.01", 8, "Times New Roman", 840),  # 10 digits of 0.5 em and a 0.25 em point
        ("77319319.01", 8, "Liberation Serif", 840),
        ("15538.27", 10.5, "times new roman", 787.5),
        ("100000", 8, "Arial", 533.76),
        ("100000", 8, "SomeFont", 610.56),  # an unknown face is measured as DejaVu, the widest
        ("100000", 8, "", 610.56),
        ("500元", 8, "Times New Roman", 400),  # 元 is one em
    ],
)
def test_figure_width(text: str, size: float, face: str, twips: float) -> None:
    assert figure_width(text, size, face) == pytest.approx(twips)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["500", "15538.27", "3000", "20945.7"], "00000.00"),  # as wide as 15538.27
        (["9999999", "1000000.5", "12"], "0000000.0"),  # the point is narrower than a digit
        (["1", "22", "333"], "000"),
        (["¥1,000.00元", "¥900.00元"], "¥0,000.00元"),
        (["王", "文山江·牙克丹", "李纹"], "文山江·牙克丹"),  # names: the longest
        ([], ""),
    ],
)
def test_widest(values: list[str], expected: str) -> None:
    assert widest(values) == expected
    if values and is_figure(expected):
        assert figure_width(expected, 8, "") == max(figure_width(value, 8, "") for value in values)


STYLES = xml(
    "<w:styles>"
    "<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii='Arial'/><w:sz w:val='21'/></w:rPr>"
    "</w:rPrDefault></w:docDefaults>"
    "<w:style w:type='paragraph' w:default='1' w:styleId='Normal'><w:rPr><w:sz w:val='28'/></w:rPr></w:style>"
    "<w:style w:type='paragraph' w:styleId='Base'><w:rPr><w:rFonts w:ascii='Times New Roman'/></w:rPr></w:style>"
    "<w:style w:type='paragraph' w:styleId='Cell'><w:basedOn w:val='Base'/><w:rPr><w:sz w:val='16'/></w:rPr>"
    "</w:style>"
    "<w:style w:type='paragraph' w:styleId='Loop'><w:basedOn w:val='Loop'/></w:style>"
    "<w:style w:type='character' w:styleId='Big'><w:rPr><w:sz w:val='40'/></w:rPr></w:style>"
    "<w:style w:type='paragraph' w:styleId='Themed'><w:rPr><w:rFonts w:asciiTheme='minorHAnsi'/></w:rPr>"
    "</w:style>"
    "<w:style w:type='table' w:styleId='Grid'><w:tblPr><w:tblCellMar><w:left w:w='50' w:type='dxa'/>"
    "</w:tblCellMar></w:tblPr><w:rPr><w:rFonts w:ascii='Arial'/></w:rPr></w:style>"
    "</w:styles>"
)


def run_in(paragraph_style: str = "", run_props: str = "", table_style: str = "") -> tuple[float, str]:
    table = xml(f"<w:tbl><w:tblPr>{table_style}</w:tblPr></w:tbl>")
    paragraph = xml(f"<w:p><w:pPr>{paragraph_style}</w:pPr></w:p>")
    run = xml(f"<w:r><w:rPr>{run_props}</w:rPr></w:r>")
    return Styles(STYLES).run_font(run, paragraph, table)


@pytest.mark.parametrize(
    ("paragraph_style", "run_props", "table_style", "font"),
    [
        ("", "", "", (14.0, "Arial")),  # the default paragraph style's size, the defaults' face
        ("<w:pStyle w:val='Cell'/>", "", "", (8.0, "Times New Roman")),  # the face through basedOn
        ("<w:pStyle w:val='Cell'/>", "<w:sz w:val='24'/>", "", (12.0, "Times New Roman")),  # direct
        ("<w:pStyle w:val='Cell'/>", "<w:rStyle w:val='Big'/>", "", (20.0, "Times New Roman")),
        ("<w:pStyle w:val='Cell'/>", "<w:rFonts w:eastAsia='宋体'/>", "", (8.0, "Times New Roman")),
        ("<w:pStyle w:val='Loop'/>", "", "", (10.5, "Arial")),  # a style based on itself ends
        ("<w:pStyle w:val='Missing'/>", "", "", (10.5, "Arial")),
        ("<w:pStyle w:val='Themed'/>", "", "", (10.5, "")),  # a theme font is not resolved
        ("<w:pStyle w:val='Base'/>", "", "<w:tblStyle w:val='Grid'/>", (10.5, "Times New Roman")),
    ],
)
def test_a_run_takes_its_size_and_face_the_way_word_does(
    paragraph_style: str, run_props: str, table_style: str, font: tuple[float, str]
) -> None:
    assert run_in(paragraph_style, run_props, table_style) == font


def test_without_styles_a_run_is_ten_points() -> None:
    run = xml("<w:r/>")
    assert Styles(None).run_font(run, xml("<w:p/>"), xml("<w:tbl/>")) == (10.0, "")


@pytest.mark.parametrize(
    ("table", "cell", "margins"),
    [
        ("<w:tbl/>", "<w:tc/>", 216),  # Word's 108 twips each side
        ("<w:tbl><w:tblPr><w:tblStyle w:val='Grid'/></w:tblPr></w:tbl>", "<w:tc/>", 158),
        (
            "<w:tbl><w:tblPr><w:tblCellMar><w:left w:w='20' w:type='dxa'/><w:right w:w='30' w:type='dxa'/>"
            "</w:tblCellMar></w:tblPr></w:tbl>",
            "<w:tc/>",
            50,
        ),
        (
            "<w:tbl><w:tblPr><w:tblStyle w:val='Grid'/></w:tblPr></w:tbl>",
            "<w:tc><w:tcPr><w:tcMar><w:end w:w='0' w:type='nil'/></w:tcMar></w:tcPr></w:tc>",
            50,
        ),
    ],
)
def test_cell_margins(table: str, cell: str, margins: int) -> None:
    assert cell_margins(xml(cell), Styles(STYLES).table_margins(xml(table))) == margins
