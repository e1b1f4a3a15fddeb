"""Check a parsed `Ledger` as a whole and return every problem, errors and warnings, in sheet order.

Pure: takes a `Ledger` (see ``toolkit.parse``) and returns `Problem` records; never raises for bad
input. `validate_ledger` returns the problems ``parse`` already recorded in ``Ledger.problems`` plus
the checks below, sorted by sheet, row and column (problems without a cell come last in their sheet).
A workbook may hold several donor tables (`Ledger.donor_tables`): every declared figure is checked
against the donations of its own table, and the bulletin's total is the exact sum of all of them.

Errors (the bulletin is not written):
    ``ledger.empty``
        a header was found but no donor below it (and no other error explains why).
    ``total.mismatch``
        a table's declared 合计 differs from the exact sum of its donations; the message gives both
        figures. (A 合计 under the last table of a sheet that equals the sum of all the sheet's tables is
        that sheet's grand total, and right.)
    ``capitals.mismatch``
        the declared 大写 reads as an amount that differs from the sum of its table's donations.
    ``capitals.invalid``
        the declared 大写 is not a valid capitals amount (``money.parse_capitals`` refused it).
    ``subtotal.mismatch``
        a 小计 differs from the sum of the donations it covers (the rows since the previous 小计 or
        heading, or the donors of the kind it names); the message gives both figures and the rows.

Warnings (the bulletin is still written):
    ``count.mismatch``
        the number of donors a table states (``共计746人次``) differs from the donations read; both
        figures are named.
    ``total.not_declared``
        a table read from a sheet declares no 合计 and no 大写: the bulletin's total is computed, and
        nothing in the sheet confirms it.
    ``signature.missing_receiver`` / ``signature.missing_supervisor`` / ``signature.missing_organisation`` /
    ``signature.missing_date``
        the bulletin leaves a blank line there, to be signed or written by hand. Not when ``parse``
        already reported it at a label left empty, and no ``missing_date`` when ``parse`` reported
        ``signature.date_unreadable``.
    ``serial.duplicate``
        two donors share one 序号; reported at the later donor's 序号 cell, naming the rows.
    ``serial.out_of_sequence``
        the 序号 do not run 1, 2, 3... without gaps (a number is skipped, or the first is not 1). Only
        checked when every donor row could be read: a refused row (bad amount...) leaves a gap of its own.

Serial problems are warnings, not errors: the bulletin lists every donor in the workbook's order and
renumbers nothing, and the amounts and the total are still right. The clerk should still look, because a
gap or a duplicate often means a row was lost or pasted twice, so each warning names the rows involved.
(The cell of a serial problem is the donor's 序号 cell, ``Donation.serial_cell``; a donation built
without one is reported at its name cell, on the same row.)

When a row's amount could not be read, the sum leaves it out; ``total.mismatch`` and
``capitals.mismatch`` then say so, since the difference may disappear once the row is fixed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from toolkit import codes, money
from toolkit.errors import InvalidAmount, Problem, Severity
from toolkit.records import Declared, Donation, DonorTable, Ledger

__all__ = ["validate_ledger"]

_CELL = re.compile(r"^([A-Z]+)(\d+)$")
_ROW_CODES = frozenset(
    {
        codes.AMOUNT_NOT_A_NUMBER,
        codes.AMOUNT_NEGATIVE,
        codes.AMOUNT_ZERO,
        codes.AMOUNT_TOO_MANY_DECIMALS,
        codes.AMOUNT_OUT_OF_RANGE,
        codes.AMOUNT_MISSING,
        codes.AMOUNT_FORMULA_WITHOUT_VALUE,
        codes.AMOUNT_FOREIGN_CURRENCY,
        codes.CELL_ERROR_VALUE,
        codes.NAME_MISSING,
        codes.NAME_TOO_LONG,
    }
)
# Rows that were read but left out: a gap in the 序号 is then no sign of a lost row.
_GAP_CODES = _ROW_CODES | {codes.TABLE_FOREIGN_CURRENCY}
_SIGNATURE = (
    ("receiver", codes.SIGNATURE_MISSING_RECEIVER, "收款人", "收款人：姓名"),
    ("supervisor", codes.SIGNATURE_MISSING_SUPERVISOR, "监督人", "监督人：姓名"),
    ("organisation", codes.SIGNATURE_MISSING_ORGANISATION, "单位", "单位：组织名称"),
    ("date", codes.SIGNATURE_MISSING_DATE, "日期", "日期：2020年2月5日"),
)


def validate_ledger(ledger: Ledger) -> tuple[Problem, ...]:
    """Every problem of ``ledger``: its parse problems plus the whole-ledger checks, sorted by location.

    See the module docstring for the codes. Each problem names the file, sheet and cell (when there is
    one), the value found and, in Chinese, what to do.
    """
    problems = list(ledger.problems)
    found = {p.code for p in problems}
    if codes.HEADER_NOT_FOUND in found or codes.SHEET_NOT_DONOR_LIST in found:
        return tuple(sorted(problems, key=_location))
    if ledger.donations:
        skipped = {
            sheet: sum(1 for p in ledger.problems if p.code in _ROW_CODES and p.sheet == sheet)
            for sheet in {t.sheet for t in ledger.donor_tables()}
        }
        before: dict[str, Decimal] = {}
        covered = _under_a_grand_total(ledger.donor_tables())
        for table in ledger.donor_tables():
            if not table.donations:
                continue
            gaps = not any(p.code in _GAP_CODES and p.sheet == table.sheet for p in ledger.problems)
            for run in _numbered_runs(table):
                problems += _serial_problems(ledger, run, gaps=gaps, blank=table.blank_serials)
            total = table.total
            so_far = before.get(table.sheet, Decimal(0)) + total
            before[table.sheet] = so_far
            problems += _total_problems(ledger, table, total, so_far, skipped.get(table.sheet, 0))
            problems += _figure_problems(ledger, table, total, skipped.get(table.sheet, 0), covered)
        problems += _signature_problems(ledger, found)
    elif not any(p.is_error for p in problems):
        problems.append(
            _problem(
                ledger,
                codes.LEDGER_EMPTY,
                "找到了表头，但表头下面没有捐款记录；请在表头下逐行填写捐赠姓名和金额",
            )
        )
    return tuple(sorted(problems, key=_location))


def _location(problem: Problem) -> tuple[str, int, int]:
    m = _CELL.match(problem.cell)
    if m is None:
        return (problem.sheet, 1 << 30, 0)
    col = 0
    for letter in m[1]:
        col = col * 26 + ord(letter) - 64
    return (problem.sheet, int(m[2]), col)


def _problem(
    ledger: Ledger,
    code: str,
    message: str,
    *,
    cell: str = "",
    value: str = "",
    sheet: str | None = None,
    warn: bool = False,
) -> Problem:
    severity = Severity.WARNING if warn else Severity.ERROR
    return Problem(
        code, message, severity, ledger.file, ledger.sheet if sheet is None else sheet, cell, value
    )


def _row(cell: str) -> str:
    m = _CELL.match(cell)
    return m[2] if m else "?"


def _numbered_runs(table: DonorTable) -> list[tuple[Donation, ...]]:
    """The runs of donors numbered 1, 2, 3…: the table, or each section when every section restarts at 1.

    Lists split into 一、单位捐款 / 二、个人捐款 often number each section from 1; that is no duplicate.
    """
    sections = [s.donations for s in table.sections if s.donations]
    firsts = [next((d.serial for d in run if d.serial is not None), None) for run in sections]
    if len(sections) < 2 or any(first != 1 for first in firsts):
        return [table.donations]
    in_sections = {id(d) for run in sections for d in run}
    before = tuple(d for d in table.donations if id(d) not in in_sections)
    return [run for run in (before, *sections) if run]


def _serial_problems(
    ledger: Ledger, donations: tuple[Donation, ...], *, gaps: bool, blank: frozenset[int] = frozenset()
) -> list[Problem]:
    """Duplicate 序号, and gaps not explained by ``blank`` (pre-numbered rows left empty)."""
    serials = [d.serial for d in donations if d.serial is not None]
    if serials == list(range(1, len(serials) + 1)):
        return []  # the usual list, numbered 1, 2, 3... in order: nothing to report
    first: dict[int, Donation] = {}
    problems: list[Problem] = []
    for other in donations:
        serial = other.serial
        if serial is None:
            continue
        donation = first.setdefault(serial, other)
        if donation is not other:
            problems.append(
                _problem(
                    ledger,
                    codes.SERIAL_DUPLICATE,
                    f"序号 {serial} 重复：第 {_row(donation.name_cell)} 行（{donation.donor}）和第 {_row(other.name_cell)} 行"
                    f"（{other.donor}）都是 {serial}；简报照表格原样列出，请核对是否重复录入或序号写错",
                    cell=other.serial_cell or other.name_cell,
                    value=str(serial),
                    sheet=other.sheet,
                    warn=True,
                )
            )
    if not gaps:
        return problems
    previous = 0
    for serial in sorted(first):
        if serial != previous + 1 and not set(range(previous + 1, serial)) <= blank:
            donation = first[serial]
            if previous == 0:
                what = f"序号从 {serial} 开始，而不是从 1 开始"
            else:
                missing = f"{previous + 1}" if serial == previous + 2 else f"{previous + 1}～{serial - 1}"
                what = f"序号 {previous} 之后是 {serial}（第 {_row(donation.name_cell)} 行），缺少 {missing}"
            problems.append(
                _problem(
                    ledger,
                    codes.SERIAL_OUT_OF_SEQUENCE,
                    f"{what}；请核对是否漏填了捐款人，或序号写错",
                    cell=donation.serial_cell or donation.name_cell,
                    value=str(serial),
                    sheet=donation.sheet,
                    warn=True,
                )
            )
        previous = serial
    return problems


def _total_problems(
    ledger: Ledger, table: DonorTable, total: Decimal, so_far: Decimal, skipped: int
) -> list[Problem]:
    """The 合计 and 大写 of one table against its sum ``total``; ``so_far`` sums its sheet's tables so far."""
    shown = money.format_amount(total)
    note = f"（另有 {skipped} 处金额或姓名有误，未计入相加结果，改正后请再核对）" if skipped else ""
    problems: list[Problem] = []
    declared = table.declared_total
    if declared is not None and isinstance(declared.value, Decimal) and declared.value not in (total, so_far):
        difference = money.format_amount(abs(declared.value - total))
        problems.append(
            _problem(
                ledger,
                codes.TOTAL_MISMATCH,
                f"合计写的是 {money.format_amount(declared.value)}，但各笔金额相加是 {shown}，相差 {difference}{note}；"
                "请核对各笔金额或改正合计",
                cell=declared.cell,
                value=declared.raw,
                sheet=declared.sheet,
            )
        )
    if declared is not None and isinstance(declared.value, Decimal) and declared.value == so_far != total:
        total = so_far  # the sheet's grand total under its last table: its 大写 says the same
    capitals = table.declared_capitals
    if capitals is not None and isinstance(capitals.value, str):
        problems += _capitals_problems(ledger, total, capitals, note)
    return problems


