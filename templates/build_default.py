"""Build the default bulletin template ``templates/bulletin.docx`` with python-docx.

Run it from the repository root whenever the look of the default bulletin changes, then commit
the regenerated ``templates/bulletin.docx``::

    python templates/build_default.py            # writes templates/bulletin.docx
    python templates/build_default.py out.docx   # writes somewhere else

Why a script: every docxtpl tag must sit inside ONE run, or Jinja sees it cut in pieces. Word
splits runs whenever the user types, so the committed template is generated here, where each tag is
written as its own run. Users may then restyle it in Word; ``toolkit template check FILE`` reports a
tag that Word has split.

What the template contains (top to bottom), with the named styles users can change in Word:

* 简报报头 ``{{ masthead }}``: large red 黑体, centred; 简报期号 ``{{ issue }}``;
  简报发文行 ``{{ office }}`` (left) and ``{{ issue_date }}`` (right tab), over a red rule.
* 简报标题 ``{{ title }}``; 简报正文 ``{{ intro }}``; 表格标题 ``{{ heading }}``.
* The donor table, packed in groups side by side. docxtpl column loops repeat the three cells
  序号 / 捐赠姓名 / 金额/元 once per group (``{%tc for g in group_numbers %}`` in the header row,
  ``{%tc for g in row %}`` in the body row); a row loop (``{%tr for row in rows %}``) repeats the
  body row. The header row repeats on every page. A last row spans all columns with
  ``{% colspan ... %}`` and carries 收款金额合计 and 大写.
* 落款: 收款人 / 监督人 (a line to sign by hand when the workbook has none), then the
  organisation and the date, right-aligned; 图注 ``{{ caption }}``.
* 分送: one paragraph per ``distribution`` line (报送 / 抄报 / 发送) between thin rules.

Fonts: East Asian faces are set with ``w:rFonts w:eastAsia`` (黑体 for the masthead and titles,
仿宋 for the text, 宋体 in the table, 楷体 for the issue line and caption) with ``w:hint="eastAsia"``.
The font table lists each with its English name (SimHei, FangSong, SimSun, KaiTi) as ``w:altName`` and
the GB2312 charset, so Word substitutes a Chinese face when one is missing; LibreOffice falls back
to Noto CJK. Page: A4, margins top 2.7 cm, bottom 2.5 cm, left and right 2.5 cm.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.styles.style import BaseStyle
from docx.table import _Cell
from docx.text.paragraph import Paragraph

OUTPUT = Path(__file__).resolve().parent / "bulletin.docx"

RED = RGBColor(0xFF, 0x00, 0x00)
LATIN = "Times New Roman"
# Chinese face -> (English name Word also knows, family, panose)
CJK_FONTS = {
    "黑体": ("SimHei", "modern", "02010609060101010101"),
    "仿宋": ("FangSong", "modern", "02010609060101010101"),
    "宋体": ("SimSun", "auto", "02010600030101010101"),
    "楷体": ("KaiTi", "modern", "02010609060101010101"),
}

PAGE_WIDTH = Cm(21.0)
MARGIN_LEFT = Cm(2.5)
MARGIN_RIGHT = Cm(2.5)
# Relative widths of one group's three columns; toolkit/render/layout.py scales them to the text width.
GROUP_WIDTHS = (Cm(0.7), Cm(2.15), Cm(1.15))  # 序号, 捐赠姓名, 金额/元
LOOP_CELL_WIDTH = Cm(2.0)  # width of the cells that only hold {%tc ...%} tags in the template


def _twips(length: int) -> int:
    return int(round(length / 635))  # 1 twip = 635 EMU


def text_width_twips() -> int:
    """The text width as Word computes it from the section: page width less both margins."""
    return _twips(PAGE_WIDTH) - _twips(MARGIN_LEFT) - _twips(MARGIN_RIGHT)


def set_fonts(rpr: OxmlElement, east_asia: str, latin: str = LATIN) -> None:
    """Set Latin and East Asian faces on an ``w:rPr`` (replacing any theme fonts)."""
    old = rpr.find(qn("w:rFonts"))
    if old is not None:
        rpr.remove(old)
    fonts = OxmlElement("w:rFonts")
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:hint"), "eastAsia")
    rpr.insert(0, fonts)


def _style(doc: Document, style_id: str, name: str, base: str | None = "Normal") -> BaseStyle:
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.element.set(qn("w:styleId"), style_id)
    if base:
        style.base_style = doc.styles[base]
    style.quick_style = True
    return style


def paragraph_style(
    doc: Document,
    style_id: str,
    name: str,
    *,
    east_asia: str,
    size: float,
    align: WD_ALIGN_PARAGRAPH | None = None,
    bold: bool = False,
    color: RGBColor | None = None,
    before: float = 0,
    after: float = 0,
    line: float | None = None,
    first_line_chars: int = 0,
    keep_next: bool = False,
    base: str | None = "Normal",
) -> BaseStyle:
    style = _style(doc, style_id, name, base)
    font = style.font
    font.size = Pt(size)
    if bold:
        font.bold = True
    if color is not None:
        font.color.rgb = color
    set_fonts(style.element.get_or_add_rPr(), east_asia)
    fmt = style.paragraph_format
    if align is not None:
        fmt.alignment = align
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if line is not None:
        fmt.line_spacing = Pt(line)
    if keep_next:
        fmt.keep_with_next = True
    ppr = style.element.get_or_add_pPr()
    if first_line_chars:
        ind = OxmlElement("w:ind")
        ind.set(qn("w:firstLineChars"), str(first_line_chars))
        ind.set(qn("w:firstLine"), str(int(size * 20 * first_line_chars / 100)))
        _insert_ppr_child(ppr, ind)
    return style


def paragraph_border(
    style: BaseStyle, *, sides: tuple[str, ...], size: int, color: str, space: int = 1
) -> None:
    ppr = style.element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for side in sides:
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), str(size))
        edge.set(qn("w:space"), str(space))
        edge.set(qn("w:color"), color)
        borders.append(edge)
    _insert_ppr_child(ppr, borders)


_PPR_ORDER = [
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
]


def _insert_ppr_child(ppr: OxmlElement, child: OxmlElement) -> None:
    """Insert ``child`` into ``w:pPr`` at its schema position (Word rejects out-of-order children)."""
    name = child.tag.split("}")[1]
    rank = _PPR_ORDER.index(name)
    for existing in ppr:
        other = existing.tag.split("}")[1]
        if other in _PPR_ORDER and _PPR_ORDER.index(other) > rank:
            existing.addprevious(child)
            return
    ppr.append(child)


def right_tab(style: BaseStyle, position: int) -> None:
    ppr = style.element.get_or_add_pPr()
    tabs = OxmlElement("w:tabs")
    tab = OxmlElement("w:tab")
    tab.set(qn("w:val"), "right")
    tab.set(qn("w:pos"), str(position))
    tabs.append(tab)
    _insert_ppr_child(ppr, tabs)


def hanging_indent(style: BaseStyle, chars: int, size: float) -> None:
    ppr = style.element.get_or_add_pPr()
    ind = OxmlElement("w:ind")
    ind.set(qn("w:leftChars"), str(chars))
    ind.set(qn("w:left"), str(int(size * 20 * chars / 100)))
    ind.set(qn("w:hangingChars"), str(chars))
    ind.set(qn("w:hanging"), str(int(size * 20 * chars / 100)))
    _insert_ppr_child(ppr, ind)


def setup_defaults(doc: Document) -> None:
    """Document defaults: Chinese language, explicit fonts instead of the theme's Japanese ones."""
    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr_default, "仿宋")
    lang = rpr_default.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    ppr_default = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr_default.find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    normal = doc.styles["Normal"]
    normal.font.size = Pt(14)
    set_fonts(normal.element.get_or_add_rPr(), "仿宋")
    settings = doc.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), "zh-CN")
    # Word 2013+ layout, so Word 365 does not open every bulletin in "Compatibility Mode".
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")


