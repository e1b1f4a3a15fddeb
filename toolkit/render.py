"""Render a `Ledger` into a Word bulletin (简报): template bytes and records in, docx bytes out.

Three steps, all pure (no filesystem):

1. `build_context` turns the ledger and the `Settings` into one `BulletinContext`: every string the
   template shows, already formatted (amounts as ``500`` / ``15538.27``, capitals, dates as
   ``2020年2月5日``) and cleaned of characters XML 1.0 forbids. The donor table is packed in
   ``groups`` groups side by side; numbering runs down each group, then across.
2. `load_template` opens and checks a docxtpl template once (syntax, unknown variables) and keeps
   the patched XML and compiled Jinja code for every later render (``toolkit watch`` reuses it).
3. `render_bulletin` renders with docxtpl in a sandboxed, autoescaping, strict Jinja environment.

Speed: a docxtpl row loop over 100,000 donors takes half a minute. When the template only prints the
donor fields inside its row loops (the default template does), the template is rendered once with a
single *sentinel* row whose cells hold unique markers; the rendered ``<w:tr>`` holding the markers
becomes a string pattern that is filled for every real row with pre-escaped values. Any other use of
``rows`` or ``donors`` falls back to a plain docxtpl render with the real data, which gives the same
document, only slower.

A gate proves the result well-formed and complete, or raises `RenderFailed`: after a plain render it
parses ``word/document.xml`` strictly and counts every donor name; after the fast render it parses
only the small sentinel document, proves the sentinel row a balanced element whose markers are all
``<w:t>`` text, and checks every escaped value is legal character data, so the expanded document is
well-formed and holds every donor by construction (no 37 MB parse, no tree in memory).
Long tables: a table of more than 1,000 rows is cut into consecutive tables of 300 rows, each with
the header rows, separated by a 1 pt paragraph (`_split_tables`; the fast render places the same
cuts as text), because LibreOffice lays out one long table in quadratic time.

`check_template` lints a template for ``toolkit template check``.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import logging
import math
import re
import secrets
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any, overload
from xml.sax.saxutils import quoteattr

from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, Template, meta, nodes
from jinja2 import TemplateError as JinjaTemplateError
from jinja2.exceptions import SecurityError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree
from markupsafe import escape

from toolkit import codes
from toolkit.errors import Problem, RenderFailed, SettingsError, Severity, TemplateError
from toolkit.money import format_amount, to_capitals
from toolkit.records import Ledger
from toolkit.settings import MAX_GROUPS, Settings, allowed_placeholders
from toolkit.text import strip_xml_illegal

__all__ = [
    "TEMPLATE_VARIABLES",
    "BulletinContext",
    "BulletinTemplate",
    "DistributionLine",
    "DonorLine",
    "DonorList",
    "EMPTY_CELL",
    "PackedRows",
    "TemplateReport",
    "build_context",
    "check_template",
    "format_date_zh",
    "load_template",
    "render_bulletin",
    "render_context",
]

log = logging.getLogger(__name__)

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W_T = f"{{{_W}}}t"
_W_P = f"{{{_W}}}p"


# --------------------------------------------------------------------------------------------
# Context
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DonorLine:
    """One cell group of the donor table, every field display-ready text.

    Attributes:
        serial: the 序号 shown (``"1"``), ``""`` in padding cells.
        donor: the donor's name, ``""`` in padding cells; no tabs, newlines or XML-illegal characters.
        amount: the amount as shown (``"500"``, ``"15538.27"``), ``""`` in padding cells.
        kind: ``"个人"``, ``"单位"`` or ``""``.
    """

    serial: str
    donor: str
    amount: str
    kind: str = ""


EMPTY_CELL = DonorLine("", "", "", "")


@dataclass(frozen=True, slots=True)
class DistributionLine:
    """One line of the closing 报送 / 抄报 / 发送 block: ``label``：``text``."""

    label: str
    text: str


@dataclass(frozen=True, slots=True)
class DonorList(Sequence[DonorLine]):
    """Every donor as display text, stored column by column; a `DonorLine` is built on access.

    Column storage keeps 100,000 donors cheap: the fast render reads the columns directly and
    never builds the per-donor records. All four columns have the same length.
    """

    serials: tuple[str, ...]
    names: tuple[str, ...]
    amounts: tuple[str, ...]
    kinds: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.serials)

    @overload
    def __getitem__(self, index: int) -> DonorLine: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[DonorLine, ...]: ...

    def __getitem__(self, index: int | slice) -> DonorLine | tuple[DonorLine, ...]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self))))
        return DonorLine(self.serials[index], self.names[index], self.amounts[index], self.kinds[index])

    def __iter__(self) -> Iterator[DonorLine]:
        return map(DonorLine, self.serials, self.names, self.amounts, self.kinds)

    def column(self, name: str) -> tuple[str, ...]:
        """One field of every donor: ``serial``, ``donor``, ``amount`` or ``kind``."""
        return {"serial": self.serials, "donor": self.names, "amount": self.amounts, "kind": self.kinds}[name]


@dataclass(frozen=True, slots=True)
class PackedRows(Sequence[tuple[DonorLine, ...]]):
    """The donor table packed ``groups`` groups side by side, numbered down each group then across.

    There are ``ceil(len(donors) / groups)`` rows; cell ``g`` of row ``r`` is donor ``g * rows + r``
    (0-based), or `EMPTY_CELL` past the last donor.
    """

    donors: DonorList
    groups: int

    @property
    def height(self) -> int:
        return math.ceil(len(self.donors) / self.groups)

    def __len__(self) -> int:
        return self.height

    @overload
    def __getitem__(self, index: int) -> tuple[DonorLine, ...]: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[tuple[DonorLine, ...], ...]: ...

    def __getitem__(self, index: int | slice) -> tuple[DonorLine, ...] | tuple[tuple[DonorLine, ...], ...]:
        height = self.height
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(height)))
        if index < 0:
            index += height
        if not 0 <= index < height:
            raise IndexError(index)
        count = len(self.donors)
        return tuple(
            self.donors[g * height + index] if g * height + index < count else EMPTY_CELL
            for g in range(self.groups)
        )

    def __iter__(self) -> Iterator[tuple[DonorLine, ...]]:
        return (self[r] for r in range(self.height))

    def column(self, cell: int, name: str) -> list[str]:
        """Field ``name`` of cell ``cell`` in every row, top to bottom (``""`` for padding)."""
        height = self.height
        values = list(self.donors.column(name)[cell * height : (cell + 1) * height])
        return values + [""] * (height - len(values))


@dataclass(frozen=True, slots=True)
class BulletinContext:
    """Everything the template may show, formatted once, from one ledger and one `Settings`.

    Every string is free of XML-illegal characters. The field names are the template variables
    (`TEMPLATE_VARIABLES`).

    Attributes:
        masthead: bulletin name, e.g. ``全国质协系统抗击疫情防控工作 简报``.
        issue: issue line, e.g. ``第八期``.
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
        count: number of donors.
        personal_total: sum of the 个人 donations as shown (``0`` without a 类型 column).
        company_total: sum of the 单位 donations as shown.
        has_kinds: True when donors are typed 个人/单位.
        groups: number of 序号/姓名/金额 groups side by side (1 to 6).
        group_numbers: ``(1, …, groups)``, for the header row's column loop.
        rows: ``ceil(count / groups)`` rows of ``groups`` `DonorLine` cells each (`PackedRows`);
            group ``g`` (0-based) holds donors ``g*R+1 …`` so numbering runs down, then across;
            the last cells are `EMPTY_CELL` padding.
        donors: every donor in order (`DonorList`), for single-column templates.
        distribution: the 报送/抄报/发送 lines, empty to hide the block.
        source_file: the workbook's file name.
    """

    masthead: str
    issue: str
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

    def as_template_vars(self) -> dict[str, Any]:
        """The mapping docxtpl renders with: one entry per field."""
        return {name: getattr(self, name) for name in TEMPLATE_VARIABLES}


TEMPLATE_VARIABLES: tuple[str, ...] = tuple(f.name for f in fields(BulletinContext))
"""Every variable a template may use, in declaration order."""

_WHITESPACE_CONTROLS = str.maketrans({"\t": " ", "\n": " ", "\r": " "})


def _clean(text: str) -> str:
    return strip_xml_illegal(text)[0]


def _clean_cells(values: list[str]) -> list[str]:
    """Clean many short strings at once: one pass over the joined text decides if any need work.

    Table cells also lose tabs and line breaks (a name is one line), so the plain and the fast
    render agree.
    """
    joined = "\n".join(values)
    _, changed = strip_xml_illegal(joined)
    if not changed and joined.count("\n") == len(values) - 1 and "\t" not in joined and "\r" not in joined:
        return values
    return [_clean(v).translate(_WHITESPACE_CONTROLS) for v in values]


def format_date_zh(value: dt.date | None) -> str:
    """``date(2020, 2, 5)`` → ``2020年2月5日``; ``None`` → ``""``."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def _fill(text: str, values: Mapping[str, str], key: str) -> str:
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


