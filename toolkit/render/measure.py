"""How wide a figure is on the page: font sizes and faces from the styles, advance widths from fonts.

`Styles` resolves the size and Latin face a run is printed in, the way Word does: the run's own
properties, then its character style, its paragraph style (or the default one), the table style and
the document defaults, each style followed through ``w:basedOn``. `figure_width` then adds up the
advance widths of a *figure*: a 序号 or an amount such as ``15538.27`` or ``¥1,000.00元``, the text a
table column must never wrap. Names are not measured: they may wrap between characters.

The advance widths are those of the fonts LibreOffice and Word actually use: Liberation Serif has
Times New Roman's metrics and Liberation Sans has Arial's. Any other face is measured as DejaVu, the
widest common fallback, so an unknown font errs on the wide side.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from toolkit.render.wordml import w

__all__ = ["Styles", "cell_margins", "figure_width", "is_figure", "widest"]

_DIGITS = dict.fromkeys("0123456789")

# Advance widths in em, read from the font files (hmtx advance / unitsPerEm).
_TIMES = {
    **dict.fromkeys(_DIGITS, 0.5),
    **{".": 0.25, ",": 0.25, "-": 0.333, "+": 0.564, "%": 0.833, "(": 0.333, ")": 0.333},
    **{"$": 0.5, "¥": 0.5, "/": 0.278, " ": 0.25},
}
_ARIAL = {
    **dict.fromkeys(_DIGITS, 0.556),
    **{".": 0.278, ",": 0.278, "-": 0.333, "+": 0.584, "%": 0.889, "(": 0.333, ")": 0.333},
    **{"$": 0.556, "¥": 0.556, "/": 0.278, " ": 0.278},
}
_DEJAVU = {
    **dict.fromkeys(_DIGITS, 0.636),
    **{".": 0.318, ",": 0.318, "-": 0.361, "+": 0.838, "%": 0.95, "(": 0.39, ")": 0.39},
    **{"$": 0.636, "¥": 0.636, "/": 0.337, " ": 0.318},
}
_FACES: Mapping[str, Mapping[str, float]] = {
    **dict.fromkeys(("times new roman", "times", "liberation serif", "tinos", "nimbus roman"), _TIMES),
    **dict.fromkeys(("arial", "helvetica", "liberation sans", "arimo", "nimbus sans"), _ARIAL),
}
_FULL_WIDTH = "元￥，．（）"  # CJK characters a figure may hold: one em each

_FIGURE = re.compile(r"[0-9.,+%()$¥/ \-元￥，．（）]*[0-9][0-9.,+%()$¥/ \-元￥，．（）]*")


def is_figure(text: str) -> bool:
    """True for a 序号 or an amount as shown (``12``, ``15538.27``, ``¥1,000.00元``): digits, with
    only the punctuation, currency signs and spaces figures are written with."""
    return _FIGURE.fullmatch(text) is not None


def figure_width(text: str, size: float, face: str) -> float:
    """Width in twips of figure ``text`` at ``size`` points in Latin font ``face``."""
    advances = _FACES.get(face.strip().lower(), _DEJAVU)
    em = sum(1.0 if ch in _FULL_WIDTH else advances.get(ch, 1.0) for ch in text)
    return em * size * 20


_SAME_DIGIT = bytes.maketrans(b"123456789", b"000000000")


def widest(values: Sequence[str]) -> str:
    """A text as wide as the widest value, as DejaVu measures it; its digits may read ``0``.

    Every digit is as wide as any other in the fonts measured, so values of one shape (digits
    written as 0) are alike and only the shapes are measured: a handful for 100,000 amounts. Only
    shapes of the two greatest lengths count: among figures, one two characters shorter is
    narrower. A name (not a figure) is taken by its length.
    """
    if not values:
        return ""
    most = max(map(len, values))
    longest = next(value for value in values if len(value) == most)
    if not is_figure(longest):
        return longest
    joined = "\x00".join(values)  # cleaned values never hold NUL
    digits = joined.replace("\x00", "")
    if digits.isascii() and digits.isdigit():
        return "0" * most  # serial numbers: the longest is the widest
    # one pass in C over all values at once (a UTF-8 byte that is an ASCII digit is that digit)
    shapes = {s.decode() for s in set(joined.encode().translate(_SAME_DIGIT).split(b"\x00"))}
    cut = len(longest) - 1
    candidates = sorted(shape for shape in shapes if len(shape) >= cut and is_figure(shape))
    return max(candidates, key=lambda shape: figure_width(shape, 1, ""))


_DEFAULT_SIZE = 10.0  # points, when no style sets w:sz (ECMA-376)
_DEFAULT_MARGIN = 108  # twips, Word's left and right cell margin when no table or style sets one


class Styles:
    """The styles part of one document, answering "what size and face is this run in?"."""

    def __init__(self, root: Any) -> None:
        self._by_id: dict[str, Any] = {}
        self._default: dict[str, str] = {}
        self._defaults = None
        self._inherited_cache: dict[tuple[str, str, str], tuple[float, str]] = {}
        if root is None:
            return
        for style in root.iter(w("style")):
            style_id = style.get(w("styleId"))
            if style_id:
                self._by_id[style_id] = style
                if style.get(w("default")) in ("1", "true", "on"):
                    self._default.setdefault(style.get(w("type"), ""), style_id)
        self._defaults = root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}")

    def run_font(self, run: Any, paragraph: Any, table: Any) -> tuple[float, str]:
        """``(points, Latin face)`` of ``run`` in ``paragraph`` of ``table``; face ``""`` when unknown."""
        direct = run.find(w("rPr"))
        size, face = _size(direct), _face(direct)
        if size is not None and face is not None:
            return size, face
        inherited = self._inherited(
            _style_ref(direct, "rStyle"),
            _style_ref(paragraph.find(w("pPr")), "pStyle") or self._default.get("paragraph", ""),
            _style_ref(table.find(w("tblPr")), "tblStyle") or self._default.get("table", ""),
        )
        return (size if size is not None else inherited[0]), (face if face is not None else inherited[1])

    def _inherited(self, character: str, paragraph: str, table: str) -> tuple[float, str]:
        """Size and face from the styles alone (character, paragraph, table, defaults), cached."""
        key = (character, paragraph, table)
        found = self._inherited_cache.get(key)
        if found is None:
            size: float | None = None
            face: str | None = None
            for props in (
                *self._chain(character),
                *self._chain(paragraph),
                *self._chain(table),
                self._defaults,
            ):
                size = size if size is not None else _size(props)
                face = face if face is not None else _face(props)
            found = self._inherited_cache[key] = ((size if size is not None else _DEFAULT_SIZE), face or "")
        return found

    def _lineage(self, style_id: str) -> Iterator[Any]:
        """The style and each style it is based on, nearest first (a loop of basedOn ends it)."""
        seen: set[str] = set()
        while style_id and style_id not in seen and style_id in self._by_id:
            seen.add(style_id)
            style = self._by_id[style_id]
            yield style
            based = style.find(w("basedOn"))
            style_id = based.get(w("val"), "") if based is not None else ""

    def _chain(self, style_id: str) -> Iterator[Any]:
        """The ``w:rPr`` of a style and of each style it is based on, nearest first."""
        return (style.find(w("rPr")) for style in self._lineage(style_id))

    def table_margins(self, table: Any) -> tuple[int, int]:
        """Left and right cell margins of ``table`` in twips: the table's, its style's, else Word's."""
        tbl_pr = table.find(w("tblPr"))
        style = _style_ref(tbl_pr, "tblStyle") or self._default.get("table", "")
        sources = [None if tbl_pr is None else tbl_pr.find(w("tblCellMar"))]
        sources.extend(s.find(f"{w('tblPr')}/{w('tblCellMar')}") for s in self._lineage(style))
        return _margin(sources, ("left", "start")), _margin(sources, ("right", "end"))


