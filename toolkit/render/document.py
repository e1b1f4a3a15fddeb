"""The .docx itself: docxtpl's render and its layout pass, the gate, and the streamed zip.

`docxtpl_render` fills a template with docxtpl in the template's sandboxed, autoescaping, strict
Jinja environment, then lays out the body (`toolkit.render.layout`, `toolkit.render.long_tables`)
and saves it; every failure becomes a Chinese `TemplateError` or `RenderFailed`. `gate` proves a
plainly rendered body well-formed and complete. `zip_document` writes a .docx whose body comes in
pieces (the fast writer's rows) without ever joining them into one string.
"""

from __future__ import annotations

import io
import logging
import zipfile
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from jinja2 import TemplateError as JinjaTemplateError
from jinja2.exceptions import TemplateSyntaxError

from toolkit import codes
from toolkit.errors import Problem, RenderFailed
from toolkit.render import problems
from toolkit.render.context import BulletinContext
from toolkit.render.layout import fit_tables, order_cell_properties
from toolkit.render.long_tables import split_tables
from toolkit.render.measure import Styles
from toolkit.render.template import BulletinTemplate
from toolkit.render.wordml import W_T, paragraph_texts, parse_strict

__all__ = ["docxtpl_render", "gate", "zip_document"]

log = logging.getLogger(__name__)


def docxtpl_render(
    template: BulletinTemplate, variables: Mapping[str, Any], shown: Callable[[str], str] = str
) -> bytes:
    """The .docx docxtpl makes of ``template`` filled with ``variables``, laid out.

    ``shown`` tells the layout what a text will show at its widest (see `fit_tables`).

    Raises:
        TemplateError: a tag fails (``template.syntax``, ``template.unknown_filter``,
            ``template.unsafe``, ``template.undefined``, ``template.render``).
        RenderFailed: docxtpl itself fails on the template (``render.docxtpl``).
    """
    doc = template.new_docx()
    try:
        doc.render(dict(variables), jinja_env=template.env, autoescape=True)
    except TemplateSyntaxError as exc:
        raise problems.render_syntax_error(exc.message) from None
    except JinjaTemplateError as exc:
        raise problems.render_error(exc) from None
    except Exception as exc:  # docxtpl's own XML patching can fail on unusual templates
        if _from_template_code(exc):  # {{ count / 0 }}, range(10**10) in the sandbox, …
            raise problems.expression_error(exc) from None
        log.debug("docxtpl 填写模板失败", exc_info=True)
        raise RenderFailed(
            Problem(
                codes.RENDER_DOCXTPL,
                f"Word 模板无法生成简报（{type(exc).__name__}: {exc}）。"
                "请检查模板中的表格和 {%tr %}/{%tc %}/{%p %} 标记，或换用内置模板",
            )
        ) from None
    doc.docx.core_properties.title = str(variables.get("title", ""))[:255]
    body = doc.docx.element.body
    order_cell_properties(body)
    fit_tables(body, template.grid_columns, Styles(doc.docx.styles.element), shown)
    split_tables(body)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _from_template_code(exc: BaseException) -> bool:
    """True when ``exc`` was raised while running a template's own code (Jinja names it <template>)."""
    trace = exc.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == "<template>":
            return True
        trace = trace.tb_next
    return False


def gate(document: bytes, context: BulletinContext, template: BulletinTemplate) -> None:
    """Parse a plainly rendered body strictly and check that every donor made it in.

    Every donor name must appear as often as it occurs in the ledger. (The fast render has its own,
    cheaper gate: see `toolkit.render.fast.render_fast`.)

    Raises:
        RenderFailed: the body is not well-formed XML (``render.invalid_xml``) or lacks donors
            (``render.donor_missing``).
    """
    root = parse_strict(document)
    if not template.shows_donors or not context.donors:
        return
    wanted = Counter(context.donors.names)
    found = Counter(root.itertext(W_T))
    missing = [name for name, n in wanted.items() if found[name] < n]
    if missing:
        # a template may print a name inside other text ({{ g.donor }}先生): look in the full text
        text = "\n".join(paragraph_texts(root))
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


_CHUNK = 1 << 20


def zip_document(members: Sequence[tuple[zipfile.ZipInfo, bytes]], document: Sequence[bytes]) -> bytes:
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
