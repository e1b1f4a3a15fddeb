"""Render a `Ledger` into a Word bulletin (简报): template bytes and records in, docx bytes out.

Pure (no filesystem), in steps that each have their module:

- `context`: `build_context` turns the ledger and the `Settings` into one `BulletinContext`, every
  string the template shows already formatted and cleaned.
- `template`: `load_template` opens and checks a docxtpl template once, through one walk of its
  parts, and keeps it ready for every later render (``toolkit watch`` reuses it); `check` reports
  what the same walk finds for ``toolkit template check`` (`check_template`).
- `document`: the plain docxtpl render in a sandboxed, autoescaping, strict Jinja environment, and
  the gate that proves its body well-formed and complete; `fast`: the sentinel row repeated for
  every donor, used whenever the template allows it (`loops`) and giving the same document.
- `layout` fits the tables to the page and widens a 序号 or amount column its widest figure would
  not fit on one line, measured by `measure`; `long_tables` cuts a table of more than 1,000 rows
  into consecutive tables of 300, because LibreOffice lays out one long table in quadratic time.
"""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Callable
from decimal import Decimal

from toolkit.records import Edition, Ledger
from toolkit.render.check import TemplateReport, check_template
from toolkit.render.context import (
    EMPTY_CELL,
    TEMPLATE_VARIABLES,
    BulletinContext,
    DistributionLine,
    DonorLine,
    DonorList,
    PackedRows,
    build_context,
    format_date_zh,
)
from toolkit.render.document import docxtpl_render, gate
from toolkit.render.fast import render_fast
from toolkit.render.template import BulletinTemplate, load_template
from toolkit.settings import Settings

__all__ = [
    "EMPTY_CELL",
    "TEMPLATE_VARIABLES",
    "BulletinContext",
    "BulletinTemplate",
    "DistributionLine",
    "DonorLine",
    "DonorList",
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


def render_bulletin(
    ledger: Ledger,
    settings: Settings,
    template: BulletinTemplate,
    *,
    capitals_fn: Callable[[Decimal], str] | None = None,
    amount_fn: Callable[[Decimal], str] | None = None,
    edition: Edition | None = None,
) -> bytes:
    """Render one bulletin and return the .docx bytes.

    ``edition`` is its issue number, correction and running total from the output folder's
    register (`toolkit.publish.register`); by default the first issue of ``settings``.

    Raises:
        TemplateError: the template uses a value toolkit does not have (``template.undefined``) or
            fails while rendering (``template.render``).
        RenderFailed: docxtpl could not process the template (``render.docxtpl``) or the result
            failed the gate (``render.invalid_xml``, ``render.donor_missing``).
        SettingsError: a text setting has a malformed placeholder.
    """
    context = build_context(ledger, settings, capitals_fn=capitals_fn, amount_fn=amount_fn, edition=edition)
    return render_context(context, template)


def render_context(context: BulletinContext, template: BulletinTemplate, *, fast: bool = True) -> bytes:
    """Render a prepared context; ``fast=False`` forces the plain docxtpl render (same document)."""
    if fast and template.fast_loops:
        result = render_fast(context, template)
        if result is not None:
            return result
        log.debug("名单行的标记不在单独的一行里；按普通方式填写模板")
    data = docxtpl_render(template, context.as_template_vars())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        document = archive.read("word/document.xml")
    gate(document, context, template)
    return data
