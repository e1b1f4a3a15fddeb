"""Long tables: cut into consecutive tables so LibreOffice can lay them out.

LibreOffice lays out one table that runs over many pages in time that grows with the square of its
rows (5,000 donors: 8 s, 10,000: 40 s, 20,000: over 5 min; 100,000 never finished), while Word does
not mind. A table of more than `SPLIT_ROWS` rows below its header rows is therefore cut into
consecutive tables of `CHUNK_ROWS` rows; each repeats the properties, grid and header rows (so the
header still repeats on every page) and they are separated by a 1 pt empty paragraph, so the cut
reads as one table whose header row shows again. Shorter tables, every normal bulletin, are left
whole. `split_tables` cuts a rendered tree; the fast writer places the same cuts as text, from
`split_plan`, `table_head` and `SEAM_PARAGRAPH`.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from lxml import etree

from toolkit.render.wordml import W, is_header_row, w

__all__ = ["CHUNK_ROWS", "SEAM_PARAGRAPH", "SPLIT_ROWS", "split_plan", "split_tables", "table_head"]

SPLIT_ROWS = 1000
"""A table with more rows than this below its header rows is cut."""
CHUNK_ROWS = 300
"""Rows below the header rows in each table of a cut one (the last may have fewer)."""
SEAM_PARAGRAPH = (
    '<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
    '<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr></w:pPr></w:p>'
)
"""The 1 pt empty paragraph between two pieces of a cut table (without it Word joins them)."""


def split_plan(rows: Sequence[Any]) -> tuple[int, list[int]]:
    """``(headers, cuts)`` for a table's rows: its leading header rows, then the row indices each
    new table starts at, ``[]`` when the table stays whole."""
    headers = 0
    while headers < len(rows) and is_header_row(rows[headers]):
        headers += 1
    if len(rows) - headers <= SPLIT_ROWS:
        return headers, []
    return headers, list(range(headers + CHUNK_ROWS, len(rows), CHUNK_ROWS))


def table_head(table: Any, header_rows: Sequence[Any]) -> Any:
    """A new ``w:tbl`` with copies of ``table``'s properties, grid and ``header_rows``."""
    head = etree.Element(w("tbl"), nsmap={"w": W})
    for name in ("tblPr", "tblGrid"):
        part = table.find(w(name))
        if part is not None:
            head.append(copy.deepcopy(part))
    head.extend(copy.deepcopy(row) for row in header_rows)
    return head


def _seam_paragraph() -> Any:
    return etree.fromstring(SEAM_PARAGRAPH.replace("<w:p>", f'<w:p xmlns:w="{W}">', 1))


def split_tables(body: Any) -> None:
    """Cut every long table of a rendered body into consecutive tables (see `SPLIT_ROWS`)."""
    for table in list(body.iter(w("tbl"))):
        rows = table.findall(w("tr"))
        headers, cuts = split_plan(rows)
        if not cuts:
            continue
        starts = {id(rows[cut]) for cut in cuts}
        current, anchor = table, table
        for child in list(table):
            if id(child) in starts:
                current = table_head(table, rows[:headers])
                separator = _seam_paragraph()
                anchor.addnext(separator)
                separator.addnext(current)
                anchor = current
            if current is not table:
                current.append(child)
