"""The fast table writer: one sentinel row rendered by docxtpl, repeated as text for every donor.

A docxtpl row loop over 100,000 donors takes half a minute. When the template only prints the donor
fields inside its row loops (`toolkit.render.loops.fast_loops`; the default template does), the
template is rendered once with a single *sentinel* row whose cells hold unique markers; the rendered
``<w:tr>`` holding the markers becomes a string pattern that is filled for every real row with
pre-escaped values. Long tables are cut exactly where `toolkit.render.long_tables.split_tables`
would cut them, as text.

The gate works on the small sentinel document instead of the expanded one: `parse_strict` proves
the docxtpl output well-formed, `expand` proves the sentinel row a balanced fragment whose markers
all sit in ``<w:t>`` text, and `escape_all` proves every value put in place of a marker is legal
character data. Replacing one such row by any number of copies filled with such values keeps the
document well-formed, and every donor is in a copy (no 37 MB parse, no tree in memory).
"""

from __future__ import annotations

import io
import re
import secrets
import zipfile
from collections.abc import Callable, Sequence
from typing import Any
from xml.sax.saxutils import quoteattr

from lxml import etree
from markupsafe import escape

from toolkit.render.context import BulletinContext, DonorLine
from toolkit.render.document import docxtpl_render, zip_document
from toolkit.render.long_tables import SEAM_PARAGRAPH, split_plan, table_head
from toolkit.render.loops import CELL_FIELDS
from toolkit.render.measure import widest
from toolkit.render.template import BulletinTemplate
from toolkit.render.wordml import W_T, W, invalid_xml, parse_strict, strict_parser, w

__all__ = ["escape_all", "expand", "marker", "render_fast"]

# Markers: letters and digits only, so escaping and docxtpl leave them untouched.
_TOKEN = "tk" + secrets.token_hex(6)
_MARKER = re.compile(_TOKEN.encode() + rb"([rd])(\d+)x(serial|donor|amount|kind)z")
_MARKER_TEXT = re.compile(_TOKEN + r"([rd])(\d+)x(serial|donor|amount|kind)z")


def marker(loop: str, cell: int, name: str) -> str:
    """The marker standing for field ``name`` of cell ``cell`` in the sentinel row of ``loop``."""
    return f"{_TOKEN}{loop[0]}{cell}x{name}z"


def _sentinel(loop: str, cell: int) -> DonorLine:
    return DonorLine(*(marker(loop, cell, name) for name in CELL_FIELDS))


def render_fast(context: BulletinContext, template: BulletinTemplate) -> bytes | None:
    """The sentinel render, or None when the markers are not alone in one table row."""
    variables = context.as_template_vars()
    variables["rows"] = (tuple(_sentinel("rows", g) for g in range(context.groups)),)
    variables["donors"] = (_sentinel("donors", 0),)
    rendered = docxtpl_render(template, variables, _widest_shown(context))
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
    root = parse_strict(xml)
    pieces: list[bytes] = [xml]
    for loop in template.fast_loops:
        expanded = expand(pieces.pop(), root, loop, context)
        if expanded is None:
            return None
        pieces.extend(expanded)
    if any(token in piece for piece in (pieces[0], pieces[-1])):
        return None
    del root, xml
    return zip_document(members, pieces)


def _widest_shown(context: BulletinContext) -> Callable[[str], str]:
    """For the layout: a text with each marker replaced by the widest value of its table column.

    A marker of cell ``g`` of the packed rows stands for the donors of group ``g``, one of the flat
    list for every donor: the layout then measures what the plain render's cells would show.
    """
    found: dict[str, str] = {}

    def value(match: re.Match[str]) -> str:
        key = match.group(0)
        if key not in found:
            loop, cell, name = match.group(1), int(match.group(2)), match.group(3)
            values = context.rows.column(cell, name) if loop == "r" else context.donors.column(name)
            found[key] = widest(values)
        return found[key]

    return lambda text: _MARKER_TEXT.sub(value, text) if _TOKEN in text else text


def expand(xml: bytes, root: Any, loop: str, context: BulletinContext) -> list[bytes] | None:
    """``[before, row, row, …, after]``: the one ``<w:tr>`` holding ``loop``'s markers, once per real row.

    ``root`` is ``xml``'s document parsed (`parse_strict`). None when the row cannot be proved a
    balanced fragment whose markers are all plain ``<w:t>`` text (the caller renders plainly).
    """
    found = [m for m in _MARKER.finditer(xml) if m.group(1) == loop[0].encode()]
    if not found:
        return [xml]  # the loop rendered nothing (inside a false {% if %}?): as plain
    first = found[0].group(0).decode()
    bounds = _row_bounds(xml, found[0].start(), found[-1].end())
    if bounds is None or not _plain_row(xml[bounds[0] : bounds[1]], root, first):
        return None
    start, end = bounds
    row = xml[start:end]
    count = context.rows.height if loop == "rows" else len(context.donors)
    seams = _row_seams(root, first, count)
    if seams is None:
        return None
    if not seams and _MARKER.search(row) is None:
        return [xml[:start], row * count, xml[end:]]
    return [xml[:start], *_with_seams(_filled_rows(row, loop, context, count), seams), xml[end:]]


