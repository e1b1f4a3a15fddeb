"""Layout of a rendered body: table grids that fit the page and their figures, cell properties in order.

docxtpl's column loops (``{%tc for g in row %}``) change how many columns a table has and spread
the width evenly over them. `fit_tables` first gives each column back the proportion its template
cell had, scaled so the table fills its width. Then, in every table, a column of figures (序号,
amounts) whose widest value would not fit on one line at its font size is widened to fit it, the
width taken from the columns of names, which may wrap; each name column keeps room for
`_MIN_TEXT_EM` characters. Columns under the same heading (one per group of a packed table) end
equally wide. `order_cell_properties` puts every ``w:tcPr`` in the order ECMA-376
prescribes, which docxtpl's ``{% colspan %}`` and ``{% cellbg %}`` break.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from toolkit.render.measure import Styles, cell_margins, figure_width, is_figure
from toolkit.render.wordml import W_T, is_header_row, w

__all__ = ["TC_PR_ORDER", "fit_tables", "order_cell_properties"]

_MAX_STRETCH = 2.0


def fit_tables(
    body: Any,
    template_columns: Sequence[int],
    styles: Styles | None = None,
    shown: Callable[[str], str] = str,
) -> None:
    """Fit every table of ``body`` to the page, and its columns to their figures.

    A table whose column count changed (column loops) first gets a grid in the proportions of its
    template cells, scaled so the table fills its width (``w:tblW``, else the text width) but never
    wider than `_MAX_STRETCH` times the template cells (one group stays compact). Then every table's
    figure columns are widened where their widest figure needs it (`_fit_figures`).

    Args:
        body: the rendered ``w:body``.
        template_columns: grid columns of each table of the template body, in order.
        styles: the document's styles (sizes and fonts); None measures with Word's defaults.
        shown: what a ``w:t`` text will show at its widest (the fast writer's markers stand for
            donor values); the text itself by default.
    """
    tables = list(body.iter(w("tbl")))
    if len(tables) == len(template_columns):
        text_width = _text_width(body)
        for tbl, before in zip(tables, template_columns, strict=True):
            grid = tbl.find(w("tblGrid"))
            if grid is not None and len(grid) != before:
                _fit_table(tbl, grid, text_width)
    for tbl in tables:
        _fit_figures(tbl, styles or Styles(None), shown)


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
    # what rounding left over goes to the (last) widest column, so repeated groups stay alike
    widest = max(range(len(ratios)), key=lambda i: (ratios[i], i))
    widths[widest] += target - sum(widths)
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


# ---------------------------------------------------------------------------- figures

_SLACK_EM = 0.25  # room to spare after a figure, in ems of its size: rounding differs between programs
_MIN_TEXT_EM = 4  # a name column keeps room for this many characters
_MIN_TEXT_SHARE = 0.5  # … or half its width, whichever is more (never more than it had)


@dataclass(slots=True)
class _Column:
    """What one grid column holds, gathered cell by cell (`_fit_figures`)."""

    width: int
    need: int = 0  # twips its widest figure needs, margins included; 0 without figures
    text: bool = False  # holds text that is not a figure (names)
    size: float = 0.0  # largest font size of that text, in points
    margins: int = 0  # largest left plus right cell margin around that text, in twips

    @property
    def minimum(self) -> int:
        """The narrowest a name column may become."""
        floor = max(_MIN_TEXT_EM * self.size * 20 + self.margins, self.width * _MIN_TEXT_SHARE)
        return min(self.width, math.ceil(floor))

    @property
    def gives(self) -> bool:
        return self.text and not self.need


def _fit_figures(tbl: Any, styles: Styles, shown: Callable[[str], str]) -> None:
    """Widen the figure columns of ``tbl`` that need it, taking the width from its name columns."""
    grid = tbl.find(w("tblGrid"))
    widths = _grid_widths(grid)
    if not widths:
        return
    columns = [_Column(width) for width in widths]
    margins = styles.table_margins(tbl)
    for row in tbl.findall(w("tr")):
        cells = row.findall(w("tc"))
        if is_header_row(row) or len(cells) != len(columns) or any(_span(c) != 1 for c in cells):
            continue
        for column, cell in zip(columns, cells, strict=True):
            _gather(column, cell, tbl, styles, shown, margins)
    new = _share(columns, _header_texts(tbl, len(columns)))
    if new != widths:
        _set_widths(tbl, grid, [row.findall(w("tc")) for row in tbl.iter(w("tr"))], new)


def _grid_widths(grid: Any) -> list[int]:
    """The grid's column widths in twips, ``[]`` when a width is missing or not a number."""
    try:
        return [int(col.get(w("w"))) for col in grid.findall(w("gridCol"))] if grid is not None else []
    except (TypeError, ValueError):
        return []


