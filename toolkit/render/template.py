"""The Word template: opened once, walked once, and kept ready for every render.

`walk_template` is the one walk over a template's parts (the body, each header and footer, and the
core properties docxtpl renders): each part is parsed by Jinja and checked for what would only fail
while rendering (`PartCheck`). `load_template` refuses a template whose walk found a problem and
keeps the patched XML and compiled Jinja code for every later render (``toolkit watch`` reuses it);
`toolkit.render.check.check_template` reports everything the same walk found.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, Template, meta, nodes
from jinja2.exceptions import TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment

from toolkit import codes
from toolkit.errors import TemplateError
from toolkit.render import problems
from toolkit.render.context import TEMPLATE_VARIABLES
from toolkit.render.loops import fast_loops
from toolkit.render.wordml import w

__all__ = [
    "BulletinTemplate",
    "CachedDocxTemplate",
    "Environment",
    "Part",
    "PartCheck",
    "TemplateWalk",
    "load_template",
    "walk_template",
]

log = logging.getLogger(__name__)


class Environment(SandboxedEnvironment):
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


class CachedDocxTemplate(DocxTemplate):  # type: ignore[misc]
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
    _env: Environment = field(repr=False)
    _patched: dict[str, str] = field(repr=False)

    def new_docx(self) -> CachedDocxTemplate:
        """A fresh docxtpl template of these bytes, sharing the memoised XML patching."""
        return CachedDocxTemplate(self.data, self._patched)

    @property
    def env(self) -> Environment:
        """The Jinja environment every render of this template uses (compiled code is kept)."""
        return self._env


def _open_docx(data: bytes) -> CachedDocxTemplate:
    """Open template bytes with python-docx, mapping every failure to one `TemplateError`."""
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise problems.template_problem(
            codes.TEMPLATE_UNREADABLE,
            "Word 模板是旧版 .doc 格式（或已加密），无法使用。请在 Word 中“另存为”.docx 格式后再试",
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise problems.template_problem(
            codes.TEMPLATE_UNREADABLE,
            "Word 模板不是有效的 .docx 文件（可能已损坏或不是 Word 文档）。请换用 .docx 模板",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        names = set()
    if "xl/workbook.xml" in names:
        raise problems.template_problem(
            codes.TEMPLATE_UNREADABLE,
            "这是 Excel 工作簿，不是 Word 模板。--template 和 toolkit template check 需要 .docx 格式的 Word 模板",
        )
    if "word/document.xml" not in names:
        raise problems.template_problem(
            codes.TEMPLATE_UNREADABLE,
            "这个文件不是 Word 文档（压缩包里没有 Word 正文）。请换用 .docx 格式的 Word 模板",
        )
    doc = CachedDocxTemplate(data, {})
    try:
        doc.init_docx()
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml and OPC errors alike
        log.debug("python-docx 打不开模板：%s：%s", type(exc).__name__, exc)
        raise problems.template_problem(
            codes.TEMPLATE_UNREADABLE,
            "Word 模板无法打开（文件已损坏或不是 Word 保存的 .docx）。请用 Word 打开并另存为 .docx 后再试",
        ) from None
    return doc


@dataclass(frozen=True, slots=True, eq=False)
class Part:
    """One piece of template text Jinja renders: the body, a header/footer or a core property.

    Attributes:
        name: the part as the clerk knows it: ``正文``, ``页眉``, ``页脚`` or ``文档属性 title``.
        source: the text Jinja parses (docxtpl's patched XML, one paragraph per line).
        tree: the part's XML as Word saved it (runs not yet merged), None for a core property.
    """

    name: str
    source: str
    tree: Any = None

    def where(self, lineno: int | None) -> tuple[str, str]:
        """``(location, paragraph)``: ``正文段落“…”`` and ``段落“…”`` for a line of the source."""
        lines = self.source.splitlines()
        where = ""
        if lineno and 0 < lineno <= len(lines):
            text = re.sub(r"<[^>]+>", "", lines[lineno - 1]).strip()
            if text:
                where = f"段落“{text[:80]}”"
        return (f"{self.name}{where}" if where else self.name), where


def _paragraph_lines(xml: str) -> str:
    """Put each paragraph on its own line, as docxtpl does before Jinja sees the XML."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)


_PROPERTIES = ("author", "comments", "keywords", "subject", "title", "category", "content_status")


def _template_parts(doc: CachedDocxTemplate) -> list[Part]:
    """The body first, then headers, footers and the core properties that hold text."""
    from docx.oxml import parse_xml

    body = doc.docx.element.body
    parts = [Part("正文", _paragraph_lines(doc.patch_xml(doc.get_xml())), body)]
    for uri, label in ((doc.HEADER_URI, "页眉"), (doc.FOOTER_URI, "页脚")):
        for _, part in doc.get_headers_footers(uri):
            tree = parse_xml(part.blob)
            parts.append(Part(label, _paragraph_lines(doc.patch_xml(doc.xml_to_string(tree))), tree))
    props = doc.docx.core_properties
    for name in _PROPERTIES:
        value = getattr(props, name, None)
        if isinstance(value, str) and value:
            parts.append(Part(f"文档属性 {name}", value))
    return parts


@dataclass(frozen=True, slots=True, eq=False)
class PartCheck:
    """What the walk found in one part.

    Attributes:
        part: the part.
        ast: its Jinja syntax tree, None when a tag does not parse.
        errors: the syntax error when ``ast`` is None; else the errors Jinja would only raise while
            rendering (`_lint`), or the error its code generator raised; empty when the part is fine.
        variables: the template variables the part uses (empty when Jinja cannot compile it).
    """

    part: Part
    ast: nodes.Template | None
    errors: tuple[TemplateError, ...]
    variables: frozenset[str]


@dataclass(frozen=True, slots=True, eq=False)
class TemplateWalk:
    """One walk over every part of an opened template (`walk_template`)."""

    doc: CachedDocxTemplate
    env: Environment
    parts: tuple[PartCheck, ...]

    @property
    def body(self) -> nodes.Template | None:
        """The body's syntax tree (the first part), None when it does not parse."""
        return self.parts[0].ast

    @property
    def used(self) -> frozenset[str]:
        """Template variables used by the parts that parse, Jinja's own globals left out."""
        found = frozenset().union(*(check.variables for check in self.parts))
        return found - set(self.env.globals)


def walk_template(data: bytes) -> TemplateWalk:
    """Open template bytes and check each part once.

    Raises:
        TemplateError: the bytes are not a readable .docx (``template.unreadable``).
    """
    doc = _open_docx(data)
    env = Environment()
    return TemplateWalk(doc, env, tuple(_check_part(part, env) for part in _template_parts(doc)))


def _check_part(part: Part, env: Environment) -> PartCheck:
    try:
        ast = env.parse(part.source)
    except TemplateSyntaxError as exc:
        return PartCheck(
            part, None, (problems.syntax_error(*part.where(exc.lineno), exc.message),), frozenset()
        )
    errors = _lint(part, ast, env)
    try:
        variables = meta.find_undeclared_variables(ast)
    except TemplateSyntaxError as exc:  # TemplateAssertionError from Jinja's code generator
        errors = errors or [problems.syntax_error(*part.where(exc.lineno), exc.message)]
        # the names the tags load, still checked for variables toolkit does not provide
        loaded = {n.name for n in ast.find_all(nodes.Name) if n.ctx == "load"}
        variables = loaded - {n.name for n in ast.find_all(nodes.Name) if n.ctx in ("store", "param")}
    return PartCheck(part, ast, tuple(errors), frozenset(variables))


_REFERENCES: dict[type[nodes.Node], str] = {
    nodes.Extends: "extends",
    nodes.Include: "include",
    nodes.Import: "import",
    nodes.FromImport: "from … import",
}


def _lint(part: Part, ast: nodes.Template, env: Environment) -> list[TemplateError]:
    """Errors Jinja would only raise while rendering (or as an English traceback), found up front.

    Unknown filters and tests (``template.unknown_filter``), attributes the sandbox refuses
    (``template.unsafe``: names starting with ``_``) and references to other templates
    (``template.unsupported``), each naming the paragraph.
    """
    errors: list[TemplateError] = []
    for node in ast.find_all((nodes.Filter, nodes.Test)):
        known = env.filters if isinstance(node, nodes.Filter) else env.tests
        if node.name not in known:
            kind = "filter" if isinstance(node, nodes.Filter) else "test"
            errors.append(problems.unknown_filter(*part.where(node.lineno), kind, node.name))
    for access in ast.find_all((nodes.Getattr, nodes.Getitem)):
        attr = (
            access.attr
            if isinstance(access, nodes.Getattr)
            else getattr(getattr(access, "arg", None), "value", None)
        )
        if isinstance(attr, str) and attr.startswith("_"):
            location, where = part.where(access.lineno)
            errors.append(problems.unsafe(f"Word 模板{location}", attr, where))
    for reference in ast.find_all(tuple(_REFERENCES)):
        location, where = part.where(reference.lineno)
        errors.append(problems.unsupported(location, _REFERENCES[type(reference)], where))
    return errors


def load_template(data: bytes) -> BulletinTemplate:
    """Open, check and prepare a docxtpl template once; reuse the result for every render.

    Raises:
        TemplateError: the bytes are not a .docx (``template.unreadable``), a tag has a syntax
            error (``template.syntax``, naming the paragraph), or the template uses variables
            toolkit does not provide (``template.unknown_variable``, listing the available ones).
    """
    walk = walk_template(data)
    for check in walk.parts:
        if check.errors:
            raise check.errors[0]
    used = walk.used
    unknown = used - set(TEMPLATE_VARIABLES)
    if unknown:
        raise problems.unknown_variables(unknown)
    body = walk.body
    assert body is not None
    template = BulletinTemplate(
        data=data,
        variables=used,
        fast_loops=fast_loops(body),
        shows_donors=any(n.attr == "donor" for n in body.find_all(nodes.Getattr)),
        grid_columns=_grid_columns(walk.doc.docx.element.body),
        _env=walk.env,
        _patched=walk.doc._patched,
    )
    log.debug("模板已载入：快速循环 %s，变量 %s", template.fast_loops, sorted(used))
    return template


def _grid_columns(body: Any) -> tuple[int, ...]:
    counts = []
    for tbl in body.iter(w("tbl")):
        grid = tbl.find(w("tblGrid"))
        counts.append(0 if grid is None else len(grid.findall(w("gridCol"))))
    return tuple(counts)