def _row_bounds(xml: bytes, first: int, last: int) -> tuple[int, int] | None:
    """``(start, end)`` of the one ``<w:tr>`` around ``xml[first:last]``, None if it is not one row."""
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
    ):
        return None
    return start, end


def _filled_rows(row: bytes, loop: str, context: BulletinContext, count: int) -> list[bytes]:
    """``row`` once per real row, each marker replaced by its escaped value."""
    pieces = _MARKER.split(row)
    slots = [(int(cell), name.decode()) for cell, name in zip(pieces[2::4], pieces[3::4], strict=True)]
    if not slots:
        return [row] * count
    pattern = b"%s".join(literal.replace(b"%", b"%%") for literal in pieces[0::4])
    if loop == "rows":
        columns = [context.rows.column(cell, name) for cell, name in slots]
    else:
        columns = [list(context.donors.column(name)) for _, name in slots]
    escaped = [escape_all(column) for column in columns]
    return list(map(pattern.__mod__, zip(*escaped, strict=True)))


def _with_seams(rows: list[bytes], seams: Sequence[tuple[int, bytes]]) -> list[bytes]:
    """``rows`` with each seam placed before the row it names (`_row_seams`)."""
    result: list[bytes] = []
    previous = 0
    for index, seam in seams:
        result.extend(rows[previous:index])
        result.append(seam)
        previous = index
    result.extend(rows[previous:])
    return result


def _row_seams(root: Any, marker: str, count: int) -> list[tuple[int, bytes]] | None:
    """Where the expanded loop's table is cut into consecutive tables (`split_plan`).

    ``[(i, seam), …]``: ``seam`` goes before loop row ``i`` (``i == count``: after the last one);
    ``[]`` when the table stays whole. Each seam closes the table and opens the next one with a copy
    of its properties, grid and header rows, exactly as `split_tables` cuts a plainly rendered table.
    None when a cut would fall outside the loop's rows, or the table is not one this code can close
    and reopen as text (the caller then renders plainly, which cuts it in the tree).
    """
    holder = _marker_holder(root, marker)
    row = None if holder is None else next(holder.iterancestors(w("tr")), None)
    table = None if row is None else row.getparent()
    if table is None or table.tag != w("tbl"):
        return None
    rows = table.findall(w("tr"))
    position = rows.index(row)
    headers, cuts = split_plan(rows[:position] + [row] * count + rows[position + 1 :])
    if not cuts:
        return []
    indices = [cut - position for cut in cuts]
    if headers > position or holder.nsmap.get("w") != W or not all(0 <= i <= count for i in indices):
        return None
    seam = _seam(table, rows[:headers])
    return None if seam is None else [(index, seam) for index in indices]


def _seam(table: Any, header_rows: Sequence[Any]) -> bytes | None:
    """The text that closes ``table`` and opens its next piece, None if it cannot be written so."""
    if table.prefix != "w":
        return None
    head: bytes = etree.tostring(table_head(table, header_rows), encoding="utf-8")
    if not head.startswith(b"<w:tbl") or not head.endswith(b"</w:tbl>"):
        return None
    return b"</w:tbl>" + SEAM_PARAGRAPH.encode() + head[: -len(b"</w:tbl>")]


def _marker_holder(root: Any, marker: str) -> Any:
    """The ``<w:t>`` whose text holds ``marker``, or None."""
    return next((t for t in root.iter(W_T) if t.text and marker in t.text), None)


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
            f"<toolkit-row {declarations}>".encode() + row + b"</toolkit-row>", strict_parser()
        )
    except etree.XMLSyntaxError:
        return False
    if len(fragment) != 1 or fragment[0].tag != w("tr"):
        return False
    in_text = sum(len(_MARKER.findall(t.text.encode())) for t in fragment.iter(W_T) if t.text)
    return in_text == len(_MARKER.findall(row))


# Character data after escaping: no markup, only characters XML 1.0 allows (NUL separates values).
_NOT_CHAR_DATA = re.compile("[<\x01-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape_all(values: list[str]) -> list[bytes]:
    """Escape like Jinja's autoescape and encode, in one pass over the joined text.

    Values never hold NUL (it is XML-illegal and cleaned away); if one did, escape one by one.

    Raises:
        RenderFailed: an escaped value is not legal XML character data (``render.invalid_xml``);
            `toolkit.render.context.build_context` cleans every value, so this is a bug guard.
    """
    if not values:
        return []
    text = str(escape("\x00".join(values)))
    bad = _NOT_CHAR_DATA.search(text)
    if bad is not None:
        raise invalid_xml(ValueError(f"character {bad.group(0)!r} in a table cell"))
    parts = text.encode("utf-8").split(b"\x00")
    if len(parts) != len(values):
        return [str(escape(v)).encode("utf-8") for v in values]
    return parts