def build_context(
    ledger: Ledger,
    settings: Settings,
    *,
    capitals_fn: Callable[[Decimal], str] | None = None,
    amount_fn: Callable[[Decimal], str] | None = None,
    groups: int | None = None,
) -> BulletinContext:
    """Build the one `BulletinContext` a bulletin is rendered from.

    Args:
        ledger: the parsed workbook (normally already validated).
        settings: bulletin settings; text settings may use ``{org}`` ``{date}`` ``{total}``
            ``{capitals}`` ``{count}`` ``{personal}`` ``{company}``.
        capitals_fn: turns an amount into capitals; defaults to `toolkit.money.to_capitals`.
        amount_fn: formats an amount for display; defaults to `toolkit.money.format_amount`.
        groups: groups side by side in the table; defaults to ``settings.groups``.

    Raises:
        SettingsError: a text setting has a malformed placeholder.
    """
    capitals = capitals_fn or to_capitals
    show = amount_fn or format_amount
    group_count = groups if groups is not None else settings.groups
    if not 1 <= group_count <= MAX_GROUPS:
        raise SettingsError(
            Problem(
                codes.SETTINGS_INVALID, f"设置项 groups：应在 1 到 {MAX_GROUPS} 之间，实际是 {group_count}"
            )
        )

    signature = ledger.signature
    org = _clean(signature.organisation or settings.organisation or "")
    date = format_date_zh(signature.date)
    total = ledger.total
    shown_total = _clean(show(total))
    total_capitals = _clean(capitals(total))
    has_kinds = ledger.has_kinds
    personal = _clean(show(ledger.subtotal("个人")))
    company = _clean(show(ledger.subtotal("单位")))
    values = {
        "org": org,
        "date": date or "目前",  # 截至目前 reads naturally when the workbook has no date
        "total": shown_total,
        "capitals": total_capitals,
        "count": str(len(ledger.donations)),
        "personal": personal,
        "company": company,
    }
    intro = _fill(settings.intro, values, "intro")
    if has_kinds and settings.intro_kinds:
        intro += _fill(settings.intro_kinds, values, "intro_kinds")
        untyped = total - ledger.subtotal("个人") - ledger.subtotal("单位")
        if untyped and "{personal}" in settings.intro_kinds and "{company}" in settings.intro_kinds:
            # the two subtotals alone would not add up to the total the reader just saw
            intro += f"另有未注明个人或单位的捐款{_clean(show(untyped))}元。"
    title = _fill(settings.title, values, "title") if settings.title else f"{org}爱心捐款情况"
    heading = _clean(ledger.title) if ledger.title else f"{org}爱心捐款名单"
    issue_date = _fill(settings.issue_date, values, "issue_date") if settings.issue_date else date

    donors = _donor_list(ledger, show)
    rows = PackedRows(donors, group_count)
    distribution = tuple(
        DistributionLine(_fill(label, values, "distribution"), _fill(text, values, "distribution"))
        for label, text in settings.distribution
    )
    return BulletinContext(
        masthead=_fill(settings.masthead, values, "masthead"),
        issue=_fill(settings.issue, values, "issue"),
        office=_fill(settings.office, values, "office"),
        issue_date=issue_date,
        title=title,
        intro=intro,
        heading=heading,
        caption=_fill(settings.caption, values, "caption"),
        org=org,
        date=date,
        receiver=_clean(signature.receiver or settings.receiver or ""),
        supervisor=_clean(signature.supervisor or settings.supervisor or ""),
        total=shown_total,
        total_capitals=total_capitals,
        count=len(ledger.donations),
        personal_total=personal,
        company_total=company,
        has_kinds=has_kinds,
        groups=group_count,
        group_numbers=tuple(range(1, group_count + 1)),
        rows=rows,
        donors=donors,
        distribution=distribution,
        source_file=_clean(ledger.file),
    )


def _donor_list(ledger: Ledger, show: Callable[[Decimal], str]) -> DonorList:
    donations = ledger.donations
    # The workbook's own numbering when every row has one, else 1..N (never a mix of both).
    workbook_serials = [d.serial for d in donations]
    if None in workbook_serials:
        serials = list(map(str, range(1, len(donations) + 1)))
    else:
        serials = list(map(str, workbook_serials))
    # formatting is cheaper than hashing a Decimal to reuse a result: no memo
    shown = list(map(show, [d.amount for d in donations]))
    return DonorList(
        serials=tuple(serials),
        names=tuple(_clean_cells([d.donor for d in donations])),
        amounts=tuple(_clean_cells(shown)),
        kinds=tuple(_clean_cells([d.kind or "" for d in donations])),
    )


# --------------------------------------------------------------------------------------------
# Template loading
# --------------------------------------------------------------------------------------------


class _Environment(SandboxedEnvironment):
    """A strict, autoescaping sandbox that compiles each distinct source only once."""

    def __init__(self) -> None:
        super().__init__(undefined=StrictUndefined, autoescape=True)
        self._compiled: dict[str, Template] = {}

    def from_string(
        self, source: str | nodes.Template, globals: Any = None, template_class: Any = None
    ) -> Template:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        compiled = self._compiled.get(source)
        if compiled is None:
            compiled = self._compiled[source] = super().from_string(source)
        return compiled