def setup_font_table(doc: Document) -> None:
    """List the Chinese faces with their English names and the GB2312 charset for substitution."""
    font_part = next(rel.target_part for rel in doc.part.rels.values() if rel.reltype.endswith("/fontTable"))
    from lxml import etree

    root = etree.fromstring(font_part.blob)
    w = root.nsmap["w"]
    for name, (alt, family, panose) in CJK_FONTS.items():
        font = etree.SubElement(root, f"{{{w}}}font", {f"{{{w}}}name": name})
        etree.SubElement(font, f"{{{w}}}altName", {f"{{{w}}}val": alt})
        etree.SubElement(font, f"{{{w}}}panose1", {f"{{{w}}}val": panose})
        etree.SubElement(font, f"{{{w}}}charset", {f"{{{w}}}val": "86"})
        etree.SubElement(font, f"{{{w}}}family", {f"{{{w}}}val": family})
        etree.SubElement(font, f"{{{w}}}pitch", {f"{{{w}}}val": "variable"})
    font_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def setup_styles(doc: Document) -> None:
    center = WD_ALIGN_PARAGRAPH.CENTER
    paragraph_style(
        doc, "BulletinMasthead", "简报报头", east_asia="黑体", size=24, align=center, color=RED, after=6
    )
    paragraph_style(doc, "BulletinIssue", "简报期号", east_asia="楷体", size=16, align=center, after=6)
    issuer = paragraph_style(doc, "BulletinIssuer", "简报发文行", east_asia="仿宋", size=14, after=18)
    right_tab(issuer, text_width_twips())
    paragraph_border(issuer, sides=("bottom",), size=18, color="FF0000", space=4)
    paragraph_style(
        doc,
        "BulletinTitle",
        "简报标题",
        east_asia="黑体",
        size=18,
        align=center,
        before=0,
        after=8,
        keep_next=True,
    )
    paragraph_style(
        doc,
        "BulletinBody",
        "简报正文",
        east_asia="仿宋",
        size=14,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        line=24,
        first_line_chars=200,
        after=6,
    )
    paragraph_style(
        doc,
        "TableHeading",
        "表格标题",
        east_asia="黑体",
        size=12,
        align=center,
        before=6,
        after=6,
        keep_next=True,
    )
    paragraph_style(doc, "TableHeader", "表头文字", east_asia="黑体", size=8, align=center, line=17)
    paragraph_style(doc, "TableText", "表格文字", east_asia="宋体", size=8, align=center, line=15)
    paragraph_style(
        doc,
        "TableAmount",
        "表格金额",
        east_asia="宋体",
        size=8,
        align=WD_ALIGN_PARAGRAPH.RIGHT,
        base="表格文字",
    )
    paragraph_style(
        doc,
        "TableTotal",
        "表格合计",
        east_asia="黑体",
        size=10.5,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        base="表格文字",
    )
    paragraph_style(doc, "Signature", "落款", east_asia="仿宋", size=14, before=0, after=0, line=22)
    paragraph_style(
        doc, "SignatureRight", "落款右", east_asia="仿宋", size=14, align=WD_ALIGN_PARAGRAPH.RIGHT, line=22
    )
    paragraph_style(doc, "FigureCaption", "图注", east_asia="楷体", size=12, align=center, before=6, after=14)
    distribution = paragraph_style(
        doc, "Distribution", "分送", east_asia="仿宋", size=14, line=22, keep_next=True
    )
    hanging_indent(distribution, 300, 14)
    paragraph_border(distribution, sides=("top", "bottom"), size=4, color="000000", space=1)
    paragraph_style(
        doc, "TemplateTag", "模板标记", east_asia="仿宋", size=9, color=RGBColor(0x80, 0x80, 0x80)
    )
    paragraph_style(doc, "PageNumber", "页码", east_asia="宋体", size=14, align=center)


