"""WordprocessingML names and strict XML parsing, shared by the render modules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lxml import etree

from toolkit import codes
from toolkit.errors import Problem, RenderFailed

__all__ = [
    "W",
    "W_P",
    "W_T",
    "invalid_xml",
    "is_header_row",
    "paragraph_texts",
    "parse_strict",
    "strict_parser",
    "w",
]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
"""The WordprocessingML namespace (prefix ``w:``)."""


def w(name: str) -> str:
    """The Clark name lxml uses for ``w:name``."""
    return f"{{{W}}}{name}"


W_T = w("t")
W_P = w("p")


def strict_parser() -> Any:
    """A new strict parser: no entities, no network (lxml parsers are not shared between threads)."""
    return etree.XMLParser(huge_tree=True, resolve_entities=False, no_network=True)


def invalid_xml(exc: Exception) -> RenderFailed:
    return RenderFailed(
        Problem(
            codes.RENDER_INVALID_XML,
            f"生成的简报文件内容不完整（{exc}）。请检查 Word 模板中的表格和段落标记是否成对",
        )
    )


def parse_strict(xml: bytes) -> Any:
    """Parse XML strictly (no entities, no network) or raise `RenderFailed` (``render.invalid_xml``)."""
    try:
        return etree.fromstring(xml, strict_parser())
    except etree.XMLSyntaxError as exc:
        raise invalid_xml(exc) from None


def paragraph_texts(root: Any) -> Iterator[str]:
    """The text of every ``w:p`` under ``root``, its runs joined."""
    for paragraph in root.iter(W_P):
        yield "".join(t.text or "" for t in paragraph.iter(W_T))


def is_header_row(row: Any) -> bool:
    """True for a ``w:tr`` marked to repeat as the table's header on every page."""
    mark = row.find(f"{w('trPr')}/{w('tblHeader')}")
    return mark is not None and mark.get(w("val"), "true") not in ("0", "false", "off")
