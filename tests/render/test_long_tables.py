"""toolkit.render.long_tables: tables of more than 1,000 rows are cut into consecutive tables."""

from __future__ import annotations

import pytest
from lxml import etree

from tests.render.helpers import (
    W,
    document_text,
    make_ledger,
    numbered,
    paragraph_text,
    tables,
)
from toolkit.render import (
    BulletinTemplate,
    render_bulletin,
)
from toolkit.render.long_tables import split_plan
from toolkit.settings import Settings


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
    assert split_plan(_rows(headers, count)) == plan


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