def setup_page(doc: Document) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width = PAGE_WIDTH
    section.page_height = Cm(29.7)
    section.top_margin = Cm(2.7)
    section.bottom_margin = Cm(2.5)
    section.left_margin = MARGIN_LEFT
    section.right_margin = MARGIN_RIGHT
    section.header_distance = Cm(1.5)
    section.footer_distance = Cm(1.5)
    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["页码"]
    footer.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    footer._p.append(field)
    footer._p.append(footer.add_run(" —")._r)


def add_paragraph(doc: Document, style: str, *runs: str) -> Paragraph:
    """A paragraph whose runs are exactly ``runs``: each tag stays whole in its own run."""
    paragraph = doc.add_paragraph(style=doc.styles[style])
    for text in runs:
        paragraph.add_run(text)
    return paragraph


def fill_cell(cell: _Cell, style: str, *runs: str) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.style = cell.part.document.styles[style]
    for text in runs:
        paragraph.add_run(text)


def _cell_width(cell: _Cell, width: int) -> None:
    cell.width = width


def build_table(doc: Document) -> None:
    widths = (LOOP_CELL_WIDTH, *GROUP_WIDTHS, LOOP_CELL_WIDTH)
    table = doc.add_table(rows=5, cols=5)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = tbl_pr.find(qn("w:tblLayout"))  # python-docx writes it for autofit = False
    layout.set(qn("w:type"), "fixed")
    _table_borders(tbl_pr)
    _cell_margins(tbl_pr)
    width = tbl_pr.find(qn("w:tblW"))
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(text_width_twips()))
    for col, width in zip(table.columns, widths, strict=True):
        col.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            _cell_width(cell, width)

    header, loop_start, body, loop_end, total = table.rows
    # header row: repeated on each page, one 序号/捐赠姓名/金额 group per group number
    tr_pr = header._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))
    fill_cell(header.cells[0], "模板标记", "{%tc for g in group_numbers %}")
    fill_cell(header.cells[1], "表头文字", "序号")
    fill_cell(header.cells[2], "表头文字", "捐赠姓名")
    fill_cell(header.cells[3], "表头文字", "金额/元")
    fill_cell(header.cells[4], "模板标记", "{%tc endfor %}")

    merged = loop_start.cells[0].merge(loop_start.cells[4])
    fill_cell(merged, "模板标记", "{%tr for row in rows %}")

    body._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    # The body row is repeated for every row of donors: keep its cells lean (no w:tcPr); the
    # table grid (w:tblGrid, fixed layout) gives their widths.
    for cell in body.cells:
        tc_pr = cell._tc.tcPr
        if tc_pr is not None:
            cell._tc.remove(tc_pr)
    fill_cell(body.cells[0], "模板标记", "{%tc for g in row %}")
    fill_cell(body.cells[1], "表格文字", "{{ g.serial }}")
    fill_cell(body.cells[2], "表格文字", "{{ g.donor }}")
    fill_cell(body.cells[3], "表格金额", "{{ g.amount }}")
    fill_cell(body.cells[4], "模板标记", "{%tc endfor %}")

    merged = loop_end.cells[0].merge(loop_end.cells[4])
    fill_cell(merged, "模板标记", "{%tr endfor %}")

    merged = total.cells[0].merge(total.cells[4])
    fill_cell(
        merged,
        "表格合计",
        "{% colspan group_numbers|length * 3 %}",
        "收款金额合计：",
        "{{ total }}",
        "元　　大写：",
        "{{ total_capitals }}",
    )
    total._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _table_borders(tbl_pr: OxmlElement) -> None:
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), "4")
        edge.set(qn("w:space"), "0")
        edge.set(qn("w:color"), "000000")
        borders.append(edge)
    tbl_pr.find(qn("w:tblLayout")).addprevious(borders)  # schema order: ... tblBorders, shd, tblLayout