def cell_margins(cell: Any, table_margins: tuple[int, int]) -> int:
    """Left plus right margin of ``cell`` in twips: its own ``w:tcMar``, else the table's."""
    own = cell.find(f"{w('tcPr')}/{w('tcMar')}")
    if own is None:
        return sum(table_margins)
    return _margin([own], ("left", "start"), table_margins[0]) + _margin(
        [own], ("right", "end"), table_margins[1]
    )


def _style_ref(props: Any, name: str) -> str:
    ref = None if props is None else props.find(w(name))
    return "" if ref is None else str(ref.get(w("val"), ""))


def _size(props: Any) -> float | None:
    sz = None if props is None else props.find(w("sz"))
    try:
        return int(sz.get(w("val"))) / 2 if sz is not None else None
    except (TypeError, ValueError):
        return None


def _face(props: Any) -> str | None:
    """The Latin face an ``w:rPr`` sets, ``""`` for a theme font (not resolved), None if none."""
    fonts = None if props is None else props.find(w("rFonts"))
    if fonts is None:
        return None
    if fonts.get(w("asciiTheme")):
        return ""
    face = fonts.get(w("ascii"))
    return None if face is None else str(face)


def _margin(sources: Sequence[Any], sides: Sequence[str], default: int = _DEFAULT_MARGIN) -> int:
    """The first margin ``sources`` set on one of ``sides`` (``left``/``start``), in twips."""
    for source in sources:
        for side in sides:
            edge = None if source is None else source.find(w(side))
            if edge is None:
                continue
            if edge.get(w("type"), "dxa") != "dxa":
                return 0  # nil, or a percentage Word ignores here
            try:
                return max(int(edge.get(w("w"), "0")), 0)
            except ValueError:
                return 0
    return default
