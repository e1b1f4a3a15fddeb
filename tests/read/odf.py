"""A small OpenDocument spreadsheet writer for the reader's tests: .ods files built in code.

`ods_bytes` writes the zip LibreOffice writes (``mimetype`` first and stored, a manifest, a
``content.xml``) with one ``table:table`` per `Table`. Rows are given as values (`row_xml` turns
them into cells) or as raw XML, which is how the hostile files with huge repeats are made.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
    'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"'
)
MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"


@dataclass
class Table:
    """One sheet: ``rows`` of values from A1, or ``xml`` for the rows as written."""

    name: str
    rows: Sequence[Sequence[Any]] = ()
    xml: str = ""
    hidden: bool = False
    hidden_rows: frozenset[int] = frozenset()


def cell_xml(value: Any) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, bool):
        return f'<table:table-cell office:value-type="boolean" office:boolean-value="{str(value).lower()}"><text:p>{value}</text:p></table:table-cell>'
    if isinstance(value, dt.date):
        return f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}"><text:p>{value}</text:p></table:table-cell>'
    if isinstance(value, (int, float)):
        return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
    if isinstance(value, str) and value.startswith("#"):
        return (
            '<table:table-cell table:formula="of:=1/0" office:value-type="string" office:string-value="" '
            f'calcext:value-type="error"><text:p>{escape(value)}</text:p></table:table-cell>'
        )
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'


def row_xml(values: Sequence[Any], *, hidden: bool = False) -> str:
    visibility = ' table:visibility="collapse"' if hidden else ""
    cells = "".join(cell_xml(v) for v in values)
    return f'<table:table-row{visibility}>{cells}<table:table-cell table:number-columns-repeated="1000"/></table:table-row>'


def ods_bytes(tables: Sequence[Table] | Table, *, encrypted: bool = False) -> bytes:
    if isinstance(tables, Table):
        tables = [tables]
    styles = '<style:style style:name="hidden" style:family="table"><style:table-properties table:display="false"/></style:style>'
    body = ""
    for table in tables:
        rows = table.xml or "".join(
            row_xml(r, hidden=i in table.hidden_rows) for i, r in enumerate(table.rows)
        )
        # LibreOffice ends every sheet with its empty rows as one huge repeat.
        rows += '<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
        style = ' table:style-name="hidden"' if table.hidden else ""
        body += f"<table:table table:name={quoteattr(table.name)}{style}>{rows}</table:table>"
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_NS} office:version="1.3">'
        f"<office:automatic-styles>{styles}</office:automatic-styles>"
        f"<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"
    )
    entry = '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"'
    entry += "><manifest:encryption-data/></manifest:file-entry>" if encrypted else "/>"
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{MIMETYPE}"/>{entry}</manifest:manifest>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE)  # stored, first, as the standard asks
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", manifest)
    return out.getvalue()