def _under_a_grand_total(tables: Iterable[DonorTable]) -> set[int]:
    """The tables (by ``id``) that a later table of their sheet sums up in its 合计: the sheet's grand
    total under its last table covers the tables above it, which then need no 合计 of their own."""
    covered: set[int] = set()
    above: dict[str, list[DonorTable]] = {}
    for table in tables:
        earlier = above.setdefault(table.sheet, [])
        value = table.declared_total.value if table.declared_total is not None else None
        if earlier and isinstance(value, Decimal) and value == sum((t.total for t in earlier), table.total):
            covered.update(id(t) for t in earlier)
        earlier.append(table)
    return covered


def _figure_problems(
    ledger: Ledger, table: DonorTable, total: Decimal, skipped: int, covered: set[int]
) -> list[Problem]:
    """A table's 小计s, its declared count, and a note when it declares no total at all (unless a
    later table's 合计 sums it up: ``covered``)."""
    note = f"（另有 {skipped} 处金额或姓名有误，未计入相加结果，改正后请再核对）" if skipped else ""
    problems: list[Problem] = []
    for subtotal in table.subtotals:
        declared = subtotal.declared
        if isinstance(declared.value, Decimal) and declared.value != subtotal.computed:
            difference = money.format_amount(abs(declared.value - subtotal.computed))
            problems.append(
                _problem(
                    ledger,
                    codes.SUBTOTAL_MISMATCH,
                    f"{subtotal.label}写的是 {money.format_amount(declared.value)}，但{subtotal.scope}的各笔金额"
                    f"相加是 {money.format_amount(subtotal.computed)}，相差 {difference}{note}；请核对各笔金额或改正小计",
                    cell=declared.cell,
                    value=declared.raw,
                    sheet=declared.sheet,
                )
            )
    count = table.declared_count
    if count is not None and isinstance(count.value, Decimal) and count.value != len(table.donations):
        problems.append(
            _problem(
                ledger,
                codes.COUNT_MISMATCH,
                f"名单写的是共 {money.format_amount(count.value)} 笔（人次），但名单中读到 {len(table.donations)} 笔捐款"
                f"{note}；简报按读到的 {len(table.donations)} 笔列出，合计不受影响。请核对人数是否写错，或是否漏填了捐款人",
                cell=count.cell,
                value=count.raw,
                sheet=count.sheet,
                warn=True,
            )
        )
    declares = table.declared_total is not None or table.declared_capitals is not None
    if ledger.tables and not declares and id(table) not in covered:
        several = sum(t.sheet == table.sheet for t in ledger.tables) > 1
        figure = money.format_amount(total)
        said = (
            f"表头在 {table.header} 的名单没有合计行，它的各笔金额相加是 {figure} 元，"
            if several
            else f"名单没有合计行，简报中的合计 {figure} 元是把各笔金额相加得出的，"
        )
        problems.append(
            _problem(
                ledger,
                codes.TOTAL_NOT_DECLARED,
                f"{said}表格里没有数字可以核对它；请核对，或在名单下方加一行“合计”",
                sheet=table.sheet,
                warn=True,
            )
        )
    return problems


