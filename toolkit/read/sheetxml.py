"""The sheet XML of an .xlsx, scanned with regular expressions before the cell library reads it.

`scan_sheet` finds, without building any tree:

* the used range, so that two cells at A1 and XFD1048576 cannot make the cell library allocate
  terabytes (a cheap overestimate first, an exact pass only when that is over the cap);
* formula cells without a saved result, and results that are the placeholder ``0`` of a
  never-calculated workbook (the cell library cannot tell them from real values);
* cells typed as errors (the cell library turns them into ``""``) and their text;
* hidden rows (``<row hidden="1">``; LibreOffice writes ``hidden="true"``);
* every formula cell, with or without a saved result (an unlabelled =SUM under the amounts is a
  declared total; a typed figure there is not).

Excel and the usual writers address every cell (``r="B7"``); cells without an address are numbered
in order as Excel does, by a slower walk over every tag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

__all__ = ["SheetScan", "scan_sheet"]

_ERROR_TEXT = re.compile(r"#[A-Z0-9/!?_.]{1,20}")


@dataclass(slots=True)
class SheetScan:
    """What the sheet XML says before the cell library reads it (positions 0-based).

    ``first_row``, ``last_row`` and ``last_col`` bound the cells that carry content; they may
    overestimate, never underestimate. ``errors`` maps error cells to their text; ``hidden_rows``
    are the rows marked hidden, whether or not they hold cells.
    """

    first_row: int = 0
    last_row: int = -1
    last_col: int = -1
    missing: set[tuple[int, int]] = field(default_factory=set)
    placeholders: set[tuple[int, int]] = field(default_factory=set)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    hidden_rows: set[int] = field(default_factory=set)
    formulas: set[tuple[int, int]] = field(default_factory=set)

    @property
    def area(self) -> int:
        """Cells the grid spans from its first used row, counting from column A."""
        if self.last_row < self.first_row:
            return 0
        return (self.last_row - self.first_row + 1) * (self.last_col + 1)

    def note(
        self, row: int, col: int, *, formula: bool, kind: bytes, value: bytes | None, never_calculated: bool
    ) -> None:
        """Record one formula or error cell; ``value`` is the text of its <v>, None without one."""
        if kind == b"e" and value is not None:
            text = value.strip().decode("ascii", "replace")
            if _ERROR_TEXT.fullmatch(text):
                self.errors[row, col] = text
                return
        if not formula:
            return
        if value is None or (value == b"" and kind not in {b"str", b"inlineStr"}):
            # No saved result. An empty <v> of a string formula is a real "" (=IF(A1="","",…)).
            self.missing.add((row, col))
        elif never_calculated and kind in {b"", b"n"} and _is_zero(value):
            self.placeholders.add((row, col))


class _NeedsPositions(Exception):
    """A formula or error cell has no r attribute: fall back to numbering cells in order."""


@lru_cache(maxsize=8)
def _patterns(prefix: bytes) -> dict[str, re.Pattern[bytes]]:
    """Regexes for sheet XML whose main-namespace elements carry ``prefix`` (``b""`` or ``b"x:"``)."""
    p = re.escape(prefix)
    c, f, v = b"<" + p + b"c", b"<" + p + b"f", b"<" + p + b"v"
    value = v + rb"\s*/>|" + v + rb"(?:\s[^>]*)?>([^<]*)</" + p + b"v>"
    return {
        # A cell whose first child is <f> (the schema puts it first): attributes, the whole <v>
        # element (empty when absent) and its text.
        "formula": re.compile(
            c + rb"(\s[^>]*)?>\s*" + f + rb"(?:\s[^>]*)?(?:/>|>[^<]*</" + p + rb"f>)\s*(" + value + b")?"
        ),
        # A cell typed as an error: attributes, its <f> if any, the whole <v> element and its text.
        "error": re.compile(
            c
            + rb"(\s[^>]*?\st\s*=\s*[\"']e[\"'][^>]*)>\s*("
            + f
            + rb"(?:\s[^>]*)?(?:/>|>[^<]*</"
            + p
            + rb"f>))?\s*("
            + value
            + b")?"
        ),
        "value": re.compile(value),
        "has_formula": re.compile(f + rb"[\s/>]"),
        # Cells whose first attribute is not r, or that have none: candidates for a missing r.
        "unaddressed": re.compile(c + rb"(?:[>/]|\s+(?!r\s*=))"),
        # A <row> start tag marked hidden: its attributes.
        "hidden_row": re.compile(b"<" + p + rb"row\b([^>]*?\shidden\s*=\s*[\"'](?:1|true)[\"'][^>]*)>"),
        # Every <row> and <c> start tag, in document order.
        "tag": re.compile(b"<" + p + rb"(row|c)(?=[\s/>])([^>]*?)(/?)>"),
    }


def _might_hide_rows(xml: bytes) -> bool:
    """A cheap test that settles the usual case (no hidden row) in a few fast scans."""
    return any(marker in xml for marker in _HIDDEN_MARKERS)


_HIDDEN_MARKERS = (b'hidden="1"', b"hidden='1'", b'hidden="true"', b"hidden='true'")
_HIDDEN_ATTR = re.compile(rb"\shidden\s*=\s*[\"'](?:1|true)[\"']")
_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet[\s>]")
_REF_ATTR = re.compile(rb"\sr\s*=\s*[\"']([A-Z]{1,3})([0-9]{1,7})[\"']")
_ROW_ATTR = re.compile(rb"\sr\s*=\s*[\"']([0-9]{1,7})[\"']")
_TYPE_ATTR = re.compile(rb"\st\s*=\s*[\"']([A-Za-z]*)[\"']")
# Cheap bounds first: only rows from 100000 and only columns from AA are picked out.
_FAR_ROWS = re.compile(rb"r\s*=\s*[\"'][A-Z]{1,3}([0-9]{6,7})[\"']")
_FAR_COLS = re.compile(rb"r\s*=\s*[\"']([A-Z]{2,3})[0-9]")
# The end of the start tag tells whether the cell has content: "/>" or ">" + "</c>" means none.
_ALL_REFS = re.compile(rb"r\s*=\s*[\"']([A-Z]{1,3})([0-9]{1,7})[\"'][^>]*?(/>|>\s*</(?:[\w.-]+:)?c>|>)")


def _col_index(letters: bytes) -> int:
    """``b"A"`` → 0, ``b"AA"`` → 26."""
    index = 0
    for byte in letters:
        index = index * 26 + (byte - 64)
    return index - 1


def _is_zero(value: bytes) -> bool:
    if value == b"0":
        return True
    try:
        return float(value) == 0.0
    except ValueError:
        return False


def scan_sheet(xml: bytes, *, never_calculated: bool, max_cells: int) -> SheetScan:
    """Find the used range, formula cells without a result, placeholder results and error cells."""
    root = _ROOT.search(xml, 0, 65536)
    prefix = (root.group(1) or b"") if root else b""
    pats = _patterns(prefix)
    if _has_unaddressed_cells(xml, pats):
        return _scan_by_position(xml, prefix, never_calculated)
    try:
        return _scan_by_address(xml, pats, never_calculated, max_cells)
    except _NeedsPositions:
        return _scan_by_position(xml, prefix, never_calculated)


def _has_unaddressed_cells(xml: bytes, pats: dict[str, re.Pattern[bytes]]) -> bool:
    """True when some <c> has no r attribute (Excel and the usual writers always write r first)."""
    for match in pats["unaddressed"].finditer(xml):
        end = xml.find(b">", match.start())
        if _REF_ATTR.search(xml, match.start(), end + 1 if end != -1 else len(xml)) is None:
            return True
    return False


def _scan_by_address(
    xml: bytes, pats: dict[str, re.Pattern[bytes]], never_calculated: bool, max_cells: int
) -> SheetScan:
    scan = SheetScan()
    # Used range: a cheap overestimate, and an exact pass only when that is too big.
    scan.last_row = max((int(r) - 1 for r in _FAR_ROWS.findall(xml)), default=99_999)
    scan.last_col = max((_col_index(c) for c in set(_FAR_COLS.findall(xml))), default=25)
    if scan.area > max_cells:
        scan.first_row, scan.last_row, scan.last_col = _exact_extent(xml)

    if _might_hide_rows(xml):
        for match in pats["hidden_row"].finditer(xml):
            ref = _ROW_ATTR.search(match.group(1))
            if ref is None:
                raise _NeedsPositions
            scan.hidden_rows.add(int(ref.group(1)) - 1)
    if pats["has_formula"].search(xml):
        for attrs, v_element, v_text in pats["formula"].findall(xml):
            ref = _REF_ATTR.search(attrs)
            if ref is None:
                raise _NeedsPositions
            scan.formulas.add((int(ref.group(2)) - 1, _col_index(ref.group(1))))
            if v_text and not (never_calculated and _is_zero(v_text)):
                continue  # a saved result: the common case
            kind = _TYPE_ATTR.search(attrs)
            scan.note(
                int(ref.group(2)) - 1,
                _col_index(ref.group(1)),
                formula=True,
                kind=kind.group(1) if kind else b"",
                value=v_text if v_element else None,
                never_calculated=never_calculated,
            )
    if b't="e"' in xml or b"t='e'" in xml:
        for attrs, f_element, v_element, v_text in pats["error"].findall(xml):
            if attrs.endswith(b"/"):
                continue  # <c t="e"/> holds nothing
            ref = _REF_ATTR.search(attrs)
            if ref is None:
                raise _NeedsPositions
            scan.note(
                int(ref.group(2)) - 1,
                _col_index(ref.group(1)),
                formula=bool(f_element),
                kind=b"e",
                value=v_text if v_element else None,
                never_calculated=never_calculated,
            )
    return scan


def _note_cell(
    scan: SheetScan,
    row: int,
    col: int,
    attrs: bytes,
    content: bytes,
    pats: dict[str, re.Pattern[bytes]],
    never_calculated: bool,
) -> None:
    kind = _TYPE_ATTR.search(attrs)
    value = pats["value"].search(content)
    scan.note(
        row,
        col,
        formula=pats["has_formula"].search(content) is not None,
        kind=kind.group(1) if kind else b"",
        value=(value.group(1) or b"") if value else None,
        never_calculated=never_calculated,
    )


def _exact_extent(xml: bytes) -> tuple[int, int, int]:
    """First row, last row and last column (0-based) of the cells that have content."""
    first_row, last_row, last_col = 1 << 30, -1, -1
    for letters, digits, ending in _ALL_REFS.findall(xml):
        if ending != b">":
            continue  # <c r="XFD1048576" s="1"/> or <c ...></c>: formatting only, no value
        row = int(digits) - 1
        first_row = min(first_row, row)
        last_row = max(last_row, row)
        last_col = max(last_col, _col_index(letters))
    if last_row < 0:
        return 0, -1, -1
    return first_row, last_row, last_col


def _scan_by_position(xml: bytes, prefix: bytes, never_calculated: bool) -> SheetScan:
    """Walk every <row> and <c> in order, numbering cells that have no r attribute as Excel does."""
    scan = SheetScan(first_row=1 << 30)
    row, col = -1, -1
    pats = _patterns(prefix)
    end_tag = b"</" + prefix + b"c>"
    tags = list(pats["tag"].finditer(xml))
    for index, match in enumerate(tags):
        element, attrs, self_closing = match.groups()
        if element == b"row":
            row_ref = _ROW_ATTR.search(attrs)
            row = int(row_ref.group(1)) - 1 if row_ref else row + 1
            col = -1
            if _HIDDEN_ATTR.search(attrs):
                scan.hidden_rows.add(row)
            continue
        ref = _REF_ATTR.search(attrs)
        if ref:
            row, col = int(ref.group(2)) - 1, _col_index(ref.group(1))
        else:
            col += 1
        # The content ends at </c>, looked for only up to the next tag, so the walk stays linear.
        limit = tags[index + 1].start() if index + 1 < len(tags) else len(xml)
        end = xml.find(end_tag, match.end(), limit)
        content = xml[match.end() : end if end != -1 else limit]
        if self_closing or not content.strip():
            continue
        scan.first_row = min(scan.first_row, row)
        scan.last_row = max(scan.last_row, row)
        scan.last_col = max(scan.last_col, col)
        formula = pats["has_formula"].search(content) is not None
        if formula:
            scan.formulas.add((row, col))
        if formula or b't="e"' in attrs or b"t='e'" in attrs:
            _note_cell(scan, row, col, attrs, content, pats, never_calculated)
    if scan.last_row < 0:
        scan.first_row = 0
    return scan
