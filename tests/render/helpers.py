"""Shared by the render tests: ledgers built in code, and the rendered .docx read back as text.

Templates for the edge cases are built in code with python-docx, one run per tag.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from docx import Document
from lxml import etree

from tests.workbooks import SEED_ORG, SEED_TITLE, seed_settings
from toolkit.records import Donation, Ledger, Signature

REPO = Path(__file__).resolve().parent.parent.parent
GOLDEN = REPO / "tests" / "golden"
UPDATE_GOLDEN = os.environ.get("UPDATE_GOLDEN") == "1"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SEED_SETTINGS = seed_settings()
"""The seed's look, read from the shipped example settings file (the defaults name no organisation)."""


def make_ledger(
    donors: Sequence[tuple[str, str]],
    *,
    signature: Signature | None = None,
    title: str | None = SEED_TITLE,
    kinds: Sequence[str | None] | None = None,
    serials: bool = True,
) -> Ledger:
    donations = tuple(
        Donation(
            serial=i + 1 if serials else None,
            donor=name,
            amount=Decimal(amount),
            sheet="Sheet1",
            cell=f"C{i + 3}",
            name_cell=f"B{i + 3}",
            kind=kinds[i] if kinds else None,
        )
        for i, (name, amount) in enumerate(donors)
    )
    if signature is None:
        signature = Signature("朱蕊", "刘刚", SEED_ORG, dt.date(2020, 2, 5))
    return Ledger("捐款.xlsx", "Sheet1", donations, signature=signature, title=title)


def numbered(count: int) -> list[tuple[str, str]]:
    return [(f"捐赠人{i}", str(100 + i % 9)) for i in range(1, count + 1)]


def body(docx: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return etree.fromstring(archive.read("word/document.xml")).find(f"{W}body")


def paragraph_text(p: etree._Element) -> str:
    parts = []
    for node in p.iter(f"{W}t", f"{W}tab"):
        parts.append("\t" if node.tag == f"{W}tab" else node.text or "")
    return "".join(parts)


def document_text(docx: bytes) -> str:
    """The bulletin as lines: one per paragraph, one per table row with cells joined by `` | ``."""
    lines = []
    for child in body(docx):
        if child.tag == f"{W}p":
            lines.append(paragraph_text(child))
        elif child.tag == f"{W}tbl":
            for row in child.iter(f"{W}tr"):
                cells = ["".join(paragraph_text(p) for p in tc.iter(f"{W}p")) for tc in row.iter(f"{W}tc")]
                lines.append(" | ".join(cells))
    return "\n".join(lines) + "\n"


def table_shape(docx: bytes) -> list[int]:
    """Cells per row of the first table."""
    tbl = body(docx).find(f"{W}tbl")
    return [len(row.findall(f"{W}tc")) for row in tbl.findall(f"{W}tr")]


def page_text_width(docx: bytes) -> int:
    sect = body(docx).find(f"{W}sectPr")
    margins = sect.find(f"{W}pgMar")
    return (
        int(sect.find(f"{W}pgSz").get(f"{W}w")) - int(margins.get(f"{W}left")) - int(margins.get(f"{W}right"))
    )


def tables(docx: bytes) -> list[etree._Element]:
    """Every table of the body, in order."""
    return list(body(docx).findall(f"{W}tbl"))


def grid_widths(table: etree._Element) -> list[int]:
    """The column widths of a table's grid, in twips."""
    return [int(c.get(f"{W}w")) for c in table.find(f"{W}tblGrid").findall(f"{W}gridCol")]


def default_with(*paragraphs: Sequence[str]) -> bytes:
    """The default template with paragraphs (exactly these runs) added at the end."""
    doc = Document(str(REPO / "templates" / "bulletin.docx"))
    for runs in paragraphs:
        p = doc.add_paragraph()
        for text in runs:
            p.add_run(text)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE_GOLDEN:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing golden file {path.name}; run with UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


def make_template(
    *paragraphs: Sequence[str],
    table: Sequence[Sequence[str]] = (),
    header: Sequence[str] = (),
    footer: Sequence[str] = (),
    title: str = "",
) -> bytes:
    """A docx whose paragraphs have exactly these runs, then a table of one-run cells.

    ``header`` and ``footer`` are the runs of the page header's and footer's paragraph, ``title``
    the document's title property.
    """
    doc = Document()
    for runs in paragraphs:
        p = doc.add_paragraph()
        for text in runs:
            p.add_run(text)
    if table:
        t = doc.add_table(rows=len(table), cols=max(len(r) for r in table))
        for row, texts in zip(t.rows, table, strict=False):
            for cell, text in zip(row.cells, texts, strict=False):
                cell.paragraphs[0].add_run(text)
    for part, runs in ((doc.sections[0].header, header), (doc.sections[0].footer, footer)):
        for text in runs:
            part.paragraphs[0].add_run(text)
    doc.core_properties.title = title
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
