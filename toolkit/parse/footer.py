"""The footer of a table: its totals, the signature block, lines under the list, donors left on or below it.

Labels
    ``合计``/``大写``/``收款人``/``监督人``/``单位``/``日期``/``经手人``… take their value from the same cell
    (``收款人: 朱蕊``, ``收款人：朱蕊``, ``收款人 朱蕊``, ``合计：50000``) or from a cell to the right: for a
    合计 or 小计 the amount column when it is filled, else the next filled cell (see
    `toolkit.parse.labels`). One cell may hold several labels (``收款人：张敏　　监督人：李军``). The first
    合计, 大写 and count of a table count. 经手人, 审核人, 复核人, 会计, 出纳, 制表人… are roles: kept, offered to
    the template, never the organisation.

Lines (`toolkit.parse.lines`)
    A ``注：…`` note is kept (``Ledger.notes``) and reported as the warning ``footer.note``, because it
    often qualifies the list (大额捐赠明细, 不包括扫码捐赠). A date on its own line is the list's date; a
    line ending like an organisation (协会, 红十字会…) is the organisation when no 单位 label gave one (the
    nearest one above the date); ``共45人`` and the like are a declared count; ``单位：元`` is a unit.
    Any other line is the warning ``footer.unrecognised`` at its cell: read by nobody, counted nowhere.

Labels with no value
    A 收款人/监督人/单位/日期 label with nothing after it, in its cell or to its right (``收款人：`` and
    nothing else), leaves that item to be written by hand: it is the warning
    ``signature.missing_receiver`` (…``_supervisor``, ``_organisation``, ``_date``) at the label's
    cell, unless the item is found elsewhere (an organisation on a line of its own).

Donors on a footer row
    Donors still present on a total row are read: the seed's last row holds ``收款金额合计:`` and
    ``大写: 伍万元整`` in the first groups and donor 45 in the fourth group.

Donors below the table
    are looked for down to the next table and reported as ``ledger.rows_after_total``
    (`toolkit.parse.strays`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from toolkit import codes
from toolkit.errors import InvalidAmount
from toolkit.money import parse_capitals
from toolkit.parse.cells import SheetCells, blank, numeric_text, parse_date, shown
from toolkit.parse.facts import SheetFacts
from toolkit.parse.header import Group, Header
from toolkit.parse.labels import Label, match_label, split_labels
from toolkit.parse.lines import (
    DATE_LINE,
    LABEL_LINE,
    NOTE_LINE,
    ORGANISATION_LINE,
    SUMMARY_LINE,
    UNIT_LINE,
    line_kind,
    looks_like_organisation,
    read_count,
    stated_unit,
)
from toolkit.parse.sections import SubtotalRow
from toolkit.parse.strays import SUMMARY_NAME, footer_row_donors, stray_donor, stray_problem
from toolkit.parse.table import TableRows
from toolkit.parse.totals import declared_capitals, declared_count, declared_subtotal, declared_total
from toolkit.parse.vocabulary import (
    BREAKDOWN,
    CAPITALS,
    COUNT,
    DATE,
    KINDS,
    NOTE,
    ORGANISATION,
    RECEIVER,
    ROLE,
    SUBTOTAL,
    SUPERVISOR,
    TOTAL,
    UNITS,
)
from toolkit.records import CellValue, Declared
from toolkit.starter import NOTE as STARTER_NOTE

__all__ = ["FooterReader"]

_FIGURES = frozenset({TOTAL, SUBTOTAL})
_KIND_WORDS = sorted(KINDS, key=len, reverse=True)
_SHOWN_MAX = 60
_CAPITAL_START = frozenset("零壹贰貳叁參陆陸伍肆柒捌玖拾人")


class FooterReader:
    """Reads the footer rows of one table and the rows below it, down to the next table.

    After `read`: ``total``, ``capitals``, ``count``, ``subtotals`` (kind lines such as
    ``个人捐款 34461.73``), and ``late``: per header group, the ``(row, columns)`` of donors still present
    on footer rows, to be read as donors. The signature goes to the sheet's `SheetFacts`.
    ``figures=False`` (a table in a foreign currency) reads the signature only.
    """

    def __init__(
        self, cells: SheetCells, table: TableRows, facts: SheetFacts, *, exponent: int, figures: bool = True
    ) -> None:
        self.cells = cells
        self.header: Header = table.header
        self.table = table
        self.facts = facts
        self.exponent = exponent
        self.figures = figures
        self.total: Declared | None = None
        self.capitals: Declared | None = None
        self.count: Declared | None = None
        self.total_row: int | None = None
        self.subtotals: list[SubtotalRow] = []
        self.late: list[list[tuple[int, Group]]] = [[] for _ in table.header.groups]
        self.stray: list[tuple[int, int, int]] = []  # (row, name col, amount col) below the table's end
        self.early: list[tuple[int, int, str]] = []  # organisation-like lines above the footer's first row

    def read(self) -> None:
        """Read every footer row, then look for donors below the table's end."""
        for r in self.table.footer:
            self.read_row(r)
        if self.early and self.total_row is not None:
            # A line between the last donor and the 合计 is no organisation (the organisation signs
            # under the list): most likely a donor whose amount is missing. Said, never taken.
            early = {(r, text) for r, _, text in self.early}
            self.facts.organisations[:] = [o for o in self.facts.organisations if o not in early]
            self.facts.unrecognised += self.early
        rows = self.cells.rows
        for r in range(self.table.footer_end, self.table.region_end):
            row = rows[r]
            found = stray_donor(self.header, row)
            if found is not None and not any(type(v) is str and match_label(v) for v in row):
                self.stray.append((r, *found))
        if self.stray and self.figures:
            stray_problem(self.cells, self.stray, self.total_row, self.table.footer_start)

    def read_row(self, r: int) -> None:
        cells = self.cells
        row = cells.rows[r]
        filled = [(c, v) for c, v in enumerate(row) if not blank(v) or (r, c) in cells.unknown]
        if not filled:
            return
        consumed: set[int] = set()
        has_total = False
        for i, (c, value) in enumerate(filled):
            if c in consumed or not isinstance(value, str):
                continue
            label = match_label(value)
            if label is None or label.kind == BREAKDOWN:
                continue  # 其中单位 15538.27 is read with the row (unlabelled_row), 其中 as no label
            consumed.add(c)
            has_total = has_total or label.kind in (TOTAL, CAPITALS)
            self.read_label(r, c, value, label, filled[i + 1 :], consumed)
        if not consumed:
            if len(filled) == 1:
                self.line(r, *filled[0])
            elif r >= self.table.footer_start:
                self.unlabelled_row(r, row, filled)
            return
        rest = [(c, v) for c, v in filled if c not in consumed]
        if has_total and self.figures:
            rest = self.unlabelled_figures(r, rest)
        self.footer_donors(r, rest, consumed, has_total)

    def read_label(
        self,
        r: int,
        c: int,
        value: str,
        label: Label,
        after: list[tuple[int, CellValue]],
        consumed: set[int],
    ) -> None:
        """Take the value of ``label`` found in ``value`` at ``(r, c)``: in the same cell, or from a
        cell in ``after`` (which it adds to ``consumed``)."""
        if label.kind == TOTAL and label.qualifier and self.figures and self.count is None:
            self.count = declared_count(self.cells, r, c, label.qualifier)  # 合计（45人）
        if label.kind == NOTE:
            self.note(r, c, value)
            return
        if label.kind in _FIGURES and label.rest and read_count(label.rest) is not None and self.figures:
            # 合计3人 | 1100: the count in the label's cell, the figure beside it
            if label.kind == TOTAL and self.count is None:
                self.count = declared_count(self.cells, r, c, label.rest)
            label = label._replace(rest="")
        if (
            label.kind == TOTAL
            and label.rest[:1] in _CAPITAL_START
            and self.figures
            and _capitals(label.rest)
        ):
            # 合计：叁佰元整 | | 300: the capitals in the label's cell, the figure beside it
            self.take(CAPITALS, "大写", r, c, label.rest, inline=True)
            label = label._replace(rest="")
        if label.rest:
            first, *others = split_labels(label.rest)
            if match_label(first) is not None:  # “收款人：监督人：刘刚”: 收款人 has no value
                self.facts.empty.setdefault(label.kind, (r, c, value))
                others = [first, *others]
            else:
                self.take(label.kind, label.label, r, c, first, inline=True)
            for other in others:
                more = match_label(other)
                if more is not None:
                    self.take(more.kind, more.label, r, c, more.rest, inline=True)
            return
        target = self.target(r, c, after, consumed, figure=label.kind in _FIGURES)
        if target is not None:
            consumed.add(target[0])
            self.take(label.kind, label.label, r, target[0], target[1], inline=False)
        else:
            self.facts.empty.setdefault(label.kind, (r, c, value))

    def unlabelled_figures(self, r: int, rest: list[tuple[int, CellValue]]) -> list[tuple[int, CellValue]]:
        """On a 合计 row, the capitals and the count of donors standing without a label
        (``合计 | 3人 | 300 | 叁佰元整``); returns the cells neither took."""
        if self.capitals is None:
            rest = self.unlabelled_capitals(r, rest)
        if self.count is None:
            counted = [(c, v) for c, v in rest if isinstance(v, str) and read_count(v) is not None]
            if counted:
                self.count = declared_count(self.cells, r, *counted[0])
                rest = [item for item in rest if item != counted[0]]
        return rest

    def target(
        self,
        r: int,
        c: int,
        after: list[tuple[int, CellValue]],
        consumed: set[int],
        *,
        figure: bool,
    ) -> tuple[int, CellValue] | None:
        """The cell holding a label's value: for a figure, the amount column right of the label when it
        is filled; else the next filled cell that is no label."""
        free = [
            (c2, v2)
            for c2, v2 in after
            if c2 not in consumed and not (isinstance(v2, str) and match_label(v2))
        ]
        if figure:
            amounts = sorted(g.amount for g in self.header.groups if g.amount > c)
            for c2, v2 in free:
                if amounts and c2 == amounts[0]:
                    return c2, v2
        return free[0] if free else None

    def take(self, kind: str, label: str, r: int, c: int, value: CellValue, *, inline: bool) -> None:
        """Record the value of a footer label found at ``(r, c)`` (or inline in the label cell)."""
        cells, facts = self.cells, self.facts
        if kind == TOTAL and self.figures and self.total is None:
            total, count = declared_total(cells, r, c, value, inline=inline, exponent=self.exponent)
            if total is not None:
                self.total_row = r
                self.total = total
            if count is not None and self.count is None:
                self.count = count
        elif kind == TOTAL and self.figures and self.count is None and isinstance(value, str):
            self.count = declared_count(cells, r, c, value)  # 共45人 after the 合计
        elif kind == CAPITALS and self.figures and self.capitals is None:
            self.capitals = declared_capitals(cells, r, c, value, inline=inline)
        elif kind == COUNT and self.figures and self.count is None:
            self.count = declared_count(cells, r, c, value)
        elif kind == SUBTOTAL and self.figures:
            kind_word = next((w for w in _KIND_WORDS if w in label), None)
            if kind_word is not None:
                declared = declared_subtotal(cells, r, c, value, exponent=self.exponent)
                self.subtotals.append(SubtotalRow(r, declared, label, KINDS[kind_word]))
        elif kind == DATE and facts.date is None and not facts.date_unreadable:
            self.date(r, c, value, labelled=True)
        elif kind == ROLE:
            text = cells.clean(value if isinstance(value, str) else shown(value), r, c)
            if text:
                facts.roles.append((label, text))
        elif kind in (RECEIVER, SUPERVISOR, ORGANISATION) and kind not in facts.values:
            text = cells.clean(value if isinstance(value, str) else shown(value), r, c)
            if kind == ORGANISATION and line_kind(text) == UNIT_LINE:
                self.stated_unit(r, c, f"单位:{text}")  # the unit of the amounts, not an organisation
                return
            if text:
                facts.values[kind] = text

    def date(self, r: int, c: int, value: CellValue, *, labelled: bool) -> None:
        date = parse_date(value)
        if date is None:
            if labelled:
                self.facts.date_unreadable = True
                self.cells.problem(
                    codes.SIGNATURE_DATE_UNREADABLE,
                    f"日期“{shown(value)}”无法识别，请写成 2020年2月5日 或 2020-02-05；简报中的日期将留空",
                    r,
                    c,
                    value,
                    warn=True,
                )
            return
        self.facts.date, self.facts.date_row = date, r

    def note(self, r: int, c: int, value: str) -> None:
        text = self.cells.clean(value, r, c)
        if text == STARTER_NOTE:
            return  # the starter workbook's instructions for filling it in
        self.facts.notes.append(text)
        self.stated_unit(r, c, text)
        self.cells.problem(
            codes.FOOTER_NOTE,
            f"名单下方有一段说明：“{_short(text)}”。简报的合计只按名单中的各笔捐款计算；"
            "请核对这段说明是否影响简报（如只列了部分捐款），需要时写入简报正文",
            r,
            c,
            text,
            warn=True,
        )

    def stated_unit(self, r: int, c: int, text: str) -> None:
        """``注：金额单位为万元`` or ``单位：万元`` under a list whose header says another unit (or none,
        which means 元): the amounts' unit is unknown, the error ``unit.conflict``."""
        word = stated_unit(text)
        if word is None or UNITS[word] == self.header.unit:
            return
        amount = self.cells.cell(self.header.row, self.header.groups[0].amount)
        self.cells.problem(
            codes.UNIT_CONFLICT,
            f"名单下方写着金额单位是“{word}”，但金额列 {amount} 按“{self.header.unit}”读；无法确定金额的单位。"
            f"请在金额列的表头写明单位，如“金额（{word}）”，并删掉不对的说明",
            r,
            c,
            text,
        )

    def line(self, r: int, c: int, value: CellValue) -> None:
        """One filled cell, no label: a note, a date, a count, a unit, the organisation, ``以下空白``
        (nothing to read), or unrecognised."""
        kind = line_kind(value)
        if kind == NOTE_LINE and isinstance(value, str):
            self.note(r, c, value)
        elif kind == DATE_LINE:
            if self.facts.date is None:
                self.date(r, c, value, labelled=False)
        elif kind == SUMMARY_LINE:
            self.take(TOTAL, "", r, c, value, inline=True)
        elif kind == UNIT_LINE and isinstance(value, str):
            self.stated_unit(r, c, value)
        elif kind == ORGANISATION_LINE and isinstance(value, str):
            text = self.cells.clean(value, r, c)
            self.facts.organisations.append((r, text))
            if r < self.table.footer_start:
                self.early.append((r, c, text))
        elif kind is None and isinstance(value, str) and len(words := value.split()) > 1:
            if not self.organisation_and_date(r, [(c, " ".join(words[:-1])), (c, words[-1])]):
                self.facts.unrecognised.append((r, c, self.cells.clean(value, r, c)))
        elif kind is None or kind == LABEL_LINE:
            # LABEL_LINE here is a ``key：value`` line of no known label (补录：王五 500元): said, not read
            text = self.cells.clean(value if isinstance(value, str) else shown(value), r, c)
            self.facts.unrecognised.append((r, c, text))

    def organisation_and_date(self, r: int, parts: list[tuple[int, CellValue]]) -> bool:
        """``某某市慈善协会 2020年2月10日`` in one cell or two: the organisation and the date; False
        (nothing taken) when the two parts are not exactly that."""
        if len(parts) != 2:
            return False
        (c1, first), (c2, second) = parts
        if not isinstance(first, str) or not looks_like_organisation(first) or parse_date(second) is None:
            return False
        self.facts.organisations.append((r, self.cells.clean(first, r, c1)))
        if self.facts.date is None:
            self.date(r, c2, second, labelled=False)
        return True

    def unlabelled_row(self, r: int, row: Sequence[CellValue], filled: list[tuple[int, CellValue]]) -> None:
        """A row of several cells and no label under the table: a stray donor, a kind line, or unrecognised."""
        found = stray_donor(self.header, row)
        if found is not None:
            self.stray.append((r, *found))
            return
        texts = [v for _, v in filled if isinstance(v, str) and not numeric_text(v)]
        figures = [(c, v) for c, v in filled if numeric_text(v)]
        if len(texts) == 1 and len(figures) == 1 and self.figures:
            name = "".join(unicodedata.normalize("NFKC", str(texts[0])).split())
            kind_word = next((w for w in _KIND_WORDS if name.removeprefix("其中").startswith(w)), None)
            if kind_word is not None and SUMMARY_NAME.search(name):
                c, value = figures[0]
                declared = declared_subtotal(self.cells, r, c, value, exponent=self.exponent)
                self.subtotals.append(SubtotalRow(r, declared, name, KINDS[kind_word]))
                return
        if self.organisation_and_date(r, filled):
            return
        text = " ".join(self.cells.clean(v if isinstance(v, str) else shown(v), r, c) for c, v in filled)
        self.facts.unrecognised.append((r, filled[0][0], text))

    def unlabelled_capitals(self, r: int, rest: list[tuple[int, CellValue]]) -> list[tuple[int, CellValue]]:
        """A 大写 written without its label on the 合计 row (合计 | 伍万元整 | 50000) is the declared 大写."""
        for i, (c, value) in enumerate(rest):
            if isinstance(value, str) and value.strip()[:1] in _CAPITAL_START:
                try:
                    parse_capitals(value)
                except InvalidAmount:
                    continue
                self.capitals = declared_capitals(self.cells, r, c, value, inline=False)
                return rest[:i] + rest[i + 1 :]
        return rest

    def footer_donors(
        self, r: int, rest: list[tuple[int, CellValue]], consumed: set[int], has_total: bool
    ) -> None:
        """Donors left on a footer row are read with their group (`toolkit.parse.strays.footer_row_donors`)."""
        for gi, group in footer_row_donors(self.cells, self.header, r, rest, consumed, has_total=has_total):
            self.late[gi].append((r, group))


def _short(text: str) -> str:
    return text if len(text) <= _SHOWN_MAX else text[: _SHOWN_MAX - 1] + "…"


def _capitals(text: str) -> bool:
    """The whole text is an amount in capitals (叁佰元整)."""
    try:
        parse_capitals(text)
    except InvalidAmount:
        return False
    return True