class _CachedDocxTemplate(DocxTemplate):  # type: ignore[misc]
    """docxtpl's template, with its XML patching memoised across renders of the same bytes."""

    def __init__(self, data: bytes, patched: dict[str, str]) -> None:
        super().__init__(io.BytesIO(data))
        self._patched = patched

    def patch_xml(self, src_xml: str) -> str:
        hit = self._patched.get(src_xml)
        if hit is None:
            hit = self._patched[src_xml] = super().patch_xml(src_xml)
        return hit


@dataclass(frozen=True, slots=True, eq=False)
class BulletinTemplate:
    """A checked Word template, ready to render many times (`load_template` builds it).

    Attributes:
        data: the template's bytes.
        variables: template variables it uses (all in `TEMPLATE_VARIABLES`).
        fast_loops: ``rows`` and/or ``donors`` when every use of them is a plain row loop that only
            prints donor fields, so the fast sentinel render applies; empty means plain docxtpl.
        shows_donors: True when the template prints donor names (the gate then checks them all).
        grid_columns: columns of each table in the template body, in document order.
    """

    data: bytes
    variables: frozenset[str]
    fast_loops: tuple[str, ...]
    shows_donors: bool
    grid_columns: tuple[int, ...]
    _env: _Environment = field(repr=False)
    _patched: dict[str, str] = field(repr=False)


def _template_problem(code: str, message: str, value: str = "") -> TemplateError:
    return TemplateError(Problem(code, message, value=value))


