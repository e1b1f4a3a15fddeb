"""Text hygiene shared by the stages: characters that XML 1.0 forbids never reach a docx."""

from __future__ import annotations

import re

__all__ = ["strip_xml_illegal"]

# XML 1.0 Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
_ILLEGAL = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def strip_xml_illegal(text: str) -> tuple[str, bool]:
    """Remove characters XML 1.0 forbids (control characters, lone surrogates, U+FFFE/FFFF).

    Returns the cleaned text and whether anything was removed.
    """
    cleaned = _ILLEGAL.sub("", text)
    return cleaned, len(cleaned) != len(text)
