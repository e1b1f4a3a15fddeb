"""Layout of a rendered body: cell properties in schema order, and table grids that fit the page.

docxtpl's column loops (``{%tc for g in row %}``) change how many columns a table has and spread
the width evenly over them. `fit_tables` gives each column back the proportion its template cell
had, scaled so the table fills its width. `order_cell_properties` puts every ``w:tcPr`` in the
order ECMA-376 prescribes, which docxtpl's ``{% colspan %}`` and ``{% cellbg %}`` break.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from toolkit.render.wordml import w

__all__ = ["TC_PR_ORDER", "fit_tables", "order_cell_properties"]

_MAX_STRETCH = 2.0


def fit_tables(body: Any, template_columns: Sequence[int]) -> None:
    """Give tables whose column count changed (column loops) a grid that fits the page.

    docxtpl spreads the width evenly over the new columns; here each column keeps the proportion
    its template cell had, scaled so the table fills its width (``w:tblW``, else the text width)
    but never wider than `_MAX_STRETCH` times the template cells (one group stays compact).
    """
    tables = list(body.iter(w("tbl")))
    if len(tables) != len(template_columns):
        return
    text_width = _text_width(body)
    for tbl, before in zip(tables, template_columns, strict=True):
        grid = tbl.find(w("tblGrid"))
        if grid is not None and len(grid) != before:
            _fit_table(tbl, grid, text_width)


# ECMA-376 sequence of w:tcPr children. docxtpl's {% colspan %} and {% cellbg %} insert w:gridSpan
# and w:shd as the first child, which Word may answer with a repair prompt.
TC_PR_ORDER = {
    w(name): i
    for i, name in enumerate(
        (
            "cnfStyle",
            "tcW",
            "gridSpan",
            "hMerge",
            "vMerge",
            "tcBorders",
            "shd",
            "noWrap",
            "tcMar",
            "textDirection",
            "tcFitText",
            "vAlign",
            "hideMark",
            "headers",
            "cellIns",
            "cellDel",
            "cellMerge",
            "tcPrChange",
        )
    )
}


def order_cell_properties(body: Any) -> None:
    """Put the children of every ``w:tcPr`` in schema order (unknown ones last, stable)."""
    last = len(TC_PR_ORDER)
    for tc_pr in body.iter(w("tcPr")):
        children = list(tc_pr)
        ordered = sorted(children, key=lambda child: TC_PR_ORDER.get(child.tag, last))
        if ordered != children:
            tc_pr[:] = ordered


def _text_width(body: Any) -> int | None:
    sect = body.find(w("sectPr"))
    if sect is None:
        return None
    size, margins = sect.find(w("pgSz")), sect.find(w("pgMar"))
    try:
        return int(size.get(w("w"))) - int(margins.get(w("left"))) - int(margins.get(w("right")))
    except (AttributeError, TypeError, ValueError):
        return None


def _span(cell: Any) -> int:
    span = cell.find(f"{w('tcPr')}/{w('gridSpan')}")
    try:
        return int(span.get(w("val"))) if span is not None else 1
    except (TypeError, ValueError):
        return 1


def _cell_width(cell: Any) -> int:
    width = cell.find(f"{w('tcPr')}/{w('tcW')}")
    try:
        return max(int(width.get(w("w"))), 1) if width is not None else 1
    except (TypeError, ValueError):
        return 1


def _fit_table(tbl: Any, grid: Any, text_width: int | None) -> None:
    rows = [row.findall(w("tc")) for row in tbl.iter(w("tr"))]
    simple = [cells for cells in rows if all(_span(c) == 1 for c in cells)]
    if not simple:
        return
    widest = max(simple, key=len)
    if len(widest) != len(grid):
        return
    ratios = [_cell_width(c) for c in widest]
    target = _target_width(tbl, grid, ratios, text_width)
    scale = target / sum(ratios)
    widths = [int(r * scale) for r in ratios]
    widths[-1] += target - sum(widths)
    _set_widths(tbl, grid, rows, widths)


def _target_width(tbl: Any, grid: Any, ratios: Sequence[int], text_width: int | None) -> int:
    """The table's width: its ``w:tblW`` in twips, else the text width, capped by `_MAX_STRETCH`."""
    tbl_w = tbl.find(f"{w('tblPr')}/{w('tblW')}")
    target = 0
    if tbl_w is not None and tbl_w.get(w("type")) == "dxa":
        target = int(tbl_w.get(w("w")) or 0)
    if target <= 0:
        target = text_width or sum(int(c.get(w("w")) or 0) for c in grid) or sum(ratios)
    # fill the width, but a few groups should not stretch into a sparse page-wide table
    if sum(ratios) * _MAX_STRETCH < target * 0.95:
        target = int(sum(ratios) * _MAX_STRETCH)
    return target


def _set_widths(tbl: Any, grid: Any, rows: Sequence[Sequence[Any]], widths: Sequence[int]) -> None:
    """Write column ``widths`` into the grid, every cell (spans add up) and the table's width."""
    for col, width in zip(grid.findall(w("gridCol")), widths, strict=True):
        col.set(w("w"), str(width))
    for cells in rows:
        position = 0
        for cell in cells:
            span = _span(cell)
            _set_cell_width(cell, sum(widths[position : position + span]))
            position += span
    tbl_w = tbl.find(f"{w('tblPr')}/{w('tblW')}")
    if tbl_w is not None:
        tbl_w.set(w("type"), "dxa")
        tbl_w.set(w("w"), str(sum(widths)))


def _set_cell_width(cell: Any, width: int) -> None:
    """Update a cell's preferred width; cells without one (lean repeated rows) follow the grid."""
    tc_w = cell.find(f"{w('tcPr')}/{w('tcW')}")
    if tc_w is not None:
        tc_w.set(w("w"), str(width))
        tc_w.set(w("type"), "dxa")