def _open_docx(data: bytes) -> _CachedDocxTemplate:
    """Open template bytes with python-docx, mapping every failure to one `TemplateError`."""
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise _template_problem(
            codes.TEMPLATE_UNREADABLE,
            "Word 模板是旧版 .doc 格式（或已加密），无法使用。请在 Word 中“另存为”.docx 格式后再试",
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _template_problem(
            codes.TEMPLATE_UNREADABLE,
            "Word 模板不是有效的 .docx 文件（可能已损坏或不是 Word 文档）。请换用 .docx 模板",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        names = set()
    if "xl/workbook.xml" in names:
        raise _template_problem(
            codes.TEMPLATE_UNREADABLE,
            "这是 Excel 工作簿，不是 Word 模板。--template 和 toolkit template check 需要 .docx 格式的 Word 模板",
        )
    if "word/document.xml" not in names:
        raise _template_problem(
            codes.TEMPLATE_UNREADABLE,
            "这个文件不是 Word 文档（压缩包里没有 Word 正文）。请换用 .docx 格式的 Word 模板",
        )
    doc = _CachedDocxTemplate(data, {})
    try:
        doc.init_docx()
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml and OPC errors alike
        log.debug("python-docx cannot open the template: %s: %s", type(exc).__name__, exc)
        raise _template_problem(
            codes.TEMPLATE_UNREADABLE,
            "Word 模板无法打开（文件已损坏或不是 Word 保存的 .docx）。请用 Word 打开并另存为 .docx 后再试",
        ) from None
    return doc


def _paragraph_lines(xml: str) -> str:
    """Put each paragraph on its own line, as docxtpl does before Jinja sees the XML."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)


def _strip_tags(xml: str) -> str:
    return re.sub(r"<[^>]+>", "", xml).strip()


@dataclass(frozen=True, slots=True)
class _Part:
    """One piece of template text Jinja renders: the body, a header/footer or a core property."""

    name: str
    source: str


def _template_parts(doc: _CachedDocxTemplate) -> list[_Part]:
    from docx.oxml import parse_xml

    parts = [_Part("正文", _paragraph_lines(doc.patch_xml(doc.get_xml())))]
    for uri, label in ((doc.HEADER_URI, "页眉"), (doc.FOOTER_URI, "页脚")):
        for _, part in doc.get_headers_footers(uri):
            xml = doc.xml_to_string(parse_xml(part.blob))
            parts.append(_Part(label, _paragraph_lines(doc.patch_xml(xml))))
    props = doc.docx.core_properties
    for name in ("author", "comments", "keywords", "subject", "title", "category", "content_status"):
        value = getattr(props, name, None)
        if isinstance(value, str) and value:
            parts.append(_Part(f"文档属性 {name}", value))
    return parts


def _where(part: _Part, lineno: int | None) -> tuple[str, str]:
    """``(location, paragraph)``: ``正文段落“…”`` and ``段落“…”`` for a line of ``part``."""
    lines = part.source.splitlines()
    where = ""
    if lineno and 0 < lineno <= len(lines):
        text = _strip_tags(lines[lineno - 1])
        if text:
            where = f"段落“{text[:80]}”"
    return (f"{part.name}{where}" if where else part.name), where


def _syntax_error(part: _Part, exc: TemplateSyntaxError) -> TemplateError:
    location, where = _where(part, exc.lineno)
    unknown = _UNKNOWN_FILTER.match(exc.message or "")
    if unknown:
        return _unknown_filter(location, where, unknown.group(1), unknown.group(2))
    return _template_problem(
        codes.TEMPLATE_SYNTAX,
        f"Word 模板{location}中的模板标记有语法错误：{exc.message}。请检查 {{{{ }}}} 与 {{% %}} 是否成对、完整",
        value=where,
    )


# Jinja's compile-time message for an unknown filter or test
_UNKNOWN_FILTER = re.compile(r"No (filter|test) named '([^']*)'")


def _unknown_filter(location: str, where: str, kind: str, name: str) -> TemplateError:
    if kind == "filter":
        what, common = "过滤器（| 后面的词）", "常用的过滤器有 length、default、upper、lower、replace、round"
    else:
        what, common = "判断（is 后面的词）", "常用的判断有 defined、none、number、string"
    return _template_problem(
        codes.TEMPLATE_UNKNOWN_FILTER,
        f"Word 模板{location}用了不存在的{what}“{name}”。请改正拼写或删去它；{common}",
        value=where,
    )


_REFERENCES: dict[type[nodes.Node], str] = {
    nodes.Extends: "extends",
    nodes.Include: "include",
    nodes.Import: "import",
    nodes.FromImport: "from … import",
}


def _lint(part: _Part, ast: nodes.Template, env: _Environment) -> list[TemplateError]:
    """Errors Jinja would only raise while rendering (or as an English traceback), found up front.

    Unknown filters and tests (``template.unknown_filter``), attributes the sandbox refuses
    (``template.unsafe``: names starting with ``_``) and references to other templates
    (``template.unsupported``), each naming the paragraph.
    """
    errors: list[TemplateError] = []
    for node in ast.find_all((nodes.Filter, nodes.Test)):
        known = env.filters if isinstance(node, nodes.Filter) else env.tests
        if node.name not in known:
            location, where = _where(part, node.lineno)
            kind = "filter" if isinstance(node, nodes.Filter) else "test"
            errors.append(_unknown_filter(location, where, kind, node.name))
    for access in ast.find_all((nodes.Getattr, nodes.Getitem)):
        attr = (
            access.attr
            if isinstance(access, nodes.Getattr)
            else getattr(getattr(access, "arg", None), "value", None)
        )
        if isinstance(attr, str) and attr.startswith("_"):
            location, where = _where(part, access.lineno)
            errors.append(_unsafe(f"Word 模板{location}", attr, where))
    for reference in ast.find_all(tuple(_REFERENCES)):
        location, where = _where(part, reference.lineno)
        errors.append(
            _template_problem(
                codes.TEMPLATE_UNSUPPORTED,
                f"Word 模板{location}用了 {{% {_REFERENCES[type(reference)]} %}}，toolkit 的模板不能引用其他模板。"
                "请把需要的内容直接写进这个 Word 模板",
                value=where,
            )
        )
    return errors


def _unsafe(location: str, attr: str, where: str = "") -> TemplateError:
    return _template_problem(
        codes.TEMPLATE_UNSAFE,
        f"{location}访问了不允许使用的内容“{attr}”。模板只能显示 toolkit 提供的变量和名单字段"
        "（serial、donor、amount、kind），请删去这个标记",
        value=where or attr,
    )


def _unknown_error(unknown: Iterable[str]) -> TemplateError:
    names = "、".join(sorted(unknown))
    available = "、".join(TEMPLATE_VARIABLES)
    return _template_problem(
        codes.TEMPLATE_UNKNOWN_VARIABLE,
        f"Word 模板使用了未知的变量 {names}。可用的变量有：{available}",
        value=names,
    )


def load_template(data: bytes) -> BulletinTemplate:
    """Open, check and prepare a docxtpl template once; reuse the result for every render.

    Raises:
        TemplateError: the bytes are not a .docx (``template.unreadable``), a tag has a syntax
            error (``template.syntax``, naming the paragraph), or the template uses variables
            toolkit does not provide (``template.unknown_variable``, listing the available ones).
    """
    doc = _open_docx(data)
    env = _Environment()
    used: set[str] = set()
    body: nodes.Template | None = None
    for part in _template_parts(doc):
        try:
            ast = env.parse(part.source)
        except TemplateSyntaxError as exc:
            raise _syntax_error(part, exc) from None
        lint = _lint(part, ast, env)
        if lint:
            raise lint[0]
        try:
            used |= meta.find_undeclared_variables(ast)
        except TemplateSyntaxError as exc:  # TemplateAssertionError from Jinja's code generator
            raise _syntax_error(part, exc) from None
        if body is None:
            body = ast
    used -= set(env.globals)
    unknown = used - set(TEMPLATE_VARIABLES)
    if unknown:
        raise _unknown_error(unknown)
    assert body is not None
    patched = doc._patched
    template = BulletinTemplate(
        data=data,
        variables=frozenset(used),
        fast_loops=_fast_loops(body),
        shows_donors=any(n.attr == "donor" for n in body.find_all(nodes.Getattr)),
        grid_columns=_grid_columns(doc.docx.element.body),
        _env=env,
        _patched=patched,
    )
    log.debug("template loaded: fast loops %s, variables %s", template.fast_loops, sorted(used))
    return template


def _grid_columns(body: Any) -> tuple[int, ...]:
    counts = []
    for tbl in body.iter(f"{{{_W}}}tbl"):
        grid = tbl.find(f"{{{_W}}}tblGrid")
        counts.append(0 if grid is None else len(grid.findall(f"{{{_W}}}gridCol")))
    return tuple(counts)


_SENTINEL_LOOPS = ("rows", "donors")
_CELL_FIELDS = ("serial", "donor", "amount", "kind")


def _fast_loops(ast: nodes.Template) -> tuple[str, ...]:
    """The sentinel loops (``rows``/``donors``) the fast render may expand, or ``()`` to fall back.

    Eligible only when every use of ``rows`` and ``donors`` is the iterable of a plain ``for``
    (no ``else``, filter, recursion or ``loop`` variable) whose body prints donor fields verbatim
    (``{{ g.donor }}``) or values that do not depend on the loop; so one rendered row, with markers
    in place of the values, is exactly the pattern every real row follows.
    """
    loops = [loop for loop in ast.find_all(nodes.For) if _iter_name(loop) in _SENTINEL_LOOPS]
    uses = [n for n in ast.find_all(nodes.Name) if n.name in _SENTINEL_LOOPS and n.ctx == "load"]
    if not loops or len(uses) != len(loops):
        return ()
    for loop in loops:
        variable = _loop_variable(loop)
        if variable is None or not _constant_rows(loop.body, {variable}, depth=0):
            return ()
    names = {_iter_name(loop) for loop in loops}
    return tuple(name for name in _SENTINEL_LOOPS if name in names)


def _iter_name(loop: nodes.For) -> str | None:
    """``rows`` for ``{% for row in rows %}``; None when the loop runs over an expression."""
    return loop.iter.name if isinstance(loop.iter, nodes.Name) else None


def _loop_variable(loop: nodes.For) -> str | None:
    """The variable of a plain ``for`` (one name; no ``else``, filter or recursion), else None."""
    if isinstance(loop.target, nodes.Name) and not loop.else_ and loop.test is None and not loop.recursive:
        return loop.target.name
    return None


def _constant_rows(body: Sequence[nodes.Node], loop_vars: set[str], depth: int) -> bool:
    for node in body:
        if isinstance(node, nodes.Output):
            if not all(_verbatim(expr, loop_vars) for expr in node.nodes):
                return False
        elif isinstance(node, nodes.For):
            # an inner column loop over the row: {%tc for g in row %}
            variable = _loop_variable(node)
            if (
                depth > 0
                or variable is None
                or _iter_name(node) not in loop_vars
                or not _constant_rows(node.body, {variable}, depth + 1)
            ):
                return False
        else:
            return False
    return True


def _verbatim(expr: nodes.Node, loop_vars: set[str]) -> bool:
    if isinstance(expr, nodes.TemplateData):
        return True
    if (
        isinstance(expr, nodes.Getattr)
        and isinstance(expr.node, nodes.Name)
        and expr.node.name in loop_vars
        and expr.attr in _CELL_FIELDS
    ):
        return True
    names = {n.name for n in expr.find_all(nodes.Name)}
    return not names & (loop_vars | {"loop", *_SENTINEL_LOOPS})


# --------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------


def render_bulletin(
    ledger: Ledger,
    settings: Settings,
    template: BulletinTemplate,
    *,
    capitals_fn: Callable[[Decimal], str] | None = None,
    amount_fn: Callable[[Decimal], str] | None = None,
) -> bytes:
    """Render one bulletin and return the .docx bytes.

    Raises:
        TemplateError: the template uses a value toolkit does not have (``template.undefined``) or
            fails while rendering (``template.render``).
        RenderFailed: docxtpl could not process the template (``render.docxtpl``) or the result
            failed the gate (``render.invalid_xml``, ``render.donor_missing``).
        SettingsError: a text setting has a malformed placeholder.
    """
    context = build_context(ledger, settings, capitals_fn=capitals_fn, amount_fn=amount_fn)
    return render_context(context, template)


def render_context(context: BulletinContext, template: BulletinTemplate, *, fast: bool = True) -> bytes:
    """Render a prepared context; ``fast=False`` forces the plain docxtpl render (same document)."""
    result = _render_fast(context, template) if fast and template.fast_loops else None
    if result is None:
        if fast and template.fast_loops:
            log.debug("sentinel row not found alone in one table row; plain render")
        data = _docxtpl_render(template, context.as_template_vars())
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            document = archive.read("word/document.xml")
        _gate(document, context, template)
        return data
    return result


def _render_error(exc: JinjaTemplateError) -> TemplateError:
    if isinstance(exc, SecurityError):
        found = re.search(r"attribute '([^']*)'", exc.message or "")
        return _unsafe("Word 模板", found.group(1) if found else "")
    if isinstance(exc, UndefinedError):
        available = "、".join(TEMPLATE_VARIABLES)
        return _template_problem(
            codes.TEMPLATE_UNDEFINED,
            f"Word 模板用到了没有的值：{exc.message}。可用的变量有：{available}；"
            "名单中每格可用 serial、donor、amount、kind",
            value=str(exc.message),
        )
    unknown = _UNKNOWN_FILTER.match(exc.message or "")
    if unknown:
        return _unknown_filter("", "", unknown.group(1), unknown.group(2))
    return _expression_error(exc)


def _expression_error(exc: Exception) -> TemplateError:
    """A tag that failed while the bulletin was filled in, in Chinese (Jinja's text as the value)."""
    detail = f"{type(exc).__name__}: {exc}"
    return _template_problem(
        codes.TEMPLATE_RENDER,
        "Word 模板中有一个标记在生成简报时出错（例如数字过大、类型不符或除以零）。"
        "请用 toolkit template check 检查模板，并核对 {{ }} 和 {% %} 里的写法",
        value=detail,
    )


def _from_template_code(exc: BaseException) -> bool:
    """True when ``exc`` was raised while running a template's own code (Jinja names it <template>)."""
    trace = exc.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == "<template>":
            return True
        trace = trace.tb_next
    return False


def _docxtpl_render(template: BulletinTemplate, variables: Mapping[str, Any]) -> bytes:
    doc = _CachedDocxTemplate(template.data, template._patched)
    try:
        doc.render(dict(variables), jinja_env=template._env, autoescape=True)
    except TemplateSyntaxError as exc:
        unknown = _UNKNOWN_FILTER.match(exc.message or "")
        if unknown:
            raise _unknown_filter("", "", unknown.group(1), unknown.group(2)) from None
        raise _template_problem(codes.TEMPLATE_SYNTAX, f"Word 模板标记有语法错误：{exc.message}") from None
    except JinjaTemplateError as exc:
        raise _render_error(exc) from None
    except Exception as exc:  # docxtpl's own XML patching can fail on unusual templates
        if _from_template_code(exc):  # {{ count / 0 }}, range(10**10) in the sandbox, …
            raise _expression_error(exc) from None
        log.debug("docxtpl failed", exc_info=True)
        raise RenderFailed(
            Problem(
                codes.RENDER_DOCXTPL,
                f"Word 模板无法生成简报（{type(exc).__name__}: {exc}）。"
                "请检查模板中的表格和 {%tr %}/{%tc %}/{%p %} 标记，或换用内置模板",
            )
        ) from None
    doc.docx.core_properties.title = str(variables.get("title", ""))[:255]
    _order_cell_properties(doc.docx.element.body)
    _fit_tables(doc.docx.element.body, template.grid_columns)
    _split_tables(doc.docx.element.body)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# Markers: letters and digits only, so escaping and docxtpl leave them untouched.
_TOKEN = "tk" + secrets.token_hex(6)
_MARKER = re.compile(_TOKEN.encode() + rb"([rd])(\d+)x(serial|donor|amount|kind)z")


def _marker(loop: str, cell: int, name: str) -> str:
    return f"{_TOKEN}{loop[0]}{cell}x{name}z"


def _sentinel(loop: str, cell: int) -> DonorLine:
    return DonorLine(*(_marker(loop, cell, name) for name in _CELL_FIELDS))


def _render_fast(context: BulletinContext, template: BulletinTemplate) -> bytes | None:
    """The sentinel render, or None when the markers are not alone in one table row.

    The gate of the fast render works on the small sentinel document instead of the expanded one:
    `_parse_strict` proves the docxtpl output well-formed, `_expand` proves the sentinel row a
    balanced fragment whose markers all sit in ``<w:t>`` text, and `_escape_all` proves every value
    put in place of a marker is legal character data. Replacing one such row by any number of
    copies filled with such values keeps the document well-formed, and every donor is in a copy.
    """
    variables = context.as_template_vars()
    variables["rows"] = (tuple(_sentinel("rows", g) for g in range(context.groups)),)
    variables["donors"] = (_sentinel("donors", 0),)
    rendered = _docxtpl_render(template, variables)
    with zipfile.ZipFile(io.BytesIO(rendered)) as source:
        members = [(info, source.read(info.filename)) for info in source.infolist()]
    del rendered
    token = _TOKEN.encode()
    xml = b""
    for info, blob in members:
        if info.filename == "word/document.xml":
            xml = blob
        elif token in blob:
            return None  # markers outside the body (a header loop?): not ours to expand
    root = _parse_strict(xml)
    pieces: list[bytes] = [xml]
    for loop in template.fast_loops:
        expanded = _expand(pieces.pop(), root, loop, context)
        if expanded is None:
            return None
        pieces.extend(expanded)
    if any(token in piece for piece in (pieces[0], pieces[-1])):
        return None
    del root, xml
    return _zip_document(members, pieces)


_CHUNK = 1 << 20


def _zip_document(members: Sequence[tuple[zipfile.ZipInfo, bytes]], document: Sequence[bytes]) -> bytes:
    """The .docx with ``word/document.xml`` written from ``document``'s pieces, never joined whole."""
    size = sum(map(len, document))
    out = io.BytesIO()
    # a big body: fast compression (the repeated rows compress well anyway)
    with zipfile.ZipFile(
        out, "w", zipfile.ZIP_DEFLATED, compresslevel=1 if size > 4_000_000 else 6
    ) as target:
        for info, blob in members:
            if info.filename != "word/document.xml":
                target.writestr(info.filename, blob, compresslevel=6)
                continue
            with target.open(info.filename, "w", force_zip64=size > 2_000_000_000) as stream:
                batch: list[bytes] = []
                pending = 0
                for piece in document:
                    batch.append(piece)
                    pending += len(piece)
                    if pending >= _CHUNK:
                        stream.write(b"".join(batch))
                        batch.clear()
                        pending = 0
                stream.write(b"".join(batch))
    return out.getvalue()


def _strict_parser() -> Any:
    """A new strict parser: no entities, no network (lxml parsers are not shared between threads)."""
    return etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True)


def _invalid_xml(exc: Exception) -> RenderFailed:
    return RenderFailed(
        Problem(
            codes.RENDER_INVALID_XML,
            f"生成的简报文件内容不完整（{exc}）。请检查 Word 模板中的表格和段落标记是否成对",
        )
    )


def _parse_strict(xml: bytes) -> Any:
    """Parse XML strictly (no entities, no network) or raise `RenderFailed` (``render.invalid_xml``)."""
    try:
        return etree.fromstring(xml, _strict_parser())
    except etree.XMLSyntaxError as exc:
        raise _invalid_xml(exc) from None


def _expand(xml: bytes, root: Any, loop: str, context: BulletinContext) -> list[bytes] | None:
    """``[before, row, row, …, after]``: the one ``<w:tr>`` holding ``loop``'s markers, once per real row.

    ``root`` is ``xml``'s document parsed (`_parse_strict`). None when the row cannot be proved a
    balanced fragment whose markers are all plain ``<w:t>`` text (the caller renders plainly).
    """
    found = [m for m in _MARKER.finditer(xml) if m.group(1) == loop[0].encode()]
    if not found:
        return [xml]  # the loop rendered nothing (inside a false {% if %}?): as plain
    first, last = found[0].start(), found[-1].end()
    start = max(xml.rfind(b"<w:tr>", 0, first), xml.rfind(b"<w:tr ", 0, first))
    end = xml.find(b"</w:tr>", last)
    if start < 0 or end < 0:
        return None
    end += len(b"</w:tr>")
    row = xml[start:end]
    if (
        row.count(b"<w:tr>") + row.count(b"<w:tr ") != 1
        or row.count(b"</w:tr>") != 1
        or b"<w:tbl" in row
        or b"</w:tbl>" in row
        or not _plain_row(row, root, found[0].group(0).decode())
    ):
        return None
    pieces = _MARKER.split(row)
    literals = pieces[0::4]
    slots = [(int(cell), name.decode()) for cell, name in zip(pieces[2::4], pieces[3::4], strict=True)]
    pattern = b"%s".join(literal.replace(b"%", b"%%") for literal in literals)
    if loop == "rows":
        columns = [context.rows.column(cell, name) for cell, name in slots]
        count = context.rows.height
    else:
        columns = [list(context.donors.column(name)) for _, name in slots]
        count = len(context.donors)
    seams = _row_seams(root, found[0].group(0).decode(), count)
    if seams is None:
        return None
    if not slots:
        if not seams:
            return [xml[:start], row * count, xml[end:]]
        rows = [row] * count
    else:
        escaped = [_escape_all(column) for column in columns]
        rows = list(map(pattern.__mod__, zip(*escaped, strict=True)))
    result = [xml[:start]]
    previous = 0
    for index, seam in seams:
        result.extend(rows[previous:index])
        result.append(seam)
        previous = index
    result.extend(rows[previous:])
    result.append(xml[end:])
    return result


def _row_seams(root: Any, marker: str, count: int) -> list[tuple[int, bytes]] | None:
    """Where the expanded loop's table is cut into consecutive tables (`_split_plan`).

    ``[(i, seam), …]``: ``seam`` goes before loop row ``i`` (``i == count``: after the last one);
    ``[]`` when the table stays whole. Each seam closes the table and opens the next one with a copy
    of its properties, grid and header rows, exactly as `_split_tables` cuts a plainly rendered table.
    None when a cut would fall outside the loop's rows, or the table is not one this code can close
    and reopen as text (the caller then renders plainly, which cuts it in the tree).
    """
    holder = _marker_holder(root, marker)
    if holder is None:
        return None
    row = next(holder.iterancestors(_w("tr")), None)
    table = None if row is None else row.getparent()
    if row is None or table is None or table.tag != _w("tbl"):
        return None
    rows = table.findall(_w("tr"))
    position = rows.index(row)
    headers, cuts = _split_plan(rows[:position] + [row] * count + rows[position + 1 :])
    if not cuts:
        return []
    if headers > position or table.prefix != "w" or holder.nsmap.get("w") != _W:
        return None
    head = etree.tostring(_table_head(table, rows[:headers]), encoding="utf-8")
    if not head.startswith(b"<w:tbl") or not head.endswith(b"</w:tbl>"):
        return None
    seam = b"</w:tbl>" + _SEAM_PARAGRAPH.encode() + head[: -len(b"</w:tbl>")]
    indices = [cut - position for cut in cuts]
    if not all(0 <= index <= count for index in indices):
        return None
    return [(index, seam) for index in indices]


def _marker_holder(root: Any, marker: str) -> Any:
    """The ``<w:t>`` whose text holds ``marker``, or None."""
    return next((t for t in root.iter(_W_T) if t.text and marker in t.text), None)


def _plain_row(row: bytes, root: Any, marker: str) -> bool:
    """True when ``row`` is one balanced element whose markers are all inside ``<w:t>`` text.

    Parsed strictly on its own, wrapped in an element declaring the namespaces in scope at the
    row in the full document (found through ``marker``), so a row that would only be well-formed
    in its original place is refused.
    """
    if b"<![CDATA[" in row:
        return False
    holder = _marker_holder(root, marker)
    if holder is None:
        return False
    declarations = " ".join(
        f"xmlns:{prefix}={quoteattr(uri)}" if prefix else f"xmlns={quoteattr(uri)}"
        for prefix, uri in holder.nsmap.items()
    )
    try:
        fragment = etree.fromstring(
            f"<toolkit-row {declarations}>".encode() + row + b"</toolkit-row>", _strict_parser()
        )
    except etree.XMLSyntaxError:
        return False
    if len(fragment) != 1 or fragment[0].tag != f"{{{_W}}}tr":
        return False
    in_text = sum(len(_MARKER.findall(t.text.encode())) for t in fragment.iter(_W_T) if t.text)
    return in_text == len(_MARKER.findall(row))


# Character data after escaping: no markup, only characters XML 1.0 allows (NUL separates values).
_NOT_CHAR_DATA = re.compile("[<\x01-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _escape_all(values: list[str]) -> list[bytes]:
    """Escape like Jinja's autoescape and encode, in one pass over the joined text.

    Values never hold NUL (it is XML-illegal and cleaned away); if one did, escape one by one.

    Raises:
        RenderFailed: an escaped value is not legal XML character data (``render.invalid_xml``);
            `build_context` cleans every value, so this is a bug guard.
    """
    if not values:
        return []
    text = str(escape("\x00".join(values)))
    bad = _NOT_CHAR_DATA.search(text)
    if bad is not None:
        raise _invalid_xml(ValueError(f"character {bad.group(0)!r} in a table cell"))
    parts = text.encode("utf-8").split(b"\x00")
    if len(parts) != len(values):
        return [str(escape(v)).encode("utf-8") for v in values]
    return parts


# --------------------------------------------------------------------------------------------
# Table grid
# --------------------------------------------------------------------------------------------


_MAX_STRETCH = 2.0


def _fit_tables(body: Any, template_columns: Sequence[int]) -> None:
    """Give tables whose column count changed (column loops) a grid that fits the page.

    docxtpl spreads the width evenly over the new columns; here each column keeps the proportion
    its template cell had, scaled so the table fills its width (``w:tblW``, else the text width)
    but never wider than `_MAX_STRETCH` times the template cells (one group stays compact).
    """
    tables = list(body.iter(f"{{{_W}}}tbl"))
    if len(tables) != len(template_columns):
        return
    text_width = _text_width(body)
    for tbl, before in zip(tables, template_columns, strict=True):
        grid = tbl.find(f"{{{_W}}}tblGrid")
        if grid is not None and len(grid) != before:
            _fit_table(tbl, grid, text_width)


def _w(name: str) -> str:
    return f"{{{_W}}}{name}"


# ECMA-376 sequence of w:tcPr children. docxtpl's {% colspan %} and {% cellbg %} insert w:gridSpan
# and w:shd as the first child, which Word may answer with a repair prompt.
_TC_PR_ORDER = {
    _w(name): i
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


def _order_cell_properties(body: Any) -> None:
    """Put the children of every ``w:tcPr`` in schema order (unknown ones last, stable)."""
    last = len(_TC_PR_ORDER)
    for tc_pr in body.iter(_w("tcPr")):
        children = list(tc_pr)
        ordered = sorted(children, key=lambda child: _TC_PR_ORDER.get(child.tag, last))
        if ordered != children:
            tc_pr[:] = ordered


def _text_width(body: Any) -> int | None:
    sect = body.find(_w("sectPr"))
    if sect is None:
        return None
    size, margins = sect.find(_w("pgSz")), sect.find(_w("pgMar"))
    try:
        return int(size.get(_w("w"))) - int(margins.get(_w("left"))) - int(margins.get(_w("right")))
    except (AttributeError, TypeError, ValueError):
        return None


def _span(cell: Any) -> int:
    span = cell.find(f"{_w('tcPr')}/{_w('gridSpan')}")
    try:
        return int(span.get(_w("val"))) if span is not None else 1
    except (TypeError, ValueError):
        return 1


def _cell_width(cell: Any) -> int:
    width = cell.find(f"{_w('tcPr')}/{_w('tcW')}")
    try:
        return max(int(width.get(_w("w"))), 1) if width is not None else 1
    except (TypeError, ValueError):
        return 1


def _fit_table(tbl: Any, grid: Any, text_width: int | None) -> None:
    rows = [row.findall(_w("tc")) for row in tbl.iter(_w("tr"))]
    simple = [cells for cells in rows if all(_span(c) == 1 for c in cells)]
    if not simple:
        return
    widest = max(simple, key=len)
    if len(widest) != len(grid):
        return
    ratios = [_cell_width(c) for c in widest]
    tbl_w = tbl.find(f"{_w('tblPr')}/{_w('tblW')}")
    target = 0
    if tbl_w is not None and tbl_w.get(_w("type")) == "dxa":
        target = int(tbl_w.get(_w("w")) or 0)
    if target <= 0:
        target = text_width or sum(int(c.get(_w("w")) or 0) for c in grid) or sum(ratios)
    # fill the width, but a few groups should not stretch into a sparse page-wide table
    if sum(ratios) * _MAX_STRETCH < target * 0.95:
        target = int(sum(ratios) * _MAX_STRETCH)
    scale = target / sum(ratios)
    widths = [int(r * scale) for r in ratios]
    widths[-1] += target - sum(widths)
    for col, width in zip(grid.findall(_w("gridCol")), widths, strict=True):
        col.set(_w("w"), str(width))
    for cells in rows:
        position = 0
        for cell in cells:
            span = _span(cell)
            _set_cell_width(cell, sum(widths[position : position + span]))
            position += span
    if tbl_w is not None:
        tbl_w.set(_w("type"), "dxa")
        tbl_w.set(_w("w"), str(target))


def _set_cell_width(cell: Any, width: int) -> None:
    """Update a cell's preferred width; cells without one (lean repeated rows) follow the grid."""
    tc_w = cell.find(f"{_w('tcPr')}/{_w('tcW')}")
    if tc_w is not None:
        tc_w.set(_w("w"), str(width))
        tc_w.set(_w("type"), "dxa")


# --------------------------------------------------------------------------------------------
# Long tables
# --------------------------------------------------------------------------------------------

# LibreOffice lays out one table that runs over many pages in time that grows with the square of
# its rows (5,000 donors: 8 s, 10,000: 40 s, 20,000: over 5 min; 100,000 never finished), while
# Word does not mind. A table of more than `_SPLIT_ROWS` rows below its header rows is therefore
# cut into consecutive tables of `_CHUNK_ROWS` rows; each repeats the properties, grid and header
# rows (so the header still repeats on every page) and they are separated by a 1 pt empty
# paragraph, so the cut reads as one table whose header row shows again. Shorter tables, every
# normal bulletin, are left whole.
_SPLIT_ROWS = 1000
_CHUNK_ROWS = 300
_SEAM_PARAGRAPH = (
    '<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
    '<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr></w:pPr></w:p>'
)


def _is_header_row(row: Any) -> bool:
    mark = row.find(f"{_w('trPr')}/{_w('tblHeader')}")
    return mark is not None and mark.get(_w("val"), "true") not in ("0", "false", "off")


def _split_plan(rows: Sequence[Any]) -> tuple[int, list[int]]:
    """``(headers, cuts)`` for a table's rows: its leading header rows, then the row indices each
    new table starts at, ``[]`` when the table stays whole."""
    headers = 0
    while headers < len(rows) and _is_header_row(rows[headers]):
        headers += 1
    if len(rows) - headers <= _SPLIT_ROWS:
        return headers, []
    return headers, list(range(headers + _CHUNK_ROWS, len(rows), _CHUNK_ROWS))


def _table_head(table: Any, header_rows: Sequence[Any]) -> Any:
    """A new ``w:tbl`` with copies of ``table``'s properties, grid and ``header_rows``."""
    head = etree.Element(_w("tbl"), nsmap={"w": _W})
    for name in ("tblPr", "tblGrid"):
        part = table.find(_w(name))
        if part is not None:
            head.append(copy.deepcopy(part))
    head.extend(copy.deepcopy(row) for row in header_rows)
    return head


def _seam_paragraph() -> Any:
    return etree.fromstring(_SEAM_PARAGRAPH.replace("<w:p>", f'<w:p xmlns:w="{_W}">', 1))


def _split_tables(body: Any) -> None:
    """Cut every long table of a rendered body into consecutive tables (see `_SPLIT_ROWS`)."""
    for table in list(body.iter(_w("tbl"))):
        rows = table.findall(_w("tr"))
        headers, cuts = _split_plan(rows)
        if not cuts:
            continue
        starts = {id(rows[cut]) for cut in cuts}
        current, anchor = table, table
        for child in list(table):
            if id(child) in starts:
                current = _table_head(table, rows[:headers])
                separator = _seam_paragraph()
                anchor.addnext(separator)
                separator.addnext(current)
                anchor = current
            if current is not table:
                current.append(child)


# --------------------------------------------------------------------------------------------
# Gate
# --------------------------------------------------------------------------------------------


def _gate(document: bytes, context: BulletinContext, template: BulletinTemplate) -> None:
    """Parse a plainly rendered body strictly and check that every donor made it in.

    Every donor name must appear as often as it occurs in the ledger. (The fast render has its own,
    cheaper gate: see `_render_fast`.)
    """
    root = _parse_strict(document)
    if not template.shows_donors or not context.donors:
        return
    wanted = Counter(context.donors.names)
    found = Counter(root.itertext(_W_T))
    missing = [name for name, n in wanted.items() if found[name] < n]
    if missing:
        # a template may print a name inside other text ({{ g.donor }}先生): look in the full text
        text = "\n".join(_paragraph_texts(root))
        missing = [name for name in missing if text.count(name) < wanted[name]]
    if missing:
        shown = "、".join(missing[:5]) + ("等" if len(missing) > 5 else "")
        raise RenderFailed(
            Problem(
                codes.RENDER_DONOR_MISSING,
                f"生成的简报缺少 {len(missing)} 位捐赠人（{shown}）。请检查 Word 模板中的捐赠名单表格",
                value=shown,
            )
        )


def _paragraph_texts(root: Any) -> Iterator[str]:
    for paragraph in root.iter(_W_P):
        yield "".join(t.text or "" for t in paragraph.iter(_W_T))


# --------------------------------------------------------------------------------------------
# Template check
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TemplateReport:
    """What ``toolkit template check FILE`` prints about a template.

    Attributes:
        variables: template variables the template uses, sorted.
        unknown: used variables toolkit does not provide, sorted.
        available: every variable toolkit provides (`TEMPLATE_VARIABLES`).
        split_tags: text of each paragraph where Word split a ``{{ }}``/``{% %}`` tag across runs.
        syntax_errors: one message per tag syntax error, naming the paragraph.
        fast: True when the fast render applies to this template's donor table.
        errors: other errors that stop the template from rendering (``template.unknown_filter``,
            ``template.unsafe``, ``template.unsupported``), each naming the paragraph.
        warnings: the template renders but the bulletin would be wrong (``template.no_donor_list``,
            ``template.prints_list``).
    """

    variables: tuple[str, ...]
    unknown: tuple[str, ...]
    available: tuple[str, ...]
    split_tags: tuple[str, ...]
    syntax_errors: tuple[str, ...]
    fast: bool
    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the template can render (split tags and `warnings` are only warnings)."""
        return not self.unknown and not self.syntax_errors and not self.errors

    @property
    def problems(self) -> tuple[Problem, ...]:
        found = [Problem(codes.TEMPLATE_SYNTAX, message) for message in self.syntax_errors]
        found.extend(self.errors)
        if self.unknown:
            found.extend(_unknown_error(self.unknown).problems)
        found.extend(
            Problem(
                codes.TEMPLATE_SPLIT_TAG,
                f"段落“{text}”中的模板标记被 Word 拆成了几段格式不同的文字；"
                "请选中整个标记，清除格式后重新输入，或整段重新键入",
                Severity.WARNING,
                value=text,
            )
            for text in self.split_tags
        )
        found.extend(self.warnings)
        return tuple(found)

    def format(self, file: str = "") -> str:
        """Lines for the clerk: the verdict, the variables used, then one line per problem."""
        name = file or "Word 模板"
        if self.ok:
            speed = "名单表格可快速生成" if self.fast else "名单表格按普通方式生成（大名单较慢）"
            lines = [f"{name}：可以使用（{speed}）"]
        else:
            lines = [f"{name}：有错误，不能使用，请按下面的提示修改"]
        lines.append("用到的变量：" + ("、".join(self.variables) or "（无）"))
        lines.extend(problem.located(file).format() for problem in self.problems)
        return "\n".join(lines)


def check_template(data: bytes) -> TemplateReport:
    """Lint a template without rendering it.

    Raises:
        TemplateError: the bytes are not a readable .docx (``template.unreadable``).
    """
    doc = _open_docx(data)
    env = _Environment()
    used: set[str] = set()
    errors: list[str] = []
    other: list[Problem] = []
    warnings: list[Problem] = []
    body: nodes.Template | None = None
    for part in _template_parts(doc):
        try:
            ast = env.parse(part.source)
        except TemplateSyntaxError as exc:
            errors.append(_syntax_error(part, exc).problems[0].message)
            continue
        lint = [error.problems[0] for error in _lint(part, ast, env)]
        try:
            used |= meta.find_undeclared_variables(ast)
        except TemplateSyntaxError as exc:  # TemplateAssertionError from Jinja's code generator
            lint = lint or list(_syntax_error(part, exc).problems)
        other.extend(lint)
        warnings.extend(_printed_lists(part, ast))
        if part.name == "正文":
            body = ast
    used -= set(env.globals)
    if not errors and not other and not used & set(_SENTINEL_LOOPS):
        warnings.append(
            Problem(
                codes.TEMPLATE_NO_DONOR_LIST,
                "Word 模板里没有捐赠名单：没有用到 rows 或 donors，生成的简报不会列出任何捐赠人。"
                "请参照内置模板 templates/bulletin.docx 加入名单表格（{%tr for row in rows %} … {%tr endfor %}）",
                Severity.WARNING,
            )
        )
    return TemplateReport(
        variables=tuple(sorted(used)),
        unknown=tuple(sorted(used - set(TEMPLATE_VARIABLES))),
        available=TEMPLATE_VARIABLES,
        split_tags=tuple(_split_tags(data)),
        syntax_errors=tuple(errors),
        fast=bool(body is not None and _fast_loops(body)),
        errors=tuple(other),
        warnings=tuple(warnings),
    )


def _printed_lists(part: _Part, ast: nodes.Template) -> Iterator[Problem]:
    """Warnings for ``{{ donors }}``, ``{{ rows }}`` or a whole row/cell printed as is.

    Printed directly they show Python's text for a list (``DonorList(serials=(…``), not a table.
    """
    records = set(_SENTINEL_LOOPS)
    for loop in ast.find_all(nodes.For):
        name, variable = _iter_name(loop), loop.target
        if name in records and isinstance(variable, nodes.Name):
            records.add(variable.name)
    for output in ast.find_all(nodes.Output):
        for expr in output.nodes:
            if isinstance(expr, nodes.Name) and expr.name in records:
                location, where = _where(part, expr.lineno)
                yield Problem(
                    codes.TEMPLATE_PRINTS_LIST,
                    f"Word 模板{location}直接显示了 {{{{ {expr.name} }}}}，简报里会出现一串程序文字而不是名单。"
                    "名单要用循环逐行显示，例如 {%tr for row in rows %} 里的 {%tc for g in row %}，"
                    "每格写 {{ g.serial }}、{{ g.donor }}、{{ g.amount }}",
                    Severity.WARNING,
                    value=where,
                )


_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


def _split_tags(data: bytes) -> Iterator[str]:
    """Paragraphs of the raw XML whose tag starts in one ``<w:t>`` and ends in another."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = [
            name
            for name in archive.namelist()
            if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name)
        ]
        blobs = [archive.read(name) for name in sorted(names)]
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    for blob in blobs:
        try:
            root = etree.fromstring(blob, parser)
        except etree.XMLSyntaxError:
            continue
        for paragraph in root.iter(_W_P):
            pieces = [t.text or "" for t in paragraph.iter(_W_T)]
            text = "".join(pieces)
            if "{" not in text:
                continue
            owner = [i for i, piece in enumerate(pieces) for _ in piece]
            for match in _TAG.finditer(text):
                if owner[match.start()] != owner[match.end() - 1]:
                    yield text
                    break
