"""Render: ledger + settings + template bytes → bulletin .docx bytes.

Golden files in ``tests/golden/`` hold the normalised text of rendered bulletins (never zip bytes).
Refresh them after an intended change with ``UPDATE_GOLDEN=1 pytest tests/test_render.py`` and review
the diff. Templates for the edge cases are built in code with python-docx, one run per tag.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from jinja2.exceptions import SecurityError, TemplateRuntimeError
from lxml import etree

from tests.workbooks import SEED_DONORS, SEED_ORG, SEED_TITLE
from toolkit.errors import RenderFailed, Severity, TemplateError
from toolkit.records import Donation, Ledger, Signature
from toolkit.render import (
    EMPTY_CELL,
    TEMPLATE_VARIABLES,
    BulletinTemplate,
    build_context,
    check_template,
    load_template,
    render_bulletin,
    render_context,
)
from toolkit.render import _escape_all as _escape_all
from toolkit.render import _expand as _expand
from toolkit.render import _gate as _gate
from toolkit.render import _marker as _marker
from toolkit.render import _parse_strict as _parse_strict
from toolkit.render import _render_error as _render_error
from toolkit.render import _render_fast as _render_fast
from toolkit.render import _split_plan as _split_plan
from toolkit.settings import Settings

REPO = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE_GOLDEN = os.environ.get("UPDATE_GOLDEN") == "1"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SEED_SETTINGS = Settings(issue_date="2020年2月14日")


# ---------------------------------------------------------------------------- helpers


def make_ledger(
    donors: Sequence[tuple[str, str]],
    *,
    signature: Signature | None = None,
    title: str | None = SEED_TITLE,
    kinds: Sequence[str | None] | None = None,
    serials: bool = True,
) -> Ledger:
    donations = tuple(
        Donation(
            serial=i + 1 if serials else None,
            donor=name,
            amount=Decimal(amount),
            sheet="Sheet1",
            cell=f"C{i + 3}",
            name_cell=f"B{i + 3}",
            kind=kinds[i] if kinds else None,
        )
        for i, (name, amount) in enumerate(donors)
    )
    if signature is None:
        signature = Signature("朱蕊", "刘刚", SEED_ORG, dt.date(2020, 2, 5))
    return Ledger("捐款.xlsx", "Sheet1", donations, signature=signature, title=title)


def numbered(count: int) -> list[tuple[str, str]]:
    return [(f"捐赠人{i}", str(100 + i % 9)) for i in range(1, count + 1)]


@pytest.fixture(scope="module")
def default_template() -> BulletinTemplate:
    return load_template((REPO / "templates" / "bulletin.docx").read_bytes())


def body(docx: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return etree.fromstring(archive.read("word/document.xml")).find(f"{W}body")


def paragraph_text(p: etree._Element) -> str:
    parts = []
    for node in p.iter(f"{W}t", f"{W}tab"):
        parts.append("\t" if node.tag == f"{W}tab" else node.text or "")
    return "".join(parts)


def document_text(docx: bytes) -> str:
    """The bulletin as lines: one per paragraph, one per table row with cells joined by `` | ``."""
    lines = []
    for child in body(docx):
        if child.tag == f"{W}p":
            lines.append(paragraph_text(child))
        elif child.tag == f"{W}tbl":
            for row in child.iter(f"{W}tr"):
                cells = ["".join(paragraph_text(p) for p in tc.iter(f"{W}p")) for tc in row.iter(f"{W}tc")]
                lines.append(" | ".join(cells))
    return "\n".join(lines) + "\n"


def table_shape(docx: bytes) -> list[int]:
    """Cells per row of the first table."""
    tbl = body(docx).find(f"{W}tbl")
    return [len(row.findall(f"{W}tc")) for row in tbl.findall(f"{W}tr")]


def page_text_width(docx: bytes) -> int:
    sect = body(docx).find(f"{W}sectPr")
    margins = sect.find(f"{W}pgMar")
    return (
        int(sect.find(f"{W}pgSz").get(f"{W}w")) - int(margins.get(f"{W}left")) - int(margins.get(f"{W}right"))
    )


def tables(docx: bytes) -> list[etree._Element]:
    """Every table of the body, in order."""
    return body(docx).findall(f"{W}tbl")


def default_with(*paragraphs: Sequence[str]) -> bytes:
    """The default template with paragraphs (exactly these runs) added at the end."""
    doc = Document(str(REPO / "templates" / "bulletin.docx"))
    for runs in paragraphs:
        p = doc.add_paragraph()
        for text in runs:
            p.add_run(text)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE_GOLDEN:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing golden file {path.name}; run with UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


def make_template(*paragraphs: Sequence[str], table: Sequence[Sequence[str]] = ()) -> bytes:
    """A docx whose paragraphs have exactly these runs, then a table of one-run cells."""
    doc = Document()
    for runs in paragraphs:
        p = doc.add_paragraph()
        for text in runs:
            p.add_run(text)
    if table:
        t = doc.add_table(rows=len(table), cols=max(len(r) for r in table))
        for row, texts in zip(t.rows, table, strict=False):
            for cell, text in zip(row.cells, texts, strict=False):
                cell.paragraphs[0].add_run(text)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------- context


def test_context_reproduces_the_seed_figures() -> None:
    context = build_context(make_ledger(SEED_DONORS), SEED_SETTINGS)
    assert (context.total, context.total_capitals, context.count) == ("50000", "伍万元整", 45)
    assert (context.org, context.date, context.issue_date) == (SEED_ORG, "2020年2月5日", "2020年2月14日")
    assert (context.receiver, context.supervisor) == ("朱蕊", "刘刚")
    assert context.title == f"{SEED_ORG}爱心捐款情况"
    assert context.heading == SEED_TITLE
    assert context.caption == f"图2 {SEED_ORG}爱心捐款名单"
    assert context.intro.startswith(f"截至2020年2月5日，{SEED_ORG}共计收到爱心捐款50000元（大写：伍万元整）")
    assert [(d.label, d.text[:4]) for d in context.distribution] == [
        ("报送", "国资委协"),
        ("抄报", "民政部社"),
        ("发送", "协会各党"),
    ]
    assert set(context.as_template_vars()) == set(TEMPLATE_VARIABLES)


@pytest.mark.parametrize(
    ("count", "groups", "first_row", "last_row"),
    [
        (1, 4, ["1", "", "", ""], ["1", "", "", ""]),
        (4, 4, ["1", "2", "3", "4"], ["1", "2", "3", "4"]),
        (5, 4, ["1", "3", "5", ""], ["2", "4", "", ""]),
        (45, 4, ["1", "13", "25", "37"], ["12", "24", "36", ""]),
        (7, 1, ["1"], ["7"]),
        (10, 6, ["1", "3", "5", "7", "9", ""], ["2", "4", "6", "8", "10", ""]),
    ],
)
def test_rows_run_down_each_group_then_across(
    count: int, groups: int, first_row: list[str], last_row: list[str]
) -> None:
    context = build_context(make_ledger(numbered(count)), Settings(groups=groups))
    rows = list(context.rows)
    assert len(rows) == math.ceil(count / groups)
    assert all(len(row) == groups for row in rows)
    assert [cell.serial for cell in rows[0]] == first_row
    assert [cell.serial for cell in rows[-1]] == last_row
    cells = [cell for row in rows for cell in row]
    assert cells.count(EMPTY_CELL) == len(rows) * groups - count  # padding only at the end


def test_context_fills_placeholders_and_falls_back() -> None:
    settings = Settings(
        title="{org}募集爱心捐款{count}笔",
        caption="图3 {org}",
        issue_date="{date}",
        receiver="默认收款人",
        organisation="默认单位",
    )
    ledger = make_ledger(numbered(3), signature=Signature(), title=None)
    context = build_context(ledger, settings)
    assert context.title == "默认单位募集爱心捐款3笔"
    assert context.caption == "图3 默认单位"
    assert context.heading == "默认单位爱心捐款名单"
    assert (context.receiver, context.supervisor, context.date) == ("默认收款人", "", "")
    assert context.issue_date == "目前"  # {date} without a date in the workbook
    assert context.intro.startswith("截至目前，默认单位共计收到爱心捐款")


def test_intro_adds_the_kinds_sentence_when_donors_are_typed() -> None:
    ledger = make_ledger([("甲公司", "15538.27"), ("乙", "34461.73")], kinds=["单位", "个人"])
    context = build_context(ledger, Settings())
    assert context.has_kinds
    assert (context.personal_total, context.company_total) == ("34461.73", "15538.27")
    assert context.intro.endswith("其中个人捐款34461.73元，单位捐款15538.27元。")
    assert [d.kind for d in context.donors] == ["单位", "个人"]


def test_serials_are_renumbered_when_the_workbook_has_none() -> None:
    context = build_context(make_ledger(numbered(3), serials=False), Settings())
    assert [d.serial for d in context.donors] == ["1", "2", "3"]


def test_context_uses_the_given_money_functions() -> None:
    context = build_context(
        make_ledger([("甲", "12.5")]), Settings(), capitals_fn=lambda a: f"<{a}>", amount_fn=lambda a: f"¥{a}"
    )
    assert (context.total, context.total_capitals, context.donors[0].amount) == ("¥12.5", "<12.5>", "¥12.5")


# ---------------------------------------------------------------------------- default template


def test_seed_bulletin_golden(default_template: BulletinTemplate) -> None:
    docx = render_bulletin(make_ledger(SEED_DONORS), SEED_SETTINGS, default_template)
    text = document_text(docx)
    check_golden("seed_bulletin.txt", text)
    lines = text.splitlines()
    assert lines[:3] == ["全国质协系统抗击疫情防控工作 简报", "第八期", "中国质量协会宣传部\t2020年2月14日"]
    assert "收款金额合计：50000元　　大写：伍万元整" in lines
    assert lines[-8:-3] == [
        "收款人：朱蕊",
        "监督人：刘刚",
        SEED_ORG,
        "日期：2020年2月5日",
        f"图2 {SEED_ORG}爱心捐款名单",
    ]
    assert lines[-3:] == [
        "报送：国资委协会党建局、协会党委、协会抗击疫情领导小组",
        "抄报：民政部社会组织管理局",
        "发送：协会各党支部、全国质协系统、协会会员单位",
    ]


@pytest.mark.parametrize(("count", "height"), [(1, 1), (4, 1), (5, 2), (45, 12), (1000, 250)])
def test_packed_table_shape(default_template: BulletinTemplate, count: int, height: int) -> None:
    docx = render_bulletin(make_ledger(numbered(count)), Settings(), default_template)
    # header, one row per `height`, the total row spanning all columns
    assert table_shape(docx) == [12] + [12] * height + [1]
    tbl = body(docx).find(f"{W}tbl")
    header = tbl.find(f"{W}tr")
    assert header.find(f"{W}trPr/{W}tblHeader") is not None
    span = tbl.findall(f"{W}tr")[-1].find(f"{W}tc/{W}tcPr/{W}gridSpan")
    assert span.get(f"{W}val") == "12"
    rows = document_text(docx).splitlines()
    first = rows.index("序号 | 捐赠姓名 | 金额/元 | " * 3 + "序号 | 捐赠姓名 | 金额/元") + 1
    assert rows[first].split(" | ")[0::3] == [
        str(1 + g * height) if g * height < count else "" for g in range(4)
    ]


def test_amounts_are_right_aligned_and_text_fits_a4(default_template: BulletinTemplate) -> None:
    docx = render_bulletin(make_ledger(SEED_DONORS), SEED_SETTINGS, default_template)
    tbl = body(docx).find(f"{W}tbl")
    data_row = tbl.findall(f"{W}tr")[1]
    styles = [tc.find(f"{W}p/{W}pPr/{W}pStyle").get(f"{W}val") for tc in data_row.findall(f"{W}tc")]
    assert styles[:3] == ["TableText", "TableText", "TableAmount"]
    grid = [int(c.get(f"{W}w")) for c in tbl.find(f"{W}tblGrid").findall(f"{W}gridCol")]
    assert sum(grid) == page_text_width(docx)
    assert grid[0] < grid[2] < grid[1]  # 序号 narrow, 金额 medium, 姓名 wide
    assert body(docx).find(f"{W}sectPr/{W}pgSz").get(f"{W}w") == "11906"  # A4


@pytest.mark.parametrize("groups", [1, 2, 3, 4, 5, 6])
def test_one_to_six_groups(default_template: BulletinTemplate, groups: int) -> None:
    docx = render_bulletin(make_ledger(numbered(13)), Settings(groups=groups), default_template)
    height = math.ceil(13 / groups)
    assert table_shape(docx) == [3 * groups] * (1 + height) + [1]
    grid = body(docx).find(f"{W}tbl/{W}tblGrid").findall(f"{W}gridCol")
    assert len(grid) == 3 * groups
    assert len({int(c.get(f"{W}w")) for c in grid[0::3]}) == 1  # every 序号 column alike
    width = sum(int(c.get(f"{W}w")) for c in grid)
    text_width = page_text_width(docx)
    assert width <= text_width
    if groups >= 2:
        assert width == text_width
    if groups == 1:
        assert width < text_width * 0.6  # a single group stays compact


@pytest.mark.parametrize("groups", [1, 4, 6])
def test_fast_render_equals_plain_render(default_template: BulletinTemplate, groups: int) -> None:
    ledger = make_ledger([*numbered(9), ("A&B <公司>", "1.50"), ("{{ x }}", "2")])
    context = build_context(ledger, Settings(groups=groups))
    assert default_template.fast_loops == ("rows",)
    fast = render_context(context, default_template)
    plain = render_context(context, default_template, fast=False)
    assert document_text(fast) == document_text(plain)


def test_missing_signature_leaves_lines_to_sign(default_template: BulletinTemplate) -> None:
    ledger = make_ledger(numbered(2), signature=Signature(organisation="某协会"))
    lines = document_text(render_bulletin(ledger, Settings(), default_template)).splitlines()
    assert "收款人：__________" in lines
    assert "监督人：__________" in lines
    assert "日期：______年___月___日" in lines


def test_missing_organisation_leaves_a_line(default_template: BulletinTemplate) -> None:
    ledger = make_ledger(numbered(2), signature=Signature(receiver="朱蕊", supervisor="刘刚"))
    lines = document_text(render_bulletin(ledger, Settings(), default_template)).splitlines()
    assert "____________________" in lines


def test_escaping_golden(default_template: BulletinTemplate) -> None:
    donors = [("A&B <公司>", "10"), ("{{ x }}", "20"), ("张\x0b三", "30"), ("\"引号\" '单'", "40")]
    settings = Settings(groups=2, masthead="简报 <&>", distribution=(("报送", "甲&乙"),))
    docx = render_bulletin(make_ledger(donors), settings, default_template)
    text = document_text(docx)
    check_golden("escaping.txt", text)
    assert "A&B <公司>" in text
    assert "{{ x }}" in text
    assert "张三" in text
    assert "\"引号\" '单'" in text
    assert text.startswith("简报 <&>\n")
    assert "报送：甲&乙" in text


def test_no_distribution_hides_the_block(default_template: BulletinTemplate) -> None:
    text = document_text(
        render_bulletin(make_ledger(numbered(2)), Settings(distribution=()), default_template)
    )
    assert "报送" not in text
    assert text.splitlines()[-1].startswith("图2 ")


def test_template_is_reusable(default_template: BulletinTemplate) -> None:
    first = render_bulletin(make_ledger(numbered(3)), Settings(), default_template)
    other = render_bulletin(make_ledger(numbered(5)), Settings(groups=2), default_template)
    again = render_bulletin(make_ledger(numbered(3)), Settings(), default_template)
    assert document_text(first) == document_text(again) != document_text(other)


# ---------------------------------------------------------------------------- user templates


def test_paragraph_loop_falls_back_to_plain_render() -> None:
    data = make_template(["{%p for d in donors %}"], ["{{ d.serial }}. {{ d.donor }}"], ["{%p endfor %}"])
    template = load_template(data)
    context = build_context(make_ledger(numbered(3)), Settings())
    assert _render_fast(context, template) is None  # the sentinel is not in a table row
    text = document_text(render_context(context, template))
    assert text.split("\n")[:3] == ["1. 捐赠人1", "2. 捐赠人2", "3. 捐赠人3"]


def test_single_column_table_loop_is_fast_and_matches_plain() -> None:
    data = make_template(
        ["{{ title }}"],
        table=[
            ["序号", "姓名", "金额"],
            ["{%tr for d in donors %}", "", ""],
            ["{{ d.serial }}", "{{ d.donor }}先生", "{{ d.amount }}元"],
            ["{%tr endfor %}", "", ""],
        ],
    )
    template = load_template(data)
    assert template.fast_loops == ("donors",)
    context = build_context(make_ledger([("A&B", "1"), ("乙", "2.5")]), Settings())
    fast = render_context(context, template)
    assert document_text(fast) == document_text(render_context(context, template, fast=False))
    assert "2 | 乙先生 | 2.50元" in document_text(fast)


def test_loop_that_uses_loop_variables_is_not_fast() -> None:
    data = make_template(
        table=[["{%tr for d in donors %}"], ["{{ loop.index }} {{ d.donor }}"], ["{%tr endfor %}"]],
    )
    template = load_template(data)
    assert template.fast_loops == ()
    assert "2 捐赠人2" in document_text(render_bulletin(make_ledger(numbered(2)), Settings(), template))


def test_unknown_donor_field_is_a_template_error() -> None:
    template = load_template(
        make_template(["{%p for d in donors %}"], ["{{ d.nickname }}"], ["{%p endfor %}"])
    )
    with pytest.raises(TemplateError) as info:
        render_bulletin(make_ledger(numbered(1)), Settings(), template)
    problem = info.value.problems[0]
    assert problem.code == "template.undefined"
    assert "nickname" in problem.message
    assert "masthead" in problem.message


def test_gate_refuses_a_bulletin_that_drops_donors() -> None:
    data = make_template(
        ["{%p for d in donors %}"], ['{% if d.serial == "1" %}{{ d.donor }}{% endif %}'], ["{%p endfor %}"]
    )
    with pytest.raises(RenderFailed) as info:
        render_bulletin(make_ledger(numbered(3)), Settings(), load_template(data))
    assert info.value.problems[0].code == "render.donor_missing"
    assert "捐赠人2" in info.value.problems[0].message


def test_gate_refuses_malformed_xml(default_template: BulletinTemplate) -> None:
    context = build_context(make_ledger(numbered(1)), Settings())
    with pytest.raises(RenderFailed) as info:
        _gate(b"<w:document><w:body>", context, default_template)
    assert info.value.problems[0].code == "render.invalid_xml"


def test_fast_render_is_well_formed_and_holds_every_donor(default_template: BulletinTemplate) -> None:
    # names that need escaping and characters XML forbids: the fast gate relies on both being handled
    donors = [(f"捐赠人{i}<&>\"'", str(100 + i % 9)) for i in range(1, 1001)] + [("坏\x01字\x0b符", "5")]
    context = build_context(make_ledger(donors), Settings())
    docx = render_context(context, default_template)
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"), etree.XMLParser(huge_tree=True))
    texts = [t.text for t in root.iter(f"{W}t")]
    assert all(texts.count(f"捐赠人{i}<&>\"'") == 1 for i in range(1, 1001))
    assert texts.count("坏字符") == 1


def test_fast_gate_refuses_a_malformed_sentinel_document() -> None:
    with pytest.raises(RenderFailed) as info:
        _parse_strict(b"<w:document><w:body>")
    assert info.value.problems[0].code == "render.invalid_xml"


_DOC = (
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:tbl>{row}</w:tbl></w:body></w:document>"
)
_MARK = _marker("donors", 0, "donor")


@pytest.mark.parametrize(
    ("row", "expands"),
    [
        (f"<w:tr><w:tc><w:p><w:r><w:t>{_MARK}先生</w:t></w:r></w:p></w:tc></w:tr>", True),
        # a marker in an attribute, a comment, a field code or a CDATA section: not plain text
        (f'<w:tr><w:tc><w:p w:x="{_MARK}"><w:r><w:t>{_MARK}</w:t></w:r></w:p></w:tc></w:tr>', False),
        (f"<w:tr><w:tc><w:p><!-- {_MARK} --><w:r><w:t>{_MARK}</w:t></w:r></w:p></w:tc></w:tr>", False),
        (f"<w:tr><w:tc><w:p><w:r><w:instrText>{_MARK}</w:instrText></w:r></w:p></w:tc></w:tr>", False),
        (f"<w:tr><w:tc><w:p><w:r><w:t><![CDATA[{_MARK}]]></w:t></w:r></w:p></w:tc></w:tr>", False),
        # w: bound to another namespace inside the row: the slice is not a WordprocessingML row
        (f'<w:tr xmlns:w="urn:other"><w:tc><w:p><w:r><w:t>{_MARK}</w:t></w:r></w:p></w:tc></w:tr>', False),
    ],
)
def test_fast_gate_expands_only_rows_it_can_prove(row: str, expands: bool) -> None:
    context = build_context(make_ledger([("甲&乙", "1"), ("丙", "2")]), Settings())
    xml = _DOC.format(row=row).encode()
    pieces = _expand(xml, _parse_strict(xml), "donors", context)
    if not expands:
        assert pieces is None
        return
    assert pieces is not None
    document = etree.fromstring(b"".join(pieces))
    assert [t.text for t in document.iter(f"{W}t")] == ["甲&乙先生", "丙先生"]


@pytest.mark.parametrize("bad", ["\x01", "\x0b", "\ud800", "\uffff"])
def test_fast_gate_refuses_values_that_are_not_character_data(bad: str) -> None:
    assert _escape_all(["<a&b>", "c"]) == [b"&lt;a&amp;b&gt;", b"c"]
    with pytest.raises(RenderFailed) as info:
        _escape_all(["ok", f"x{bad}y"])
    assert info.value.problems[0].code == "render.invalid_xml"


# ---------------------------------------------------------------------------- default template styles


@pytest.mark.parametrize(
    ("style_id", "name", "east_asia"),
    [
        ("BulletinMasthead", "简报报头", "黑体"),
        ("BulletinTitle", "简报标题", "黑体"),
        ("BulletinBody", "简报正文", "仿宋"),
        ("TableText", "表格文字", "宋体"),
        ("TableAmount", "表格金额", "宋体"),
        ("Distribution", "分送", "仿宋"),
    ],
)
def test_default_template_styles_set_east_asian_fonts(style_id: str, name: str, east_asia: str) -> None:
    with zipfile.ZipFile(REPO / "templates" / "bulletin.docx") as archive:
        styles = etree.fromstring(archive.read("word/styles.xml"))
    style = styles.find(f"{W}style[@{W}styleId='{style_id}']")
    assert style.find(f"{W}name").get(f"{W}val") == name
    fonts = style.find(f"{W}rPr/{W}rFonts")
    assert (fonts.get(f"{W}eastAsia"), fonts.get(f"{W}hint")) == (east_asia, "eastAsia")


def test_masthead_is_red_over_a_red_rule() -> None:
    with zipfile.ZipFile(REPO / "templates" / "bulletin.docx") as archive:
        styles = etree.fromstring(archive.read("word/styles.xml"))
    masthead = styles.find(f"{W}style[@{W}styleId='BulletinMasthead']")
    assert masthead.find(f"{W}rPr/{W}color").get(f"{W}val") == "FF0000"
    rule = styles.find(f"{W}style[@{W}styleId='BulletinIssuer']/{W}pPr/{W}pBdr/{W}bottom")
    assert rule.get(f"{W}color") == "FF0000"


# ---------------------------------------------------------------------------- loading and checking


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"not a docx at all", "不是有效的 .docx"),
        (b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "旧版 .doc"),
    ],
)
def test_damaged_template(data: bytes, fragment: str) -> None:
    with pytest.raises(TemplateError) as info:
        load_template(data)
    assert info.value.problems[0].code == "template.unreadable"
    assert fragment in info.value.problems[0].message


def test_a_workbook_is_not_a_template() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    with pytest.raises(TemplateError) as info:
        load_template(buffer.getvalue())
    assert info.value.problems[0].code == "template.unreadable"


def test_unknown_variable_is_named_with_the_available_ones() -> None:
    with pytest.raises(TemplateError) as info:
        load_template(make_template(["{{ masthead }}"], ["捐款人数：{{ donor_count }}"]))
    problem = info.value.problems[0]
    assert problem.code == "template.unknown_variable"
    assert "donor_count" in problem.message
    assert all(name in problem.message for name in ("masthead", "rows", "total_capitals"))


def test_syntax_error_names_the_paragraph() -> None:
    with pytest.raises(TemplateError) as info:
        load_template(make_template(["{{ masthead }}"], ["合计：", "{{ total }"], ["{{ caption }}"]))
    problem = info.value.problems[0]
    assert problem.code == "template.syntax"
    assert "合计：{{ total }" in problem.message


def test_check_default_template(default_template: BulletinTemplate) -> None:
    report = check_template((REPO / "templates" / "bulletin.docx").read_bytes())
    assert report.ok
    assert report.fast
    assert (report.unknown, report.split_tags, report.syntax_errors) == ((), (), ())
    assert (report.errors, report.warnings) == ((), ())
    assert set(report.variables) == set(default_template.variables)
    assert {"masthead", "rows", "group_numbers", "total_capitals", "distribution"} <= set(report.variables)
    assert report.format("bulletin.docx").startswith("bulletin.docx：可以使用")


@pytest.mark.parametrize(
    ("paragraphs", "unknown", "split", "syntax"),
    [
        ([["{{ masthead }}"]], (), (), 0),
        ([["{{ masthead }}"], ["{{ nonsense }}"]], ("nonsense",), (), 0),
        ([["前言", "{{ mast", "head }}", "后记"]], (), ("前言{{ masthead }}后记",), 0),
        ([["{% for x in %}"]], (), (), 1),
    ],
    ids=["good", "unknown-variable", "split-tag", "syntax-error"],
)
def test_check_template(
    paragraphs: list[list[str]], unknown: tuple[str, ...], split: tuple[str, ...], syntax: int
) -> None:
    report = check_template(make_template(*paragraphs))
    assert report.unknown == unknown
    assert report.split_tags == split
    assert len(report.syntax_errors) == syntax
    assert report.ok is (not unknown and not syntax)
    codes = {p.code for p in report.problems}
    assert ("template.unknown_variable" in codes) is bool(unknown)
    assert ("template.split_tag" in codes) is bool(split)
    assert ("template.syntax" in codes) is bool(syntax)
    if syntax:
        assert "{% for x in %}" in report.syntax_errors[0]
        assert "有错误" in report.format("t.docx")


# ---------------------------------------------------------------------------- long tables


def _rows(headers: int, count: int) -> list[etree._Element]:
    rows = []
    for i in range(headers + count):
        row = etree.Element(f"{W}tr")
        if i < headers:
            etree.SubElement(etree.SubElement(row, f"{W}trPr"), f"{W}tblHeader")
        rows.append(row)
    return rows


@pytest.mark.parametrize(
    ("headers", "count", "plan"),
    [
        (1, 12, (1, [])),
        (1, 1000, (1, [])),
        (1, 1001, (1, [301, 601, 901])),
        (0, 1001, (0, [300, 600, 900])),
        (0, 1201, (0, [300, 600, 900, 1200])),
        (2, 1500, (2, [302, 602, 902, 1202])),
    ],
)
def test_split_plan(headers: int, count: int, plan: tuple[int, list[int]]) -> None:
    assert _split_plan(_rows(headers, count)) == plan


@pytest.mark.parametrize(("donors", "sizes"), [(3996, [1 + 999 + 1]), (4004, [301, 301, 301, 1 + 101 + 1])])
def test_long_donor_table_is_cut_into_consecutive_tables(
    default_template: BulletinTemplate, donors: int, sizes: list[int]
) -> None:
    docx = render_bulletin(make_ledger(numbered(donors)), Settings(), default_template)
    found = tables(docx)
    assert [len(t.findall(f"{W}tr")) for t in found] == sizes
    grid = etree.tostring(found[0].find(f"{W}tblGrid"))
    for table in found:  # each table starts with the header row, repeated on every page
        assert etree.tostring(table.find(f"{W}tblGrid")) == grid
        first = table.find(f"{W}tr")
        assert first.find(f"{W}trPr/{W}tblHeader") is not None
        assert paragraph_text(first.find(f"{W}tc/{W}p")) == "序号"
    for table in found[:-1]:  # a 1 pt empty paragraph between them, or Word would join them
        separator = table.getnext()
        assert separator.tag == f"{W}p" and paragraph_text(separator) == ""
        assert separator.find(f"{W}pPr/{W}spacing").get(f"{W}line") == "20"
    lines = document_text(docx).splitlines()
    names = [cell for line in lines if "捐赠人" in line for cell in line.split(" | ")[1::3] if cell]
    assert sorted(names) == sorted(f"捐赠人{i}" for i in range(1, donors + 1))
    assert sum(line.startswith("收款金额合计：") for line in lines) == 1


def test_long_table_cut_is_the_same_fast_and_plain(default_template: BulletinTemplate) -> None:
    context = build_context(make_ledger(numbered(4400)), Settings())
    fast = render_context(context, default_template)
    plain = render_context(context, default_template, fast=False)
    assert document_text(fast) == document_text(plain)
    assert [len(t.findall(f"{W}tr")) for t in tables(fast)] == [
        len(t.findall(f"{W}tr")) for t in tables(plain)
    ]
    assert len(tables(fast)) == 4


def test_cut_that_falls_after_the_loop_renders_plainly() -> None:
    # 1199 loop rows and two closing rows: the last cut (row 1200) falls between the closing rows,
    # where the fast render cannot place it, so the plain render cuts the table
    data = make_template(
        table=[
            ["{%tr for d in donors %}"],
            ["{{ d.donor }}"],
            ["{%tr endfor %}"],
            ["合计 {{ total }}"],
            ["大写 {{ total_capitals }}"],
        ]
    )
    template = load_template(data)
    context = build_context(make_ledger(numbered(1199)), Settings())
    assert _render_fast(context, template) is None
    docx = render_context(context, template)
    assert [len(t.findall(f"{W}tr")) for t in tables(docx)] == [300, 300, 300, 300, 1]
    assert document_text(docx).splitlines()[-1] == "大写 " + context.total_capitals


# ---------------------------------------------------------------------------- template robustness


@pytest.mark.parametrize(
    ("runs", "code", "fragments"),
    [
        (
            ["合计 ", "{{ total|nosuchfilter }}"],
            "template.unknown_filter",
            ["nosuchfilter", "合计 {{ total|nosuchfilter }}"],
        ),
        (["{% if total is nosuchtest %}有{% endif %}"], "template.unknown_filter", ["nosuchtest"]),
        (["{{ org.__class__ }}"], "template.unsafe", ["__class__", "{{ org.__class__ }}"]),
        (["{{ org['__class__'] }}"], "template.unsafe", ["__class__"]),
        (["{% include 'other.docx' %}"], "template.unsupported", ["include"]),
        (["{% extends 'base' %}"], "template.unsupported", ["extends"]),
    ],
    ids=["filter", "test", "dunder", "dunder-item", "include", "extends"],
)
def test_template_errors_are_chinese_and_name_the_paragraph(
    runs: list[str], code: str, fragments: list[str]
) -> None:
    data = default_with(runs)
    with pytest.raises(TemplateError) as info:
        load_template(data)
    problem = info.value.problems[0]
    assert problem.code == code
    assert all(fragment in problem.message for fragment in fragments)
    assert "unsafe" not in problem.message and "No filter" not in problem.message
    report = check_template(data)
    assert not report.ok
    assert code in {p.code for p in report.problems}
    assert "template.no_donor_list" not in {p.code for p in report.problems}


@pytest.mark.parametrize(
    ("runs", "code"),
    [
        (['{{ "{0.__class__}".format(org) }}'], "template.unsafe"),
        (["{{ count / 0 }}"], "template.render"),
        (["{{ range(10000000000)|list }}"], "template.render"),
    ],
    ids=["sandbox", "zero-division", "huge-range"],
)
def test_errors_while_rendering_are_chinese_template_errors(runs: list[str], code: str) -> None:
    template = load_template(default_with(runs))
    with pytest.raises(TemplateError) as info:
        render_bulletin(make_ledger(numbered(3)), Settings(), template)
    problem = info.value.problems[0]
    assert problem.code == code
    assert problem.message.startswith("Word 模板")
    assert not any(word in problem.message for word in ("unsafe", "division", "Range", "Error"))


@pytest.mark.parametrize(
    ("exc", "code"),
    [
        (
            SecurityError("access to attribute '__globals__' of 'function' object is unsafe."),
            "template.unsafe",
        ),
        (TemplateRuntimeError("No test named 'odd_ish' found."), "template.unknown_filter"),
        (TemplateRuntimeError("something else"), "template.render"),
    ],
)
def test_render_error_mapping(exc: TemplateRuntimeError, code: str) -> None:
    problem = _render_error(exc).problems[0]
    assert problem.code == code
    assert str(exc) not in problem.message


def _workbook_bytes() -> bytes:
    buffer = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active.append(["序号", "捐赠姓名", "金额/元"])
    wb.save(buffer)
    return buffer.getvalue()


def _zip_without_word() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (_workbook_bytes(), "Excel 工作簿"),
        (_zip_without_word(), "不是 Word 文档"),
        (b"PK\x03\x04 broken", "不是有效的 .docx"),
    ],
    ids=["xlsx", "zip", "broken-zip"],
)
def test_check_refuses_files_that_are_not_word_templates(data: bytes, fragment: str) -> None:
    for call in (check_template, load_template):
        with pytest.raises(TemplateError) as info:
            call(data)
        problem = info.value.problems[0]
        assert problem.code == "template.unreadable"
        assert fragment in problem.message
        assert "BytesIO" not in problem.message and "Error" not in problem.message


@pytest.mark.parametrize(
    ("paragraphs", "warnings"),
    [
        ([["{{ masthead }}"], ["{{ total }}"]], ["template.no_donor_list"]),
        ([["{{ donors }}"]], ["template.prints_list"]),
        ([["{{ rows }}"]], ["template.prints_list"]),
        ([["{%p for row in rows %}"], ["{{ row }}"], ["{%p endfor %}"]], ["template.prints_list"]),
        (
            [
                ["共 ", "{{ donors|length }}", " 人"],
                ["{%p for d in donors %}"],
                ["{{ d.donor }}"],
                ["{%p endfor %}"],
            ],
            [],
        ),
    ],
    ids=["no-list", "donors", "rows", "row", "looped"],
)
def test_check_warns_about_a_missing_or_printed_donor_list(
    paragraphs: list[list[str]], warnings: list[str]
) -> None:
    report = check_template(make_template(*paragraphs))
    assert report.ok  # a warning: the template still renders
    assert [p.code for p in report.warnings] == warnings
    assert all(p.severity is Severity.WARNING for p in report.warnings)
    text = report.format("t.docx")
    assert all(f"[{code}]" in text for code in warnings)
    if "template.prints_list" in warnings:
        assert "{{ g.donor }}" in report.warnings[0].message


def test_cell_properties_are_in_schema_order() -> None:
    """Word may ask to repair a document whose w:tcPr children are out of ECMA-376 order
    (docxtpl's colspan puts w:gridSpan first)."""
    from toolkit.render import _TC_PR_ORDER, load_template, render_bulletin
    from toolkit.settings import Settings

    repo = Path(__file__).resolve().parent.parent
    template = load_template((repo / "templates" / "bulletin.docx").read_bytes())
    ledger = _order_test_ledger()
    for groups in (1, 4, 6):
        data = render_bulletin(ledger, Settings(groups=groups), template)
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            root = etree.fromstring(z.read("word/document.xml"))
        w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
        for tc_pr in root.iter(f"{w}tcPr"):
            ranks = [_TC_PR_ORDER.get(child.tag, len(_TC_PR_ORDER)) for child in tc_pr]
            assert ranks == sorted(ranks), [child.tag for child in tc_pr]


def _order_test_ledger() -> Ledger:
    donations = tuple(
        Donation(i, f"捐赠人{i}", Decimal(100 + i), "Sheet1", f"C{i + 1}", f"B{i + 1}") for i in range(1, 10)
    )
    return Ledger(file="x.xlsx", sheet="Sheet1", donations=donations)


def test_intro_accounts_for_donors_without_a_kind(default_template: BulletinTemplate) -> None:
    donations = (
        Donation(1, "甲", Decimal("100.50"), "Sheet1", "C2", "B2", kind="个人"),
        Donation(2, "乙公司", Decimal("200.25"), "Sheet1", "C3", "B3", kind="单位"),
        Donation(3, "丙", Decimal("3"), "Sheet1", "C4", "B4"),
    )
    context = build_context(Ledger("x.xlsx", "Sheet1", donations), Settings())
    assert "其中个人捐款100.50元，单位捐款200.25元。另有未注明个人或单位的捐款3元。" in context.intro
