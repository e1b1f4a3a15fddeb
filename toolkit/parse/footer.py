"""The footer: totals, capitals, the signature block, and donors left on or below it.

Labels
    ``合计``/``大写``/``收款人``/``监督人``/``单位``/``日期`` labels take their value from the same cell
    (``收款人: 朱蕊``, ``收款人：朱蕊``, ``收款人 朱蕊``, ``合计：50000``) or from the next filled cell to the
    right (see `toolkit.parse.labels`). The first 合计 and the first 大写 count. A lone text cell in
    the footer that is no label is the organisation when no 单位 label gave one (the nearest one
    above 日期). Dates may be Excel dates, text (``2020年2月5日``, ``2020-02-05``, ``2020/2/5``,
    ``2020.2.5``, ``20200205``) or an Excel serial number in a General cell (1900 system, e.g. 43866).
    The footer is read for at most `toolkit.parse.table.FOOTER_SCAN_ROWS` rows.

Donors on a footer row
    Donors still present on a total row are read: the seed's last row holds ``收款金额合计:`` and
    ``大写: 伍万元整`` in the first groups and donor 45 in the fourth group.

Donors below the table
    Rows below the end of the table that still look like donors are not read but reported, once, as
    the error ``ledger.rows_after_total`` at the name cell of the first one (the message lists the
    rows): a row with no footer label holding a text name and an amount (a number, or text that reads
    as one) in the columns of a header group whose 序号 cell is blank or a whole number, or a 序号,
    a name and an amount side by side. Not donors: lone lines (the organisation), label lines
    (说明：…, 制表人：…), dates, 小计 rows, summary lines such as ``个人捐款 34461.73`` or
    ``其中单位 …``, 11-digit phone numbers, and a 序号 with nothing else (the unused slots of the
    starter workbook sit above its 合计 anyway). All rows below the table are looked at, not only
    the footer rows read for the signature.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from decimal import Decimal

from toolkit import codes, money
from toolkit.errors import InvalidAmount
from toolkit.parse.cells import SheetCells, blank, is_error_value, numeric_text, parse_date, serial_of, shown
from toolkit.parse.header import Group, Header
from toolkit.parse.labels import match_label, split_labels
from toolkit.parse.table import TableRows
from toolkit.parse.totals import declared_capitals, declared_total
from toolkit.parse.vocabulary import CAPITALS, DATE, ORGANISATION, RECEIVER, SUPERVISOR, TOTAL
from toolkit.records import CellValue, Declared, Signature
from toolkit.text import strip_xml_illegal

__all__ = ["FooterReader"]

# Lines under a 合计 that pair a text with a figure but are no donor: “个人捐款 34461.73”, “其中单位”,
# “个人小计”; and 11-digit numbers starting with 1 (a mobile phone number, not an amount).
_SUMMARY_NAME = re.compile(
    r"^其中|^(?:个人|单位|企业|团体|集体)(?:捐款|捐赠|合计|小计|总计|共计|金额|总额|人数|部分)*$"
    r"|(?:合计|小计|总计|共计|总额|人数)$"
)
_PHONE = (Decimal(10_000_000_000), Decimal(20_000_000_000))
_REFUSED_AMOUNTS = frozenset(
    {codes.AMOUNT_NEGATIVE, codes.AMOUNT_TOO_MANY_DECIMALS, codes.AMOUNT_OUT_OF_RANGE}
)


class FooterReader:
    """Reads the footer rows of one table and the rows below it.

    After `read`: ``total``, ``capitals``, `signature`, and ``late``: per header group, the
    ``(row, columns)`` of donors still present on footer rows, to be read as donors.
    """

    def __init__(self, cells: SheetCells, header: Header, table: TableRows) -> None:
        self.cells = cells
        self.header = header
        self.table = table
        self.total: Declared | None = None
        self.capitals: Declared | None = None
        self.total_row: int | None = None
        self.values: dict[str, str | dt.date] = {}
        self.date_row: int | None = None
        self.lone_texts: list[tuple[int, str]] = []
        self.late: list[list[tuple[int, Group]]] = [[] for _ in header.groups]
        self.stray: list[tuple[int, int, int]] = []  # (row, name col, amount col) below the table's end

    def read(self) -> None:
        """Read every footer row, then look for donors below the table's end."""
        for r in self.table.footer:
            self.read_row(r)
        rows = self.cells.rows
        for r in range(self.table.footer_end, len(rows)):
            row = rows[r]
            found = self.stray_donor(row)
            if found is not None and not any(type(v) is str and match_label(v) for v in row):
                self.stray.append((r, *found))
        if self.stray:
            self.stray_problem()

    def signature(self) -> Signature:
        """收款人, 监督人, 单位 (a label, else the best lone line) and 日期, as read."""
        organisation = self.values.get(ORGANISATION)
        if organisation is None and self.lone_texts:
            organisation = self.pick_organisation()
        date = self.values.get(DATE)
        return Signature(
            receiver=_as_text(self.values.get(RECEIVER)),
            supervisor=_as_text(self.values.get(SUPERVISOR)),
            organisation=_as_text(organisation),
            date=date if isinstance(date, dt.date) else None,
        )

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
            if label is None:
                continue
            kind, inline = label
            consumed.add(c)
            has_total = has_total or kind in (TOTAL, CAPITALS)
            if inline:
                first, *others = split_labels(inline)
                self.take(kind, r, c, first, inline=True)
                for other in others:
                    more = match_label(other)
                    if more is not None:
                        self.take(more[0], r, c, more[1], inline=True)
                continue
            target = next(
                (
                    (c2, v2)
                    for c2, v2 in filled[i + 1 :]
                    if c2 not in consumed and not (isinstance(v2, str) and match_label(v2))
                ),
                None,
            )
            if target is not None:
                consumed.add(target[0])
                self.take(kind, r, target[0], target[1], inline=False)
        if not consumed:
            if len(filled) == 1 and isinstance(filled[0][1], str) and not numeric_text(filled[0][1]):
                self.lone_texts.append((r, cells.clean(filled[0][1], r, filled[0][0])))
            elif len(filled) > 1 and r > self.table.footer_start:
                found = self.stray_donor(row)
                if found is not None:
                    self.stray.append((r, *found))
            return
        self.footer_donors(r, [(c, v) for c, v in filled if c not in consumed], consumed, has_total)

    def take(self, kind: str, r: int, c: int, value: CellValue, *, inline: bool) -> None:
        """Record the value of a footer label found at ``(r, c)`` (or inline in the label cell)."""
        cells = self.cells
        if kind == TOTAL and self.total is None:
            self.total_row = r
            self.total = declared_total(cells, r, c, value, inline=inline)
        elif kind == CAPITALS and self.capitals is None:
            self.capitals = declared_capitals(cells, r, c, value, inline=inline)
        elif kind == DATE and DATE not in self.values:
            date = parse_date(value)
            self.date_row = r
            if date is None:
                cells.problem(
                    codes.SIGNATURE_DATE_UNREADABLE,
                    f"日期“{shown(value)}”无法识别，请写成 2020年2月5日 或 2020-02-05；简报中的日期将留空",
                    r,
                    c,
                    value,
                    warn=True,
                )
            self.values[DATE] = date if date is not None else ""
        elif kind in (RECEIVER, SUPERVISOR, ORGANISATION) and kind not in self.values:
            text = cells.clean(value if isinstance(value, str) else shown(value), r, c)
            if text:
                self.values[kind] = text

    def footer_donors(
        self, r: int, rest: list[tuple[int, CellValue]], consumed: set[int], has_total: bool
    ) -> None:
        """Donors left on a footer row: aligned with their group, or (total row only) three cells in a row.

        ``rest`` are the filled cells no label or label value took; ``consumed`` the columns they took.
        """
        if not rest:
            return
        row = self.cells.rows[r]
        width = len(row)
        found = False
        for gi, g in enumerate(self.header.groups):
            if g.name in consumed or g.amount in consumed or g.serial in consumed:
                continue
            name = row[g.name] if g.name < width else None
            amount = row[g.amount] if g.amount < width else None
            serial = serial_of(self.cells.at(r, g.serial))
            texty = isinstance(name, str) and not blank(name) and not numeric_text(name)
            if texty and (isinstance(serial, int) or numeric_text(amount)):
                self.late[gi].append((r, g))
                found = True
        if found or not has_total:
            return
        for (c1, v1), (c2, v2), (c3, _) in zip(rest, rest[1:], rest[2:], strict=False):
            if c2 == c1 + 1 and c3 == c2 + 1 and isinstance(serial_of(v1), int) and not numeric_text(v2):
                gi = next((i for i, g in enumerate(self.header.groups) if c1 <= g.amount), 0)
                self.late[gi].append((r, Group(c1, c2, c3, None)))
                return

    def stray_donor(self, row: Sequence[CellValue]) -> tuple[int, int] | None:
        """``(name col, amount col)`` of a donor-looking entry on a row below the table's end, if any.

        Donor-looking: a text name and an amount (a number, or text ``money`` reads as one, even a
        refused one such as ``-5``) in the columns of a header group whose 序号 cell is blank or a
        whole number; or a 序号, a name and an amount in three cells side by side. The row holds no
        footer label (the caller makes sure).
        """
        width = len(row)
        for g in self.header.groups:
            if max(g.name, g.amount) >= width:
                continue
            if g.serial is not None and g.serial < width:
                serial = row[g.serial]
                if not blank(serial) and not isinstance(serial_of(serial), int):
                    continue  # 联系人 | 朱蕊 | 138…: a line with a label of its own, not a donor
            if _donor_like(row[g.name], row[g.amount]):
                return g.name, g.amount
        for c in range(width - 2):
            if isinstance(serial_of(row[c]), int) and _donor_like(row[c + 1], row[c + 2]):
                return c + 1, c + 2
        return None

    def stray_problem(self) -> None:
        """One ``ledger.rows_after_total`` error at the name cell of the first stray donor row."""
        cells = self.cells
        r, nc, ac = self.stray[0]
        name, amount = (" ".join(strip_xml_illegal(shown(cells.at(r, c)))[0].split()) for c in (nc, ac))
        name = name if len(name) <= 40 else name[:39] + "…"
        rows = "、".join(str(row + 1) for row, _, _ in self.stray[:5]) + ("等" if len(self.stray) > 5 else "")
        count = f"（共 {len(self.stray)} 行）" if len(self.stray) > 1 else ""
        found = f"下方还有捐款记录：第 {rows} 行{count}，第一笔是“{name}”，金额 {amount}。"
        if self.total_row is not None and self.total_row < r:
            message = (
                f"合计行（第 {self.total_row + 1} 行）{found}合计行以下的捐款不会读取，没有计入简报和合计；"
                "请把这些行移到合计行上方，或者把合计行移到名单最后，再核对合计金额"
            )
        else:
            start = cells.rows[self.table.footer_start]
            label = next((v.strip() for v in start if type(v) is str and match_label(v)), "")
            label = label if len(label) <= 20 else label[:19] + "…"
            message = (
                f"名单在第 {self.table.footer_start + 1} 行“{label}”处结束（合计或签名栏），但{found}"
                "这些捐款不会读取，没有计入简报和合计；请把这些行移到签名栏上方、接在名单最后"
                "（如有合计行，移到合计行上方），再核对合计金额"
            )
        cells.problem(codes.LEDGER_ROWS_AFTER_TOTAL, message, r, nc, name)

    def pick_organisation(self) -> str:
        if self.date_row is not None:
            above = [text for row, text in self.lone_texts if row < self.date_row]
            if above:
                return above[-1]
        return self.lone_texts[0][1]


def _as_text(value: str | dt.date | None) -> str | None:
    return value if isinstance(value, str) and value else None


def _donor_like(name: CellValue, amount: CellValue) -> bool:
    """A name and an amount that read as one donation (see `FooterReader.stray_donor`)."""
    if type(name) is not str or blank(name) or numeric_text(name) or is_error_value(name):
        return False
    text = "".join(unicodedata.normalize("NFKC", name).split())
    if _SUMMARY_NAME.search(text) or parse_date(text) is not None or match_label(name) is not None:
        return False
    try:
        value = money.parse_amount(amount)
    except InvalidAmount as exc:
        return exc.code in _REFUSED_AMOUNTS
    return bool(value) and not (_PHONE[0] <= value < _PHONE[1] and value == value.to_integral_value())