def _gather(
    column: _Column,
    cell: Any,
    tbl: Any,
    styles: Styles,
    shown: Callable[[str], str],
    margins: tuple[int, int],
) -> None:
    """Add one cell to what ``column`` holds: the room its figure needs, or that it holds text."""
    texts: list[str] = []
    widest = size = 0.0
    for paragraph in cell.iter(w("p")):
        line = 0.0
        for run in paragraph.iter(w("r")):
            text = "".join(shown(t.text or "") for t in run.iter(W_T))
            if text:
                points, face = styles.run_font(run, paragraph, tbl)
                texts.append(text)
                line += figure_width(text, points, face)
                size = max(size, points)
        widest = max(widest, line)
    content = "".join(texts)
    if not content:
        return
    if is_figure(content):
        need = math.ceil(widest + _SLACK_EM * size * 20) + cell_margins(cell, margins)
        column.need = max(column.need, need)
    else:
        column.text = True
        column.size = max(column.size, size)
        column.margins = max(column.margins, cell_margins(cell, margins))


def _header_texts(tbl: Any, count: int) -> list[str]:
    """The text under which each column stands: its cells in the table's header rows, joined."""
    texts = [""] * count
    for row in tbl.findall(w("tr")):
        if not is_header_row(row):
            break
        cells = row.findall(w("tc"))
        if len(cells) == count and all(_span(c) == 1 for c in cells):
            texts = [
                text + "".join(t.text or "" for t in cell.iter(W_T))
                for text, cell in zip(texts, cells, strict=True)
            ]
    return texts


def _share(columns: Sequence[_Column], headers: Sequence[str]) -> list[int]:
    """New column widths: figure columns as wide as they need, the width taken from name columns.

    The name columns give in proportion to what they can spare above their `_Column.minimum`; when
    that is not enough, the figure columns share what there is in proportion to what they lack.
    """
    grow = _growth(columns, headers)
    spare = [c.width - c.minimum if c.gives else 0 for c in columns]
    wanted, available = sum(grow), sum(spare)
    take = min(wanted, available)
    widths = [c.width for c in columns]
    if take <= 0:
        return widths
    widths = [width + extra * take // wanted for width, extra in zip(widths, grow, strict=True)]
    owed = sum(widths) - sum(c.width for c in columns)
    cuts = [room * owed // available for room in spare]
    left = [room - cut for room, cut in zip(spare, cuts, strict=True)]
    for _ in range(owed - sum(cuts)):  # what rounding left over, from whoever has most room left
        i = max(range(len(left)), key=left.__getitem__)
        cuts[i] += 1
        left[i] -= 1
    return [width - cut for width, cut in zip(widths, cuts, strict=True)]


def _growth(columns: Sequence[_Column], headers: Sequence[str]) -> list[int]:
    """How much wider each column should be: a figure column as its widest figure needs, and as
    the widest of the columns under the same heading (one per group of a packed table)."""
    alike: dict[str, int] = {}
    for column, header in zip(columns, headers, strict=True):
        if column.need and header:
            alike[header] = max(alike.get(header, 0), column.need)
    return [
        0 if c.gives else max(c.need, alike.get(header, 0) if header else 0, c.width) - c.width
        for c, header in zip(columns, headers, strict=True)
    ]
