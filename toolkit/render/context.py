"""The bulletin context: one ledger and one `Settings` in, every value the template shows out.

`build_context` formats everything once: amounts as ``500`` / ``15538.27``, the total in capitals,
dates as ``2020年2月5日``, the text settings with their ``{org}`` ``{date}`` … placeholders filled
(`toolkit.settings.PLACEHOLDERS`), and every string cleaned of characters XML 1.0 forbids. The donor
table comes from `toolkit.render.donors` (`DonorList`, packed in groups by `PackedRows`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from toolkit import codes
from toolkit.errors import Problem, SettingsError
from toolkit.money import format_amount, to_capitals
from toolkit.numerals import issue_line
from toolkit.records import Edition, Ledger
from toolkit.render.donors import EMPTY_CELL, DonorLine, DonorList, PackedRows, donor_list
from toolkit.render.lists import WAN, RoleLine, TableLine, role_lines, table_lines
from toolkit.settings import MAX_GROUPS, PLACEHOLDERS, Settings, allowed_placeholders
from toolkit.text import strip_xml_illegal

__all__ = [
    "EMPTY_CELL",
    "TEMPLATE_VARIABLES",
    "BulletinContext",
    "DistributionLine",
    "DonorLine",
    "DonorList",
    "PackedRows",
    "RoleLine",
    "TableLine",
    "build_context",
    "format_date_zh",
]


@dataclass(frozen=True, slots=True)
class DistributionLine:
    """One line of the closing 报送 / 抄报 / 发送 block: ``label``：``text``."""

    label: str
    text: str


@dataclass(frozen=True, slots=True)
class BulletinContext:
    """Everything the template may show, formatted once, from one ledger and one `Settings`.

    Every string is free of XML-illegal characters. The field names are the template variables
    (`TEMPLATE_VARIABLES`).

    Attributes:
        masthead: bulletin name, e.g. ``全国质协系统抗击疫情防控工作 简报``.
        issue: issue line, e.g. ``第八期``, ``第八期（更正）`` for a correction.
        issue_number: the issue number, e.g. ``8``.
        correction: 0, or ``n`` for the n-th 更正 of an issued bulletin.
        office: issuing office, printed left under the issue line.
        issue_date: the bulletin's date, printed right on that line (settings, else the ledger date).
        title: article title.
        intro: paragraph before the table (with the 个人/单位 sentence when donors are typed).
        heading: heading above the table: the workbook's title row, else ``{org}爱心捐款名单``.
        caption: caption under the table, e.g. ``图2 新疆质协爱心捐款名单``.
        org: the organisation (workbook, else settings), ``""`` when neither has one.
        date: the workbook's date as ``2020年2月5日``, ``""`` when missing.
        receiver: 收款人, ``""`` when missing (the template prints a line to sign on).
        supervisor: 监督人, ``""`` when missing.
        total: the exact total as shown, e.g. ``50000``.
        total_capitals: the total in capitals, e.g. ``伍万元整``.
        running_total: the total of this bulletin and every earlier one in the output folder's
            register, as shown (the bulletin's own total when there is no register).
        count: number of donors.
        personal_total: sum of the 个人 donations as shown (``0`` without a 类型 column).
        company_total: sum of the 单位 donations as shown.
        has_kinds: True when donors are typed 个人/单位.
        groups: number of 序号/姓名/金额 groups side by side (1 to `toolkit.settings.MAX_GROUPS`).
        group_numbers: ``(1, …, groups)``, for the header row's column loop.
        rows: ``ceil(count / groups)`` rows of ``groups`` `DonorLine` cells each (`PackedRows`);
            group ``g`` (0-based) holds donors ``g*R+1 …`` so numbering runs down, then across;
            the last cells are `EMPTY_CELL` padding.
        donors: every donor in order (`DonorList`), for single-column templates.
        distribution: the 报送/抄报/发送 lines, empty to hide the block.
        source_file: the workbook's file name.
        source_unit: ``"万元"`` when the workbook wrote amounts in 万元 (shown here in 元), else ``""``.
        tables: one `TableLine` per donor list read (one per sheet, or more), in order.
        roles: other people named under the list (经手人, 审核人…), as `RoleLine` items.
        notes: the ``注：…`` lines under the list, as written.
    """

    masthead: str
    issue: str
    issue_number: int
    correction: int
    office: str
    issue_date: str
    title: str
    intro: str
    heading: str
    caption: str
    org: str
    date: str
    receiver: str
    supervisor: str
    total: str
    total_capitals: str
    running_total: str
    count: int
    personal_total: str
    company_total: str
    has_kinds: bool
    groups: int
    group_numbers: tuple[int, ...]
    rows: PackedRows
    donors: DonorList
    distribution: tuple[DistributionLine, ...]
    source_file: str
    source_unit: str = ""
    tables: tuple[TableLine, ...] = ()
    roles: tuple[RoleLine, ...] = ()
    notes: tuple[str, ...] = ()

    def as_template_vars(self) -> dict[str, Any]:
        """The mapping docxtpl renders with: one entry per field."""
        return {name: getattr(self, name) for name in TEMPLATE_VARIABLES}


TEMPLATE_VARIABLES: tuple[str, ...] = tuple(f.name for f in fields(BulletinContext))
"""Every variable a template may use, in declaration order."""


def _clean(text: str) -> str:
    return strip_xml_illegal(text)[0]


def format_date_zh(value: dt.date | None) -> str:
    """``date(2020, 2, 5)`` → ``2020年2月5日``; ``None`` → ``""``."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def _fill(text: str, values: Mapping[str, str], key: str) -> str:
    """Setting ``key``'s text with its placeholders filled, cleaned."""
    try:
        return _clean(text.format_map(values))
    except (KeyError, ValueError, IndexError, AttributeError) as exc:
        raise SettingsError(
            Problem(
                codes.SETTINGS_PLACEHOLDER,
                f"设置项 {key} 的占位符有误（{exc}）。可用的占位符有 {allowed_placeholders()}，花括号请成对书写",
                value=text,
            )
        ) from None


def _first(*texts: str | None) -> str:
    """The first text given (the workbook's, then the settings' default), cleaned; else ``""``."""
    return _clean(next((text for text in texts if text), ""))


def build_context(
    ledger: Ledger,
    settings: Settings,
    *,
    capitals_fn: Callable[[Decimal], str] | None = None,
    amount_fn: Callable[[Decimal], str] | None = None,
    groups: int | None = None,
    edition: Edition | None = None,
) -> BulletinContext:
    """Build the one `BulletinContext` a bulletin is rendered from.

    Args:
        ledger: the parsed workbook (normally already validated).
        settings: bulletin settings; text settings may use ``{org}`` ``{date}`` ``{total}``
            ``{capitals}`` ``{count}`` ``{personal}`` ``{company}`` ``{running}``.
        capitals_fn: turns an amount into capitals; defaults to `toolkit.money.to_capitals`.
        amount_fn: formats an amount for display; defaults to `toolkit.money.format_amount`.
        groups: groups side by side in the table; defaults to ``settings.groups``.
        edition: the bulletin's issue number, correction and running total from the output
            folder's register; by default the first issue of ``settings`` on its own.

    Raises:
        SettingsError: a text setting has a malformed placeholder, or ``groups`` is not 1 to `MAX_GROUPS`.
    """
    show = amount_fn or format_amount
    group_count = _group_count(settings.groups if groups is None else groups)
    total, has_kinds = ledger.total, ledger.has_kinds  # each a pass over every donation: once
    edition = edition or Edition(settings.issue)
    running = edition.running_total if edition.running_total is not None else total
    values = placeholder_values(ledger, settings, total, show, capitals_fn or to_capitals, running=running)
    org, date = values["org"], format_date_zh(ledger.signature.date)
    donors = donor_list(ledger, show, mask=settings.mask_names)
    return BulletinContext(
        masthead=_fill(settings.masthead, values, "masthead"),
        issue=issue_line(edition.number, edition.correction),
        issue_number=edition.number,
        correction=edition.correction,
        office=_fill(settings.office, values, "office"),
        issue_date=_fill(settings.issue_date, values, "issue_date") if settings.issue_date else date,
        title=_fill(settings.title, values, "title") if settings.title else f"{org}爱心捐款情况",
        intro=_intro(ledger, settings, values, show, total=total, has_kinds=has_kinds, running=running),
        heading=_clean(ledger.title) if ledger.title else f"{org}爱心捐款名单",
        caption=_fill(settings.caption, values, "caption"),
        org=org,
        date=date,
        receiver=_first(ledger.signature.receiver, settings.receiver),
        supervisor=_first(ledger.signature.supervisor, settings.supervisor),
        total=values["total"],
        total_capitals=values["capitals"],
        running_total=values["running"],
        count=len(ledger.donations),
        personal_total=values["personal"],
        company_total=values["company"],
        has_kinds=has_kinds,
        groups=group_count,
        group_numbers=tuple(range(1, group_count + 1)),
        rows=PackedRows(donors, group_count),
        donors=donors,
        distribution=tuple(
            DistributionLine(_fill(label, values, "distribution"), _fill(text, values, "distribution"))
            for label, text in settings.distribution
        ),
        source_file=_clean(ledger.file),
        source_unit=WAN if WAN in ledger.units else "",
        tables=table_lines(ledger, show),
        roles=role_lines(ledger),
        notes=tuple(_clean(note) for note in ledger.notes),
    )


def _group_count(groups: int) -> int:
    if not 1 <= groups <= MAX_GROUPS:
        raise SettingsError(
            Problem(codes.SETTINGS_INVALID, f"设置项 groups：应在 1 到 {MAX_GROUPS} 之间，实际是 {groups}")
        )
    return groups


def placeholder_values(
    ledger: Ledger,
    settings: Settings,
    total: Decimal,
    show: Callable[[Decimal], str],
    capitals: Callable[[Decimal], str],
    *,
    running: Decimal | None = None,
) -> dict[str, str]:
    """What each of `toolkit.settings.PLACEHOLDERS` stands for in this bulletin, cleaned.

    ``total`` is ``ledger.total``; ``show`` and ``capitals`` format an amount and write it in
    capitals; ``running`` is the register's running total (by default ``total``).
    """
    values = {
        "org": _first(ledger.signature.organisation, settings.organisation),
        "date": format_date_zh(ledger.signature.date) or "目前",  # 截至目前 reads naturally without a date
        "total": _clean(show(total)),
        "capitals": _clean(capitals(total)),
        "count": str(len(ledger.donations)),
        "personal": _clean(show(ledger.subtotal("个人"))),
        "company": _clean(show(ledger.subtotal("单位"))),
        "running": _clean(show(total if running is None else running)),
    }
    return {name: values[name] for name in PLACEHOLDERS}


def _intro(
    ledger: Ledger,
    settings: Settings,
    values: Mapping[str, str],
    show: Callable[[Decimal], str],
    *,
    total: Decimal,
    has_kinds: bool,
    running: Decimal,
) -> str:
    """The paragraph before the table.

    Added to the ``intro`` setting: the 个人/单位 sentence when donors are typed; when the workbook
    holds several lists (one per bank account…), one clause per list with its total and count, so
    the one merged table still shows what each list gave; when amounts were in 万元, that they are
    shown in 元; and the running-total sentence when earlier bulletins count.
    """
    intro = _fill(settings.intro, values, "intro")
    if has_kinds and settings.intro_kinds:
        intro += _fill(settings.intro_kinds, values, "intro_kinds")
        untyped = total - ledger.subtotal("个人") - ledger.subtotal("单位")
        if untyped and "{personal}" in settings.intro_kinds and "{company}" in settings.intro_kinds:
            # the two subtotals alone would not add up to the total the reader just saw
            intro += f"另有未注明个人或单位的捐款{_clean(show(untyped))}元。"
    lines = table_lines(ledger, show) if len(ledger.tables) > 1 else ()
    if lines:
        intro += "其中" + "，".join(f"{line.name}{line.total}元（{line.count}笔）" for line in lines) + "。"
    if WAN in ledger.units:
        intro += "名单中的金额原以万元为单位，已换算为元。"
    if settings.intro_running and running != total:
        intro += _fill(settings.intro_running, values, "intro_running")
    return intro