def _cell_margins(tbl_pr: OxmlElement) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side, value in (("top", 0), ("left", 20), ("bottom", 0), ("right", 20)):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(value))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    tbl_pr.find(qn("w:tblLayout")).addnext(margins)  # schema order: tblLayout, tblCellMar, tblLook


def build(path: Path) -> None:
    doc = Document()
    # python-docx's blank document starts with no paragraphs in the body except the section
    setup_defaults(doc)
    setup_font_table(doc)
    setup_styles(doc)
    setup_page(doc)
    props = doc.core_properties
    props.title = "爱心捐款简报模板"
    props.author = "toolkit"
    props.comments = ""
    props.created = props.modified = dt.datetime(2020, 2, 14, tzinfo=dt.timezone.utc)
    props.last_modified_by = "toolkit"
    props.revision = 1

    add_paragraph(doc, "简报报头", "{{ masthead }}")
    add_paragraph(doc, "简报期号", "{{ issue }}")
    add_paragraph(doc, "简报发文行", "{{ office }}", "\t", "{{ issue_date }}")
    add_paragraph(doc, "简报标题", "{{ title }}")
    add_paragraph(doc, "简报正文", "{{ intro }}")
    add_paragraph(doc, "表格标题", "{{ heading }}")
    build_table(doc)
    signature = add_paragraph(doc, "落款", "收款人：", '{{ receiver or "__________" }}')
    signature.paragraph_format.space_before = Pt(6)
    add_paragraph(doc, "落款", "监督人：", '{{ supervisor or "__________" }}')
    add_paragraph(doc, "落款右", '{{ org or "____________________" }}')
    add_paragraph(doc, "落款右", "日期：", '{{ date or "______年___月___日" }}')
    add_paragraph(doc, "图注", "{{ caption }}")
    add_paragraph(doc, "模板标记", "{%p for d in distribution %}")
    add_paragraph(doc, "分送", "{{ d.label }}", "：", "{{ d.text }}")
    add_paragraph(doc, "模板标记", "{%p endfor %}")
    drop_styles_with_effects(doc)
    doc.save(str(path))


def drop_styles_with_effects(doc: Document) -> None:
    """Remove the Word 2010 ``stylesWithEffects`` part of python-docx's blank document.

    It still holds the blank document's styles, not ours; Word 2013 and later ignore it, and an
    out-of-date copy is one more thing an older Word could stumble on.
    """
    for rel_id, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            doc.part.drop_rel(rel_id)
    # The blank document's thumbnail would show Explorer an empty page for every bulletin.
    package_rels = doc.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            package_rels.pop(rel_id)


def main(argv: list[str]) -> int:
    target = Path(argv[1]) if len(argv) > 1 else OUTPUT
    build(target)
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
