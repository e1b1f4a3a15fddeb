"""toolkit.render.layout: table grids that fit the page and their figures, cell properties in order."""

from __future__ import annotations

import io
import math

import pytest
from docx import Document
from docx.shared import Cm, Pt

from tests.render.helpers import (
    SEED_SETTINGS,
    W,
    body,
    grid_widths,
    make_ledger,
    numbered,
    page_text_width,
    table_shape,
    tables,
)
from tests.workbooks import SEED_DONORS
from toolkit.render import BulletinTemplate, build_context, load_template, render_bulletin, render_context
from toolkit.render.layout import TC_PR_ORDER
from toolkit.render.measure import figure_width
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


# ---------------------------------------------------------------------------- columns follow their figures

BIG = ("77319319.01", "3482232.11", "500", "12")  # amounts of real lists
MARGINS = 40  # the default template's cell margins, 20 twips each side
TEMPLATE_GROUP = [397, 1219, 652]  # 序号, 捐赠姓名, 金额/元 in templates/bulletin.docx


def first_grid(docx: bytes) -> list[int]:
    return grid_widths(tables(docx)[0])


def test_figures_that_fit_keep_the_template_proportions(default_template: BulletinTemplate) -> None:
    docx = render_bulletin(make_ledger(numbered(13)), Settings(), default_template)
    assert first_grid(docx) == TEMPLATE_GROUP * 4


def test_amount_columns_widen_to_their_widest_amount(default_template: BulletinTemplate) -> None:
    donors = [(f"捐赠单位{i}", BIG[i % 4]) for i in range(40)]
    grid = first_grid(render_bulletin(make_ledger(donors), Settings(), default_template))
    need = figure_width("77319319.01", 8, "Times New Roman") + MARGINS  # 8 pt TableAmount
    assert len(set(grid[2::3])) == 1  # every group alike
    assert need < grid[2] <= need + 8 * 20  # the room it needs, and a little to spare
    assert grid[0::3] == [397] * 4  # 序号 1 to 40 still fit
    assert len(set(grid[1::3])) == 1 and grid[1] == 1219 - (grid[2] - 652)  # taken from the names
    assert sum(grid) == sum(TEMPLATE_GROUP) * 4


def test_serial_columns_widen_for_five_digit_serials(default_template: BulletinTemplate) -> None:
    grid = first_grid(render_bulletin(make_ledger(numbered(10_000)), Settings(), default_template))
    need = figure_width("10000", 8, "Times New Roman") + MARGINS
    assert len(set(grid[0::3])) == 1
    assert need < grid[0] < 652
    assert grid[2::3] == [652] * 4  # amounts 100 to 108 still fit
    assert sum(grid) == sum(TEMPLATE_GROUP) * 4


@pytest.mark.parametrize("groups", [5, 6])
def test_names_keep_room_for_four_characters(default_template: BulletinTemplate, groups: int) -> None:
    donors = [(f"捐赠单位{i}", BIG[i % 4]) for i in range(40)]
    docx = render_bulletin(make_ledger(donors), Settings(groups=groups), default_template)
    grid = first_grid(docx)
    assert min(grid[1::3]) >= 4 * 8 * 20 + MARGINS  # four 8 pt characters
    assert sum(grid) == page_text_width(docx)
    assert grid[2::3] == [grid[2]] * groups  # as wide as there is room for, every group alike


def cell_table_template(widths_cm: tuple[float, float, float], amount_points: float) -> bytes:
    """A user template: a fixed 序号 | 姓名 | 金额 table with a row loop, in Times New Roman."""
    doc = Document()
    table = doc.add_table(rows=4, cols=3)
    texts = [["序号", "姓名", "金额"], ["{%tr for d in donors %}"], ["{{ d.serial }}", "{{ d.donor }}", ""]]
    texts.append(["{%tr endfor %}"])
    for row, cells in zip(table.rows, texts, strict=True):
        for cell, text in zip(row.cells, cells, strict=False):
            cell.paragraphs[0].add_run(text).font.name = "Times New Roman"
    amount = table.rows[2].cells[2].paragraphs[0].add_run("{{ d.amount }}")
    amount.font.name, amount.font.size = "Times New Roman", Pt(amount_points)
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("points", [8, 16])
def test_any_template_widens_its_amount_column_at_its_font_size(points: float) -> None:
    template = load_template(cell_table_template((1.0, 6.0, 1.0), points))
    context = build_context(make_ledger([("甲公司", "77319319.01"), ("乙", "3")]), Settings())
    fast = render_context(context, template)
    assert first_grid(fast) == first_grid(render_context(context, template, fast=False))
    serial, name, amount = first_grid(fast)
    need = figure_width("77319319.01", points, "Times New Roman") + 2 * 108  # Word's default margins
    assert need < amount <= need + points * 20
    assert serial == Cm(1.0).twips  # 1 and 2 fit
    assert serial + name + amount == sum(Cm(width).twips for width in (1.0, 6.0, 1.0))


def test_groups_stay_alike_when_one_group_holds_the_widest_amount(default_template: BulletinTemplate) -> None:
    context = build_context(make_ledger([("甲公司", "77319319.01"), *numbered(39)]), Settings())
    fast = first_grid(render_context(context, default_template))
    assert fast == first_grid(render_context(context, default_template, fast=False))
    assert fast[2::3] == [fast[2]] * 4  # group 1 holds it; the others widen under the same heading
    assert fast[2] > 652
