"""toolkit.render.fast: the sentinel row repeated for every donor gives the same document as the plain render."""

from __future__ import annotations

import io
import zipfile

import pytest
from lxml import etree

from tests.render.helpers import (
    W,
    document_text,
    grid_widths,
    make_ledger,
    make_template,
    numbered,
    tables,
)
from toolkit.errors import RenderFailed
from toolkit.render import (
    BulletinTemplate,
    build_context,
    load_template,
    render_context,
)
from toolkit.render.fast import escape_all, expand, marker, render_fast
from toolkit.render.wordml import parse_strict
from toolkit.settings import Settings


@pytest.mark.parametrize("groups", [1, 4, 6])
def test_fast_render_equals_plain_render(default_template: BulletinTemplate, groups: int) -> None:
    ledger = make_ledger([*numbered(9), ("A&B <公司>", "1.50"), ("{{ x }}", "2")])
    context = build_context(ledger, Settings(groups=groups))
    assert default_template.fast_loops == ("rows",)
    fast = render_context(context, default_template)
    plain = render_context(context, default_template, fast=False)
    assert document_text(fast) == document_text(plain)


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


_DOC = (
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:tbl>{row}</w:tbl></w:body></w:document>"
)


_MARK = marker("donors", 0, "donor")


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
    pieces = expand(xml, parse_strict(xml), "donors", context)
    if not expands:
        assert pieces is None
        return
    assert pieces is not None
    document = etree.fromstring(b"".join(pieces))
    assert [t.text for t in document.iter(f"{W}t")] == ["甲&乙先生", "丙先生"]


@pytest.mark.parametrize("bad", ["\x01", "\x0b", "\ud800", "\uffff"])
def test_fast_gate_refuses_values_that_are_not_character_data(bad: str) -> None:
    assert escape_all(["<a&b>", "c"]) == [b"&lt;a&amp;b&gt;", b"c"]
    with pytest.raises(RenderFailed) as info:
        escape_all(["ok", f"x{bad}y"])
    assert info.value.problems[0].code == "render.invalid_xml"


def test_long_table_cut_is_the_same_fast_and_plain(default_template: BulletinTemplate) -> None:
    amounts = ["77319319.01", "3482232.11", "500"]  # the amount columns widen, alike in both
    donors = [(f"捐赠人{i}", amounts[i % 3]) for i in range(4400)]
    context = build_context(make_ledger(donors), Settings())
    fast = render_context(context, default_template)
    plain = render_context(context, default_template, fast=False)
    assert document_text(fast) == document_text(plain)
    assert [len(t.findall(f"{W}tr")) for t in tables(fast)] == [
        len(t.findall(f"{W}tr")) for t in tables(plain)
    ]
    assert len(tables(fast)) == 4
    assert [grid_widths(t) for t in tables(fast)] == [grid_widths(t) for t in tables(plain)]
    assert grid_widths(tables(fast)[0])[2] > 652  # wider than in the template


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
    assert render_fast(context, template) is None
    docx = render_context(context, template)
    assert [len(t.findall(f"{W}tr")) for t in tables(docx)] == [300, 300, 300, 300, 1]
    assert document_text(docx).splitlines()[-1] == "大写 " + context.total_capitals
