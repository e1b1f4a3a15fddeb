"""Sections of a table: heading rows (``一、单位捐款``), the kind they give their donors, and 小计 rows.

A heading is a row whose only filled cell, outside the amount columns, is

- numbered (``一、`` ``（二）`` ``3、``) and names a kind or a list (单位, 个人, 捐款, 名单, 明细…), or
- unnumbered, starting with a kind and naming a list: ``单位捐款``, ``个人捐赠名单``, or
- a date between donor rows (lists grouped by day).

The heading's kind word (`toolkit.parse.vocabulary.KINDS`) becomes the kind of every donor under it
that has no 类型 cell of its own, so ``一、单位捐款`` … ``二、个人捐款`` give the bulletin its 个人 and 单位
subtotals.

A 小计 row covers the donors since the previous 小计 or heading; a 小计 naming a kind (单位小计,
个人合计) covers that kind's donors of the table so far, or, when no donor above it has a kind (no
heading, no 类型 column), the donors since the previous 小计 like a plain one. ``toolkit.validate`` checks each against its
donors; a 小计 is never a donor.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections.abc import Sequence

from toolkit.parse.cells import SheetCells, blank, parse_date
from toolkit.parse.header import Header
from toolkit.parse.labels import match_label
from toolkit.parse.lines import read_count
from toolkit.parse.totals import declared_subtotal
from toolkit.parse.vocabulary import ENUMERATION, HEADING_WORDS, KINDS, SUBTOTAL
from toolkit.records import CellValue, Declared, Donation, Section, Subtotal

__all__ = ["SubtotalRow", "assemble", "heading_of", "heading_kind", "read_subtotal"]

_MONTH_DAY = re.compile(r"^\d{1,2}月\d{1,2}[日号]$")
_KIND_WORDS = sorted(KINDS, key=len, reverse=True)
_HEADING_MAX = 30


def heading_kind(text: str) -> tuple[bool, str | None]:
    """Whether ``text`` is a heading, and the kind it names (``"单位"``, ``"个人"``) if any."""
    norm = "".join(unicodedata.normalize("NFKC", text).split()).rstrip(":")
    if not norm or len(norm) > _HEADING_MAX:
        return False, None
    numbered = ENUMERATION.match(norm)
    rest = norm[numbered.end() :] if numbered else norm
    kind_word = next((w for w in _KIND_WORDS if w in rest), None)
    kind = KINDS[kind_word] if kind_word else None
    listed = any(word in rest for word in HEADING_WORDS)
    if numbered:
        return bool(listed or kind), kind
    return bool(listed and kind_word and rest.startswith(kind_word)), kind


def heading_of(row: Sequence[CellValue], header: Header, *, inside: bool) -> int | None:
    """The column of the heading cell when ``row`` is a heading row, else ``None``.

    ``inside``: the row lies between donor rows, where a lone date is a day's heading.
    """
    filled = [(c, v) for c, v in enumerate(row) if not blank(v)]
    if len(filled) != 1:
        return None
    col, value = filled[0]
    if any(col == g.amount for g in header.groups):
        return None
    if isinstance(value, dt.date):
        return col if inside else None
    if not isinstance(value, str):
        return None
    text = unicodedata.normalize("NFKC", value).strip()
    if inside and (parse_date(text) is not None or _MONTH_DAY.match(text)):
        return col
    return col if heading_kind(text)[0] else None


@dataclasses.dataclass(frozen=True, slots=True)
class SubtotalRow:
    """A 小计 row as read: its figure, its label and the kind the label names."""

    row: int
    declared: Declared
    label: str
    kind: str | None


def read_subtotal(cells: SheetCells, header: Header, r: int, *, exponent: int) -> SubtotalRow | None:
    """The 小计 on row ``r`` inside a table: its label and its figure, in the label's cell or to its
    right (the amount column first)."""
    row = cells.rows[r]
    filled = [(c, v) for c, v in enumerate(row) if not blank(v) or (r, c) in cells.unknown]
    for i, (c, value) in enumerate(filled):
        label = match_label(value) if isinstance(value, str) else None
        if label is None or label.kind != SUBTOTAL:
            continue
        kind_word = next((w for w in _KIND_WORDS if w in label.label), None)
        kind = KINDS[kind_word] if kind_word else None
        if label.rest and read_count(label.rest) is None:  # 小计2人 | 800: the figure is beside it
            return SubtotalRow(
                r, declared_subtotal(cells, r, c, label.rest, exponent=exponent), label.label, kind
            )
        free = [(c2, v2) for c2, v2 in filled[i + 1 :] if not (isinstance(v2, str) and match_label(v2))]
        amounts = sorted(g.amount for g in header.groups if g.amount > c)
        target = next(
            ((c2, v2) for c2, v2 in free if amounts and c2 == amounts[0]), free[0] if free else None
        )
        if target is None:
            return None
        return SubtotalRow(r, declared_subtotal(cells, r, *target, exponent=exponent), label.label, kind)
    return None


def assemble(
    cells: SheetCells,
    headings: list[tuple[int, int]],
    subtotals: list[SubtotalRow],
    by_row: dict[int, list[Donation]],
) -> tuple[tuple[Section, ...], tuple[Subtotal, ...]]:
    """Walk the table's rows in order and build its sections and subtotals.

    ``by_row`` maps each donor row to its donations (several in a packed row), kinds already given.
    """
    heading_at = dict(headings)
    subtotal_at = {s.row: s for s in subtotals}
    donations: list[Donation] = []
    sections: list[Section] = []
    open_heading: tuple[str, str | None, str] | None = None
    in_section: list[Donation] = []
    since: list[Donation] = []
    since_row: int | None = None
    found: list[Subtotal] = []

    def close() -> None:
        if open_heading is not None:
            sections.append(Section(*open_heading, tuple(in_section)))

    for r in sorted({*heading_at, *subtotal_at, *by_row}):
        if r in heading_at:
            close()
            col = heading_at[r]
            value = cells.rows[r][col]
            text = cells.clean(value if isinstance(value, str) else _date_text(value), r, col)
            open_heading = (text, heading_kind(text)[1], cells.cell(r, col))
            in_section, since, since_row = [], [], None
        elif r in subtotal_at:
            row = subtotal_at[r]
            kinded = [d for d in donations if d.kind == row.kind] if row.kind is not None else []
            if kinded:
                covered, scope = kinded, f"{row.kind}捐款"
            else:  # 单位小计 under a run of donors no heading or 类型 cell gave a kind: the rows above it
                covered = since
                scope = f"第 {since_row + 1}～{r} 行" if since_row is not None else "它上方的各行"
            found.append(Subtotal(row.declared, row.label, scope, tuple(covered)))
            since, since_row = [], None
        else:
            donations += by_row[r]
            in_section += by_row[r]
            since += by_row[r]
            if since_row is None:
                since_row = r
    close()
    return tuple(sections), tuple(found)


def _date_text(value: CellValue) -> str:
    if isinstance(value, dt.date):
        date = value.date() if isinstance(value, dt.datetime) else value
        return f"{date.year}年{date.month}月{date.day}日"
    return str(value)
