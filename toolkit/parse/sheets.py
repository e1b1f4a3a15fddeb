"""Which sheets are read, every table in them, and the one place a `Ledger` is built.

Sheets
    Every visible sheet holding a donor list is read (tab order), each table in it checked against its
    own figures; the ledger holds all of their donors, table after table. Hidden and very hidden
    sheets are never read: when another sheet holds a list, each hidden sheet with content is the
    warning ``sheet.hidden``, and each visible sheet with content but no donor list (a 说明 sheet, a
    goods list) the warning ``sheet.skipped``. When no visible sheet holds a list: a sheet whose table
    has no donor-name column (goods, transaction numbers, per-day income) is the error
    ``sheet.not_donor_list``, saying what it looks like; otherwise ``header.not_found`` lists the column
    names looked for and the sheets searched (and hidden sheets that hold a list). A list that would
    count donations twice (a copy, a part of another list, a merged or summary list) is refused or
    left out by `toolkit.parse.overlaps`. The bulletin's title is the one title, or what the titles
    of several lists share when that ends at a bracket or a dash, never a title cut in the middle.

Tables
    A sheet's first header must sit within its first `toolkit.parse.header.HEADER_SCAN_ROWS` rows;
    each table ends where the next header starts (`toolkit.parse.table`) and is read by
    `toolkit.parse.tables`. A table in a foreign currency is left out, never added to 元: the warning
    ``table.foreign_currency`` names the currency, the header cell and how many rows were left out;
    it is an error when the workbook holds no list in 元 at all. A table with no donor-name column
    inside a donor sheet (a goods list under the cash list) is skipped with ``sheet.skipped``. (A
    sheet longer than the row cap never gets here: the reader refuses it whole,
    ``sheet.too_many_rows``.)

Above and below
    The signature comes from the sheets' footers, each part from the first sheet that gives it; the
    date is the latest a sheet gives (in its footer, or alone above its first header, ``20200202``),
    since the bulletin says 截至 that date. Other roles (经手人…) and notes (``注：…``) of every sheet
    are kept. Lines nobody reads are the warning ``footer.unrecognised``. A total stated above a list,
    in its title or an introduction (``（合计：500元）``, ``…金额合计900元，现公示如下：``), that is
    neither the list's total, its sheet's nor the workbook's is the error ``total.mismatch`` at its
    cell, and a title stating it is no heading; a 累计 figure is never checked.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass, field, replace
from decimal import Decimal

from toolkit import codes
from toolkit.errors import Problem, Severity
from toolkit.money import format_amount
from toolkit.parse.cells import SheetCells, blank
from toolkit.parse.currency import foreign_problem
from toolkit.parse.facts import SheetFacts, empty_label_problems
from toolkit.parse.footer import FooterReader
from toolkit.parse.header import (
    HEADER_SCAN_ROWS,
    Header,
    NotDonorList,
    date_above,
    find_header,
    find_title,
    header_not_found,
)
from toolkit.parse.lines import organisation_name
from toolkit.parse.overlaps import counted_once
from toolkit.parse.table import next_header, walk_table
from toolkit.parse.tables import read_table, with_unit
from toolkit.parse.totals import stated_above
from toolkit.parse.units import outflow_title
from toolkit.parse.vocabulary import ORGANISATION
from toolkit.records import (
    DonorTable,
    Ledger,
    Sheet,
    Signature,
    Workbook,
    cell_name,
)

__all__ = ["parse_sheet", "parse_workbook"]

log = logging.getLogger(__name__)


@dataclass(slots=True)
class SheetRead:
    """What one sheet gave: its tables, what was left out, its facts and problems."""

    sheet: Sheet
    cells: SheetCells
    tables: list[DonorTable] = field(default_factory=list)
    foreign: list[tuple[int, int, str, int]] = field(default_factory=list)  # (row, col, currency, rows)
    facts: SheetFacts = field(default_factory=SheetFacts)
    not_donor: NotDonorList | None = None
    date_above: dt.date | None = None
    stated: list[tuple[DonorTable, int, int, str, Decimal]] = field(default_factory=list)
    """Totals stated above a table, in its title or introduction: ``(table, row, col, text, amount)``."""

    @property
    def has_list(self) -> bool:
        return bool(self.tables or self.foreign)


def parse_workbook(workbook: Workbook) -> Ledger:
    """Parse every donor list of ``workbook`` (see the module docstring)."""
    reads = [read_sheet(sheet, workbook.name) for sheet in workbook.sheets if sheet.visible]
    lists = [read for read in reads if read.has_list]
    if lists:
        notes: list[Problem] = []
        for read in reads:
            if not read.has_list and _has_content(read.sheet):
                notes.append(_skipped(workbook.name, read))
        for sheet in workbook.sheets:
            if not sheet.visible and _has_content(sheet):
                notes.append(_hidden(workbook.name, sheet))
        return _ledger(workbook.name, lists, notes)
    refusals = [_not_donor_list(workbook.name, read) for read in reads if read.not_donor is not None]
    first = reads[0].sheet.name if reads else ""
    if refusals:
        return Ledger(file=workbook.name, sheet=first, donations=(), problems=tuple(refusals))
    hidden = [
        s.name for s in workbook.sheets if not s.visible and _first_header(s, workbook.name) is not None
    ]
    problem = header_not_found(workbook.name, "", [read.sheet.name for read in reads], hidden)
    return Ledger(file=workbook.name, sheet=first, donations=(), problems=(problem,))


def parse_sheet(sheet: Sheet, file: str) -> Ledger:
    """Parse the donor lists of one sheet (visible or not); ``file`` names the workbook in problems."""
    read = read_sheet(sheet, file)
    if read.has_list:
        return _ledger(file, [read], [])
    if read.not_donor is not None:
        return Ledger(file=file, sheet=sheet.name, donations=(), problems=(_not_donor_list(file, read),))
    problem = header_not_found(file, sheet.name, [sheet.name], [])
    return Ledger(file=file, sheet=sheet.name, donations=(), problems=(problem,))


def read_sheet(sheet: Sheet, file: str) -> SheetRead:
    """Every table of one sheet, in row order."""
    cells = SheetCells(sheet, file)
    read = SheetRead(sheet, cells)
    found = find_header(cells, 0, HEADER_SCAN_ROWS)
    if isinstance(found, NotDonorList) and not _donor_header_below(cells, found):
        read.not_donor = found  # a goods list with a cash list under it is skipped in the loop below
        return read
    if isinstance(found, Header):
        log.debug("%s 的工作表 %s 第 %d 行是名单表头", file, sheet.name, found.row + 1)
        read.date_above = date_above(cells, found, 0)
    top = 0
    while found is not None:
        if isinstance(found, NotDonorList):
            top = found.row + 1
            found = _skip_table(cells, found)
            continue
        header = with_unit(cells, found, top)
        walk = walk_table(cells, header)
        title = find_title(cells, header, top)
        if outflow_title(title) and not (read.tables or read.foreign):
            read.not_donor = NotDonorList(header.row, header.columns, outflow=str(title))
            return read
        if outflow_title(title):  # 二、退款情况 under the donor list: its rows are no donations
            _skip_outflow(cells, header, str(title))
            FooterReader(cells, walk, read.facts, exponent=0, figures=False).read()
        elif header.is_foreign:
            footer = FooterReader(cells, walk, read.facts, exponent=0, figures=False)
            footer.read()
            read.foreign.append((header.row, header.groups[0].amount, header.unit, len(walk.donor_rows())))
            foreign_problem(cells, header, header.groups[0].amount, header.unit, len(walk.donor_rows()))
        else:
            read.tables.append(read_table(cells, header, walk, title, read.facts))
            read.stated += [(read.tables[-1], *stated) for stated in stated_above(cells, header, top)]
        top, found = walk.region_end, walk.next
    return read


def _skip_outflow(cells: SheetCells, header: Header, title: str) -> None:
    """Say that a table titled as money going out (退款, 发放…) under a donor list was not read."""
    cells.problem(
        codes.SHEET_SKIPPED,
        f"第 {header.row + 1} 行起的表格，标题是“{title}”，列的是付出去的钱，不是收到的捐款，没有读取",
        header.row,
        header.groups[0].name,
        title,
        warn=True,
    )


def _stated_totals(reads: list[SheetRead], tables: list[DonorTable]) -> list[DonorTable]:
    """Each total stated above a list that is neither its total, its sheet's nor the workbook's is the
    error ``total.mismatch`` at its cell; a title stating it is no heading. Returns ``tables``, so."""
    everything = sum((t.total for t in tables), Decimal(0))
    wrong: set[int] = set()
    for read in reads:
        sheet = sum((t.total for t in read.tables), Decimal(0))
        for table, r, c, text, amount in read.stated:
            if amount in (table.total, sheet, everything):
                continue
            if table.title and text in table.title:
                wrong.add(id(table))
            read.cells.problem(
                codes.TOTAL_MISMATCH,
                f"名单上方的“{text[:60]}”写的合计是 {format_amount(amount)}，但名单各笔金额相加是 "
                f"{format_amount(table.total)}，相差 {format_amount(abs(amount - table.total))}；"
                "请核对各笔金额，或改正这一行的数字（如果它是累计数，请写明“累计”）",
                r,
                c,
                text,
            )
    return [replace(t, title=None) if id(t) in wrong else t for t in tables]


def _skip_table(cells: SheetCells, table: NotDonorList) -> Header | NotDonorList | None:
    """Note a goods list (or another table with no donor names) inside a donor sheet; find the next header."""
    cells.problem(
        codes.SHEET_SKIPPED,
        f"第 {table.row + 1} 行起的表格（{table.words}）是{table.looks_like}，不是捐款名单，没有读取",
        table.row,
        next((c for c, col in enumerate(table.columns) if col.role), 0),
        table.words,
        warn=True,
    )
    return next_header(cells, table.row + 1, len(cells.rows))


def _donor_header_below(cells: SheetCells, table: NotDonorList) -> bool:
    """A donor list's header somewhere under a table that lists no donations (一、物资捐赠 above
    二、资金捐赠)."""
    found: Header | NotDonorList | None = table
    while isinstance(found, NotDonorList):
        found = next_header(cells, found.row + 1, len(cells.rows))
    return found is not None


def _first_header(sheet: Sheet, file: str) -> Header | NotDonorList | None:
    return find_header(SheetCells(sheet, file), 0, HEADER_SCAN_ROWS)


def _has_content(sheet: Sheet) -> bool:
    return any(not blank(v) for row in sheet.rows for v in row)


def _ledger(file: str, reads: list[SheetRead], notes: list[Problem]) -> Ledger:
    """The one place a `Ledger` is built: every table of every sheet read, and every problem."""
    tables, twice = counted_once(file, [table for read in reads for table in read.tables])
    tables = _stated_totals(reads, tables)
    notes = [*notes, *twice]
    problems: list[Problem] = []
    signature = _signature(reads, problems)
    for read in reads:
        problems.extend(read.cells.problems)
    problems.extend(notes)
    if not tables and any(read.foreign for read in reads):
        problems = [
            Problem(p.code, p.message, Severity.ERROR, p.file, p.sheet, p.cell, p.value)
            if p.code == codes.TABLE_FOREIGN_CURRENCY
            else p
            for p in problems
        ]
    first = tables[0] if tables else None
    single = len(tables) == 1
    return Ledger(
        file=file,
        sheet=first.sheet if first else reads[0].sheet.name,
        donations=tuple(d for table in tables for d in table.donations),
        declared_total=first.declared_total if first and single else None,
        declared_capitals=first.declared_capitals if first and single else None,
        signature=signature,
        title=_shared_title(tables),
        groups=first.groups if first else 1,
        problems=tuple(problems),
        tables=tuple(tables),
        notes=tuple(note for read in reads for note in read.facts.notes),
    )


_TITLE_TAIL = "（(【[-—_:：·, ，、 \u3000"


def _shared_title(tables: list[DonorTable]) -> str | None:
    """The title over all the lists: the one title, or what the titles of several lists share.

    ``…捐赠明细（交通银行账户）`` and ``…捐赠明细（农业银行账户）`` → ``…捐赠明细``: the bulletin merges the
    lists into one table, so one account's title must not stand above them all. What they share is
    used only when it ends where each title ends or goes on with a bracket, a dash or a colon: a
    title is never cut in the middle (``某某协会第一批…`` and ``某某协会第二批…`` share ``某某协会第``,
    which is no title), and then there is none, as for a list without a title.
    """
    titles = list(dict.fromkeys(t.title for t in tables if t.donations and t.title))
    if len(titles) <= 1:
        return titles[0] if titles else None
    shared = os.path.commonprefix(titles).rstrip(_TITLE_TAIL)
    if not all(title[len(shared) : len(shared) + 1] in ("", *_TITLE_TAIL) for title in titles):
        return None
    shared = shared.strip()
    return shared if len(shared) >= 4 else None


def _signature(reads: list[SheetRead], problems: list[Problem]) -> Signature:
    """The parts of the signature, each from the first sheet that gives it; the latest date."""
    values: dict[str, str] = {}
    dates: list[dt.date] = []
    roles: list[tuple[str, str]] = []
    for read in reads:
        facts = read.facts
        organisation = facts.organisation()
        for key, value in (*facts.values.items(), ("organisation", organisation)):
            if key == ORGANISATION and value != organisation:
                continue  # the 单位 label's value without its stamp mark: facts.organisation()
            if value and key not in values:
                values[key] = value
        date = facts.date or read.date_above
        if date is not None:
            dates.append(date)
        roles += facts.roles
        for r, c, text in facts.unrecognised:
            if text == organisation:
                continue
            read.cells.problem(
                codes.FOOTER_UNRECOGNISED,
                f"名单下方的“{text[:60]}”既不是捐款，也不是合计或签名栏，没有读取，也没有计入合计；"
                "如果这是单位名称或日期，请写成“单位：…”“日期：…”",
                r,
                c,
                text,
                warn=True,
            )
        for r, text in facts.organisations:
            if organisation_name(text) != organisation:
                read.cells.problem(
                    codes.FOOTER_UNRECOGNISED,
                    f"名单下方另有一行“{text[:60]}”，简报用的单位是“{organisation}”，这一行没有读取；"
                    "如果单位不对，请在名单下方写“单位：…”",
                    r,
                    0,
                    text,
                    warn=True,
                )
    signature = Signature(
        receiver=values.get("receiver"),
        supervisor=values.get("supervisor"),
        organisation=values.get("organisation"),
        date=max(dates) if dates else None,
        roles=tuple(roles),
    )
    # a label left empty is reported once, at its cell, when nothing else gave its item
    missing = {
        name
        for name in ("receiver", "supervisor", "organisation", "date")
        if getattr(signature, name) is None
    }
    for read in reads:
        missing -= empty_label_problems(read.cells, read.facts, missing)
    return signature


def _skipped(file: str, read: SheetRead) -> Problem:
    what = read.not_donor.looks_like if read.not_donor else f"前 {HEADER_SCAN_ROWS} 行没有捐款名单的表头"
    return Problem(
        codes.SHEET_SKIPPED,
        f"工作表“{read.sheet.name}”不是捐款名单（{what}），没有读取；如果其中也有捐款，请改成带“捐赠人”“金额”表头的名单",
        Severity.WARNING,
        file,
        read.sheet.name,
    )


def _hidden(file: str, sheet: Sheet) -> Problem:
    return Problem(
        codes.SHEET_HIDDEN,
        f"工作表“{sheet.name}”是隐藏的，没有读取（隐藏的工作表常是旧版本）；如果其中的捐款也要列入简报，请取消隐藏",
        Severity.WARNING,
        file,
        sheet.name,
    )


def _not_donor_list(file: str, read: SheetRead) -> Problem:
    table = read.not_donor
    assert table is not None
    col = next((c for c, column in enumerate(table.columns) if column.role), 0)
    return Problem(
        codes.SHEET_NOT_DONOR_LIST,
        f"工作表“{read.sheet.name}”第 {table.row + 1} 行的表头是“{table.words}”，看起来是{table.looks_like}，"
        "不是现金捐款名单，无法生成捐款简报。如果这是捐款名单，请加上捐赠人姓名列（如“捐赠人”“捐赠单位”）；"
        "否则请放入捐款名单的工作簿",
        Severity.ERROR,
        file,
        read.sheet.name,
        cell_name(table.row, col),
        table.words,
    )