def _capitals_problems(ledger: Ledger, total: Decimal, capitals: Declared, note: str) -> list[Problem]:
    text = str(capitals.value)
    cell, sheet, raw = capitals.cell, capitals.sheet, capitals.raw
    try:
        expected = money.to_capitals(total)
    except InvalidAmount:
        expected = ""
    hint = f"，应为“{expected}”" if expected else ""
    try:
        written = money.parse_capitals(text)
    except InvalidAmount as exc:
        return [
            _problem(
                ledger,
                codes.CAPITALS_INVALID,
                f"大写“{text}”不是有效的人民币大写金额：{exc.reason}"
                + (
                    ""
                    if not expected or f"“{expected}”" in exc.reason
                    else f"；按各笔金额相加应为“{expected}”"
                ),
                cell=cell,
                value=raw or text,
                sheet=sheet,
            )
        ]
    if written == total:
        return []
    return [
        _problem(
            ledger,
            codes.CAPITALS_MISMATCH,
            f"大写“{text}”是 {money.format_amount(written)}，但各笔金额相加是 {money.format_amount(total)}{hint}{note}；"
            "请改正大写或核对各笔金额",
            cell=cell,
            value=raw or text,
            sheet=sheet,
        )
    ]


def _signature_problems(ledger: Ledger, found: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    for attribute, code, label, example in _SIGNATURE:
        if getattr(ledger.signature, attribute) is not None:
            continue
        if code in found or (attribute == "date" and codes.SIGNATURE_DATE_UNREADABLE in found):
            continue  # parse reported it at the cell: a label left empty, or a date it cannot read
        problems.append(
            _problem(
                ledger,
                code,
                f"表格下方没有找到“{label}”，简报中这一项将留出空白横线，请手写；"
                f"如要自动填写，请在名单下方加一行“{example}”",
                warn=True,
            )
        )
    return problems
