"""toolkit.render.layout: cell properties in schema order, table grids that fit the page."""

from __future__ import annotations

import math

import pytest

from tests.render.helpers import (
    SEED_SETTINGS,
    W,
    body,
    make_ledger,
    numbered,
    page_text_width,
    table_shape,
)
from tests.workbooks import SEED_DONORS
from toolkit.render import BulletinTemplate, render_bulletin
from toolkit.render.layout import TC_PR_ORDER
from toolkit.settings import Settings


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
def test_cell_properties_are_in_schema_order(default_template: BulletinTemplate, groups: int) -> None:
    """Word may ask to repair a document whose w:tcPr children are out of ECMA-376 order
    (docxtpl's colspan puts w:gridSpan first)."""
    docx = render_bulletin(make_ledger(numbered(9)), Settings(groups=groups), default_template)
    for tc_pr in body(docx).iter(f"{W}tcPr"):
        ranks = [TC_PR_ORDER.get(child.tag, len(TC_PR_ORDER)) for child in tc_pr]
        assert ranks == sorted(ranks), [child.tag for child in tc_pr]
